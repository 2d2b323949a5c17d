"""Downloads in a real browser: a grid's CSV (AG Grid's export) and Excel (the server's),
both of the rows as filtered on screen, and the data-quality page's failing rows."""

from __future__ import annotations

import csv
import io

import pytest
from browser_helpers import wait_until_drawn
from openpyxl import load_workbook

pytestmark = pytest.mark.e2e

GRID = '{"index":"%s","type":"grid"}'


def _download(page, button) -> tuple[str, bytes]:
    with page.expect_download() as info:
        button.click()
    download = info.value
    return download.suggested_filename, download.path().read_bytes()


def test_a_grid_downloads_as_csv_and_excel(page):
    page.goto("/missing")
    wait_until_drawn(page)
    name, content = _download(
        page, page.get_by_role("button", name="Download CSV of Figures by month")
    )
    assert name == "missing-by-period.csv"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == ["Month", "Numerator", "Denominator", "Value", "Shown as", "Status"]
    assert rows[1] == ["Feb 2025 (to 14 Feb 2025)", "18", "20", "90", "90.0%", "ok"]
    name, content = _download(
        page, page.get_by_role("button", name="Download Excel of Figures by month")
    )
    assert name == "missing-by-period.xlsx"
    ws = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in ws[1]] == rows[0]
    assert [c.value for c in ws[2]] == ["Feb 2025 (to 14 Feb 2025)", 18, 20, 90, "90.0%", "ok"]
    assert ws.max_row == len(rows)


def test_the_excel_download_keeps_the_grids_filter(page):
    page.goto("/dictionary")
    wait_until_drawn(page)
    grid_id = GRID % "kpi-dictionary"
    page.wait_for_selector(".ag-row")
    page.evaluate(
        """id => dash_ag_grid.getApi(id).setFilterModel(
               {area: {filterType: 'text', type: 'equals', filter: 'Care leavers'}})""",
        grid_id,
    )
    page.wait_for_function(
        "id => dash_ag_grid.getApi(id).getDisplayedRowCount() === 1", arg=grid_id
    )
    name, content = _download(
        page, page.get_by_role("button", name="Download Excel of KPI dictionary")
    )
    ws = load_workbook(io.BytesIO(content)).active
    assert name == "kpi-dictionary.xlsx" and ws.max_row == 2
    assert ws["A2"].value == "Care leavers in education, employment or training"  # link text


def test_the_failing_rows_download_from_the_data_quality_page(page):
    page.goto("/data-quality?la=852")
    wait_until_drawn(page)
    name, content = _download(page, page.get_by_role("button", name="Download failing rows (CSV)"))
    assert name == "dq-issues-852.csv"
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    assert sorted((r["Line"], r["Rule"]) for r in rows) == [
        ("3", "103"),
        ("5", "501"),
        ("6", "501"),
    ]
