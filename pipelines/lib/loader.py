"""Load the winning extracts of the landing folder into the raw layer, one extract at a time.

For each (LA, 903 collection year) and each LA's local snapshots, the newest extract
wins. An extract is loaded whole or not at all: every file is opened without following a
link and checked whole, streamed (:mod:`pipelines.lib.filecheck`), a file far bigger than
its table was in the extract loaded now is rejected unparsed, then every file is parsed
(:mod:`pipelines.lib.csvfile`), and only when all pass are the previous rows of that
(LA, year) replaced, in one transaction. What the landing folder holds besides extracts is
recorded per LA in ``raw_meta.landing_problems``. A rejected extract leaves what was loaded
before untouched and is recorded, with the reason, in ``raw_meta.load_events``; the
loader then tries the next newest extract that is still newer than what is loaded.
Re-running the same extract changes nothing (``unchanged``); an extract older than the
one loaded never overwrites it (``skipped_older``).

An optional ``validate`` hook (the data-quality gate, :mod:`pipelines.lib.quality`) sees
every extract after it is read and before it is swapped in. The loader reads the newest
candidate of every (LA, source, year) first and hands them to the hook in one batch (its
costs are per call, not per row); an extract the hook blocks is rejected like a broken
file, and the next newest candidate of its group is tried in the next batch.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import duckdb
import pandas as pd

from expectations import volume as bands
from pipelines.lib.contract import LINEAGE_COLUMNS, TableSpec
from pipelines.lib.csvfile import FileRejected, ParsedFile, parse_csv
from pipelines.lib.filecheck import FileScan, open_regular, scan_file
from pipelines.lib.landing import Extract, LandingProblem, LandingScan, inside, scan_landing
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


@dataclass
class CandidateExtract:
    """An extract that was read without a structural problem and may be loaded."""

    extract: Extract
    parsed: list[ParsedFile]
    warnings: list[str]
    frames: dict[str, pd.DataFrame]  # table name -> rows as they would be loaded
    files: dict[str, str] = field(default_factory=dict)  # table -> file as named in messages

    @property
    def row_count(self) -> int:
        return sum(p.row_count for p in self.parsed)


@dataclass(frozen=True)
class GateDecision:
    """What the data-quality gate says about one extract."""

    blocked: bool
    source_file: str = ""  # the file to name in the event (blocked: the first failing file)
    message: str = ""  # why it is blocked
    warnings: tuple[tuple[str, str], ...] = ()  # (source_file, message) of each warning rule


#: The gate: decisions keyed by ``Extract.label``; a missing key means "not blocked".
Validator = Callable[[list[CandidateExtract]], dict[str, GateDecision]]

#: Rows read into memory before the gate runs on them; bounds memory with many LAs.
MAX_BATCH_ROWS = 2_000_000

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


@dataclass(frozen=True)
class Loaded:
    """What is loaded now for one (LA, source, year): its extract date, and per table the
    fingerprint of the file and its rows."""

    extract_date: dt.date | None = None
    fingerprints: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def _current(con: duckdb.DuckDBPyConnection) -> dict[tuple, Loaded]:
    """What is loaded now, per (la, source, year)."""
    rows = con.execute(
        "select la_code, source, collection_year, extract_date, table_name, fingerprint, "
        "row_count from raw_meta.extract_files"
    ).fetchall()
    current: dict[tuple, Loaded] = {}
    for la, source, year, date, table, fp, count in rows:
        loaded = current.setdefault((la, source, year), Loaded(date))
        if fp is not None:
            loaded.fingerprints[table] = fp
        loaded.rows[table] = count
    return current


def _seen(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(source_file, message) of every event already recorded."""
    return {
        (r[0], r[1] or "")
        for r in con.execute(
            "select distinct source_file, message from raw_meta.load_events"
        ).fetchall()
    }


@dataclass
class _OpenFile:
    """A contract file of an extract, open, that passed the whole-file checks."""

    spec: TableSpec
    path: Path
    shown: str
    handle: BinaryIO
    scan: FileScan


