"""Forged requests: signed in as the manager of Winchester (LA 850), and again as a data
engineer of LA 850, every callback of the callback map and the page router are replayed
with other districts, other LAs, other children and crafted URL state, one forged value
at a time, and with the values a browser could never send. Nothing out of scope may come
back: to the manager no child or worker of another district (action lists, placement
locations, timelines), nothing of another LA, no data-quality row (failing rows, the
DfE's findings, the landing folder); to the engineer no data-quality row, DfE finding or
landing entry of another LA or outside any LA folder, and no child-level page.

A marker counts as leaked only if the answer holds it and the request did not (the Excel
download echoes the rows the browser sends it: those are the sender's own).
"""

from __future__ import annotations

import json
import re
import sys

import pytest
from auth_helpers import sign_in
from forge_helpers import ROUTER, callback_body, page_paths, router_body, slots
from forge_helpers import page_values as baseline

from dashboards import ids

LAS = ["851", "852", "999", "ALL", "' or 1=1--", "850 ", ""]
DISTRICTS = [
    "Basingstoke and Deane",
    "basingstoke and deane",
    "County",
    "Unallocated",
    "North",
    "ALL",
    "Winchester' or '1'='1",
    "%",
]
CHILDREN = ["C002", "C005", "P001", "L002", "Q001", "C003", "C002' or '1'='1", "%", "*"]
KPIS = ["rhi_offered_pct", "cla_count", "../../etc/passwd"]
SEARCHES = (
    [f"?la={la}" for la in LAS]
    + [f"?district={d}" for d in DISTRICTS]
    + [f"?la=850&district={d}" for d in DISTRICTS]
    + [f"?la=851&district={d}" for d in ("North", "South", "ALL")]
    + [f"?child={c}" for c in CHILDREN]
    + ["?la=850&la=851", "?la=852&year=ALL&severity=ALL", "?la=ALL", "?user=analyst&la=851"]
)
PATHS = (
    [f"/child/{c}" for c in CHILDREN]
    + [f"/district/{d}" for d in DISTRICTS]
    + [
        "/district",
        "/actions/rhi",
        "/data-quality",
        "/admin/audit",
        "/admin/users",
        "/",
        "/missing",
        "/kpi/rhi_offered_pct",
        "/kpi",
        "/dictionary",
        "/child/C001",
        "/district/Winchester",
    ]
)
#: What the manager of Winchester must never receive.
OUT_OF_SCOPE = {
    "children of other districts and LAs": r"\b(C002|C003|C005|L002|P001|P002|Q00\d)\b",
    "workers of other districts and LAs": r"\b(SW11|SW20|SW90)\b",
    "LA 851's districts": r"\bNorth\b|\bSouth\b(?! East)",
    "LA 851's data": r"31 Jan 2025|Data as at 31",
    "data-quality rows": r"ETHNIC=|DECOM=|CSC-RHI-MATCH",
    "DfE findings": r"\bD85\dA\b|DFE-85\d",
    "landing entries": r"notes-85\d|stray-at-root",
    "placements of other districts and LAs": r"\b(Sheffield|Leeds|S12HH|LS11UR)\b",
    "the audit log and accounts": r"local:analyst|\"username\"",
}
#: What a data engineer of LA 850 must never receive.
OUT_OF_SCOPE_ENGINEER = {
    "other LAs' data-quality rows": r"\bQ00\d\b|ETHNIC=ZZZZ9|DECOM=2025",
    "other LAs' DfE findings": r"\bD851A\b|DFE-851",
    "other LAs' landing entries and those outside any LA folder": r"notes-851|stray-at-root",
    "child-level pages": r"\b(Portsmouth|Sheffield|Leeds|SW1[0-6])\b|Timeline of child",
    "the audit log and accounts": r"local:analyst|\"username\"",
}
ACTORS = {"manager": OUT_OF_SCOPE, "engineer-850": OUT_OF_SCOPE_ENGINEER}
PATTERNS = {name: re.compile(p) for name, p in OUT_OF_SCOPE.items()}


def forged_values(component, prop) -> list:
    """The forged values of one input or state."""
    if prop == "n_clicks":
        return [1, 99]
    if prop == "pathname":
        return PATHS
    if prop == "search":
        return SEARCHES
    if prop in ("rowData", "virtualRowData"):
        return [[], [{"child": "x"}]]
    if prop in ("columnDefs", "id", "is_open"):
        return []
    name = str(component)
    if name.endswith("-la") or component in (ids.DQ_LA, ids.ADMIN_AUDIT_LA):
        return LAS
    if "district" in name:
        return DISTRICTS
    if component == ids.KPI_ID:
        return KPIS
    if component == ids.ADMIN_AUDIT_CHILD:
        return CHILDREN
    return ["ALL", "' or 1=1--", "2024-13", "../../etc/passwd", None]


