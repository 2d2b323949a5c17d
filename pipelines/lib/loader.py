"""Load the winning extracts of the landing folder into the raw layer, one extract at a time.

For each (LA, 903 collection year) and each LA's local snapshots, the newest extract
wins. An extract is loaded whole or not at all: every file is read and checked first
(:mod:`pipelines.lib.csvfile`), and only when all pass are the previous rows of that
(LA, year) replaced, in one transaction. A rejected extract leaves what was loaded
before untouched and is recorded, with the reason, in ``raw_meta.load_events``; the
loader then tries the next newest extract that is still newer than what is loaded.
Re-running the same extract changes nothing (``unchanged``); an extract older than the
one loaded never overwrites it (``skipped_older``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.lib.contract import LINEAGE_COLUMNS
from pipelines.lib.csvfile import FileRejected, ParsedFile, read_contract_csv
from pipelines.lib.landing import Extract, LandingScan, scan_landing
from pipelines.lib.warehouse import ensure_raw_schema, raw_columns


@dataclass(frozen=True)
class LoadEvent:
    outcome: str  # loaded | unchanged | rejected | skipped_older | warning
    source_file: str
    message: str = ""
    extract: Extract | None = None
    table_name: str | None = None
    row_count: int | None = None


@dataclass
class LoadReport:
    events: list[LoadEvent] = field(default_factory=list)
    rows_loaded: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def by_outcome(self, outcome: str) -> list[LoadEvent]:
        return [e for e in self.events if e.outcome == outcome]

    @property
    def loaded_extracts(self) -> list[Extract]:
        seen: dict[str, Extract] = {}
        for e in self.events:
            if e.outcome == "loaded" and e.extract is not None and e.table_name is None:
                seen[e.extract.label] = e.extract
        return list(seen.values())

    def summary(self) -> str:
        counts = defaultdict(int)
        for e in self.events:
            counts[e.outcome] += 1
        return ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing to do"


_LOGGED_OUTSIDE = ("rejected", "skipped_older")


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _group(extracts: Iterable[Extract]) -> dict[tuple[str, str, str | None], list[Extract]]:
    groups: dict[tuple[str, str, str | None], list[Extract]] = defaultdict(list)
    for e in extracts:
        groups[(e.la_code, e.source, e.collection_year)].append(e)
    for candidates in groups.values():
        candidates.sort(key=lambda e: e.extract_date, reverse=True)
    return groups


def _current(con: duckdb.DuckDBPyConnection) -> dict[tuple, tuple[dt.date, dict[str, str]]]:
    """What is loaded now: (la, source, year) -> (extract date, {table: fingerprint})."""
    rows = con.execute(
        "select la_code, source, collection_year, extract_date, table_name, fingerprint "
        "from raw_meta.extract_files"
    ).fetchall()
    current: dict[tuple, tuple[dt.date, dict[str, str]]] = {}
    for la, source, year, date, table, fp in rows:
        current.setdefault((la, source, year), (date, {}))[1][table] = fp
    return current


def _seen(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(source_file, message) of every event already recorded."""
    return {
        (r[0], r[1] or "")
        for r in con.execute(
            "select distinct source_file, message from raw_meta.load_events"
        ).fetchall()
    }


def read_extract(extract: Extract, root: Path) -> tuple[list[ParsedFile], list[str]]:
    """Read every file of an extract; raise FileRejected on the first broken one."""
    parsed, warnings = [], []
    known = {t.file_name for t in extract.tables}
    for path in sorted(extract.folder.iterdir()):
        if path.name.startswith((".", "_")):
            continue
        if path.name.lower() not in known:
            warnings.append(
                f"{_rel(path, root)}: not a table of the data contract; ignored "
                "[rule FILE-UNKNOWN-TABLE]"
            )
    files = {p.name.lower(): p for p in extract.folder.iterdir() if p.is_file()}
    for spec in extract.tables:
        path = files.get(spec.file_name)
        if path is None:
            if spec.required_file:
                raise FileRejected(
                    _rel(extract.folder, root) + "/" + spec.file_name,
                    "FILE-REQUIRED",
                    f"required file {spec.file_name} is missing from the extract",
                )
            continue
        result = read_contract_csv(path, spec, display_path=_rel(path, root))
        parsed.append(result)
        warnings.extend(result.warnings)
    return parsed, warnings


def _frame(parsed: ParsedFile, extract: Extract, root: Path) -> pd.DataFrame:
    lineage = {
        "la_code": extract.la_code,
        "collection_year": extract.collection_year,
        "extract_date": extract.extract_date,
        "source_file": _rel(parsed.path, root),
        "source_row": parsed.source_rows,
    }
    data = dict(parsed.columns)
    for col in LINEAGE_COLUMNS[extract.source]:
        data[col] = lineage[col]
    frame = pd.DataFrame(data, columns=raw_columns(parsed.spec))
    if frame.empty:
        return frame
    return frame.astype({c: "object" for c in parsed.columns})


