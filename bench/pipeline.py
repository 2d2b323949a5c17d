"""Pipeline benchmark: full build and one-LA refresh with 1, 20 (and 153) LAs loaded.

Each scenario runs in a fresh process. It generates synthetic extracts, measures the floor
(DuckDB alone reading every landing CSV into tables of a new database file), builds
everything once through Dagster from an empty warehouse (every LA partition in one run:
load + data-quality gate, GX checks, dbt build, publish), then drops one new monthly
extract for Hampshire and refreshes Hampshire's partition only, the way the landing sensor
does (dbt and publish incremental by LA), three times (``--refreshes``), a new month each
time; the medians are reported and compared. Each Dagster step is timed from the run's
event log, and the dbt step split into dbt's own elapsed time (run_results.json) and the
rest (dbt's start and parse, Dagster receiving the events); the peak resident memory of
the process tree (the Dagster process and dbt) is sampled from /proc for each phase. For comparison it also times what an unpartitioned refresh
would pay on top: scanning every LA's extracts (all unchanged), and the GX checks over
every LA's rows rather than one LA's.

Results are wall-clock seconds from ONE run on this machine (and the CPU seconds of each
run, less sensitive to other work on a shared machine) and the ratios between them:
one-LA refresh with N LAs ÷ with 1 LA, full build ÷ floor. They are not assertions and
vary with machine load.

    python -m bench.pipeline [--las 1,20] [--scale 1.0] [--years 5] [--refreshes 3] [--out bench/results/pipeline.json]
    SCALE=national python -m bench.pipeline     # 1, 20 and 153 LAs (make bench SCALE=national)

Options for the national scenario (each also an environment variable, so that
``make bench SCALE=national`` can pass it): ``--landing-for-largest`` (``BENCH_LANDING``)
copies a landing folder generated before (``csc-synth --la all --seed 1 --as-at
2026-09-30``) into the largest scenario instead of generating it again;
``--keep-serving`` (``BENCH_KEEP_SERVING``) keeps the largest scenario's published
folder (the snapshot and its status file) for the dashboard load test
(``python -m bench.dashboard_load --snapshot DIR/serving.duckdb``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
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
#: One-LA refreshes per scenario, each with a new month for Hampshire; the ratio is taken
#: between their medians (one pair of runs on a shared machine differed by 30 %).
REFRESHES = 3
#: Dagster step -> the stage it is reported as.
STAGES = {
    "landing_extracts": "load_and_gate",
    "gx_raw_tables": "gx_checks",
    "ons_reference": "postcode_reference",
    "csc_dbt_models": "dbt_build",
    "serving_snapshot": "publish",
}
#: ``SCALE=national`` (``make bench SCALE=national``): the 153-LA scenario too.
NATIONAL_LAS = "1,20,153"
DEFAULT_LAS = "1,20"


class TreeMemory:
    """Peak resident memory (MB) of this process and its descendants (dbt), per phase,
    sampled from /proc every ``interval`` seconds (Linux)."""

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.phase = "start"
        self.peaks: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _tree_rss_kb(root: int) -> int:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/status") as f:
                    fields = dict(line.split(":", 1) for line in f if ":" in line)
            except OSError:  # the process ended meanwhile
                continue
            pid = int(entry.name)
            parents[pid] = int(fields["PPid"])
            rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
        total = 0
        for pid in rss:
            p = pid
            while p and p != root:
                p = parents.get(p, 0)
            if p == root:
                total += rss[pid]
        return total

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            mb = self._tree_rss_kb(me) / 1024
            self.peaks[self.phase] = max(self.peaks.get(self.phase, 0.0), mb)
            self._stop.wait(self.interval)


def floor_seconds(landing: Path, database: Path) -> dict[str, float]:
    """The floor: DuckDB alone reading every landing CSV (all text) into a table of a new
    database file, one table per file, in one transaction (as a load would)."""
    files = sorted(p for p in landing.rglob("*.csv") if p.is_file())
    started = time.perf_counter()
    with duckdb.connect(str(database)) as con:
        con.execute("begin")
        for i, path in enumerate(files):
            con.execute(
                f"create table t{i} as select * from read_csv(?, all_varchar = true, header = true)",
                [str(path)],
            )
        con.execute("commit")
        rows = sum(
            con.execute(f"select count(*) from t{i}").fetchone()[0] for i in range(len(files))
        )
    return {"seconds": time.perf_counter() - started, "files": len(files), "rows": rows}


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
    from pipelines.defs.partitions import every_la_tags, register_landing_las
    from pipelines.defs.publish.assets import serving_snapshot
    from pipelines.defs.quality.checks import GX_CHECKS
    from pipelines.defs.reference.assets import ons_reference
    from pipelines.defs.resources import build_resources
    from pipelines.defs.transform.assets import csc_dbt_models

    register_landing_las(instance, settings.landing_dir)
    tags = None if partition_key is not None else every_la_tags(instance)
    t, cpu = time.perf_counter(), _cpu_seconds()
    result = dg.materialize(
        [landing_extracts, ons_reference, csc_dbt_models, serving_snapshot, *GX_CHECKS],
        resources=build_resources(settings),
        instance=instance,
        partition_key=partition_key,
        tags=tags,
    )
    total = time.perf_counter() - t
    seconds = _step_seconds(instance, result.run_id)
    dbt_seconds = dbt_elapsed(result.run_id)
    if dbt_seconds is not None and "dbt_build" in seconds:
        # dbt's own time executing the nodes (run_results.json) and the rest of the step:
        # starting dbt and parsing the project for the run's vars, and Dagster receiving
        # every node's events
        seconds["dbt_execute"] = dbt_seconds
        seconds["dbt_outside_execute"] = seconds["dbt_build"] - dbt_seconds
    return {**seconds, "total": total, "cpu_seconds": _cpu_seconds() - cpu}


def dbt_elapsed(run_id: str, targets: Path | None = None) -> float | None:
    """dbt's elapsed time (``run_results.json``) of the dbt step of run ``run_id``; None
    when there is none (dbt did not run, or its target folder was pruned)."""
    from pipelines.lib.dbt_manifest import run_target

    folder = run_target(run_id, targets=targets)
    results = folder / "run_results.json" if folder else None
    if results is None or not results.is_file():
        return None
    return float(json.loads(results.read_text())["elapsed_time"])


def median_figures(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over ``runs`` (the figures every run has)."""
    keys = [k for k in runs[0] if all(k in r for r in runs)]
    return {k: statistics.median(r[k] for r in runs) for k in keys}