def leaks(request: dict, response_text: str, patterns=None) -> list[str]:
    sent = json.dumps(request)
    return [
        f"{name}: {match}"
        for name, pattern in (patterns or PATTERNS).items()
        for match in set(pattern.findall(response_text))
        if match and match not in sent
    ]


@pytest.fixture(scope="module")
def manager(app):
    client = sign_in(app, "manager")
    client.get("/")
    return client


@pytest.fixture(scope="module")
def engineer(app):
    client = sign_in(app, "engineer-850")
    client.get("/")
    return client


def forged_requests(app) -> list[dict]:
    requests = [router_body(path, search) for path in PATHS for search in ["", *SEARCHES]]
    for _page, path in page_paths():
        requests.append(router_body(path, "?la=851"))
    for key, spec in app.callback_map.items():
        if key == ROUTER or "callback" not in spec:
            continue
        for position, (component, prop) in enumerate(slots(app, key)):
            for value in forged_values(component, prop):

                def values(c, p, forged=(component, prop), v=value):
                    return v if (c, p) == forged else baseline(c, p)

                changed = min(position, len(spec["inputs"]) - 1)
                requests.append(callback_body(app, key, values, changed))
    return requests


@pytest.mark.parametrize("actor", list(ACTORS))
def test_no_out_of_scope_row_comes_back(app, request, capsys, actor):
    client = request.getfixturevalue("manager" if actor == "manager" else "engineer")
    patterns = {name: re.compile(p) for name, p in ACTORS[actor].items()}
    requests = forged_requests(app)
    statuses: dict[int, int] = {}
    leaked: list[str] = []
    for body in requests:
        response = client.post("/_dash-update-component", json=body)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code in (200, 204, 403), (response.status_code, body)
        leaked += leaks(body, response.get_data(as_text=True), patterns)
    with capsys.disabled():  # the figure the issue asks for, in the test log
        sys.stdout.write(
            f"\nforged requests as {actor}: {len(requests)} tried (answers "
            f"{dict(sorted(statuses.items()))}), {len(leaked)} out-of-scope rows leaked\n"
        )
    assert len(requests) > 1000
    assert leaked == []
    assert statuses.get(403, 0) > 50  # refusals, not only quiet fallbacks


def test_the_detector_does_find_out_of_scope_rows(app):
    """The same replay as the analyst (who may see it all) finds what the manager may not."""
    analyst = sign_in(app, "analyst")
    found = []
    for path, search in [
        ("/child/C002", "?la=850"),
        ("/district/North", "?la=851"),
        ("/data-quality", "?la=852"),
        ("/data-quality", ""),
        ("/actions/rhi", ""),
    ]:
        body = router_body(path, search)
        found += leaks(
            body, analyst.post("/_dash-update-component", json=body).get_data(as_text=True)
        )
    names = {f.split(":")[0] for f in found}
    assert {
        "children of other districts and LAs",
        "LA 851's districts",
        "data-quality rows",
        "workers of other districts and LAs",
        "DfE findings",
        "landing entries",
        "placements of other districts and LAs",
    } <= names, names
    engineer = {name: re.compile(p) for name, p in OUT_OF_SCOPE_ENGINEER.items()}
    found = []
    for path, search in [("/data-quality", ""), ("/district/Basingstoke and Deane", "?la=850")]:
        body = router_body(path, search)
        found += leaks(
            body,
            analyst.post("/_dash-update-component", json=body).get_data(as_text=True),
            engineer,
        )
    assert {f.split(":")[0] for f in found} == set(OUT_OF_SCOPE_ENGINEER) - {
        "the audit log and accounts"
    }, found


def test_refusals_are_in_the_audit_log(app, manager):
    manager.post("/_dash-update-component", json=router_body("/district/Basingstoke and Deane"))
    manager.post("/_dash-update-component", json=router_body("/child/C002", "?la=850"))
    manager.post("/_dash-update-component", json=router_body("/missing", "?la=851"))
    rows = app.server.extensions["csc_audit"].search(
        user="local:manager", result="denied", limit=20
    )
    seen = {(r["what"], r["la"], r["district"], r["child"]) for r in rows}
    assert ("district_page", "850", "Basingstoke and Deane", None) in seen
    assert ("child_timeline", "850", None, "C002") in seen
    assert ("la", "851", None, None) in seen
