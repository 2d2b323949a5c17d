"""The build log: which LAs dbt rebuilds, and which the publish step copies."""

from __future__ import annotations

import json

import duckdb
import pytest

from pipelines.lib.builds import (
    code_version,
    finish_build,
    start_build,
    unfinished_las,
    unpublished,
)


@pytest.fixture
def con(tmp_path):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        yield con


def test_a_build_of_one_la_is_published_as_that_la(con):
    full = start_build(con, "r1", None, "code-1")
    finish_build(con, full)
    assert unpublished(con, None).las is None  # a new snapshot: every LA
    assert unpublished(con, full.build_id) == unpublished(con, 1)
    assert unpublished(con, 1).las == ()  # nothing rebuilt since build 1

    one = start_build(con, "r2", ["851"], "code-1")
    assert one.las == ("851",)
    finish_build(con, one)
    assert unpublished(con, 1).las == ("851",)
    assert unpublished(con, 1).built_through == 2
    two = start_build(con, "r3", ["852"], "code-1")
    finish_build(con, two)
    # a snapshot of build 1 (a failed publish, a rollback) catches up on both LAs
    assert unpublished(con, 1).las == ("851", "852")
    assert unpublished(con, 2).las == ("852",)


def test_an_unfinished_build_is_redone_with_the_next_and_not_published_before(con):
    finish_build(con, start_build(con, "r1", None, "code-1"))
    killed = start_build(con, "r2", ["851"], "code-1")  # dbt killed: never finished
    assert unfinished_las(con) == ("851",)
    assert unpublished(con, 1).las == ()  # half-built rows are not published
    nxt = start_build(con, "r3", ["852"], "code-1")
    assert nxt.las == ("851", "852")
    finish_build(con, nxt)
    assert unfinished_las(con) == ()
    assert unpublished(con, 1).las == ("851", "852")
    assert killed.build_id < nxt.build_id


def test_an_unfinished_full_build_or_new_code_makes_the_next_build_full(con):
    start_build(con, "r1", None, "code-1")  # never finished
    assert start_build(con, "r2", ["851"], "code-1").las is None
    con.execute("update raw_meta.mart_builds set finished_at = now()")
    assert start_build(con, "r3", ["851"], "code-1").las == ("851",)
    con.execute("update raw_meta.mart_builds set finished_at = now()")
    changed = start_build(con, "r4", ["851"], "code-2")
    assert changed.las is None  # other LAs' rows were made by the old code
    finish_build(con, changed)
    assert unpublished(con, 3).las is None


def test_the_code_version_follows_models_and_the_projects_macros(tmp_path):
    manifest = {
        "metadata": {"project_name": "csc_kpis"},
        "nodes": {"model.csc_kpis.a": {"checksum": {"checksum": "1"}}},
        "macros": {
            "macro.csc_kpis.m": {"package_name": "csc_kpis", "macro_sql": "select 1"},
            "macro.dbt.x": {"package_name": "dbt", "macro_sql": "select 2"},
        },
    }
    path = tmp_path / "manifest.json"

    def version_of(m):
        path.write_text(json.dumps(m))
        return code_version(path)

    base = version_of(manifest)
    assert version_of(manifest) == base
    manifest["macros"]["macro.dbt.x"]["macro_sql"] = "select 3"  # dbt's own: its version counts
    assert version_of(manifest) == base
    manifest["macros"]["macro.csc_kpis.m"]["macro_sql"] = "select 4"
    changed_macro = version_of(manifest)
    manifest["nodes"]["model.csc_kpis.a"]["checksum"]["checksum"] = "2"
    assert len({base, changed_macro, version_of(manifest)}) == 3
