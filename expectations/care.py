"""Periods of care, continuous care and birthdays: the building blocks of the DfE rules that
read a child's episodes in order, or one table against another (episodes against missing
periods, OC2 or OC3).

Every function works on prepared frames (``<col>__date`` columns, lineage) that may hold
many extracts: rows are only ever compared within one extract and one child, and every
step is a pandas sort, shift, merge or group-by (no loop over rows), so a rule costs about
the same on one extract as on a whole run's batch.

Where the DfE's rule leaves a reading open, the reading here is the one the DfE's own
validator (Data to Insight's ``csc-validator-be-903``) takes, unless that validator is
wrong; the rules' hints say where we differ and why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from expectations import helpers as h
from expectations.rules import Batch
from pipelines.lib import codesets

SHORT_BREAKS = list(codesets.SHORT_BREAK_LS)


def _key(frame: pd.DataFrame) -> list[str]:
    return [*h.extract_key(frame), "child"]


def is_final(frame: pd.DataFrame) -> pd.Series:
    """True for rows of a final return: an extract taken after its collection year ended."""
    return h.extract_day(frame) > h.year_end(frame)


def coverage_end(frame: pd.DataFrame) -> pd.Series:
    """The last day an extract covers: 31 March for a final return, else its extract date.
    An episode still open in an in-year extract is measured to this day, not to 31 March:
    the year has not happened yet."""
    return np.minimum(h.extract_day(frame), h.year_end(frame))


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Rows sorted within each extract and child by ``by``: a missing first date sorts
    first (the DfE's validator fills a blank DECOM with 1901), a missing later one last."""
    order = frame[_key(frame)].copy()
    for i, column in enumerate(by):
        order[column] = (
            frame[column].fillna(pd.Timestamp("1901-01-01")) if i == 0 else frame[column]
        )
    order = order.sort_values([*_key(frame), *by], kind="stable")
    return frame.loc[order.index]


def neighbour(frame: pd.DataFrame, columns: list[str], by: list[str], step: int) -> pd.DataFrame:
    """``columns`` of the previous (``step`` 1) or next (``step`` -1) row of the same child
    in its extract, ordered by ``by``; NaN where there is none. Aligned with ``frame``."""
    rows = _sorted(frame, by)
    other = rows.groupby(_key(frame), sort=False, dropna=False)[columns].shift(step)
    return other.reindex(frame.index)


def has_neighbour(frame: pd.DataFrame, by: list[str], step: int) -> pd.Series:
    rows = _sorted(frame, by)
    groups = rows.groupby(_key(frame), sort=False, dropna=False)
    position = groups.cumcount(ascending=step == 1)
    return (position > 0).reindex(frame.index)


def periods(episodes: pd.DataFrame) -> pd.DataFrame:
    """One row per period of care: ``start`` (first DECOM) and ``end`` (the DEC of its last
    episode, NaT while open), with the extract key and child. A period continues while the
    next episode starts on or before the previous one's end (the DfE validator's reading
    for rules 577 and 578)."""
    rows = _sorted(episodes[episodes["decom__date"].notna()], ["decom__date"])
    key = _key(rows)
    previous_end = rows.groupby(key, sort=False, dropna=False)["dec__date"].shift(1)
    first = ~has_neighbour(rows, ["decom__date"], 1).reindex(rows.index)
    new = first | (rows["decom__date"] > previous_end)
    period = new.cumsum()
    grouped = rows.groupby(period.to_numpy(), sort=False)
    out = grouped[key].first()
    out["start"] = grouped["decom__date"].first()
    out["end"] = grouped["dec__date"].last(skipna=False)
    return out.reset_index(drop=True)


def pairs_by_child(rows: pd.DataFrame, others: pd.DataFrame) -> pd.DataFrame:
    """Every row of ``rows`` (its position as ``row``) with every row of ``others`` of the
    same extract and child (inner join)."""
    key = [c for c in _key(rows) if c in others.columns]
    left = rows[key].astype(object).assign(row=np.arange(len(rows)))
    right = others.astype({c: object for c in key})
    return left.merge(right, on=key, how="inner")


def values_at(rows: pd.DataFrame, pairs: pd.DataFrame, column: str) -> pd.Series:
    """``rows[column]`` of the row each pair belongs to, aligned with ``pairs``."""
    return pd.Series(rows[column].to_numpy()[pairs["row"].to_numpy()], index=pairs.index)


