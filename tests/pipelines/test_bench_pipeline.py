"""The pipeline benchmark's own arithmetic: the floor, the memory sampler and the ratios
(its timings are not checked: they are measurements)."""

from __future__ import annotations

import subprocess
import sys
import time

from bench.pipeline import TreeMemory, floor_seconds, ratios


def test_the_floor_reads_every_landing_csv_into_a_table(tmp_path):
    landing = tmp_path / "landing"
    (landing / "850" / "local").mkdir(parents=True)
    (landing / "850" / "local" / "teams.csv").write_text("TEAM_ID,NAME\nT1,a\nT2,b\n")
    (landing / "851.csv").write_text("A\n1\n2\n3\n")
    (landing / "notes.txt").write_text("not a csv")
    floor = floor_seconds(landing, tmp_path / "floor.duckdb")
    assert (floor["files"], floor["rows"]) == (2, 5)
    assert floor["seconds"] > 0


def test_the_memory_sampler_counts_child_processes(tmp_path):
    grow = "b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096]); import time; time.sleep(1.5)"
    with TreeMemory(interval=0.05) as memory:
        memory.phase = "idle"
        time.sleep(0.3)
        memory.phase = "child"
        subprocess.run([sys.executable, "-c", grow], check=True)
    assert memory.peaks["child"] > memory.peaks["idle"] + 150  # MB: the child's 200 MB


def test_ratios_are_refresh_vs_the_first_scenario_and_build_vs_floor():
    def result(las, refresh, build, floor):
        return {
            "las": las,
            "one_la_refresh": {"dbt_build": refresh / 2, "total": refresh},
            "initial_build": {"total": build},
            "floor": {"seconds": floor},
        }

    got = ratios([result(1, 100.0, 120.0, 4.0), result(20, 110.0, 400.0, 50.0)])
    assert got == {
        "one_la_refresh_20_las_vs_1": {"dbt_build": 1.1, "total": 1.1},
        "full_build_vs_floor_1_las": 30.0,
        "full_build_vs_floor_20_las": 8.0,
    }


def test_refreshes_are_a_month_apart_and_reported_by_their_medians():
    from bench.pipeline import NEXT, median_figures, month_end

    assert [month_end(NEXT, k).isoformat() for k in range(5)] == [
        "2026-10-31",
        "2026-11-30",
        "2026-12-31",
        "2027-01-31",
        "2027-02-28",
    ]
    runs = [
        {"dbt_build": 30.0, "total": 50.0, "publish": 3.0},
        {"dbt_build": 56.0, "total": 75.0},  # a slow one: the median ignores it
        {"dbt_build": 31.0, "total": 52.0, "publish": 2.0},
    ]
    assert median_figures(runs) == {"dbt_build": 31.0, "total": 52.0}


def test_dbts_own_time_is_read_from_the_run_results_of_that_runs_step(tmp_path):
    import json

    from bench.pipeline import dbt_elapsed

    for name, elapsed in (
        ("csc_dbt_models-abcdef1-1234567", 12.5),
        ("csc_dbt_models-0000000-1", 99.0),
    ):
        (tmp_path / name).mkdir()
        (tmp_path / name / "run_results.json").write_text(json.dumps({"elapsed_time": elapsed}))
    assert dbt_elapsed("abcdef1-89ab-cdef", tmp_path) == 12.5
    assert dbt_elapsed("fffffff-0000", tmp_path) is None
