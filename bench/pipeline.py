"""Pipeline benchmark: a one-LA refresh with 1 LA and with 20 LAs in the warehouse.

Each scenario generates synthetic extracts, builds everything once (load + data-quality
gate, dbt build, publish), then drops one new monthly extract for Hampshire and times the
refresh stage by stage. Results are wall-clock seconds from ONE run on this machine and
the ratios between them (20-LA refresh ÷ 1-LA refresh, stage shares); they are not
assertions and vary with machine load.

    python -m bench.pipeline [--las 1,20] [--scale 1.0] [--out bench/results/pipeline.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from pipelines.lib.loader import load_landing
from pipelines.lib.publish import publish_snapshot
from pipelines.lib.quality import QualityGate
from pipelines.settings import DBT_PROJECT_DIR
from pipelines.synth import SynthConfig, generate
from pipelines.synth.authorities import ALL_CODES

AS_AT = dt.date(2026, 9, 30)
NEXT = dt.date(2026, 10, 31)


def _dbt_build(warehouse: Path) -> None:
    env = {
        **os.environ,
        "CSC_DUCKDB_PATH": str(warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "build", "--quiet", "--profiles-dir", "."],
        cwd=DBT_PROJECT_DIR,
        env=env,
        check=True,
    )


def _refresh(root: Path, warehouse: Path) -> dict[str, float]:
    times: dict[str, float] = {}
    t = time.perf_counter()
    with duckdb.connect(str(warehouse)) as con:
        load_landing(con, root / "landing", validate=QualityGate(con, run_id="bench"))
    times["load_and_gate"] = time.perf_counter() - t
    t = time.perf_counter()
    _dbt_build(warehouse)
    times["dbt_build"] = time.perf_counter() - t
    t = time.perf_counter()
    with duckdb.connect(str(warehouse)) as con:
        publish_snapshot(con, root / "serving.duckdb", root / "serving.previous.duckdb")
    times["publish"] = time.perf_counter() - t
    times["total"] = sum(times.values())
    return times


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
        t = time.perf_counter()
        generate(
            SynthConfig(out=root / "landing", las=las, as_at=AS_AT, seed=1, scale=scale, quiet=True)
        )
        generated = time.perf_counter() - t
        warehouse = root / "warehouse.duckdb"
        initial = _refresh(root, warehouse)
        _new_month_for_hampshire(root / "landing")
        one_la = _refresh(root, warehouse)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            kpi_rows = con.execute("select count(*) from marts.kpi_values").fetchone()[0]
    return {
        "las": n_las,
        "scale": scale,
        "generate_seconds": generated,
        "initial_build": initial,
        "one_la_refresh": one_la,
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
                k: round(v / base[k], 2) for k, v in r["one_la_refresh"].items() if base[k]
            }
            for r in results[1:]
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    for r in results:
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in r["one_la_refresh"].items())
        print(
            f"{r['las']:>3} LAs: generate {r['generate_seconds']:.1f}s; "
            f"initial {r['initial_build']['total']:.1f}s; one-LA refresh: {stages}"
        )
    if "ratios" in report:
        print("ratios:", json.dumps(report["ratios"]))
    return report


if __name__ == "__main__":
    main()
