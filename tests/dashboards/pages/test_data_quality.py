"""/data-quality through the Flask test client: extract status, freshness, failing rows by
rule, file and child, the filters and the URL, and the downloads (see status_fixture)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import shutil

import pytest
from auth_helpers import sign_in
from dash_helpers import DashCallbacks, find_by_id, text_of
from openpyxl import load_workbook
from status_fixture import build_status

from dashboards import ids

CONTROLS = [ids.DQ_LA, ids.DQ_YEAR, ids.DQ_SEVERITY, ids.DQ_RULE, ids.DQ_FILE]
SYNC_OUTPUTS = [
    (ids.DQ_MESSAGES, "children"),
    (ids.DQ_CONTENT, "children"),
    (ids.DQ_YEAR, "options"),
    (ids.DQ_RULE, "options"),
    (ids.DQ_FILE, "options"),
    (ids.DQ_URL, "search"),
    *[(c, "value") for c in CONTROLS],
]


def rows(tree, name: str) -> list[dict]:
    return find_by_id(tree, ids.grid(name))["props"]["rowData"]


def days_since(day: dt.date) -> int:
    return (dt.date.today() - day).days


def test_every_las_newest_extracts_are_listed_with_why_one_was_blocked(callbacks):
    page = callbacks.route("/data-quality", "")
    status = {
        (r["la_code"], r["source"], r["collection_year"]): r
        for r in rows(page, ids.DQ_STATUS_TABLE)
    }
    assert len(status) == 5
    assert status[("850", "ssda903", "2024-25")]["status"] == "▲ Published with warnings"
    assert status[("850", "local", "–")]["status"] == "● Published"
    rejected = status[("851", "ssda903", "2024-25")]
    assert rejected["status"] == "■ Blocked" and rejected["serving_older"] == "Yes"
    assert (
        "required column DECOM is missing [rule FILE-MISSING-COLUMN]" in rejected["latest_message"]
    )
    assert (rejected["served_extract_date"], rejected["served_age_days"]) == ("2025-01-31", 15)
    assert rejected["why"] == (
        "851/ssda903/2024-25/2025-02-14/episodes.csv, line 1: required column DECOM is "
        "missing [rule FILE-MISSING-COLUMN]"
    )
    blocked = status[("852", "ssda903", "2024-25")]  # never published: only status knows it
    assert blocked["status"] == "■ Blocked" and "[rule 501]" in blocked["latest_message"]
    assert blocked["served_extract_date"] is None
    text = text_of(page)
    assert "5 extracts, 2 blocked." in text
    assert "Checks as at 15 Feb 2025 06:10 by run r2." in text
    # the whole reason of each blocked or flagged extract, one disclosure each
    assert (
        "Why, in full 850 ssda903 2024-25, extract of 14 Feb 2025: ▲ Published with warnings"
        in text
    )
    assert "the whole extract 852/ssda903/2024-25/2025-02-14 was not loaded" in text


def test_each_las_freshness_says_how_old_its_published_figures_are(callbacks):
    fresh = {
        r["la_code"]: r for r in rows(callbacks.route("/data-quality", ""), ids.DQ_FRESHNESS_TABLE)
    }
    assert fresh["850"] == {
        "la_code": "850",
        "published_as_at": "2025-02-14",
        "days_old": days_since(dt.date(2025, 2, 14)),
        "newest_loaded": "2025-02-14",
        "newest_received": "2025-02-14",
        "blocked": 0,
        "state": "● Up to date",
    }
    assert fresh["851"]["published_as_at"] == "2025-01-31"
    assert fresh["851"]["state"] == "■ 1 newer extract blocked"
    assert fresh["852"]["published_as_at"] is None and fresh["852"]["days_old"] is None


def test_failing_rows_of_the_latest_checks_by_rule_file_and_child(callbacks):
    page = callbacks.route("/data-quality", "")
    assert (
        "7 failing rows (2 errors, 5 warnings) in 4 files, for 5 children, of 3 rules."
        in text_of(page)
    )
    by_rule = {r["rule_code"]: r for r in rows(page, ids.DQ_RULES_TABLE)}
    assert list(by_rule) == ["501", "103", "CSC-RHI-MATCH"]  # errors first
    assert (by_rule["501"]["rows"], by_rule["501"]["children"]) == (2, 2)
    assert (by_rule["103"]["rows"], by_rule["103"]["las"], by_rule["103"]["files"]) == (4, 2, 2)
    assert "141" not in by_rule  # found by an earlier check of 852's extract only
    by_file = rows(page, ids.DQ_FILES_TABLE)
    assert by_file[0] == {
        "la_code": "852",
        "source_file": "852/ssda903/2024-25/2025-02-14/episodes.csv",
        "table_name": "episodes",
        "rows": 2,
        "errors": 2,
        "warnings": 0,
        "rules": "501",
        "children": 2,
        "first_line": 5,
    }
    by_child = {(r["la_code"], r["child"]): r for r in rows(page, ids.DQ_CHILDREN_TABLE)}
    assert by_child[("852", "Q001")]["rules"] == "103, 501"
    assert by_child[("850", "C001")]["rules"] == "103, CSC-RHI-MATCH"
    every = rows(page, ids.DQ_ROWS_TABLE)
    assert len(every) == 7
    assert {
        (r["source_file"].rsplit("/", 1)[-1], r["source_row"])
        for r in every
        if r["child"] == "Q001"
    } == {
        ("episodes.csv", 5),
        ("header.csv", 3),
    }


def test_the_query_string_filters_the_page(callbacks):
    page = callbacks.route("/data-quality", "?la=852&severity=error")
    every = rows(page, ids.DQ_ROWS_TABLE)
    assert [(r["child"], r["rule_code"]) for r in every] == [("Q001", "501"), ("Q002", "501")]
    assert [r["la_code"] for r in rows(page, ids.DQ_STATUS_TABLE)] == ["852"]
    assert [r["la_code"] for r in rows(page, ids.DQ_FRESHNESS_TABLE)] == ["852"]
    rule = find_by_id(page, ids.DQ_RULE)["props"]
    assert [o["value"] for o in rule["options"]] == ["ALL", "103", "501"]
    by_file = callbacks.route("/data-quality", "?file=850/ssda903/2024-25/2025-02-14/header.csv")
    assert [r["source_row"] for r in rows(by_file, ids.DQ_ROWS_TABLE)] == [2, 3, 5]


@pytest.mark.parametrize(
    ("search", "message"),
    [
        (
            "?la=999",
            "LA “999” is not available to you (not in your scope, or not in the data): showing all your LAs instead.",
        ),
        ("?la=850&year=1999-00", "Unknown collection year “1999-00”: showing every year instead."),
        ("?severity=fatal", "Unknown severity “fatal”: showing errors and warnings instead."),
        ("?la=850&rule=501", "Unknown rule “501”: showing every rule instead."),
        ("?file=../../etc/passwd", "Unknown file “../../etc/passwd”: showing every file instead."),
        (
            "?la=%27%20or%201=1--",
            "LA “' or 1=1--” is not available to you (not in your scope, or not in the data): showing all your LAs instead.",
        ),
    ],
)
def test_a_bad_value_in_the_link_falls_back_and_says_so(callbacks, search, message):
    page = callbacks.route("/data-quality", search)
    assert message in text_of(find_by_id(page, ids.DQ_MESSAGES))
    assert rows(page, ids.DQ_ROWS_TABLE)  # the page still shows failing rows


def test_values_are_matched_whatever_their_case_and_repeats_keep_the_first(callbacks):
    page = callbacks.route("/data-quality", "?severity=ERROR&rule=csc-rhi-match&la=850&la=851")
    assert find_by_id(page, ids.DQ_SEVERITY)["props"]["value"] == "error"
    assert find_by_id(page, ids.DQ_LA)["props"]["value"] == "850"
    assert find_by_id(page, ids.DQ_RULE)["props"]["value"] == "CSC-RHI-MATCH"
    assert find_by_id(page, ids.grid(ids.DQ_ROWS_TABLE)) is None  # that rule is a warning
    assert "No failing rows for these filters." in text_of(page)


def test_choosing_an_la_updates_the_content_the_choices_and_the_url(callbacks):
    values = {
        ids.DQ_LA: "850",
        ids.DQ_YEAR: "ALL",
        ids.DQ_SEVERITY: "ALL",
        ids.DQ_RULE: "501",
        ids.DQ_FILE: "ALL",
    }
    response = callbacks.call(
        SYNC_OUTPUTS,
        [*[(c, "value", values[c]) for c in CONTROLS], (ids.DQ_URL, "search", "?la=852&rule=501")],
        changed=[(ids.DQ_LA, "value")],
    )
    out = response.get_json()["response"]
    assert out[ids.DQ_URL]["search"] == "?la=850&year=ALL&severity=ALL&rule=ALL&file=ALL"
    assert out[ids.DQ_RULE]["value"] == "ALL"  # 850 has no rule 501 failures
    assert [o["value"] for o in out[ids.DQ_RULE]["options"]] == ["ALL", "103", "CSC-RHI-MATCH"]
    assert [o["value"] for o in out[ids.DQ_YEAR]["options"]] == ["ALL", "2024-25", "2023-24"]
    assert "Unknown rule “501”" in text_of(out[ids.DQ_MESSAGES]["children"])
    assert len(rows(out[ids.DQ_CONTENT]["children"], ids.DQ_ROWS_TABLE)) == 4


def test_the_failing_rows_download_as_csv_and_excel_with_every_column(callbacks):
    state = [(ids.DQ_LA, "value", "852"), (ids.DQ_YEAR, "value", "ALL"),
             (ids.DQ_SEVERITY, "value", "error"), (ids.DQ_RULE, "value", "ALL"),
             (ids.DQ_FILE, "value", "ALL")]  # fmt: skip
    inputs = [(ids.DQ_DOWNLOAD_CSV, "n_clicks", 1), (ids.DQ_DOWNLOAD_EXCEL, "n_clicks", 0)]
    sent = callbacks.call([(ids.DQ_DOWNLOAD, "data")], inputs, state).get_json()
    csv = sent["response"][ids.DQ_DOWNLOAD]["data"]
    assert csv["filename"] == "dq-issues-852.csv"
    lines = csv["content"].splitlines()
    assert (
        lines[0]
        == "LA,Year,Extract,Source,Table,File,Line,Child,Rule,Severity,Message,Values,Checked at"
    )
    assert len(lines) == 3 and lines[1].startswith("852,2024-25,2025-02-14,ssda903,episodes,")
    inputs = [(ids.DQ_DOWNLOAD_CSV, "n_clicks", 1), (ids.DQ_DOWNLOAD_EXCEL, "n_clicks", 1)]
    sent = callbacks.call(
        [(ids.DQ_DOWNLOAD, "data")], inputs, state, changed=[(ids.DQ_DOWNLOAD_EXCEL, "n_clicks")]
    ).get_json()["response"][ids.DQ_DOWNLOAD]["data"]
    assert sent["filename"] == "dq-issues-852.xlsx"
    ws = load_workbook(io.BytesIO(base64.b64decode(sent["content"]))).active
    assert [c.value for c in ws[2]][6:9] == [5, "Q001", "501"]
    assert ws.max_row == 3


def test_without_a_snapshot_the_status_still_explains_what_was_blocked(tmp_path, make_app):
    """The first run blocked everything: nothing is published, but the page says why."""
    build_status(tmp_path / "status.duckdb")
    app = make_app(tmp_path / "serving.duckdb")
    page = DashCallbacks(sign_in(app)).route("/data-quality", "?la=852")
    assert "No published data yet" in text_of(page)
    assert rows(page, ids.DQ_STATUS_TABLE)[0]["status"] == "■ Blocked"
    assert rows(page, ids.DQ_FRESHNESS_TABLE)[0]["state"] == "■ 1 newer extract blocked"


def test_without_a_status_file_the_page_says_the_ingest_step_writes_it(
    tmp_path, snapshot, make_app
):
    shutil.copy(snapshot, tmp_path / "serving.duckdb")
    app = make_app(tmp_path / "serving.duckdb")
    page = DashCallbacks(sign_in(app)).route("/data-quality", "")
    assert "No data-quality status yet" in text_of(page)
    fresh = {r["la_code"]: r["published_as_at"] for r in rows(page, ids.DQ_FRESHNESS_TABLE)}
    assert fresh == {"850": "2025-02-14", "851": "2025-01-31"}
    assert "No failing rows." in text_of(page)