def _list_extract(extract: Extract, root: Path) -> tuple[dict[str, Path], list[str]]:
    """The contract files of an extract folder (by lower-case name) and what else is there.

    Nothing is opened: a contract file that is a symbolic link rejects the extract (it is
    never followed); anything else the contract has no place for is listed, not read.
    """
    known = {t.file_name for t in extract.tables}
    files: dict[str, Path] = {}
    warnings: list[str] = []
    with os.scandir(extract.folder) as it:
        entries = sorted((e for e in it if not e.name.startswith((".", "_"))), key=lambda e: e.name)
    for entry in entries:
        path = Path(entry.path)
        shown = _rel(path, root)
        name = entry.name.lower()
        if entry.is_symlink():
            target = os.readlink(entry.path)
            if name in known:
                raise FileRejected(
                    shown,
                    "LANDING-SYMLINK",
                    f"the file is a symbolic link (to {target}); links are never followed, so "
                    "nothing it points to is read: copy the file itself into the extract folder",
                )
            warnings.append(
                f"{shown}: a symbolic link (to {target}), not a table of the data contract; "
                "listed, not read [rule FILE-UNKNOWN-TABLE]"
            )
        elif entry.is_dir(follow_symlinks=False) and name not in known:
            warnings.append(
                f"{shown}: a folder inside an extract folder is not part of the data contract; "
                "listed, not read [rule LANDING-UNKNOWN-ENTRY]"
            )
        elif name in known:
            if name in files:
                raise FileRejected(
                    shown,
                    "FILE-UNREADABLE",
                    f"two files are named {name} (in another case): keep one",
                )
            files[name] = path
        else:
            warnings.append(
                f"{shown}: not a table of the data contract; ignored [rule FILE-UNKNOWN-TABLE]"
            )
    return files, warnings


def _too_many_lines(file: _OpenFile, previous_rows: int | None) -> None:
    """Reject, before parsing, a file with far more lines than its table can hold."""
    lines = file.scan.data_lines
    if previous_rows and lines > max(bands.SURGE_FACTOR * previous_rows, bands.SURGE_MIN_ROWS):
        raise FileRejected(
            file.shown,
            "VOLUME-SURGE",
            f"the file has {lines:,} lines after its header, {lines / previous_rows:,.0f} times "
            f"the {previous_rows:,} rows of {file.spec.file_name} in the extract loaded now: it "
            "was not parsed; check the export for junk appended or rows duplicated",
        )
    if lines > bands.MAX_FILE_ROWS:
        raise FileRejected(
            file.shown,
            "FILE-TOO-LARGE",
            f"the file has {lines:,} lines after its header, more than any one LA's "
            f"{file.spec.file_name} can hold ({bands.MAX_FILE_ROWS:,}): it was not parsed; "
            "check the export for junk appended or rows joined many times over",
        )


def _open_extract(
    extract: Extract, root: Path, stack: ExitStack, loaded: Loaded | None = None
) -> tuple[list[_OpenFile], list[str]]:
    """Open every contract file of an extract and check each whole (streamed); raise
    FileRejected on the first broken one. The files stay open (``stack`` closes them)."""
    files, warnings = _list_extract(extract, root)
    opened = []
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
        shown = _rel(path, root)
        if not inside(root, path):
            raise FileRejected(
                shown, "LANDING-OUTSIDE", "the file resolves outside the landing folder; not read"
            )
        handle = stack.enter_context(open_regular(path, shown))
        scan = scan_file(handle, shown)
        file = _OpenFile(spec, path, shown, handle, scan)
        _too_many_lines(file, (loaded.rows.get(spec.name) if loaded else None))
        warnings.extend(scan.warnings)
        opened.append(file)
    return opened, warnings


def _parse(opened: list[_OpenFile]) -> tuple[list[ParsedFile], list[str]]:
    parsed, warnings = [], []
    for file in opened:
        file.handle.seek(0)
        result = parse_csv(file.handle, file.scan, file.spec, file.path, file.shown)
        parsed.append(result)
        warnings.extend(w for w in result.warnings if w not in file.scan.warnings)
    return parsed, warnings


def read_extract(extract: Extract, root: Path) -> tuple[list[ParsedFile], list[str]]:
    """Read every file of an extract; raise FileRejected on the first broken one."""
    with ExitStack() as stack:
        opened, warnings = _open_extract(extract, root, stack)
        parsed, parse_warnings = _parse(opened)
    return parsed, warnings + parse_warnings


def read_candidate(extract: Extract, root: Path) -> CandidateExtract:
    """One extract as the gate sees it (raises FileRejected on the first broken file)."""
    parsed, warnings = read_extract(extract, root)
    frames = _frames(parsed, extract, root)
    return CandidateExtract(
        extract, parsed, warnings, frames, {p.spec.name: _rel(p.path, root) for p in parsed}
    )


