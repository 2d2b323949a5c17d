"""The figures behind the managers' pages, worked out from frames ``data`` returns: a
district against the LA and the other districts, caseloads by team, which action-list
rows belong to a district, and a child's missing episodes with their interviews.
Pure functions, no Dash, no I/O.

A district is compared with the LA by its 95 % confidence interval (``intervals``):
"significantly better / worse than the LA" only when the interval leaves out the LA's
figure, "similar" otherwise; never a rank. Ranges (lowest and highest) cover the LA's
*places* with enough cases: every district except County (county-wide teams) and
Unallocated (children with no worker in post), which are shown but not placed, and
districts with small numbers (fewer than the threshold of cases), which are marked and
never placed or judged.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboards import formatting as fmt
from dashboards import intervals, scoring
from dashboards.data import LA_TOTAL, TRAILING_DISTRICTS
from dashboards.data import in_district as rows_in_districts


def is_place(district: str) -> bool:
    return district != LA_TOTAL and district not in TRAILING_DISTRICTS


def _ok_value(row: dict[str, Any], decimals: int | None = None) -> float | None:
    """The figure if it is one ("no cases" and "not supplied" are not), rounded as shown
    (so that two districts shown alike rank alike)."""
    if row.get("status") not in (None, "ok"):
        return None
    value = fmt.safe_float(row.get("value"))
    return value if value is None or decimals is None else round(value, decimals)


def compare_district(
    frame: pd.DataFrame,
    catalogue: pd.DataFrame,
    targets: pd.DataFrame,
    district: str,
    la: str | None = None,
    threshold: float = intervals.DEFAULT_SMALL_NUMBERS,
) -> pd.DataFrame:
    """One row per catalogue KPI that ``district`` has in ``frame`` (``data.district_comparison``):
    its figure and 95 % interval, the LA's, how it compares with the LA (``verdict``,
    ``compared``), whether it has small numbers, the lowest and highest place, RAG against
    the board's target, and ``places`` (each place's figure, for the chart: places with
    small numbers are left out)."""
    out = []
    lookup = scoring.Lookup(targets, None)
    rows_of: dict[Any, list[dict]] = {}
    for record in frame.to_dict("records"):
        rows_of.setdefault(record["kpi_id"], []).append(record)
    for kpi in catalogue.sort_values(["sort_order", "kpi_id"]).to_dict("records"):
        rows = rows_of.get(kpi["kpi_id"], [])
        row = next((r for r in rows if r["district"] == district), None)
        if row is None:
            continue
        unit, polarity = kpi.get("unit"), kpi.get("polarity") or "info"
        places_dp = fmt.decimals_for(unit, kpi.get("decimals"))
        la_row = next((r for r in rows if r["district"] == LA_TOTAL), {})
        kpi_id = str(kpi["kpi_id"])

        def enough(r: dict, kpi_id: str = kpi_id, unit: Any = unit) -> bool:
            found = intervals.kpi_interval(r, kpi_id, unit)
            return found is None or not intervals.is_small(found, threshold)

        figures = {
            str(r["district"]): v
            for r in rows
            if is_place(str(r["district"]))
            and (v := _ok_value(r, places_dp)) is not None
            and enough(r)
        }
        value = _ok_value(row, places_dp)
        interval = intervals.kpi_interval(row, kpi_id, unit)
        la_value = fmt.safe_float(la_row.get("value")) if la_row.get("status") == "ok" else None
        verdict = intervals.compare(interval, la_value, polarity, unit, threshold)
        low = min(figures, key=lambda d: (figures[d], d)) if figures else None
        high = min(figures, key=lambda d: (-figures[d], d)) if figures else None
        target, tolerance = lookup.target(kpi["kpi_id"], row.get("breakdown"), la)

        def shown(v: Any, status: Any = "ok", *, unit: Any = unit, dp: int = places_dp) -> str:
            return fmt.format_value(v, unit, dp, status)

        out.append(
            {
                "kpi_id": kpi["kpi_id"],
                "name": kpi["name"],
                "area": kpi.get("area"),
                "unit": unit,
                "decimals": places_dp,
                "polarity": polarity,
                "breakdown": row.get("breakdown"),
                "period": fmt.period_label(
                    row["period_type"], row["period_start"], row["period_end"], row["is_partial"]
                ),
                "value": value,
                "status": row.get("status"),
                "shown": shown(row.get("value"), row.get("status")),
                "counts": fmt.fraction_text(row.get("numerator"), row.get("denominator"))
                if unit == "percent" and row.get("status") == "ok"
                else "",
                "la_value": _ok_value(la_row, places_dp) if la_row else None,
                "la_shown": shown(la_row.get("value"), la_row.get("status")) if la_row else "",
                "low": f"{shown(figures[low])} ({low})" if low else "–",
                "high": f"{shown(figures[high])} ({high})" if high else "–",
                "ci": ""
                if interval is None
                else f"{shown(interval.low)} to {shown(interval.high)}",
                "verdict": verdict,
                "small": intervals.is_small(interval, threshold),
                "compared": intervals.comparison_text(
                    verdict, interval, unit, threshold, row.get("status")
                ),
                "rag": scoring.rag(
                    value, target, tolerance, polarity, places_dp, row.get("status")
                ),
                "target": None if target is None else shown(target),
                "places": figures,
            }
        )
    return pd.DataFrame(out)


def _caseload_summary(workers: pd.DataFrame) -> dict[str, Any]:
    holders = workers[workers["cases"] > 0]
    fte = float(holders["fte_counted"].fillna(0).sum())
    cases = int(holders["cases"].sum())
    return {
        "workers": len(workers),
        "case_holders": len(holders),
        "fte": round(fte, 2),
        "cases": cases,
        "cases_per_fte": round(cases / fte, 1) if fte > 0 else None,
        "above_threshold": int(workers["is_above_threshold"].fillna(False).astype(bool).sum()),
    }


def team_caseloads(workers: pd.DataFrame) -> pd.DataFrame:
    """Caseloads by team from ``data.caseloads`` rows (one per worker in post): workers in
    post, case holders, their FTE and cases, cases per case-holding FTE (as
    ``caseload_avg`` counts them: a child with two workers counts for each) and how many
    are above the threshold. Largest caseload first."""
    cols = ["team", "workers", "case_holders", "fte", "cases", "cases_per_fte", "above_threshold"]
    if workers.empty:
        return pd.DataFrame(columns=cols)
    names = workers["team_name"].fillna(workers["team_id"]).fillna("No team")
    rows = [
        {"team": team, **_caseload_summary(group)}
        for team, group in workers.groupby(names, sort=True)
    ]
    frame = pd.DataFrame(rows, columns=cols)
    return frame.sort_values(
        ["cases_per_fte", "team"], ascending=[False, True], na_position="last"
    ).reset_index(drop=True)


def caseload_total(workers: pd.DataFrame) -> dict[str, Any]:
    """The same figures as ``team_caseloads`` for all the rows together."""
    return _caseload_summary(workers)


def in_district(rows: pd.DataFrame, name: str, district: str) -> pd.DataFrame:
    """The rows of action list ``name`` that belong to ``district``: where the child's
    district is (on the as-at date), and for children with no worker also where they were
    last allocated (their old district's manager reallocates them)."""
    if district == LA_TOTAL or rows.empty:
        return rows
    return rows[rows_in_districts(rows, name, {district})].reset_index(drop=True)


def missing_with_interviews(events: pd.DataFrame) -> pd.DataFrame:
    """A child's missing episodes (``data.child_events`` rows) with the interview recorded
    for each (``rhi_*`` columns, empty when none)."""
    missing = events[events["event_type"] == "missing"]
    interviews = events[events["event_type"] == "rhi"][
        ["event_ref", "start_date", "label", "detail"]
    ].rename(columns={"start_date": "rhi_date", "label": "rhi", "detail": "rhi_detail"})
    return missing.merge(interviews, on="event_ref", how="left").reset_index(drop=True)