def _replace(
    con: duckdb.DuckDBPyConnection,
    extract: Extract,
    parsed: list[ParsedFile],
    root: Path,
    loaded_at: dt.datetime,
) -> None:
    """Swap in one extract's rows (caller holds the transaction)."""
    where = "la_code = ?" + (" and collection_year = ?" if extract.collection_year else "")
    params = [extract.la_code] + ([extract.collection_year] if extract.collection_year else [])
    by_name = {p.spec.name: p for p in parsed}
    for spec in extract.tables:
        con.execute(f"delete from {spec.raw_table} where {where}", params)
        p = by_name.get(spec.name)
        if p is not None and p.row_count:
            frame = _frame(p, extract, root)  # noqa: F841  (read by DuckDB's replacement scan)
            con.execute(f"insert into {spec.raw_table} by name select * from frame")
    con.execute(
        "delete from raw_meta.extract_files where la_code = ? and source = ? "
        "and collection_year is not distinct from ?",
        [extract.la_code, extract.source, extract.collection_year],
    )
    con.executemany(
        "insert into raw_meta.extract_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                extract.la_code,
                extract.source,
                extract.collection_year,
                extract.extract_date,
                spec.name,
                _rel(by_name[spec.name].path, root) if spec.name in by_name else None,
                by_name[spec.name].row_count if spec.name in by_name else 0,
                spec.name in by_name,
                by_name[spec.name].fingerprint if spec.name in by_name else None,
                loaded_at,
            ]
            for spec in extract.tables
        ],
    )


def _log(
    con: duckdb.DuckDBPyConnection,
    events: list[LoadEvent],
    run_id: str | None,
    loaded_at: dt.datetime,
) -> None:
    if not events:
        return
    con.executemany(
        "insert into raw_meta.load_events values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                run_id,
                loaded_at,
                e.extract.la_code if e.extract else None,
                e.extract.source if e.extract else None,
                e.extract.collection_year if e.extract else None,
                e.extract.extract_date if e.extract else None,
                e.table_name,
                e.source_file,
                e.outcome,
                e.message,
                e.row_count,
            ]
            for e in events
        ],
    )


def _load_group(
    con: duckdb.DuckDBPyConnection,
    candidates: list[Extract],
    loaded: tuple[dt.date | None, dict[str, str]],
    root: Path,
    run_id: str | None,
    loaded_at: dt.datetime,
    report: LoadReport,
) -> list[LoadEvent]:
    """Bring one (LA, source, year) up to date: load its newest loadable extract, if newer."""
    loaded_date, loaded_fps = loaded
    events: list[LoadEvent] = []
    for extract in candidates:  # newest first
        folder = _rel(extract.folder, root)
        if loaded_date is not None and extract.extract_date < loaded_date:
            break
        try:
            parsed, warnings = read_extract(extract, root)
        except FileRejected as exc:
            events.append(
                LoadEvent(
                    "rejected",
                    exc.path,
                    f"{exc}; the whole extract {extract.label} was not "
                    "loaded and the data loaded before is kept",
                    extract,
                )
            )
            continue
        fps = {p.spec.name: p.fingerprint for p in parsed}
        if extract.extract_date == loaded_date and fps == {
            t: f for t, f in loaded_fps.items() if f is not None
        }:
            events.append(LoadEvent("unchanged", folder, "already loaded", extract))
            break
        loaded_events = [LoadEvent("warning", folder, w, extract) for w in warnings]
        loaded_events.append(
            LoadEvent("loaded", folder, "", extract, row_count=sum(p.row_count for p in parsed))
        )
        loaded_events += [
            LoadEvent("loaded", _rel(p.path, root), "", extract, p.spec.name, p.row_count)
            for p in parsed
        ]
        con.execute("begin transaction")
        try:
            _replace(con, extract, parsed, root, loaded_at)
            _log(con, loaded_events, run_id, loaded_at)
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        events.extend(loaded_events)
        for p in parsed:
            report.rows_loaded[p.spec.raw_table] += p.row_count
        loaded_date = extract.extract_date
        break
    if loaded_date is not None:
        events += [
            LoadEvent(
                "skipped_older",
                _rel(e.folder, root),
                f"extract {e.extract_date} is older than the extract loaded ({loaded_date}); "
                "kept on disk as history, not loaded",
                e,
            )
            for e in candidates
            if e.extract_date < loaded_date
        ]
    return events


def load_landing(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    la_codes: list[str] | None = None,
    run_id: str | None = None,
    scan: LandingScan | None = None,
) -> LoadReport:
    """Bring the raw layer up to date with the landing folder. Never raises for bad input."""
    ensure_raw_schema(con)
    root = Path(root)
    scan = scan or scan_landing(root, la_codes)
    report = LoadReport()
    loaded_at = dt.datetime.now()
    seen = _seen(con)
    for problem in scan.problems:
        outcome = "rejected" if problem.severity == "error" else "warning"
        report.events.append(LoadEvent(outcome, _rel(problem.path, root), problem.message))
    current = _current(con)
    for key, candidates in sorted(_group(scan.extracts).items(), key=lambda kv: str(kv[0])):
        report.events.extend(
            _load_group(
                con, candidates, current.get(key, (None, {})), root, run_id, loaded_at, report
            )
        )
    report.events = [
        e
        for e in report.events
        if e.outcome != "skipped_older" or (e.source_file, e.message) not in seen
    ]
    # A loaded extract logged its events inside its transaction; log the rest now, once:
    # a problem already recorded, or "unchanged", is reported to the run but not stored again.
    _log(
        con,
        [
            e
            for e in report.events
            if (not e.extract or e.outcome in _LOGGED_OUTSIDE)
            and (e.source_file, e.message) not in seen
        ],
        run_id,
        loaded_at,
    )
    return report
