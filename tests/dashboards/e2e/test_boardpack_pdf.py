"""The board pack, printed from the test snapshot with Debian chromium: one PDF with a
contents page, a front section (the board summary's four parts) and an appendix (the
scorecard, the partners and a page for every KPI of the catalogue), checked with pypdf."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from auth_helpers import principal
from pypdf import PdfReader

from dashboards import data
from dashboards.auth import acting_as

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[3]

FRONT = [
    "Summary: every KPI",
    "What changed since the last board",
    "Exceptions",
    "Partners' actions due and overdue",
]
NAMES = [
    "RHI offered",
    "RHI taken up",
    "RHI held within 72 hours",
    "Missing episodes ended in the month",
    "Away episodes ended in the month",
    "Children looked after who went missing",
    "PEP completed this term",
    "Care leavers in education, employment or training",
    "Average caseload per case-holding FTE",
    "Children looked after",
]


@pytest.fixture(scope="module")
def pack(snapshot, chromium, tmp_path_factory):
    """The command line, run as `make boardpack` runs it (in its own process: Playwright's
    sync API cannot start inside the browser session of the other e2e tests)."""
    from dashboards import boardpack

    out = tmp_path_factory.mktemp("boardpack") / "boardpack-850.pdf"
    command = [sys.executable, "-m", "dashboards.boardpack", "--la", "850", "--out", str(out)]
    command += ["--serving", str(snapshot), "--chromium", chromium]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"Wrote {out}" in done.stdout
    reader = PdfReader(out)
    marks = [(o.title, reader.get_destination_page_number(o) + 1) for o in reader.outline]
    with data.use_snapshot(snapshot), acting_as(principal("board")):
        wanted = {s.title: s for s in boardpack.sections("850")}
    sections = [(wanted[title], first) for title, first in marks if title != "Contents"]
    appendix = next(first for section, first in sections if section.part == "appendix")
    assert f"Front section: {appendix - 1} pages" in done.stdout
    return boardpack.BoardPack(out, sections, len(reader.pages), appendix - 1)


def _text(reader: PdfReader, first: int, last: int) -> str:
    """Text of pages ``first`` to ``last`` (0-based, end excluded); NFKC undoes the
    font's ligatures ("ﬀ" → "ff")."""
    text = " ".join(reader.pages[i].extract_text() for i in range(first, last))
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_every_kpi_of_the_catalogue_has_its_own_pages_in_order(pack):
    reader = PdfReader(pack.path)
    assert len(reader.pages) == pack.pages
    starts = [start for _, start in pack.sections]
    titles = [*FRONT, "Board scorecard", "Partners", *NAMES]
    assert [s.title for s, _ in pack.sections] == titles
    assert [o.title for o in reader.outline] == ["Contents", *titles]
    ends = [*starts[1:], pack.pages + 1]
    shown = {  # what each part's page says of itself
        "Summary: every KPI": "Board summary — Hampshire 10 KPIs",
        "What changed since the last board": "What changed since the last board",
        "Exceptions": "Exceptions",
        "Partners' actions due and overdue": "Partners' actions due and overdue",
    }
    for (section, start), end in zip(pack.sections, ends, strict=True):
        text = _text(reader, start - 1, end - 1)
        assert shown.get(section.title, section.title) in text, section.title
        assert "Data as at 14 Feb 2025" in text  # the freshness banner prints on each
    kpi = titles.index(NAMES[0])
    assert "Definition" in _text(reader, starts[kpi] - 1, ends[kpi] - 1)


def test_the_front_section_leads_and_stays_within_twelve_pages(pack):
    from dashboards import boardpack

    reader = PdfReader(pack.path)
    assert [s.part for s, _ in pack.sections[:4]] == ["front"] * 4
    assert all(s.part == "appendix" for s, _ in pack.sections[4:])
    scorecard = dict((s.title, first) for s, first in pack.sections)["Board scorecard"]
    assert pack.front_pages == scorecard - 1 <= boardpack.FRONT_PAGE_LIMIT == 12
    summary = _text(reader, 1, 2)
    # every KPI on the one-page summary, with its SPC icons and partner
    for name in NAMES:
        assert name in summary, name
    assert "Board summary — Hampshire 10 KPIs · 1 need attention" in summary
    exceptions = _text(reader, pack.sections[2][1] - 1, pack.sections[3][1] - 1)
    assert "Average caseload per case-holding FTE" in exceptions


def test_the_contents_page_lists_every_page_with_its_page_number(pack):
    reader = PdfReader(pack.path)
    contents = _text(reader, 0, 1)
    assert "Board pack — Hampshire" in contents
    assert "Front section" in contents and "Appendix" in contents
    for section, start in pack.sections:
        assert re.search(rf"{re.escape(section.title)}.*? {start}\b", contents), section.title
    assert f"page 1 of {pack.pages}" in contents
    assert f"page {pack.pages} of {pack.pages}" in _text(reader, pack.pages - 1, pack.pages)


def test_the_print_stylesheet_leaves_out_the_screen_furniture_and_keeps_rag_words(pack):
    reader = PdfReader(pack.path)
    starts = dict((s.title, first) for s, first in pack.sections)
    scorecard = _text(reader, starts["Board scorecard"] - 1, starts["Partners"] - 1)
    assert "Green" in scorecard and "Amber" in scorecard and "Red" in scorecard
    assert "90.0%" in scorecard
    everything = _text(reader, 0, pack.pages)
    for screen_only in (
        "Skip to main content",
        "Download CSV",
        "Download Excel",
        "Local authority",
        "Save commentary",
        "Record a board action",
    ):
        assert screen_only not in everything
