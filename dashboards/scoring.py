"""Targets, RAG, direction of travel and comparators (kpis.md, "Targets, RAG and
comparators"). Pure functions over DataFrames and numbers, no Dash, no I/O.

- RAG: green when the value meets the target, amber when it misses by no more than the
  KPI's tolerance, red otherwise; ``info`` KPIs, and values that are "no cases" or "not
  supplied", have no RAG. The value is compared as shown, i.e. rounded to the KPI's
  decimals, so a tile reading "80.0%" against a target of 80 is green.
- Direction of travel: the change since last month (the previous period) and since the
  same point last year, "improving" / "declining" by polarity; ``info`` KPIs get "up" /
  "down"; equal when shown is "no change".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboards import formatting as fmt

GREEN, AMBER, RED = "green", "amber", "red"
IMPROVING, DECLINING, NO_CHANGE, UP, DOWN = "improving", "declining", "no change", "up", "down"
RAG_TEXT = {GREEN: "Green", AMBER: "Amber", RED: "Red"}
RAG_MEANING = {
    GREEN: "meets target",
    AMBER: "misses target, within tolerance",
    RED: "misses target by more than the tolerance",
}

#: Comparator names as shown, in column order, with the words that identify them in the
#: comparators seed.
COMPARATORS = {
    "England": ("england", "national"),
    "South East": ("south east", "south_east", "region"),
    "Statistical neighbours": ("neighbour", "neighbor", "sn_"),
}

_EPSILON = 1e-9


# ##### RAG and direction


def _rounded(value: float, decimals: int | None) -> float:
    return value if decimals is None else round(value, decimals)


def rag(
    value: Any,
    target: Any,
    tolerance: Any,
    polarity: str,
    decimals: int | None = None,
    status: str | None = "ok",
) -> str | None:
    """``"green"`` / ``"amber"`` / ``"red"``, or None when there is nothing to judge."""
    v, t = fmt.safe_float(value), fmt.safe_float(target)
    if polarity not in ("higher", "lower") or status not in (None, "ok") or v is None or t is None:
        return None
    v = _rounded(v, decimals)
    tol = abs(fmt.safe_float(tolerance) or 0.0)
    shortfall = (t - v) if polarity == "higher" else (v - t)
    if shortfall <= _EPSILON:
        return GREEN
    if shortfall <= tol + _EPSILON:
        return AMBER
    return RED


def direction(
    current: Any, previous: Any, polarity: str, decimals: int | None = None
) -> str | None:
    """How ``current`` compares with ``previous``; None when either is missing."""
    c, p = fmt.safe_float(current), fmt.safe_float(previous)
    if c is None or p is None:
        return None
    change = _rounded(c, decimals) - _rounded(p, decimals)
    if abs(change) <= _EPSILON:
        return NO_CHANGE
    if polarity == "higher":
        return IMPROVING if change > 0 else DECLINING
    if polarity == "lower":
        return IMPROVING if change < 0 else DECLINING
    return UP if change > 0 else DOWN


# ##### Points of a series to compare


@dataclass(frozen=True)
class Points:
    """The latest row of a series, the one before it, and the same point a year before."""

    latest: dict | None
    previous: dict | None
    year_ago: dict | None


def comparison_points(series: pd.DataFrame, at: Any = None) -> Points:
    """Latest (or the row ending at ``at``), previous and year-ago rows of one series.

    "Same point last year" is the period that started one year earlier (the same month,
    term or collection year), so a partial latest month is compared with the whole of the
    same month a year before.
    """
    if series.empty:
        return Points(None, None, None)
    rows = series.sort_values("period_end")
    if at is not None:
        rows = rows[rows["period_end"] <= pd.Timestamp(at)]
    if rows.empty:
        return Points(None, None, None)
    # Only the rows compared become records (a series can be years of months).
    starts = pd.to_datetime(rows["period_start"]).to_numpy()
    year_start = pd.Timestamp(starts[-1]) - pd.DateOffset(years=1)
    same = np.flatnonzero(starts == year_start.to_datetime64())
    last = len(rows) - 1
    picked = rows.iloc[[last, max(last - 1, 0), same[-1] if len(same) else last]]
    latest, previous, year_ago = picked.to_dict("records")
    return Points(latest, previous if last else None, year_ago if len(same) else None)


def points_of(rows: list[dict]) -> Points:
    """``comparison_points`` of a series already as records, oldest first."""
    if not rows:
        return Points(None, None, None)
    latest = rows[-1]
    previous = rows[-2] if len(rows) > 1 else None
    year_start = pd.Timestamp(latest["period_start"]) - pd.DateOffset(years=1)
    year_ago = next(
        (row for row in reversed(rows) if pd.Timestamp(row["period_start"]) == year_start), None
    )
    return Points(latest, previous, year_ago)


def _value_if_ok(row: dict | None) -> float | None:
    if row is None or row.get("status") not in (None, "ok"):
        return None
    return fmt.safe_float(row.get("value"))


def change_between(
    row: dict | None, earlier: dict | None, polarity: str, decimals: int | None
) -> str | None:
    return direction(_value_if_ok(row), _value_if_ok(earlier), polarity, decimals)


# ##### Targets and comparators


def _text(value: Any) -> str | None:
    """A cell as pandas' ``astype("string")`` writes it (None for a blank)."""
    return None if fmt.is_missing(value) else str(value)


