"""The data-quality page's pure parts: its URL state and its tables."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from dash_helpers import text_of

from dashboards import data, ids, quality, urlstate


def _resolve(query):
    return urlstate.resolve_data_quality(
        query,
        las=["850", "852"],
        years=lambda la: ["2024-25"] if la == "852" else ["2024-25", "2023-24"],
        rules=lambda la: ["501"] if la == "852" else ["103", "501"],
        files=lambda la: [],
    )


def test_every_filter_defaults_to_all_and_round_trips_through_the_url():
    state = _resolve({})
    assert state.query() == {
        "la": "ALL",
        "year": "ALL",
        "severity": "ALL",
        "rule": "ALL",
        "file": "ALL",
    }
    assert state.value("la") is None and state.messages == []
    again = _resolve(urlstate.parse_search(urlstate.encode({**state.query(), "la": "852"})))
    assert again.la == "852" and again.value("la") == "852"


def test_choices_are_checked_against_the_chosen_la():
    state = _resolve({"la": "852", "year": "2023-24", "rule": "501"})
    assert (state.year, state.rule) == ("ALL", "501")
    assert state.messages == ["Unknown collection year “2023-24”: showing every year instead."]


def test_dfe_rule_numbers_sort_as_numbers_before_named_rules():
    codes = ["CSC-RHI-MATCH", "1001", "103", "FILE-EMPTY", "501"]
    assert sorted(codes, key=quality.rule_sort_key) == [
        "103",
        "501",
        "1001",
        "CSC-RHI-MATCH",
        "FILE-EMPTY",
    ]


def test_freshness_says_when_newer_data_is_loaded_but_not_yet_published():
    status = pd.DataFrame(
        {
            "la_code": ["850"],
            "latest_extract_date": [pd.Timestamp("2025-03-31")],
            "served_extract_date": [pd.Timestamp("2025-03-31")],
            "latest_status": ["published"],
        }
    )
    published = pd.DataFrame({"la_code": ["850"], "extract_date": [pd.Timestamp("2025-02-28")]})
    row = quality.freshness_rows(status, published, ["850"], dt.date(2025, 4, 1)).iloc[0]
    assert row["state"] == "▲ Loaded, not yet published"
    assert row["days_old"] == 32 and row["published_as_at"] == pd.Timestamp("2025-02-28")


def test_no_issues_make_empty_tables_not_errors():
    empty = pd.DataFrame(columns=data.DQ_ISSUE_COLUMNS)
    assert quality.by_rule(empty).empty and quality.by_file(empty).empty
    assert quality.by_child(empty).empty
    assert quality.summary(empty) == "No failing rows."


def test_the_status_file_is_read_beside_the_snapshot(use_snapshot):
    assert data.status_info() == {"written_at": pd.Timestamp("2025-02-15 06:10"), "run_id": "r2"}
    assert data.dq_las() == ["850", "851", "852"]
    assert list(data.extract_status("851")["latest_status"]) == ["blocked"]
    issues = data.dq_issues(la="852")
    assert sorted(issues["rule_code"]) == ["103", "501", "501"]  # the latest check only
    assert data.dq_issues(year="2023-24").empty
    assert list(data.dq_issues(rule="CSC-RHI-MATCH")["source"]) == ["warehouse"]


def test_a_long_reason_is_cut_to_its_first_clause_which_names_file_line_and_rule():
    reason = (
        "850/local/2026-10-31/teams.csv, line 28: TEAM_ID is blank (1 row, error) "
        "[rule CSC-TEAMS-ID]; also rule CSC-TEAMS-KEY (2 rows); data-quality gate: blocked"
    )
    assert quality.short_reason(reason) == (
        "850/local/2026-10-31/teams.csv, line 28: TEAM_ID is blank (1 row, error) "
        "[rule CSC-TEAMS-ID]"
    )
    assert quality.short_reason("x" * 300, limit=10) == "xxxxxxxxx…"
    assert quality.short_reason(None) is None and quality.short_reason(" ") is None


def test_the_banner_names_the_blocked_file_and_rule_not_the_whole_reason(callbacks):
    from test_app import shell

    banner = text_of(shell(callbacks, "?la=851")[ids.FRESHNESS]["children"])
    assert "851/ssda903/2024-25/2025-02-14/episodes.csv" in banner
    assert "required column DECOM is missing [rule FILE-MISSING-COLUMN]" in banner
    assert "the data loaded before is kept" not in banner
    assert "Why, on the data-quality page" in banner


def _dfe_runs() -> pd.DataFrame:
    """Three checks of LA 850: the 2025-26 return, then 2026-27 in May and in June; and one
    return LA 851's validator could not read."""
    rows = [
        ("850", "2025-26", dt.date(2026, 5, 31), None, False, "ok", 15, 5, 2, 18, 13, 131, None),
        ("850", "2026-27", dt.date(2026, 5, 31), dt.date(2026, 5, 31), True, "ok", 3, 7, 2, 4, 3, 91, None),
        ("850", "2026-27", dt.date(2026, 6, 30), dt.date(2026, 5, 31), True, "ok", 0, 7, 2, 0, 0, 99, None),
        ("851", "2025-26", dt.date(2026, 5, 31), None, False, "failed", None, None, None, None, None, None, "850/...: the validator failed (exit 1): no files"),
    ]  # fmt: skip
    cols = ["la_code", "collection_year", "extract_date", "previous_extract_date", "in_year",
            "status", "rules_failed", "rules_known", "rules_not_run", "failing_rows", "children",
            "known_rows", "message"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def test_dfe_readiness_says_per_extract_what_fails_or_why_it_was_not_checked():
    rows = quality.dfe_extract_rows(_dfe_runs())
    assert rows["readiness"].tolist() == [
        "▲ 15 rules fail for 13 children",
        "▲ 3 rules fail for 3 children",
        "● No DfE rule fails",
        "■ Not checked: 850/...: the validator failed (exit 1): no files",
    ]
    assert rows["kind"].tolist()[:2] == ["Final return", "In-year (as at 31 May 2026)"]
    assert rows["previous"].tolist()[:2] == ["not supplied", "31 May 2026"]


def test_dfe_summary_counts_the_newest_extract_of_each_la_and_year():
    # newest of each: 850 2025-26 (fails, 13 children), 850 2026-27 June (none), 851 (failed)
    assert quality.dfe_summary(_dfe_runs()) == (
        "4 extracts checked. Of the newest extract of each LA and year: 1 with failing DfE "
        "rules (13 children affected), 1 with none, 1 not checked."
    )
    assert quality.dfe_summary(_dfe_runs().head(0)) == (
        "No extract checked against the DfE's rules yet."
    )


def test_the_dfe_trend_has_a_line_per_la_and_year_and_says_it_in_words():
    figure = quality.dfe_trend_figure(_dfe_runs())
    lines = {t.name: list(t.y) for t in figure.data}
    assert lines == {"2025-26": [13], "2026-27": [3, 0]}  # one LA checked: named by year
    assert [t.marker.symbol for t in figure.data] == [("square",), ("circle", "circle")]
    words = quality.describe_dfe_trend(_dfe_runs())
    assert "850 2026-27 extract of 30 Jun 2026: 0 children, 0 failing rules" in words
