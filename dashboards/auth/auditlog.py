"""The audit log: who read what, when, from where, and whether it was allowed.

One SQLite file (``SecuritySettings.audit_path``, under the data folder) in WAL mode, so
that every gunicorn worker (and every command line tool) appends to it at the same time
without losing a row: each append is one short transaction, and a writer that finds the
file busy waits for it (``busy_timeout``) instead of failing. Rows older than the
retention setting are deleted (at start-up and then hourly, by whichever process writes).

Within a request, ``audit()`` collects the request's rows and writes them in one
transaction when the request ends; outside a request it writes at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import flask

from dashboards.auth.context import current_principal

#: ``current_app.extensions`` key of the app's ``AuditLog``.
EXTENSION = "csc_audit"
_PENDING = "csc_audit_pending"
PURGE_EVERY_SECONDS = 3600.0
BUSY_TIMEOUT_MS = 30_000

SCHEMA = """
create table if not exists audit (
    id integer primary key,
    at text not null,          -- UTC, ISO 8601 with microseconds (sorts as time)
    user text,                 -- local:alice, oidc:<subject>, service:warm-up, os:<login>
    roles text,                -- the user's grants, e.g. "manager (850: Winchester)"
    event text not null,       -- sign_in, view, download, denied, export, ...
    what text,                 -- page or data read: /child/<id>, action_list:rhi, ...
    la text,
    district text,
    child text,
    result text not null,      -- allowed | denied | failed
    detail text,
    rows integer,              -- rows of child-level data returned
    client text,               -- the client's address (or the command's host)
    pid integer                -- the server process (worker) that wrote it
);
create index if not exists audit_at on audit (at);
create index if not exists audit_user on audit (user, at);
create index if not exists audit_child on audit (child, at);
"""
COLUMNS = [
    "id",
    "at",
    "user",
    "roles",
    "event",
    "what",
    "la",
    "district",
    "child",
    "result",
    "detail",
    "rows",
    "client",
    "pid",
]


@dataclass(frozen=True)
class Event:
    event: str
    result: str = "allowed"
    what: str | None = None
    la: str | None = None
    district: str | None = None
    child: str | None = None
    detail: str | None = None
    rows: int | None = None
    user: str | None = None
    roles: str | None = None
    client: str | None = None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def create_private(path: Path) -> None:
    """Create the database file ``path`` readable by its owner only (0600, in a 0700
    folder), if it does not exist yet. Never opens an existing one outside SQLite: closing
    any descriptor of a database file drops every POSIX lock this process holds on it,
    SQLite's included (sqlite.org, "How To Corrupt An SQLite Database File", 2.2)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists():
        return
    with contextlib.suppress(FileExistsError):  # another process made it this moment
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600))


