"""Refresh benchmark: Hampshire's full refresh as a new user runs it, against the DuckDB floor.

In ONE run, on generated Hampshire (``make generate``: ``csc-synth --la 850 --seed 42``)
in a fresh data folder and a fresh ``DAGSTER_HOME`` (both temporary):

- ``floor``: DuckDB alone reading every landing CSV into a table of a new database file
  (``create table ... as select * from read_csv(..., all_varchar = true)``, one table a
  file) -- what any load of these files must at least cost; the median of three reads,
  one before and two after the refresh, so that a burst of load on a shared machine
  weighs on both sides of the ratio;
- ``materialize``: ``make materialize`` (parse check, partitions, ``dagster asset
  materialize`` of every asset) wall-clock seconds, each Dagster step's seconds from the
  run's event log, the rest (start-up: imports, definitions, dbt manifest), the peak
  RSS of the largest process and the CPU seconds of all its processes (steadier than
  wall seconds when the machine is shared); ``to_publish_seconds``: from the start of
  ``make`` to the serving snapshot published (the DfE readiness check runs after it, off
  the board's path, and only when ``.venv-903`` exists: ``make validator``);
- the ratios ``materialize / floor`` and ``to_publish / floor`` (issue 16: goal at most
  8x), and the machine's load average before and after (2 cores shared: read the ratios
  with it).

Figures are from one run on this machine and vary with its load; they are reported, never
asserted.

    python -m bench.refresh [--la 850] [--seed 42] [--out bench/results/refresh.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
#: Dagster step -> the stage it is reported as.
STAGES = {
    "landing_extracts": "ingest_and_gate",
    "gx_raw_tables": "gx_checks",
    "ons_reference": "postcode_reference",
    "csc_dbt_models": "dbt_build",
    "dfe903_readiness": "dfe903_readiness",
    "serving_snapshot": "publish",
}


def csv_files(landing: Path) -> list[Path]:
    return sorted(p for p in landing.rglob("*.csv") if p.is_file())


def floor_seconds(landing: Path, database: Path) -> dict:
    database.unlink(missing_ok=True)
    """DuckDB reading every landing CSV into a table of a new database file."""
    files = csv_files(landing)
    started = time.perf_counter()
    with duckdb.connect(str(database)) as con:
        for i, path in enumerate(files):
            con.execute(
                f"create table t{i} as select * from read_csv(?, all_varchar = true, header = true)",
                [str(path)],
            )
        rows = sum(
            con.execute(f"select count(*) from t{i}").fetchone()[0] for i in range(len(files))
        )
    return {
        "seconds": time.perf_counter() - started,
        "files": len(files),
        "rows": rows,
        "megabytes": round(sum(p.stat().st_size for p in files) / 1e6, 1),
    }


def _make(target: str, env: dict[str, str]) -> tuple[float, int, str, float]:
    """``make <target>``: wall seconds, the peak RSS (MB) of its largest process, output,
    and the CPU seconds (user + system) of all its processes.

    It runs under a small Python parent of its own, so the RSS and CPU are that target's
    alone. CPU time is steadier than wall time on a shared machine: another job's load
    slows a run's wall clock far more than its CPU.
    """
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.refresh",
            "--peak-rss-of",
            "make",
            "--no-print-directory",
            target,
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-5000:] + done.stderr[-5000:])
        raise SystemExit(f"make {target} failed ({done.returncode})")
    *lines, rss, cpu = done.stdout.rstrip().splitlines() or ["", ""]
    return seconds, int(rss), "\n".join(lines) + done.stderr, float(cpu)


def _peak_rss_of(command: list[str]) -> int:
    """Run ``command``; print its output, then the peak RSS (MB) of its largest process and
    the CPU seconds of all its processes."""
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(done.stdout)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(usage.ru_maxrss // 1024)
    print(round(usage.ru_utime + usage.ru_stime, 2))
    return done.returncode


def step_seconds(dagster_home: Path, started_at: float) -> dict:
    """Each step of the (only) run in ``dagster_home``, and the run's own start-to-end span."""
    import dagster as dg

    os.environ["DAGSTER_HOME"] = str(dagster_home)
    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs()
        if not runs:
            return {}
        run = runs[0]
        started: dict[str, float] = {}
        seconds: dict[str, float] = {}
        bounds: dict[str, float] = {}
        published = None
        for entry in instance.all_logs(run.run_id):
            event = entry.dagster_event
            if event is None:
                continue
            kind = event.event_type
            if kind in (
                dg.DagsterEventType.RUN_START,
                dg.DagsterEventType.RUN_SUCCESS,
                dg.DagsterEventType.RUN_FAILURE,
            ):
                bounds[kind.name] = entry.timestamp
            if event.step_key is None:
                continue
            if kind == dg.DagsterEventType.STEP_START:
                started[event.step_key] = entry.timestamp
            elif kind in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
                name = STAGES.get(event.step_key, event.step_key)
                seconds[name] = round(entry.timestamp - started[event.step_key], 2)
                if name == "publish":
                    published = entry.timestamp
        end = bounds.get("RUN_SUCCESS") or bounds.get("RUN_FAILURE")
        return {
            "status": run.status.value,
            "steps": seconds,
            "run_seconds": round(end - bounds["RUN_START"], 2) if end else None,
            "before_run_start_seconds": round(bounds["RUN_START"] - started_at, 2),
            "to_publish_seconds": round(published - started_at, 2) if published else None,
        }


