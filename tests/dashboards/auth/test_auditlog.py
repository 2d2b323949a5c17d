"""The audit log: what it keeps, how it is searched, retention, and appends from several
processes at once without losing a row (two gunicorn workers: test_gunicorn_audit.py)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3

from dashboards.auth.auditlog import AuditLog, Event


def test_rows_are_kept_with_who_what_and_result_and_searched_newest_first(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite")
    log.append(
        [
            Event("view", what="child_timeline", la="850", child="C001", user="local:m:0", rows=7),
            Event(
                "denied",
                result="denied",
                what="district_page",
                la="850",
                district="Havant",
                user="local:m:0",
            ),
            Event("sign_in", user="local:a:0", client="10.0.0.1"),
        ]
    )
    assert [r["event"] for r in log.search()] == ["sign_in", "denied", "view"]
    assert [r["child"] for r in log.search(child="c00")] == ["C001"]
    assert [r["event"] for r in log.search(result="denied")] == ["denied"]
    assert len(log.search(user="local:m", la="850")) == 2
    assert log.search(since=dt.date.today() + dt.timedelta(days=1)) == []
    assert log.values("event") == ["denied", "sign_in", "view"]
    with sqlite3.connect(tmp_path / "audit.sqlite") as con:
        assert con.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert (tmp_path / "audit.sqlite").stat().st_mode & 0o077 == 0


def test_rows_past_the_retention_period_are_deleted(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite", retention_days=30)
    log.append([Event("view")])
    assert log.purge(now=dt.datetime.now(dt.UTC) + dt.timedelta(days=29)) == 0
    assert log.purge(now=dt.datetime.now(dt.UTC) + dt.timedelta(days=31)) == 1
    assert log.count() == 0


def _append_many(path: str, worker: int, n: int) -> None:
    log = AuditLog(path)
    for i in range(n):
        log.append([Event("view", what=f"worker {worker}", rows=i)])


def test_several_processes_append_at_once_without_losing_a_row(tmp_path):
    path = str(tmp_path / "audit.sqlite")
    AuditLog(path)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_append_many, args=(path, w, 300)) for w in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
        assert w.exitcode == 0
    log = AuditLog(path)
    assert log.count() == 900
    rows = log.search(limit=None)
    assert {r["what"] for r in rows} == {"worker 0", "worker 1", "worker 2"}
    assert len({r["pid"] for r in rows}) == 3


def test_an_existing_file_is_never_opened_outside_sqlite(tmp_path, monkeypatch):
    """Closing any descriptor of a database file drops every POSIX lock the process holds
    on it, SQLite's too: a second log (another app in the same process) must not."""
    import os

    from dashboards.auth.users import UserStore

    first = AuditLog(tmp_path / "audit.sqlite")
    UserStore(tmp_path / "users.sqlite")
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(
        os, "open", lambda path, *a, **k: opened.append(str(path)) or real_open(path, *a, **k)
    )
    AuditLog(tmp_path / "audit.sqlite").append([Event("view")])
    UserStore(tmp_path / "users.sqlite")
    first.append([Event("view")])
    assert opened == [] and first.count() == 2