class AuditLog:
    """Appends to and searches the audit log at ``path``."""

    def __init__(self, path: Path, retention_days: int = 730):
        self.path = Path(path)
        self.retention_days = retention_days
        self._local = threading.local()
        self._last_purge = 0.0
        self._create()

    def _connect(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            con.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
            con.execute("pragma synchronous = normal")  # durable in WAL mode at each checkpoint
            self._local.con = con
        return con

    def _create(self) -> None:
        create_private(self.path)
        con = self._connect()
        con.execute("pragma journal_mode = wal")  # persistent: every later connection uses it
        con.executescript(SCHEMA)

    def append(self, events: Iterable[Event]) -> int:
        """Write ``events`` in one transaction; how many."""
        rows = [
            (
                _now(),
                e.user,
                e.roles,
                e.event,
                e.what,
                e.la,
                e.district,
                e.child,
                e.result,
                e.detail,
                e.rows,
                e.client,
                os.getpid(),
            )
            for e in events
        ]
        if not rows:
            return 0
        con = self._connect()
        con.execute("begin immediate")
        try:
            con.executemany(
                "insert into audit (at, user, roles, event, what, la, district, child, result, "
                "detail, rows, client, pid) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        if time.monotonic() - self._last_purge > PURGE_EVERY_SECONDS:
            self.purge()
        return len(rows)

    def purge(self, now: dt.datetime | None = None) -> int:
        """Delete rows older than the retention period; how many."""
        self._last_purge = time.monotonic()
        if self.retention_days <= 0:
            return 0
        cutoff = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=self.retention_days)
        cursor = self._connect().execute(
            "delete from audit where at < ?", (cutoff.isoformat(timespec="microseconds"),)
        )
        return cursor.rowcount

    def search(
        self,
        *,
        user: str | None = None,
        event: str | None = None,
        result: str | None = None,
        la: str | None = None,
        child: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int | None = 2000,
    ) -> list[dict[str, Any]]:
        """Rows matching every filter given (``user`` and ``child`` match part of the
        value, case-insensitively), newest first."""
        where, params = [], []
        for column, value in (("user", user), ("child", child)):
            if value:
                where.append(f"lower({column}) like ?")
                params.append(f"%{value.lower()}%")
        for column, value in (("event", event), ("result", result), ("la", la)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        if since:
            where.append("at >= ?")
            params.append(since.isoformat())
        if until:
            where.append("at < ?")
            params.append((until + dt.timedelta(days=1)).isoformat())
        sql = "select * from audit" + (f" where {' and '.join(where)}" if where else "")
        sql += " order by id desc" + (f" limit {int(limit)}" if limit else "")
        cursor = self._connect().execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def count(self) -> int:
        return self._connect().execute("select count(*) from audit").fetchone()[0]

    def values(self, column: str) -> list[str]:
        """Distinct values of ``event`` / ``result`` / ``la`` (the admin page's filters)."""
        if column not in ("event", "result", "la"):
            raise ValueError(column)
        rows = self._connect().execute(
            f"select distinct {column} from audit where {column} is not null order by 1"
        )
        return [r[0] for r in rows]


# ##### The API pages and data use


def log() -> AuditLog | None:
    """The audit log of the current app (None outside an app with sign-in)."""
    if flask.has_app_context():
        return flask.current_app.extensions.get(EXTENSION)
    return _default_log


_default_log: AuditLog | None = None


def use_log(audit_log: AuditLog | None) -> None:
    """The log ``audit()`` writes to outside any app (command line tools)."""
    global _default_log
    _default_log = audit_log


def _client() -> str | None:
    if flask.has_request_context():
        return flask.request.remote_addr
    return os.uname().nodename


def audit(
    event: str,
    *,
    result: str = "allowed",
    what: str | None = None,
    la: str | None = None,
    district: str | None = None,
    child: str | None = None,
    detail: str | None = None,
    rows: int | None = None,
    user: str | None = None,
) -> None:
    """Append one row for the current user (or ``user``) to the audit log: within a
    request when the request ends, otherwise at once. Does nothing where there is no
    audit log (an app or a test built without one)."""
    target = log()
    if target is None:
        return
    principal = current_principal()
    entry = Event(
        event=event,
        result=result,
        what=what,
        la=None if la is None else str(la),
        district=district,
        child=None if child is None else str(child),
        detail=detail,
        rows=rows,
        user=user or (principal.get_id() if principal else None),
        roles=principal.describe() if principal else None,
        client=_client(),
    )
    if flask.has_request_context():
        pending = flask.g.setdefault(_PENDING, [])
        if entry not in pending:  # the same read twice in one request is one row
            pending.append(entry)
    else:
        target.append([entry])


def flush(_exc: BaseException | None = None) -> None:
    """Write the request's rows (``teardown_request``)."""
    pending: Sequence[Event] = flask.g.pop(_PENDING, [])
    target = log()
    if pending and target is not None:
        target.append(pending)


def init_app(server: flask.Flask, audit_log: AuditLog) -> None:
    server.extensions[EXTENSION] = audit_log
    server.teardown_request(flush)
