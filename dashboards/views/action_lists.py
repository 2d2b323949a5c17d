"""The managers' four action lists as grids: each child links to their timeline.

Child-level data, as at the LA's as-at date: for team managers, never on board pages.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from dashboards import data
from dashboards import formatting as fmt
from dashboards.components import messages
from dashboards.components.grid import column, data_grid, records
from dashboards.views.common import child_href, markdown_link

TITLES = {
    "rhi": "Missing episodes without a return interview",
    "pep": "Children without a PEP this term",
    "care_leavers": "Care leavers not in touch or NEET",
    "cla_unallocated": "Children looked after without a worker",
}
EXPLAINED = {
    "rhi": "Due missing episodes that ended in the last 30 days with no interview recorded, "
    "longest waiting first.",
    "pep": "Children of statutory school age, looked after for at least 20 working days, "
    "with no completed PEP since the term started.",
    "care_leavers": "Young people in this year's care-leaver cohort (aged 17–21) who are "
    "not in touch, or not in education, employment or training.",
    "cla_unallocated": "Children looked after with no allocated worker in post. Each counts "
    "in Unallocated, and is listed too in the district of their last worker.",
}
#: The KPI whose "not supplied" means the list cannot be drawn up either.
KPI_OF_LIST = {
    "rhi": "rhi_offered_pct",
    "pep": "pep_in_term_pct",
    "care_leavers": "cl_in_touch_pct",
    "cla_unallocated": "cla_unallocated",
}
UNITS = {
    "rhi": ("episode", "episodes"),
    "pep": ("child", "children"),
    "care_leavers": ("young person", "young people"),
    "cla_unallocated": ("child", "children"),
}
REASONS = {
    "not_in_touch": "Not in touch",
    "neet": "NEET",
    "not_in_touch_and_neet": "Not in touch and NEET",
    "no_open_allocation": "No open allocation",
    "worker_not_in_post": "Allocated worker not in post",
}
_CHILD = column("child", "Child", cellRenderer="markdown", pinned="left")
#: Columns shown (in this order) when the list has them: field -> (heading, numeric).
SHOWN: dict[str, dict[str, tuple[str, bool]]] = {
    "rhi": {
        "district": ("District", False),
        "source": ("Missing from", False),
        "mis_start": ("Went missing", False),
        "mis_end": ("Returned", False),
        "days_since_return": ("Days since return", True),
        "offered": ("RHI offered", False),
        "accepted": ("RHI accepted", False),
        "sw_id": ("Worker", False),
        "team_name": ("Team", False),
        "district_at_return": ("District at return", False),
    },
    "pep": {
        "district": ("District", False),
        "school_year_group": ("School year", False),
        "care_period_start": ("In care since", False),
        "days_in_care": ("Days in care", True),
        "last_complete_pep_date": ("Last complete PEP", False),
        "days_since_last_complete_pep": ("Days since it", True),
        "sw_id": ("Worker", False),
        "team_name": ("Team", False),
    },
    "care_leavers": {
        "district": ("District", False),
        "reason": ("Why listed", False),
        "age_group": ("Age group", False),
        "age": ("Age", True),
        "in_touch": ("In touch (OC3)", False),
        "activ": ("Activity (OC3)", False),
        "accom": ("Accommodation (OC3)", False),
        "sw_id": ("Worker", False),
        "team_name": ("Team", False),
        "district_at_birthday": ("Counted in", False),
    },
    "cla_unallocated": {
        "reason": ("Why listed", False),
        "care_period_start": ("In care since", False),
        "days_in_care": ("Days in care", True),
        "age": ("Age", True),
        "last_sw_id": ("Last worker", False),
        "last_alloc_start": ("Last allocated", False),
        "last_alloc_end": ("Allocation ended", False),
        "last_district": ("Last worker's district", False),
    },
}


@data.memo
def not_supplied_kpis(la: str) -> frozenset[str]:
    """KPIs whose latest LA figure is "not supplied" (their lists cannot be drawn up)."""
    latest = data.latest_values(la)
    if latest.empty:
        return frozenset()
    return frozenset(latest.loc[latest["status"] == "not_supplied", "kpi_id"])


def is_not_supplied(name: str, la: str) -> bool:
    return KPI_OF_LIST[name] in not_supplied_kpis(la)


def count_text(name: str, n: int) -> str:
    one, many = UNITS[name]
    return f"{n} {one if n == 1 else many}"


def grid_rows(name: str, rows: pd.DataFrame, la: str, *, with_district: bool) -> list[dict]:
    """Grid rows: the child as a link to their timeline, reasons in words."""
    fields = [f for f in SHOWN[name] if f in rows.columns and (with_district or f != "district")]
    out = rows[[c for c in ["child", *fields] if c in rows.columns]].copy()
    if "child" in out.columns:
        out["child"] = [markdown_link(c, child_href(str(c), la=la)) for c in out["child"]]
    if "reason" in out.columns:
        out["reason"] = [REASONS.get(r, r) for r in out["reason"]]
    return records(out)


def grid_columns(name: str, rows: pd.DataFrame, *, with_district: bool) -> list[dict[str, Any]]:
    shown = [
        column(f, heading, numeric=numeric)
        for f, (heading, numeric) in SHOWN[name].items()
        if f in rows.columns and (with_district or f != "district")
    ]
    return [_CHILD, *shown] if "child" in rows.columns else shown


def section(
    name: str,
    grid_name: str,
    rows: pd.DataFrame | None,
    la: str,
    place: str,
    *,
    not_supplied: bool = False,
    with_district: bool = False,
) -> html.Section:
    """One action list: heading, what it holds, how many, and the grid (or why none)."""
    head: list = [html.H3(TITLES[name], className="h5 mt-3"), html.P(EXPLAINED[name])]
    if rows is None:
        body = [messages.notice("This list is not in the published snapshot yet.", "info")]
    elif not_supplied and rows.empty:
        body = [
            messages.notice(
                f"{fmt.NOT_SUPPLIED.capitalize()}: the LA's latest extract lacks the data "
                "this list is drawn from.",
                "secondary",
            )
        ]
    elif rows.empty:
        body = [html.P(f"None — {place} has nothing on this list.", className="fw-semibold")]
    else:
        body = [
            html.P(f"{count_text(name, len(rows))} — {place}.", className="fw-semibold"),
            data_grid(
                grid_name,
                grid_rows(name, rows, la, with_district=with_district),
                grid_columns(name, rows, with_district=with_district),
                label=f"{TITLES[name]} — {place}",
            ),
        ]
    return html.Section(head + body, className="action-list")
