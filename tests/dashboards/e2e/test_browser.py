"""The dashboard in a real browser (Debian chromium through Playwright; the browser,
context and page fixtures are in conftest.py).

Waits on selectors and URLs, never on time.
"""

from __future__ import annotations

import itertools
import re

import pytest

pytestmark = pytest.mark.e2e


def trace_names(page, graph_id: str) -> list[str]:
    return page.evaluate(
        "id => document.querySelector(`#${id} .js-plotly-plot`).data.map(t => t.name)", graph_id
    )


def test_missing_page_district_filter_updates_chart_table_and_url(page):
    from playwright.sync_api import expect

    page.goto("/missing")
    page.wait_for_selector("#missing-trend .js-plotly-plot .scatterlayer .trace")
    assert trace_names(page, "missing-trend") == ["RHI offered — all districts"]
    first_numerator = page.locator('.ag-row[row-index="0"] [col-id="numerator"]')
    expect(first_numerator).to_have_text("18")

    page.select_option("#missing-district", "Winchester")
    page.wait_for_url(re.compile(r"district=Winchester"))
    expect(first_numerator).to_have_text("5")
    page.wait_for_function(
        "() => document.querySelector('#missing-trend .js-plotly-plot').data.length === 2"
    )
    assert trace_names(page, "missing-trend") == ["LA total", "RHI offered — Winchester"]
    expect(page.locator("#missing-tiles")).to_contain_text("50.0%")

    page.go_back()  # the browser's back button restores the whole-LA view
    page.wait_for_url(re.compile(r"/missing$"))
    expect(page.locator("#missing-district")).to_have_value("ALL")
    expect(first_numerator).to_have_text("18")


def test_scorecard_links_to_the_kpi_page(page):
    from playwright.sync_api import expect

    page.goto("/")
    expect(page.locator("#shell-freshness")).to_contain_text("Data as at 14 Feb 2025")
    row = page.locator('tr[data-kpi="rhi_offered_pct"]')
    expect(row).to_contain_text("90.0%")
    expect(row).to_contain_text("Green")
    row.get_by_role("link", name="RHI offered").click()
    page.wait_for_url(re.compile(r"/kpi/rhi_offered_pct\?la=850"))
    expect(page.locator("h1")).to_have_text("RHI offered")
    page.wait_for_selector("#kpi-ranking .js-plotly-plot .scatterlayer .trace")


def test_inputs_are_labelled_and_keyboard_focus_is_visible(page):
    page.goto("/missing")
    page.wait_for_selector("#missing-district")
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('select')]
              .filter(s => !document.querySelector(`label[for="${s.id}"]`))
              .map(s => s.id)"""
    )
    assert unlabelled == []
    levels = page.evaluate(
        "() => [...document.querySelectorAll('h1,h2,h3')].map(h => Number(h.tagName[1]))"
    )
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const el = document.activeElement;
                   return [el.textContent, getComputedStyle(el).outlineStyle]; }"""
    )
    assert focused == ["Skip to main content", "solid"]


def test_choosing_another_la_reloads_the_page_for_it_and_warns_of_a_rejected_load(page):
    from playwright.sync_api import expect

    page.goto("/missing")
    expect(page.locator("#shell-freshness")).to_contain_text("Hampshire")
    page.select_option("#shell-la-select", "851")
    page.wait_for_url(re.compile(r"/missing\?la=851$"))
    expect(page.locator("#shell-freshness")).to_contain_text("Data as at 31 Jan 2025")
    expect(page.locator(".rejected-load")).to_contain_text("required column DECOM is missing")
    expect(page.locator('#missing-district option:not([value=""])')).to_have_text(
        ["All districts", "North", "South"]
    )


def test_scorecard_to_kpi_to_district_then_a_month_then_a_childs_timeline(page):
    """A manager's path: board scorecard → KPI → a district in the districts table → an
    earlier month → a child on the district's RHI action list → the child's timeline."""
    from playwright.sync_api import expect

    page.goto("/")
    page.locator('tr[data-kpi="rhi_offered_pct"]').get_by_role("link", name="RHI offered").click()
    page.wait_for_url(re.compile(r"/kpi/rhi_offered_pct\?la=850"))
    districts = page.get_by_role("region", name="RHI offered by district")
    districts.locator(".ag-cell a", has_text="Winchester").click()

    page.wait_for_url(re.compile(r"/district/Winchester\?la=850$"))
    expect(page.locator("h1")).to_have_text("Winchester")
    page.wait_for_selector("#district-spine .js-plotly-plot .scatterlayer .trace")
    kpis = page.get_by_role("region", name="KPIs of Winchester against the LA")
    offered = kpis.locator('.ag-center-cols-container [row-index="0"] [col-id="shown"]')
    expect(offered).to_have_text("50.0%")

    page.select_option("#district-period", "2025-01")
    page.wait_for_url(re.compile(r"/district/Winchester\?la=850&period=2025-01$"))
    expect(offered).to_have_text("60.0%")
    expect(page.locator("#district-content")).to_contain_text("Caseloads — Jan 2025")

    rhi = page.get_by_role("region", name="Missing episodes without a return interview")
    rhi.locator(".ag-cell a", has_text="C001").click()
    page.wait_for_url(re.compile(r"/child/C001\?la=850$"))
    expect(page.locator("h1")).to_have_text("Child C001")
    page.wait_for_selector("#child-timeline .js-plotly-plot .barlayer .trace")
    assert trace_names(page, "child-timeline") == [
        "Periods of care",
        "Placements",
        "Allocations",
        "Missing episodes",
        "Return interviews",
        "PEPs",
        "Reviews",
    ]
    ends = page.get_by_role("region", name="Placements of child C001").locator('[col-id="end"]')
    expect(ends).to_have_text(["Ended", "2024-08-15", "ongoing"])
