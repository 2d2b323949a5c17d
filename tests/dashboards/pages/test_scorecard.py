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


def test_each_row_shows_value_target_rag_spc_and_comparators(callbacks):
    """SPC judges the 13 complete months, Jan 2024 to Jan 2025 (Feb 2025 is partial).

    rhi_offered_pct: 50, 80, 60, 65, 70, 75, 50, 55, 60, 65, 70, 75, 85 %: Jul 2024 to
    Jan 2025 rise seven months in a row (a trend), so special cause improving; mean
    66.15, mR-bar 125 / 12 = 10.42, limits 38.4 to 93.9 around the target of 90: hit
    and miss. caseload_avg (lower is better): 15, 16, 17 repeated, then 21.0 in Jan
    2025, above the upper limit 16.38 + 2.66 × 1.5 = 20.38: concerning. cla_count
    (information only) jumps to 990: higher than usual, no assurance.
    """
    rows = rows_by_kpi(callbacks.route("/", ""))
    assert rows["rhi_offered_pct"].split(" ● ")[0] == (
        "RHI offered Feb 2025 (to 14 Feb 2025) 90.0% 90.0%"
    )
    assert "Green meets target Improving" in rows["rhi_offered_pct"]
    assert "Hit and miss" in rows["rhi_offered_pct"]
    assert "improving (SPC to Jan 2025)" in rows["rhi_offered_pct"]
    assert "Amber" in rows["missing_cla_pct"] and "11.0% (2018)" in rows["missing_cla_pct"]
    assert "Red" in rows["caseload_avg"] and "Concerning" in rows["caseload_avg"]
    assert "deteriorating (SPC to Jan 2025)" in rows["caseload_avg"]
    assert "Higher than usual" in rows["cla_count"] and "RAG" not in rows["cla_count"]
    assert "improving" not in rows["rhi_accepted_pct"]  # common cause is not a direction
    assert "no significant change (SPC to Jan 2025)" in rows["rhi_accepted_pct"]


def test_kpis_without_spc_say_why_and_how_they_changed_untested(callbacks):
    rows = rows_by_kpi(callbacks.route("/", ""))
    assert "rolling 12-month figure" in rows["missing_cla_pct"]
    assert "no change from Feb 2024 (11.5%); two points, not tested" in rows["missing_cla_pct"]
    assert "Too few points for SPC: 1" in rows["cl_eet_pct"]
    assert "up from 55.0% (2023-24); two points, not tested" in rows["cl_eet_pct"]
    assert "No figures to judge" in rows["pep_in_term_pct"]


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
    assert frame.loc["rhi_offered_pct", "variation"] == "improvement_high"
    assert frame.loc["caseload_avg", "variation"] == "concern_high"
    assert frame.loc["rhi_offered_pct", "assurance"] == "hit_and_miss"
    assert frame.loc["caseload_avg", "direction_of_travel"] == "deteriorating (SPC to Jan 2025)"
    assert "vs_previous" not in frame.columns  # two-point words are not a direction of travel


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


def test_pages_call_the_la_by_its_name(callbacks, use_snapshot):
    from dashboards import data

    text = text_of(callbacks.route("/", "?la=850"))
    assert "Board scorecard — Hampshire" in text and "LA 850" not in text
    # an LA the snapshot's names list does not know keeps its code
    assert (data.la_label("851"), data.la_label("852")) == ("Portsmouth", "LA 852")
