"""The districts of an LA, each linking to its page, with how many children each of its
action lists holds (counts only: the children are on the district pages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from dash import dcc, html

from dashboards import data, ids
from dashboards import formatting as fmt
from dashboards.components import messages
from dashboards.views import action_lists
from dashboards.views.common import district_href, is_mine, resolve_la
from dashboards.views.district import known_districts

HEADINGS = {
    "rhi": "RHIs to arrange",
    "pep": "PEPs outstanding",
    "care_leavers": "Care leavers to contact",
    "cla_unallocated": "Children without a worker",
}


@data.memo
def table_rows(la: str) -> list[dict[str, Any]]:
    """One row per district: teams, population 0–17, children looked after (latest
    ``cla_count``) and the size of each action list (None when the list is not published).
    Shared per snapshot: read-only."""
    dims = data.district_table(la).set_index("district")
    comparison = data.district_comparison(la)
    looked_after = comparison[comparison["kpi_id"] == "cla_count"].set_index("district")
    counts = data.action_list_counts(la)
    published = {name for name, table in data.ACTION_LISTS.items() if data.has_table(table)}
    missing = action_lists.not_supplied_kpis(la)
    rows = []
    for district in known_districts(la):
        dim = dims.loc[district].to_dict() if district in dims.index else {}
        cla = looked_after.loc[district].to_dict() if district in looked_after.index else {}
        rows.append(
            {
                "district": district,
                "teams": dim.get("teams"),
                "population": dim.get("population_0_17"),
                "looked_after": fmt.format_value(cla.get("value"), "count", 0, cla.get("status"))
                if cla
                else "–",
                **{
                    name: _list_size(name, counts, published, district, missing)
                    for name in data.ACTION_LISTS
                },
            }
        )
    return rows


def _list_size(
    name: str,
    counts: pd.DataFrame,
    published: set[str],
    district: str,
    missing: frozenset[str],
):
    """How many of the list are in ``district``; None when the list is not published,
    "not supplied" when the LA did not supply what it is drawn from."""
    if name not in published:
        return None
    found = counts.loc[(counts["list"] == name) & (counts["district"] == district), "rows"]
    size = int(found.sum())
    if size == 0 and action_lists.KPI_OF_LIST[name] in missing:
        return fmt.NOT_SUPPLIED
    return size


def _cell(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return fmt.format_count(value)


def page(query: Mapping[str, Any]) -> list:
    notes: list[str] = []
    la = resolve_la(query.get("la"), notes)
    head = [
        html.H1("Districts"),
        html.P(
            "Each district's page compares its KPIs with the LA and the other districts, "
            "shows its caseloads and lists the children its teams need to act on.",
            className="lead",
        ),
        *messages.query_messages(notes),
    ]
    if la is None:
        return [*head, messages.notice("The published snapshot holds no KPI values yet.", "info")]
    rows = table_rows(la)
    headings = [
        "District",
        "Teams",
        "Population aged 0–17",
        "Children looked after",
        *[HEADINGS[name] for name in data.ACTION_LISTS],
    ]
    body = [
        html.Tr(
            [
                html.Th(
                    dcc.Link(r["district"], href=district_href(r["district"], la=la))
                    if is_mine(la, r["district"])
                    else r["district"],
                    scope="row",
                ),
                html.Td(_cell(r["teams"]), className="text-end"),
                html.Td(_cell(r["population"]), className="text-end"),
                html.Td(r["looked_after"], className="text-end"),
                *[html.Td(_cell(r[name]), className="text-end") for name in data.ACTION_LISTS],
            ],
            **{"data-district": r["district"]},
        )
        for r in rows
    ]
    table = html.Table(
        [
            html.Caption(f"Districts of {data.la_label(la)}", className="visually-hidden"),
            html.Thead(
                html.Tr(
                    [
                        html.Th(h, scope="col", className="text-end" if i else None)
                        for i, h in enumerate(headings)
                    ]
                )
            ),
            html.Tbody(body),
        ],
        className="table table-sm",
        id=ids.DISTRICTS_TABLE,
    )
    return [
        *head,
        html.Div(table, className="table-responsive"),
        html.P(
            "Action lists are as at the latest extract. A child looked after without a "
            "worker counts in Unallocated and in the district of their last worker. "
            "Each district's page (linked for your districts) lists its children.",
            className="small text-body-secondary",
        ),
    ]
