"""Ingest benchmark: Hampshire's load and data-quality gate against DuckDB reading the same
CSVs, the whole-file scan, and the peak memory of rejecting a file ten times its size.

On generated Hampshire (``csc-synth --la 850 --seed 42``), in one run:

- ``duckdb_read``: DuckDB alone reading every CSV of the landing folder (``read_csv``, all
  text): the yardstick of the ingest (issue 16 asks the refresh to stay within 8x of it);
- ``scan``: the whole-file checks of every CSV (``pipelines/lib/filecheck.py``);
- ``ingest``: the first load of every extract with the gate and the cross-extract rules
  (what the Dagster ingest step does), in a fresh process;
- peak memory (``ru_maxrss`` of a fresh process) of a refresh with one new month of
  normal extracts, and of the same refresh when the month's largest file has ten times its
  rows (junk appended): it is rejected, and should cost no more memory than the normal one.
  ``--junk-rows N`` appends N junk rows instead (the 2-million-row case of issue 12).

Figures are seconds and MB from ONE run on this machine, and the ratios between them; not
assertions.

    python -m bench.ingest [--scale 1.0] [--junk-rows 0] [--out bench/results/ingest.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from pipelines.synth import SynthConfig, generate

AS_AT = dt.date(2026, 9, 30)
NEXT = dt.date(2026, 10, 31)


def _csvs(landing: Path) -> list[Path]:
    return sorted(p for p in landing.rglob("*.csv") if p.is_file())


def duckdb_read_seconds(landing: Path) -> float:
    """DuckDB reading every CSV (all columns as text), one query per file."""
    con = duckdb.connect()
    started = time.perf_counter()
    for path in _csvs(landing):
        con.execute(
            "select count(*) from read_csv(?, all_varchar = true, header = true)", [str(path)]
        ).fetchone()
    return time.perf_counter() - started


def scan_seconds(landing: Path) -> float:
    from pipelines.lib.filecheck import scan_file

    started = time.perf_counter()
    for path in _csvs(landing):
        with path.open("rb") as handle:
            scan_file(handle, path.name)
    return time.perf_counter() - started


def _measure(landing: Path, warehouse: Path) -> dict:
    """In this (fresh) process: load the landing folder with the gate; seconds and peak RSS."""
    from pipelines.lib.loader import load_landing
    from pipelines.lib.quality import QualityGate

    started = time.perf_counter()
    with duckdb.connect(str(warehouse)) as con:
        gate = QualityGate(con, run_id="bench")
        report = load_landing(con, landing, validate=gate)
        gate.check_warehouse()
    return {
        "seconds": time.perf_counter() - started,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rejected": [e.message[:300] for e in report.by_outcome("rejected")],
        "loaded": len(report.loaded_extracts),
    }


def _in_fresh_process(landing: Path, warehouse: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.ingest", "--measure", str(landing), str(warehouse)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _new_month(landing: Path) -> Path:
    """Copy Hampshire's latest current-year 903 and local extracts to ``NEXT``."""
    for parent in (landing / "850" / "ssda903" / "2026-27", landing / "850" / "local"):
        latest = sorted(p for p in parent.iterdir() if p.name != NEXT.isoformat())[-1]
        target = parent / NEXT.isoformat()
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(latest, target)
    return landing


def _pad(path: Path, rows: int) -> None:
    """Append ``rows`` junk rows with the header's number of fields."""
    width = path.open().readline().count(",") + 1
    rnd = random.Random(12)
    tokens = ["".join(rnd.choices(string.ascii_letters + string.digits, k=8)) for _ in range(999)]
    with path.open("a") as handle:
        for _ in range(rows):
            handle.write(",".join(rnd.choices(tokens, k=width)) + "\n")


def run(scale: float, junk_rows: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="csc-bench-ingest-") as tmp:
        root = Path(tmp)
        landing = root / "landing"
        generate(SynthConfig(out=landing, las=("850",), as_at=AS_AT, seed=42, scale=scale))
        files = _csvs(landing)
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        duckdb_read = duckdb_read_seconds(landing)
        scan = scan_seconds(landing)
        first = _in_fresh_process(landing, root / "warehouse.duckdb")
        base = root / "after-first-load.duckdb"
        shutil.copy(root / "warehouse.duckdb", base)
        _new_month(landing)
        shutil.copy(base, root / "w-normal.duckdb")
        normal = _in_fresh_process(landing, root / "w-normal.duckdb")
        month = [p for p in _csvs(landing) if NEXT.isoformat() in str(p)]
        largest = max(month, key=lambda p: p.stat().st_size)
        lines = sum(1 for _ in largest.open()) - 1
        added = junk_rows or 9 * lines
        _pad(largest, added)
        shutil.copy(base, root / "w-big.duckdb")
        big = _in_fresh_process(landing, root / "w-big.duckdb")
    return {
        "csv_files": len(files),
        "csv_megabytes": round(megabytes, 1),
        "duckdb_read_seconds": duckdb_read,
        "scan_seconds": scan,
        "ingest": first,
        "refresh_normal": normal,
        "refresh_big_file": {
            **big,
            "file": largest.relative_to(landing).as_posix(),
            "rows_before": lines,
            "rows_added": added,
        },
        "ratios": {
            "ingest_vs_duckdb_read": round(first["seconds"] / duckdb_read, 1),
            "scan_vs_duckdb_read": round(scan / duckdb_read, 2),
            "big_file_vs_normal_peak_rss": round(big["peak_rss_mb"] / normal["peak_rss_mb"], 2),
        },
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--junk-rows", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("bench/results/ingest.json"))
    parser.add_argument("--measure", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(_measure(*args.measure)))
        return {}
    report = {
        "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        **run(args.scale, args.junk_rows),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    big = report["refresh_big_file"]
    print(
        f"Hampshire: {report['csv_files']} CSVs, {report['csv_megabytes']} MB; DuckDB reads them "
        f"in {report['duckdb_read_seconds']:.2f}s, the whole-file scan in "
        f"{report['scan_seconds']:.2f}s; first ingest (load + gate) "
        f"{report['ingest']['seconds']:.1f}s; peak RSS: normal refresh "
        f"{report['refresh_normal']['peak_rss_mb']:.0f} MB, with {big['file']} padded by "
        f"{big['rows_added']:,} rows {big['peak_rss_mb']:.0f} MB "
        f"({'rejected' if big['rejected'] else 'NOT rejected'})"
    )
    print("ratios:", json.dumps(report["ratios"]))
    return report


if __name__ == "__main__":
    main()
