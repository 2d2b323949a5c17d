"""The app as a whole, through Flask's test client: pages answer, the shell says how fresh
the data is, and an unpublished snapshot gives a message instead of a traceback."""

from __future__ import annotations

import dash
from auth_helpers import add_accounts, sign_in
from dash_helpers import DashCallbacks, find_by_id, text_of

from dashboards import data, ids

PAGES = [
    "/",
    "/missing",
    "/kpi/rhi_offered_pct",
    "/kpi",
    "/dictionary",
    "/actions/rhi",
    "/data-quality",
    "/board",
    "/partners",
    "/x",
]
SHELL_OUTPUT = (
    '..shell-freshness.children...shell-la-select.value...shell-url.href...'
    '{"index":["ALL"],"type":"shell-nav-link"}.href..'
)  # fmt: skip
NAV_PATHS = ["/", "/missing", "/actions/rhi", "/dictionary"]


def shell(callbacks, search, selected=None, changed="_pages_location.search", pathname="/"):
    nav = [{"id": ids.nav_link(p), "property": "href"} for p in NAV_PATHS]
    response = callbacks.post(
        output=SHELL_OUTPUT,
        outputs=[
            {"id": ids.FRESHNESS, "property": "children"},
            {"id": ids.LA_SELECT, "property": "value"},
            {"id": ids.SHELL_URL, "property": "href"},
            nav,
        ],
        inputs=[
            {"id": ids.PAGES_LOCATION, "property": "search", "value": search},
            {"id": ids.LA_SELECT, "property": "value", "value": selected},
        ],
        state=[
            {"id": ids.PAGES_LOCATION, "property": "pathname", "value": pathname},
            [
                {"id": ids.nav_link(p), "property": "id", "value": ids.nav_link(p)}
                for p in NAV_PATHS
            ],
        ],
        changed=[changed],
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_json()["response"]


def test_every_page_and_the_dash_endpoints_answer(client):
    for path in [*PAGES, "/_dash-layout", "/_dash-dependencies"]:
        assert client.get(path).status_code == 200, path


def test_the_navbar_is_built_from_the_page_registry(client):
    layout = client.get("/_dash-layout").get_json()
    text = text_of(layout)
    for name in ["Board scorecard", "Missing & return interviews", "RHI action list"]:
        assert name in text
    assert "Page not found" not in text
    assert find_by_id(layout, ids.nav_link("/dictionary"))["props"]["href"] == "/dictionary"
    select = find_by_id(layout, ids.LA_SELECT)["props"]
    assert [o["value"] for o in select["options"]] == ["850", "851"]
    assert [o["label"] for o in select["options"]] == ["Hampshire (850)", "Portsmouth (851)"]


def test_the_page_is_english_and_has_a_skip_link(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en-GB">' in html
    assert "Skip to main content" in text_of(client.get("/_dash-layout").get_json())


def test_the_banner_says_how_fresh_the_data_is(callbacks):
    response = shell(callbacks, "?la=850")
    banner = text_of(response[ids.FRESHNESS]["children"])
    assert "Hampshire · Data as at 14 Feb 2025 · published 15 Feb 2025 06:30" in banner
    assert "rejected" not in banner  # 850's January rejection was superseded
    assert response[ids.LA_SELECT]["value"] == "850"
    hrefs = response['{"index":"/missing","type":"shell-nav-link"}']["href"]
    assert hrefs == "/missing?la=850"


def test_the_banner_warns_when_the_latest_delivery_was_rejected(callbacks):
    response = shell(callbacks, "?la=851")
    banner = text_of(response[ids.FRESHNESS]["children"])
    assert "Data as at 31 Jan 2025" in banner
    assert "The latest delivery for Portsmouth was rejected" in banner
    assert "required column DECOM is missing" in banner


def test_choosing_another_la_reloads_the_page_for_it(callbacks):
    response = shell(
        callbacks, "?la=850", selected="851", changed=f"{ids.LA_SELECT}.value", pathname="/missing"
    )
    assert response[ids.SHELL_URL]["href"] == "/missing?la=851"


def test_an_unknown_path_shows_page_not_found(callbacks):
    assert "Page not found" in text_of(callbacks.route("/nowhere"))


def test_the_kpi_query_form_redirects_to_the_kpi_path(callbacks):
    page = callbacks.route("/kpi", "?kpi=cl_eet_pct&la=850")
    assert find_by_id(page, ids.KPI_REDIRECT)["props"]["href"] == "/kpi/cl_eet_pct?la=850"
    assert "Which KPI?" in text_of(callbacks.route("/kpi"))


def test_every_grid_downloads_as_csv(callbacks):
    response = callbacks.post(
        output='{"index":["MATCH"],"type":"grid"}.exportDataAsCsv',
        outputs={"id": ids.grid(ids.MISSING_TABLE), "property": "exportDataAsCsv"},
        inputs=[{"id": ids.grid_export(ids.MISSING_TABLE), "property": "n_clicks", "value": 1}],
        changed=[f"{ids.grid_export(ids.MISSING_TABLE)}.n_clicks"],
    )
    assert response.get_json()["response"]['{"index":"missing-by-period","type":"grid"}'] == {
        "exportDataAsCsv": True
    }


def test_without_a_snapshot_every_page_says_run_make_demo(empty_app):
    client = sign_in(empty_app)
    assert client.get("/_dash-layout").status_code == 200
    driver = DashCallbacks(client)
    for path in [
        "/",
        "/missing",
        "/kpi/rhi_offered_pct",
        "/dictionary",
        "/actions/rhi",
        "/data-quality",
    ]:
        assert "No published data yet" in text_of(driver.route(path)), path
    banner = shell(driver, "")[ids.FRESHNESS]["children"]
    assert "make demo" in text_of(banner)


def test_create_server_reads_the_snapshot_and_sign_in_settings_named_by_the_environment(
    monkeypatch, snapshot, tmp_path
):
    from dashboards.app import create_server

    monkeypatch.setenv("CSC_SERVING_DIR", str(snapshot.parent))
    monkeypatch.setenv("CSC_AUTH_DIR", str(tmp_path / "auth"))
    server = create_server(warm=False)
    assert server.config[data.SERVING_PATH_KEY] == str(snapshot)
    assert server.test_client().get("/").headers["Location"] == "/login?next=/"
    key = tmp_path / "auth" / "secret_key"  # made on first run, for this server's eyes only
    assert key.stat().st_mode & 0o777 == 0o600 and server.secret_key == key.read_text().strip()
    add_accounts(server.extensions["csc_auth"].app)
    assert sign_in(server.extensions["csc_auth"].app).get("/").status_code == 200


def test_pages_register_their_callbacks_on_the_app_not_globally(app):
    assert not dash._callback.GLOBAL_CALLBACK_LIST
    assert any(key.startswith("..missing-messages.children") for key in app.callback_map)
