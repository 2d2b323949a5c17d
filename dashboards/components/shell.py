"""The frame around every page: skip link, navbar (from the page registry), LA selector,
data-freshness banner and the warning about a rejected delivery."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, ctx, dcc, html

from dashboards import data, ids, quality, urlstate
from dashboards import formatting as fmt
from dashboards.components import messages


def nav_pages() -> list[dict[str, Any]]:
    """Pages that appear in the navbar (``nav=True`` in ``register_page``), in order."""
    pages = [p for p in dash.page_registry.values() if p.get("nav")]
    return sorted(pages, key=lambda p: (p.get("order") or 0, p["name"]))


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
                    [dbc.Nav(links, navbar=True, className="me-auto"), la_select],
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
    try:
        info = data.freshness(la)
        rejected = data.rejected_loads(la) if la else pd.DataFrame()
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
        items = [
            html.Li(
                f"{r['source_file']} ({fmt.format_datetime(r['loaded_at'])})"
                # The first clause (file, line, rule): the whole reason, on the
                # data-quality page, can list dozens of rules.
                + (f": {quality.short_reason(r['message'])}" if r.get("message") else "")
            )
            for r in rejected.head(5).to_dict("records")
        ]
        banner.append(
            dbc.Alert(
                [
                    html.Strong(f"The latest delivery for {data.la_label(la)} was rejected. "),
                    "These figures come from the data loaded before it. ",
                    dcc.Link(
                        "Why, on the data-quality page",
                        href=f"/data-quality?la={la}",
                        className="alert-link",
                    ),
                    ".",
                    html.Ul(items, className="mb-0 small"),
                ],
                color="danger",
                className="rejected-load",
            )
        )
    return banner


def shell_layout() -> html.Div:
    """``app.layout``: a function, so the LA list is read per page load, not at import."""
    try:
        las = data.las()
    except data.NoSnapshot:
        las = []
    return html.Div(
        [
            html.A("Skip to main content", href="#main-content", className="skip-link"),
            dcc.Location(id=ids.SHELL_URL, refresh=True),
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
