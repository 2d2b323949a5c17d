"""Labelled form controls (native selects: keyboard- and screen-reader-friendly)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import html


def options(pairs: Mapping[str, str] | Sequence[str]) -> list[dict[str, str]]:
    if isinstance(pairs, Mapping):
        return [{"label": label, "value": value} for value, label in pairs.items()]
    return [{"label": value, "value": value} for value in pairs]


def labelled_select(
    id: str,
    label: str,
    choices: Mapping[str, str] | Sequence[str],
    value: str | None,
    *,
    width: int | None = None,
) -> dbc.Col:
    """A ``<label>`` tied to a native ``<select>`` by ``for``/``id``."""
    return dbc.Col(
        html.Div(
            [
                dbc.Label(label, html_for=id, className="fw-semibold"),
                dbc.Select(id=id, options=options(choices), value=value),
            ]
        ),
        md=width,
        xs=12,
        className="mb-3",
    )


def download_button(text: str, id: str, *, of: str | None = None, **extra: Any) -> dbc.Button:
    """A small outlined download button; ``of`` names what it downloads for screen readers
    only (several grids on a page each have a "Download CSV")."""
    children: Any = [text, html.Span(f" of {of}", className="visually-hidden")] if of else text
    return dbc.Button(
        children, id=id, color="secondary", outline=True, size="sm", n_clicks=0, **extra
    )


def filters_section(filters: Any) -> html.Section:
    """A page's filters, as a landmark that screen readers can jump to (and print hides)."""
    return html.Section(
        [html.H2("Filters", className="visually-hidden"), filters],
        **{"aria-label": "Filters"},
    )
