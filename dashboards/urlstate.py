"""Page state in the URL query string: parse, check against what the data holds, encode.

A bad value (an unknown district, a malformed month) never raises: it is replaced by
the default and a plain-English message says so, which the page shows above its content.
Pure functions, no Dash, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

ALL_DISTRICTS = "ALL"
RHI_BREAKDOWNS = {"all": "Care and home", "care": "From care", "home": "From home"}
BREAKDOWN_LABELS = {
    **RHI_BREAKDOWNS,
    "17-18": "Aged 17–18",
    "19-21": "Aged 19–21",
    "17-21": "Aged 17–21",
}
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-\d{2})?$")


def first(value: Any) -> str | None:
    """A query value as one string (a repeated key keeps its first value)."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def parse_search(search: str | None) -> dict[str, str]:
    if not search:
        return {}
    parsed = parse_qs(search.lstrip("?"), keep_blank_values=True)
    return {k: v[0] for k, v in parsed.items() if v}


def encode(params: Mapping[str, Any]) -> str:
    """``{"la": "850", "district": None}`` → ``"?la=850"`` (empty values left out)."""
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(kept) if kept else ""


def parse_month(text: str) -> str:
    """``"2025-01"`` or ``"2025-01-31"`` → ``"2025-01"``; ValueError if it is not a month."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(text)
    return f"{match.group(1)}-{match.group(2)}"


def pick(
    label: str,
    raw: Any,
    allowed: Sequence[str],
    default: str | None,
    messages: list[str],
    shown: Mapping[str, str] | None = None,
) -> str | None:
    """``raw`` if it is one of ``allowed`` (case-insensitive), else ``default`` + a message."""
    value = first(raw)
    if value is None:
        return default
    if value in allowed:
        return value
    for option in allowed:
        if option.lower() == value.lower():
            return option
    fallback = (shown or {}).get(default or "", default)
    messages.append(f"Unknown {label} “{value}”: showing {fallback} instead.")
    return default


@dataclass
class MissingState:
    """What the missing and return-interview page shows."""

    la: str | None = None
    district: str = ALL_DISTRICTS
    breakdown: str = "all"
    kpi: str | None = None
    start: str | None = None  # "YYYY-MM", inclusive
    end: str | None = None  # "YYYY-MM", inclusive; the latest month by default
    messages: list[str] = field(default_factory=list)

    def query(self, with_la: bool = True) -> dict[str, str | None]:
        params = asdict(self)
        params.pop("messages")
        if not with_la:
            params.pop("la")
        return params


def _pick_month(
    label: str, raw: Any, months: Sequence[str], default: str | None, messages: list[str]
) -> str | None:
    value = first(raw)
    if value is None:
        return default
    try:
        month = parse_month(value)
    except ValueError:
        messages.append(
            f"The {label} month “{value}” is not a month (write it as YYYY-MM, "
            f"e.g. 2025-01): showing {default or 'the latest month'} instead."
        )
        return default
    if month not in months:
        messages.append(
            f"There are no figures for {month}: showing {default or 'the latest month'} instead."
        )
        return default
    return month


def resolve_la(raw: Any, las: Sequence[str], messages: list[str]) -> str | None:
    return pick("local authority", raw, list(las), las[0] if las else None, messages)


def resolve_missing(
    query: Mapping[str, Any],
    *,
    la: str | None,
    districts: Sequence[str],
    kpis: Sequence[str],
    months: Sequence[str],
    messages: list[str] | None = None,
    default_span: int = 12,
) -> MissingState:
    """Check the query of ``/missing`` against the data of ``la`` (already checked).

    ``months`` are "YYYY-MM", oldest first. By default the page ends at the latest month
    and starts ``default_span`` months before it.
    """
    messages = [] if messages is None else messages
    state = MissingState(la=la, messages=messages)
    state.district = pick_district(query.get("district"), districts, messages)
    state.breakdown = (
        pick("breakdown", query.get("breakdown"), list(RHI_BREAKDOWNS), "all", messages) or "all"
    )
    state.kpi = pick("KPI", query.get("kpi"), list(kpis), kpis[0] if kpis else None, messages)
    latest = months[-1] if months else None
    state.end = _pick_month("end", query.get("end"), months, latest, messages)
    default_start = (
        months[max(0, months.index(state.end) - default_span)] if state.end in months else None
    )
    state.start = _pick_month("start", query.get("start"), months, default_start, messages)
    if state.start and state.end and state.start > state.end:
        messages.append(
            f"The start month {state.start} is after the end month {state.end}: swapped them."
        )
        state.start, state.end = state.end, state.start
    return state


def pick_district(raw: Any, districts: Sequence[str], messages: list[str]) -> str:
    allowed = [ALL_DISTRICTS, *districts]
    shown = {ALL_DISTRICTS: "All districts"}
    return pick("district", raw, allowed, ALL_DISTRICTS, messages, shown) or ALL_DISTRICTS


@dataclass
class KpiState:
    """What a KPI page shows (the KPI itself comes from the path, not the query)."""

    kpi_id: str | None = None
    la: str | None = None
    district: str = ALL_DISTRICTS
    breakdown: str | None = None
    messages: list[str] = field(default_factory=list)

    def query(self, with_la: bool = True) -> dict[str, str | None]:
        params = {"la": self.la, "district": self.district, "breakdown": self.breakdown}
        if not with_la:
            params.pop("la")
        return params


def resolve_kpi(
    query: Mapping[str, Any],
    *,
    kpi_id: str | None,
    la: str | None,
    districts: Sequence[str],
    breakdowns: Sequence[str],
    default_breakdown: str | None,
    messages: list[str] | None = None,
) -> KpiState:
    """Check the query of a KPI page against the data of ``la`` (already checked)."""
    messages = [] if messages is None else messages
    state = KpiState(kpi_id=kpi_id, la=la, messages=messages)
    state.district = pick_district(query.get("district"), districts, messages)
    shown = {b: BREAKDOWN_LABELS.get(b, b) for b in breakdowns}
    state.breakdown = pick(
        "breakdown", query.get("breakdown"), list(breakdowns), default_breakdown, messages, shown
    )
    return state


@dataclass
class DistrictState:
    """What a district page shows (the district comes from the path, not the query)."""

    district: str | None = None
    la: str | None = None
    period: str | None = None  # "YYYY-MM"; the latest month by default
    messages: list[str] = field(default_factory=list)

    def query(self, with_la: bool = True) -> dict[str, str | None]:
        params = {"la": self.la, "period": self.period}
        if not with_la:
            params.pop("la")
        return params


def resolve_district(
    query: Mapping[str, Any],
    *,
    district: str | None,
    la: str | None,
    months: Sequence[str],
    messages: list[str] | None = None,
) -> DistrictState:
    """Check the query of a district page against the data of ``la`` (already checked).

    ``months`` are "YYYY-MM", oldest first; the page shows the latest by default.
    """
    messages = [] if messages is None else messages
    state = DistrictState(district=district, la=la, messages=messages)
    latest = months[-1] if months else None
    state.period = _pick_month("chosen", query.get("period"), months, latest, messages)
    return state


ALL = "ALL"  # "every …" in the data-quality page's filters
SEVERITIES = {
    ALL: "Errors and warnings",
    "error": "Errors (block the extract)",
    "warning": "Warnings",
}


@dataclass
class DataQualityState:
    """What the data-quality page shows: each filter is a value or ``ALL``."""

    la: str = ALL
    year: str = ALL
    severity: str = ALL
    rule: str = ALL
    file: str = ALL
    messages: list[str] = field(default_factory=list)

    def query(self) -> dict[str, str | None]:
        params = asdict(self)
        params.pop("messages")
        return params

    def value(self, name: str) -> str | None:
        """The filter ``name`` as a query parameter: ``None`` for ``ALL``."""
        value = getattr(self, name)
        return None if value == ALL else value


def resolve_data_quality(
    query: Mapping[str, Any],
    *,
    las: Sequence[str],
    years: Callable[[str | None], Sequence[str]],
    rules: Callable[[str | None], Sequence[str]],
    files: Callable[[str | None], Sequence[str]],
    messages: list[str] | None = None,
) -> DataQualityState:
    """Check the query of ``/data-quality``. ``years``, ``rules`` and ``files`` give the
    choices for an LA (``None``: every LA), so they are asked for after the LA is known."""
    messages = [] if messages is None else messages
    state = DataQualityState(messages=messages)

    def choose(label: str, key: str, allowed: Sequence[str], shown: str) -> str:
        return pick(label, query.get(key), [ALL, *allowed], ALL, messages, {ALL: shown}) or ALL

    state.la = choose("local authority", "la", las, "all LAs")
    la = None if state.la == ALL else state.la
    state.year = choose("collection year", "year", years(la), "every year")
    state.severity = choose("severity", "severity", list(SEVERITIES)[1:], "errors and warnings")
    state.rule = choose("rule", "rule", rules(la), "every rule")
    state.file = choose("file", "file", files(la), "every file")
    return state
