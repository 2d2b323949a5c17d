"""SPC applied to the KPIs: which points of a KPI's series are judged, and what the
board is told (variation, assurance and direction of travel). Pure functions over the
frames ``data`` returns; the statistics are in ``spc``.

Which points: every period of the series with a figure (status ``ok``), oldest first,
except a partial latest period (a month measured part-way, "as at" the extract date),
which is shown but not judged until it is complete. A period with no figure ("no
cases", "not supplied") is left out rather than counted as zero.

Which KPIs: every KPI with at least ``spc.MIN_POINTS`` such periods, except those
measured over a rolling 12-month window (``ROLLING_KPIS``): each month shares eleven
months with the one before, so runs and trends appear without any change, and Making
Data Count advises against SPC on rolling figures. They keep a plain comparison with
the same point last year (whose window does not overlap), marked "not tested".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboards import formatting as fmt
from dashboards import scoring, spc

#: KPIs whose every figure covers the 12 months to the date (kpis.md A and E).
ROLLING_KPIS = frozenset({"missing_cla_pct", "placement_3plus_pct"})
ROLLING_REASON = (
    "SPC is not applied to a rolling 12-month figure: consecutive months share eleven "
    "months of data, so runs and trends appear without any real change."
)

SIGNAL_COLUMNS = [
    "kpi_id",
    "spc_variation",
    "spc_assurance",
    "spc_travel",
    "spc_note",
    "spc_judged_to",
    "spc_points",
]


@dataclass(frozen=True)
class Signal:
    """What SPC says about one KPI series (``spc`` is None when it is not applied)."""

    kpi_id: str
    spc: spc.Spc | None
    reason: str
    rows: tuple[dict, ...]  # the periods judged, oldest first (aligned with spc.values)
    partial: dict | None  # a partial latest period left out, if any

    @property
    def applied(self) -> bool:
        return self.spc is not None and self.spc.eligible

    @property
    def variation(self) -> str | None:
        return self.spc.variation if self.applied else None

    @property
    def assurance(self) -> str | None:
        return self.spc.assurance if self.applied else None

    @property
    def travel(self) -> str | None:
        return self.spc.travel if self.applied else None

    @property
    def judged_to(self) -> str:
        """The label of the last period judged (``"Jan 2025"``), or ""."""
        if not self.rows:
            return ""
        row = self.rows[-1]
        return fmt.period_label(
            row.get("period_type") or "month", row["period_start"], row["period_end"]
        )

    def note(self) -> str:
        """What the board reads under the icons: the verdict and why, or why there is none."""
        if not self.applied:
            return self.reason
        text = self.spc.explain() if self.spc else ""
        if self.partial is not None:
            text += (
                f" Judged on complete periods to {self.judged_to}; the latest, partial "
                "period is shown but not judged."
            )
        return text


def judged_rows(series: pd.DataFrame) -> tuple[list[dict], dict | None]:
    """(the rows SPC judges, oldest first; the partial latest row left out, or None)."""
    if series.empty:
        return [], None
    rows = series.sort_values("period_end").to_dict("records")
    partial = None
    if rows and bool(rows[-1].get("is_partial")) and not fmt.is_missing(rows[-1].get("is_partial")):
        partial = rows.pop()
    kept = [
        r
        for r in rows
        if r.get("status") in (None, "ok") and fmt.safe_float(r.get("value")) is not None
    ]
    return kept, partial


def kpi_signal(
    series: pd.DataFrame,
    kpi: dict[str, Any],
    target: float | None,
    *,
    at: Any = None,
    baseline: int | None = None,
) -> Signal:
    """SPC of one KPI ``series`` (``kpi_values`` rows of one district and breakdown), as
    it stood at ``at`` (periods ending on or before it; None = all)."""
    kpi_id = str(kpi.get("kpi_id"))
    if at is not None and not series.empty:
        series = series[pd.to_datetime(series["period_end"]) <= pd.Timestamp(at)]
    rows, partial = judged_rows(series)
    if not rows:
        return Signal(kpi_id, None, "No figures to judge.", (), partial)
    if kpi_id in ROLLING_KPIS:
        return Signal(kpi_id, None, ROLLING_REASON, tuple(rows), partial)
    values = [float(r["value"]) for r in rows]
    if baseline is not None and baseline > len(values):
        baseline = None
    result = spc.xmr(values, kpi.get("polarity"), target=target, baseline=baseline)
    return Signal(kpi_id, result, result.reason, tuple(rows), partial)


def _grouped(headline: pd.DataFrame) -> dict[str, pd.DataFrame]:
    if headline.empty:
        return {}
    return {str(k): g for k, g in headline.groupby("kpi_id", sort=False)}


def headline_signals(
    catalogue: pd.DataFrame,
    headline: pd.DataFrame,
    lookup: scoring.Lookup,
    la: str | None = None,
    at: Any = None,
) -> dict[str, Signal]:
    """Each catalogue KPI's signal from its LA-total headline series (as at ``at``)."""
    series_of = _grouped(headline)
    out: dict[str, Signal] = {}
    for kpi in catalogue.to_dict("records"):
        kpi_id = str(kpi["kpi_id"])
        series = series_of.get(kpi_id, pd.DataFrame(columns=headline.columns))
        breakdown = None if series.empty else series["breakdown"].iloc[0]
        target, _tolerance = lookup.target(kpi_id, breakdown, la)
        out[kpi_id] = kpi_signal(series, kpi, target, at=at)
    return out


def signals_frame(signals: dict[str, Signal]) -> pd.DataFrame:
    """One row per KPI: the icons, the direction of travel, the note, as columns."""
    records = [
        {
            "kpi_id": kpi_id,
            "spc_variation": s.variation,
            "spc_assurance": s.assurance,
            "spc_travel": s.travel,
            "spc_note": s.note(),
            "spc_judged_to": s.judged_to if s.applied else "",
            "spc_points": len(s.rows) if s.applied else 0,
        }
        for kpi_id, s in signals.items()
    ]
    return pd.DataFrame.from_records(records, columns=SIGNAL_COLUMNS)


def plain_change(series: pd.DataFrame, unit: str | None, decimals: Any = None) -> str:
    """For a KPI without SPC: the change since the same point last year (else the
    previous period) in numbers, with no "improving" or "declining": two points are
    not a test. ``"up from 55.0% (2023-24); two points, not tested"``."""
    points = scoring.comparison_points(series)
    places = fmt.decimals_for(unit, decimals)
    for earlier in (points.year_ago, points.previous):
        if points.latest is None or earlier is None:
            continue
        word = scoring.change_between(points.latest, earlier, "info", places)
        then = fmt.safe_float(earlier.get("value"))
        if word is None or then is None:
            continue
        label = fmt.period_label(
            earlier.get("period_type") or "month",
            earlier["period_start"],
            earlier["period_end"],
        )
        shown = fmt.format_value(then, unit, places)
        if word == scoring.NO_CHANGE:
            return f"no change from {label} ({shown}); two points, not tested"
        return f"{word} from {shown} ({label}); two points, not tested"
    return "no earlier figure to compare"
