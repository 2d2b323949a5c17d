"""Run the data-quality suites (``expectations/``) with Great Expectations on pandas frames.

GX cannot validate DuckDB over SQL (stack-notes §6), so tables are validated as pandas
frames in an ephemeral context. Its costs are fixed per expectation and per call, not per
row, so the gate validates *one frame per table holding every extract of the run* in one
context (:class:`GxSession`), and splits the failing rows by extract afterwards; and the
rules of one family (pass/fail columns, not blank, dates in order) are validated with one
expectation for every table (:func:`family`).

Preparing a frame: every date column of the contract gets ``<col>__date`` (parsed, NaT when
blank or unreadable) and ``<col>__is_date`` (blank or readable); then each rule that needs
pandas derives its pass/fail column (:func:`expectations.rules.check`), possibly looking at
the other tables of the same extract through a :class:`expectations.rules.Batch`.

GX is imported inside :class:`GxSession`: the import costs about 3 s, which would otherwise
be paid by every import of the code location.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from expectations.rules import Batch, Rule, Scope, Suite
from expectations.suites import ALL_SUITES
from pipelines.lib.contract import DATE_FORMATS, TABLES_BY_KEY

#: Columns that locate a failing row for the engineer, when the table has them.
LOCATOR_COLUMNS = (
    "la_code",
    "collection_year",
    "extract_date",
    "source_file",
    "source_row",
    "child",
)


@dataclass(frozen=True, eq=False)
class RuleResult:
    rule: Rule
    passed: bool
    failing_count: int
    checked_count: int
    #: Positions (in the prepared frame) of every failing row.
    index: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))
    frame: pd.DataFrame | None = None

    def rows(self, limit: int | None = None) -> list[dict]:
        """The failing rows' locators and the values of the rule's columns."""
        if self.frame is None or not len(self.index):
            return []
        idx = self.index if limit is None else self.index[:limit]
        cols = [c for c in (*LOCATOR_COLUMNS, *self.rule.columns) if c in self.frame.columns]
        return self.frame.iloc[idx][list(dict.fromkeys(cols))].to_dict("records")

    @property
    def failing_rows(self) -> list[dict]:
        return self.rows(20)


@dataclass(frozen=True, eq=False)
class SuiteResult:
    suite: Suite
    results: list[RuleResult]
    seconds: float
    frame: pd.DataFrame | None = None  # the prepared frame the rules ran on

    @property
    def errors(self) -> list[RuleResult]:
        return [r for r in self.results if not r.passed and r.rule.severity == "error"]

    @property
    def warnings(self) -> list[RuleResult]:
        return [r for r in self.results if not r.passed and r.rule.severity == "warning"]

    @property
    def passed(self) -> bool:
        """True when no error rule failed (warnings do not block)."""
        return not self.errors

    @property
    def rows_checked(self) -> int:
        return 0 if self.frame is None else len(self.frame)


# ----------------------------------------------------------------------------- preparing


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse text dates in any contract format; unreadable or blank values become NaT."""
    text = values.astype(object).where(values.notna(), None)
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in DATE_FORMATS:
        todo = parsed.isna() & text.notna()
        if todo.any():
            parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    return parsed


def _date_columns(suite: Suite) -> tuple[str, ...]:
    spec = TABLES_BY_KEY[(suite.source, suite.table_name)]
    return tuple(c.lower() for c in spec.date_columns)


def prepare_frame(frame: pd.DataFrame, suite: Suite) -> pd.DataFrame:
    """Text as object/None, ``<col>__date`` and ``<col>__is_date`` for every date column."""
    frame = frame.reset_index(drop=True).copy()
    spec = TABLES_BY_KEY[(suite.source, suite.table_name)]
    for col in (c.lower() for c in spec.columns):
        if col not in frame.columns:
            frame[col] = None
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    if "collection_year" not in frame.columns:
        frame["collection_year"] = None  # local extracts: keeps one extract key for all tables
    for col in _date_columns(suite):
        parsed = parse_dates(frame[col])
        frame[f"{col}__date"] = parsed
        frame[f"{col}__is_date"] = frame[col].isna() | parsed.notna()
    return frame


def prepare_batch(frames: Mapping[str, pd.DataFrame], suites: Iterable[Suite]) -> Batch:
    """Prepare the frame of every table (keyed by table name) so rules can look across."""
    by_name = {s.table_name: s for s in suites}
    return Batch(
        {name: prepare_frame(f, by_name[name]) for name, f in frames.items() if name in by_name}
    )


