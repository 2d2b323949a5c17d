"""Pipeline benchmark: a one-LA refresh with 1 LA and with 20 LAs in the warehouse.

Each scenario generates synthetic extracts, builds everything once through Dagster (every
LA partition in one run: load + data-quality gate, GX checks, dbt build, publish), then
drops one new monthly extract for Hampshire and refreshes Hampshire's partition only,
the way the landing sensor does. Each Dagster step is timed from the run's event log. For
comparison it also times what an unpartitioned refresh would pay on top: scanning every
LA's extracts (all unchanged), and the GX checks over every LA's rows rather than one LA's. Results are wall-clock seconds from ONE run on
this machine and the ratios between them (20-LA refresh ÷ 1-LA refresh); they are not
assertions and vary with machine load.

    python -m bench.pipeline [--las 1,20] [--scale 1.0] [--out bench/results/pipeline.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.lib.loader import load_landing
from pipelines.lib.quality import QualityGate, check_raw_tables
from pipelines.settings import Settings
from pipelines.synth import SynthConfig, generate
from pipelines.synth.authorities import ALL_CODES

AS_AT = dt.date(2026, 9, 30)
NEXT = dt.date(2026, 10, 31)
#: Dagster step -> the stage it is reported as.
STAGES = {
    "landing_extracts": "load_and_gate",
    "gx_raw_tables": "gx_checks",
    "ons_reference": "postcode_reference",
    "csc_dbt_models": "dbt_build",
    "serving_snapshot": "publish",
}


def _step_seconds(instance: dg.DagsterInstance, run_id: str) -> dict[str, float]:
    started: dict[str, float] = {}
    seconds: dict[str, float] = {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key not in STAGES:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            started[event.step_key] = entry.timestamp
        elif event.event_type in (
            dg.DagsterEventType.STEP_SUCCESS,
            dg.DagsterEventType.STEP_FAILURE,
        ):
            seconds[STAGES[event.step_key]] = entry.timestamp - started[event.step_key]
    return seconds


def _materialize(
    settings: Settings, instance: dg.DagsterInstance, partition_key: str | None
) -> dict[str, float]:
    """One run through Dagster (all LAs, or one partition); seconds per stage and in total."""
    from pipelines.defs.ingest.assets import landing_extracts
    from pipelines.defs.partitions import LA_PARTITIONS, register_landing_las
    from pipelines.defs.publish.assets import serving_snapshot
    from pipelines.defs.quality.checks import GX_CHECKS
    from pipelines.defs.reference.assets import ons_reference
    from pipelines.defs.resources import build_resources
    from pipelines.defs.transform.assets import csc_dbt_models

    register_landing_las(instance, settings.landing_dir)
    keys = LA_PARTITIONS.get_partition_keys(dynamic_partitions_store=instance)
    tags = None
    if partition_key is None:
        tags = {
            "dagster/asset_partition_range_start": keys[0],
            "dagster/asset_partition_range_end": keys[-1],
        }
    t = time.perf_counter()
    result = dg.materialize(
        [landing_extracts, ons_reference, csc_dbt_models, serving_snapshot, *GX_CHECKS],
        resources=build_resources(settings),
        instance=instance,
        partition_key=partition_key,
        tags=tags,
    )
    total = time.perf_counter() - t
    return {**_step_seconds(instance, result.run_id), "total": total}


def _unpartitioned_costs(settings: Settings) -> dict[str, float]:
    """What an unpartitioned refresh would pay on top: reading every LA's extracts (all
    unchanged), and the blocking GX checks over every LA's rows instead of Hampshire's."""
    costs = {}
    with duckdb.connect(str(settings.warehouse_path)) as con:
        t = time.perf_counter()
        load_landing(con, settings.landing_dir, validate=QualityGate(con, run_id="bench"))
        costs["scan_every_la"] = time.perf_counter() - t
        check_raw_tables(con, la_codes=["850"])  # GX imported and warmed up first
        t = time.perf_counter()
        check_raw_tables(con, la_codes=["850"])
        costs["gx_checks_one_la"] = time.perf_counter() - t
        t = time.perf_counter()
        check_raw_tables(con)
        costs["gx_checks_every_la"] = time.perf_counter() - t
    return costs


def _new_month_for_hampshire(landing: Path) -> None:
    """Copy Hampshire's latest current-year 903 and local extracts to a new month end."""
    for parent in (landing / "850" / "ssda903" / "2026-27", landing / "850" / "local"):
        latest = sorted(parent.iterdir())[-1]
        shutil.copytree(latest, parent / NEXT.isoformat())


def scenario(n_las: int, scale: float) -> dict:
    others = [c for c in ALL_CODES if c != "850"]
    las = ("850", *others[: n_las - 1])
    with tempfile.TemporaryDirectory(prefix="csc-bench-") as tmp:
        root = Path(tmp)
        settings = Settings(
            landing_dir=root / "landing",
            warehouse_path=root / "warehouse.duckdb",
            serving_dir=root / "serving",
        )
        os.environ["CSC_DUCKDB_PATH"] = str(settings.warehouse_path)
        t = time.perf_counter()
        generate(SynthConfig(out=settings.landing_dir, las=las, as_at=AS_AT, seed=1, scale=scale))
        generated = time.perf_counter() - t
        with dg.DagsterInstance.ephemeral() as instance:
            initial = _materialize(settings, instance, None)
            _new_month_for_hampshire(settings.landing_dir)
            one_la = _materialize(settings, instance, "850")
        unpartitioned = _unpartitioned_costs(settings)
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            kpi_rows = con.execute("select count(*) from marts.kpi_values").fetchone()[0]
    return {
        "las": n_las,
        "scale": scale,
        "generate_seconds": generated,
        "initial_build": initial,
        "one_la_refresh": one_la,
        "unpartitioned_comparison": unpartitioned,
        "kpi_values_rows": kpi_rows,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--las", default="1,20")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=Path("bench/results/pipeline.json"))
    args = parser.parse_args(argv)
    results = [scenario(int(n), args.scale) for n in args.las.split(",")]
    report = {
        "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "scenarios": results,
    }
    if len(results) > 1:
        base = results[0]["one_la_refresh"]
        report["ratios"] = {
            f"one_la_refresh_{r['las']}_las_vs_{results[0]['las']}": {
                k: round(v / base[k], 2) for k, v in r["one_la_refresh"].items() if base.get(k)
            }
            for r in results[1:]
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    for r in results:
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in r["one_la_refresh"].items())
        print(
            f"{r['las']:>3} LAs: generate {r['generate_seconds']:.1f}s; "
            f"initial {r['initial_build']['total']:.1f}s; one-LA refresh: {stages}; "
            "unpartitioned comparison: "
            + ", ".join(f"{k} {v:.1f}s" for k, v in r["unpartitioned_comparison"].items())
        )
    if "ratios" in report:
        print("ratios:", json.dumps(report["ratios"]))
    return report


if __name__ == "__main__":
    main()
