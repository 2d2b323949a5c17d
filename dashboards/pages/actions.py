"""/actions/rhi — return interviews to arrange (child-level; managers only).
Query string: ``la``, ``district``."""

from __future__ import annotations

import dash
from dash import Output, html

from dashboards import data, ids
from dashboards.auth import Access
from dashboards.components import messages
from dashboards.components.urlsync import register_url_sync
from dashboards.views import actions as view

dash.register_page(
    __name__,
    path="/actions/rhi",
    name="RHI action list",
    title="Return interviews to arrange",
    description="Due missing episodes with no return interview yet (managers).",
    order=2,
    nav=True,
    access=Access.CHILD_LEVEL,
)


def layout(**query):
    try:
        return view.page(query)
    except data.NoSnapshot:
        return [html.H1("Return interviews to arrange"), messages.no_snapshot()]


def register_callbacks(app: dash.Dash) -> None:
    register_url_sync(
        app,
        location=ids.ACTIONS_URL,
        stores=[ids.ACTIONS_LA],
        controls={"district": ids.ACTIONS_DISTRICT},
        outputs=[Output(ids.ACTIONS_MESSAGES, "children"), Output(ids.ACTIONS_CONTENT, "children")],
        resolve=view.resolve,
        render=view.render,
    )
