"""Helpers more than one test folder uses (``from tests.shared_helpers import ...``)."""

from __future__ import annotations

import queue
import subprocess
import threading
import time

import duckdb


def raw_rows(settings, la: str) -> dict[str, list[tuple]]:
    """Every raw row of one LA, with its lineage, and its extract_files bookkeeping."""
    from pipelines.lib.contract import ALL_TABLES

    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        rows = {
            spec.raw_table: con.execute(
                f"select * from {spec.raw_table} where la_code = ? order by all", [la]
            ).fetchall()
            for spec in ALL_TABLES
        }
        rows["raw_meta.extract_files"] = con.execute(
            "select * from raw_meta.extract_files where la_code = ? order by all", [la]
        ).fetchall()
    return rows


def wait_for_line(proc: subprocess.Popen, text: str, deadline_s: float = 120) -> None:
    """Read ``proc``'s stderr until a line holds ``text``; fail if it exits or time runs out."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stderr], daemon=True).start()
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            if text in lines.get(timeout=1):
                return
        except queue.Empty:
            if proc.poll() is not None:
                break
    raise AssertionError(f"{text!r} never appeared in the process's log")