def _matching(rows: list[dict], column: str, wanted: Any, columns: set[str]) -> list[dict]:
    """Rows for ``wanted`` in ``column``, else rows where it is blank (applies to all)."""
    if column not in columns or wanted is None:
        return rows
    exact = [row for row in rows if _text(row[column]) == str(wanted)]
    if exact:
        return exact
    return [row for row in rows if _text(row[column]) in (None, "", "all", "ALL")]


def _number(value: Any) -> float | None:
    """``value`` as a number, None when it is blank or not a number."""
    if fmt.is_missing(value) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


class Lookup:
    """Targets and comparators by KPI, read once from their frames: ``target`` and
    ``comparators`` follow ``pick_target`` and ``pick_comparators``."""

    def __init__(self, targets: pd.DataFrame | None, comparators: pd.DataFrame | None):
        self._targets, self._target_columns = self._by_kpi(targets)
        self._comparators, self._comparator_columns = self._by_kpi(comparators)

    @staticmethod
    def _by_kpi(frame: pd.DataFrame | None) -> tuple[dict[str, list[dict]], set[str]]:
        if frame is None or frame.empty or "kpi_id" not in frame.columns:
            return {}, set()
        rows: dict[str, list[dict]] = {}
        for row in frame.to_dict("records"):
            rows.setdefault(row["kpi_id"], []).append(row)
        return rows, set(frame.columns)

    def target(
        self, kpi_id: str, breakdown: str | None = None, la: str | None = None
    ) -> tuple[float | None, float | None]:
        columns = self._target_columns
        rows = _matching(self._targets.get(kpi_id, []), "breakdown", breakdown, columns)
        rows = _matching(rows, "la_code", la, columns)
        if not rows or "target" not in columns:
            return None, None
        row = rows[0]
        target = fmt.safe_float(row.get("target"))
        tolerance = fmt.safe_float(row.get("tolerance")) if "tolerance" in columns else None
        return target, (tolerance if target is not None else None)

    def comparators(self, kpi_id: str, breakdown: str | None = None) -> dict[str, dict | None]:
        found: dict[str, dict | None] = dict.fromkeys(COMPARATORS)
        columns = self._comparator_columns
        rows = self._comparators.get(kpi_id, [])
        if breakdown is not None and "breakdown" in columns:
            rows = [row for row in rows if _text(row["breakdown"]) == str(breakdown)]
        named = [
            (name, row)
            for row in rows
            if (name := comparator_name(row["comparator"])) is not None
            and _number(row["value"]) is not None
        ]
        year_col = "year" if "year" in columns else None
        if year_col:  # oldest first, blank years last (as pandas sorts them)
            named.sort(key=lambda item: (_text(item[1][year_col]) is None,
                                         _text(item[1][year_col]) or ""))  # fmt: skip
        latest = {name: row for name, row in named}  # the last of each comparator
        for name in sorted(latest):
            row = latest[name]
            found[name] = {
                "value": float(row["value"]),
                "year": None
                if not year_col or fmt.is_missing(row[year_col])
                else str(row[year_col]),
                "source": None if fmt.is_missing(row.get("source")) else str(row.get("source")),
            }
        return found


