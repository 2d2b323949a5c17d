"""WCAG 2.2 AA on every page: axe-core (bundled with axe-playwright-python, no download)
finds no serious or critical violation. A new page is one line in PAGES (signed in as the
analyst), or in the administrators' test; the sign-in page has its own."""

from __future__ import annotations

import pytest
from browser_helpers import browser_sign_in, wait_until_drawn

pytestmark = pytest.mark.e2e

PAGES = [
    "/",
    "/?la=851",  # with the rejected-delivery warning
    "/missing",
    "/missing?district=Winchester&breakdown=care",
    "/kpi/rhi_offered_pct",
    "/kpi/cl_eet_pct",
    "/board",
    "/partners",
    "/dictionary",
    "/actions/rhi",
    "/data-quality",
    "/data-quality?la=bad",  # with the bad-link message
    "/district",
    "/district/Winchester",
    "/child/C001",
    "/nowhere",
]
#: WCAG 2.0, 2.1 and 2.2, levels A and AA, and axe's best practices (landmarks, headings).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:5]]}"
        for v in violations
    )


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_accessibility_violations(page, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(path)
    wait_until_drawn(page)
    results = Axe().run(page, options=AXE_OPTIONS).response
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert blocking == [], describe(blocking)


def _axe_blocking(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS).response
    return [v for v in results["violations"] if v["impact"] in BLOCKING]


def test_the_sign_in_page_is_accessible(browser, live_server):
    context = browser.new_context(base_url=live_server)
    try:
        page = context.new_page()
        page.goto("/login")
        page.wait_for_selector("h1")
        blocking = _axe_blocking(page)
        assert blocking == [], describe(blocking)
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/admin/audit", "/admin/users"])
def test_the_administrators_pages_are_accessible(browser, live_server, path):
    context = browser.new_context(base_url=live_server, viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        browser_sign_in(page, "admin")
        page.goto(path)
        wait_until_drawn(page)
        blocking = _axe_blocking(page)
        assert blocking == [], describe(blocking)
    finally:
        context.close()
