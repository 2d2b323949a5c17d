"""Who is writing, whether they may, and the audit of every write: the one place where
the board's working memory meets sign-in. Nothing else in ``dashboards.board`` (or the
pages) reads the request or decides who may write.

ISSUE 11 WIRING POINT. Sign-in is being built (dashboards/auth: ``current_user()``,
``require_role()``, ``audit()``). Until it is merged the three functions below are a
placeholder:

- ``current_user()`` reads the user from two request headers, ``X-CSC-User`` and
  ``X-CSC-Role``, and only when the app was told to trust them
  (``app.server.config["CSC_TRUST_USER_HEADERS"] = True``: the tests do this). Otherwise
  nobody is signed in and every write is refused, so nothing can be written by anyone
  who can merely reach the port.
- ``may_write()`` allows the writer roles (analyst, manager); board, engineer and admin
  read only.
- ``audit()`` appends to the store's ``write_audit`` table.

When issue 11 is merged, replace the bodies with its ``dashboards.auth`` (its user's name
and role; its role check, and its scope check for the LA; its audit log) and drop
``TRUST_HEADERS_KEY``; the callers do not change.
"""

from __future__ import annotations

from dataclasses import dataclass

import flask

from dashboards.board.store import board_store

TRUST_HEADERS_KEY = "CSC_TRUST_USER_HEADERS"
USER_HEADER, ROLE_HEADER = "X-CSC-User", "X-CSC-Role"
ROLES = ("board", "manager", "analyst", "engineer", "admin")
WRITER_ROLES = frozenset({"analyst", "manager"})


@dataclass(frozen=True)
class User:
    name: str
    role: str


def current_user() -> User | None:
    """The signed-in user, or None. ISSUE 11 WIRING POINT (1 of 3)."""
    if not flask.has_request_context() or not flask.current_app.config.get(TRUST_HEADERS_KEY):
        return None
    name = flask.request.headers.get(USER_HEADER, "").strip()
    role = flask.request.headers.get(ROLE_HEADER, "").strip().lower()
    if not name or role not in ROLES:
        return None
    return User(name[:100], role)


def may_write(user: User | None, la: str | None = None) -> bool:
    """Whether ``user`` may write the board's commentary, actions and meetings for
    ``la``. ISSUE 11 WIRING POINT (2 of 3): add its scope check for ``la`` here."""
    return user is not None and user.role in WRITER_ROLES


def audit(user: User | None, what: str, target: str, result: str) -> None:
    """Record a write, or a refused one. ISSUE 11 WIRING POINT (3 of 3)."""
    client = flask.request.remote_addr if flask.has_request_context() else None
    board_store().audit(
        user=None if user is None else user.name,
        role=None if user is None else user.role,
        what=what,
        target=target,
        result=result,
        client=client,
    )
