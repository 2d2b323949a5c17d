"""Landing folder → raw tables, per LA partition: one step loads every table of the contract."""

import time
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.defs.constants import DUCKDB_POOL, GROUP_INGEST, OWNERS, TRANSIENT_RETRY
from pipelines.defs.partitions import LA_PARTITIONS
from pipelines.defs.resources import PathsResource
from pipelines.lib.contract import ALL_TABLES
from pipelines.lib.loader import LoadReport, load_landing
from pipelines.lib.quality import QualityGate
from pipelines.lib.status import STATUS_FILE, publish_status
from pipelines.settings import confirmed_files

RAW_SPECS = [
    dg.AssetSpec(
        key=spec.asset_key,
        group_name=GROUP_INGEST,
        kinds={"csv", "duckdb"},
        owners=OWNERS,
        description=f"{spec.description} Raw rows of {spec.file_name} from the winning extracts, "
        f"as text, with lineage columns; table `{spec.raw_table}`. Partitioned by LA: a "
        "partition's refresh replaces that LA's rows only.",
        metadata={
            "table": spec.raw_table,
            "file": spec.file_name,
            "required_file": spec.required_file,
        },
    )
    for spec in ALL_TABLES
]
EXTRACT_FILES_KEY = dg.AssetKey(["raw_meta", "extract_files"])
RAW_SPECS.append(
    dg.AssetSpec(
        key=EXTRACT_FILES_KEY,
        group_name=GROUP_INGEST,
        kinds={"duckdb"},
        owners=OWNERS,
        description="Which files each winning extract supplied (so a KPI can say 'not "
        "supplied' rather than 0), one row per LA, source, collection year and table.",
        metadata={"table": "raw_meta.extract_files"},
    )
)


def _events_markdown(report: LoadReport) -> str:
    rows = [e for e in report.events if e.table_name is None and e.outcome != "unchanged"]
    if not rows:
        return "Nothing new in the landing folder."
    lines = ["| outcome | where | message |", "|---|---|---|"]
    lines += [
        f"| {e.outcome} | `{e.source_file}` | {e.message.replace('|', '/')} |" for e in rows[:200]
    ]
    return "\n".join(lines)


def _row_counts(con, la_codes: list[str]) -> dict[str, tuple[int, int]]:
    """Per raw table (and the extract bookkeeping): (rows of these LAs, rows of every LA)."""
    marks = ", ".join("?" for _ in la_codes)
    return {
        table: con.execute(
            f"select count(*) filter (where la_code in ({marks})), count(*) from {table}",
            la_codes,
        ).fetchone()
        for table in [spec.raw_table for spec in ALL_TABLES] + ["raw_meta.extract_files"]
    }


@dg.multi_asset(
    specs=RAW_SPECS,
    partitions_def=LA_PARTITIONS,
    # A backfill of many LAs is one run: one scan, one gate batch, one dbt build after it.
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=DUCKDB_POOL,
    can_subset=False,
    retry_policy=TRANSIENT_RETRY,
)
def landing_extracts(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, paths: PathsResource
):
    """Load the newest loadable extract of every collection year of the run's LAs.

    Only the run's LA partitions are scanned and replaced; every other LA's raw rows stay
    as they are. A file that breaks the contract rejects its whole extract, with a message
    naming the file, line and rule; so does an extract failing an error rule of the
    data-quality gate (``expectations/``, severities in ``expectations/severity.py``). What
    was loaded before stays (see ``pipelines/lib/loader.py``). The gate's findings go to
    ``raw_meta.dq_runs`` and ``raw_meta.dq_issues``, and ``status.duckdb`` beside the
    serving snapshot is rewritten on every run (for every LA), so the dashboard can say what
    was blocked even when the rest of the run stops.
    """
    las = sorted(context.partition_keys)
    started = time.perf_counter()
    with duckdb.get_connection() as con:
        run_id = context.run.run_id
        gate = QualityGate(con, run_id=run_id, confirm_empty=confirmed_files(paths.confirm_empty))
        report = load_landing(
            con, Path(paths.landing_dir), la_codes=las, run_id=run_id, validate=gate
        )
        gate.check_warehouse()
        load_seconds = time.perf_counter() - started
        status = publish_status(con, Path(paths.serving_dir) / STATUS_FILE, run_id)
        counts = _row_counts(con, las)
    for e in report.by_outcome("rejected"):
        context.log.error(e.message)
    for e in report.by_outcome("warning"):
        context.log.warning(e.message)
    for problem in gate.problems:
        context.log.error(problem)
    blocked = [v for v in gate.verdicts if v.outcome == "blocked"]
    context.log.info(
        f"LA {', '.join(las)} — landing: {report.summary()}; data-quality gate: "
        f"{len(gate.verdicts)} extracts checked, {len(blocked)} blocked, in {gate.seconds:.2f} s; "
        f"status written to {status.path}"
    )
    events_md = dg.MetadataValue.md(_events_markdown(report))
    common = {
        "las": ", ".join(las),
        "load_seconds": round(load_seconds, 3),
        "load_summary": report.summary(),
        "rejected_extracts": len(report.by_outcome("rejected")),
    }
    yield dg.MaterializeResult(
        asset_key=EXTRACT_FILES_KEY,
        metadata={
            **common,
            "row_count": counts["raw_meta.extract_files"][0],
            "warehouse_row_count": counts["raw_meta.extract_files"][1],
            "dq_extracts_checked": len(gate.verdicts),
            "dq_extracts_blocked": len(blocked),
            "dq_seconds": round(gate.seconds, 3),
            "status_file": dg.MetadataValue.path(str(status.path)),
        },
    )
    for spec in ALL_TABLES:
        mine, total = counts.get(spec.raw_table, (0, 0))
        yield dg.MaterializeResult(
            asset_key=spec.asset_key,
            metadata={
                **common,
                "row_count": dg.MetadataValue.int(mine),
                "warehouse_row_count": dg.MetadataValue.int(total),
                "rows_loaded_this_run": dg.MetadataValue.int(
                    report.rows_loaded.get(spec.raw_table, 0)
                ),
                "landing_events": events_md,
            },
        )
