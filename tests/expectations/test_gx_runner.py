"""Running suites on frames that hold many extracts: rules stay within each extract."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pandas as pd
import pytest

from expectations.examples import Case, all_cases, frames_for
from expectations.suites import ALL_SUITES, RAW_SSDA903_HEADER, RAW_SSDA903_MISSING
from pipelines.lib.gx_runner import (
    GxSession,
    family,
    is_flag,
    parse_dates,
    validate,
    validate_tables,
)


def test_dates_parse_in_both_contract_formats_and_nothing_else():
    parsed = parse_dates(pd.Series(["01/06/2024", "2024-06-02", "06/31/2024", None, "1/6/24"]))
    assert parsed.dt.strftime("%Y-%m-%d").tolist()[:2] == ["2024-06-01", "2024-06-02"]
    assert parsed.isna().tolist() == [False, False, True, True, True]


@pytest.fixture(scope="module")
def two_extracts():
    """LA 901 (2024-25) and LA 902 (2023-24) hold the same child IDs; 902 uses SEX 1/2."""
    frames = frames_for(
        [Case("901", ALL_SUITES[0], None, None), Case("902", ALL_SUITES[0], None, None)]
    )
    header = frames["header"]
    in_902 = header["la_code"] == "902"
    header.loc[in_902, "collection_year"] = "2023-24"
    header.loc[in_902, "sex"] = header.loc[in_902, "sex"].map({"M": "1", "F": "2"})
    header.loc[(header["la_code"] == "901") & (header["child"] == "C1"), "sex"] = "1"
    return validate_tables(frames, ALL_SUITES, ("extract",), tables=["header"])


def test_the_same_child_in_two_extracts_is_not_a_duplicate(two_extracts):
    key = next(r for r in two_extracts["header"].results if r.rule.code == "INT32")
    assert key.passed


def test_code_sets_follow_each_row_collection_year(two_extracts):
    sex = next(r for r in two_extracts["header"].results if r.rule.code == "101")
    assert [(r["la_code"], r["child"]) for r in sex.rows()] == [("901", "C1")]


def test_errors_block_and_warnings_do_not(two_extracts):
    header = two_extracts["header"]
    assert header.passed and [w.rule.code for w in header.warnings] == ["101"]


def test_validate_one_table_with_the_rest_of_the_extract_as_context():
    frames = frames_for([Case("850", ALL_SUITES[0], None, None)])
    missing = frames.pop("missing")
    missing.loc[0, "child"] = "C9"
    result = validate(missing, RAW_SSDA903_MISSING, context={"header": frames["header"]})
    assert [r.rule.code for r in result.errors] == ["INT04"]
    assert result.errors[0].rows() == [
        {
            "la_code": "850",
            "collection_year": "2024-25",
            "extract_date": missing.loc[0, "extract_date"],
            "source_file": "850/ssda903/2024-25/2024-10-31/missing.csv",
            "source_row": 2,
            "child": "C9",
        }
    ]
    assert RAW_SSDA903_HEADER.table_name == "header"


def test_great_expectations_is_imported_only_when_a_validation_runs():
    code = (
        "import sys; import pipelines.lib.quality, pipelines.lib.loader, "
        "pipelines.defs.quality.checks; print('great_expectations' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_stacked_pass_fail_columns_give_every_rule_the_rows_of_its_own_expectation():
    """The pass/fail columns of every table are validated by ONE GX expectation (stacked),
    and so are the not-blank columns and the date pairs; each rule still gets exactly the
    verdict, counts and failing rows that GX gives it with an expectation of its own.
    Every rule's bad example, each in its own extract."""
    frames = frames_for([case for case, kind in all_cases() if kind == "bad"])
    scopes = ("extract", "warehouse")
    stacked, reference = GxSession(), GxSession(stacked=False)
    got = validate_tables(frames, ALL_SUITES, scopes, stacked)
    want = validate_tables(frames, ALL_SUITES, scopes, reference)
    rules = [r for s in ALL_SUITES if s.table_name in want for r in s.rules_in(scopes)]
    families = {family(r) for r in rules} - {None}
    assert len(families) == 3  # pass/fail columns, not blank, dates in order
    assert reference.expectations == len(rules)
    assert stacked.expectations == sum(family(r) is None for r in rules) + len(families)
    assert sum(is_flag(r) for r in rules) > 100
    failing = Counter()
    for table, result in want.items():
        assert [r.rule.code for r in got[table].results] == [r.rule.code for r in result.results]
        for mine, theirs in zip(got[table].results, result.results, strict=True):
            assert (mine.passed, mine.failing_count, mine.checked_count) == (
                theirs.passed,
                theirs.failing_count,
                theirs.checked_count,
            ), mine.rule.code
            assert mine.index.tolist() == theirs.index.tolist(), mine.rule.code
            failing[family(mine.rule)] += not mine.passed
    # the comparison is about failing rows, not only passes: rules of every family fail
    assert len(failing) == 4 and min(failing.values()) >= 5, failing


def test_gx_does_not_fingerprint_the_frames_it_validates():
    """GX hashes every cell of a batch for a marker we never read, unless the frame is
    larger than HASH_THRESHOLD; the session sets it to 0. If a GX upgrade renames it, the
    setting would silently do nothing: this fails instead."""
    import inspect

    from great_expectations.execution_engine import pandas_execution_engine as engine

    GxSession()
    assert engine.HASH_THRESHOLD == 0
    source = inspect.getsource(engine.PandasExecutionEngine.get_batch_data_and_markers)
    assert "< HASH_THRESHOLD" in source and "pandas_data_fingerprint" in source
