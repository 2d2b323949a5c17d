"""Vectorised pandas helpers for rules that derive a pass/fail column (see ``rules.check``).

Every helper works on a frame that may hold many extracts at once (a whole run, or a raw
table): comparisons across rows or tables are always made within one extract, using the
lineage columns ``la_code``, ``collection_year`` and ``extract_date``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from expectations.rules import EXTRACT_KEY, Batch
from pipelines.lib import codesets


def dfe_code_key(code: str) -> tuple:
    """DfE rule codes in number order (354 before 1004), then the named ones A–Z."""
    digits = "".join(c for c in code if c.isdigit())
    return (0, int(digits), code) if code[:1].isdigit() else (1, 0, code)


def extract_key(frame: pd.DataFrame) -> list[str]:
    """The lineage columns of ``frame`` that identify its extract."""
    return [c for c in EXTRACT_KEY if c in frame.columns]


def _normal(values: pd.Series, column: str) -> pd.Series:
    """Key values comparable across frames: extract dates as nanoseconds (a ``date`` or a
    timestamp), everything else as the object itself (blank as None)."""
    if column == "extract_date":
        return pd.to_datetime(values).astype("datetime64[ns]").astype("int64")
    return values.astype(object).where(values.notna(), None)


def joint_keys(
    left: pd.DataFrame, right: pd.DataFrame, on: list[str], right_on: list[str] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """One integer per row of each frame, equal exactly when the rows' ``on`` (and
    ``right_on``) values are: columns factorized together (C speed, no string building)."""
    n = len(left)
    keys = np.zeros(n + len(right), dtype=np.int64)
    for a, b in zip(on, right_on or on, strict=True):
        both = pd.concat([_normal(left[a], a), _normal(right[b], b)], ignore_index=True)
        codes, uniques = pd.factorize(both, use_na_sentinel=False)
        keys, _ = pd.factorize(keys * (len(uniques) + 1) + codes)
    return keys[:n], keys[n:]


def exists_in(
    frame: pd.DataFrame,
    other: pd.DataFrame | None,
    on: list[str],
    other_on: list[str] | None = None,
) -> pd.Series:
    """True where the row's ``on`` values appear in ``other`` (False if ``other`` is absent)."""
    if other is None or other.empty or frame.empty:
        return pd.Series(False, index=frame.index)
    mine, theirs = joint_keys(frame, other, on, other_on)
    return pd.Series(np.isin(mine, theirs), index=frame.index)


def child_in(frame: pd.DataFrame, batch: Batch, table: str) -> pd.Series:
    """True where CHILD is blank (another rule reports it) or appears in ``table`` of the extract."""
    other = batch.table(table)
    key = [c for c in extract_key(frame) if other is not None and c in other.columns]
    return frame["child"].isna() | exists_in(frame, other, [*key, "child"])


def blank_or(values: pd.Series, ok: pd.Series) -> pd.Series:
    return values.isna() | ok.fillna(False).astype(bool)


def year_start(frame: pd.DataFrame) -> pd.Series:
    """Start of the collection year of each row (``collection_year`` lineage)."""
    years = frame["collection_year"].astype(str)
    starts = {y: pd.Timestamp(codesets.year_bounds(y)[0]) for y in years.unique()}
    return years.map(starts).astype("datetime64[ns]")


def year_end(frame: pd.DataFrame) -> pd.Series:
    """End (31 March) of the collection year of each row."""
    years = frame["collection_year"].astype(str)
    ends = {y: pd.Timestamp(codesets.year_bounds(y)[1]) for y in years.unique()}
    return years.map(ends).astype("datetime64[ns]")


