"""Single sign-on against a real OpenID Connect provider on loopback (no mocked function):
the authorization-code flow with PKCE, the ID token's role claim mapped to a role and
scope, and a user with no role refused."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from auth_helpers import ORIGIN
from forge_helpers import router_body
from oidc_helpers import provider, with_oidc


@pytest.fixture(scope="module")
def sso_app(snapshot, security, tmp_path_factory):
    from dashboards.app import create_app

    with provider() as issuer:
        folder = tmp_path_factory.mktemp("sso")
        yield create_app(snapshot, with_oidc(security, issuer, folder)), issuer


def sign_in_with_sso(app, sub: str):
    """The browser's round trip, step by step: our app → the provider's form → back."""
    client = app.server.test_client()
    start = client.get("/auth/oidc/login?next=/missing")
    assert start.status_code == 302
    authorize = start.headers["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["redirect_uri"] == [
        "http://localhost/auth/oidc/callback"
    ]
    picked = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert picked.status_code == 302, picked.text[:500]
    back = urlsplit(picked.headers["Location"])
    response = client.get(f"{back.path}?{back.query}")
    client.environ_base["HTTP_ORIGIN"] = ORIGIN
    return client, response


def test_the_sign_in_page_offers_single_sign_on(sso_app):
    app, _issuer = sso_app
    page = app.server.test_client().get("/login").get_data(as_text=True)
    assert "Sign in with the council&#39;s account" in page and "/auth/oidc/login" in page


def test_a_board_member_signs_in_with_the_provider_and_gets_the_board_role(sso_app):
    app, _issuer = sso_app
    client, response = sign_in_with_sso(app, "board-member")
    assert response.status_code == 302 and response.headers["Location"] == "/missing"
    assert client.get("/missing").status_code == 200
    assert client.get("/district").status_code == 403
    audit = app.server.extensions["csc_audit"].search(event="sign_in", limit=1)[0]
    assert audit["user"] == "oidc:board-member" and audit["roles"] == "board (850)"


def test_a_manager_claim_gives_their_district_only(sso_app):
    app, _issuer = sso_app
    client, _response = sign_in_with_sso(app, "winchester-manager")
    own = client.post("/_dash-update-component", json=router_body("/district/Winchester"))
    other = client.post("/_dash-update-component", json=router_body("/district/County"))
    assert "Caseloads" in own.get_data(as_text=True)
    assert "Not in your scope" in other.get_data(as_text=True)


def test_a_user_without_a_role_here_is_refused_and_recorded(sso_app):
    app, _issuer = sso_app
    client, response = sign_in_with_sso(app, "stranger")
    assert response.status_code == 403
    assert "no role in this dashboard" in response.get_data(as_text=True)
    assert client.get("/missing").status_code == 302
    row = app.server.extensions["csc_audit"].search(user="oidc:stranger", limit=1)[0]
    assert row["result"] == "denied" and "Other.App" in row["detail"]


def test_a_forged_callback_without_the_providers_code_is_refused(sso_app):
    app, _issuer = sso_app
    client = app.server.test_client()
    client.get("/auth/oidc/login")
    response = client.get("/auth/oidc/callback?code=forged&state=forged")
    assert response.status_code == 401 and client.get("/missing").status_code == 302
