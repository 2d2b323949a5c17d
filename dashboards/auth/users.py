"""Local accounts: argon2id password hashes, roles and scope, and failed sign-ins, in one
SQLite file under the data folder (``SecuritySettings.users_path``; never in the
repository). Managed with ``csc-users``; read by the dashboard at each request, so a
disabled account or a reset password ends its sessions at once.

Failed sign-ins are counted here too, so that every gunicorn worker sees them: an account
is locked for the window after ``max_failures`` failures within it, and a client address
after ``client_max_failures`` (whatever the user names it tries).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dashboards.auth.auditlog import create_private
from dashboards.auth.roles import Principal, Role, parse_roles, user

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024
BUSY_TIMEOUT_MS = 30_000
#: argon2id with argon2-cffi's defaults (RFC 9106's low-memory choice: 3 passes, 64 MiB).
_HASHER = PasswordHasher()

SCHEMA = """
create table if not exists users (
    username text primary key,
    display_name text not null default '',
    password_hash text not null,
    roles text not null,             -- JSON list of role names
    las text,                        -- JSON list of LA codes; null = every LA
    districts text,                  -- JSON list (managers); null = none named
    disabled integer not null default 0,
    session_epoch integer not null default 0,  -- bumped by a reset: ends old sessions
    created_at text not null,
    updated_at text not null,
    last_sign_in_at text
);
create table if not exists sign_in_failures (
    id integer primary key,
    at real not null,                -- seconds since the epoch
    username text not null,
    client text
);
create index if not exists sign_in_failures_user on sign_in_failures (username, at);
create index if not exists sign_in_failures_client on sign_in_failures (client, at);
"""


class UserError(ValueError):
    """A bad account name, password, role or scope (the message says which)."""


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    roles: tuple[Role, ...]
    las: tuple[str, ...] | None
    districts: tuple[str, ...]
    disabled: bool
    session_epoch: int
    created_at: str
    updated_at: str
    last_sign_in_at: str | None

    def principal(self) -> Principal:
        return user(
            self.username,
            self.roles,
            self.las,
            self.districts,
            kind="local",
            display_name=self.display_name,
            auth_id=f"local:{self.username}:{self.session_epoch}",
        )


@dataclass(frozen=True)
class SignIn:
    """What a sign-in attempt came to: ``account`` when it succeeded, else ``reason``
    (``bad_credentials``, ``locked``, ``client_blocked``, ``disabled``)."""

    account: Account | None
    reason: str | None = None
    retry_after_minutes: int = 0


def normalise_username(raw: str) -> str:
    name = (raw or "").strip().lower()
    if not USERNAME.match(name):
        raise UserError(f"account name {raw!r}: use 1 to 64 lower-case letters, digits and . _ @ -")
    return name


def check_password(password: str, username: str = "") -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise UserError(f"the password must have at most {MAX_PASSWORD} characters")
    if username and password.strip().lower() == username.lower():
        raise UserError("the password must not be the account name")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class UserStore:
    def __init__(
        self,
        path: Path,
        *,
        max_failures: int = 5,
        window_minutes: int = 15,
        client_max_failures: int = 20,
    ):
        self.path = Path(path)
        self.max_failures = max_failures
        self.window_seconds = window_minutes * 60
        self.client_max_failures = client_max_failures
        self._local = threading.local()
        create_private(self.path)
        con = self._connect()
        con.execute("pragma journal_mode = wal")
        con.executescript(SCHEMA)
        self._dummy: str | None = None

    @property
    def _dummy_hash(self) -> str:
        """A hash to verify against when the account does not exist, so that a wrong name
        takes as long to refuse as a wrong password (made at the first such sign-in)."""
        if self._dummy is None:
            self._dummy = _HASHER.hash("not a password of anyone's")
        return self._dummy

    def _connect(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            con.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
            con.row_factory = sqlite3.Row
            self._local.con = con
        return con

    # ##### Accounts

    def get(self, username: str) -> Account | None:
        row = (
            self._connect()
            .execute("select * from users where username = ?", (username.strip().lower(),))
            .fetchone()
        )
        return None if row is None else _account(row)

    def accounts(self) -> list[Account]:
        rows = self._connect().execute("select * from users order by username").fetchall()
        return [_account(r) for r in rows]

    def add(
        self,
        username: str,
        password: str,
        roles: list[str] | tuple[str, ...],
        las: list[str] | None,
        districts: list[str] | None = None,
        display_name: str = "",
    ) -> Account:
        name = normalise_username(username)
        check_password(password, name)
        parsed = _roles(roles)
        now = _now()
        try:
            self._connect().execute(
                "insert into users (username, display_name, password_hash, roles, las, "
                "districts, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    name,
                    display_name,
                    _HASHER.hash(password),
                    json.dumps([r.value for r in parsed]),
                    _json_list(las),
                    _json_list(districts),
                    now,
                    now,
                ),
            )
        except sqlite3.IntegrityError:
            raise UserError(f"account {name!r} exists already (use set or reset)") from None
        return self._must(name)

    def set_access(
        self,
        username: str,
        *,
        roles: list[str] | None = None,
        las: list[str] | str | None = "keep",
        districts: list[str] | str | None = "keep",
        display_name: str | None = None,
    ) -> Account:
        """Change roles and scope (``"keep"`` leaves a field as it is); ends the account's
        sessions, which then sign in again with the new access."""
        account = self._must(username)
        fields: dict[str, object] = {}
        if roles is not None:
            fields["roles"] = json.dumps([r.value for r in _roles(roles)])
        if las != "keep":
            fields["las"] = _json_list(las)  # type: ignore[arg-type]
        if districts != "keep":
            fields["districts"] = _json_list(districts)  # type: ignore[arg-type]
        if display_name is not None:
            fields["display_name"] = display_name
        self._update(account.username, fields, new_epoch=True)
        return self._must(account.username)

    def set_password(self, username: str, password: str) -> Account:
        """A new password: unlocks the account and ends its sessions."""
        account = self._must(username)
        check_password(password, account.username)
        self._update(account.username, {"password_hash": _HASHER.hash(password)}, new_epoch=True)
        self.unlock(account.username)
        return self._must(account.username)

    def set_disabled(self, username: str, disabled: bool) -> Account:
        account = self._must(username)
        self._update(account.username, {"disabled": int(disabled)}, new_epoch=True)
        if not disabled:
            self.unlock(account.username)
        return self._must(account.username)

    def unlock(self, username: str) -> None:
        self._connect().execute(
            "delete from sign_in_failures where username = ?", (username.strip().lower(),)
        )

    def _must(self, username: str) -> Account:
        account = self.get(username)
        if account is None:
            raise UserError(f"there is no account {username.strip().lower()!r}")
        return account

    def _update(self, username: str, fields: dict[str, object], *, new_epoch: bool) -> None:
        sets = [f"{k} = ?" for k in fields] + ["updated_at = ?"]
        values = [*fields.values(), _now()]
        if new_epoch:
            sets.append("session_epoch = session_epoch + 1")
        self._connect().execute(
            f"update users set {', '.join(sets)} where username = ?", (*values, username)
        )

    # ##### Signing in

    def failures(self, *, username: str | None = None, client: str | None = None) -> int:
        since = time.time() - self.window_seconds
        if username is not None:
            sql, key = "username = ?", username.strip().lower()
        else:
            sql, key = "client = ?", client
        return (
            self._connect()
            .execute(f"select count(*) from sign_in_failures where {sql} and at >= ?", (key, since))
            .fetchone()[0]
        )

    def _retry_after(self, column: str, key: str | None, limit: int) -> int:
        """Minutes until the ``limit``-th latest failure leaves the window."""
        rows = (
            self._connect()
            .execute(
                f"select at from sign_in_failures where {column} = ? order by at desc limit ?",
                (key, limit),
            )
            .fetchall()
        )
        if len(rows) < limit:
            return 0
        seconds = rows[-1][0] + self.window_seconds - time.time()
        return max(1, int(seconds // 60) + 1)

    def verify(self, username: str, password: str, client: str | None) -> SignIn:
        """Check a sign-in. Counts a failure against the name tried and the client; a
        locked name or blocked client is refused before its password is looked at."""
        name = (username or "").strip().lower()[:128]
        if self.failures(client=client) >= self.client_max_failures:
            minutes = self._retry_after("client", client, self.client_max_failures)
            return SignIn(None, "client_blocked", minutes)
        if self.failures(username=name) >= self.max_failures:
            minutes = self._retry_after("username", name, self.max_failures)
            return SignIn(None, "locked", minutes)
        row = (
            self._connect()
            .execute("select password_hash from users where username = ?", (name,))
            .fetchone()
        )
        account = self.get(name) if row is not None else None
        hashed = row["password_hash"] if row is not None else self._dummy_hash
        ok = _verify(hashed, password) and account is not None
        if not ok:
            self._record_failure(name, client)
            return SignIn(None, "bad_credentials")
        if account.disabled:  # type: ignore[union-attr]
            return SignIn(None, "disabled")
        self.unlock(name)
        updates: dict[str, object] = {"last_sign_in_at": _now()}
        if _HASHER.check_needs_rehash(hashed):
            updates["password_hash"] = _HASHER.hash(password)
        sets = ", ".join(f"{k} = ?" for k in updates)
        self._connect().execute(
            f"update users set {sets} where username = ?", (*updates.values(), name)
        )
        return SignIn(self._must(name))

    def _record_failure(self, username: str, client: str | None) -> None:
        con = self._connect()
        con.execute(
            "insert into sign_in_failures (at, username, client) values (?, ?, ?)",
            (time.time(), username, client),
        )
        # Failures older than a day say nothing any more.
        con.execute("delete from sign_in_failures where at < ?", (time.time() - 86_400,))

    def principal_for(self, auth_id: str) -> Principal | None:
        """The principal of a session id ``local:<name>:<epoch>``, if the account still
        exists, is enabled and its sessions were not ended since."""
        try:
            _kind, name, epoch = auth_id.split(":", 2)
        except ValueError:
            return None
        account = self.get(name)
        if account is None or account.disabled or str(account.session_epoch) != epoch:
            return None
        return account.principal()


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _roles(roles: list[str] | tuple[str, ...]) -> tuple[Role, ...]:
    try:
        parsed = parse_roles(roles)
    except ValueError as err:
        raise UserError(str(err)) from None
    if not parsed:
        raise UserError("give at least one role")
    return parsed


def _json_list(values: list[str] | tuple[str, ...] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(sorted({str(v).strip() for v in values if str(v).strip()}))


def _account(row: sqlite3.Row) -> Account:
    las = json.loads(row["las"]) if row["las"] is not None else None
    return Account(
        username=row["username"],
        display_name=row["display_name"],
        roles=parse_roles(json.loads(row["roles"])),
        las=None if las is None else tuple(las),
        districts=tuple(json.loads(row["districts"]) if row["districts"] else ()),
        disabled=bool(row["disabled"]),
        session_epoch=int(row["session_epoch"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        last_sign_in_at=row["last_sign_in_at"],
    )
