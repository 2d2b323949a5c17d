"""DfE submission readiness: the DfE's SSDA903 rules on each LA's newest 903 extracts.

The data-quality gate (``expectations/``) decides what is published; this check says how
far each extract is from a return the DfE would accept, by running Data to Insight's
``csc-validator-be-903`` (every rule of the collection year, in its own environment:
:mod:`pipelines.lib.dfe903`) on it. It warns and never blocks.

Which extracts, and what it costs. The validator takes about a minute per collection year
of a large LA, so it runs only on what is new: the newest extract of each collection year
of the LA in the landing folder, loaded or blocked by the gate (readiness is about the data
the LA would submit; a blocked extract's DfE findings help to fix it), with last year's
newest supplied as the previous year. Each is fingerprinted (the SHA-256 of its files and
last year's, the validator's version and the list of its known defects); an extract whose
fingerprint was validated before is not validated again. A monthly refresh therefore
validates one extract per LA: the new in-year one.

In-year extracts are validated too. The validator is written for final returns (it reads
every open episode as open at 31 March), so the findings it makes only because the year
has not ended are listed in ``dfe903_known.IN_YEAR_FALSE_POSITIVES`` and shown as such;
everything else is what the LA would have to fix before the return if nothing changed.

DuckDB has one writer: :func:`plan` reads what to validate and :func:`store` writes the
findings, each in a short transaction; the validator runs between them with no connection
open (:func:`run`), so nothing waits on the warehouse while it works.

Findings go to ``raw_meta.dq_issues`` (``source = 'dfe903'``; ``severity`` ``dfe`` for a
finding, ``known`` for a documented validator defect, ``not_run`` for a rule that crashed:
at most :data:`MAX_ROWS_PER_RULE` rows per rule and extract) and the exact counts to
``raw_meta.dfe903_runs`` (one row per validation) and ``raw_meta.dfe903_rules``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.lib import codesets, dfe903, dfe903_known
from pipelines.lib.dfe903 import Finding, ValidationRun
from pipelines.lib.landing import scan_landing

#: Rows of dq_issues per rule and extract (the counts in dfe903_rules are exact).
MAX_ROWS_PER_RULE = 1_000
#: How the engine runs: each rule on its own copy of the data (see dfe903_known).
MODE = "isolated"
#: Returns validated at once (each is a process of its own); CSC_DFE903_JOBS overrides it.
DEFAULT_JOBS = 2

_KNOWN_DEFECTS_VERSION = hashlib.sha256(Path(dfe903_known.__file__).read_bytes()).hexdigest()[:16]


@dataclass(frozen=True)
class ReturnToCheck:
    """One extract to validate, with last year's return."""

    la_code: str
    collection_year: str
    extract_date: dt.date
    folder: Path
    previous_date: dt.date | None
    previous: Path | None
    fingerprint: str

    @property
    def in_year(self) -> bool:
        """Taken before 31 March: the year is still running."""
        return self.extract_date < dt.date(int(self.collection_year[:4]) + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.la_code}/ssda903/{self.collection_year}/{self.extract_date.isoformat()}"


@dataclass
class Outcome:
    """What the validator said about one extract (or why it could not say)."""

    target: ReturnToCheck
    run: ValidationRun | None
    status: str  # ok | failed | unavailable
    message: str = ""
    seconds: float = 0.0

    @property
    def findings(self) -> list[Finding]:
        return self.run.findings if self.run else []


@dataclass
class Plan:
    """The extracts to validate now, and those whose validation is still current."""

    to_check: list[ReturnToCheck] = field(default_factory=list)
    current: list[ReturnToCheck] = field(default_factory=list)


def jobs() -> int:
    return max(1, int(os.environ.get("CSC_DFE903_JOBS") or DEFAULT_JOBS))


def _file_hashes(folder: Path | None) -> dict[str, str]:
    """SHA-256 of each CSV file of an extract folder (regular files only: a symbolic link is
    never followed, and is named instead so that the check can refuse the folder)."""
    if folder is None or not folder.is_dir():
        return {}
    out = {}
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if not entry.name.lower().endswith(".csv"):
                continue
            if not entry.is_file(follow_symlinks=False):
                out[entry.name] = "not a regular file"
                continue
            digest = hashlib.sha256()
            fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            out[entry.name] = digest.hexdigest()
    return out


