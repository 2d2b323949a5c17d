"""Run a data-quality suite (``expectations/``) with Great Expectations on a pandas frame.

GX cannot validate DuckDB over SQL (stack-notes §6), so the table is read into pandas and
validated with an ephemeral context. GX is imported inside :func:`validate`: it costs
about 3 s, which would otherwise be paid by every import of the code location.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from expectations.rules import Rule, Suite
from pipelines.lib.contract import DATE_FORMATS

#: Columns that locate a failing row for the engineer, when the table has them.
LOCATOR_COLUMNS = (
    "la_code",
    "collection_year",
    "extract_date",
    "source_file",
    "source_row",
    "child",
)
MAX_ROWS_PER_RULE = 10_000  # row-level detail kept per rule and run; the count is always exact


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    passed: bool
    failing_count: int
    checked_count: int
    failing_rows: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class SuiteResult:
    suite: Suite
    results: list[RuleResult]
    seconds: float

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


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse text dates in any contract format; unreadable or blank values become NaT."""
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in DATE_FORMATS:
        todo = parsed.isna() & values.notna()
        if todo.any():
            parsed[todo] = pd.to_datetime(values[todo], format=fmt, errors="coerce")
    return parsed


def prepare_frame(frame: pd.DataFrame, suite: Suite) -> pd.DataFrame:
    """Add ``<col>__date`` (parsed) and ``<col>__is_date`` (blank or readable) columns."""
    frame = frame.reset_index(drop=True).copy()
    for col in suite.date_columns:
        parsed = parse_dates(frame[col])
        frame[f"{col}__date"] = parsed
        frame[f"{col}__is_date"] = frame[col].isna() | parsed.notna()
    return frame


def _gx_suite(gx, suite: Suite):
    expectations = [
        getattr(gx.expectations, r.expectation)(**r.kwargs, meta={"code": r.code})
        for r in suite.rules
    ]
    return gx.ExpectationSuite(name=suite.name, expectations=expectations)


def validate(frame: pd.DataFrame, suite: Suite) -> SuiteResult:
    """Validate ``frame`` (rows of ``suite.table``) and return one result per rule."""
    import great_expectations as gx  # noqa: PLC0415  (lazy: see module docstring)

    started = dt.datetime.now()
    prepared = prepare_frame(frame, suite)
    if prepared.empty:
        return SuiteResult(
            suite,
            [RuleResult(r, True, 0, 0) for r in suite.rules],
            (dt.datetime.now() - started).total_seconds(),
        )
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = gx.data_context.types.base.ProgressBarsConfig(globally=False)
    gx_suite = context.suites.add(_gx_suite(gx, suite))
    batch = (
        context.data_sources.add_pandas("warehouse")
        .add_dataframe_asset(suite.name)
        .add_batch_definition_whole_dataframe("whole")
        .get_batch(batch_parameters={"dataframe": prepared})
    )
    validation = batch.validate(
        gx_suite,
        result_format={"result_format": "COMPLETE", "return_unexpected_index_query": False},
    )
    locators = [c for c in LOCATOR_COLUMNS if c in prepared.columns]
    by_code = {r.code: r for r in suite.rules}
    results = []
    for res in validation.results:
        rule = by_code[res.expectation_config.meta["code"]]
        detail = res.result or {}
        index = detail.get("unexpected_index_list") or []
        rows = prepared.loc[
            [i for i in index[:MAX_ROWS_PER_RULE] if isinstance(i, int)], locators
        ].to_dict("records")
        count = detail.get("unexpected_count")
        if count is None:
            count = len(index)
        results.append(
            RuleResult(
                rule,
                bool(res.success),
                int(count),
                int(detail.get("element_count") or len(prepared)),
                rows,
            )
        )
    return SuiteResult(suite, results, (dt.datetime.now() - started).total_seconds())
