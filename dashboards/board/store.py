"""The board's working memory in one SQLite file: commentary, actions, meetings, and the
audit of every write. Outside the published snapshot, so a publish or a rollback never
touches it (default ``data/board/board.sqlite3``; ``CSC_BOARD_PATH``).

- **Several server processes:** WAL journal (readers never block the writer), every
  write in a ``BEGIN IMMEDIATE`` transaction (one writer at a time, the others wait up to
  ``BUSY_TIMEOUT_MS``), a connection per operation (nothing shared between threads).
- **History kept, never overwritten:** commentary and actions are append-only. A new
  commentary row *replaces* the current one (which stays, as history); an action is a
  series of versions. A write names what its author saw (the commentary id, the action
  version); if someone else wrote since, it is refused with who and when
  (``StaleEdit``), never silently overwritten.
- **Migrations:** ``MIGRATIONS`` are applied in order, each once, in one transaction
  (``PRAGMA user_version`` and the ``schema_migrations`` table record them). A file made
  by a newer version of the dashboard is refused (``StoreTooNew``) rather than guessed at.
- **Bad input** (empty, too long, markup or script, unknown status, a date that is not a
  date...) is refused with a message saying what and why, before anything is written
  (``BadInput``).

Reads never create the file: before the first write there is simply nothing to show.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BUSY_TIMEOUT_MS = 15_000
MAX_COMMENTARY = 2_000
MAX_ASKED = 600
MAX_NOTE = 1_000
MAX_OWNER = 200
STATUSES = ("open", "in_progress", "done", "dropped")
STATUS_TEXT = {"open": "Open", "in_progress": "In progress", "done": "Done", "dropped": "Dropped"}
CLOSED = ("done", "dropped")
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_YEARS_AHEAD = 5

MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "commentary, actions with versions, audit of writes",
        """
        create table commentary (
            id integer primary key,
            la_code text not null,
            kpi_id text not null,
            period_type text not null,
            period_start text not null,
            period_end text not null,
            period_label text not null,
            body text not null,
            author text not null,
            author_role text not null,
            written_at text not null,
            replaces integer references commentary (id)
        );
        create index commentary_by_kpi on commentary (la_code, kpi_id, period_start, id);
        create table actions (
            id integer primary key,
            la_code text not null,
            created_at text not null,
            created_by text not null
        );
        create table action_versions (
            action_id integer not null references actions (id),
            version integer not null,
            kpi_id text not null,
            partner_id text,
            asked text not null,
            owner text not null,
            due_date text not null,
            status text not null
                check (status in ('open', 'in_progress', 'done', 'dropped')),
            note text,
            written_by text not null,
            written_role text not null,
            written_at text not null,
            primary key (action_id, version)
        );
        create table write_audit (
            id integer primary key,
            at text not null,
            user text,
            role text,
            what text not null,
            target text not null,
            result text not null,
            client text
        );
        """,
    ),
    (
        2,
        "board meetings (what changed since the last board)",
        """
        create table meetings (
            id integer primary key,
            la_code text not null,
            meeting_date text not null,
            recorded_by text not null,
            recorded_at text not null,
            unique (la_code, meeting_date)
        );
        """,
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


class BoardStoreError(RuntimeError):
    """A write the store refused; ``str()`` is the message for the person writing."""


class BadInput(BoardStoreError):
    """What was typed cannot be stored (empty, too long, markup...)."""


class StaleEdit(BoardStoreError):
    """Someone else wrote since the writer opened the page."""


class NotFound(BoardStoreError):
    """The action (or commentary) to change does not exist."""


class StoreTooNew(BoardStoreError):
    """The file was made by a newer version of the dashboard."""


# ##### Checking what is typed

_MARKUP = re.compile(
    r"<\s*[a-z!/?]|\b(?:javascript|vbscript)\s*:|\bdata\s*:\s*text/html|\bon[a-z]+\s*=",
    re.IGNORECASE,
)


def clean_text(value: Any, what: str, limit: int, required: bool = True) -> str:
    """``value`` as plain text to store, or ``BadInput`` saying what is wrong."""
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n")).strip()
    if not text:
        if required:
            raise BadInput(f"{what} is empty: write something before saving.")
        return ""
    if len(text) > limit:
        raise BadInput(
            f"{what} is {len(text):,} characters long; the most is {limit:,}. Shorten it "
            "and save again."
        )
    if _MARKUP.search(text):
        raise BadInput(
            f"{what} contains markup or script (such as “<script>”, “<b>”, “javascript:” or "
            "“onclick=”). Write plain text only; nothing was saved."
        )
    bad = [c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t"]
    if bad:
        raise BadInput(f"{what} contains control characters; nothing was saved.")
    return text


def parse_date(value: Any, what: str, today: dt.date) -> dt.date:
    """An ISO date (``2025-03-31``) within reason, or ``BadInput``."""
    text = "" if value is None else str(value).strip()
    if not text:
        raise BadInput(f"{what} is empty: choose a date.")
    try:
        day = dt.date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        day = None
    if day is None or len(text) != 10:
        raise BadInput(f"{what} “{text[:40]}” is not a date (write it as 2025-03-31).")
    latest = today.replace(year=today.year + LATEST_YEARS_AHEAD)
    if not EARLIEST_DATE <= day <= latest:
        raise BadInput(
            f"{what} {day:%d %b %Y} is out of range ({EARLIEST_DATE.year} to {latest:%Y})."
        )
    return day


def check_status(value: Any) -> str:
    if value not in STATUSES:
        raise BadInput(
            f"Status “{str(value)[:40]}” is not one of: "
            + ", ".join(STATUS_TEXT[s] for s in STATUSES)
            + "."
        )
    return str(value)


# ##### The file


def now() -> str:
    """A write's time, UTC, to the second (ISO 8601)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Commentary:
    id: int
    la_code: str
    kpi_id: str
    period_type: str
    period_start: str
    period_end: str
    period_label: str
    body: str
    author: str
    author_role: str
    written_at: str
    replaces: int | None


