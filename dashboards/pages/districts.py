"""/district — the LA's districts, each linking to its page. Query string: ``la``."""

from __future__ import annotations

import dash
from dash import html

from dashboards import data
from dashboards.auth import Access
from dashboards.components import messages
from dashboards.views import districts as view

dash.register_page(
    __name__,
    path="/district",
    name="Districts",
    title="Districts",
    description="The districts, with the size of each one's action lists (managers).",
    order=2,
    nav=True,
    access=Access.CHILD_LEVEL,
)


def layout(**query):
    try:
        return view.page(query)
    except data.NoSnapshot:
        return [html.H1("Districts"), messages.no_snapshot()]
