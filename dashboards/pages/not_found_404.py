"""Any unknown path."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboards.auth import Access

dash.register_page(
    __name__,
    path="/404",
    name="Page not found",
    title="Page not found",
    nav=False,
    access=Access.SIGNED_IN,
)


def layout(**_query):
    return [
        html.H1("Page not found"),
        html.P(["Try the ", dcc.Link("board scorecard", href="/"), "."]),
    ]
