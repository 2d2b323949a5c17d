"""Downloads: every grid as CSV (AG Grid, in the browser) and Excel (built here), and the
Excel and CSV writers themselves."""

from __future__ import annotations

import base64
import datetime as dt
import io

import pandas as pd
from openpyxl import load_workbook

from dashboards import export, ids
from dashboards.components.grid import column, data_grid, excel_download

COLUMNS = [
    column("name", "KPI"),
    column("period_end", "Period end"),
    column("value", "Value", numeric=True),
    column("note", "Note"),
]
ROWS = [
    {"name": "[RHI offered](/kpi/rhi_offered_pct)", "period_end": "2025-02-14", "value": 90.0,
     "note": "=HYPERLINK(\"http://example.invalid\")"},
    {"name": "RHI taken up", "period_end": "2025-01-31", "value": None, "note": "no cases"},
]  # fmt: skip


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def test_the_workbook_has_the_grids_headings_and_typed_cells():
    ws = _sheet(export.xlsx_bytes(ROWS, COLUMNS, sheet="kpi-by-period", title="By period"))
    assert ws.title == "kpi-by-period"
    assert [c.value for c in ws[1]] == ["KPI", "Period end", "Value", "Note"]
    assert all(c.font.bold for c in ws[1]) and ws.freeze_panes == "A2"
    first = [c.value for c in ws[2]]
    assert first[0] == "RHI offered"  # the link's text, not its markdown
    assert first[1] == dt.datetime(2025, 2, 14) and ws["B2"].number_format == "yyyy-mm-dd"
    assert first[2] == 90.0
    assert [c.value for c in ws[3]][2] is None  # "no cases" stays blank, never 0


def test_text_that_looks_like_a_formula_is_stored_as_text():
    ws = _sheet(export.xlsx_bytes(ROWS, COLUMNS))
    assert ws["D2"].data_type == "s"
    assert ws["D2"].value == '=HYPERLINK("http://example.invalid")'
    csv = export.csv_text(ROWS, COLUMNS)
    assert "'=HYPERLINK" in csv and "KPI,Period end,Value,Note" in csv


def test_without_column_definitions_every_key_is_a_column_and_frames_are_accepted():
    frame = pd.DataFrame(
        {"la_code": ["850"], "rows": [3], "at": [pd.Timestamp("2025-02-15 05:00")]}
    )
    ws = _sheet(export.xlsx_bytes(frame))
    assert [c.value for c in ws[1]] == ["la_code", "rows", "at"]
    assert [c.value for c in ws[2]] == ["850", 3, dt.datetime(2025, 2, 15, 5)]


def test_sheet_names_are_cut_to_excels_rules():
    assert export.sheet_name("a/b:c*d?e[f]g") == "a-b-c-d-e-f-g"
    assert len(export.sheet_name("x" * 40)) == 31


def test_control_characters_from_an_extract_do_not_break_the_workbook():
    ws = _sheet(export.xlsx_bytes([{"v": "bad\x01byte"}]))
    assert ws["A2"].value == "badbyte"


def test_every_grid_has_csv_and_excel_buttons_and_a_download():
    grid = data_grid("kpi-by-period", ROWS, COLUMNS, label="Figures by period")
    buttons, _ = grid.children
    found = [getattr(c, "id", None) for c in buttons.children]
    assert found == [
        ids.grid_export("kpi-by-period"),
        ids.grid_excel("kpi-by-period"),
        ids.grid_download("kpi-by-period"),
    ]
    assert "Download Excel" in buttons.children[1].children


def test_the_excel_download_holds_the_rows_as_filtered_in_the_grid():
    shown = ROWS[1:]  # virtualRowData: after the user's filter
    sent = excel_download("kpi-by-period", shown, ROWS, COLUMNS)
    assert sent["filename"] == "kpi-by-period.xlsx" and sent["base64"]
    ws = _sheet(base64.b64decode(sent["content"]))
    assert ws.max_row == 2 and ws["A2"].value == "RHI taken up"
    before_the_grid_reported = excel_download("kpi-by-period", None, ROWS, COLUMNS)
    assert _sheet(base64.b64decode(before_the_grid_reported["content"])).max_row == 3


def test_the_excel_button_of_any_grid_sends_its_workbook(callbacks):
    """One pattern-matching callback serves every grid of every page."""
    name = ids.MISSING_TABLE
    response = callbacks.post(
        output='{"index":["MATCH"],"type":"grid-download"}.data',
        outputs={"id": ids.grid_download(name), "property": "data"},
        inputs=[{"id": ids.grid_excel(name), "property": "n_clicks", "value": 1}],
        state=[
            {"id": ids.grid(name), "property": "virtualRowData", "value": None},
            {"id": ids.grid(name), "property": "rowData", "value": ROWS},
            {"id": ids.grid(name), "property": "columnDefs", "value": COLUMNS},
        ],
        changed=[f'{{"index":"{name}","type":"grid-excel"}}.n_clicks'],
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    sent = response.get_json()["response"]['{"index":"missing-by-period","type":"grid-download"}']
    ws = _sheet(base64.b64decode(sent["data"]["content"]))
    assert sent["data"]["filename"] == "missing-by-period.xlsx"
    assert [c.value for c in ws[1]] == ["KPI", "Period end", "Value", "Note"]
    assert ws.max_row == 3
