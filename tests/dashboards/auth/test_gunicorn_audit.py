"""The audit log under the production server: two real gunicorn workers, requests from
eight threads at once, every refused or child-level view written once, none lost."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from forge_helpers import router_body

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
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--bind",
        "127.0.0.1:0",
        "--workers",
        "2",
        "--threads",
        "4",
        "dashboards.app:create_server(warm=False)",
    ]
    proc = subprocess.Popen(
        command,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True).start()
    try:
        deadline = time.monotonic() + 120
        url = None
        while time.monotonic() < deadline and proc.poll() is None:
            found = [m for line in list(lines) if (m := re.search(r"Listening at: (\S+)", line))]
            url = found[0].group(1) if found else None
            if url and sum("Booting worker" in line for line in list(lines)) >= 2:
                break
            time.sleep(0.1)
        assert url, f"gunicorn did not start: {lines[-10:]}"
        yield url, auth
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)


def signed_in(url: str) -> requests.Session:
    session = requests.Session()
    # A new connection per request: gunicorn closes an idle keep-alive connection after
    # 2 s, and a POST sent on it as it closes is reset (not what this test is about).
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
