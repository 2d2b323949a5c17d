"""A district's caseloads on a date: a sentence for the district, then by team and by
worker (``marts.mart_caseloads_by_worker``; worker-level, for managers)."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboards import data, ids, managers
from dashboards import formatting as fmt
from dashboards.components import messages
from dashboards.components.grid import column, data_grid, records

ROLES = {4: "Senior practitioner", 5: "Case holder"}
TEAM_COLUMNS = [
    column("team", "Team"),
    column("case_holders", "Case holders", numeric=True),
    column("fte", "Their FTE", numeric=True),
    column("cases", "Cases", numeric=True),
    column("cases_per_fte", "Cases per FTE", numeric=True),
    column("above_threshold", "Above threshold", numeric=True),
    column("workers", "Workers in post (ROLE 4/5)", numeric=True),
]
WORKER_COLUMNS = [
    column("sw_id", "Worker"),
    column("team", "Team"),
    column("role", "Role"),
    column("fte", "FTE", numeric=True),
    column("agency", "Agency"),
    column("cases", "Cases", numeric=True),
    column("cases_per_fte", "Cases per FTE", numeric=True),
    column("above", "Above threshold"),
]


def worker_rows(workers: pd.DataFrame) -> list[dict]:
    frame = pd.DataFrame(
        {
            "sw_id": workers["sw_id"],
            "team": workers["team_name"].fillna(workers["team_id"]),
            "role": [ROLES.get(int(r), str(r)) if pd.notna(r) else "" for r in workers["role"]],
            "fte": workers["fte"],
            "agency": ["Yes" if a else "No" for a in workers["is_agency"].fillna(False)],
            "cases": workers["cases"],
            "cases_per_fte": [
                None if pd.isna(v) else round(float(v), 1) for v in workers["cases_per_fte"]
            ],
            "above": ["Yes" if a else "No" for a in workers["is_above_threshold"].fillna(False)],
        }
    )
    return records(frame.sort_values(["team", "sw_id"]))


def section(
    la: str, district: str, label: str, end: pd.Timestamp | None, not_supplied: bool
) -> list:
    """The caseloads section of ``district`` at the month ``label`` (measured on ``end``)."""
    heading = html.H2(f"Caseloads — {label}", className="h4")
    if end is None:
        return [heading, messages.notice("No month to show caseloads for.", "info")]
    if not data.has_table("marts.mart_caseloads_by_worker"):
        return [heading, messages.notice("Caseloads are not in the published snapshot yet.")]
    workers = data.caseloads(la, end, district)
    if workers.empty:
        why = (
            "Not supplied: the LA's latest extract lacks teams, workers or allocations."
            if not_supplied
            else f"No workers with ROLE 4 or 5 in post in {district} on {fmt.format_date(end)}."
        )
        return [heading, messages.notice(why, "secondary")]
    total = managers.caseload_total(workers)
    threshold = fmt.format_number(workers["threshold"].dropna().max(), 0)
    per_fte = fmt.format_number(total["cases_per_fte"], 1) or "no FTE recorded"
    holders, above = total["case_holders"], total["above_threshold"]
    summary = (
        f"On {fmt.format_date(end)}, {_plural(holders, 'case holder', 'case holders')} "
        f"({fmt.format_count(total['fte'])} FTE) {'holds' if holders == 1 else 'hold'} "
        f"{_plural(total['cases'], 'case', 'cases')}: {per_fte} per FTE. "
        f"{above} {'is' if above == 1 else 'are'} above the threshold of {threshold} cases "
        "per FTE (or hold cases with no FTE recorded). A child allocated to two workers "
        "counts for each."
    )
    return [
        heading,
        html.P(summary),
        html.H3("By team", className="h5"),
        data_grid(
            ids.DISTRICT_TEAM_TABLE,
            records(managers.team_caseloads(workers)),
            TEAM_COLUMNS,
            label=f"Caseloads by team — {district}",
        ),
        html.H3("By worker", className="h5"),
        data_grid(
            ids.DISTRICT_WORKER_TABLE,
            worker_rows(workers),
            WORKER_COLUMNS,
            label=f"Caseloads by worker — {district}",
        ),
    ]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
