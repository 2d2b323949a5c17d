"""DfE submission readiness on the data-quality page, in a real browser, from real findings.

The status file is written by the pipeline's own code on generated data with defects, the
DfE's rules run for real (dfe_fixture.py: two refreshes, May then June). The page must show
every extract checked with its figures as stored, the failing rules with the known
validator defects marked, the trend from extract to extract, and the rows flagged; and it
must stay accessible.
"""

from __future__ import annotations

import re

import duckdb
import pytest
from browser_helpers import wait_until_drawn
from dfe_fixture import LA, build

pytestmark = pytest.mark.e2e

SECTION = "section.dfe-readiness"


@pytest.fixture(scope="module")
def dfe(tmp_path_factory):
    return build(tmp_path_factory.mktemp("dfe-readiness"))


@pytest.fixture(scope="module")
def stored(dfe) -> dict:
    """What the pipeline stored, read straight from status.duckdb (not through the app)."""
    with duckdb.connect(str(dfe.serving / "status.duckdb"), read_only=True) as con:
        runs = con.execute(
            "select collection_year, extract_date, rules_failed, children, in_year "
            "from dfe903_runs order by extract_date, collection_year"
        ).fetchall()
        known = con.execute(
            "select distinct rule_code from dfe903_rules where status = 'known'"
        ).fetchall()
        failing = con.execute(
            "select rule_code, rows from dfe903_rules where status = 'failed' "
            "and collection_year = '2025-26' order by rows desc, rule_code"
        ).fetchall()
        newest = (
            "collection_year = '2026-27' and extract_date = "
            "(select max(extract_date) from dfe903_runs)"
        )
        failing_2026_27 = con.execute(
            f"select rule_code from dfe903_rules where status = 'failed' and {newest}"
        ).fetchall()
        known_2026_27 = con.execute(
            f"select rule_code from dfe903_rules where status = 'known' and {newest}"
        ).fetchall()
        child = con.execute(
            "select child, rule_code from dfe903_issues where severity = 'dfe' "
            "order by collection_year desc, rule_code, source_file, source_row limit 1"
        ).fetchone()
    return {
        "runs": runs,
        "known": {r[0] for r in known},
        "failing": failing,
        "child": child,
        "failing_2026_27": {r[0] for r in failing_2026_27},
        "known_2026_27": {r[0] for r in known_2026_27},
    }


@pytest.fixture(scope="module")
def live_server(dfe, make_app):
    from dashboards.boardpack import serve_app

    app = make_app(dfe.serving / "serving.duckdb")  # nothing published yet; test accounts
    with serve_app(app) as url:
        yield url


#: The grids, by the label of their region (their ids are Dash pattern-matching ids).
EXTRACTS = "div.data-grid[aria-label='DfE rules: each extract checked']"
RULES = "div.data-grid[aria-label='DfE rules: failing rules']"
ROWS = "div.data-grid[aria-label='DfE rules: rows flagged']"


def _shown(page, grid: str) -> None:
    """Scroll the grid into view (rows of auto height are measured when shown) and wait
    for its rows."""
    page.locator(grid).scroll_into_view_if_needed()
    page.wait_for_selector(f"{grid} .ag-center-cols-container .ag-row")


def _cells(page, grid: str, column: str) -> list[str]:
    return page.locator(f"{grid} .ag-center-cols-container [col-id='{column}']").all_inner_texts()


