"""The data-quality gate: one blocking Great Expectations check per suite in ``expectations/``.

A failing ``error`` rule fails the check, which stops everything downstream in the run
(dbt, publish), so the dashboard keeps serving the last good snapshot. ``warning`` rules
are reported and do not block.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from expectations.rules import Suite
from expectations.suites import ALL_SUITES
from pipelines.defs.constants import DUCKDB_POOL
from pipelines.lib.gx_runner import SuiteResult, validate

MAX_ROWS_SHOWN = 20


def _asset_key(suite: Suite) -> dg.AssetKey:
    schema, table = suite.table.split(".")
    return dg.AssetKey([schema.removeprefix("raw_"), table])


def _markdown(result: SuiteResult) -> str:
    failed = [r for r in result.results if not r.passed]
    if not failed:
        return f"All {len(result.results)} rules passed."
    lines = [
        "| rule | severity | rows | message | first rows (file, line, child) |",
        "|---|---|---|---|---|",
    ]
    for r in failed:
        where = "; ".join(
            f"{x.get('source_file')} line {x.get('source_row')} ({x.get('child')})"
            for x in r.failing_rows[:3]
        )
        lines.append(
            f"| {r.rule.code} | {r.rule.severity} | {r.failing_count} | "
            f"{r.rule.message} | {where} |"
        )
    return "\n".join(lines)


def build_gx_check(suite: Suite) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=_asset_key(suite),
        name=f"gx_{suite.name}",
        blocking=True,
        pool=DUCKDB_POOL,
        description=f"Great Expectations suite `{suite.name}` on `{suite.table}`: "
        f"{len(suite.rules)} rules; error rules block publishing.",
    )
    def _check(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource):
        with duckdb.get_connection() as con:
            frame = con.execute(f"select * from {suite.table}").df()
        result = validate(frame, suite)
        for r in result.errors + result.warnings:
            first = r.failing_rows[0] if r.failing_rows else {}
            log = context.log.error if r.rule.severity == "error" else context.log.warning
            log(
                f"{suite.table} rule {r.rule.code}: {r.rule.message} — {r.failing_count} rows; "
                f"first at {first.get('source_file')} line {first.get('source_row')}"
            )
        return dg.AssetCheckResult(
            passed=result.passed,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "rows_checked": len(frame),
                "rules": len(suite.rules),
                "errors": len(result.errors),
                "warnings": len(result.warnings),
                "failing_rows": sum(r.failing_count for r in result.errors),
                "seconds": round(result.seconds, 3),
                "report": dg.MetadataValue.md(_markdown(result)),
            },
        )

    return _check


GX_CHECKS = [build_gx_check(s) for s in ALL_SUITES]