def _frames(parsed: list[ParsedFile], extract: Extract, root: Path) -> dict[str, pd.DataFrame]:
    """Each file's rows as they would be loaded, keyed by table; the parsed values are then
    released (the frames are what the gate and the swap use)."""
    frames = {}
    for p in parsed:
        frames[p.spec.name] = _frame(p, extract, root)
        p.release()
    return frames


def _frame(parsed: ParsedFile, extract: Extract, root: Path) -> pd.DataFrame:
    if parsed.released:
        raise ValueError(f"{parsed.path}: its values were released; use the candidate's frames")
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
    frames: dict[str, pd.DataFrame] | None = None,
) -> None:
    """Swap in one extract's rows (caller holds the transaction)."""
    where = "la_code = ?" + (" and collection_year = ?" if extract.collection_year else "")
    params = [extract.la_code] + ([extract.collection_year] if extract.collection_year else [])
    by_name = {p.spec.name: p for p in parsed}
    for spec in extract.tables:
        con.execute(f"delete from {spec.raw_table} where {where}", params)
        p = by_name.get(spec.name)
        if p is not None and p.row_count:
            frame = (frames or {}).get(spec.name)
            if frame is None:
                frame = _frame(p, extract, root)
            con.register("frame", frame)
            try:
                con.execute(f"insert into {spec.raw_table} by name select * from frame")
            finally:
                con.unregister("frame")
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


@dataclass
class _Group:
    """The work on one (LA, source, year): its candidates, newest first, and its events."""

    key: tuple[str, str, str | None]
    candidates: list[Extract]
    loaded: Loaded
    position: int = 0
    done: bool = False
    events: list[LoadEvent] = field(default_factory=list)

    @property
    def loaded_date(self) -> dt.date | None:
        return self.loaded.extract_date


def _next_candidate(group: _Group, root: Path) -> CandidateExtract | None:
    """Read the group's next newest extract that may be loaded; None when the group is done."""
    while group.position < len(group.candidates):
        extract = group.candidates[group.position]
        group.position += 1
        if group.loaded_date is not None and extract.extract_date < group.loaded_date:
            break
        try:
            with ExitStack() as stack:
                opened, warnings = _open_extract(extract, root, stack, group.loaded)
                fps = {f.spec.name: f.scan.fingerprint for f in opened}
                if extract.extract_date == group.loaded_date and fps == group.loaded.fingerprints:
                    group.events.append(
                        LoadEvent(
                            "unchanged", _rel(extract.folder, root), "already loaded", extract
                        )
                    )
                    break
                parsed, parse_warnings = _parse(opened)
                files = {f.spec.name: f.shown for f in opened}
        except FileRejected as exc:
            group.events.append(
                LoadEvent(
                    "rejected",
                    exc.path,
                    f"{exc}; the whole extract {extract.label} was not "
                    "loaded and the data loaded before is kept",
                    extract,
                )
            )
            continue
        warnings += parse_warnings
        frames = _frames(parsed, extract, root)
        return CandidateExtract(extract, parsed, warnings, frames, files)
    group.done = True
    return None


def _load_candidate(
    con: duckdb.DuckDBPyConnection,
    group: _Group,
    candidate: CandidateExtract,
    decision: GateDecision | None,
    root: Path,
    run_id: str | None,
    loaded_at: dt.datetime,
    report: LoadReport,
) -> None:
    """Swap in one candidate (or record that the gate blocked it)."""
    extract, parsed = candidate.extract, candidate.parsed
    folder = _rel(extract.folder, root)
    if decision is not None and decision.blocked:
        group.events.append(
            LoadEvent(
                "rejected",
                decision.source_file or folder,
                f"{decision.message}; the whole extract {extract.label} was not loaded and "
                "the data loaded before is kept",
                extract,
            )
        )
        return  # the group stays open: its next newest candidate is tried
    loaded_events = [LoadEvent("warning", folder, w, extract) for w in candidate.warnings]
    if decision is not None:
        loaded_events += [LoadEvent("warning", f, m, extract) for f, m in decision.warnings]
    loaded_events.append(LoadEvent("loaded", folder, "", extract, row_count=candidate.row_count))
    loaded_events += [
        LoadEvent("loaded", _rel(p.path, root), "", extract, p.spec.name, p.row_count)
        for p in parsed
    ]
    con.execute("begin transaction")
    try:
        _replace(con, extract, parsed, root, loaded_at, candidate.frames)
        _log(con, loaded_events, run_id, loaded_at)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    group.events.extend(loaded_events)
    for p in parsed:
        report.rows_loaded[p.spec.raw_table] += p.row_count
    group.loaded = Loaded(
        extract.extract_date,
        {p.spec.name: p.fingerprint for p in parsed},
        {p.spec.name: p.row_count for p in parsed},
    )
    group.done = True