def test_each_extract_checked_is_listed_with_its_figures_as_stored(page, dfe, stored):
    from playwright.sync_api import expect

    page.goto(f"/data-quality?la={LA}")
    wait_until_drawn(page)
    section = page.locator(SECTION)
    expect(section.locator("h2")).to_have_text("DfE submission readiness")
    # two refreshes: the final return and May's extract first, then June's alone
    assert [t.label for t in dfe.first.to_check] == [
        f"{LA}/ssda903/2025-26/2026-05-31",
        f"{LA}/ssda903/2026-27/2026-05-31",
    ]
    assert [t.label for t in dfe.second.to_check] == [f"{LA}/ssda903/2026-27/2026-06-30"]
    grid = EXTRACTS
    _shown(page, grid)
    assert _cells(page, grid, "extract_date") == [str(r[1]) for r in stored["runs"]]
    assert _cells(page, grid, "rules_failed") == [str(r[2]) for r in stored["runs"]]
    assert _cells(page, grid, "children") == [str(r[3]) for r in stored["runs"]]
    kinds = _cells(page, grid, "kind")
    assert kinds[0] == "Final return" and kinds[1].startswith("In-year (as at 31 May 2026")
    readiness = _cells(page, grid, "readiness")
    assert readiness[0].startswith(f"▲ {stored['runs'][0][2]} rules fail")
    expect(section).to_contain_text("csc-validator-be-903 0.1.17")
    expect(section).to_contain_text("--shared-frames")  # the mode decision, said on the page


def test_the_trend_runs_from_extract_to_extract(page, stored):
    page.goto(f"/data-quality?la={LA}")
    wait_until_drawn(page)
    traces = page.evaluate(
        "() => document.querySelector('#dq-dfe-trend .js-plotly-plot').data.map(t => [t.name, t.y])"
    )
    by_year: dict[str, list[int]] = {}
    for year, _day, _rules, children, _in_year in stored["runs"]:
        by_year.setdefault(year, []).append(children)
    assert dict((name, list(y)) for name, y in traces) == by_year
    assert len(by_year["2026-27"]) == 2  # May, then June: a trend, extract to extract


def test_failing_rules_known_validator_defects_and_rules_not_run_are_all_shown(page, stored):
    page.goto(f"/data-quality?la={LA}&year=2026-27")
    wait_until_drawn(page)
    _shown(page, RULES)
    shown = dict(zip(_cells(page, RULES, "rule_code"), _cells(page, RULES, "what"), strict=True))
    expected = {code: "▲ Fails" for code in stored["failing_2026_27"]}
    expected |= {code: "◆ Known validator defect" for code in stored["known_2026_27"]}
    expected |= {"231": "○ Not run (the rule crashed)", "233": "○ Not run (the rule crashed)"}
    assert shown == expected
    # an in-year finding of the validator's reading of open episodes: known, with its reason
    assert "359" in stored["known_2026_27"]
    reasons = dict(
        zip(_cells(page, RULES, "rule_code"), _cells(page, RULES, "reason"), strict=True)
    )
    assert "after the extract date" in reasons["359"]


def test_the_year_filter_applies_and_the_rows_flagged_name_child_and_line(page, stored):
    from playwright.sync_api import expect

    page.goto(f"/data-quality?la={LA}")
    wait_until_drawn(page)
    page.select_option("#dq-year", "2026-27")
    page.wait_for_url(re.compile(r"year=2026-27"))
    expect(page.locator(f"{EXTRACTS} .ag-center-cols-container .ag-row")).to_have_count(2)
    child, rule = stored["child"]
    _shown(page, ROWS)
    # the rows grid redraws after the year changes: wait for the first row's cells to say
    # what was stored, rather than reading whatever was drawn first
    first = page.locator(f"{ROWS} .ag-center-cols-container .ag-row[row-index='0']")
    expect(first.locator("[col-id='child']")).to_have_text(child)
    expect(first.locator("[col-id='rule_code']")).to_have_text(rule)
    expect(first.locator("[col-id='what']")).to_have_text("▲ DfE rule")
    expect(first.locator("[col-id='source_row']")).to_have_text(re.compile(r"^\d+$"))


def test_the_section_is_accessible(page):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"/data-quality?la={LA}")
    wait_until_drawn(page)
    for grid in (EXTRACTS, RULES, ROWS):  # AG Grid draws rows once a grid is on screen
        _shown(page, grid)
    options = {
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]},
        "resultTypes": ["violations"],
    }
    violations = Axe().run(page, context=SECTION, options=options).response["violations"]
    blocking = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert blocking == [], [
        (v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in blocking
    ]
