"""Browser fixtures shared by the e2e modules: Debian chromium through Playwright (never
``playwright install``). A module may define its own (test_browser.py does)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser_helpers import browser_sign_in

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium (/usr/bin/chromium) is not installed: run `make chromium`")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def context(browser, live_server):
    """One context per module, so the browser caches Dash's scripts between tests; signed
    in as the analyst (who may open every page) through the sign-in page."""
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1400, "height": 1000}, accept_downloads=True
    )
    page = context.new_page()
    browser_sign_in(page, "analyst")
    page.close()
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A page that fails its test if the browser logs an error."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    page.close()
    assert errors == [], errors