def _fingerprint(files: dict[str, str], previous: dict[str, str]) -> str:
    payload = {
        "validator": dfe903.VALIDATOR_VERSION,
        "mode": MODE,
        "known": _KNOWN_DEFECTS_VERSION,
        "files": sorted(files.items()),
        "previous": sorted(previous.items()),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _year_before(year: str) -> str:
    return codesets.year_label(codesets.year_start(year) - 1)


def plan(con: duckdb.DuckDBPyConnection, landing_dir: Path, la_codes: Iterable[str]) -> Plan:
    """The newest 903 extract of each collection year of ``la_codes`` in the landing folder
    (loaded or blocked: readiness is about the data the LA would submit), with last year's
    newest, split into those to validate and those validated before with the same files."""
    las = sorted(set(la_codes))
    if not las:
        return Plan()
    newest: dict[tuple[str, str], tuple[dt.date, Path]] = {}
    for extract in scan_landing(Path(landing_dir), las).extracts:
        if extract.source != "ssda903" or extract.collection_year is None:
            continue
        key = (extract.la_code, extract.collection_year)
        if key not in newest or extract.extract_date > newest[key][0]:
            newest[key] = (extract.extract_date, extract.folder)
    marks = ", ".join("?" for _ in las)
    done = {
        (la, year, day, fp)
        for la, year, day, fp in con.execute(
            "select la_code, collection_year, extract_date, fingerprint "
            f"from raw_meta.dfe903_runs where status = 'ok' and la_code in ({marks})",
            las,
        ).fetchall()
    }
    out = Plan()
    for (la, year), (day, folder) in sorted(newest.items()):
        before = newest.get((la, _year_before(year)))
        target = ReturnToCheck(
            la,
            year,
            day,
            folder,
            before[0] if before else None,
            before[1] if before else None,
            _fingerprint(_file_hashes(folder), _file_hashes(before[1] if before else None)),
        )
        current = (la, year, day, target.fingerprint) in done
        (out.current if current else out.to_check).append(target)
    return out


def _validate(target: ReturnToCheck, timeout: float) -> Outcome:
    started = time.perf_counter()
    if not target.folder.is_dir():
        return Outcome(
            target,
            None,
            "failed",
            f"{target.label}: the extract folder is no longer in the landing folder",
        )
    for folder in (target.folder, target.previous):
        links = [n for n, h in _file_hashes(folder).items() if h == "not a regular file"]
        if links:  # the loader refuses them too (LANDING-SYMLINK); never read through one
            return Outcome(
                target,
                None,
                "failed",
                f"{folder}: {', '.join(links)} is not a regular file (a symbolic link?): "
                "the extract is not read [rule LANDING-SYMLINK]",
            )
    try:
        run = dfe903.validate_return(
            target.folder,
            target.la_code,
            target.collection_year,
            previous=target.previous if target.previous and target.previous.is_dir() else False,
            timeout=timeout,
        )
    except dfe903.ValidatorUnavailable as exc:
        return Outcome(target, None, "unavailable", str(exc), time.perf_counter() - started)
    except (dfe903.ValidatorFailed, OSError, ValueError) as exc:
        return Outcome(target, None, "failed", str(exc), time.perf_counter() - started)
    return Outcome(target, run, "ok", "", time.perf_counter() - started)


def run(
    targets: list[ReturnToCheck],
    max_jobs: int | None = None,
    timeout: float = dfe903.DEFAULT_TIMEOUT,
) -> list[Outcome]:
    """Validate ``targets`` (no warehouse connection is needed or held): each in its own
    process, ``max_jobs`` at a time. Never raises for one extract's failure."""
    if not targets:
        return []
    workers = max(1, min(max_jobs or jobs(), len(targets)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda t: _validate(t, timeout), targets))


# ---------------------------------------------------------------------------- storing


def _rules(outcome: Outcome) -> list[tuple[str, str, str, int, int, str, str | None]]:
    """(rule, status, tables, rows, children, message, reason) of each rule with something
    to say: failed (real findings), known (documented validator defects), not_run."""
    if outcome.run is None:
        return []
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in outcome.run.findings:
        groups[(f.rule, "known" if f.known_false_positive else "failed")].append(f)
    out = []
    for (code, status), found in sorted(groups.items()):
        rule = outcome.run.rules.get(code)
        out.append(
            (
                code,
                status,
                ", ".join(sorted({f.table for f in found})),
                len(found),
                len({f.child for f in found if f.child}),
                rule.message if rule else found[0].message,
                found[0].known_false_positive if status == "known" else None,
            )
        )
    for rule in outcome.run.not_run:
        out.append((rule.code, "not_run", "", 0, 0, rule.message, rule.error))
    return out


def _issue_rows(outcome: Outcome, run_id: str | None, checked_at: dt.datetime) -> pd.DataFrame:
    target = outcome.target
    where = {
        "run_id": run_id,
        "checked_at": checked_at,
        "la_code": target.la_code,
        "source": "dfe903",
        "collection_year": target.collection_year,
        "extract_date": target.extract_date,
    }
    rows = []
    per_rule: Counter[tuple[str, bool]] = Counter()
    landing_root = target.folder.parent.parent.parent.parent
    for f in outcome.findings:
        key = (f.rule, f.known_false_positive is not None)
        per_rule[key] += 1
        if per_rule[key] > MAX_ROWS_PER_RULE:
            continue
        folder = target.previous if f.previous_year and target.previous else target.folder
        note = f"known validator defect: {f.known_false_positive}" if f.known_false_positive else ""
        rows.append(
            where
            | {
                "source_file": (folder / f"{f.table}.csv").relative_to(landing_root).as_posix(),
                "source_row": f.row,
                "child": f.child,
                "table_name": f.table,
                "rule_code": f.rule,
                "severity": "known" if f.known_false_positive else "dfe",
                "message": f.message,
                "value": ("last year's return; " if f.previous_year else "") + note,
            }
        )
    for rule in outcome.run.not_run if outcome.run is not None else []:
        rows.append(
            where
            | {
                "source_file": None,
                "source_row": None,
                "child": None,
                "table_name": "",
                "rule_code": rule.code,
                "severity": "not_run",
                "message": rule.message,
                "value": f"not run: {rule.error}",
            }
        )
    return pd.DataFrame(rows)


def store(
    con: duckdb.DuckDBPyConnection,
    outcomes: Iterable[Outcome],
    run_id: str | None,
    checked_at: dt.datetime | None = None,
) -> None:
    """Append each outcome to raw_meta.dfe903_runs, dfe903_rules and dq_issues (one
    transaction)."""
    outcomes = list(outcomes)
    if not outcomes:
        return
    checked_at = checked_at or dt.datetime.now()
    runs, rules, issues = [], [], []
    for o in outcomes:
        t = o.target
        where = [run_id, checked_at, t.la_code, t.collection_year, t.extract_date]
        found = _rules(o)
        real = [f for f in o.findings if not f.known_false_positive]
        failed = {r[0] for r in found if r[1] == "failed"}
        known_only = {r[0] for r in found if r[1] == "known"} - failed
        r = o.run
        runs.append(
            [
                *where,
                t.previous_date if t.previous is not None and t.previous.is_dir() else None,
                t.in_year,
                t.fingerprint,
                r.validator_version if r else dfe903.VALIDATOR_VERSION,
                r.ruleset if r else None,
                o.status,
                sum(x.status != "not_run" for x in r.rules.values()) if r else None,
                len(failed) if r else None,
                len(known_only) if r else None,
                len(r.not_run) if r else None,
                len(real) if r else None,
                len({f.child for f in real if f.child}) if r else None,
                len(o.findings) - len(real) if r else None,
                round(o.seconds, 2),
                o.message or None,
            ]
        )
        rules += [[*where, *x] for x in found]
        frame = _issue_rows(o, run_id, checked_at)
        if len(frame):
            issues.append(frame)
    con.execute("begin transaction")
    try:
        con.executemany(
            "insert into raw_meta.dfe903_runs values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            runs,
        )
        if rules:
            con.executemany(
                "insert into raw_meta.dfe903_rules values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rules,
            )
        if issues:
            frame = pd.concat(issues, ignore_index=True)
            con.register("dfe903_issue_rows", frame)
            try:
                con.execute(
                    "insert into raw_meta.dq_issues by name select * from dfe903_issue_rows"
                )
            finally:
                con.unregister("dfe903_issue_rows")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
