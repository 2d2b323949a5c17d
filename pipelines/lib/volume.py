"""Volume and distribution of an extract against the previous accepted extract of its LA.

A file can be perfectly valid row by row and still be wrong as a whole: a header-only
``missing.csv`` passes every rule, and the board's missing-episode figures fall to zero.
So, before an extract is loaded, the data-quality gate compares it with the extract of
the same LA, source and collection year that is loaded now (the previous accepted one):

- ``VOLUME-EMPTY``: a table that had rows has none: **blocks** the extract until the file is
  confirmed with the setting ``CSC_CONFIRM_EMPTY`` (then a warning);
- ``VOLUME-NOT-SUPPLIED``: an optional table supplied before is missing (its KPIs will say
  "not supplied");
- ``VOLUME-ROWS``: rows fell or rose beyond the table's band;
- ``VOLUME-BLANKS``: a column's share of blanks jumped;
- ``VOLUME-MONTH-GAP``: a complete month with no events where there were.

Bands and thresholds: ``expectations/volume.py``. The previous extract is profiled in
SQL on the raw tables; the new one from the frames the gate has already prepared (dates
parsed once). The first extract of an LA, source or year has nothing to compare with.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from expectations import volume as bands
from pipelines.lib.contract import DATE_FORMATS, LOCAL_TABLES, SSDA903_TABLES, TableSpec

#: (la_code, source, collection_year) of an extract's group.
GroupKey = tuple[str, str, str | None]


@dataclass(frozen=True)
class VolumeFinding:
    table: str
    rule: str
    severity: str  # error | warning
    message: str  # names the file and ends with [rule ...]
    source_file: str | None
    column: str | None = None
    month: dt.date | None = None
    previous: float | None = None
    current: float | None = None


@dataclass
class Profile:
    """One extract as counts: rows, blanks per column and events per month, per table."""

    extract_date: dt.date
    rows: dict[str, int] = field(default_factory=dict)  # supplied tables only
    files: dict[str, str] = field(default_factory=dict)  # table -> file as named in messages
    blanks: dict[str, dict[str, int]] = field(default_factory=dict)
    months: dict[str, Counter] = field(default_factory=dict)  # table -> {first of month: n}


def _tables(source: str) -> tuple[TableSpec, ...]:
    return SSDA903_TABLES if source == "ssda903" else LOCAL_TABLES


def _month_sql(column: str) -> str:
    parsed = ", ".join(f"try_strptime({column}, '{fmt}')" for fmt in DATE_FORMATS)
    return f"cast(date_trunc('month', coalesce({parsed})) as date)"


def previous_profiles(
    con: duckdb.DuckDBPyConnection, keys: Iterable[GroupKey]
) -> dict[GroupKey, Profile]:
    """The extract loaded now for each group (the previous accepted one), as a profile."""
    keys = set(keys)
    if not keys:
        return {}
    las = sorted({k[0] for k in keys})
    marks = ", ".join("?" for _ in las)
    profiles: dict[GroupKey, Profile] = {}
    for la, source, year, date, table, file, rows, supplied in con.execute(
        "select la_code, source, collection_year, extract_date, table_name, source_file, "
        f"row_count, is_supplied from raw_meta.extract_files where la_code in ({marks})",
        las,
    ).fetchall():
        key = (la, source, year)
        if key not in keys:
            continue
        profile = profiles.setdefault(key, Profile(date))
        if supplied:
            profile.rows[table] = rows
            profile.files[table] = file
    for source in sorted({k[1] for k in profiles}):
        for spec in _tables(source):
            _profile_raw_table(con, spec, las, profiles)
    return profiles


def _profile_raw_table(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    las: list[str],
    profiles: dict[GroupKey, Profile],
) -> None:
    group = "la_code, collection_year" if spec.source == "ssda903" else "la_code, null"
    cols = [c.lower() for c in spec.columns]
    marks = ", ".join("?" for _ in las)
    counts = ", ".join(f"count(*) - count({c})" for c in cols)
    for la, year, *blanks in con.execute(
        f"select {group}, {counts} from {spec.raw_table} where la_code in ({marks}) group by all",
        las,
    ).fetchall():
        profile = profiles.get((la, spec.source, year))
        if profile is not None:
            profile.blanks[spec.name] = dict(zip(cols, blanks, strict=True))
    column = bands.EVENT_DATES.get(spec.name)
    if column is None:
        return
    for la, year, month, n in con.execute(
        f"select {group}, {_month_sql(column)} as month, count(*) from {spec.raw_table} "
        f"where la_code in ({marks}) group by all having month is not null",
        las,
    ).fetchall():
        profile = profiles.get((la, spec.source, year))
        if profile is not None:
            profile.months.setdefault(spec.name, Counter())[month] = n


def current_profiles(
    frames: Mapping[str, pd.DataFrame],
    keys: Mapping[str, pd.Series],
    extracts: Mapping[str, tuple[dt.date, dict[str, int], dict[str, str]]],
) -> dict[str, Profile]:
    """Profiles of the extracts of a batch, from the gate's prepared frames (one per table,
    every extract stacked; ``<col>__date`` already parsed) and each row's extract key.

    ``extracts``: extract key -> (extract date, rows per supplied table, file per supplied
    table).
    """
    profiles = {
        key: Profile(date, dict(rows), dict(files)) for key, (date, rows, files) in extracts.items()
    }
    for table, frame in frames.items():
        if frame is None or frame.empty:
            continue
        table_keys = keys[table]
        cols = [c for c in frame.columns if "__" not in c and c not in _LINEAGE]
        blanks = frame[cols].isna().groupby(table_keys).sum()
        for key, row in blanks.iterrows():
            if key in profiles:
                profiles[key].blanks[table] = {c: int(v) for c, v in row.items()}
        column = bands.EVENT_DATES.get(table)
        if column is None or f"{column}__date" not in frame.columns:
            continue
        months = frame[f"{column}__date"].dt.to_period("M").dt.start_time.dt.date
        counts = months.groupby(table_keys).value_counts()
        for (key, month), n in counts.items():
            if key in profiles:
                profiles[key].months.setdefault(table, Counter())[month] = int(n)
    return profiles


_LINEAGE = {"la_code", "collection_year", "extract_date", "source_file", "source_row"}


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def compare(
    source: str,
    previous: Profile,
    current: Profile,
    folder: str,
    confirm_empty: Iterable[str] = (),
) -> list[VolumeFinding]:
    """What moved beyond its band between ``previous`` and ``current`` (same LA, source,
    year). ``folder``: the new extract's folder as named in messages; ``confirm_empty``:
    files (as named in messages) confirmed empty by the setting ``CSC_CONFIRM_EMPTY``."""
    confirmed = set(confirm_empty)
    before_date = previous.extract_date.isoformat()
    findings: list[VolumeFinding] = []
    for spec in _tables(source):
        table = spec.name
        before = previous.rows.get(table)
        if not before:
            continue  # not supplied, or empty, before: nothing to fall from
        file = current.files.get(table, f"{folder}/{spec.file_name}")
        if table not in current.rows:
            findings.append(
                VolumeFinding(
                    table,
                    "VOLUME-NOT-SUPPLIED",
                    "warning",
                    f"{file} was supplied in the extract of {before_date} ({before:,} rows) "
                    "but is missing from this one: its KPIs will say 'not supplied' "
                    "[rule VOLUME-NOT-SUPPLIED]",
                    file,
                    previous=before,
                )
            )
            continue
        now = current.rows[table]
        if now == 0:
            ok = file in confirmed
            findings.append(
                VolumeFinding(
                    table,
                    "VOLUME-EMPTY",
                    "warning" if ok else "error",
                    f"{file} has no rows, where the extract of {before_date} had {before:,}"
                    + (
                        "; published because CSC_CONFIRM_EMPTY confirms it"
                        if ok
                        else ": every figure built on it would fall to zero; export the table "
                        "again, or, if it really is empty now, set CSC_CONFIRM_EMPTY="
                        f"{file} to publish it"
                    )
                    + " [rule VOLUME-EMPTY]",
                    file,
                    previous=before,
                    current=0,
                )
            )
            continue
        findings += _rows(spec, file, before, now, before_date)
        findings += _blanks(spec, file, previous, current, before_date)
        findings += _months(spec, file, previous, current, before_date)
    return findings


def _rows(spec: TableSpec, file: str, before: int, now: int, when: str) -> list[VolumeFinding]:
    band = bands.band(spec.name)
    change = now / before - 1
    if before < band.min_rows or -band.fall <= change <= band.rise:
        return []
    return [
        VolumeFinding(
            spec.name,
            "VOLUME-ROWS",
            "warning",
            f"{file} has {now:,} rows, {change:+.0%} against the {before:,} of the extract of "
            f"{when} (its band is -{band.fall:.0%} to +{band.rise:.0%}): check the export is "
            "complete [rule VOLUME-ROWS]",
            file,
            previous=before,
            current=now,
        )
    ]


def _blanks(
    spec: TableSpec, file: str, previous: Profile, current: Profile, when: str
) -> list[VolumeFinding]:
    before_rows, now_rows = previous.rows[spec.name], current.rows[spec.name]
    if min(before_rows, now_rows) < bands.BLANK_MIN_ROWS:
        return []
    before, now = previous.blanks.get(spec.name, {}), current.blanks.get(spec.name, {})
    findings = []
    for column in (c.lower() for c in spec.columns):
        share_before = before.get(column, 0) / before_rows
        share_now = now.get(column, 0) / now_rows
        if share_now - share_before >= bands.BLANK_JUMP:
            findings.append(
                VolumeFinding(
                    spec.name,
                    "VOLUME-BLANKS",
                    "warning",
                    f"{file}: {column.upper()} is blank in {share_now:.0%} of rows, against "
                    f"{share_before:.0%} in the extract of {when}: check the case system still "
                    "exports it [rule VOLUME-BLANKS]",
                    file,
                    column=column,
                    previous=round(share_before, 4),
                    current=round(share_now, 4),
                )
            )
    return findings


def _months(
    spec: TableSpec, file: str, previous: Profile, current: Profile, when: str
) -> list[VolumeFinding]:
    column = bands.EVENT_DATES.get(spec.name)
    if column is None:
        return []
    before = previous.months.get(spec.name, Counter())
    now = current.months.get(spec.name, Counter())
    findings = []
    for month in sorted(before):
        covered = _month_end(month) <= min(current.extract_date, previous.extract_date)
        if covered and before[month] >= bands.MONTH_GAP_MIN_EVENTS and not now.get(month):
            findings.append(
                VolumeFinding(
                    spec.name,
                    "VOLUME-MONTH-GAP",
                    "warning",
                    f"{file}: no {column.upper()} in {month:%B %Y}, where the extract of {when} "
                    f"had {before[month]:,}: check the export's date range and filters "
                    "[rule VOLUME-MONTH-GAP]",
                    file,
                    column=column,
                    month=month,
                    previous=before[month],
                    current=0,
                )
            )
    return findings