def extract_day(frame: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(frame["extract_date"]).astype("datetime64[ns]")


def code_for_year(frame: pd.DataFrame, column: str, field: str) -> pd.Series:
    """True where ``column`` is blank or a valid ``field`` code in the row's collection year."""
    ok = pd.Series(True, index=frame.index)
    values = frame[column]
    for year, rows in frame.groupby(frame["collection_year"].astype(str)).groups.items():
        valid = codesets.codes(field, year)
        sub = values.loc[rows]
        ok.loc[rows] = sub.isna() | sub.isin(valid)
    return ok


def add_years(dates: pd.Series, years: int) -> pd.Series:
    return dates + pd.DateOffset(years=years)


def age_on(dob: pd.Series, day: pd.Series | pd.Timestamp) -> pd.Series:
    """Completed years from ``dob`` to ``day`` (NaN where either is missing)."""
    day = pd.Series(day, index=dob.index) if not isinstance(day, pd.Series) else day
    years = day.dt.year - dob.dt.year
    before_birthday = (day.dt.month < dob.dt.month) | (
        (day.dt.month == dob.dt.month) & (day.dt.day < dob.dt.day)
    )
    return years - before_birthday.astype(float)


def lookup(
    frame: pd.DataFrame, other: pd.DataFrame | None, on: list[str], column: str
) -> pd.Series:
    """``other[column]`` for each row of ``frame`` matched on ``on`` (first match; NaN if none)."""
    if other is None or other.empty:
        return pd.Series(np.nan, index=frame.index, dtype=object)
    if frame.empty:
        return pd.Series(index=frame.index, dtype=other[column].dtype)
    mine, theirs = joint_keys(frame, other, on)
    values = pd.Series(other[column].to_numpy(), index=theirs)
    values = values[~values.index.duplicated()]
    return pd.Series(values.reindex(mine).to_numpy(), index=frame.index)


def header_dob(frame: pd.DataFrame, batch: Batch) -> pd.Series:
    """The child's DOB from the header of the same extract."""
    header = batch.table("header")
    key = [*extract_key(frame), "child"]
    if header is None:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(lookup(frame, header, key, "dob__date")).astype("datetime64[ns]")


def same_dob_as_header(frame: pd.DataFrame, batch: Batch) -> pd.Series:
    """True where DOB equals the header's DOB of the child in the same extract, or either is
    blank or unreadable, or the child has no header row (other rules report those): the
    DfE's INT11-INT18, one DOB per child across the tables of an extract."""
    header = header_dob(frame, batch)
    dob = frame["dob__date"]
    return dob.isna() | header.isna() | (dob == header)


def same_sex_as_header(frame: pd.DataFrame, batch: Batch) -> pd.Series:
    """True where SEX equals the header's SEX of the child in the same extract, or either is
    blank, or the child has no header row (the DfE's INT21)."""
    key = [*extract_key(frame), "child"]
    header_sex = lookup(frame, batch.table("header"), key, "sex")
    return frame["sex"].isna() | header_sex.isna() | (frame["sex"] == header_sex)


def id_shape(ids: pd.Series) -> pd.Series:
    """An ID's shape: each run of letters becomes ``A``, each run of digits ``9`` (so
    ``C01234`` is ``A9`` and ``850C12`` is ``9A9``); numbers growing a digit keep their shape."""
    text = ids.astype(object).where(ids.notna(), "").astype(str)
    return text.str.replace(r"[A-Za-z]+", "A", regex=True).str.replace(r"[0-9]+", "9", regex=True)


def _year_number(frame: pd.DataFrame) -> pd.Series:
    return frame["collection_year"].astype(str).str.slice(0, 4).astype(int)


def id_shape_seen_in_other_years(frame: pd.DataFrame, _: Batch) -> pd.Series:
    """True where CHILD is blank, the LA has one collection year loaded, or the ID's shape
    is used by a child of another year of the LA (CSC-HEADER-ID-SHAPE)."""
    shapes = pd.DataFrame(
        {
            "la": frame["la_code"],
            "year": frame["collection_year"],
            "shape": id_shape(frame["child"]),
        }
    )
    years_of_la = shapes.groupby("la")["year"].transform("nunique")
    years_of_shape = shapes.groupby(["la", "shape"])["year"].transform("nunique")
    return frame["child"].isna() | (years_of_la < 2) | (years_of_shape > 1)


def _present(frame: pd.DataFrame) -> set[tuple[str, int, str]]:
    return set(zip(frame["la_code"], _year_number(frame), frame["child"], strict=True))


def no_gap_in_years(frame: pd.DataFrame, _: Batch) -> pd.Series:
    """True unless the child is in an earlier year's header of the LA and missing from the
    year just before, which is loaded (CSC-HEADER-ID-GAP: gone, then back)."""
    years = _year_number(frame)
    loaded = set(zip(frame["la_code"], years, strict=True))
    present = _present(frame)
    first = frame.assign(_year=years).groupby(["la_code", "child"])["_year"].transform("min")
    gap = [
        child is not None
        and (la, year - 1) in loaded
        and (la, year - 1, child) not in present
        and earliest < year - 1
        for la, year, child, earliest in zip(
            frame["la_code"], years, frame["child"], first, strict=True
        )
    ]
    return ~pd.Series(gap, index=frame.index)


#: The 903 SEX codes up to 2023-24 (1/2) in the codes used from 2024-25 (M/F/U).
_SEX = {"1": "M", "2": "F"}


def not_a_changed_id(frame: pd.DataFrame, batch: Batch) -> pd.Series:
    """True unless the child is new this year while a child of the same DOB and SEX, looked
    after at the end of last year (an open episode), is missing from this year's header:
    the same child under a new ID (CSC-HEADER-ID-CHANGED), who would be counted twice."""
    episodes = batch.table("episodes")
    ok = pd.Series(True, index=frame.index)
    if episodes is None or episodes.empty or frame.empty:
        return ok
    years = _year_number(frame)
    present = _present(frame)
    open_at_end = episodes[episodes["dec"].isna() & ~episodes["ls"].isin(["V3", "V4"])]
    still_in_care = set(
        zip(open_at_end["la_code"], _year_number(open_at_end), open_at_end["child"], strict=True)
    )
    sex = frame["sex"].map(lambda v: _SEX.get(v, v))
    person: dict[tuple, list[str]] = {}
    for la, year, child, dob, s in zip(
        frame["la_code"], years, frame["child"], frame["dob__date"], sex, strict=True
    ):
        gone = (la, year, child) in still_in_care and (la, year + 1, child) not in present
        if gone and pd.notna(dob):
            person.setdefault((la, year + 1, dob, s), []).append(child)
    for i, (la, year, child, dob, s) in enumerate(
        zip(frame["la_code"], years, frame["child"], frame["dob__date"], sex, strict=True)
    ):
        if (la, year - 1, child) in present or pd.isna(dob):
            continue
        if person.get((la, year, dob, s)):
            ok.iloc[i] = False
    return ok


def ordered(frame: pd.DataFrame, by: Iterable[str]) -> pd.DataFrame:
    """Rows sorted by extract, child and ``by``; the original index is kept."""
    return frame.sort_values([*extract_key(frame), "child", *by], kind="stable")


def previous_in_child(frame: pd.DataFrame, columns: list[str], by: Iterable[str]) -> pd.DataFrame:
    """For each row, ``columns`` of the previous row of the same child (by ``by``) in its extract.

    Returned aligned to ``frame``'s index, with NaN/NaT where the row is the child's first.
    """
    key = [*extract_key(frame), "child"]
    rows = ordered(frame, by)
    prev = rows.groupby(key, sort=False, dropna=False)[columns].shift(1)
    return prev.reindex(frame.index)


def is_last_in_child(frame: pd.DataFrame, by: Iterable[str]) -> pd.Series:
    key = [*extract_key(frame), "child"]
    rows = ordered(frame, by)
    nxt = rows.groupby(key, sort=False, dropna=False).cumcount(ascending=False)
    return (nxt == 0).reindex(frame.index)


def is_first_in_child(frame: pd.DataFrame, by: Iterable[str]) -> pd.Series:
    key = [*extract_key(frame), "child"]
    rows = ordered(frame, by)
    first = rows.groupby(key, sort=False, dropna=False).cumcount() == 0
    return first.reindex(frame.index)


def none_of(*masks: pd.Series) -> pd.Series:
    """True where no mask is True (NaN counts as False)."""
    bad = masks[0].fillna(False).astype(bool)
    for m in masks[1:]:
        bad = bad | m.fillna(False).astype(bool)
    return ~bad


def when(condition: pd.Series, then_ok: pd.Series) -> pd.Series:
    """Rows meeting ``condition`` must satisfy ``then_ok``; others pass."""
    return ~condition.fillna(False).astype(bool) | then_ok.fillna(False).astype(bool)


Check = Callable[[pd.DataFrame, Batch], pd.Series]