@dataclass(frozen=True)
class Action:
    """An action as its latest version says, with when it was asked and by whom."""

    id: int
    la_code: str
    created_at: str
    created_by: str
    version: int
    kpi_id: str
    partner_id: str | None
    asked: str
    owner: str
    due_date: str
    status: str
    note: str | None
    written_by: str
    written_role: str
    written_at: str

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and dt.date.fromisoformat(self.due_date) < today

    def due(self) -> dt.date:
        return dt.date.fromisoformat(self.due_date)


@dataclass(frozen=True)
class Meeting:
    id: int
    la_code: str
    meeting_date: str
    recorded_by: str
    recorded_at: str


class BoardStore:
    """The SQLite file at ``path`` (created, with its folder, by the first write)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)

    # ##### Connections and migrations

    def exists(self) -> bool:
        return self.path.is_file()

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            con.row_factory = sqlite3.Row
            con.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
            con.execute("pragma foreign_keys = on")
            yield con
        finally:
            con.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction on a migrated file: ``BEGIN IMMEDIATE`` takes the write
        lock at once, so two processes never interleave a read-then-write."""
        self.migrate()
        with self._connect() as con:
            con.execute("begin immediate")
            try:
                yield con
            except BaseException:
                con.execute("rollback")
                raise
            con.execute("commit")

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection | None]:
        """A read connection, or None before the first write made the file."""
        if not self.exists():
            yield None
            return
        with self._connect() as con:
            version = con.execute("pragma user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreTooNew(self._too_new(version))
            if version < SCHEMA_VERSION:  # an older file: bring it up to date first
                self._migrate(con)
            yield con

    def _too_new(self, version: int) -> str:
        return (
            f"{self.path} is at schema version {version}, newer than this dashboard's "
            f"{SCHEMA_VERSION}: upgrade the dashboard (it will not change the file)."
        )

    def schema_version(self) -> int:
        if not self.exists():
            return 0
        with self._connect() as con:
            return int(con.execute("pragma user_version").fetchone()[0])

    def migrate(self, upto: int | None = None) -> int:
        """Create the file if needed and apply the migrations it lacks (up to ``upto``);
        returns the schema version. Safe when several processes start at once."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            if con.execute("pragma journal_mode").fetchone()[0] != "wal":
                con.execute("pragma journal_mode = wal")
            return self._migrate(con, upto)

    def _migrate(self, con: sqlite3.Connection, upto: int | None = None) -> int:
        target = SCHEMA_VERSION if upto is None else upto
        if con.execute("pragma user_version").fetchone()[0] >= target:
            version = con.execute("pragma user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreTooNew(self._too_new(version))
            return int(version)
        con.execute("begin immediate")
        try:
            version = con.execute("pragma user_version").fetchone()[0]  # after the lock
            if version > SCHEMA_VERSION:
                raise StoreTooNew(self._too_new(version))
            con.execute(
                "create table if not exists schema_migrations (version integer primary key, "
                "description text not null, applied_at text not null)"
            )
            for number, description, sql in MIGRATIONS:
                if version < number <= target:
                    for statement in _statements(sql):
                        con.execute(statement)
                    con.execute(
                        "insert into schema_migrations values (?, ?, ?)",
                        (number, description, now()),
                    )
                    con.execute(f"pragma user_version = {number}")
                    version = number
        except BaseException:
            con.execute("rollback")
            raise
        con.execute("commit")
        return int(version)

    def applied_migrations(self) -> list[tuple[int, str]]:
        with self._read() as con:
            if con is None:
                return []
            rows = con.execute("select version, description from schema_migrations order by 1")
            return [(int(r[0]), str(r[1])) for r in rows]

    # ##### Commentary

    def current_commentary(self, la: str, kpi_id: str, upto: str | None = None):
        """The latest commentary on ``kpi_id`` written for a period starting on or before
        ``upto`` (ISO date of the period shown; None = any): carried forward until
        replaced."""
        with self._read() as con:
            if con is None:
                return None
            sql = "select * from commentary where la_code = ? and kpi_id = ?"
            params: list[Any] = [la, kpi_id]
            if upto is not None:
                sql += " and period_start <= ?"
                params.append(upto)
            order = " order by period_start desc, id desc limit 1"
            row = con.execute(sql + order, params).fetchone()
            return None if row is None else Commentary(**dict(row))

    def commentary_history(self, la: str, kpi_id: str) -> list[Commentary]:
        """Every commentary on ``kpi_id``, newest first (the current one first)."""
        with self._read() as con:
            if con is None:
                return []
            rows = con.execute(
                "select * from commentary where la_code = ? and kpi_id = ? "
                "order by period_start desc, id desc",
                (la, kpi_id),
            )
            return [Commentary(**dict(r)) for r in rows]

    def latest_commentary(self, la: str) -> dict[str, Commentary]:
        """The current commentary of every KPI of ``la``: {kpi_id: commentary}."""
        with self._read() as con:
            if con is None:
                return {}
            rows = con.execute(
                "select * from commentary c where la_code = ? and id = (select id from "
                "commentary d where d.la_code = c.la_code and d.kpi_id = c.kpi_id order by "
                "period_start desc, id desc limit 1)",
                (la,),
            )
            return {r["kpi_id"]: Commentary(**dict(r)) for r in rows}

    def add_commentary(
        self,
        *,
        la: str,
        kpi_id: str,
        period: dict[str, str],
        body: Any,
        author: str,
        role: str,
        seen_id: int | None,
    ) -> Commentary:
        """Store ``body`` as the commentary on ``kpi_id`` for ``period`` (``period_type``,
        ``period_start``, ``period_end``, ``period_label``), replacing the current one.
        ``seen_id`` is the current commentary's id when the writer opened the page (None
        if there was none): if another has been written since, ``StaleEdit``."""
        text = clean_text(body, "The commentary", MAX_COMMENTARY)
        with self._write() as con:
            current = con.execute(
                "select id, author, written_at from commentary where la_code = ? and "
                "kpi_id = ? order by period_start desc, id desc limit 1",
                (la, kpi_id),
            ).fetchone()
            if (current["id"] if current else None) != seen_id:
                if current is None:
                    raise StaleEdit("The commentary you were editing no longer exists.")
                raise StaleEdit(
                    f"{current['author']} saved a newer commentary at "
                    f"{_when(current['written_at'])} while you were writing; yours was not "
                    "saved. Reload the page to read theirs, then write yours again."
                )
            cursor = con.execute(
                "insert into commentary (la_code, kpi_id, period_type, period_start, "
                "period_end, period_label, body, author, author_role, written_at, replaces) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    la,
                    kpi_id,
                    period["period_type"],
                    period["period_start"],
                    period["period_end"],
                    period["period_label"],
                    text,
                    author,
                    role,
                    now(),
                    seen_id,
                ),
            )
            row = con.execute("select * from commentary where id = ?", (cursor.lastrowid,))
            return Commentary(**dict(row.fetchone()))

    # ##### Actions

    #: Every version of every action, as ``Action`` rows.
    _VERSIONS = (
        "select a.id, a.la_code, a.created_at, a.created_by, v.version, v.kpi_id, "
        "v.partner_id, v.asked, v.owner, v.due_date, v.status, v.note, v.written_by, "
        "v.written_role, v.written_at from actions a join action_versions v on "
        "v.action_id = a.id"
    )
    #: Each action as its latest version says.
    _CURRENT = (
        _VERSIONS + " and v.version = (select max(version) from action_versions w "
        "where w.action_id = a.id)"
    )

    def actions(
        self, la: str, kpi_id: str | None = None, partner_id: str | None = None
    ) -> list[Action]:
        """The board's actions for ``la`` as they stand (optionally of one KPI or
        partner), by due date."""
        with self._read() as con:
            if con is None:
                return []
            sql = self._CURRENT + " where a.la_code = ?"
            params: list[Any] = [la]
            if kpi_id is not None:
                sql += " and v.kpi_id = ?"
                params.append(kpi_id)
            if partner_id is not None:
                sql += " and v.partner_id = ?"
                params.append(partner_id)
            rows = con.execute(sql + " order by v.due_date, a.id", params)
            return [Action(**dict(r)) for r in rows]

    def action(self, action_id: int) -> Action | None:
        with self._read() as con:
            if con is None:
                return None
            row = con.execute(self._CURRENT + " where a.id = ?", (action_id,)).fetchone()
            return None if row is None else Action(**dict(row))

    def action_history(self, action_id: int) -> list[Action]:
        """Every version of an action, oldest first."""
        with self._read() as con:
            if con is None:
                return []
            rows = con.execute(self._VERSIONS + " where a.id = ? order by v.version", (action_id,))
            return [Action(**dict(r)) for r in rows]

    def all_action_versions(self, la: str) -> list[Action]:
        """Every version of every action of ``la`` (what changed since a date)."""
        with self._read() as con:
            if con is None:
                return []
            rows = con.execute(
                self._VERSIONS + " where a.la_code = ? order by a.id, v.version", (la,)
            )
            return [Action(**dict(r)) for r in rows]

    def add_action(
        self,
        *,
        la: str,
        kpi_id: str,
        partner_id: str | None,
        asked: Any,
        owner: Any,
        due_date: Any,
        author: str,
        role: str,
        today: dt.date,
    ) -> Action:
        """A new board action (status open)."""
        text = clean_text(asked, "What the board asked", MAX_ASKED)
        who = clean_text(owner, "The owner", MAX_OWNER)
        due = parse_date(due_date, "The due date", today)
        with self._write() as con:
            at = now()
            cursor = con.execute(
                "insert into actions (la_code, created_at, created_by) values (?, ?, ?)",
                (la, at, author),
            )
            action_id = int(cursor.lastrowid or 0)
            con.execute(
                "insert into action_versions values (?, 1, ?, ?, ?, ?, ?, 'open', null, ?, ?, ?)",
                (action_id, kpi_id, partner_id, text, who, due.isoformat(), author, role, at),
            )
        found = self.action(action_id)
        assert found is not None
        return found

    def update_action(
        self,
        *,
        action_id: int,
        seen_version: int,
        status: Any,
        note: Any,
        author: str,
        role: str,
        due_date: Any = None,
        today: dt.date,
    ) -> Action:
        """A new version of an action: its status, an update note, and (optionally) a new
        due date. ``seen_version`` is the version the writer saw: if it is no longer the
        latest, ``StaleEdit``."""
        new_status = check_status(status)
        text = clean_text(note, "The update note", MAX_NOTE)
        due = None if not due_date else parse_date(due_date, "The due date", today)
        with self._write() as con:
            current = con.execute(self._CURRENT + " where a.id = ?", (action_id,)).fetchone()
            if current is None:
                raise NotFound(f"There is no board action {action_id}.")
            if current["version"] != seen_version:
                raise StaleEdit(
                    f"{current['written_by']} updated this action at "
                    f"{_when(current['written_at'])} while you were writing; yours was not "
                    "saved. Reload the page to read their update, then write yours again."
                )
            con.execute(
                "insert into action_versions values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    action_id,
                    seen_version + 1,
                    current["kpi_id"],
                    current["partner_id"],
                    current["asked"],
                    current["owner"],
                    due.isoformat() if due else current["due_date"],
                    new_status,
                    text,
                    author,
                    role,
                    now(),
                ),
            )
        found = self.action(action_id)
        assert found is not None
        return found

    # ##### Meetings

    def meetings(self, la: str) -> list[Meeting]:
        """The board meetings recorded for ``la``, newest first."""
        with self._read() as con:
            if con is None:
                return []
            rows = con.execute(
                "select * from meetings where la_code = ? order by meeting_date desc", (la,)
            )
            return [Meeting(**dict(r)) for r in rows]

    def add_meeting(self, *, la: str, meeting_date: Any, author: str, today: dt.date) -> Meeting:
        """Record that the board met on ``meeting_date`` (not in the future)."""
        day = parse_date(meeting_date, "The meeting date", today)
        if day > today:
            raise BadInput(f"The meeting date {day:%d %b %Y} is in the future.")
        with self._write() as con:
            exists = con.execute(
                "select 1 from meetings where la_code = ? and meeting_date = ?",
                (la, day.isoformat()),
            ).fetchone()
            if exists:
                raise BadInput(f"A board meeting on {day:%d %b %Y} is already recorded.")
            cursor = con.execute(
                "insert into meetings (la_code, meeting_date, recorded_by, recorded_at) "
                "values (?, ?, ?, ?)",
                (la, day.isoformat(), author, now()),
            )
            row = con.execute("select * from meetings where id = ?", (cursor.lastrowid,))
            return Meeting(**dict(row.fetchone()))

    # ##### Audit

    def audit(
        self,
        *,
        user: str | None,
        role: str | None,
        what: str,
        target: str,
        result: str,
        client: str | None,
    ) -> None:
        """Append one line to the audit of writes (its own transaction, so a refused
        write is audited although nothing else is stored)."""
        with self._write() as con:
            con.execute(
                "insert into write_audit (at, user, role, what, target, result, client) "
                "values (?, ?, ?, ?, ?, ?, ?)",
                (now(), user, role, what, target[:300], result[:300], client),
            )

    def audit_rows(self, limit: int = 1000) -> list[dict[str, Any]]:
        with self._read() as con:
            if con is None:
                return []
            rows = con.execute("select * from write_audit order by id desc limit ?", (limit,))
            return [dict(r) for r in rows]

    def counts(self) -> dict[str, int]:
        """Rows per table (tests and the data-quality page)."""
        with self._read() as con:
            if con is None:
                return {}
            tables = ("commentary", "actions", "action_versions", "meetings", "write_audit")
            return {t: int(con.execute(f"select count(*) from {t}").fetchone()[0]) for t in tables}


# ##### Which file

BOARD_PATH_KEY = "CSC_BOARD_PATH"
_override: ContextVar[Path | None] = ContextVar("board_path_override", default=None)


@contextlib.contextmanager
def use_board(path: Path | str) -> Iterator[None]:
    """Use the board store at ``path`` inside the block (scripts and tests)."""
    token = _override.set(Path(path))
    try:
        yield
    finally:
        _override.reset(token)


def board_path() -> Path:
    """The store this request (or block) uses: ``use_board``'s, else the Flask app's
    (``create_app(board_path=...)``), else the settings' (``CSC_BOARD_PATH``)."""
    override = _override.get()
    if override is not None:
        return override
    import flask

    if flask.has_app_context():
        configured = flask.current_app.config.get(BOARD_PATH_KEY)
        if configured:
            return Path(configured)
    from pipelines.settings import get_settings

    return get_settings().board_path


def board_store() -> BoardStore:
    return BoardStore(board_path())


def _statements(sql: str) -> list[str]:
    return [part.strip() for part in sql.split(";") if part.strip()]


def _when(iso: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{moment:%H:%M} on {moment.day} {moment:%b %Y}"