def any_per_row(rows: pd.DataFrame, pairs: pd.DataFrame, mask: pd.Series) -> pd.Series:
    """True for each row of ``rows`` with at least one pair where ``mask`` holds."""
    hit = np.zeros(len(rows), dtype=bool)
    hit[pairs.loc[mask.fillna(False).astype(bool).to_numpy(), "row"].to_numpy()] = True
    return pd.Series(hit, index=rows.index)


def all_per_row(rows: pd.DataFrame, pairs: pd.DataFrame, mask: pd.Series) -> pd.Series:
    """True for each row of ``rows`` that has pairs, every one of which ``mask`` holds for."""
    paired = np.zeros(len(rows), dtype=bool)
    paired[pairs["row"].to_numpy()] = True
    failing = any_per_row(rows, pairs, ~mask.fillna(False).astype(bool))
    return pd.Series(paired, index=rows.index) & ~failing


def _no_pairs(*dates: str) -> pd.DataFrame:
    frame = pd.DataFrame({"row": pd.Series(dtype="int64")})
    for column in dates:
        frame[column] = pd.Series(dtype="datetime64[ns]")
    return frame


def missing_with_episodes(missing: pd.DataFrame, batch: Batch) -> pd.DataFrame:
    """Each missing period paired with every episode of the child in the same extract."""
    episodes = batch.table("episodes")
    if episodes is None or episodes.empty:
        return _no_pairs("decom__date", "dec__date").assign(ls=pd.Series(dtype=object))
    return pairs_by_child(missing, episodes[[*_key(episodes), "decom__date", "dec__date", "ls"]])


def missing_with_periods(missing: pd.DataFrame, batch: Batch) -> pd.DataFrame:
    """Each missing period paired with every period of care of the child in its extract."""
    episodes = batch.table("episodes")
    if episodes is None or episodes.empty:
        return _no_pairs("start", "end")
    return pairs_by_child(missing, periods(episodes))


def continuously_looked_after(episodes: pd.DataFrame) -> pd.Series:
    """True per episode row when its child was looked after continuously for the 12
    months to 31 March of the collection year (the OC2 cohort): looked after at some time
    in the year, and no episode that starts a period of care after 1 April, ends one on or
    before 31 March, or is a short break (V3/V4) in the year.

    Unlike the DfE validator, care that ended on 31 March itself is not continuous: the
    child was not looked after at 31 March (the validator's own definition; it counts
    endings before 31 March only, see rule 191 in pipelines/lib/dfe903_known.py)."""
    start, end = h.year_start(episodes), h.year_end(episodes)
    decom, dec = episodes["decom__date"], episodes["dec__date"]
    during = (decom <= end) & ((dec >= start) | dec.isna())
    enters = (episodes["rne"] == "S") & (decom > start) & (decom <= end)
    leaves = (episodes["rec"] != "X1") & episodes["rec"].notna() & (dec >= start) & (dec <= end)
    short_break = episodes["ls"].isin(SHORT_BREAKS) & during
    breaks = (enters | leaves | short_break).fillna(False)
    groups = pd.DataFrame(
        {"during": during.fillna(False), "breaks": breaks}, index=episodes.index
    ).groupby([episodes[c] for c in _key(episodes)], dropna=False)
    return groups["during"].transform("max").astype(bool) & ~groups["breaks"].transform(
        "max"
    ).astype(bool)


def age_on_birthday_in_year(frame: pd.DataFrame) -> pd.Series:
    """The age reached on the birthday that falls in the collection year (NaN without DOB)."""
    dob = frame["dob__date"]
    turns = h.year_start(frame).dt.year - dob.dt.year
    return turns + (dob.dt.month < 4).astype(float)  # a Jan–Mar birthday falls in year+1


def birthday_in_year(frame: pd.DataFrame) -> pd.Series:
    """The date of the birthday that falls in the collection year (29 February: 28th)."""
    age = age_on_birthday_in_year(frame)
    out = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    for years in age.dropna().unique():
        rows = age == years
        out[rows] = frame.loc[rows, "dob__date"] + pd.DateOffset(years=int(years))
    return out
