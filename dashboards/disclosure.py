"""Statistical disclosure control for the board and every board output (pure: pandas in,
pandas out).

Following the DfE's practice for published children's social care statistics:

- **Primary suppression:** a count from 1 to ``threshold - 1`` (1 to 5 by default) is not
  shown; the page says "fewer than 6". Zero is shown: it discloses nobody.
- **Derived figures:** a percentage, ratio or rate whose numerator or denominator is
  suppressed is suppressed too ("suppressed").
- **Secondary suppression:** where cells add up to a shown total — the districts of an LA
  to the LA total, the breakdowns of a KPI to its headline (care + home = all; 17–18 +
  19–21 = 17–21) — one suppressed cell could be worked out by subtraction. So while a
  group has exactly one hidden cell, the next smallest shown member is hidden too (else
  the total), until no group has one. Cells hidden this way were not small: the page says
  "suppressed", never "fewer than 6".

``suppress_cells`` is the general rule on any table of counts; ``suppress_kpi_values``
applies it to ``marts.kpi_values`` rows (numerator and denominator of every KPI, for every
district, breakdown and period). What it does not protect against (differences between
periods or overlapping rolling windows) is in docs/security.md.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_THRESHOLD = 6
PRIMARY = "primary"
SECONDARY = "secondary"
#: ``status`` of a suppressed KPI value: a small count, or anything else hidden.
SUPPRESSED_SMALL = "suppressed_small"
SUPPRESSED = "suppressed"
SUPPRESSED_STATUSES = frozenset({SUPPRESSED_SMALL, SUPPRESSED})

LA_TOTAL = "ALL"
#: Breakdowns that add up to another: headline → its parts.
BREAKDOWN_FAMILIES = {"all": frozenset({"care", "home"}), "17-21": frozenset({"17-18", "19-21"})}
#: KPI measures that are not counts of people or events (FTE, population): never hidden.
NOT_COUNTS = frozenset(
    {
        ("caseload_avg", "denominator"),
        ("agency_fte_pct", "numerator"),
        ("agency_fte_pct", "denominator"),
        ("cla_rate_per_10k", "denominator"),
    }
)
#: Measures stored scaled: the count is the stored figure divided by this.
SCALE = {("cla_rate_per_10k", "numerator"): 10_000.0}


@functools.cache
def threshold() -> int:
    """The deployment's threshold (``CSC_SUPPRESSION_THRESHOLD``, default 6), read once."""
    from pipelines.settings import get_security_settings

    return get_security_settings().suppression_threshold


def small_count_text(limit: int | None = None) -> str:
    return f"fewer than {limit or threshold()}"


@dataclass(frozen=True)
class Relation:
    """Cells that add up: within each group of rows sharing ``by``, the row whose
    ``column`` is ``total`` is the sum of the rows whose ``column`` is in ``members``
    (every other row when ``members`` is None)."""

    by: tuple[str, ...]
    column: str
    total: str
    members: frozenset[str] | None = None


def suppress_cells(
    cells: pd.DataFrame,
    count: str,
    relations: Sequence[Relation] = (),
    limit: int = DEFAULT_THRESHOLD,
    hidden_already: pd.Series | None = None,
) -> pd.Series:
    """For each row of ``cells``: "" (shown), ``PRIMARY`` (its ``count`` is 1 to
    ``limit - 1``) or ``SECONDARY`` (hidden so that no primary cell can be worked out from
    a total and the other cells of a ``relation``, or hidden elsewhere: ``hidden_already``,
    a boolean per row, for cells another table shows). A missing count (NaN) is unknown:
    it is never hidden, and it protects a hidden cell of its group as a hidden one would."""
    values = pd.to_numeric(cells[count], errors="coerce").to_numpy(dtype=float)
    known = ~np.isnan(values)
    hidden = known & (values >= 1) & (values < limit)
    reason = np.where(hidden, PRIMARY, "").astype(object)
    if hidden_already is not None:
        extra = known & ~hidden & hidden_already.to_numpy(dtype=bool)
        hidden |= extra
        reason[extra] = SECONDARY
    prepared = [_prepare(cells, relation) for relation in relations]
    changed = True
    while changed:
        changed = False
        for rows, groups, is_total in prepared:
            if rows.size == 0:
                continue
            add = _secondary(values[rows], known[rows], hidden[rows], groups, is_total)
            if add.size:
                targets = rows[add]
                hidden[targets] = True
                reason[targets] = SECONDARY
                changed = True
    return pd.Series(reason, index=cells.index, name="suppressed")


