"""status.duckdb: what the dashboard reads to explain a block, written atomically."""

from __future__ import annotations

import datetime as dt
import os

import duckdb
import pytest

from pipelines.lib.loader import GateDecision, load_landing
from pipelines.lib.status import ISSUE_RUNS, publish_status


def _block(labels):
    def gate(batch):
        return {
            c.extract.label: GateDecision(True, "f.csv", "f.csv, line 2: bad [rule 501]")
            for c in batch
            if c.extract.label in labels
        }

    return gate


def _status(path) -> dict[tuple, tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            r[:3]: r[3:]
            for r in con.execute(
                "select la_code, source, collection_year, latest_extract_date, latest_status, "
                "served_extract_date, is_serving_older_data, served_age_days "
                "from extract_status"
            ).fetchall()
        }


def test_status_says_which_extract_is_served_and_that_a_newer_one_was_blocked(
    landing, con, tmp_path
):
    landing.extract_903("850", "2024-10-31")
    load_landing(con, landing.root)
    landing.extract_903("850", "2024-11-30")
    landing.extract_local("850", "2024-11-30")
    load_landing(con, landing.root, validate=_block({"850/ssda903/2024-25/2024-11-30"}))
    path = tmp_path / "serving" / "status.duckdb"
    publish_status(con, path, "r", today=dt.date(2024, 12, 10))
    assert _status(path) == {
        ("850", "ssda903", "2024-25"): (
            dt.date(2024, 11, 30),
            "blocked",
            dt.date(2024, 10, 31),
            True,
            40,
        ),
        ("850", "local", None): (
            dt.date(2024, 11, 30),
            "published",
            dt.date(2024, 11, 30),
            False,
            10,
        ),
    }


def test_status_is_replaced_atomically_and_leaves_no_temporary_file(landing, con, tmp_path):
    landing.extract_903("850", "2024-10-31")
    load_landing(con, landing.root)
    path = tmp_path / "status.duckdb"
    path.write_bytes(b"old status")
    inode_before = os.stat(path).st_ino
    result = publish_status(con, path)
    assert os.stat(path).st_ino != inode_before  # a new file swapped in, not written in place
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert set(result.tables) == {
        "load_events",
        "extract_files",
        "dq_runs",
        "dq_issues",
        "extract_status",
        "landing_problems",
        "volume_checks",
        "dfe903_runs",
        "dfe903_rules",
        "dfe903_issues",
        "status_info",
    }


def test_a_failed_write_keeps_the_previous_status(landing, con, tmp_path, monkeypatch):
    path = tmp_path / "status.duckdb"
    publish_status(con, path, "first")
    monkeypatch.setattr("pipelines.lib.status._EXTRACT_STATUS", "select nonsense from nowhere")
    with pytest.raises(duckdb.Error):
        publish_status(con, path, "second")
    with duckdb.connect(str(path), read_only=True) as s:
        assert s.execute("select run_id from status_info").fetchone() == ("first",)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_only_the_latest_runs_issues_are_copied(con, tmp_path):
    from pipelines.lib.warehouse import ensure_raw_schema

    ensure_raw_schema(con)
    for i in range(ISSUE_RUNS + 2):
        at = dt.datetime(2024, 1, 1) + dt.timedelta(days=i)
        con.execute(
            "insert into raw_meta.dq_runs values (?, ?, '850', 'ssda903', '2024-25', "
            "'2024-10-31', 'warnings', 0, 1, 10, 0.1, 'm', 0, 1)",
            [f"run-{i}", at],
        )
        con.execute(
            "insert into raw_meta.dq_issues values (?, ?, '850', 'ssda903', '2024-25', "
            "'2024-10-31', 'f.csv', 2, 'C1', 'header', '103', 'warning', 'm', 'ETHNIC=X')",
            [f"run-{i}", at],
        )
    publish_status(con, tmp_path / "status.duckdb")
    with duckdb.connect(str(tmp_path / "status.duckdb"), read_only=True) as s:
        runs = {r[0] for r in s.execute("select distinct run_id from dq_issues").fetchall()}
        assert s.execute("select count(*) from dq_runs").fetchone() == (ISSUE_RUNS + 2,)
    assert runs == {f"run-{i}" for i in range(2, ISSUE_RUNS + 2)}


def test_a_landing_problem_blocks_its_year_until_it_is_gone_even_with_no_extract(
    landing, con, tmp_path
):
    landing.extract_903("850", "2024-10-31")
    landing.write("850/ssda903/2025-26/2025-04-31/header.csv", "CHILD\n")  # no such date
    landing.write("850/ssda903/2024-25/2024-11-31/header.csv", "CHILD\n")
    landing.write("850/readme.txt", "listed, not read")
    load_landing(con, landing.root)
    path = publish_status(con, tmp_path / "status.duckdb").path
    status = _status(path)
    assert status[("850", "ssda903", "2025-26")] == (None, "blocked", None, True, None)
    assert status[("850", "ssda903", "2024-25")][:3] == (
        dt.date(2024, 10, 31),
        "blocked",
        dt.date(2024, 10, 31),
    )
    assert ("850", None, None) not in status  # a warning does not block anything
    with duckdb.connect(str(path), read_only=True) as s:
        [(message, problem)] = s.execute(
            "select latest_message, problem_path from extract_status "
            "where collection_year = '2024-25'"
        ).fetchall()
    assert problem == "850/ssda903/2024-25/2024-11-31"
    assert message.startswith("850/ssda903/2024-25/2024-11-31: folder name '2024-11-31'")
    for folder in ("2025-26/2025-04-31", "2024-25/2024-11-31"):
        (landing.root / "850/ssda903" / folder / "header.csv").unlink()
        (landing.root / "850/ssda903" / folder).rmdir()
    load_landing(con, landing.root)
    status = _status(publish_status(con, tmp_path / "status.duckdb").path)
    assert ("850", "ssda903", "2025-26") not in status
    assert status[("850", "ssda903", "2024-25")][1] == "published"
