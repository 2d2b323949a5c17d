"""DfE submission readiness: the DfE's SSDA903 rules as Dagster asset checks, per LA.

One check per 903 table (``dfe903_rules`` on ``ssda903/<table>``), partitioned by LA like
the Great Expectations checks, computed in one step for the run's LAs by
:mod:`pipelines.lib.dfe903_check`: Data to Insight's ``csc-validator-be-903`` (every DfE rule
of the collection year, in its own environment, ``.venv-903``) on the newest 903 extract of
each collection year in the landing folder (loaded or blocked), with last year's; an
extract whose files were validated before is not validated again.

These checks warn and never block. They are not blocking, their severity is WARN, and they
run after the serving snapshot is published (``additional_deps``), so the board's figures
are never held back by them; the Great Expectations checks stay the gate. Their findings
go to ``raw_meta.dq_issues`` (source ``dfe903``), ``raw_meta.dfe903_runs`` and
``raw_meta.dfe903_rules``, and ``status.duckdb`` is written again, so the data-quality page
shows them ("DfE submission readiness").

The warehouse is opened twice, briefly: to read what to validate, then to store what the
validator said. The validator runs in between with no connection open, so it never holds
DuckDB's single writer lock (the step is not in the ``duckdb`` pool for that reason; runs
do not overlap, ``dagster.yaml``).
"""

import time
import warnings
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.defs.constants import SERVING_SNAPSHOT
from pipelines.defs.partitions import LA_PARTITIONS
from pipelines.defs.resources import PathsResource
from pipelines.lib import dfe903_check
from pipelines.lib.contract import SSDA903_TABLES
from pipelines.lib.status import STATUS_FILE, publish_status
from pipelines.lib.warehouse import ensure_raw_schema

CHECK_NAME = "dfe903_rules"

#: Per table: rules, rows and children of the latest validation of the newest extract of
#: each LA and year.
_CURRENT_RULES = """
with in_use as (
    select la_code, collection_year, max(extract_date) as extract_date
    from raw_meta.dfe903_runs
    where la_code in ({marks})
    group by all
),
latest as (
    select r.*
    from raw_meta.dfe903_runs as r
    inner join in_use using (la_code, collection_year, extract_date)
    qualify row_number() over (
        partition by la_code, collection_year, extract_date order by checked_at desc
    ) = 1
)
select
    l.la_code, l.collection_year, l.extract_date, l.status as run_status, l.message,
    r.rule_code, r.status, r.tables, r.rows, r.children, r.message as rule_message, r.reason
from latest as l
left join raw_meta.dfe903_rules as r
    on r.la_code = l.la_code
    and r.collection_year = l.collection_year
    and r.extract_date = l.extract_date
    and r.checked_at = l.checked_at
order by l.la_code, l.collection_year, r.rows desc nulls last
"""


def asset_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["ssda903", table])


with warnings.catch_warnings():  # partitioned checks: a preview feature (see checks.py)
    warnings.simplefilter("ignore", dg.PreviewWarning)
    DFE903_CHECK_SPECS = [
        dg.AssetCheckSpec(
            CHECK_NAME,
            asset=asset_key(spec.name),
            blocking=False,
            partitions_def=LA_PARTITIONS,
            additional_deps=[SERVING_SNAPSHOT],
            description=f"DfE submission readiness of `{spec.file_name}`: the DfE's 903 rules "
            "(csc-validator-be-903) on the newest extract of each collection year of the "
            "run's LAs. Warns, never blocks.",
        )
        for spec in SSDA903_TABLES
    ]


def _table_result(
    table: str, rows: list[dict], las: list[str], checked: dict
) -> dg.AssetCheckResult:
    mine = [r for r in rows if r["rule_code"] and table in (r["tables"] or "").split(", ")]
    failing = [r for r in mine if r["status"] == "failed"]
    known = [r for r in mine if r["status"] == "known"]
    not_run = sorted({r["rule_code"] for r in rows if r["status"] == "not_run"})
    problems = sorted(
        {
            f"{r['la_code']} {r['collection_year']}: {r['message']}"
            for r in rows
            if r["run_status"] != "ok"
        }
    )
    lines = [
        "| LA | year | extract | rule | rows | children | message |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['la_code']} | {r['collection_year']} | {r['extract_date']} | {r['rule_code']} "
        f"| {r['rows']} | {r['children']} | {str(r['rule_message']).replace('|', '/')} |"
        for r in failing[:50]
    ]
    return dg.AssetCheckResult(
        asset_key=asset_key(table),
        check_name=CHECK_NAME,
        passed=not failing and not problems,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "las": ", ".join(las),
            "extracts_validated_now": checked["now"],
            "extracts_unchanged": checked["unchanged"],
            "validator_seconds": checked["seconds"],
            "failing_rules": sorted({r["rule_code"] for r in failing}),
            "failing_rows": sum(r["rows"] for r in failing),
            "known_validator_defects": sorted({r["rule_code"] for r in known}),
            "rules_not_run": not_run,
            "problems": "; ".join(problems) or "none",
            "report": dg.MetadataValue.md(
                "\n".join(lines) if failing else "No DfE rule fails on this table."
            ),
        },
    )


@dg.multi_asset_check(
    specs=DFE903_CHECK_SPECS,
    name="dfe903_submission_readiness",
    description="DfE submission readiness: csc-validator-be-903 on each LA's newest 903 "
    "extracts (cached by their files' fingerprints). Warns, never blocks.",
)
def dfe903_submission_readiness(
    context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource, paths: PathsResource
):
    las = sorted(context.partition_keys)
    run_id = context.run.run_id
    with duckdb.get_connection() as con:
        ensure_raw_schema(con)
        todo = dfe903_check.plan(con, Path(paths.landing_dir), las)
    context.log.info(
        f"LA {', '.join(las)}: {len(todo.to_check)} extract(s) to validate with the DfE's "
        f"rules, {len(todo.current)} unchanged since validated: "
        + ", ".join(t.label for t in todo.to_check)
    )
    started = time.perf_counter()
    outcomes = dfe903_check.run(todo.to_check)  # no warehouse connection open meanwhile
    seconds = round(time.perf_counter() - started, 1)
    for o in outcomes:
        if o.status != "ok":
            context.log.warning(f"{o.target.label}: DfE rules not run ({o.status}): {o.message}")
        else:
            context.log.info(
                f"{o.target.label}: {len(o.run.failing())} failing DfE rule(s) in {o.run.seconds} s"
            )
    with duckdb.get_connection() as con:
        dfe903_check.store(con, outcomes, run_id)
        marks = ", ".join("?" for _ in las)
        cursor = con.execute(_CURRENT_RULES.format(marks=marks), las)
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
        publish_status(con, Path(paths.serving_dir) / STATUS_FILE, run_id)
    checked = {"now": len(todo.to_check), "unchanged": len(todo.current), "seconds": seconds}
    for spec in SSDA903_TABLES:
        yield _table_result(spec.name, rows, las, checked)


DFE903_CHECKS = [dfe903_submission_readiness]