def _prepare(cells: pd.DataFrame, relation: Relation) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row positions in the relation, their group number, whether each is the total),
    for groups that have a total and at least one member."""
    col = cells[relation.column].astype(object)
    is_total = (col == relation.total).to_numpy()
    is_member = ~is_total if relation.members is None else col.isin(relation.members).to_numpy()
    rows = np.flatnonzero(is_total | is_member)
    if rows.size == 0:
        return rows, rows, rows.astype(bool)
    keys = cells.iloc[rows][list(relation.by)]
    groups = keys.groupby(list(relation.by), sort=False, dropna=False).ngroup().to_numpy()
    totals = np.bincount(groups, weights=is_total[rows].astype(float))
    sizes = np.bincount(groups)
    usable = (totals == 1) & (sizes >= 2)
    keep = usable[groups]
    return rows[keep], groups[keep], is_total[rows][keep]


def _secondary(
    values: np.ndarray,
    known: np.ndarray,
    hidden: np.ndarray,
    groups: np.ndarray,
    is_total: np.ndarray,
) -> np.ndarray:
    """Positions (within the relation's rows) to hide next: one per group whose only
    unknown cell is a hidden one."""
    unknown = hidden | ~known
    n_groups = groups.max() + 1
    n_unknown = np.bincount(groups, weights=unknown.astype(float), minlength=n_groups)
    n_hidden = np.bincount(groups, weights=hidden.astype(float), minlength=n_groups)
    exposed = (n_unknown == 1) & (n_hidden == 1)
    candidate = exposed[groups] & ~unknown
    if not candidate.any():
        return np.empty(0, dtype=int)
    # Hide the smallest positive member first, else the total, else a zero member.
    rank = np.where(~is_total & (values > 0), 0, np.where(is_total, 1, 2))
    order = np.lexsort((np.nan_to_num(values), rank, groups))
    order = order[candidate[order]]
    first = np.unique(groups[order], return_index=True)[1]
    return order[first]


def _kpi_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """The numerators and denominators of ``frame`` that are counts, one row each."""
    parts = []
    for measure in ("numerator", "denominator"):
        counted = ~frame["kpi_id"].map(lambda k, m=measure: (k, m) in NOT_COUNTS)
        part = frame.loc[
            counted, ["la_code", "kpi_id", "district", "breakdown", "period_type", "period_end"]
        ].copy()
        scale = frame.loc[counted, "kpi_id"].map(lambda k, m=measure: SCALE.get((k, m), 1.0))
        part["count"] = pd.to_numeric(frame.loc[counted, measure], errors="coerce") / scale
        part["measure"] = measure
        part["row"] = part.index
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def kpi_relations() -> list[Relation]:
    common = ("la_code", "kpi_id", "period_type", "period_end", "measure")
    out = [Relation(by=(*common, "breakdown"), column="district", total=LA_TOTAL)]
    for total, members in BREAKDOWN_FAMILIES.items():
        out.append(
            Relation(by=(*common, "district"), column="breakdown", total=total, members=members)
        )
    return out


def suppress_kpi_values(frame: pd.DataFrame, limit: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """``marts.kpi_values`` rows (of one or more LAs, with every district and breakdown
    of each KPI and period) as the board may see them: hidden numerators and denominators
    are null, and so is the value they make, with status ``suppressed_small`` (a count KPI
    whose own count is small: "fewer than 6") or ``suppressed``."""
    frame = frame.reset_index(drop=True)
    out = frame.copy()
    if out.empty:
        return out
    cells = _kpi_cells(out)
    cells["why"] = suppress_cells(cells, "count", kpi_relations(), limit).to_numpy()
    hidden = cells[cells["why"] != ""]
    if hidden.empty:
        return out
    for measure in ("numerator", "denominator"):
        rows = hidden.loc[hidden["measure"] == measure, "row"].to_numpy()
        out.loc[rows, measure] = np.nan
    rows = hidden["row"].unique()
    out.loc[rows, "value"] = np.nan
    small = hidden[(hidden["why"] == PRIMARY) & (hidden["measure"] == "numerator")]["row"]
    is_count = out["denominator"].isna() & frame["denominator"].isna()
    small_rows = [r for r in small.unique() if is_count.loc[r]]
    out.loc[rows, "status"] = SUPPRESSED
    out.loc[small_rows, "status"] = SUPPRESSED_SMALL
    return out


# ##### Where children are placed, seen from home (the KPI page's chart and table)

#: The KPI whose denominator is every child in the bands, and whose numerator the far ones.
DISTANCE_KPI = "placed_20_miles_pct"
DISTANCE_BANDS = (
    "up to 5 miles",
    "5-10 miles",
    "10-20 miles",
    "20-50 miles",
    "over 50 miles",
)
FAR_BANDS = frozenset({"20-50 miles", "over 50 miles"})
#: The band holding the children of ``FAR_BANDS`` (a total: the KPI's numerator).
OVER_20 = "over 20 miles"
ALL = "ALL"


def distance_relations() -> list[Relation]:
    """How the bands' cells add up: the districts to the LA; the directions of a band to
    its total; the bands of a direction (and the band totals) to all; the far bands to
    "over 20 miles"."""
    return [
        Relation(by=("direction", "distance_band"), column="district", total=LA_TOTAL),
        Relation(by=("district", "distance_band"), column="direction", total=ALL),
        Relation(
            by=("district", "direction"),
            column="distance_band",
            total=ALL,
            members=frozenset(DISTANCE_BANDS),
        ),
        Relation(
            by=("district", "direction"), column="distance_band", total=OVER_20, members=FAR_BANDS
        ),
    ]


def distance_bands(
    cells: pd.DataFrame, limit: int | None = None, kpi: pd.DataFrame | None = None
) -> pd.DataFrame:
    """``marts.mart_placement_distance_bands`` rows of one LA and date (district,
    direction, distance_band, children; every district and ``ALL``) with their totals:
    each band (direction ``ALL``), each direction (band ``ALL``), all (both ``ALL``) and
    the far bands (direction ``ALL``, band ``over 20 miles``); ``shown_as`` says how each
    is shown ("" when it is).

    With ``limit`` (the board): counts of 1 to ``limit - 1`` hidden ("fewer than 6"), and
    so many more ("suppressed") that none can be worked out from the others. ``kpi``: the
    board's ``DISTANCE_KPI`` rows of that date (district, numerator, denominator): a total
    the KPI hides (all: its denominator; over 20 miles: its numerator) is hidden here too,
    and one it shows counts as shown."""
    base = cells[["district", "direction", "distance_band", "children"]].copy()
    base["children"] = pd.to_numeric(base["children"]).astype(float)
    parts = [base]
    for keys, fill in (
        (["district", "distance_band"], {"direction": ALL}),
        (["district", "direction"], {"distance_band": ALL}),
        (["district"], {"direction": ALL, "distance_band": ALL}),
    ):
        parts.append(base.groupby(keys, as_index=False)["children"].sum().assign(**fill))
    far = base[base["distance_band"].isin(FAR_BANDS)]
    parts.append(
        far.groupby("district", as_index=False)["children"]
        .sum()
        .assign(direction=ALL, distance_band=OVER_20)
    )
    out = pd.concat(parts, ignore_index=True)[base.columns]
    out["shown_as"] = ""
    if limit is None or out.empty:
        return out
    hidden = pd.Series(False, index=out.index)
    if kpi is not None and not kpi.empty:
        for measure, band in (("denominator", ALL), ("numerator", OVER_20)):
            gone = set(kpi.loc[kpi[measure].isna(), "district"].astype(str))
            hidden |= (
                out["district"].isin(gone)
                & (out["direction"] == ALL)
                & (out["distance_band"] == band)
            )
    why = suppress_cells(out, "children", distance_relations(), limit, hidden)
    out.loc[why == PRIMARY, "shown_as"] = small_count_text(limit)
    out.loc[why == SECONDARY, "shown_as"] = SUPPRESSED
    out.loc[why != "", "children"] = np.nan
    return out
