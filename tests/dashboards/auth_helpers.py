"""Test accounts, and signing in through the real sign-in form (a module of its own, not
conftest: test modules import these by name).

Every test of the app signs in as one of ``ACCOUNTS`` (the ``client`` fixture as the
analyst, who may see everything), through ``/login`` with its CSRF token, exactly as a
browser does; nothing in the app is switched off for the tests.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from dashboards.auth import roles
from pipelines.settings import SecuritySettings

#: A password for every test account (made per run; never a real one).
PASSWORD = "test-" + secrets.token_urlsafe(12)
#: username -> (roles, LAs (None: every LA), districts)
ACCOUNTS: dict[str, tuple[list[str], list[str] | None, list[str] | None]] = {
    "analyst": (["analyst"], None, None),
    "manager": (["manager"], ["850"], ["Winchester"]),
    "board": (["board"], ["850"], None),
    "engineer": (["engineer"], None, None),
    "admin": (["admin"], None, None),
    "board-851": (["board"], ["851"], None),
    "engineer-850": (["engineer"], ["850"], None),
}
ORIGIN = "http://localhost"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def security_settings(auth_dir: Path, **overrides) -> SecuritySettings:
    """Settings for a test app: accounts and audit log under ``auth_dir``."""
    values = {"auth_dir": auth_dir, "secret_key": secrets.token_hex(32), **overrides}
    return SecuritySettings(**values)


def add_accounts(app, accounts=ACCOUNTS, password: str = PASSWORD) -> None:
    store = app.server.extensions["csc_auth"].store
    for name, (role_names, las, districts) in accounts.items():
        if store.get(name) is None:
            store.add(name, password, role_names, las, districts)


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, html[:2000]
    return match.group(1)


def sign_in(app, username: str = "analyst", password: str = PASSWORD, client=None):
    """A test client signed in as ``username`` through the real sign-in form, sending the
    ``Origin`` header a browser sends (callbacks refuse cross-origin requests)."""
    client = client or app.server.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    client.environ_base["HTTP_ORIGIN"] = ORIGIN
    return client


_sessions: dict[tuple[int, str], tuple[str, str, float]] = {}
#: A shared session is made anew after this long (sessions end after 30 idle minutes).
SESSION_REUSE_SECONDS = 600


def signed_in(app, username: str = "analyst"):
    """A new test client with a session of ``username``: signed in through the form once
    per app and account, then the session cookie given to each new client (checking a
    password takes argon2id's quarter of a second: not once per test)."""
    key = (id(app), username)
    if key not in _sessions or time.monotonic() - _sessions[key][2] > SESSION_REUSE_SECONDS:
        first = sign_in(app, username)
        cookie = first.get_cookie("__Host-csc_session") or first.get_cookie("csc_session")
        _sessions[key] = (cookie.key, cookie.value, time.monotonic())
    name, value, _made = _sessions[key]
    client = app.server.test_client()
    client.set_cookie(name, value, secure=True, httponly=True, samesite="Lax")
    client.environ_base["HTTP_ORIGIN"] = ORIGIN
    return client


def principal(username: str) -> roles.Principal:
    """The principal of a test account, for calls made outside a request."""
    role_names, las, districts = ACCOUNTS[username]
    return roles.user(username, role_names, las, districts)
