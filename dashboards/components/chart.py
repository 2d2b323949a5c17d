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
    """The graph is a figure to assistive technology, named by ``description``; the table
    beside every chart carries the same figures as text.

    ``role="figure"``, not ``"img"``: an image's children are presentational, and the
    chart's mode bar holds focusable buttons (axe: nested-interactive, WCAG 4.1.2)."""
    return html.Div(
        dcc.Graph(id=id, figure=figure, config=GRAPH_CONFIG),
        role="figure",
        **{"aria-label": description},
        className="chart",
    )
