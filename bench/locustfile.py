"""The virtual users of the dashboard load test (``bench.dashboard_load`` runs locust on this
file; not meant to be run by hand).

Two kinds of user, each signed in through the real sign-in form (GET ``/login`` for the
CSRF token, POST the form; the session cookie then goes with every request), each page
view as a browser makes it: the page's HTML, then the Pages router callback that renders
it and the shell's banner callback, with 1 to 3 seconds of think time between views.

- a board member (``CSC_LOAD_BOARD``): the scorecard, a KPI page, the missing page;
- a manager of one district (``CSC_LOAD_MANAGER``): the district page, the RHI action list,
  a KPI page.

``CSC_LOAD_AUTH=0`` (the comparison run, against a server with the sign-in layer taken
off): no sign-in; the header ``X-Bench-User`` says whom each request reads as.
Set by the runner: ``CSC_LOAD_PASSWORD``, ``CSC_LOAD_LA``, ``CSC_LOAD_KPI``,
``CSC_LOAD_DISTRICT``; ``CSC_LOAD_TIMES``: a file where every page request's time (ms) is
written when locust quits, one ``name<TAB>ms<TAB>ok`` line each, so that the runner takes
the percentiles of page requests together (locust's own rows are per request type, or of
every request, sign-ins included).
"""

from __future__ import annotations

import os
import re
from urllib.parse import quote

from locust import HttpUser, between, events, task

from bench.dashboard import router_body
from bench.dashboard_load import PAGE_PARTS

AUTH = os.environ.get("CSC_LOAD_AUTH", "1") != "0"
LA = os.environ.get("CSC_LOAD_LA", "850")
KPI = os.environ.get("CSC_LOAD_KPI", "rhi_offered_pct")
DISTRICT = os.environ.get("CSC_LOAD_DISTRICT", "")
PASSWORD = os.environ.get("CSC_LOAD_PASSWORD", "")
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_TIMES: list[tuple[str, float, bool]] = []


@events.request.add_listener
def _record(name: str, response_time: float, exception=None, **_) -> None:
    if name.endswith(PAGE_PARTS):
        _TIMES.append((name, response_time, exception is None))


@events.quitting.add_listener
def _write_times(**_) -> None:
    target = os.environ.get("CSC_LOAD_TIMES")
    if target:
        with open(target, "w") as handle:
            handle.writelines(f"{n}\t{ms:.1f}\t{int(ok)}\n" for n, ms, ok in _TIMES)


def banner_body(pathname: str, search: str) -> dict:
    """The shell's callback that runs on every page: the freshness banner and the links."""
    nav = {"type": "shell-nav-link", "index": "/"}
    return {
        "output": "..shell-freshness.children...shell-la-select.value...shell-url.href..."
        + '{"index":["ALL"],"type":"shell-nav-link"}.href..',
        "outputs": [
            {"id": "shell-freshness", "property": "children"},
            {"id": "shell-la-select", "property": "value"},
            {"id": "shell-url", "property": "href"},
            [{"id": nav, "property": "href"}],
        ],
        "inputs": [
            {"id": "_pages_location", "property": "search", "value": search},
            {"id": "shell-la-select", "property": "value", "value": None},
        ],
        "state": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            [{"id": nav, "property": "id", "value": nav}],
        ],
        "changedPropIds": ["_pages_location.search"],
    }


class Viewer(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self) -> None:
        origin = self.host.rstrip("/")
        self.client.headers["Origin"] = origin  # callbacks refuse cross-origin requests
        if not AUTH:
            self.client.headers["X-Bench-User"] = self.username
            return
        page = self.client.get("/login", name="sign in: form").text
        token = _CSRF.search(page)
        if token is None:
            raise RuntimeError(f"no sign-in form at /login: {page[:200]}")
        with self.client.post(
            "/login",
            data={"username": self.username, "password": PASSWORD, "csrf_token": token[1]},
            name="sign in: post",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in as {self.username}: {response.status_code}")

    def view(self, name: str, pathname: str) -> None:
        """One page view: its HTML, the router callback, the banner callback."""
        search = f"?la={LA}"
        self.client.get(pathname + search, name=f"{name}: html")
        for part, body in (("page", router_body(pathname, search)), ("banner", banner_body(pathname, search))):  # fmt: skip
            with self.client.post(
                "/_dash-update-component", json=body, name=f"{name}: {part}", catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code}")
                elif part == "page" and "Not available to your role" in response.text:
                    response.failure("refused")


class BoardMember(Viewer):
    weight = 3
    username = "load-board"

    @task(3)
    def scorecard(self) -> None:
        self.view("board scorecard", "/")

    @task(2)
    def kpi(self) -> None:
        self.view("KPI page", f"/kpi/{KPI}")

    @task(1)
    def missing(self) -> None:
        self.view("missing page", "/missing")


class Manager(Viewer):
    weight = 2
    username = "load-manager"

    @task(2)
    def district(self) -> None:
        self.view("district page", f"/district/{quote(DISTRICT)}")

    @task(2)
    def action_list(self) -> None:
        self.view("action list", "/actions/rhi")

    @task(1)
    def kpi(self) -> None:
        self.view("KPI page", f"/kpi/{KPI}")
