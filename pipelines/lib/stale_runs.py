"""Release runs whose process died (SIGKILL, power cut, OOM killer) so the next run can start.

A run killed outright never reports its end: Dagster keeps it "started", keeps the slot
its running step claimed in the ``duckdb`` pool (limit 1, see dagster.yaml), and counts it
against ``max_concurrent_runs``. Every later run would wait for that slot forever ("Step
blocked by limit for pool duckdb"). DuckDB's own file lock is not the problem: the
operating system drops it with the process.

:func:`release_dead_runs` marks such a run failed and frees its pool slots. A run counts
as dead only when the process that started it (the pid on its start event) no longer
exists on this machine, so it is for single-host installs (the supported one, see
docs/operations.md); a run on another host, or whose pid was reused, is left alone, and
the daemon's ``run_monitoring.max_runtime_seconds`` is the backstop.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
from dagster._core.storage.dagster_run import RunsFilter

#: A run in one of these states has a live process unless it was killed.
_RUNNING = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]


@dataclass(frozen=True)
class ReleasedRun:
    run_id: str
    job_name: str
    pid: int


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists here (a zombie counts as dead)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    status = Path(f"/proc/{pid}/status")
    try:
        state = next(
            (line.split()[1] for line in status.read_text().splitlines() if line[:6] == "State:"),
            "",
        )
    except OSError:
        return True  # no /proc: trust os.kill
    return state != "Z"


def run_pid(instance: dg.DagsterInstance, run_id: str) -> int | None:
    """The pid of the process that executed the run (from its start event)."""
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.RUN_START, limit=1
    ).records
    if not records or records[0].event_log_entry.dagster_event is None:
        return None
    return records[0].event_log_entry.dagster_event.pid


def release_dead_runs(
    instance: dg.DagsterInstance, is_alive: Callable[[int], bool] = pid_alive
) -> list[ReleasedRun]:
    """Mark every running run whose process is gone as failed and free its pool slots."""
    released = []
    for record in instance.get_run_records(filters=RunsFilter(statuses=_RUNNING)):
        run = record.dagster_run
        pid = run_pid(instance, run.run_id)
        if pid is None or is_alive(pid):
            continue
        instance.report_run_failed(
            run,
            f"the run's process (pid {pid}) is gone, killed before it could finish; marked "
            "failed so that the next run can start (nothing it did was published)",
        )
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        released.append(ReleasedRun(run.run_id, run.job_name, pid))
    return released
