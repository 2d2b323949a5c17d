"""Nobody signed in: every page of the registry is sent to the sign-in page, every callback
of the callback map and every Dash endpoint answers 401, and no answer holds a child's id.
New pages and callbacks are walked too: they come from the registry and the map."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from auth_helpers import sign_in
from forge_helpers import callback_body, page_paths, router_body

from dashboards.auth import web

#: Every child id of the fixture snapshot and status file.
CHILD_IDS = [
    "C001",
    "C002",
    "C003",
    "C005",
    "C006",
    "L001",
    "L002",
    "P001",
    "P002",
    "Q001",
    "Q002",
    "Q009",
]


def no_child_id(text: str) -> None:
    assert not [c for c in CHILD_IDS if c in text], text[:500]


@pytest.fixture(scope="module")
def callback_keys(app) -> list[str]:
    sign_in(app, "analyst").get("/")  # the first request adds the Pages router
    return [key for key, spec in app.callback_map.items() if "callback" in spec]


def test_every_page_is_sent_to_the_sign_in_page(anonymous):
    paths = [path for _page, path in page_paths()]
    assert len(paths) >= 13 and "/child/C001" in paths and "/admin/audit" in paths
    for path in paths:
        for search in ("", "?la=850"):
            response = anonymous.get(path + search)
            assert response.status_code == 302, path
            target = parse_qs(urlsplit(response.headers["Location"]).query)["next"]
            assert response.headers["Location"].startswith("/login?") and target == [path + search]
            no_child_id(response.get_data(as_text=True))


def test_every_callback_answers_401_to_nobody(app, anonymous, callback_keys):
    assert len(callback_keys) >= 12
    for key in callback_keys:
        response = anonymous.post(
            "/_dash-update-component",
            json=callback_body(app, key, lambda c, p: "C002" if p == "data" else "850"),
            headers={"Origin": "http://localhost"},
        )
        assert response.status_code == 401, key
        no_child_id(response.get_data(as_text=True))
    for _page, path in page_paths():
        response = anonymous.post("/_dash-update-component", json=router_body(path, "?la=850"))
        assert response.status_code == 401, path
        no_child_id(response.get_data(as_text=True))


def test_every_dash_endpoint_and_download_needs_a_signed_in_user(app, anonymous):
    for path in (
        "/_dash-layout",
        "/_dash-dependencies",
        "/_reload-hash",
        "/_dash-component-suites/dash/dcc/dash_core_components.v4_4_1m.js",
    ):
        response = anonymous.get(path)
        assert response.status_code == 401, path
        no_child_id(response.get_data(as_text=True))


def test_every_page_declares_who_may_open_it(app):
    import dash

    assert all(web.page_access_error(page) is None for page in dash.page_registry.values())
    assert "declares no access" in web.page_access_error({"module": "x", "path": "/x"})


def test_a_callback_added_outside_a_page_is_refused_to_everyone(make_app, tmp_path):
    from dash import Input, Output

    app = make_app(tmp_path / "serving.duckdb")

    @app.callback(Output("sneaky-out", "children"), Input("sneaky-in", "n_clicks"))
    def sneaky(_n):  # pragma: no cover - never called
        return "leak"

    body = {
        "output": "sneaky-out.children",
        "outputs": {"id": "sneaky-out", "property": "children"},
        "inputs": [{"id": "sneaky-in", "property": "n_clicks", "value": 1}],
        "state": [],
        "changedPropIds": ["sneaky-in.n_clicks"],
    }
    response = sign_in(app, "analyst").post("/_dash-update-component", json=body)
    assert response.status_code == 403 and "leak" not in response.get_data(as_text=True)
