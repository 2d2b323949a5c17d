"""CSV reader benchmark: the loader's parser (Python ``csv``, strict) against DuckDB's
``read_csv`` (strict, rejects captured) producing the same columns, on every landing CSV.

Issue 16 asked to move the ingest's parsing to DuckDB's reader where it pays. Both readers
here start from a file that passed the whole-file checks (``pipelines/lib/filecheck.py``)
and must give the loader what it needs: every contract column as trimmed text (blank is
None, trimmed as Python's ``str.strip``), and the line each row is on. DuckDB's answer is
only usable when it is unambiguous (no rejected line, one record per physical line, so
record *i* is on line *i* + 2); the benchmark checks that both readers agree, value for
value, on every file, and times DuckDB's three parts: reading into a table, trimming, and
handing the rows to Python (the data-quality gate validates pandas frames, stack-notes §6).

Result on generated Hampshire (docs/performance.md): DuckDB is slower here, because the
files are small (135 files, 16 MB) and the rows must come back to Python for the gate. So
the loader keeps Python's parser; see docs/performance.md for the lever that would pay.

    python -m bench.csv_reader [--landing DIR] [--out bench/results/csv_reader.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np

from pipelines.lib.contract import TABLES_BY_KEY
from pipelines.lib.csvfile import parse_csv
from pipelines.lib.filecheck import open_regular, scan_file

#: What Python's ``str.strip()`` removes, as an RE2 class, so DuckDB trims the same.
_WS = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
_WS_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _WS) + "]"


def _strip_sql(column: str) -> str:
    return f"nullif(regexp_replace({column}, '^{_WS_CLASS}+|{_WS_CLASS}+$', '', 'g'), '')"


def duckdb_parse(con: duckdb.DuckDBPyConnection, handle, scan, spec, timings: dict) -> dict | None:
    """The contract columns of a checked file read by DuckDB, or None when DuckDB's answer is
    not unambiguous (a rejected line, blank lines, a quoted line break)."""
    header = scan.header.decode("utf-8").split(",")
    names = [h.strip().upper() for h in header]
    raw = [f"c{i}" for i in range(len(header))]
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in raw) + "}"
    read = (
        f"read_csv(?, header = false, skip = 1, columns = {columns}, delim = ',', quote = '\"', "
        "escape = '\"', strict_mode = true, null_padding = false, auto_detect = false, "
        "store_rejects = true)"
    )
    t = time.perf_counter()
    con.execute("drop table if exists reject_errors; drop table if exists reject_scans")
    # the descriptor opened without following links, never the name
    con.execute(
        f"create or replace temp table r as select * from {read}",
        [f"/proc/self/fd/{handle.fileno()}"],
    )
    rejected = con.execute("select count(*) from reject_errors").fetchone()[0]
    count = con.execute("select count(*) from r").fetchone()[0]
    timings["read"] += time.perf_counter() - t
    if rejected or count != scan.data_lines:
        return None
    t = time.perf_counter()
    wanted = [raw[names.index(c)] for c in spec.columns]
    con.execute(
        "create or replace temp table s as select "
        + ", ".join(f"{_strip_sql(c)} as {c}" for c in wanted)
        + " from r"
    )
    timings["trim"] += time.perf_counter() - t
    t = time.perf_counter()
    arrays = con.execute("select * from s").fetchnumpy()
    out = {}
    for col, c in zip(spec.columns, wanted, strict=True):
        values = arrays[c]
        data = np.asarray(getattr(values, "data", values), dtype=object)
        if isinstance(values, np.ma.MaskedArray) and values.mask is not np.ma.nomask:
            data[np.ma.getmaskarray(values)] = None
        out[col.lower()] = data.tolist()
    timings["to_python"] += time.perf_counter() - t
    return out


def run(landing: Path) -> dict:
    files = sorted(p for p in landing.rglob("*.csv") if p.is_file())
    con = duckdb.connect(config={"threads": 1})  # one thread: rows keep the file's order
    python_s = 0.0
    timings = {"read": 0.0, "trim": 0.0, "to_python": 0.0}
    same = ambiguous = 0
    for path in files:
        spec = TABLES_BY_KEY[("ssda903" if "ssda903" in path.parts else "local", path.stem)]
        with open_regular(path, path.name) as handle:
            scan = scan_file(handle, path.name)
            handle.seek(0)
            t = time.perf_counter()
            parsed = parse_csv(handle, scan, spec, path, path.name)
            python_s += time.perf_counter() - t
            columns = duckdb_parse(con, handle, scan, spec, timings)
        if columns is None:
            ambiguous += 1
            continue
        if columns != parsed.columns or parsed.source_rows != list(range(2, parsed.row_count + 2)):
            raise SystemExit(f"{path}: DuckDB and Python read different values")
        same += 1
    duckdb_s = sum(timings.values())
    return {
        "files": len(files),
        "rows": None,
        "identical_files": same,
        "ambiguous_files": ambiguous,
        "python_csv_seconds": round(python_s, 3),
        "duckdb_seconds": round(duckdb_s, 3),
        "duckdb_parts_seconds": {k: round(v, 3) for k, v in timings.items()},
        "ratios": {"duckdb_vs_python": round(duckdb_s / python_s, 2)},
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing", type=Path, help="default: generate Hampshire (seed 42)")
    parser.add_argument("--out", type=Path, default=Path("bench/results/csv_reader.json"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="csc-bench-csv-") as tmp:
        landing = args.landing
        if landing is None:
            from pipelines.synth import SynthConfig, generate

            landing = Path(tmp) / "landing"
            generate(SynthConfig(out=landing, las=("850",), as_at=dt.date(2026, 11, 30), seed=42))
        report = {
            "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            **run(landing),
        }
    report.pop("rows")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(
        f"{report['files']} CSVs ({report['identical_files']} read identically, "
        f"{report['ambiguous_files']} left to Python): Python csv {report['python_csv_seconds']:.2f}s, "
        f"DuckDB read_csv {report['duckdb_seconds']:.2f}s ({report['duckdb_parts_seconds']})"
    )
    print("ratios:", json.dumps(report["ratios"]))
    return report


if __name__ == "__main__":
    main()