def derive(frame: pd.DataFrame, rules: Iterable[Rule], batch: Batch) -> pd.DataFrame:
    """Add the pass/fail column of every rule computed in pandas."""
    for rule in rules:
        if rule.derive is not None:
            column, fn = rule.derive
            frame[column] = fn(frame, batch).fillna(False).astype(bool).to_numpy()
    return frame


# ----------------------------------------------------------------------------- validating


def is_flag(rule: Rule) -> bool:
    """True for a rule that GX checks as "this column is True": a pass/fail column derived
    in pandas (:func:`expectations.rules.check`) or a date's ``__is_date`` column."""
    value_set = rule.kwargs.get("value_set")
    return rule.expectation == "ExpectColumnValuesToBeInSet" and value_set == [True]


#: The columns a rule of a stacked family reads, by expectation, and the names they take in
#: the stacked frame.
_STACKED_COLUMNS = {
    "ExpectColumnValuesToBeInSet": {"column": "value"},
    "ExpectColumnValuesToNotBeNull": {"column": "value"},
    "ExpectColumnPairValuesAToBeGreaterThanB": {"column_A": "a", "column_B": "b"},
}


def family(rule: Rule) -> tuple | None:
    """The family of rules GX validates with one expectation on their columns stacked: the
    pass/fail columns (:func:`is_flag`, three rules in four), the columns that must not be
    blank, and the pairs of dates in order (same options); None for the others (a code set,
    a key, a pattern: one expectation each)."""
    if not (
        is_flag(rule)
        or rule.expectation
        in ("ExpectColumnValuesToNotBeNull", "ExpectColumnPairValuesAToBeGreaterThanB")
    ):
        return None
    columns = _STACKED_COLUMNS[rule.expectation]
    options = sorted((k, repr(v)) for k, v in rule.kwargs.items() if k not in columns)
    return (rule.expectation, *options)


@dataclass(frozen=True, eq=False)
class Job:
    """One table to validate: its prepared (and derived) frame and the rules to run on it."""

    suite: Suite
    frame: pd.DataFrame
    rules: tuple[Rule, ...]


