"""The cross-extract (``warehouse``) rules run in chunks of whole LAs bounded by rows.

Every such rule compares rows of one LA (across its collection years, or its 903 and local
extracts), so checking a few LAs at a time must find exactly what one check of every LA at
once finds, while never reading more than a chunk into pandas (153 LAs read at once took
the national ingest to 4.15 GB). The returns are written by the test: four LAs, two with
findings of several rules, one with none, one with 903 rows only.
"""

from __future__ import annotations

import duckdb
import pytest
from quality_landing import Landing, final_return, ids_across_years

import pipelines.lib.quality as quality
from pipelines.lib.loader import load_landing
from pipelines.lib.quality import LINES_SHOWN, QualityGate, la_chunks

TABLES = {  # the raw tables the cross-extract rules read
    "header": "raw_ssda903.header",
    "episodes": "raw_ssda903.episodes",
    "missing": "raw_ssda903.missing",
    "missing_from_home": "raw_local.missing_from_home",
    "peps": "raw_local.peps",
    "return_interviews": "raw_local.return_interviews",
}


def write_las(landing: Landing) -> None:
    # 850: a child under a new ID (C9 -> C5), a gap (C3), a new ID shape (5000006); its local
    # PEPs and C1's return interview match no 903 episode or missing episode.
    ids_across_years(landing, "850")
    landing.extract_local("850", "2025-06-30")
    # 851: nothing to say: C1 in care from May 2024 (its PEPs inside), every interview
    # matches a missing episode (from care, or from home) and follows its return.
    for year, date in (("2023-24", "2024-05-31"), ("2024-25", "2025-05-31")):
        final_return(
            landing,
            "851",
            year,
            date,
            ["C1,M,01/01/2010,WBRI,UN1,,"],
            ["C1,01/05/2024,S,V2,N1,U4,PR1,,,,,,"] if year == "2024-25" else [],
            ["C1,01/01/2010,M,01/06/2024,02/06/2024"] if year == "2024-25" else [],
        )
    landing.extract_local("851", "2025-06-30")
    # 852: only a gap (C2 in 2022-23, gone in 2023-24, back in 2024-25), and one PEP
    # before C2's care began.
    final_return(landing, "852", "2022-23", "2023-05-31", ["C2,F,01/06/2012,WIRI,UN1,,"], [])
    final_return(landing, "852", "2023-24", "2024-05-31", ["C7,F,01/06/2011,WIRI,UN7,,"], [])
    final_return(
        landing,
        "852",
        "2024-25",
        "2025-05-31",
        ["C2,F,01/06/2012,WIRI,UN1,,", "C7,F,01/06/2011,WIRI,UN7,,"],
        ["C2,15/06/2024,S,V2,N1,U4,PR1,,,,,,"],
    )
    landing.write(
        "852/local/2025-06-30/peps.csv",
        "CHILD,PEP_DATE,PEP_TYPE,STATUS,QUALITY\n"
        "C2,10/06/2024,INITIAL,COMPLETE,GOOD\nC2,01/07/2024,REVIEW,COMPLETE,GOOD\n",
    )
    # 853: one year of 903 rows, no local extract: nothing across years to compare.
    final_return(landing, "853", "2024-25", "2025-05-31", ["C1,M,01/01/2010,WBRI,UN1,,"], [])


@pytest.fixture
def landing(landing: Landing) -> Landing:
    write_las(landing)
    return landing


def loaded(landing: Landing, path) -> tuple[duckdb.DuckDBPyConnection, QualityGate]:
    con = duckdb.connect(str(path))
    gate = QualityGate(con, "r1")
    report = load_landing(con, landing.root, run_id="r1", validate=gate)
    assert not report.by_outcome("rejected"), [e.message for e in report.by_outcome("rejected")]
    return con, gate


def stored(con: duckdb.DuckDBPyConnection) -> tuple[list, list]:
    """The warehouse findings as stored, without the timing (seconds, checked_at)."""
    runs = con.execute(
        "select run_id, la_code, outcome, errors, warnings, rows_checked, message, "
        "error_rules, warning_rules from raw_meta.dq_runs where source = 'warehouse' "
        "order by all"
    ).fetchall()
    issues = con.execute(
        "select * exclude (checked_at) from raw_meta.dq_issues where source = 'warehouse' "
        "order by all"
    ).fetchall()
    return runs, issues


def rows_of(con: duckdb.DuckDBPyConnection, la: str, tables=TABLES) -> int:
    return sum(
        con.execute(f"select count(*) from {TABLES[t]} where la_code = ?", [la]).fetchone()[0]
        for t in tables
    )


def verdict_view(verdicts) -> list[tuple]:
    return [
        (
            v.la_code,
            v.outcome,
            v.rows_checked,
            v.summary(),
            [(f.table, f.code, f.count, f.describe()) for f in v.failures],
        )
        for v in verdicts
    ]


