"""Labelled form controls (native selects: keyboard- and screen-reader-friendly)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
