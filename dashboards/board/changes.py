"""What changed since the last board: each KPI's RAG, SPC variation and assurance then and
now, the actions opened, closed and gone overdue since, and the commentary written since.
Pure functions over what ``data`` and ``board.store`` return.

"Then" is the last board meeting recorded (on or before today); the KPIs as they stood
then are worked out from today's published series, cut at the latest period that ended
on or before that date (a revised figure is judged as it is now, not as it was shown).
With no meeting recorded, "then" is the end of the period before the latest one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboards import formatting as fmt
from dashboards import scoring, signals
from dashboards.board.store import CLOSED, Action, Commentary, Meeting
from dashboards.components.spc_bits import ASSURANCE_WORD, VARIATION_WORD


@dataclass(frozen=True)
class Since:
    """The date compared with, and how to say it."""

    date: dt.date
    label: str  # "the last board (15 Oct 2026)"
    meeting: bool


def previous_month_end(headline: pd.DataFrame) -> dt.date | None:
    """The end of the month before the latest one measured in ``headline``."""
    if headline.empty:
        return None
    monthly = headline[headline["period_type"] == "month"]
    ends = sorted(pd.to_datetime(monthly["period_end"]).dt.date.unique())
    return ends[-2] if len(ends) >= 2 else None


def since(
    meetings: Sequence[Meeting], previous_month: dt.date | None, today: dt.date
) -> Since | None:
    """The last board on or before ``today``; else ``previous_month`` (the end of the
    month before the latest, ``previous_month_end``); None when there is neither."""
    held = [m for m in meetings if dt.date.fromisoformat(m.meeting_date) <= today]
    if held:
        day = max(dt.date.fromisoformat(m.meeting_date) for m in held)
        return Since(day, f"the last board ({fmt.format_date(day)})", True)
    if previous_month is None:
        return None
    label = f"the previous month ({previous_month:%b %Y}; no board recorded)"
    return Since(previous_month, label, False)


@dataclass(frozen=True)
class KpiState:
    kpi_id: str
    name: str
    period: str
    rag: str | None
    variation: str | None
    assurance: str | None


def kpi_states(
    catalogue: pd.DataFrame,
    headline: pd.DataFrame,
    lookup: scoring.Lookup,
    la: str,
    at: Any = None,
) -> dict[str, KpiState]:
    """Each KPI's RAG and SPC icons from the periods ending on or before ``at``."""
    cut = headline
    if at is not None and not headline.empty:
        cut = headline[pd.to_datetime(headline["period_end"]) <= pd.Timestamp(at)]
    found = signals.headline_signals(catalogue, cut, lookup, la)
    series_of = {str(k): g for k, g in cut.groupby("kpi_id")} if not cut.empty else {}
    out = {}
    for kpi in catalogue.to_dict("records"):
        kpi_id = str(kpi["kpi_id"])
        series = series_of.get(kpi_id)
        latest = None if series is None else series.sort_values("period_end").iloc[-1].to_dict()
        rag = None
        period = ""
        if latest is not None:
            target, tolerance = lookup.target(kpi_id, latest.get("breakdown"), la)
            places = fmt.decimals_for(kpi.get("unit"), kpi.get("decimals"))
            rag = scoring.rag(
                latest.get("value"),
                target,
                tolerance,
                kpi.get("polarity"),
                places,
                latest.get("status"),
            )
            period = fmt.period_label(
                latest["period_type"],
                latest["period_start"],
                latest["period_end"],
                latest.get("is_partial"),
            )
        signal = found.get(kpi_id)
        out[kpi_id] = KpiState(
            kpi_id,
            str(kpi.get("name") or kpi_id),
            period,
            rag,
            None if signal is None else signal.variation,
            None if signal is None else signal.assurance,
        )
    return out


@dataclass(frozen=True)
class Change:
    kpi_id: str
    name: str
    kind: str  # "rag", "variation", "assurance"
    before: str | None
    after: str | None

    def text(self) -> str:
        words = {
            "rag": lambda v: scoring.RAG_TEXT.get(v or "", "no RAG"),
            "variation": lambda v: VARIATION_WORD.get(v or "", "no SPC"),
            "assurance": lambda v: ASSURANCE_WORD.get(v or "", "no assurance"),
        }[self.kind]
        label = {"rag": "RAG", "variation": "Variation", "assurance": "Assurance"}[self.kind]
        return f"{label}: {words(self.before)} → {words(self.after)}"


def kpi_changes(before: dict[str, KpiState], after: dict[str, KpiState]) -> list[Change]:
    """RAG, variation and assurance that differ between two ``kpi_states``, by KPI."""
    out = []
    for kpi_id, now in after.items():
        then = before.get(kpi_id)
        if then is None:
            continue
        for kind in ("rag", "variation", "assurance"):
            old, new = getattr(then, kind), getattr(now, kind)
            if old != new and _news(kind, old, new):
                out.append(Change(kpi_id, now.name, kind, old, new))
    return out


def _news(kind: str, old: str | None, new: str | None) -> bool:
    """Whether a difference is news for the board. A KPI with no judgement now (no figure
    yet for a new period) has not changed; a KPI that has just reached enough points for
    SPC is news only if it shows a special cause or fails its target."""
    if new is None:
        return False
    if kind == "variation":
        special = {old, new} - {None, "common_cause"}
        return bool(special)
    if kind == "assurance":
        return old is not None or new == "fail"
    return True


def is_new_signal(change: Change) -> bool:
    """A change into special cause (from common cause or from no SPC)."""
    return change.kind == "variation" and change.after not in (None, "common_cause")


@dataclass(frozen=True)
class ActionChanges:
    opened: list[Action]
    closed: list[Action]
    became_overdue: list[Action]
    updated: list[Action]  # a new version since, neither opened nor closed by it


def action_changes(
    versions: Iterable[Action], current: Sequence[Action], since_day: dt.date, today: dt.date
) -> ActionChanges:
    """What happened to the board's actions after ``since_day``: ``versions`` are every
    version (``store.all_action_versions``), ``current`` the actions as they stand."""
    start = since_day.isoformat()
    later: dict[int, list[Action]] = {}
    for version in versions:
        if version.written_at[:10] > start:
            later.setdefault(version.id, []).append(version)
    opened = [a for a in current if a.created_at[:10] > start]
    closed = [
        a
        for a in current
        if a.status in CLOSED and any(v.status in CLOSED for v in later.get(a.id, []))
    ]
    became_overdue = [a for a in current if a.is_overdue(today) and a.due().isoformat() >= start]
    updated = [a for a in current if a.id in later and a not in opened and a not in closed]
    return ActionChanges(opened, closed, became_overdue, updated)


def commentary_since(latest: dict[str, Commentary], since_day: dt.date) -> list[Commentary]:
    """The current commentaries written after ``since_day``."""
    start = since_day.isoformat()
    return sorted((c for c in latest.values() if c.written_at[:10] > start), key=lambda c: c.kpi_id)