def pick_target(
    targets: pd.DataFrame, kpi_id: str, breakdown: str | None = None, la: str | None = None
) -> tuple[float | None, float | None]:
    """(target, tolerance) of a KPI, or (None, None) when the board has set none."""
    return Lookup(targets, None).target(kpi_id, breakdown, la)


def comparator_name(raw: Any) -> str | None:
    text = str(raw).strip().lower()
    for name, words in COMPARATORS.items():
        if text == name.lower() or any(w in text for w in words):
            return name
    return None


def pick_comparators(
    comparators: pd.DataFrame, kpi_id: str, breakdown: str | None = None
) -> dict[str, dict | None]:
    """Latest published figure per comparator: {name: {value, year, source}} or None.

    A comparator with no published figure in any year is None ("not published"); a figure
    is never filled in from another comparator, breakdown (a published 19–21 figure is not
    shown against 17–21) or year without its own year label.
    """
    return Lookup(None, comparators).comparators(kpi_id, breakdown)


def comparator_text(figure: dict | None, unit: str | None, decimals: Any = None) -> str:
    if figure is None:
        return fmt.NOT_PUBLISHED
    text = fmt.format_value(figure["value"], unit, decimals)
    return f"{text} ({figure['year']})" if figure.get("year") else text


# ##### The board scorecard


def headline_breakdown(breakdowns: Any) -> str | None:
    """The breakdown a KPI is headlined by: ``all``, else ``17-21`` (care leavers), else the
    first listed. ``breakdowns`` is the catalogue's list (``"all|care|home"``) or a list."""
    if isinstance(breakdowns, str):
        breakdowns = [b.strip() for b in breakdowns.replace(",", "|").split("|") if b.strip()]
    elif fmt.is_missing(breakdowns):
        breakdowns = []
    options = list(breakdowns)
    for preferred in ("all", "17-21"):
        if preferred in options:
            return preferred
    return options[0] if options else None


def scorecard_frame(
    catalogue: pd.DataFrame,
    headline: pd.DataFrame,
    targets: pd.DataFrame,
    comparators: pd.DataFrame,
    la: str | None = None,
) -> pd.DataFrame:
    """One row per catalogue KPI: latest headline value, target, RAG, comparators, travel."""
    lookup = Lookup(targets, comparators)
    series_of: dict[str, list[dict]] = {}
    if not headline.empty:
        ordered = headline.sort_values(["kpi_id", "period_end"], kind="stable")
        for row in ordered.to_dict("records"):
            series_of.setdefault(row["kpi_id"], []).append(row)
    records = []
    for kpi in catalogue.to_dict("records"):
        kpi_id, unit, polarity = kpi["kpi_id"], kpi.get("unit"), kpi.get("polarity")
        decimals = fmt.decimals_for(unit, kpi.get("decimals"))
        points = points_of(series_of.get(kpi_id, []))
        latest = points.latest or {}
        breakdown = latest.get("breakdown") or headline_breakdown(kpi.get("breakdowns"))
        target, tolerance = lookup.target(kpi_id, breakdown, la)
        status = latest.get("status") if latest else None
        record = {
            "kpi_id": kpi_id,
            "name": kpi.get("name"),
            "area": kpi.get("area"),
            "unit": unit,
            "polarity": polarity,
            "decimals": decimals,
            "breakdown": breakdown,
            "period_type": latest.get("period_type"),
            "period": (
                fmt.period_label(
                    latest["period_type"],
                    latest["period_start"],
                    latest["period_end"],
                    latest.get("is_partial"),
                )
                if latest
                else ""
            ),
            "value": _value_if_ok(points.latest),
            "status": status,
            "display": (
                fmt.format_value(latest.get("value"), unit, decimals, status)
                if latest
                else fmt.NO_FIGURE
            ),
            "numerator": latest.get("numerator"),
            "denominator": latest.get("denominator"),
            "target": target,
            "tolerance": tolerance,
            "target_display": "" if target is None else fmt.format_value(target, unit, decimals),
            "rag": rag(latest.get("value"), target, tolerance, polarity, decimals, status)
            if latest
            else None,
            "vs_previous": change_between(points.latest, points.previous, polarity, decimals),
            "vs_year_ago": change_between(points.latest, points.year_ago, polarity, decimals),
        }
        for name, figure in lookup.comparators(kpi_id, breakdown).items():
            record[name] = comparator_text(figure, unit, decimals)
        records.append(record)
    return pd.DataFrame.from_records(records)