def _store_problems(
    con: duckdb.DuckDBPyConnection,
    problems: list[LandingProblem],
    root: Path,
    la_codes: Iterable[str] | None,
    run_id: str | None,
    seen_at: dt.datetime,
) -> None:
    """Replace what the landing folder holds besides extracts (``raw_meta.landing_problems``)
    for the LAs scanned now, and the entries at its top (every scan looks at those)."""
    rows = [
        [
            run_id,
            seen_at,
            p.la_code,
            p.source,
            p.collection_year,
            _rel(p.path, root),
            p.rule,
            p.severity,
            p.message,
            p.path.parent == root,
        ]
        for p in problems
    ]
    las = None if la_codes is None else sorted(set(la_codes))
    con.execute("begin transaction")
    try:
        if las is None:
            con.execute("delete from raw_meta.landing_problems")
        else:
            marks = ", ".join("?" for _ in las) or "null"
            con.execute(
                f"delete from raw_meta.landing_problems where at_root or la_code in ({marks})",
                las,
            )
        if rows:
            con.executemany(
                "insert into raw_meta.landing_problems values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
            )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def record_landing_problems(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    la_codes: list[str] | None = None,
    run_id: str | None = None,
) -> LandingScan:
    """Scan the landing folder and record what is not an extract, without loading anything
    (the daily status job, so a folder dropped between loads shows the next morning)."""
    ensure_raw_schema(con)
    scan = scan_landing(Path(root), la_codes)
    _store_problems(con, scan.problems, Path(root), la_codes, run_id, dt.datetime.now())
    return scan


def _skipped_older(group: _Group, root: Path) -> list[LoadEvent]:
    if group.loaded_date is None:
        return []
    return [
        LoadEvent(
            "skipped_older",
            _rel(e.folder, root),
            f"extract {e.extract_date} is older than the extract loaded ({group.loaded_date}); "
            "kept on disk as history, not loaded [rule LOAD-OLDER-EXTRACT]",
            e,
        )
        for e in group.candidates
        if e.extract_date < group.loaded_date
    ]


def load_landing(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    la_codes: list[str] | None = None,
    run_id: str | None = None,
    scan: LandingScan | None = None,
    validate: Validator | None = None,
    max_batch_rows: int = MAX_BATCH_ROWS,
) -> LoadReport:
    """Bring the raw layer up to date with the landing folder. Never raises for bad input.

    With ``validate``, every extract read is first shown to the gate (in batches of up to
    ``max_batch_rows`` rows); a blocked extract is not loaded and what was loaded stays.
    """
    ensure_raw_schema(con)
    root = Path(root)
    scan = scan or scan_landing(root, la_codes)
    report = LoadReport()
    loaded_at = dt.datetime.now()
    seen = _seen(con)
    for problem in scan.problems:
        outcome = "rejected" if problem.severity == "error" else "warning"
        message = f"{problem.message} [rule {problem.rule}]"
        report.events.append(LoadEvent(outcome, _rel(problem.path, root), message))
    _store_problems(con, scan.problems, root, la_codes, run_id, loaded_at)
    current = _current(con)
    groups = [
        _Group(key, candidates, current.get(key, Loaded()))
        for key, candidates in sorted(_group(scan.extracts).items(), key=lambda kv: str(kv[0]))
    ]
    while pending := [g for g in groups if not g.done]:
        batch: list[tuple[_Group, CandidateExtract]] = []
        rows = 0
        for group in pending:
            if batch and rows >= max_batch_rows:
                break  # the rest waits for the next batch
            candidate = _next_candidate(group, root)
            if candidate is not None:
                batch.append((group, candidate))
                rows += candidate.row_count
        decisions = validate([c for _, c in batch]) if validate and batch else {}
        for group, candidate in batch:
            decision = decisions.get(candidate.extract.label)
            _load_candidate(con, group, candidate, decision, root, run_id, loaded_at, report)
    for group in groups:
        report.events.extend(group.events)
        report.events.extend(_skipped_older(group, root))
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
