"""The data-quality gate: validate every extract before it is loaded, and keep the findings.

:class:`QualityGate` is the loader's ``validate`` hook (:func:`pipelines.lib.loader.load_landing`).
For each batch of extracts read in a run it validates, *per table across all extracts of the
batch*, the rules of scope ``extract`` (``expectations/``), in one Great Expectations context
for the whole run. Then, per extract:

- an ``error`` rule failed, or a table that had rows has none (``VOLUME-EMPTY``, unless
  confirmed) → **blocked**: the extract is not loaded, the data loaded before is kept, and
  the rejection names the cause first (most dates of a column unreadable, day and month
  swapped: :func:`diagnose_dates`), then the rules, the file and the first lines, the rule
  failing most rows first;
- only ``warning`` rules failed → loaded and flagged (**warnings**);
- nothing failed → **published**.

Besides the rules, each extract is compared with the previous accepted extract of its LA,
source and year (:mod:`pipelines.lib.volume`): its findings go to ``raw_meta.dq_volume``.
Every failing row of either severity goes to ``raw_meta.dq_issues`` (at most
:data:`MAX_ISSUES_PER_RULE` rows per rule and extract; the exact counts are always in
``raw_meta.dq_runs``, one row per extract and run). Both tables are appended, never
truncated, so the trend of data quality can be seen.

After loading, :meth:`QualityGate.check_warehouse` runs the rules of scope ``warehouse``
(they need rows of other extracts, e.g. 903 episodes for local PEPs) on the raw tables of
the LAs loaded in the run; they are warnings only and are stored the same way.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from expectations.rules import Suite
from expectations.suites import ALL_SUITES
from pipelines.lib import volume
from pipelines.lib.contract import ALL_TABLES, TABLES_BY_KEY
from pipelines.lib.gx_runner import GxSession, RuleResult, SuiteResult, validate_tables
from pipelines.lib.loader import MAX_BATCH_ROWS, CandidateExtract, GateDecision
from pipelines.lib.volume import VolumeFinding

#: Row-level issues stored per rule and extract; dq_runs always holds the exact counts.
MAX_ISSUES_PER_RULE = 1_000
#: Lines quoted in a rejection message.
LINES_SHOWN = 5
#: A date column is diagnosed when at least this share of its filled values, and at least
#: DIAGNOSIS_MIN_ROWS of them, cannot be read.
DIAGNOSIS_SHARE = 0.5
DIAGNOSIS_MIN_ROWS = 3
#: Share of the unreadable dates that must read as mm/dd/yyyy to say day and month are swapped.
SWAPPED_SHARE = 0.95

_ISSUE_COLUMNS = (
    "run_id",
    "checked_at",
    "la_code",
    "source",
    "collection_year",
    "extract_date",
    "source_file",
    "source_row",
    "child",
    "table_name",
    "rule_code",
    "severity",
    "message",
    "value",
)


@dataclass
class RuleFailure:
    """One rule failing in one extract: exact count, the rows (capped) and where."""

    table: str
    result: RuleResult
    positions: np.ndarray  # rows of the prepared frame, this extract only
    #: Failing rows in all, when ``positions`` holds only the first of them (:meth:`detached`).
    total: int | None = None

    @property
    def code(self) -> str:
        return self.result.rule.code

    @property
    def severity(self) -> str:
        return self.result.rule.severity

    @property
    def count(self) -> int:
        return len(self.positions) if self.total is None else self.total

    def rows(self, limit: int | None = None) -> pd.DataFrame:
        """The failing rows of this extract (the first ``limit`` of them; all if None)."""
        frame = self.result.frame
        assert frame is not None
        idx = self.positions if limit is None else self.positions[:limit]
        return frame.iloc[idx]

    def detached(self, limit: int | None = None) -> RuleFailure:
        """This failure holding a copy of its own failing rows (the first ``limit``; all if
        None) instead of the prepared frame of the whole batch it was found in, which it
        would otherwise keep alive; the count stays exact. What a gate keeps of a finding
        once it is stored (:attr:`QualityGate.keep_rows`)."""
        rows = self.rows(limit).reset_index(drop=True)
        positions = np.arange(len(rows))
        result = replace(self.result, frame=rows, index=positions)
        return RuleFailure(self.table, result, positions, self.count)

    def describe(self) -> tuple[str, str]:
        """(first file, message) naming the rule, the file, the first lines, an example value
        and the fix (the rule's hint)."""
        rows = self.rows(LINES_SHOWN)
        file = str(rows["source_file"].iloc[0]) if len(rows) else self.table
        lines = ", ".join(str(int(x)) for x in rows["source_row"]) if len(rows) else ""
        more = f" and {self.count - len(rows)} more" if self.count > len(rows) else ""
        rule = self.result.rule
        where = f"{file}, line{'s' if self.count > 1 else ''} {lines}{more}"
        example = ""
        if len(rows) and len(rule.columns) == 1 and rule.columns[0] in rows.columns:
            value = rows[rule.columns[0]].iloc[0]
            if isinstance(value, str):
                example = f", e.g. {rule.columns[0].upper()}={value!r}"
        fix = f" Fix: {' '.join(rule.hint.split())}" if rule.hint else ""
        return file, (
            f"{where}: {rule.message.strip()} ({self.count} row{'s' if self.count > 1 else ''}, "
            f"{rule.severity}{example}) [rule {rule.code}]{fix}"
        )


@dataclass(frozen=True)
class Diagnosis:
    """The cause behind many failing rows, said first (``DIAG-*`` rules)."""

    source_file: str
    message: str


@dataclass
class ExtractVerdict:
    """The gate's finding on one extract (or, for warehouse checks, one LA)."""

    la_code: str
    source: str
    collection_year: str | None
    extract_date: dt.date | None
    rows_checked: int = 0
    seconds: float = 0.0
    failures: list[RuleFailure] = field(default_factory=list)
    volume: list[VolumeFinding] = field(default_factory=list)
    diagnoses: list[Diagnosis] = field(default_factory=list)
    previous_extract_date: dt.date | None = None  # what the volume checks compared with

    @property
    def errors(self) -> list[RuleFailure]:
        """Failing error rules, the one failing most rows first."""
        errors = [f for f in self.failures if f.severity == "error"]
        return sorted(errors, key=lambda f: -f.count)

    @property
    def warnings(self) -> list[RuleFailure]:
        return [f for f in self.failures if f.severity == "warning"]

    @property
    def volume_errors(self) -> list[VolumeFinding]:
        return [v for v in self.volume if v.severity == "error"]

    @property
    def volume_warnings(self) -> list[VolumeFinding]:
        return [v for v in self.volume if v.severity == "warning"]

    @property
    def outcome(self) -> str:
        if self.errors or self.volume_errors:
            return "blocked"
        return "warnings" if self.warnings or self.volume_warnings else "published"

    def summary(self) -> str:
        if not self.failures and not self.volume:
            return "every rule passed"
        errors = [f"{f.code} ({f.count})" for f in self.errors]
        errors += [f"{v.rule} ({v.table})" for v in self.volume_errors]
        warnings = [f"{f.code} ({f.count})" for f in self.warnings]
        warnings += [f"{v.rule} ({v.table})" for v in self.volume_warnings]
        head = (
            f"blocked by {len(errors)} error rule{'s' if len(errors) > 1 else ''}"
            if errors
            else "published with warnings"
        )
        return f"{head}: " + ", ".join(errors + warnings)

    def detached(self, limit: int | None = None) -> ExtractVerdict:
        """This verdict with each failure :meth:`RuleFailure.detached` (``limit`` rows)."""
        return replace(self, failures=[f.detached(limit) for f in self.failures])

    def decision(self) -> GateDecision:
        """Blocked or not, and the message: the cause first (diagnoses), then what blocks."""
        warnings = tuple(f.describe() for f in self.warnings)
        warnings += tuple((v.source_file or "", v.message) for v in self.volume_warnings)
        causes = [d.message for d in self.diagnoses]
        if not self.errors and not self.volume_errors:
            warnings += tuple((d.source_file, d.message) for d in self.diagnoses)
            return GateDecision(False, warnings=warnings)
        parts = causes + [v.message for v in self.volume_errors]
        first_file = next(
            (d.source_file for d in self.diagnoses),
            next((v.source_file for v in self.volume_errors if v.source_file), ""),
        )
        if self.errors:
            file, first = self.errors[0].describe()
            first_file = first_file or file
            others = self.errors[1:]
            also = (
                "; also "
                + ", ".join(
                    f"rule {f.code} ({f.count} row{'s' if f.count > 1 else ''})" for f in others
                )
                if others
                else ""
            )
            parts.append(f"{first}{also}")
        return GateDecision(
            True,
            first_file,
            "; ".join(parts) + f"; data-quality gate: {self.summary()}",
            warnings,
        )


def _extract_key(frame: pd.DataFrame) -> pd.Series:
    year = frame["collection_year"].astype(object).where(frame["collection_year"].notna(), "")
    return (
        frame["la_code"].astype(str)
        + "|"
        + year.astype(str)
        + "|"
        + pd.to_datetime(frame["extract_date"]).dt.strftime("%Y-%m-%d")
    )


def _label_key(la_code: str, year: str | None, day: dt.date) -> str:
    return f"{la_code}|{year or ''}|{day.isoformat()}"


def diagnose_dates(
    results: dict[str, SuiteResult], keys: dict[str, pd.Series]
) -> dict[str, list[Diagnosis]]:
    """Date columns whose values are mostly unreadable, per extract key, said as a cause.

    When most filled dates of a column cannot be read, every rule on that column (and on
    the order of dates) fails as a consequence; the engineer should read the cause first.
    The unreadable dates are tried as mm/dd/yyyy: if (nearly) all of them read that way,
    the file's day and month are swapped.
    """
    found: dict[str, list[Diagnosis]] = defaultdict(list)
    for table, result in results.items():
        frame = result.frame
        if frame is None or frame.empty:
            continue
        spec = TABLES_BY_KEY[(result.suite.source, table)]
        for column in (c.lower() for c in spec.date_columns):
            filled = frame[column].notna()
            unreadable = filled & ~frame[f"{column}__is_date"].astype(bool)
            if not unreadable.any():
                continue
            counts = pd.DataFrame({"filled": filled, "bad": unreadable}).groupby(keys[table]).sum()
            flagged = counts[
                (counts["bad"] >= DIAGNOSIS_MIN_ROWS)
                & (counts["bad"] >= DIAGNOSIS_SHARE * counts["filled"])
            ]
            for key, row in flagged.iterrows():
                rows = frame[unreadable & (keys[table] == key)]
                found[str(key)].append(_date_diagnosis(rows, column, int(row["filled"])))
    return found


def _date_diagnosis(rows: pd.DataFrame, column: str, filled: int) -> Diagnosis:
    file = str(rows["source_file"].iloc[0])
    bad = len(rows)
    values = rows[column].astype(str)
    examples = ", ".join(repr(v) for v in values.drop_duplicates().head(3))
    lines = ", ".join(str(int(x)) for x in rows["source_row"].head(LINES_SHOWN))
    where = f"{file}, line{'s' if bad > 1 else ''} {lines}" + (
        f" and {bad - LINES_SHOWN:,} more" if bad > LINES_SHOWN else ""
    )
    head = (
        f"{where}: {bad:,} of the {filled:,} {column.upper()} dates ({bad / filled:.0%}) cannot "
        f"be read as dd/mm/yyyy or yyyy-mm-dd (e.g. {examples})"
    )
    swapped = pd.to_datetime(values, format="%m/%d/%Y", errors="coerce").notna().mean()
    if swapped >= SWAPPED_SHARE:
        return Diagnosis(
            file,
            f"{head}, and every one of them reads as mm/dd/yyyy: the day and month look "
            "swapped (US order), so the dates that could be read are probably wrong too and "
            "the rules named after this follow from it. Fix: export the dates as dd/mm/yyyy, "
            "day first [rule DIAG-DAY-MONTH-SWAPPED]",
        )
    return Diagnosis(
        file,
        f"{head}: the rules named after this follow from it. Fix: export the dates as "
        "dd/mm/yyyy [rule DIAG-DATES-UNREADABLE]",
    )


def extract_keys(results: dict[str, SuiteResult]) -> dict[str, pd.Series]:
    """The extract key (la|year|date) of every row of each table's prepared frame."""
    return {
        table: _extract_key(r.frame)
        for table, r in results.items()
        if r.frame is not None and not r.frame.empty
    }


def split_by_extract(
    results: dict[str, SuiteResult], keys: dict[str, pd.Series] | None = None
) -> dict[str, list[RuleFailure]]:
    """Failing rules of a multi-extract validation, per extract key (la|year|date)."""
    failures: dict[str, list[RuleFailure]] = defaultdict(list)
    for table, suite_result in results.items():
        frame = suite_result.frame
        if frame is None or frame.empty:
            continue
        keys_np = None
        for res in suite_result.results:
            if res.passed or not len(res.index):
                continue
            if keys_np is None:
                table_keys = keys[table] if keys is not None else _extract_key(frame)
                keys_np = table_keys.to_numpy()
            by_key = pd.Series(res.index).groupby(keys_np[res.index]).apply(np.asarray)
            for key, positions in by_key.items():
                failures[str(key)].append(RuleFailure(table, res, np.sort(positions)))
    return failures


def issue_rows(
    verdict: ExtractVerdict, run_id: str | None, checked_at: dt.datetime
) -> pd.DataFrame:
    """The dq_issues rows of one verdict (capped per rule)."""
    frames = []
    for failure in verdict.failures:
        rows = failure.rows(MAX_ISSUES_PER_RULE)
        rule = failure.result.rule
        values = [c for c in rule.columns if c in rows.columns]
        value = (
            rows[values]
            .astype(object)
            .where(rows[values].notna(), "")
            .astype(str)
            .apply(lambda r, cols=values: "; ".join(f"{c.upper()}={r[c]}" for c in cols), axis=1)
            if values and len(rows)
            else pd.Series("", index=rows.index)
        )
        frames.append(
            pd.DataFrame(
                {
                    "run_id": run_id,
                    "checked_at": checked_at,
                    "la_code": rows["la_code"].astype(str),
                    "source": verdict.source,
                    "collection_year": rows["collection_year"],
                    "extract_date": pd.to_datetime(rows["extract_date"]).dt.date,
                    "source_file": rows["source_file"],
                    "source_row": rows["source_row"].astype("int64"),
                    "child": rows["child"] if "child" in rows.columns else None,
                    "table_name": failure.table,
                    "rule_code": rule.code,
                    "severity": rule.severity,
                    "message": rule.message.strip(),
                    "value": value,
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=list(_ISSUE_COLUMNS))
    return pd.concat(frames, ignore_index=True)[list(_ISSUE_COLUMNS)]


def store(
    con: duckdb.DuckDBPyConnection,
    verdicts: Iterable[ExtractVerdict],
    run_id: str | None,
    checked_at: dt.datetime,
) -> None:
    """Append verdicts to raw_meta.dq_runs and their failing rows to raw_meta.dq_issues."""
    verdicts = list(verdicts)
    if not verdicts:
        return
    issues = [issue_rows(v, run_id, checked_at) for v in verdicts]
    issues_frame = pd.concat(issues, ignore_index=True) if issues else None

    def where(v: ExtractVerdict) -> list:
        return [run_id, checked_at, v.la_code, v.source, v.collection_year, v.extract_date]

    runs = [
        [
            *where(v),
            v.outcome,
            sum(f.count for f in v.errors) + len(v.volume_errors),
            sum(f.count for f in v.warnings) + len(v.volume_warnings),
            v.rows_checked,
            round(v.seconds, 3),
            v.summary(),
            len(v.errors) + len(v.volume_errors),
            len(v.warnings) + len(v.volume_warnings),
        ]
        for v in verdicts
    ]
    volume_rows = [
        [
            *where(v),
            v.previous_extract_date,
            f.table,
            f.source_file,
            f.rule,
            f.severity,
            f.column,
            f.month,
            f.previous,
            f.current,
            f.message,
        ]
        for v in verdicts
        for f in v.volume
    ]
    con.execute("begin transaction")
    try:
        con.executemany(
            "insert into raw_meta.dq_runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", runs
        )
        if issues_frame is not None and len(issues_frame):
            con.register("dq_issue_rows", issues_frame)
            try:
                con.execute("insert into raw_meta.dq_issues by name select * from dq_issue_rows")
            finally:
                con.unregister("dq_issue_rows")
        if volume_rows:
            con.executemany(
                "insert into raw_meta.dq_volume values "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                volume_rows,
            )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


class QualityGate:
    """The loader's ``validate`` hook; one GX context for the whole run (created lazily)."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        run_id: str | None = None,
        suites: Iterable[Suite] = ALL_SUITES,
        confirm_empty: Iterable[str] = (),
        keep_rows: int | None = LINES_SHOWN,
    ):
        self.con = con
        self.run_id = run_id
        #: Failing rows that :attr:`verdicts` keep per rule and extract once the findings
        #: are stored (None: every one). A finding keeps a copy of its rows, never the
        #: batch it was found in (a national load has several batches of 2 M rows).
        self.keep_rows = keep_rows
        #: Files (as named in messages) confirmed empty: CSC_CONFIRM_EMPTY (VOLUME-EMPTY).
        self.confirm_empty = frozenset(confirm_empty)
        self.suites = tuple(suites)
        self._session: GxSession | None = None
        self.verdicts: list[ExtractVerdict] = []
        self.seconds = 0.0  # validation time of the run, all calls
        self.problems: list[str] = []  # internal failures of the gate itself (not the data)

    @property
    def session(self) -> GxSession:
        if self._session is None:
            self._session = GxSession()
        return self._session

    def __call__(self, batch: list[CandidateExtract]) -> dict[str, GateDecision]:
        """Validate a batch of extracts; never raises (a gate that cannot run blocks)."""
        try:
            return self._validate(batch)
        except Exception as exc:  # fail closed: keep what was loaded, say why, carry on
            message = (
                f"the data-quality gate could not run ({type(exc).__name__}: {exc}); "
                "nothing in this batch was loaded [rule DQ-GATE-ERROR]"
            )
            self.problems.append(message)
            return {c.extract.label: GateDecision(True, "", message) for c in batch}

    def _validate(self, batch: list[CandidateExtract]) -> dict[str, GateDecision]:
        started = time.perf_counter()
        frames: dict[str, list[pd.DataFrame]] = defaultdict(list)
        for candidate in batch:
            for name, frame in candidate.frames.items():
                if len(frame):
                    frames[name].append(frame)
        stacked = {name: pd.concat(fs, ignore_index=True) for name, fs in frames.items()}
        results = validate_tables(stacked, self.suites, ("extract",), self.session)
        del frames, stacked  # the rules ran on prepared copies (``results``): free these now
        keys = extract_keys(results)
        failures = split_by_extract(results, keys)
        diagnoses = diagnose_dates(results, keys)
        previous, findings = self._volume(batch, results, keys)
        total_rows = sum(c.row_count for c in batch) or 1
        seconds = time.perf_counter() - started
        checked_at = dt.datetime.now()
        verdicts, decisions = [], {}
        for candidate in batch:
            e = candidate.extract
            key = _label_key(e.la_code, e.collection_year, e.extract_date)
            verdict = ExtractVerdict(
                e.la_code,
                e.source,
                e.collection_year,
                e.extract_date,
                candidate.row_count,
                seconds * candidate.row_count / total_rows,
                failures.get(key, []),
                findings.get(key, []),
                diagnoses.get(key, []),
                previous.get(key),
            )
            verdicts.append(verdict)
            decisions[e.label] = verdict.decision()
        store(self.con, verdicts, self.run_id, checked_at)
        self.verdicts += [v.detached(self.keep_rows) for v in verdicts]
        self.seconds += time.perf_counter() - started
        return decisions

    def _volume(
        self,
        batch: list[CandidateExtract],
        results: dict[str, SuiteResult],
        keys: dict[str, pd.Series],
    ) -> tuple[dict[str, dt.date], dict[str, list[VolumeFinding]]]:
        """Each extract against the previous accepted one of its group: (extract key ->
        the previous extract's date, extract key -> findings)."""
        groups = {
            _label_key(c.extract.la_code, c.extract.collection_year, c.extract.extract_date): (
                c.extract.la_code,
                c.extract.source,
                c.extract.collection_year,
            )
            for c in batch
        }
        previous = volume.previous_profiles(self.con, groups.values())
        if not previous:
            return {}, {}
        current = volume.current_profiles(
            {t: r.frame for t, r in results.items()},
            keys,
            {
                _label_key(c.extract.la_code, c.extract.collection_year, c.extract.extract_date): (
                    c.extract.extract_date,
                    {p.spec.name: p.row_count for p in c.parsed},
                    dict(c.files),
                )
                for c in batch
            },
        )
        dates, findings = {}, {}
        for candidate in batch:
            e = candidate.extract
            key = _label_key(e.la_code, e.collection_year, e.extract_date)
            before = previous.get(groups[key])
            if before is None:
                continue  # the first extract of its LA, source and year
            dates[key] = before.extract_date
            findings[key] = volume.compare(
                e.source, before, current[key], e.label, self.confirm_empty
            )
        return dates, findings

    def check_warehouse(
        self, la_codes: Iterable[str] | None = None, max_rows: int = MAX_BATCH_ROWS
    ) -> list[ExtractVerdict]:
        """Run the cross-extract (``warehouse``) rules on the raw tables; store the findings.

        ``la_codes``: the LAs to check (default: the LAs whose extracts this gate saw).
        The LAs are checked in chunks of whole LAs of about ``max_rows`` raw rows (counted
        in DuckDB before anything is read; an LA bigger than that is a chunk of its own):
        every rule compares rows of one LA only, so the findings are those of one check of
        every LA at once, while memory is bounded by the chunk (153 LAs read at once took
        the national ingest from 2.1 to 4.15 GB; in chunks its peak is 2.3 GB).
        Never raises: these rules only warn, so a chunk that cannot be checked is recorded
        in ``problems``, naming its LAs, and the other chunks are still checked.
        """
        try:
            return self._check_warehouse(la_codes, max_rows)
        except Exception as exc:
            self.problems.append(
                f"cross-extract data-quality rules could not run ({type(exc).__name__}: {exc})"
            )
            return []

    def _check_warehouse(
        self, la_codes: Iterable[str] | None, max_rows: int
    ) -> list[ExtractVerdict]:
        las = sorted(set(la_codes if la_codes is not None else (v.la_code for v in self.verdicts)))
        suites = [s for s in self.suites if s.rules_in(("warehouse",))]
        if not las or not suites:
            return []
        needed = {s.table_name for s in suites} | {"episodes", "missing", "missing_from_home"}
        checked_at = dt.datetime.now()
        verdicts: list[ExtractVerdict] = []
        for chunk in la_chunks(self.con, needed, las, max_rows):
            try:
                verdicts += self._check_warehouse_chunk(chunk, suites, needed, checked_at)
            except Exception as exc:
                self.problems.append(
                    f"cross-extract data-quality rules could not run ({type(exc).__name__}: "
                    f"{exc}) for LA {', '.join(chunk)}"
                )
        return verdicts

    def _check_warehouse_chunk(
        self,
        las: list[str],
        suites: list[Suite],
        needed: set[str],
        checked_at: dt.datetime,
    ) -> list[ExtractVerdict]:
        started = time.perf_counter()
        frames = read_raw_tables(self.con, needed, las)
        results = validate_tables(
            frames, ALL_SUITES, ("warehouse",), self.session, [s.table_name for s in suites]
        )
        del frames  # the prepared frames in ``results`` are what the findings point into
        seconds = time.perf_counter() - started
        failures_by_la: dict[str, list[RuleFailure]] = defaultdict(list)
        for key, failures in split_by_extract(results).items():
            failures_by_la[key.split("|")[0]].extend(failures)
        rows_by_la: dict[str, int] = defaultdict(int)
        for r in results.values():
            for la, n in r.frame["la_code"].value_counts().items():
                rows_by_la[str(la)] += int(n)
        verdicts = [
            ExtractVerdict(
                la,
                "warehouse",
                None,
                None,
                rows_by_la.get(la, 0),
                seconds / len(las),
                failures_by_la.get(la, []),
            )
            for la in las
        ]
        verdicts = [v for v in verdicts if v.rows_checked]
        store(self.con, verdicts, self.run_id, checked_at)
        self.seconds += time.perf_counter() - started
        return [v.detached(self.keep_rows) for v in verdicts]


@dataclass
class FolderCheck:
    """The gate's verdicts on the extracts of a folder, and the extracts rejected whole."""

    verdicts: list[ExtractVerdict]
    rejected: dict[str, str]  # extract label -> why (a structural FILE-* problem)


def check_folder(
    root: Path,
    la_codes: Iterable[str] | None = None,
    source: str = "ssda903",
    suites: Iterable[Suite] = ALL_SUITES,
) -> FolderCheck:
    """The gate's verdict on every extract of ``source`` in a landing folder, each on its
    own, without loading anything (an in-memory warehouse keeps the findings): what the
    tests and benchmarks use to ask "which rule flags which row" of a whole folder."""
    from pipelines.lib.filecheck import FileRejected
    from pipelines.lib.landing import scan_landing
    from pipelines.lib.loader import read_candidate
    from pipelines.lib.warehouse import ensure_raw_schema

    scan = scan_landing(Path(root), sorted(la_codes) if la_codes is not None else None)
    extracts = [e for e in scan.extracts if e.source == source]
    con = duckdb.connect(":memory:")
    rejected: dict[str, str] = {}
    try:
        ensure_raw_schema(con)
        gate = QualityGate(con, "check", suites, keep_rows=None)
        batch: list[CandidateExtract] = []
        for extract in extracts:  # in batches, as the loader does (GX costs are per call)
            try:
                batch.append(read_candidate(extract, Path(root)))
            except FileRejected as exc:
                rejected[extract.label] = str(exc)
                continue
            if sum(c.row_count for c in batch) >= MAX_BATCH_ROWS:
                gate(batch)
                batch = []
        if batch:
            gate(batch)
        if gate.problems:
            raise RuntimeError("; ".join(gate.problems))
        return FolderCheck(gate.verdicts, rejected)
    finally:
        con.close()


def la_chunks(
    con: duckdb.DuckDBPyConnection,
    tables: Iterable[str],
    la_codes: Iterable[str],
    max_rows: int = MAX_BATCH_ROWS,
) -> list[list[str]]:
    """``la_codes`` (sorted) in chunks of whole LAs holding about ``max_rows`` rows of the
    raw ``tables`` each, counted in DuckDB: an LA is added to a chunk while the chunk stays
    within ``max_rows``; an LA bigger than that is a chunk of its own."""
    las = sorted(set(la_codes))
    if not las:
        return []
    wanted = set(tables)
    marks = ", ".join("?" for _ in las)
    counts = " union all ".join(
        f"select la_code, count(*) as n from {spec.raw_table} where la_code in ({marks}) "
        "group by la_code"
        for spec in ALL_TABLES
        if spec.name in wanted
    )
    rows: dict[str, int] = {}
    if counts:
        sql = f"select la_code, sum(n) from ({counts}) group by la_code"
        params = las * sum(spec.name in wanted for spec in ALL_TABLES)
        rows = {la: int(n) for la, n in con.execute(sql, params).fetchall()}
    chunks: list[list[str]] = []
    size = 0
    for la in las:
        n = rows.get(la, 0)
        if chunks and size + n <= max_rows:
            chunks[-1].append(la)
            size += n
        else:
            chunks.append([la])
            size = n
    return chunks


def read_raw_tables(
    con: duckdb.DuckDBPyConnection,
    tables: Iterable[str] | None = None,
    la_codes: Iterable[str] | None = None,
    skip_extracts: Iterable[tuple] = (),
) -> dict[str, pd.DataFrame]:
    """Raw tables as pandas frames (optionally some tables, some LAs), keyed by table name.

    ``skip_extracts``: (la_code, source, collection_year, extract_date) of extracts whose
    rows are left out (:func:`gated_in_run`).
    """
    wanted = set(tables) if tables is not None else None
    las = list(la_codes) if la_codes is not None else None
    skip = list(skip_extracts)
    if skip:
        con.execute(
            "create or replace temp table _skip_extracts (la_code varchar, source varchar, "
            "collection_year varchar, extract_date date)"
        )
        con.executemany("insert into _skip_extracts values (?, ?, ?, ?)", skip)
    frames = {}
    for spec in ALL_TABLES:
        if wanted is not None and spec.name not in wanted:
            continue
        sql = f"select * from {spec.raw_table} t where true"
        params: list = []
        if las is not None:
            sql += f" and la_code in ({', '.join('?' for _ in las) or 'null'})"
            params = las
        if skip:
            year = "t.collection_year" if spec.source == "ssda903" else "null"
            sql += (
                " and not exists (select 1 from _skip_extracts s where s.la_code = t.la_code "
                f"and s.source = '{spec.source}' and s.extract_date = t.extract_date "
                f"and s.collection_year is not distinct from {year})"
            )
        frames[spec.name] = con.execute(sql, params).df()
    if skip:
        con.execute("drop table _skip_extracts")
    return frames


def gated_in_run(
    con: duckdb.DuckDBPyConnection, run_id: str, la_codes: Iterable[str]
) -> list[tuple] | None:
    """The extracts the gate validated and the loader swapped in during run ``run_id``, as
    (la_code, source, collection_year, extract_date); None unless the cross-extract rules
    also ran in that run, after the load, for every one of ``la_codes``.

    Their rows passed every ``error`` rule minutes ago, in the same run, as the very rows
    now in the raw tables (a blocked extract is never swapped in), so the asset checks need
    not validate them again (issue 16: GX costs are per expectation and call, 5-6 s for
    Hampshire).
    """
    las = sorted(set(la_codes))
    if not las:
        return None
    marks = ", ".join("?" for _ in las)
    checked = {
        r[0]
        for r in con.execute(
            "select distinct la_code from raw_meta.dq_runs where run_id = ? and "
            f"source = 'warehouse' and la_code in ({marks})",
            [run_id, *las],
        ).fetchall()
    }
    if checked != set(las):
        return None
    return con.execute(
        "select distinct la_code, source, collection_year, extract_date from "
        "raw_meta.load_events where run_id = ? and outcome = 'loaded' and table_name is null "
        f"and la_code in ({marks})",
        [run_id, *las],
    ).fetchall()


def _blocking_or_cross_extract(rule) -> bool:
    return rule.severity == "error" or rule.scope == "warehouse"


def check_raw_tables(
    con: duckdb.DuckDBPyConnection,
    session: GxSession | None = None,
    la_codes: Iterable[str] | None = None,
    run_id: str | None = None,
) -> dict[str, SuiteResult]:
    """Re-validate the raw tables as loaded (the Dagster asset checks), optionally of some LAs.

    Every ``error`` rule (defense in depth: the gate already ran them on each extract) and
    every cross-extract ``warehouse`` rule; the gate's extract-level warnings are already
    stored in ``raw_meta.dq_issues`` and are not run twice. With ``la_codes`` only those
    LAs' rows are read (the check of one LA partition).

    With ``run_id`` (the run of the asset check) and ``la_codes``: the extracts the gate
    validated and loaded in this same run, whose cross-extract rules it also ran
    (:func:`gated_in_run`), are not validated twice; every other row is (extracts loaded by
    earlier runs, perhaps before a rule existed).
    """
    gated = gated_in_run(con, run_id, la_codes) if run_id and la_codes is not None else None
    if not gated:
        frames = read_raw_tables(con, la_codes=la_codes)
        return validate_tables(
            frames, ALL_SUITES, ("extract", "warehouse"), session, select=_blocking_or_cross_extract
        )
    frames = read_raw_tables(con, la_codes=la_codes, skip_extracts=gated)
    return validate_tables(
        frames, ALL_SUITES, ("extract",), session, select=lambda r: r.severity == "error"
    )


#: Control characters (not tab, CR or LF) that the whole-file checks reject (FILE-NUL,
#: FILE-CONTROL-CHARACTER), as an RE2 class.
_CONTROL_CLASS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


def control_character_rows(
    con: duckdb.DuckDBPyConnection, la_codes: Iterable[str] | None = None
) -> dict[str, tuple[int, str | None, int | None]]:
    """Raw rows holding a control character, per table: (rows, first file, its line).

    The whole-file checks reject such files before they are loaded; this finds rows loaded
    before those checks existed, so that the blocking asset checks stop them reaching a mart.
    """
    las = list(la_codes) if la_codes is not None else None
    found = {}
    for spec in ALL_TABLES:
        cols = [c.lower() for c in spec.columns]
        where = " or ".join(f"regexp_matches({c}, '{_CONTROL_CLASS}')" for c in cols)
        params: list = []
        las_filter = ""
        if las is not None:
            las_filter = f" and la_code in ({', '.join('?' for _ in las) or 'null'})"
            params = las
        sql = (
            "select count(*) over (), source_file, source_row from "
            f"{spec.raw_table} where ({where}){las_filter} "
            "order by source_file, source_row limit 1"
        )
        row = con.execute(sql, params).fetchone()
        if row:
            found[spec.name] = (int(row[0]), row[1], row[2])
    return found
