"""The audit log under the production server: two real gunicorn workers, requests from
eight threads at once, every refused or child-level view written once, none lost."""

from __future__ import annotations

import os
import re
import secrets
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from forge_helpers import router_body

from bench.dashboard_load import gunicorn
from dashboards.auth.auditlog import AuditLog
from dashboards.auth.users import UserStore

pytestmark = pytest.mark.slow
PASSWORD = "gunicorn test password"
REQUESTS = 400
THREADS = 8


@pytest.fixture
def server(snapshot, tmp_path):
    """gunicorn with two workers on a free loopback port: (base URL, auth folder)."""
    serving = tmp_path / "serving"
    serving.mkdir()
    shutil.copy(snapshot, serving / "serving.duckdb")
    shutil.copy(snapshot.with_name("status.duckdb"), serving / "status.duckdb")
    auth = tmp_path / "auth"
    UserStore(auth / "users.sqlite").add("analyst", PASSWORD, ["analyst"], None)
    env = {
        **os.environ,
        "CSC_SERVING_DIR": str(serving),
        "CSC_AUTH_DIR": str(auth),
        "CSC_SECRET_KEY": secrets.token_hex(32),
        "CSC_COOKIE_SECURE": "0",  # plain HTTP on loopback, for requests' cookie jar
    }
    factory = "dashboards.app:create_server(warm=False)"
    with gunicorn(env, factory, timeout=120, ready="Booting worker") as (url, _pid):
        yield url, auth


def signed_in(url: str) -> requests.Session:
    session = requests.Session()
    # A new connection per request: gunicorn closes an idle keep-alive connection after
    # a few seconds, and a POST sent on it as it closes is reset (not what this test is about).
    session.headers["Connection"] = "close"
    page = session.get(f"{url}/login", timeout=60).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    response = session.post(
        f"{url}/login",
        data={"username": "analyst", "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code == 302, response.text[:300]
    session.headers["Origin"] = url
    return session


def test_two_workers_append_every_row_of_many_requests_at_once(server):
    url, auth = server
    sessions = [signed_in(url) for _ in range(THREADS)]  # signed in on either worker

    def view(i: int) -> int:
        body = router_body(f"/child/X{i:04d}", "?la=850")  # a child-level view (of nobody)
        response = sessions[i % THREADS].post(
            f"{url}/_dash-update-component", json=body, timeout=60
        )
        return response.status_code

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(view, range(REQUESTS)))
    assert statuses == [200] * REQUESTS  # each answered "Child not found"
    rows = AuditLog(auth / "audit.sqlite").search(event="view", limit=None)
    children = [r["child"] for r in rows if r["what"] == "child_timeline"]
    assert sorted(children) == [f"X{i:04d}" for i in range(REQUESTS)]  # each once, none lost
    assert len({r["pid"] for r in rows}) == 2  # written by both workers
    sign_ins = AuditLog(auth / "audit.sqlite").search(event="sign_in", limit=None)
    assert len(sign_ins) == THREADS
