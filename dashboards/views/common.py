"""Pieces several views share: KPI metadata lookup and links."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pandas as pd

from dashboards import data, scoring, urlstate
from dashboards import formatting as fmt
from dashboards.auth import Access, audit
from dashboards.components.grid import column, records

#: Columns of a "figures by period" grid (``period_rows``).
PERIOD_COLUMNS = [
    column("period", "Period"),
    column("numerator", "Numerator", numeric=True),
    column("denominator", "Denominator", numeric=True),
    column("value", "Value", numeric=True),
    column("shown", "Shown as"),
    column("status", "Status"),
]


def resolve_la(raw: Any, notes: list[str], stored: str | None = None) -> str | None:
    """The LA a page shows: ``stored`` (what the page rendered with) if the user may see
    it, else the link's ``la`` if they may, else their first LA. An LA they may not see
    (or that is not published) is refused with a message and an audit row, never shown."""
    las = data.las()
    if stored is not None:
        if stored in las:
            return stored
        audit(
            "denied",
            result="denied",
            what="la",
            la=str(stored),
            detail="page state named an LA outside the scope",
        )
    value = urlstate.first(raw)
    if value is not None and value.lower() not in {la.lower() for la in las}:
        fallback = las[0] if las else None
        notes.append(
            f"LA “{value}” is not available to you (not in your scope, or not published)"
            + (f": showing LA {fallback} instead." if fallback else ".")
        )
        audit(
            "denied",
            result="denied",
            what="la",
            la=value,
            detail="the link asked for an LA outside the scope",
        )
        return fallback
    return urlstate.resolve_la(raw, las, notes)


def my_districts(la: str | None, access: Access = Access.CHILD_LEVEL) -> list[str]:
    """The districts of ``la`` whose child-level data the user may see (a manager's own;
    every district for an analyst)."""
    if not la:
        return []
    allowed = data.principal().districts_for(access, la)
    everything = data.districts(la)
    extra = [d for d in (allowed or ()) if d not in everything]
    return [d for d in everything if allowed is None or d in allowed] + sorted(extra)


def is_mine(la: str | None, district: str, access: Access = Access.CHILD_LEVEL) -> bool:
    """Whether the user may see the child-level data of ``district`` of ``la``."""
    if not la:
        return False
    allowed = data.principal().districts_for(access, la)
    return allowed is None or district in allowed


def refuse_district(district: str, la: str | None, notes: list[str], what: str) -> None:
    """Say (and audit) that the link's district is outside the user's scope."""
    notes.append(f"{district} is not in your scope: showing your districts instead.")
    audit(
        "denied",
        result="denied",
        what=what,
        la=la,
        district=district,
        detail="the link asked for a district outside the scope",
    )


@data.memo
def lookup() -> scoring.Lookup:
    """The snapshot's targets and comparators, indexed by KPI (once per snapshot)."""
    return scoring.Lookup(data.targets(), data.comparators())


def kpi_meta(catalogue: pd.DataFrame, kpi_id: str) -> dict[str, Any]:
    """The catalogue row of ``kpi_id``; a stub named after the id when it is not listed."""
    rows = catalogue[catalogue["kpi_id"] == kpi_id]
    if rows.empty:
        return {
            "kpi_id": kpi_id,
            "name": kpi_id,
            "unit": None,
            "polarity": "info",
            "decimals": None,
        }
    return rows.iloc[0].to_dict()


def kpi_href(kpi_id: str, **query: str | None) -> str:
    return f"/kpi/{kpi_id}" + urlstate.encode(query)


def district_href(district: str, **query: str | None) -> str:
    return f"/district/{quote(district, safe='')}" + urlstate.encode(query)


def child_href(child: str, **query: str | None) -> str:
    """The child's timeline: a managers' page, never linked from board pages."""
    return f"/child/{quote(child, safe='')}" + urlstate.encode(query)


def markdown_link(text: Any, href: str) -> str:
    """A grid cell AG Grid renders as a link (``cellRenderer="markdown"``)."""
    escaped = str(text).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"[{escaped}]({href.replace(' ', '%20').replace(')', '%29')})"


def period_rows(frame: pd.DataFrame, kpi: dict, label_column: str | None = None) -> list[dict]:
    """Grid rows of KPI values: a label (the period, or ``label_column``), numerator,
    denominator, the value rounded as shown, the value as shown ("no cases"…), status."""
    unit, places = kpi.get("unit"), fmt.decimals_for(kpi.get("unit"), kpi.get("decimals"))
    if label_column:
        labels = list(frame[label_column])
    else:
        labels = [
            fmt.period_label(t, s, e, p)
            for t, s, e, p in zip(
                frame["period_type"],
                frame["period_start"],
                frame["period_end"],
                frame["is_partial"],
                strict=True,
            )
        ]
    out = pd.DataFrame(
        {
            label_column or "period": labels,
            "numerator": list(frame["numerator"]),
            "denominator": list(frame["denominator"]),
            "value": [None if fmt.is_missing(v) else round(v, places) for v in frame["value"]],
            "shown": [
                fmt.format_value(v, unit, places, s)
                for v, s in zip(frame["value"], frame["status"], strict=True)
            ],
            "status": list(frame["status"]),
        }
    )
    return records(out)
