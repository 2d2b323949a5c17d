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


def test_rows_the_gate_loaded_in_this_run_are_not_validated_twice_the_rest_are(tmp_path):
    """Run "r2" gates and loads a new local extract; the 903 extract loaded by run "r1"
    (with a row broken behind the gate's back since) is still re-validated."""
    import datetime as dt

    import duckdb
    from quality_landing import Landing

    from pipelines.lib.quality import QualityGate, gated_in_run

    landing = Landing(tmp_path / "landing")
    landing.extract_903("850", "2024-10-31")
    landing.extract_local("850", "2024-10-31")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        gate = QualityGate(con, run_id="r1")
        load_landing(con, landing.root, run_id="r1", validate=gate)
        gate.check_warehouse()
        first = check_raw_tables(con, la_codes=["850"], run_id="r1")
        assert first["episodes"].rows_checked == first["peps"].rows_checked == 0  # all gated
        assert all(r.passed for r in first.values())
        con.execute(  # rule 144 broken in r1's extract, after it was loaded
            "update raw_ssda903.episodes set ls = 'C9' where decom = '15/06/2024' and ls = 'V2'"
        )
        landing.extract_local("850", "2024-11-30")
        gate = QualityGate(con, run_id="r2")
        load_landing(con, landing.root, run_id="r2", validate=gate)
        gate.check_warehouse()
        assert gated_in_run(con, "r2", ["850"]) == [("850", "local", None, dt.date(2024, 11, 30))]
        second = check_raw_tables(con, la_codes=["850"], run_id="r2")
        assert second["peps"].rows_checked == 0  # r2's local rows: gated minutes ago
        assert second["episodes"].rows_checked > 0  # r1's rows: validated again
        assert [e.rule.code for e in second["episodes"].errors] == ["144"]
        # a run whose gate did not check the warehouse (or no run): every row
        assert gated_in_run(con, "r3", ["850"]) is None
        everything = check_raw_tables(con, la_codes=["850"])
        assert everything["peps"].rows_checked > 0
        assert [e.rule.code for e in everything["episodes"].errors] == ["144"]