def month_end(first: dt.date, k: int) -> dt.date:
    """The month end ``k`` months after month end ``first``."""
    year, month = divmod(first.month - 1 + k, 12)
    following = dt.date(first.year + year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its children that ended (dbt): less
    sensitive than wall time to other work on a shared machine."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


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


def _new_month_for_hampshire(landing: Path, date: dt.date = NEXT) -> None:
    """Copy Hampshire's latest current-year 903 and local extracts to month end ``date``."""
    for parent in (landing / "850" / "ssda903" / "2026-27", landing / "850" / "local"):
        latest = sorted(parent.iterdir())[-1]
        shutil.copytree(latest, parent / date.isoformat())


def scenario(
    n_las: int,
    scale: float,
    years: int = 5,
    unpartitioned: bool = True,
    progress: Callable[[dict], None] | None = None,
    landing: Path | None = None,
    keep_serving: Path | None = None,
    refreshes: int = REFRESHES,
) -> dict:
    """One scenario, in this process: generate, floor, full build, ``refreshes`` one-LA
    refreshes (each of a new month for Hampshire; ``one_la_refresh`` holds their medians,
    ``one_la_refreshes`` each one).

    ``progress`` is called with the figures so far after each phase (a national run that
    is stopped still leaves what it measured). ``landing``: a landing folder generated
    before (``csc-synth --la all --seed 1 --as-at 2026-09-30``), copied instead of
    generating the LAs again. ``keep_serving``: copy the published folder there at the
    end (the temporary folder of the run is deleted)."""
    others = [c for c in ALL_CODES if c != "850"]
    las = ("850", *others[: n_las - 1])
    result: dict = {"las": n_las, "scale": scale, "years": years}

    def done(phase: str, figures) -> None:
        result[phase] = figures
        peaks = {k: round(v) for k, v in memory.peaks.items() if k not in ("start", "end")}
        result["peak_rss_mb"] = {
            **peaks,
            "build_and_refresh": max(peaks.get("full_build", 0), peaks.get("one_la_refresh", 0)),
        }
        if progress:
            progress(result)

    with tempfile.TemporaryDirectory(prefix="csc-bench-") as tmp, TreeMemory() as memory:
        root = Path(tmp)
        settings = Settings(
            landing_dir=root / "landing",
            warehouse_path=root / "warehouse.duckdb",
            serving_dir=root / "serving",
        )
        os.environ["CSC_DUCKDB_PATH"] = str(settings.warehouse_path)
        memory.phase = "generate"
        t = time.perf_counter()
        if landing is not None:
            shutil.copytree(landing, settings.landing_dir)
            result["landing_copied_from"] = str(landing)
        else:
            config = SynthConfig(
                out=settings.landing_dir,
                las=las,
                as_at=AS_AT,
                seed=1,
                scale=scale,
                years=years,
                jobs=min(2, os.cpu_count() or 1),  # generating is not what is measured
                quiet=True,
            )
            result["csv_rows"] = sum(generate(config).rows.values())
        done("generate_seconds", time.perf_counter() - t)
        memory.phase = "floor"
        done("floor", floor_seconds(settings.landing_dir, root / "floor.duckdb"))
        (root / "floor.duckdb").unlink()
        with dg.DagsterInstance.ephemeral() as instance:
            memory.phase = "full_build"
            done("initial_build", _materialize(settings, instance, None))
            memory.phase = "one_la_refresh"
            runs = []
            for k in range(refreshes):
                _new_month_for_hampshire(settings.landing_dir, month_end(NEXT, k))
                runs.append(_materialize(settings, instance, "850"))
                result["one_la_refreshes"] = runs
                done("one_la_refresh", median_figures(runs))
        memory.phase = "unpartitioned_comparison"
        extra = _unpartitioned_costs(settings) if unpartitioned else {}
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            result["kpi_values_rows"] = con.execute(
                "select count(*) from marts.kpi_values"
            ).fetchone()[0]
        result["warehouse_mb"] = round(settings.warehouse_path.stat().st_size / 2**20)
        result["snapshot_mb"] = round(settings.serving_path.stat().st_size / 2**20)
        if keep_serving is not None:
            shutil.rmtree(keep_serving, ignore_errors=True)
            shutil.copytree(settings.serving_dir, keep_serving)
            result["serving_kept_in"] = str(keep_serving)
        memory.phase = "end"
        done("unpartitioned_comparison", extra)
    return result


def _in_fresh_process(
    n_las: int,
    scale: float,
    years: int,
    unpartitioned: bool,
    landing: Path | None = None,
    keep_serving: Path | None = None,
    refreshes: int = REFRESHES,
) -> dict:
    """Run one scenario in a new Python process (its memory and imports its own)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = Path(f.name)
    try:
        cmd = [sys.executable, "-m", "bench.pipeline", "--scenario", str(n_las)]
        cmd += ["--scale", str(scale), "--years", str(years), "--out", str(out)]
        cmd += ["--refreshes", str(refreshes)]
        if not unpartitioned:
            cmd.append("--no-unpartitioned")
        if landing is not None:
            cmd += ["--landing", str(landing)]
        if keep_serving is not None:
            cmd += ["--keep-serving", str(keep_serving)]
        subprocess.run(cmd, check=True)
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def ratios(results: list[dict]) -> dict:
    """One-LA refresh with N LAs ÷ with the first scenario's LAs (per stage), and the full
    build ÷ the floor of each scenario."""
    out: dict[str, dict] = {}
    base = results[0]
    for r in results[1:]:
        out[f"one_la_refresh_{r['las']}_las_vs_{base['las']}"] = {
            k: round(v / base["one_la_refresh"][k], 2)
            for k, v in r["one_la_refresh"].items()
            if base["one_la_refresh"].get(k)
        }
    for r in results:
        out[f"full_build_vs_floor_{r['las']}_las"] = round(
            r["initial_build"]["total"] / r["floor"]["seconds"], 1
        )
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    national = os.environ.get("SCALE", "").lower() == "national"
    parser.add_argument("--las", default=NATIONAL_LAS if national else DEFAULT_LAS)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--scenario", type=int, help="run one scenario of N LAs in this process (--out: its JSON)"
    )
    parser.add_argument("--no-unpartitioned", action="store_true", help="skip that comparison")
    parser.add_argument(
        "--refreshes",
        type=int,
        default=int(os.environ.get("BENCH_REFRESHES", REFRESHES)),
        help="one-LA refreshes per scenario, the median reported (default: $BENCH_REFRESHES "
        f"or {REFRESHES})",
    )
    parser.add_argument(
        "--landing", type=Path, help="with --scenario: copy this landing folder, do not generate"
    )
    parser.add_argument(
        "--landing-for-largest",
        type=Path,
        help="the largest scenario copies this landing folder instead of generating it "
        "(default: $BENCH_LANDING)",
    )
    parser.add_argument(
        "--keep-serving",
        type=Path,
        help="keep the (largest) scenario's published folder here (default, for the "
        "largest scenario only: $BENCH_KEEP_SERVING)",
    )
    args = parser.parse_args(argv)
    if args.scenario:

        def save(figures: dict) -> None:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(figures, indent=2))

        return scenario(
            args.scenario,
            args.scale,
            args.years,
            not args.no_unpartitioned,
            save,
            args.landing,
            args.keep_serving,
            args.refreshes,
        )
    out = args.out or Path(
        "bench/results/pipeline_national.json" if national else "bench/results/pipeline.json"
    )
    counts = [int(n) for n in args.las.split(",")]
    # the environment is read here, by the parent, not by each scenario's process (which
    # inherits it): only the largest scenario copies the landing folder and keeps its
    # published folder
    landing = args.landing_for_largest or _env_path("BENCH_LANDING")
    keep_serving = args.keep_serving or _env_path("BENCH_KEEP_SERVING")
    results = []
    largest = max(counts)
    for n in counts:
        # the comparison with an unpartitioned refresh is skipped at national scale (minutes)
        results.append(
            _in_fresh_process(
                n,
                args.scale,
                args.years,
                unpartitioned=n <= 20,
                landing=landing if n == largest else None,
                keep_serving=keep_serving if n == largest else None,
                refreshes=args.refreshes,
            )
        )
        print(_line(results[-1]), flush=True)
    report = {
        "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "scenarios": results,
        "ratios": ratios(results),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print("ratios:", json.dumps(report["ratios"]))
    return report


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


def _line(r: dict) -> str:
    stages = ", ".join(f"{k} {v:.1f}s" for k, v in r["one_la_refresh"].items())
    each = ", ".join(f"{x['total']:.1f}s" for x in r.get("one_la_refreshes", []))
    return (
        f"{r['las']:>3} LAs: generate {r['generate_seconds']:.1f}s; "
        f"floor {r['floor']['seconds']:.1f}s ({r['floor']['rows']} rows); "
        f"full build {r['initial_build']['total']:.1f}s; one-LA refresh (median of {each}): "
        f"{stages}; "
        f"peak RSS {r['peak_rss_mb']['build_and_refresh']} MB; unpartitioned comparison: "
        + ", ".join(f"{k} {v:.1f}s" for k, v in r["unpartitioned_comparison"].items())
    )


if __name__ == "__main__":
    main()
