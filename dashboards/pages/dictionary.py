"""/dictionary — the KPI catalogue."""

from __future__ import annotations

import dash
from dash import html

from dashboards import data
from dashboards.auth import Access
from dashboards.components import messages
from dashboards.views import dictionary as view

dash.register_page(
    __name__,
    path="/dictionary",
    name="KPI dictionary",
    title="KPI dictionary",
    description="What each KPI counts, its polarity, source and target.",
    order=3,
    nav=True,
    access=Access.AGGREGATES,
)


def layout(**_query):
    try:
        return view.page()
    except data.NoSnapshot:
        return [html.H1("KPI dictionary"), messages.no_snapshot()]
