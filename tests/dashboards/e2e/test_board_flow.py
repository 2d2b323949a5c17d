"""The board's working memory end to end, in Debian chromium: an analyst writes a
commentary and a board action on the KPI page; a board member sees both on the KPI page
(the action flagged overdue) and in the board pack PDF.

Each browser signs in through the real sign-in page (board_helpers.BOARD_ACCOUNTS: ann
the analyst, bea the board member); the board pack signs in as a board member of its own.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[3]
KPI_PAGE = "/kpi/rhi_offered_pct?la=850"
COMMENTARY = "Two RHI workers left in January; agency cover starts on 3 March."
ASKED = "Explain why fewer return home interviews were offered, with a recovery plan."


def _context(browser, live_server, app, name: str, role: str):
    """A browser context signed in as the board account ``name`` (whose role is ``role``)."""
    from auth_helpers import add_accounts
    from board_helpers import BOARD_ACCOUNTS
    from browser_helpers import browser_sign_in

    assert BOARD_ACCOUNTS[name][0] == [role]
    add_accounts(app, {name: BOARD_ACCOUNTS[name]})
    context = browser.new_context(base_url=live_server, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    browser_sign_in(page, name)
    page.close()
    return context


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(20_000)
    return errors


def _pdf_text(path: Path) -> list[str]:
    reader = PdfReader(path)
    return [" ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in reader.pages]


def test_an_analyst_writes_and_the_board_reads_on_the_page_and_in_the_pack(
    browser, live_server, app, board, snapshot, chromium, tmp_path
):
    from playwright.sync_api import expect

    overdue_since = dt.date.today() - dt.timedelta(days=7)

    # ##### The analyst writes a commentary and a board action
    writer = _context(browser, live_server, app, "ann", "analyst")
    page = writer.new_page()
    errors = _watch(page)
    page.goto(KPI_PAGE)
    page.get_by_label("Write the commentary for Feb 2025").fill(COMMENTARY)
    page.get_by_role("button", name="Save commentary").click()
    expect(page.locator("#board-message")).to_contain_text("Commentary saved for Feb 2025.")
    expect(page.locator(".commentary")).to_contain_text(COMMENTARY)

    page.get_by_label("What the board asked").fill(ASKED)
    expect(page.get_by_label("Of which partner")).to_have_value("rhi_provider")
    page.get_by_label("Due", exact=True).fill(overdue_since.isoformat())
    page.get_by_role("button", name="Save action").click()
    expect(page.locator("#board-message")).to_contain_text("Board action 1 saved")
    row = page.locator('#board-actions tr[data-action="1"]')
    expect(row).to_contain_text(ASKED)
    expect(row).to_contain_text("Overdue by 7 days")

    # bad input is refused with a message, and the draft is kept
    page.get_by_label("Replace the commentary for Feb 2025").fill("<script>alert(1)</script>")
    page.get_by_role("button", name="Save commentary").click()
    expect(page.locator("#board-message")).to_contain_text("contains markup or script")
    expect(page.locator(".commentary")).to_contain_text(COMMENTARY)
    assert errors == [], errors
    writer.close()

    # ##### A board member reads both on the KPI page, and cannot write
    reader = _context(browser, live_server, app, "bea", "board")
    page = reader.new_page()
    errors = _watch(page)
    page.goto(KPI_PAGE)
    expect(page.locator(".commentary")).to_contain_text(COMMENTARY)
    expect(page.locator(".commentary")).to_contain_text("Written for Feb 2025 by ann (analyst)")
    row = page.locator('#board-actions tr[data-action="1"]')
    expect(row).to_contain_text(ASKED)
    expect(row).to_contain_text("RHI Provider Ltd")
    expect(row.locator(".action-status.overdue")).to_contain_text("Overdue by 7 days")
    expect(page.locator("#board-comment-text")).to_have_count(0)
    expect(page.get_by_role("button", name="Save action")).to_have_count(0)
    # the scorecard shows the commentary beside the figure
    page.goto("/?la=850")
    expect(page.locator('tr[data-kpi="rhi_offered_pct"]')).to_contain_text(COMMENTARY)
    expect(page.locator('tr[data-kpi="rhi_offered_pct"]')).to_contain_text(
        "1 open action, 1 overdue"
    )
    assert errors == [], errors
    reader.close()

    # ##### ...and in the board pack
    out = tmp_path / "boardpack-850.pdf"
    command = [
        sys.executable,
        "-m",
        "dashboards.boardpack",
        "--la",
        "850",
        "--out",
        str(out),
        "--serving",
        str(snapshot),
        "--board",
        str(board),
        "--chromium",
        chromium,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Front section:" in done.stdout
    reader_pdf = PdfReader(out)
    marks = {o.title: reader_pdf.get_destination_page_number(o) for o in reader_pdf.outline}
    pages = _pdf_text(out)
    front = " ".join(pages[: marks["Board scorecard"]])
    # the partners' actions due and overdue, in the front section
    actions = " ".join(pages[marks["Partners' actions due and overdue"] : marks["Board scorecard"]])
    assert "RHI Provider Ltd: 1 due, 1 overdue" in actions
    assert "Explain why fewer return home interviews were offered" in actions
    assert "Overdue by 7 days" in actions
    # the summary says the KPI has commentary and an overdue action
    assert "commentary (Feb 2025); 1 open (1 overdue)" in front
    # the KPI's own page (appendix) carries the commentary in full
    kpi_pages = " ".join(pages[marks["RHI offered"] : marks["RHI taken up"]])
    assert COMMENTARY in kpi_pages and "Overdue by 7 days" in kpi_pages
    # and nothing that belongs on a screen only: no forms
    assert "Save commentary" not in " ".join(pages)


@pytest.mark.parametrize("path", [KPI_PAGE, "/board?la=850"])
def test_the_writers_forms_have_no_serious_accessibility_violations(
    browser, live_server, app, board, path
):
    from axe_playwright_python.sync_playwright import Axe
    from browser_helpers import wait_until_drawn
    from test_accessibility import AXE_OPTIONS, BLOCKING, describe

    context = _context(browser, live_server, app, "ann", "analyst")
    page = context.new_page()
    page.goto(path)
    wait_until_drawn(page)
    assert page.locator(".board-form, .board-meetings input").count() > 0  # forms shown
    results = Axe().run(page, options=AXE_OPTIONS).response
    context.close()
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert blocking == [], describe(blocking)