#: The benchmark's data folder: fresh on every run, at the same path every time (as a
#: council's data/ folder is), so the dbt manifest is parsed once per change of the code,
#: not once per benchmark (pipelines/lib/dbt_manifest.py).
BENCH_DATA = REPO / "data" / "bench-refresh"


def run(la: str, seed: int) -> dict:
    root = BENCH_DATA
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    try:
        env = {
            **os.environ,
            "CSC_DATA_DIR": str(root / "data"),
            "DAGSTER_HOME": str(root / "dagster_home"),
            "LA": la,
            "SEED": str(seed),
        }
        for name in ("CSC_LANDING_DIR", "CSC_DUCKDB_PATH", "CSC_SERVING_DIR"):
            env.pop(name, None)
        manifest_s, _, manifest_out, _ = _make("manifest", env)  # once per code change
        generate_s, _, _, _ = _make("generate", env)
        landing = root / "data" / "landing"
        load_before = os.getloadavg()
        floors = [floor_seconds(landing, root / "floor.duckdb")]
        started_at = time.time()
        wall, peak_mb, output, cpu = _make("materialize", env)
        steps = step_seconds(root / "dagster_home", started_at)
        floors += [floor_seconds(landing, root / "floor.duckdb") for _ in range(2)]
        load_after = os.getloadavg()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    floor = {**floors[0], "seconds": sorted(f["seconds"] for f in floors)[1]}
    floor["reads_seconds"] = [round(f["seconds"], 2) for f in floors]
    in_steps = sum(steps.get("steps", {}).values())
    to_publish = steps.get("to_publish_seconds")
    return {
        "load_average_1min": {"before": round(load_before[0], 2), "after": round(load_after[0], 2)},
        "la": la,
        "seed": seed,
        "generate_seconds": round(generate_s, 2),
        "manifest": {"seconds": round(manifest_s, 2), "said": manifest_out.strip()[-200:]},
        "floor": floor,
        "materialize": {
            "wall_seconds": round(wall, 2),
            **steps,
            "outside_steps_seconds": round(wall - in_steps, 2),
            "peak_rss_mb": peak_mb,
            "cpu_seconds": cpu,
            "log_tail": output.strip().splitlines()[-3:],
        },
        "ratios": {
            "materialize_vs_floor": round(wall / floor["seconds"], 1),
            "to_publish_vs_floor": round(to_publish / floor["seconds"], 1) if to_publish else None,
        },
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--la", default="850")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "refresh.json")
    parser.add_argument("--peak-rss-of", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.peak_rss_of:
        raise SystemExit(_peak_rss_of(args.peak_rss_of))
    report = {
        "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        **run(args.la, args.seed),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    m, f = report["materialize"], report["floor"]
    print(
        f"LA {args.la}: {f['files']} CSVs, {f['rows']:,} rows, {f['megabytes']} MB. "
        f"Floor (DuckDB read_csv into tables) {f['seconds']:.2f}s; make materialize "
        f"{m['wall_seconds']:.1f}s wall ({', '.join(f'{k} {v:.1f}s' for k, v in m.get('steps', {}).items())}; "
        f"outside the steps {m['outside_steps_seconds']:.1f}s; published after "
        f"{m.get('to_publish_seconds')}s; before the run started "
        f"{m.get('before_run_start_seconds')}s), CPU {m['cpu_seconds']:.1f}s, "
        f"peak RSS {m['peak_rss_mb']} MB; load average "
        f"{report['load_average_1min']}"
    )
    print("ratios:", json.dumps(report["ratios"]))
    return report


if __name__ == "__main__":
    main()
