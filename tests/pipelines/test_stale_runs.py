"""A run killed with SIGKILL holds the duckdb pool slot until it is released."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg

from pipelines.lib.stale_runs import pid_alive, release_dead_runs
from pipelines.settings import REPO_ROOT
from tests.shared_helpers import wait_for_line

TOY = """
import os, time
import dagster as dg

@dg.asset(pool="duckdb")
def slow(context):
    context.log.info("SLOW STEP STARTED")
    time.sleep(float(os.environ["TOY_SLEEP"]))

@dg.asset(deps=[slow], pool="duckdb")
def after(context):
    context.log.info("AFTER RAN")

defs = dg.Definitions(assets=[slow, after], executor=dg.in_process_executor)
"""
DAGSTER = str(Path(sys.executable).with_name("dagster"))


def start(toy: Path, home: Path, sleep: float) -> subprocess.Popen:
    env = {**os.environ, "DAGSTER_HOME": str(home), "TOY_SLEEP": str(sleep)}
    return subprocess.Popen(
        [DAGSTER, "asset", "materialize", "-f", str(toy), "--select", "*"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, killed as a whole
    )


def kill_group(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    while True:  # until every process of the group is gone
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)


def test_pid_alive_tells_a_running_process_from_a_finished_one():
    assert pid_alive(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert not pid_alive(child.pid)


def test_a_killed_run_is_marked_failed_and_its_pool_slot_freed_so_the_next_run_runs(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    toy = tmp_path / "toy.py"
    toy.write_text(TOY)

    killed = start(toy, home, sleep=600)
    wait_for_line(killed, "SLOW STEP STARTED")
    kill_group(killed)

    with dg.DagsterInstance.from_config(str(home)) as instance:
        [run] = instance.get_runs()
        assert run.status == dg.DagsterRunStatus.STARTED  # nobody told Dagster
        claimed = instance.event_log_storage.get_concurrency_info("duckdb").claimed_slots
        assert [slot.run_id for slot in claimed] == [run.run_id]

        released = release_dead_runs(instance)

        assert [(r.run_id, r.pid) for r in released] == [(run.run_id, killed.pid)]
        assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.event_log_storage.get_concurrency_info("duckdb").claimed_slots == []
        assert release_dead_runs(instance) == []  # once

    following = start(toy, home, sleep=0)
    _, err = following.communicate(timeout=300)
    assert following.returncode == 0, err[-2000:]
    assert "AFTER RAN" in err
