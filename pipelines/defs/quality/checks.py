"""Blocking Great Expectations checks on the raw tables as loaded: one per table of the contract.

Defense in depth: the ingest step already gates every extract before loading it
(``pipelines/lib/quality.py``), so the raw tables should pass every ``error`` rule. These
checks re-validate them as loaded: every ``error`` rule of every suite, plus the
cross-extract ``warehouse`` rules (warnings), and no value may hold a NUL or another control
character (the whole-file checks reject such files; this catches rows loaded before they
existed). A failing ``error`` rule fails its check,
which stops everything downstream in the run (dbt, publish), so the dashboard keeps
serving the last good snapshot; ``warning`` rules are reported and do not block. The
gate's own warnings on each extract are already in ``raw_meta.dq_issues`` and are not run
again here.

Rows the gate validated and loaded in this same run (and whose cross-extract rules it ran
after loading) are not validated a second time: the checks re-validate everything else,
i.e. what earlier runs loaded (``check_raw_tables``, issue 16).

All tables are validated in one step and one GX context (its costs are per call, not per
row), and each table's result is reported on its own check. The checks are partitioned by
LA like the tables they check: a run validates the rows of its own LAs only, so one LA's
refresh is never blocked, or slowed, by another LA's data.
"""

import warnings

import dagster as dg
from dagster_duckdb import DuckDBResource

from expectations.rules import Suite
from expectations.suites import ALL_SUITES
from pipelines.defs.constants import DUCKDB_POOL
from pipelines.defs.partitions import LA_PARTITIONS
from pipelines.lib.gx_runner import SuiteResult
from pipelines.lib.quality import check_raw_tables, control_character_rows

MAX_ROWS_SHOWN = 3


def asset_key(suite: Suite) -> dg.AssetKey:
    return dg.AssetKey([suite.source, suite.table_name])


def check_name(suite: Suite) -> str:
    return f"gx_{suite.name}"


def report_markdown(result: SuiteResult) -> str:
    failed = [r for r in result.results if not r.passed]
    if not failed:
        return f"All {len(result.results)} rules passed on {result.rows_checked} rows."
    lines = [
        "| rule | severity | rows | message | first rows (file, line, child) |",
        "|---|---|---|---|---|",
    ]
    for r in failed:
        where = "; ".join(
            f"{x.get('source_file')} line {x.get('source_row')} ({x.get('child', '')})"
            for x in r.rows(MAX_ROWS_SHOWN)
        )
        message = r.rule.message.strip().replace("|", "/")
        lines.append(
            f"| {r.rule.code} | {r.rule.severity} | {r.failing_count} | {message} | {where} |"
        )
    return "\n".join(lines)


# Partitioned checks are a "preview" feature of Dagster 1.13 (pinned). What this project
# relies on (the check runs for the run's LA partitions and blocks dbt and publishing when
# it fails) is covered by tests/pipelines/test_partitions.py, so the warning is silenced.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", dg.PreviewWarning)
    GX_CHECK_SPECS = [
        dg.AssetCheckSpec(
            check_name(suite),
            asset=asset_key(suite),
            blocking=True,
            partitions_def=LA_PARTITIONS,
            description=f"Great Expectations suite `{suite.name}` on `{suite.table}`, for the "
            f"run's LAs: {len(suite.rules)} rules; error rules block publishing.",
        )
        for suite in ALL_SUITES
    ]


@dg.multi_asset_check(
    specs=GX_CHECK_SPECS,
    name="gx_raw_tables",
    pool=DUCKDB_POOL,
    description="Re-validate every raw table of the run's LAs with its suite in `expectations/` "
    "(one GX context).",
)
def gx_raw_tables(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource):
    las = sorted(context.partition_keys)
    with duckdb.get_connection() as con:
        results = check_raw_tables(con, la_codes=las, run_id=context.run.run_id)
        control = control_character_rows(con, la_codes=las)
    for suite in ALL_SUITES:
        result = results.get(suite.table_name)
        if result is None:  # pragma: no cover - every raw table exists after ingest
            continue
        bad_bytes, bad_file, bad_line = control.get(suite.table_name, (0, None, None))
        if bad_bytes:
            context.log.error(
                f"{suite.table}: {bad_bytes} rows hold a NUL or another control character, "
                f"first at {bad_file} line {bad_line} (loaded before the whole-file checks "
                "existed): load a clean extract of the LA [rule FILE-NUL]"
            )
        for r in result.errors + result.warnings:
            first = (r.rows(1) or [{}])[0]
            log = context.log.error if r.rule.severity == "error" else context.log.warning
            log(
                f"{suite.table} rule {r.rule.code}: {r.rule.message.strip()} — "
                f"{r.failing_count} rows; first at {first.get('source_file')} line "
                f"{first.get('source_row')}"
            )
        yield dg.AssetCheckResult(
            asset_key=asset_key(suite),
            check_name=check_name(suite),
            passed=result.passed and not bad_bytes,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "las": ", ".join(las),
                "rows_checked": result.rows_checked,
                "rules": len(result.results),
                "errors": len(result.errors),
                "warnings": len(result.warnings),
                "failed_rules": [r.rule.code for r in result.errors + result.warnings],
                "failing_row_count": sum(r.failing_count for r in result.errors),
                "control_character_rows": bad_bytes,
                "seconds": round(result.seconds, 3),
                "report": dg.MetadataValue.md(report_markdown(result)),
            },
        )


GX_CHECKS = [gx_raw_tables]
