"""The frame around every page: skip link, navbar (from the page registry), LA selector,
data-freshness banner, the warning about a rejected delivery and the volume warning (a
table of the data in use that moved far from the extract before it)."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import flask
import pandas as pd
from dash import ALL, Input, Output, State, ctx, dcc, html

from dashboards import data, ids, quality, urlstate
from dashboards import formatting as fmt
from dashboards.auth import Access, web
from dashboards.auth.context import current_principal
from dashboards.components import messages


def nav_pages() -> list[dict[str, Any]]:
    """Pages that appear in the navbar (``nav=True`` in ``register_page``) that the
    signed-in user may open, in order."""
    who = current_principal()
    pages = [
        p
        for p in dash.page_registry.values()
        if p.get("nav") and who is not None and who.can(p.get("access") or "none")
    ]
    return sorted(pages, key=lambda p: (p.get("order") or 0, p["name"]))


def _user_box() -> list:
    """Who is signed in, and the sign-out button (a POST form with its CSRF token)."""
    who = current_principal()
    if who is None or not flask.has_request_context():
        return []
    roles = ", ".join(sorted(r.value for r in who.roles)) or "no role"
    return [
        html.Span(
            [html.Span(who.display_name or who.name, className="fw-semibold"), f" · {roles}"],
            className="navbar-text text-white small me-2 signed-in-as",
            title=who.describe(),
        ),
        html.Form(
            [
                dcc.Input(
                    type="hidden", name="csrf_token", value=web.csrf_token(), id=ids.SIGN_OUT_TOKEN
                ),
                html.Button("Sign out", type="submit", className="btn btn-outline-light btn-sm"),
            ],
            method="POST",
            action="/logout",
            className="d-flex align-items-center ms-lg-2",
            id=ids.SIGN_OUT_FORM,
        ),
    ]


def demo_banner() -> list:
    """On every page in demo mode: which data, which accounts, which computer."""
    if not web.demo_mode():
        return []
    return [
        dbc.Alert(
            [
                html.Strong("Demo mode: "),
                "synthetic data, demo accounts (printed by make demo), served on this computer "
                "only. Never put real children's data in a demo.",
            ],
            color="warning",
            className="demo-mode mb-0 rounded-0 text-center",
        )
    ]


def _la_option(la: str) -> str:
    """``"Hampshire (850)"`` in the LA selector; the code alone without a name."""
    label = data.la_label(la)
    return la if label == f"LA {la}" else f"{label} ({la})"


def navbar(las: list[str]) -> dbc.Navbar:
    links = [
        dbc.NavItem(
            dbc.NavLink(
                page["name"],
                href=page["relative_path"],
                id=ids.nav_link(page["path"]),
                active="exact",
            )
        )
        for page in nav_pages()
    ]
    la_select = html.Div(
        [
            dbc.Label("Local authority", html_for=ids.LA_SELECT, className="me-2 mb-0 text-white"),
            dbc.Select(
                id=ids.LA_SELECT,
                options=[{"label": _la_option(la), "value": la} for la in las],
                value=las[0] if las else None,
                size="sm",
                style={"width": "13rem"},
            ),
        ],
        id=ids.LA_SELECT_WRAPPER,
        className="d-flex align-items-center ms-lg-3" + ("" if len(las) > 1 else " d-none"),
    )
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand("Children's social care performance", href="/"),
                dbc.NavbarToggler(id=ids.NAVBAR_TOGGLER, n_clicks=0),
                dbc.Collapse(
                    [dbc.Nav(links, navbar=True, className="me-auto"), la_select, *_user_box()],
                    id=ids.NAVBAR_COLLAPSE,
                    is_open=False,
                    navbar=True,
                ),
            ],
            fluid=True,
        ),
        className="csc-navbar",
        color="dark",
        dark=True,
        expand="lg",
    )


def freshness_banner(la: str | None) -> list:
    """ "Data as at <latest extract date> · published <when>", and rejected deliveries."""
    who = current_principal()
    explain = who is not None and who.can(Access.DATA_QUALITY, la)
    try:
        info = data.freshness(la)
        rejected = data.rejected_loads(la) if la else pd.DataFrame()
        # The findings (files, counts) for those who fix extracts; the others are told
        # that there are some.
        volume = data.volume_checks(la, served_only=True) if la and explain else pd.DataFrame()
        volume_count = len(volume) if explain else data.volume_warnings(la) if la else 0
    except data.NoSnapshot:
        return [messages.no_snapshot()]
    parts = []
    if la:
        parts.append(html.Span(data.la_label(la), className="fw-semibold"))
    if info["extract_date"] is not None:
        parts.append(f"Data as at {fmt.format_date(info['extract_date'])}")
    if info["published_at"] is not None:
        parts.append(f"published {fmt.format_datetime(info['published_at'])}")
    line = []
    for part in parts:
        if line:
            line.append(" · ")
        line.append(part)
    banner: list = [html.P(line or "Freshness not recorded", className="freshness mb-2")]
    if not rejected.empty:
        # Why (file, line, rule — a rule's message can quote a child's id) is for those who
        # fix extracts; everyone else is told that the figures are older.
        items = [
            html.Li(
                f"{r['source_file']} ({fmt.format_datetime(r['loaded_at'])})"
                # The first clause (file, line, rule): the whole reason, on the
                # data-quality page, can list dozens of rules.
                + (f": {quality.short_reason(r['message'])}" if r.get("message") else "")
            )
            for r in rejected.head(5).to_dict("records")
        ]
        why = [
            dcc.Link(
                "Why, on the data-quality page",
                href=f"/data-quality?la={la}",
                className="alert-link",
            ),
            ".",
            html.Ul(items, className="mb-0 small"),
        ]
        banner.append(
            dbc.Alert(
                [
                    html.Strong(f"The latest delivery for {data.la_label(la)} was rejected. "),
                    "These figures come from the data loaded before it. ",
                    *(why if explain else []),
                ],
                color="danger",
                className="rejected-load",
            )
        )
    if volume_count:
        details = [
            dcc.Link(
                "Details on the data-quality page",
                href=f"/data-quality?la={la}",
                className="alert-link",
            ),
            ".",
            html.Ul(
                [html.Li(line) for line in quality.volume_alerts(volume.head(5))],
                className="mb-0 small",
            ),
        ]
        banner.append(
            dbc.Alert(
                [
                    html.Strong(f"Volume warning for LA {la}: "),
                    "a table of the data in use moved far from the extract before it. "
                    "Check these figures before relying on them. ",
                    *(details if explain else []),
                ],
                color="warning",
                className="volume-warning",
            )
        )
    return banner


def shell_layout() -> html.Div:
    """``app.layout``: a function, so the LA list (the user's) is read per page load, not
    at import. Dash also calls it once without a user, at its first request."""
    try:
        las = data.las()
    except (data.NoSnapshot, data.NotAllowed):
        las = []
    return html.Div(
        [
            html.A("Skip to main content", href="#main-content", className="skip-link"),
            dcc.Location(id=ids.SHELL_URL, refresh=True),
            *demo_banner(),
            navbar(las),
            dbc.Container(
                html.Div(id=ids.FRESHNESS, **{"aria-live": "polite"}), fluid=True, className="pt-2"
            ),
            html.Main(
                dbc.Container(dash.page_container, fluid=True, className="pb-5"),
                id="main-content",
                tabIndex="-1",
            ),
        ]
    )


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(ids.FRESHNESS, "children"),
        Output(ids.LA_SELECT, "value"),
        Output(ids.SHELL_URL, "href"),
        Output(ids.nav_link(ALL), "href"),
        Input(ids.PAGES_LOCATION, "search"),
        Input(ids.LA_SELECT, "value"),
        State(ids.PAGES_LOCATION, "pathname"),
        State(ids.nav_link(ALL), "id"),
    )
    def sync_la(search, selected, pathname, nav_ids):
        """The LA comes from the URL; choosing another LA reloads the page with ``?la=``."""
        keep = [dash.no_update] * len(nav_ids)
        try:
            las = data.las()
        except data.NoSnapshot:
            return [messages.no_snapshot()], dash.no_update, dash.no_update, keep
        la = urlstate.resolve_la(urlstate.parse_search(search).get("la"), las, [])
        if ctx.triggered_id == ids.LA_SELECT and selected and selected != la:
            return dash.no_update, dash.no_update, (pathname or "/") + f"?la={selected}", keep
        hrefs = [
            nav["index"] + (urlstate.encode({"la": la}) if len(las) > 1 else "") for nav in nav_ids
        ]
        return freshness_banner(la), la, dash.no_update, hrefs

    @app.callback(
        Output(ids.NAVBAR_COLLAPSE, "is_open"),
        Input(ids.NAVBAR_TOGGLER, "n_clicks"),
        State(ids.NAVBAR_COLLAPSE, "is_open"),
        prevent_initial_call=True,
    )
    def toggle_navbar(n_clicks, is_open):
        return not is_open
