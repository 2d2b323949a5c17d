"""The front door: signing in and out through the real form (CSRF, lockout, generic
messages), the session cookie and its time limits, same-origin callbacks, the security
headers, the open paths, and demo mode's loopback-only rule."""

from __future__ import annotations

import time

import pytest
from auth_helpers import ORIGIN, PASSWORD, add_accounts, csrf_token, security_settings, sign_in
from forge_helpers import router_body

CHILD_LAYOUT = router_body("/child/C001", "?la=850")


def post_login(client, username, password, token=None):
    token = token or csrf_token(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


def test_signing_in_through_the_form_opens_the_pages_and_sets_a_safe_cookie(app):
    client = app.server.test_client()
    assert client.get("/missing").headers["Location"] == "/login?next=/missing"
    token = csrf_token(client.get("/login?next=/missing").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"username": "analyst", "password": PASSWORD, "csrf_token": token, "next": "/missing"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/missing"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-csc_session=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in cookie
    assert client.get("/missing").status_code == 200


def test_the_form_needs_its_csrf_token(app):
    client = app.server.test_client()
    client.get("/login")
    response = client.post("/login", data={"username": "analyst", "password": PASSWORD})
    assert response.status_code == 400 and "form expired" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not signed in


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(app):
    wrong = post_login(app.server.test_client(), "analyst", "not the password")
    unknown = post_login(app.server.test_client(), "nobody-here", "not the password")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "The account name or the password is wrong." in response.get_data(as_text=True)


def test_after_five_failures_the_account_is_locked_for_a_while(make_app, tmp_path):
    app = make_app(tmp_path / "serving.duckdb")
    add_accounts(app, {"locky": (["board"], ["850"], None)})
    for _ in range(5):
        assert post_login(app.server.test_client(), "locky", "wrong password").status_code == 401
    locked = post_login(app.server.test_client(), "locky", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-ins for this account" in locked.get_data(as_text=True)
    audit = app.server.extensions["csc_audit"].search(user="locky")
    assert [r["detail"] for r in audit[:2]] == ["locked", "bad_credentials"]
    app.server.extensions["csc_auth"].store.unlock("locky")
    assert post_login(app.server.test_client(), "locky", PASSWORD).status_code == 302


def test_sign_out_needs_a_post_with_its_token_and_ends_the_session(app):
    client = sign_in(app, "analyst")
    assert client.get("/logout").status_code == 200  # a confirmation page, not a sign-out
    assert client.get("/missing").status_code == 200
    assert client.post("/logout", data={}).status_code == 400  # no CSRF token
    token = csrf_token(client.get("/logout").get_data(as_text=True))
    response = client.post("/logout", data={"csrf_token": token})
    assert response.headers["Location"] == "/login?signed_out=1"
    assert client.get("/missing").status_code == 302
    assert client.post("/_dash-update-component", json=CHILD_LAYOUT).status_code == 401


@pytest.mark.parametrize(("key", "age"), [("csc_seen_at", 31 * 60), ("csc_login_at", 13 * 3600)])
def test_a_session_ends_after_30_idle_minutes_or_12_hours(app, key, age):
    client = sign_in(app, "analyst")
    with client.session_transaction() as session:
        session[key] = time.time() - age
    assert client.get("/missing").headers["Location"] == "/login?next=/missing"
    events = app.server.extensions["csc_audit"].search(event="session_expired", limit=1)
    assert events[0]["detail"] == ("idle" if key == "csc_seen_at" else "lifetime")


def test_disabling_an_account_ends_its_sessions_at_once(make_app, tmp_path):
    app = make_app(tmp_path / "serving.duckdb")
    add_accounts(app, {"leaver": (["analyst"], None, None)})
    client = sign_in(app, "leaver")
    assert client.get("/missing").status_code == 200
    app.server.extensions["csc_auth"].store.set_disabled("leaver", True)
    assert client.get("/missing").status_code == 302


def test_callbacks_accept_only_same_origin_requests(app):
    client = sign_in(app, "analyst")
    assert client.post("/_dash-update-component", json=CHILD_LAYOUT).status_code == 200
    for headers in (
        {"Origin": "https://evil.example"},
        {"Origin": ORIGIN, "Sec-Fetch-Site": "cross-site"},
    ):
        response = client.post("/_dash-update-component", json=CHILD_LAYOUT, headers=headers)
        assert response.status_code == 403, headers
    del client.environ_base["HTTP_ORIGIN"]
    assert client.post("/_dash-update-component", json=CHILD_LAYOUT).status_code == 403
    referred = client.post(
        "/_dash-update-component",
        json=CHILD_LAYOUT,
        headers={"Referer": "http://localhost/child/C001"},
    )
    assert referred.status_code == 200


def test_every_response_carries_the_security_headers_and_no_unsafe_eval(app):
    client = sign_in(app, "analyst")
    client.get("/_dash-layout")  # after Dash's first-request set-up
    for path in ("/", "/login", "/_dash-layout"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-eval" not in csp and "script-src 'self' 'sha256-" in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["Cache-Control"] == "no-store"
        assert "Strict-Transport-Security" not in headers  # plain HTTP: no HSTS
    script_hashes = [p for p in csp.split("script-src ")[1].split(";")[0].split() if "sha" in p]
    assert len(script_hashes) == len(app.csp_hashes())
    tls = client.get("/healthz", base_url="https://localhost")
    assert tls.headers["Strict-Transport-Security"].startswith("max-age=31556926")  # a year


def test_only_the_sign_in_page_health_and_static_files_are_open(anonymous):
    assert anonymous.get("/healthz").get_json() == {"status": "ok"}
    assert anonymous.get("/login").status_code == 200
    assert anonymous.get("/assets/10-csc.css").status_code == 200
    for path in ("/_dash-layout", "/_dash-dependencies", "/_reload-hash"):
        assert anonymous.get(path).status_code == 401, path


def test_after_signing_in_only_a_path_on_this_site_is_followed(app):
    client = app.server.test_client()
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        token = csrf_token(client.get("/login").get_data(as_text=True))
        response = client.post(
            "/login",
            data={"username": "board", "password": PASSWORD, "csrf_token": token, "next": target},
        )
        assert response.headers["Location"] == "/", target
        client = app.server.test_client()


def test_demo_mode_answers_this_computer_only_and_says_so_on_every_page(tmp_path, snapshot):
    from dashboards.app import create_app

    app = create_app(snapshot, security_settings(tmp_path / "auth", demo=True))
    add_accounts(app)
    remote = app.server.test_client()
    remote.environ_base["REMOTE_ADDR"] = "192.0.2.10"
    assert remote.get("/login").status_code == 403
    local = app.server.test_client()
    assert "Demo mode." in local.get("/login").get_data(as_text=True)
    client = sign_in(app, "analyst")
    assert "Demo mode" in str(client.get("/_dash-layout").get_json())