class GxSession:
    """One ephemeral GX context for a whole run: created once, then one call per batch.

    GX's cost is fixed per expectation and per validation (it builds and resolves a graph
    of metrics for each expectation, whatever the rows), so a call validates:

    - each table's frame with the rules of their own kind (a code set, a key, a pattern):
      one expectation per rule;
    - the rules of each :func:`family`, of every table at once: every pass/fail column
      (the rules derived in pandas and the ``__is_date`` flags, three rules in four) stacked
      into one column, one rule's rows after another's, validated by one expectation that
      it is True; likewise the columns that must not be blank, and the pairs of dates that
      must be in order. GX returns the position of every failing value; a rule's failing
      rows are the positions within its stretch. The 225 rules of the extract suites are
      41 expectations in 20 validations (were 225 in 17) for the same verdicts, counts and rows
      (``tests/expectations/test_gx_runner.py`` compares with one expectation per rule).
    """

    def __init__(self, stacked: bool = True):
        import great_expectations as gx  # lazy: see the module docstring
        from great_expectations.execution_engine import pandas_execution_engine

        # GX fingerprints every batch smaller than HASH_THRESHOLD bytes (an md5 of pandas'
        # hash of every cell, twice per call: a batch is fetched again to validate it) for
        # its batch markers, which we never read: 0.6 s of the gate's CPU on Hampshire.
        pandas_execution_engine.HASH_THRESHOLD = 0
        self._gx = gx
        #: False: one expectation per rule, as before the rule families were stacked (the
        #: reference ``tests/expectations/test_gx_runner.py`` compares with).
        self.stacked = stacked
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = gx.data_context.types.base.ProgressBarsConfig(
            globally=False
        )
        self._source = self.context.data_sources.add_pandas("frames")
        self._calls = 0
        self.expectations = 0  # expectations validated by this session, all calls

    def _forget(self, name: str) -> None:
        """Drop what GX keeps of one call once it is done. The context keeps, for its whole
        life, every batch it validated (the frame itself), every metric it computed (per-row
        Series among them), and the asset and suite of the call: with one context per run,
        that is every extract the run read, about 1 GB more per gate batch of a national
        load (tests/quality/test_gate.py checks that nothing is left)."""
        engine = self._source.get_execution_engine()
        engine._metric_cache.clear()
        manager = engine.batch_manager
        manager.reset_batch_cache()
        manager._batch_data_cache.clear()
        manager._active_batch_data_id = None
        self._source.delete_asset(name)
        self.context.suites.delete(name)

    def cached(self) -> dict[str, int]:
        """How many metrics, batches, assets and suites the context holds now."""
        engine = self._source.get_execution_engine()
        return {
            "metrics": len(engine._metric_cache),
            "batches": len(engine.batch_manager._batch_cache),
            "batch_data": len(engine.batch_manager._batch_data_cache),
            "assets": len(self._source.assets),
            "suites": len(self.context.suites.all()),
        }

    def _validate(self, frame: pd.DataFrame, name: str, expectations: list) -> list:
        """GX's result of each expectation on ``frame`` (in an order of its own, the rule's
        code in ``meta``); raises when one could not run."""
        self._calls += 1
        self.expectations += len(expectations)
        name = f"{name}__{self._calls}"
        gx_suite = self.context.suites.add(
            self._gx.ExpectationSuite(name=name, expectations=expectations)
        )
        batch = (
            self._source.add_dataframe_asset(name)
            .add_batch_definition_whole_dataframe("whole")
            .get_batch(batch_parameters={"dataframe": frame})
        )
        try:
            validation = batch.validate(
                gx_suite,
                result_format={"result_format": "COMPLETE", "return_unexpected_index_query": False},
            )
        finally:
            self._forget(name)
        for res in validation.results:
            if res.exception_info and res.exception_info.get("raised_exception"):
                raise RuntimeError(
                    f"rule {res.expectation_config.meta['code']} of {name.rsplit('__', 1)[0]} "
                    f"could not run: {res.exception_info.get('exception_message')}"
                )
        return validation.results

    def run(self, jobs: Iterable[Job]) -> dict[str, SuiteResult]:
        """Validate each job's frame against its rules; the results by table name, each
        table's rules in the order of its job."""
        jobs = list(jobs)
        results: dict[str, list[RuleResult]] = {}
        seconds: dict[str, float] = {}
        #: family -> (job, rule, where its rows start in the family's stacked frame)
        stretches: dict[tuple, list[tuple[Job, Rule, int]]] = defaultdict(list)
        stacked_rows: dict[tuple, int] = defaultdict(int)
        for job in jobs:
            started = time.perf_counter()
            name = job.suite.table_name
            if job.frame.empty or not job.rules:
                results[name] = [RuleResult(r, True, 0, 0) for r in job.rules]
                seconds[name] = time.perf_counter() - started
                continue
            own = []
            for rule in job.rules:
                key = family(rule) if self.stacked else None
                if key is None:
                    own.append(rule)
                else:
                    stretches[key].append((job, rule, stacked_rows[key]))
                    stacked_rows[key] += len(job.frame)
            results[name] = self._own_rules(job, own) if own else []
            seconds[name] = time.perf_counter() - started
        for key, members in stretches.items():
            started = time.perf_counter()
            for job, result in self._stacked(members):
                results[job.suite.table_name].append(result)
            spent = time.perf_counter() - started
            for job, _, _ in members:  # the stacked validation's time, shared by rows
                seconds[job.suite.table_name] += spent * len(job.frame) / stacked_rows[key]
        out = {}
        for job in jobs:
            name = job.suite.table_name
            order = {id(rule): i for i, rule in enumerate(job.rules)}
            ordered = sorted(results[name], key=lambda r, order=order: order[id(r.rule)])
            out[name] = SuiteResult(job.suite, ordered, seconds[name], job.frame)
        return out

    def _own_rules(self, job: Job, rules: list[Rule]) -> list[RuleResult]:
        """Rules with an expectation of their own, on the table's frame."""
        expectations = [
            getattr(self._gx.expectations, r.expectation)(**r.kwargs, meta={"code": r.code})
            for r in rules
        ]
        by_code = {r.code: r for r in rules}
        # only the columns the rules read: GX copies and filters the frame it is given, and
        # a prepared frame has a pass/fail column per derived rule
        read = [c for r in rules for c in _columns_read(r)]
        frame = job.frame[list(dict.fromkeys(read))] if read else job.frame
        out = []
        for res in self._validate(frame, job.suite.name, expectations):
            rule = by_code[res.expectation_config.meta["code"]]
            detail = res.result or {}
            index = _positions(detail.get("unexpected_index_list"))
            count = detail.get("unexpected_count")
            out.append(
                RuleResult(
                    rule,
                    bool(res.success),
                    int(count if count is not None else len(index)),
                    int(detail.get("element_count") or len(job.frame)),
                    index,
                    job.frame,
                )
            )
        return out

    def _stacked(self, members: list[tuple[Job, Rule, int]]) -> list[tuple[Job, RuleResult]]:
        """Rules of one family (see :func:`family`): their columns stacked, one rule's rows
        after another's, and validated by one expectation."""
        first = members[0][1]
        renamed = _STACKED_COLUMNS[first.expectation]
        parts: dict[str, list[pd.Series]] = {new: [] for new in renamed.values()}
        for job, rule, _ in members:
            for old, new in renamed.items():
                column = rule.kwargs[old]
                if column not in job.frame.columns:
                    raise RuntimeError(
                        f"rule {rule.code} of {job.suite.name} could not run: no column {column!r}"
                    )
                parts[new].append(job.frame[column])
        stacked = pd.DataFrame({new: pd.concat(p, ignore_index=True) for new, p in parts.items()})
        codes = ", ".join(rule.code for _, rule, _ in members)
        kwargs = {k: v for k, v in first.kwargs.items() if k not in renamed}
        kwargs.update({old: new for old, new in renamed.items()})
        expectation = getattr(self._gx.expectations, first.expectation)(
            **kwargs, meta={"code": codes}
        )
        (res,) = self._validate(stacked, "stacked", [expectation])
        detail = res.result or {}
        failing = _positions(detail.get("unexpected_index_list"))
        if detail.get("unexpected_count") not in (None, len(failing)):
            raise RuntimeError(f"GX did not return every failing row of rules {codes}")
        out = []
        for job, rule, start in members:
            n = len(job.frame)
            lo, hi = np.searchsorted(failing, [start, start + n])
            index = failing[lo:hi] - start
            out.append((job, RuleResult(rule, not len(index), len(index), n, index, job.frame)))
        return out


