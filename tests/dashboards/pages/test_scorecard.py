"""/ — the board scorecard."""

from __future__ import annotations

import io
import re

import pandas as pd
from dash_helpers import text_of

from dashboards import ids


def rows_by_kpi(page) -> dict[str, str]:
    """Each scorecard row's text, keyed by its KPI id."""
    found: dict[str, str] = {}

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            props = node.get("props", {})
            if node.get("type") == "Tr" and "data-kpi" in props:
                found[props["data-kpi"]] = text_of(node)
            for value in props.values():
                walk(value)

    walk(page)
    return found


def kpi_links(page) -> list[str]:
    links: list[str] = []

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            props = node.get("props", {})
            if node.get("type") == "Link":
                links.append(props["href"])
            for value in props.values():
                walk(value)

    walk(page)
    return links


def test_every_catalogue_kpi_is_listed_grouped_by_area(callbacks):
    page = callbacks.route("/", "?la=850")
    rows = rows_by_kpi(page)
    assert len(rows) == 10
    text = text_of(page)
    for area in ["Missing and RHI", "Education", "Care leavers", "Workforce"]:
        assert area in text


def test_each_row_shows_value_target_rag_travel_and_comparators(callbacks):
    rows = rows_by_kpi(callbacks.route("/", ""))
    assert rows["rhi_offered_pct"].split(" ● ")[0] == (
        "RHI offered Feb 2025 (to 14 Feb 2025) 90.0% 90.0%"
    )
    assert "Green meets target ↗ improving ↗ improving" in rows["rhi_offered_pct"]
    assert "Amber" in rows["missing_cla_pct"] and "11.0% (2018)" in rows["missing_cla_pct"]
    assert "Red" in rows["caseload_avg"] and "↘ declining ↘ declining" in rows["caseload_avg"]
    assert "↑ up" in rows["cla_count"] and "RAG" not in rows["cla_count"]


def test_no_cases_and_not_supplied_are_said_never_shown_as_zero(callbacks):
    rows = rows_by_kpi(callbacks.route("/", ""))
    assert "no cases" in rows["rhi_within_72h_pct"]
    assert "63.0% (2024)" in rows["rhi_within_72h_pct"]  # England
    assert "not published" in rows["rhi_within_72h_pct"]  # South East left blank
    assert "not supplied" in rows["pep_in_term_pct"]
    zero = re.compile(r"(?<![\d.])0(\.0)?%")
    assert not zero.search(rows["rhi_within_72h_pct"] + rows["pep_in_term_pct"])


def test_care_leavers_use_their_headline_age_group_and_collection_year(callbacks):
    rows = rows_by_kpi(callbacks.route("/", ""))
    assert "2024-25 (to 14 Feb 2025) · Aged 17–21 62.0% 60.0%" in rows["cl_eet_pct"]
    assert "not published" in rows["cl_eet_pct"]  # England blank in every year


def test_each_kpi_links_to_its_kpi_page(callbacks):
    links = kpi_links(callbacks.route("/", "?la=851"))
    assert "/kpi/rhi_offered_pct?la=851" in links
    assert len([link for link in links if link.startswith("/kpi/")]) == 10


def test_the_board_page_holds_no_child_level_data(callbacks):
    text = text_of(callbacks.route("/", ""))
    assert "C001" not in text and "SW10" not in text


def test_the_scorecard_downloads_as_csv(callbacks):
    response = callbacks.call(
        [(ids.SCORECARD_DOWNLOAD, "data")],
        [
            (ids.SCORECARD_DOWNLOAD_BUTTON, "n_clicks", 1),
            (ids.SCORECARD_EXCEL_BUTTON, "n_clicks", 0),
        ],
        state=[(ids.SCORECARD_LA, "data", "850")],
    )
    download = response.get_json()["response"][ids.SCORECARD_DOWNLOAD]["data"]
    assert download["filename"] == "scorecard-850.csv"
    frame = pd.read_csv(io.StringIO(download["content"])).set_index("kpi_id")
    assert frame.loc["rhi_offered_pct", "rag"] == "green"
    assert frame.loc["rhi_within_72h_pct", "display"] == "no cases"
    assert frame.loc["rhi_within_72h_pct", "England"] == "63.0% (2024)"


def test_the_scorecard_downloads_as_excel(callbacks):
    import base64

    from openpyxl import load_workbook

    response = callbacks.call(
        [(ids.SCORECARD_DOWNLOAD, "data")],
        [
            (ids.SCORECARD_DOWNLOAD_BUTTON, "n_clicks", 0),
            (ids.SCORECARD_EXCEL_BUTTON, "n_clicks", 1),
        ],
        state=[(ids.SCORECARD_LA, "data", "850")],
        changed=[(ids.SCORECARD_EXCEL_BUTTON, "n_clicks")],
    )
    download = response.get_json()["response"][ids.SCORECARD_DOWNLOAD]["data"]
    assert download["filename"] == "scorecard-850.xlsx"
    ws = load_workbook(io.BytesIO(base64.b64decode(download["content"]))).active
    header = [c.value for c in ws[1]]
    rows = {
        r[header.index("kpi_id")]: dict(zip(header, r, strict=True))
        for r in ws.iter_rows(min_row=2, values_only=True)
    }
    assert rows["rhi_offered_pct"]["value"] == 90.0 and rows["rhi_offered_pct"]["rag"] == "green"
    assert rows["rhi_within_72h_pct"]["display"] == "no cases"
    assert rows["rhi_within_72h_pct"]["value"] is None  # never 0
