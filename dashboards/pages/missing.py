"""/missing — missing episodes and return home interviews, for the LA and each district.

Query string: ``la``, ``district`` (a district name or ``ALL``), ``breakdown``
(``all`` / ``care`` / ``home``), ``kpi`` (the KPI in the chart), ``start`` and ``end``
(months, ``YYYY-MM``; by default the latest month and the twelve before it).
"""

from __future__ import annotations

import dash
from dash import Output, html

from dashboards import data, ids
from dashboards.auth import Access
from dashboards.components import messages
from dashboards.components.urlsync import register_url_sync
from dashboards.views import missing as view

dash.register_page(
    __name__,
    path="/missing",
    name="Missing & return interviews",
    title="Missing episodes and return home interviews",
    description="Return home interviews after missing episodes, by district.",
    order=1,
    nav=True,
    access=Access.AGGREGATES,
)


def layout(**query):
    try:
        return view.page(query)
    except data.NoSnapshot:
        return [html.H1("Missing episodes and return home interviews"), messages.no_snapshot()]


def register_callbacks(app: dash.Dash) -> None:
    register_url_sync(
        app,
        location=ids.MISSING_URL,
        stores=[ids.MISSING_LA],
        controls={
            "district": ids.MISSING_DISTRICT,
            "breakdown": ids.MISSING_BREAKDOWN,
            "kpi": ids.MISSING_KPI,
            "start": ids.MISSING_START,
            "end": ids.MISSING_END,
        },
        outputs=[
            Output(ids.MISSING_MESSAGES, "children"),
            Output(ids.MISSING_TILES, "children"),
            Output(ids.MISSING_TREND_WRAPPER, "children"),
            Output(ids.MISSING_TABLE_HEADING, "children"),
            Output(ids.grid(ids.MISSING_TABLE), "rowData"),
        ],
        resolve=view.resolve,
        render=view.render,
    )