def _columns_read(rule: Rule) -> list[str]:
    kwargs = rule.kwargs
    return [
        *(kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs),
        *kwargs.get("column_list", ()),
    ]


def _positions(index_list) -> np.ndarray:
    """GX's ``unexpected_index_list`` (the frames have a RangeIndex) as sorted positions."""
    return np.array(
        sorted(i for i in (index_list or []) if isinstance(i, (int, np.integer))),
        dtype=np.int64,
    )


def validate_tables(
    frames: Mapping[str, pd.DataFrame],
    suites: Iterable[Suite],
    scopes: Iterable[Scope] = ("extract",),
    session: GxSession | None = None,
    tables: Iterable[str] | None = None,
    select: Callable[[Rule], bool] | None = None,
) -> dict[str, SuiteResult]:
    """Validate each table's frame (keyed by table name) with its suite, in one GX context.

    ``frames`` may hold many extracts per table; rules that compare rows or tables do so
    within each extract. Tables without a frame are skipped; ``tables`` limits which of the
    tables are validated (the others are only there for rules that look across); ``select``
    keeps only some of the rules.
    """
    suites = tuple(suites)
    scopes = tuple(scopes)
    wanted = set(tables) if tables is not None else None
    batch = prepare_batch(frames, suites)
    session = session or GxSession()
    jobs = []
    for suite in suites:
        frame = batch.table(suite.table_name)
        if frame is None or (wanted is not None and suite.table_name not in wanted):
            continue
        rules = tuple(r for r in suite.rules_in(scopes) if select is None or select(r))
        started = time.perf_counter()
        derive(frame, rules, batch)
        jobs.append((Job(suite, frame, rules), time.perf_counter() - started))
    results = session.run(job for job, _ in jobs)
    for job, derived in jobs:  # a table's time includes deriving its pass/fail columns
        result = results[job.suite.table_name]
        results[job.suite.table_name] = SuiteResult(
            job.suite, result.results, result.seconds + derived, job.frame
        )
    return results


def validate(
    frame: pd.DataFrame,
    suite: Suite,
    scopes: Iterable[Scope] = ("extract", "warehouse"),
    context: Mapping[str, pd.DataFrame] | None = None,
    session: GxSession | None = None,
) -> SuiteResult:
    """Validate one table's ``frame`` with ``suite``; ``context`` holds the other tables."""
    frames = {**(context or {}), suite.table_name: frame}
    return validate_tables(frames, ALL_SUITES, scopes, session, [suite.table_name])[
        suite.table_name
    ]
