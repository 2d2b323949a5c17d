"""Messages shown instead of, or above, a page's content."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

NO_SNAPSHOT_TEXT = "No published data yet — run `make demo`"


def no_snapshot() -> dbc.Alert:
    """The dashboard is up but the pipeline has not published a snapshot yet."""
    return dbc.Alert(
        [
            html.H2("No published data yet", className="h4"),
            dcc.Markdown(
                "No published data yet — run `make demo` (or `make materialize`) to build "
                "and publish the serving snapshot, then reload this page. If the pipeline "
                "has run, the [data-quality page](/data-quality) says what was blocked."
            ),
        ],
        color="info",
        className="no-snapshot",
    )


def notice(text: str, color: str = "secondary") -> dbc.Alert:
    return dbc.Alert(text, color=color)


def query_messages(messages: Sequence[str]) -> list:
    """What was wrong with the link's query string, and what is shown instead."""
    if not messages:
        return []
    return [
        dbc.Alert(
            [
                html.Strong("Some of this link's settings could not be used. "),
                html.Ul([html.Li(m) for m in messages], className="mb-0"),
            ],
            color="warning",
            className="query-messages",
        )
    ]
