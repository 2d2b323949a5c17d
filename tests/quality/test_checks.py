"""The blocking asset checks re-validate the raw tables as loaded, one check per table."""

from __future__ import annotations

import dagster as dg
import pytest
from quality_landing import WORLD_903

from expectations.suites import ALL_SUITES
from pipelines.defs.quality.checks import GX_CHECK_SPECS, check_name, report_markdown
from pipelines.lib.loader import load_landing
from pipelines.lib.quality import check_raw_tables


def test_there_is_one_blocking_check_per_table_of_the_contract():
    assert {(s.asset_key, s.name) for s in GX_CHECK_SPECS} == {
        (dg.AssetKey([s.source, s.table_name]), check_name(s)) for s in ALL_SUITES
    }
    assert all(s.blocking for s in GX_CHECK_SPECS)


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """Raw tables loaded WITHOUT the gate (as before it existed), then checked."""
    import duckdb
    from quality_landing import Landing

    tmp = tmp_path_factory.mktemp("checks")
    landing = Landing(tmp / "landing")
    episodes = WORLD_903["episodes"].replace("15/06/2024,S,V2", "15/06/2024,S,C9")
    landing.extract_903("850", "2024-10-31", episodes=episodes)
    landing.extract_local(
        "850",
        "2024-10-31",
        peps="CHILD,PEP_DATE,PEP_TYPE,STATUS,QUALITY\nC1,01/01/2024,INITIAL,COMPLETE,GOOD\n",
    )
    with duckdb.connect(str(tmp / "w.duckdb")) as con:
        load_landing(con, landing.root)
        return check_raw_tables(con)


def test_an_error_in_a_raw_table_fails_its_check_and_names_file_line_and_rule(checked):
    episodes = checked["episodes"]
    assert not episodes.passed
    [error] = episodes.errors
    assert error.rule.code == "144"
    report = report_markdown(episodes)
    assert "| 144 | error | 1 |" in report
    assert "850/ssda903/2024-25/2024-10-31/episodes.csv line 4 (C2)" in report


def test_cross_extract_warnings_are_reported_but_do_not_fail_the_check(checked):
    peps = checked["peps"]
    assert peps.passed
    assert [w.rule.code for w in peps.warnings] == ["CSC-PEPS-IN-CARE"]


def test_a_clean_table_passes_with_a_one_line_report(checked):
    assert checked["header"].passed and not checked["header"].warnings
    assert report_markdown(checked["header"]).startswith("All ")


def test_a_control_character_loaded_before_the_whole_file_checks_is_found_per_table(tmp_path):
    """A NUL that reached the raw tables before the checks existed fails its table's check."""
    import duckdb

    from pipelines.lib.quality import control_character_rows
    from pipelines.lib.warehouse import ensure_raw_schema

    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ensure_raw_schema(con)
        con.execute(
            "insert into raw_ssda903.episodes (child, place_provider, la_code, collection_year, "
            "extract_date, source_file, source_row) values "
            "('C1', 'P' || chr(0) || 'R5', '850', '2024-25', '2024-10-31', 'e.csv', 1780), "
            "('C2', 'PR1', '850', '2024-25', '2024-10-31', 'e.csv', 1781), "
            "('C3', 'PR' || chr(27), '851', '2024-25', '2024-10-31', 'f.csv', 9)"
        )
        assert control_character_rows(con) == {"episodes": (2, "e.csv", 1780)}
        assert control_character_rows(con, ["850"]) == {"episodes": (1, "e.csv", 1780)}
        assert control_character_rows(con, ["852"]) == {}