def test_chunks_of_las_find_exactly_what_one_check_of_every_la_finds(landing, tmp_path):
    whole_con, whole_gate = loaded(landing, tmp_path / "whole.duckdb")
    chunked_con, chunked_gate = loaded(landing, tmp_path / "chunked.duckdb")
    try:
        whole = whole_gate.check_warehouse(max_rows=10_000_000)
        chunked = chunked_gate.check_warehouse(max_rows=1)
        assert whole_gate.problems == chunked_gate.problems == []
        assert verdict_view(chunked) == verdict_view(whole)
        assert stored(chunked_con) == stored(whole_con)
        # ... and what they find is what the returns hold, LA by LA:
        runs, _ = stored(chunked_con)
        assert [(r[1], r[2]) for r in runs] == [
            ("850", "warnings"),
            ("851", "published"),
            ("852", "warnings"),
            ("853", "published"),
        ]
        found = chunked_con.execute(
            "select distinct la_code, rule_code, child from raw_meta.dq_issues "
            "where source = 'warehouse' order by all"
        ).fetchall()
        assert found == [
            ("850", "CSC-HEADER-ID-CHANGED", "C5"),
            ("850", "CSC-HEADER-ID-GAP", "C3"),
            ("850", "CSC-HEADER-ID-SHAPE", "5000006"),
            ("850", "CSC-PEPS-IN-CARE", "C1"),
            ("850", "CSC-RHI-MATCH", "C1"),
            ("852", "CSC-HEADER-ID-GAP", "C2"),
            ("852", "CSC-PEPS-IN-CARE", "C2"),
        ]
        checked = ("header", "peps", "return_interviews")  # the tables with warehouse rules
        assert [r[5] for r in runs] == [
            rows_of(chunked_con, la, checked) for la in ("850", "851", "852", "853")
        ]
    finally:
        whole_con.close()
        chunked_con.close()


def test_no_chunk_reads_more_rows_than_its_budget_unless_it_is_one_la(
    landing, tmp_path, monkeypatch
):
    con, gate = loaded(landing, tmp_path / "w.duckdb")
    reads: list[tuple[list[str], int]] = []
    read = quality.read_raw_tables

    def recording(con, tables=None, la_codes=None, skip_extracts=()):
        frames = read(con, tables, la_codes, skip_extracts)
        reads.append((list(la_codes), sum(len(f) for f in frames.values())))
        return frames

    monkeypatch.setattr(quality, "read_raw_tables", recording)
    sizes = {la: rows_of(con, la) for la in ("850", "851", "852", "853")}
    budget = max(sizes.values())  # the biggest LA fits alone, the four together do not
    verdicts = gate.check_warehouse(max_rows=budget)
    con.close()
    assert len(reads) > 1
    assert [la for las, _ in reads for la in las] == list(sizes)
    for las, rows in reads:
        assert rows == sum(sizes[la] for la in las)
        assert rows <= budget or len(las) == 1
    assert [v.la_code for v in verdicts] == ["850", "851", "852", "853"]


def test_la_chunks_fill_each_chunk_up_to_the_budget_in_la_order(landing, tmp_path):
    con, _ = loaded(landing, tmp_path / "w.duckdb")
    sizes = {la: rows_of(con, la) for la in ("850", "851", "852", "853")}
    try:
        every = list(sizes)
        assert la_chunks(con, TABLES, every, sum(sizes.values())) == [every]
        budget = sizes["850"] + sizes["851"]
        chunks = la_chunks(con, TABLES, reversed(every), budget)
        assert chunks[0] == ["850", "851"] and [la for c in chunks for la in c] == every
        assert all(sum(sizes[la] for la in c) <= budget for c in chunks)
        assert la_chunks(con, TABLES, every, 1) == [[la] for la in every]
        assert la_chunks(con, TABLES, ["999"], 1) == [["999"]]  # no rows: still checked
        assert la_chunks(con, TABLES, [], 1) == []
    finally:
        con.close()


def test_a_chunk_that_cannot_be_checked_is_named_and_the_others_are_stored(
    landing, tmp_path, monkeypatch
):
    con, gate = loaded(landing, tmp_path / "w.duckdb")
    validate = quality.validate_tables

    def broken_for_852(frames, *args, **kwargs):
        if "852" in set(frames["header"]["la_code"]):
            raise MemoryError("out of memory")
        return validate(frames, *args, **kwargs)

    monkeypatch.setattr(quality, "validate_tables", broken_for_852)
    verdicts = gate.check_warehouse(max_rows=1)
    runs, _ = stored(con)
    con.close()
    assert [v.la_code for v in verdicts] == ["850", "851", "853"]
    assert [r[1] for r in runs] == ["850", "851", "853"]
    assert gate.problems == [
        "cross-extract data-quality rules could not run (MemoryError: out of memory) for LA 852"
    ]


def test_a_gate_keeps_a_copy_of_the_first_failing_rows_not_the_batch(tmp_path):
    """Once stored, a finding keeps its first rows and its exact count, not the whole
    prepared frame of the batch it was found in (a national load has several 2 M-row batches)."""
    landing = Landing(tmp_path / "landing")
    children = [f"C{i},M,01/01/2010,XXXX,UN{i},," for i in range(1, 8)]  # ETHNIC invalid
    final_return(landing, "850", "2024-25", "2025-05-31", children, [])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    gate = QualityGate(con, "r1")
    report = load_landing(con, landing.root, run_id="r1", validate=gate)
    [warning] = [e.message for e in report.by_outcome("warning") if "[rule 103]" in e.message]
    stored_rows = con.execute(
        "select count(*) from raw_meta.dq_issues where rule_code = '103'"
    ).fetchone()[0]
    con.close()
    [verdict] = gate.verdicts
    [failure] = [f for f in verdict.failures if f.code == "103"]
    assert (failure.count, stored_rows) == (7, 7)
    assert len(failure.rows()) == len(failure.result.frame) == LINES_SHOWN
    assert failure.describe()[1] in warning and "lines 2, 3, 4, 5, 6 and 2 more" in warning
    assert failure.describe()[1].startswith(
        "850/ssda903/2024-25/2025-05-31/header.csv, lines 2, 3, 4, 5, 6 and 2 more"
    )
