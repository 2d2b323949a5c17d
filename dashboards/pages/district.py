"""/district/<district> — one district for its managers: KPIs against the LA and the
other districts, caseloads by team and worker, and its action lists (child-level).
Query string: ``la``, ``period`` (a month, ``YYYY-MM``; the latest by default)."""

from __future__ import annotations

from urllib.parse import unquote

import dash
from dash import Output, html

from dashboards import data, ids
from dashboards.auth import Access
from dashboards.components import messages
from dashboards.components.urlsync import register_url_sync
from dashboards.views import district as view


def _title(district: str | None = None) -> str:
    return f"District: {unquote(district)}" if district else "District"


dash.register_page(
    __name__,
    path_template="/district/<district>",
    name="District",
    title=_title,
    description="One district: KPIs against the LA, caseloads and action lists (managers).",
    nav=False,
    access=Access.CHILD_LEVEL,
)


def layout(district: str | None = None, **query):
    try:
        return view.page(district, query)
    except data.NoSnapshot:
        return [html.H1("District"), messages.no_snapshot()]


def register_callbacks(app: dash.Dash) -> None:
    register_url_sync(
        app,
        location=ids.DISTRICT_URL,
        stores=[ids.DISTRICT_LA, ids.DISTRICT_NAME],
        controls={"period": ids.DISTRICT_PERIOD},
        outputs=[
            Output(ids.DISTRICT_MESSAGES, "children"),
            Output(ids.DISTRICT_CONTENT, "children"),
        ],
        resolve=lambda query, la, district: view.resolve(query, la, district),
        render=view.render,
    )
