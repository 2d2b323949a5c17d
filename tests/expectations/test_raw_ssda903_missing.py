"""The SSDA903 missing suite: each rule catches a row that breaks it and passes a valid one."""

from __future__ import annotations

import pandas as pd
import pytest

from expectations.suites import RAW_SSDA903_MISSING as SUITE
from pipelines.lib.gx_runner import parse_dates, validate

VALID = {
    "child": "C1",
    "dob": "01/01/2010",
    "missing": "M",
    "mis_start": "01/06/2024",
    "mis_end": "02/06/2024",
    "la_code": "850",
    "collection_year": "2024-25",
    "source_file": "850/ssda903/2024-25/2024-10-31/missing.csv",
}


def frame(*rows: dict) -> pd.DataFrame:
    records = [
        {**VALID, "child": f"C{i}", "source_row": i + 2, **row} for i, row in enumerate(rows)
    ]
    return pd.DataFrame(records)


@pytest.fixture(scope="module")
def valid_result():
    return validate(
        frame({}, {"mis_end": None, "missing": "A"}, {"mis_start": "2024-06-01"}), SUITE
    )


def test_valid_rows_pass_every_rule(valid_result):
    assert valid_result.passed
    assert [r.rule.code for r in valid_result.results if not r.passed] == []


@pytest.mark.parametrize(
    ("code", "bad"),
    [
        ("CSC-ID-01", {"child": None}),
        ("564", {"mis_start": None}),
        ("1006", {"missing": "X"}),
        ("CSC-DATE-MIS_START", {"mis_start": "31/02/2024"}),
        ("CSC-DATE-MIS_END", {"mis_end": "2024/06/02"}),
        ("CSC-MIS-01", {"mis_start": "05/06/2024", "mis_end": "04/06/2024"}),
        ("CSC-DATE-DOB", {"dob": "not a date"}),
    ],
)
def test_each_rule_catches_the_row_that_breaks_it_naming_file_and_line(code, bad):
    result = validate(frame({}, bad, {}), SUITE)
    failed = {r.rule.code: r for r in result.results if not r.passed}
    assert set(failed) == {code}
    assert failed[code].failing_count == 1
    [row] = failed[code].failing_rows
    assert row["source_row"] == 3
    assert row["source_file"] == VALID["source_file"]


def test_duplicate_missing_episode_is_caught_on_both_rows():
    result = validate(frame({"child": "C7"}, {"child": "C7"}), SUITE)
    [dup] = [r for r in result.results if not r.passed]
    assert dup.rule.code == "CSC-KEY-MISSING"
    assert sorted(r["source_row"] for r in dup.failing_rows) == [2, 3]


def test_error_rules_block_and_warning_rules_do_not():
    warning_only = validate(frame({"dob": "soon"}), SUITE)
    assert warning_only.passed and [r.rule.code for r in warning_only.warnings] == ["CSC-DATE-DOB"]
    error = validate(frame({"missing": "Z"}), SUITE)
    assert not error.passed and [r.rule.code for r in error.errors] == ["1006"]


def test_dates_parse_in_both_contract_formats_and_nothing_else():
    parsed = parse_dates(pd.Series(["01/06/2024", "2024-06-02", "06/31/2024", None, "1/6/24"]))
    assert parsed.dt.strftime("%Y-%m-%d").tolist()[:2] == ["2024-06-01", "2024-06-02"]
    assert parsed.isna().tolist() == [False, False, True, True, True]
