"""Rollback of the published snapshot, and alerts for failed runs."""

from __future__ import annotations

import http.server
import json
import threading

import duckdb
import pytest

from pipelines.lib.alerts import record_alert
from pipelines.lib.rollback import NothingToRollBack, rollback


def make_snapshot(path, version: str) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create table v as select ? as version", [version])


def version(path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select version from v").fetchone()[0]


def test_rollback_serves_the_previous_snapshot_and_running_it_again_undoes_it(tmp_path):
    current, previous = tmp_path / "serving.duckdb", tmp_path / "serving.previous.duckdb"
    make_snapshot(current, "new")
    make_snapshot(previous, "old")
    rollback(current, previous)
    assert (version(current), version(previous)) == ("old", "new")
    rollback(current, previous)
    assert (version(current), version(previous)) == ("new", "old")
    assert not list(tmp_path.glob(".*.tmp"))


def test_rollback_without_a_previous_snapshot_says_so_and_changes_nothing(tmp_path):
    current = tmp_path / "serving.duckdb"
    make_snapshot(current, "only")
    with pytest.raises(NothingToRollBack, match="nothing to roll back"):
        rollback(current, tmp_path / "serving.previous.duckdb")
    assert version(current) == "only"


def test_an_alert_is_appended_to_the_alerts_file(tmp_path):
    path = tmp_path / "alerts.jsonl"
    record_alert(path, run_id="r1", job="refresh_all", message="dbt failed")
    record_alert(path, run_id="r2", job="refresh_all", message="lock held")
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    assert [(a["run_id"], a["message"], a["webhook_sent"]) for a in lines] == [
        ("r1", "dbt failed", False),
        ("r2", "lock held", False),
    ]


def test_the_webhook_receives_the_alert_and_an_unreachable_one_never_raises(tmp_path):
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.handle_request, daemon=True).start()
    alert = record_alert(
        tmp_path / "a.jsonl",
        run_id="r1",
        job="refresh_all",
        message="boom",
        webhook=f"http://127.0.0.1:{server.server_port}/hook",
    )
    server.server_close()
    assert alert["webhook_sent"] is True
    assert received == [{"text": "CSC pipeline run r1 (refresh_all) failed: boom"}]
    dead = record_alert(
        tmp_path / "a.jsonl",
        run_id="r2",
        job="refresh_all",
        message="x",
        webhook="http://127.0.0.1:9/nothing-listens",
        timeout=1,
    )
    assert dead["webhook_sent"] is False and "webhook_error" in dead
