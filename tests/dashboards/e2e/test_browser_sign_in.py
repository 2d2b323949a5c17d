"""Signing in with a real browser: through the sign-in page with a local account, and
through an OpenID Connect provider on loopback; each sees its role's pages and is refused
the others (by the server: the page answers 403 and says why)."""

from __future__ import annotations

import re

import pytest
from browser_helpers import browser_sign_in
from oidc_helpers import provider, with_oidc

pytestmark = pytest.mark.e2e


def nav_names(page) -> list[str]:
    page.wait_for_selector(".csc-navbar .nav-link")
    return page.locator(".csc-navbar .nav-link").all_inner_texts()


@pytest.fixture
def fresh(browser, live_server):
    """A browser context nobody has signed in with."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1400, "height": 1000})
    yield context
    context.close()


def test_a_manager_signs_in_sees_their_pages_and_is_refused_the_rest(fresh):
    from playwright.sync_api import expect

    page = fresh.new_page()
    page.goto("/district/Winchester")
    page.wait_for_url(re.compile(r"/login\?next=/district/Winchester"))
    browser_sign_in(page, "manager", go=False)
    page.wait_for_url(re.compile(r"/district/Winchester$"))
    expect(page.locator("h1")).to_have_text("Winchester")
    assert nav_names(page) == [
        "Board scorecard",
        "Board summary",
        "Partners",
        "Missing & return interviews",
        "Districts",
        "RHI action list",
        "KPI dictionary",
    ]
    expect(page.locator(".signed-in-as")).to_contain_text("manager")

    page.goto("/district/County")
    expect(page.locator("h1")).to_have_text("Not in your scope")
    response = page.goto("/data-quality")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Not available to your role")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login\?signed_out=1"))
    expect(page.locator(".alert")).to_contain_text("You have signed out")
    page.goto("/district/Winchester")
    page.wait_for_url(re.compile(r"/login"))


def test_a_wrong_password_is_refused_on_the_page(fresh):
    from playwright.sync_api import expect

    page = fresh.new_page()
    page.goto("/login")
    page.get_by_label("Account name").fill("board")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".alert-danger")).to_have_text("The account name or the password is wrong.")


@pytest.fixture(scope="module")
def sso_server(snapshot, security, tmp_path_factory):
    from dashboards.app import create_app
    from dashboards.boardpack import serve_app

    with provider() as issuer:
        app = create_app(snapshot, with_oidc(security, issuer, tmp_path_factory.mktemp("sso")))
        with serve_app(app) as url:
            yield url


def test_a_board_member_signs_in_through_the_councils_provider(browser, sso_server):
    from playwright.sync_api import expect

    context = browser.new_context(base_url=sso_server, viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto("/")
        page.wait_for_url(re.compile(r"/login"))
        page.get_by_role("link", name="Sign in with the council's account").click()
        page.wait_for_url(re.compile(r"/oauth2/authorize"))  # the provider's own page
        page.get_by_placeholder("sub").fill("board-member")
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(re.compile(re.escape(sso_server) + r"/$"))
        expect(page.locator("h1")).to_have_text("Board scorecard — Hampshire")
        assert nav_names(page) == [
            "Board scorecard",
            "Board summary",
            "Partners",
            "Missing & return interviews",
            "KPI dictionary",
        ]
        expect(page.locator(".signed-in-as")).to_contain_text("Board Member")
        response = page.goto("/actions/rhi")
        assert response.status == 403
        expect(page.locator("h1")).to_have_text("Not available to your role")
    finally:
        context.close()
