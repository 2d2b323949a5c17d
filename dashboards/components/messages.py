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


def not_available(page: str, access, who) -> list:
    """A page the signed-in user's role may not open (the server refused it: 403)."""
    from dashboards.auth.roles import ROLE_ACCESS

    roles = [r.value for r, granted in ROLE_ACCESS.items() if access in granted]
    you = who.describe() if who is not None else "not signed in"
    return [
        html.H1("Not available to your role"),
        dbc.Alert(
            [
                html.P(f"“{page}” is for these roles: {', '.join(roles)}."),
                html.P(f"You are signed in as {you}.", className="mb-0"),
            ],
            color="warning",
            className="not-available",
        ),
        html.P(["Ask an administrator if you need it. ", dcc.Link("Home", href="/"), "."]),
    ]


def not_in_scope(page: str, why: str) -> list:
    """Part of a page is outside the signed-in user's scope (refused and recorded)."""
    return [
        html.H1("Not in your scope"),
        dbc.Alert(
            [
                html.P(why, className="mb-1"),
                html.P(
                    f"“{page}” shows only what your role and scope allow; this request was refused "
                    "and recorded.",
                    className="mb-0",
                ),
            ],
            color="warning",
            className="not-in-scope",
        ),
        html.P(dcc.Link("Home", href="/")),
    ]
