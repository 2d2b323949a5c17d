"""The return-interview action list for managers: due missing episodes with no RHI yet.

Child-level data: for team managers, never on board pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards import data, ids, urlstate
from dashboards.auth import Access
from dashboards.components import messages
from dashboards.components.controls import labelled_select
from dashboards.components.grid import column, data_grid
from dashboards.views.common import (
    child_href,
    markdown_link,
    my_districts,
    refuse_district,
    resolve_la,
)

#: Columns shown (in this order) when the action list has them, with their headings.
SHOWN = {
    "child": "Child",
    "child_id": "Child",
    "district": "District",
    "team_name": "Team",
    "team": "Team",
    "sw_id": "Worker",
    "worker": "Worker",
    "source": "Missing from",
    "mis_start": "Went missing",
    "mis_end": "Returned",
    "days_since_return": "Days since return",
    "offered": "RHI offered",
    "accepted": "RHI accepted",
    "district_at_return": "District at return",
}
NUMERIC = {"days_since_return"}


def resolve(query: Mapping[str, Any], la: str | None = None) -> urlstate.KpiState:
    notes: list[str] = []
    la = resolve_la(query.get("la"), notes, stored=la)
    mine = my_districts(la)
    asked = urlstate.first(query.get("district"))
    outside = la and asked and asked.upper() != urlstate.ALL_DISTRICTS and asked not in mine
    if outside and asked.lower() in {d.lower() for d in data.districts(la)}:
        refuse_district(asked, la, notes, "action_list:rhi")
        query = {**query, "district": None}
    return urlstate.resolve_kpi(
        query,
        kpi_id=None,
        la=la,
        districts=mine,
        breakdowns=[],
        default_breakdown=None,
        messages=notes,
    )


def render(state: urlstate.KpiState) -> tuple[list, list]:
    if state.la is None:
        return [], [messages.notice("The published snapshot holds no data yet.", "info")]
    if not data.has_table("marts.action_rhi_outstanding"):
        return messages.query_messages(state.messages), [
            messages.notice("The action list is not in the published snapshot yet.", "info")
        ]
    rows = data.action_rhi(state.la, state.district)
    shown = [c for c in SHOWN if c in rows.columns] or [c for c in rows.columns if c != "la_code"]
    rows = rows[shown]
    if "child" in rows.columns:  # each child links to their timeline
        links = [markdown_link(c, child_href(str(c), la=state.la)) for c in rows["child"]]
        rows = rows.assign(child=links)
    columns = [
        column(
            c,
            SHOWN.get(c, c.replace("_", " ").capitalize()),
            numeric=c in NUMERIC,
            **({"cellRenderer": "markdown"} if c == "child" else {}),
        )
        for c in shown
    ]
    place = state.district
    if state.district == urlstate.ALL_DISTRICTS:
        place = "all districts" if _every_district(state.la) else "all your districts"
    return messages.query_messages(state.messages), [
        html.P(f"{len(rows)} episodes waiting for a return interview — {place}."),
        data_grid(ids.ACTIONS_TABLE, rows, columns, label="RHI action list"),
    ]


def _every_district(la: str) -> bool:
    return data.principal().districts_for(Access.CHILD_LEVEL, la) is None


def page(query: Mapping[str, Any]) -> list:
    state = resolve(query)
    notes, content = render(state)
    districts = my_districts(state.la)
    every = "All districts" if not state.la or _every_district(state.la) else "All your districts"
    return [
        dcc.Location(id=ids.ACTIONS_URL, refresh=False),
        dcc.Store(id=ids.ACTIONS_LA, data=state.la),
        html.H1("Return interviews to arrange"),
        dbc.Alert(
            "Child-level information for team managers. Do not copy it into board papers.",
            color="warning",
        ),
        html.P(
            "Missing episodes that ended in the last 30 days, are due an interview and have "
            "none recorded yet, longest waiting first.",
            className="lead",
        ),
        html.Div(notes, id=ids.ACTIONS_MESSAGES, **{"aria-live": "polite"}),
        dbc.Row(
            labelled_select(
                ids.ACTIONS_DISTRICT,
                "District",
                {urlstate.ALL_DISTRICTS: every, **{d: d for d in districts}},
                state.district,
                width=4,
            ),
            className="filters",
        ),
        html.Div(content, id=ids.ACTIONS_CONTENT),
    ]
