"""Small pieces that show a KPI's judgement: RAG badge, direction of travel, tiles.

RAG and direction are never shown by colour alone: each has a word and a shape.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards import scoring
from dashboards.components.spc_bits import assurance_badge, variation_badge

RAG_ICON = {scoring.GREEN: "●", scoring.AMBER: "▲", scoring.RED: "■"}
DIRECTION_ICON = {
    scoring.IMPROVING: "↗",
    scoring.DECLINING: "↘",
    scoring.NO_CHANGE: "→",
    scoring.UP: "↑",
    scoring.DOWN: "↓",
}


def rag_badge(rag: str | None) -> html.Span:
    if not isinstance(rag, str):  # None, or NaN from a DataFrame
        return html.Span("no RAG", className="rag rag-none")
    text = scoring.RAG_TEXT[rag]
    return html.Span(
        [html.Span(RAG_ICON[rag], className="rag-icon", **{"aria-hidden": "true"}), f" {text}"],
        className=f"rag rag-{rag}",
        title=scoring.RAG_MEANING[rag],
        **{"aria-label": f"RAG {text}: {scoring.RAG_MEANING[rag]}"},
    )


def direction_text(direction: str | None, since: str) -> html.Span:
    """``"↗ improving since last month"``; a dash when there is nothing to compare."""
    if not isinstance(direction, str):  # None, or NaN from a DataFrame
        text = f" no figure to compare {since}" if since else " no earlier figure"
        return html.Span(
            ["–", html.Span(text, className="" if since else "visually-hidden")],
            className="travel travel-none",
        )
    since = f" {since}" if since else ""
    return html.Span(
        [
            html.Span(
                DIRECTION_ICON[direction], className="travel-icon", **{"aria-hidden": "true"}
            ),
            f" {direction}{since}",
        ],
        className=f"travel travel-{direction.replace(' ', '-')}",
    )


def kpi_tile(
    *,
    name: str,
    href: str,
    value: str,
    period: str,
    fraction: str,
    rag: str | None,
    target: str,
    vs_previous: str | None,
    vs_year_ago: str | None,
    signal: Any = None,
) -> dbc.Col:
    """A KPI's tile. With an SPC ``signals.Signal`` that applies, the direction of travel
    is SPC's (variation and assurance icons); without one, the two-point changes are
    shown as such: "not tested"."""
    body = [
        html.H3(dcc.Link(name, href=href), className="h6 tile-title"),
        html.P(value, className="tile-value mb-1"),
        html.P(period, className="tile-period text-body-secondary mb-1"),
    ]
    if fraction:
        body.append(html.P(fraction, className="tile-fraction mb-1"))
    if target:
        body.append(html.P([f"Target {target} · ", rag_badge(rag)], className="mb-1"))
    if signal is not None and signal.applied:
        body.append(
            html.P(
                [variation_badge(signal.variation), " ", assurance_badge(signal.assurance)],
                className="mb-1 small",
            )
        )
        body.append(html.P(f"Direction of travel: {signal.travel} (SPC)", className="mb-0 small"))
    else:
        body.append(html.P(direction_text(vs_previous, "since last month"), className="mb-0 small"))
        body.append(html.P(direction_text(vs_year_ago, "since a year ago"), className="mb-0 small"))
        body.append(html.P("two points, not tested", className="mb-0 small text-body-secondary"))
    return dbc.Col(
        dbc.Card(dbc.CardBody(body), className="h-100 kpi-tile"),
        xs=12,
        md=6,
        xl=4,
        className="mb-3",
    )
