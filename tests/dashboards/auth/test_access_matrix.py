"""Role × resource: for each role, every page, callback and download is allowed or refused
as the issue's table says, by the server (status codes), and the board's answers hold no
child or worker id.

| role     | sees |
|----------|------|
| board    | scorecard, KPI, board and partners pages (and the board pack): aggregates, disclosure-controlled |
| manager  | their districts' pages, action lists and child timelines; aggregates |
| analyst  | everything of their LAs, child level included |
| engineer | data quality, extract status, failing rows; KPIs as aggregates |
| admin    | users and the audit log; no data |

The tables below are written from that table, not from the app: a new page or callback
fails ``test_the_matrix_covers_every_page_and_callback`` until it is given a row here.
"""

from __future__ import annotations

import re

import dash
import pytest
from auth_helpers import sign_in
from forge_helpers import ROUTER, callback_body, page_paths, router_body
from forge_helpers import page_values as legit

ROLES = ["board", "manager", "analyst", "engineer", "admin"]
EVERYONE = set(ROLES)
AGGREGATES = {"board", "manager", "analyst", "engineer"}
CHILD_LEVEL = {"manager", "analyst"}
DATA_QUALITY = {"analyst", "engineer"}
ADMIN = {"admin"}

PAGES = {
    "/": AGGREGATES,
    "/missing": AGGREGATES,
    "/kpi/rhi_offered_pct": AGGREGATES,
    "/kpi": AGGREGATES,
    "/dictionary": AGGREGATES,
    "/board": AGGREGATES,
    "/partners": AGGREGATES,
    "/district": CHILD_LEVEL,
    "/district/Winchester": CHILD_LEVEL,
    "/child/C001": CHILD_LEVEL,
    "/actions/rhi": CHILD_LEVEL,
    "/data-quality": DATA_QUALITY,
    "/admin/audit": ADMIN,
    "/admin/users": ADMIN,
    "/404": EVERYONE,
}
#: Callbacks by the start of their output key (downloads included).
CALLBACKS = {
    "..shell-freshness.": EVERYONE,  # the banner (each role sees its own LAs)
    "shell-navbar-collapse.": EVERYONE,
    '{"index":["MATCH"],"type":"grid"}.exportDataAsCsv': EVERYONE,  # CSV of the rows shown
    '{"index":["MATCH"],"type":"grid-download"}.data': EVERYONE,  # Excel of the rows shown
    "scorecard-download.": AGGREGATES,
    "..missing-": AGGREGATES,
    "..kpi-": AGGREGATES,
    "kpi-ranking.": AGGREGATES,  # the districts with intervals, or the funnel plot
    "..actions-": CHILD_LEVEL,
    "..district-": CHILD_LEVEL,
    # The board's memory: read by every aggregate role; a write by a role that may not
    # write (board, engineer) is answered with a refusal (tests/dashboards/pages/test_board_memory.py)
    "board-section.": AGGREGATES,
    "board-meeting-message.": AGGREGATES,
    "..dq-": DATA_QUALITY,
    "dq-download.": DATA_QUALITY,
    "..admin-audit-": ADMIN,
    ROUTER: EVERYONE,  # the pages router: each page then checks its own access
}
CHILD_OR_WORKER = re.compile(r"\b(C00\d|L00\d|P00\d|Q00\d|SW\d\d)\b")


def rule_for(key: str) -> set[str]:
    found = [roles for start, roles in CALLBACKS.items() if key.startswith(start)]
    assert len(found) == 1, f"callback {key!r} is not in the matrix (or matches two rows)"
    return found[0]


@pytest.fixture(scope="module")
def clients(app):
    return {role: sign_in(app, role) for role in ROLES}


@pytest.fixture(scope="module")
def keys(app, clients):
    clients["analyst"].get("/")  # the Pages router is added at the first request
    # (clientside callbacks, such as the page title's, run in the browser only)
    return [k for k, spec in app.callback_map.items() if k != ROUTER and "callback" in spec]


def test_the_matrix_covers_every_page_and_callback(app, keys):
    assert {path for _page, path in page_paths()} == set(PAGES)
    for key in keys:
        rule_for(key)
    assert len(dash.page_registry) == len(PAGES)


@pytest.mark.parametrize("role", ROLES)
def test_each_page_is_served_or_refused_by_the_server(clients, role):
    client = clients[role]
    for path, allowed in PAGES.items():
        status = client.get(path).status_code
        assert status == (200 if role in allowed else 403), (role, path)
        routed = client.post("/_dash-update-component", json=router_body(path, "?la=850"))
        assert routed.status_code == 200
        refused = "Not available to your role" in routed.get_data(as_text=True)
        assert refused == (role not in allowed), (role, path)


@pytest.mark.parametrize("role", ROLES)
def test_each_callback_and_download_is_served_or_refused(app, clients, keys, role):
    client = clients[role]
    for key in keys:
        response = client.post("/_dash-update-component", json=callback_body(app, key, legit))
        allowed = role in rule_for(key)
        assert (response.status_code != 403) == allowed, (role, key, response.status_code)
        if allowed:
            assert response.status_code in (200, 204), (role, key, response.get_data()[:300])


def test_the_boards_answers_hold_no_child_or_worker_id(app, clients, keys):
    client = clients["board"]
    texts = [
        client.post("/_dash-update-component", json=router_body(path, "?la=850")).get_data(
            as_text=True
        )
        for path in PAGES
    ]
    texts += [
        client.post("/_dash-update-component", json=callback_body(app, key, legit)).get_data(
            as_text=True
        )
        for key in keys
    ]
    assert texts and not [m.group(0) for t in texts for m in [CHILD_OR_WORKER.search(t)] if m]


def test_downloads_are_audited_with_who_and_what(app, clients):
    key = next(k for k in app.callback_map if k.startswith("scorecard-download."))
    clients["board"].post("/_dash-update-component", json=callback_body(app, key, legit))
    row = app.server.extensions["csc_audit"].search(event="download", user="local:board", limit=1)
    assert row[0]["what"] == "scorecard.csv" and row[0]["la"] == "850"
    assert row[0]["roles"] == "board (850)" and row[0]["result"] == "allowed"
