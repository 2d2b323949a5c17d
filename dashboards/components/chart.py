"""A chart with its text alternative."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import dcc, html

GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
}


def chart(id: str, figure: go.Figure, description: str) -> html.Div:
    """The graph is an image to assistive technology, described by ``description``;
    the table beside every chart carries the same figures as text."""
    return html.Div(
        dcc.Graph(id=id, figure=figure, config=GRAPH_CONFIG),
        role="img",
        **{"aria-label": description},
        className="chart",
    )
