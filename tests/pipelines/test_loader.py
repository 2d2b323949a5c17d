"""Loading the landing folder: latest extract wins, bad extracts never cost loaded data."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipelines.lib.loader import load_landing


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


def missing_rows(con) -> list[tuple]:
    return con.execute(
        "select la_code, collection_year, extract_date, child, mis_start, mis_end, source_row "
        "from raw_ssda903.missing order by all"
    ).fetchall()


def test_latest_extract_of_a_collection_year_wins_and_lineage_is_kept(landing, con):
    landing.extract_903("850", "2024-25", "2024-09-30")
    landing.extract_903(
        "850",
        "2024-25",
        "2024-10-31",
        missing=landing.missing_csv + "C1,01/01/2010,A,03/07/2024,\n",
    )
    report = load_landing(con, landing.root, run_id="run-1")
    assert missing_rows(con) == [
        ("850", "2024-25", dt.date(2024, 10, 31), "C1", "01/06/2024", "02/06/2024", 2),
        ("850", "2024-25", dt.date(2024, 10, 31), "C1", "03/07/2024", None, 3),
    ]
    assert con.execute("select distinct source_file from raw_ssda903.missing").fetchall() == [
        ("850/ssda903/2024-25/2024-10-31/missing.csv",)
    ]
    assert [e.source_file for e in report.by_outcome("skipped_older")] == [
        "850/ssda903/2024-25/2024-09-30"
    ]


def test_each_collection_year_and_each_la_keep_their_own_winning_extract(landing, con):
    landing.extract_903("850", "2023-24", "2024-05-31")
    landing.extract_903("850", "2024-25", "2024-10-31")
    landing.extract_903("851", "2024-25", "2024-09-30")
    load_landing(con, landing.root)
    assert con.execute(
        "select la_code, collection_year, extract_date, count(*) from raw_ssda903.episodes "
        "group by all order by all"
    ).fetchall() == [
        ("850", "2023-24", dt.date(2024, 5, 31), 1),
        ("850", "2024-25", dt.date(2024, 10, 31), 1),
        ("851", "2024-25", dt.date(2024, 9, 30), 1),
    ]


def test_rerunning_the_same_extract_changes_nothing(landing, con):
    landing.extract_903("850", "2024-25", "2024-10-31")
    load_landing(con, landing.root, run_id="run-1")
    before = missing_rows(con), con.execute("select * from raw_meta.extract_files").fetchall()
    report = load_landing(con, landing.root, run_id="run-2")
    after = missing_rows(con), con.execute("select * from raw_meta.extract_files").fetchall()
    assert after == before
    assert [e.outcome for e in report.events] == ["unchanged"]


def test_a_newer_extract_missing_a_required_column_is_rejected_and_loaded_data_stays(landing, con):
    landing.extract_903("850", "2024-25", "2024-10-31")
    load_landing(con, landing.root)
    before = missing_rows(con)
    landing.extract_903(
        "850",
        "2024-25",
        "2024-11-30",
        missing="CHILD,DOB,MISSING,MIS_START\nC9,01/01/2010,M,01/11/2024\n",
    )
    report = load_landing(con, landing.root, run_id="run-2")
    assert missing_rows(con) == before
    [event] = report.by_outcome("rejected")
    assert event.source_file == "850/ssda903/2024-25/2024-11-30/missing.csv"
    assert "line 1" in event.message and "MIS_END" in event.message
    assert "FILE-MISSING-COLUMN" in event.message
    assert "data loaded before is kept" in event.message
    stored = con.execute(
        "select outcome, source_file, run_id from raw_meta.load_events where outcome = 'rejected'"
    ).fetchall()
    assert stored == [("rejected", "850/ssda903/2024-25/2024-11-30/missing.csv", "run-2")]


def test_one_broken_file_rejects_the_whole_extract_not_half_of_it(landing, con):
    landing.extract_903("850", "2024-25", "2024-11-30", episodes=b"PK\x03\x04 an xlsx workbook")
    report = load_landing(con, landing.root)
    assert missing_rows(con) == []  # missing.csv was fine, but its extract was not loaded
    assert "Excel" in report.by_outcome("rejected")[0].message


def test_when_the_newest_extract_is_broken_the_newest_good_one_is_loaded(landing, con):
    landing.extract_903("850", "2024-25", "2024-10-31")
    landing.extract_903("850", "2024-25", "2024-11-30", missing=None)  # required file absent
    report = load_landing(con, landing.root)
    assert {r[2] for r in missing_rows(con)} == {dt.date(2024, 10, 31)}
    assert "required file missing.csv is missing" in report.by_outcome("rejected")[0].message


def test_an_extract_older_than_the_one_loaded_never_overwrites_it(landing, con):
    landing.extract_903("850", "2024-25", "2024-10-31")
    load_landing(con, landing.root)
    landing.extract_903(
        "850",
        "2024-25",
        "2024-08-31",
        missing=landing.missing_csv + "C1,01/01/2010,M,05/07/2024,06/07/2024\n",
    )
    report = load_landing(con, landing.root)
    assert {r[2] for r in missing_rows(con)} == {dt.date(2024, 10, 31)}
    [older] = report.by_outcome("skipped_older")
    assert "older than the extract loaded (2024-10-31)" in older.message


def test_a_redelivered_extract_with_the_same_date_but_new_content_is_reloaded(landing, con):
    landing.extract_903("850", "2024-25", "2024-10-31")
    load_landing(con, landing.root)
    landing.extract_903(
        "850",
        "2024-25",
        "2024-10-31",
        missing=landing.missing_csv + "C1,01/01/2010,M,05/07/2024,06/07/2024\n",
    )
    report = load_landing(con, landing.root)
    assert len(missing_rows(con)) == 2
    assert report.by_outcome("loaded")


def test_absent_optional_files_are_recorded_as_not_supplied(landing, con):
    landing.extract_903("850", "2024-25", "2024-10-31")
    landing.write(
        "850/local/2024-10-31/teams.csv",
        "TEAM_ID,TEAM_NAME,DISTRICT,SERVICE\nT1,Havant CIN,Havant,CHILD_IN_NEED\n",
    )
    load_landing(con, landing.root)
    supplied = dict(
        con.execute(
            "select source || '/' || table_name, is_supplied from raw_meta.extract_files"
        ).fetchall()
    )
    assert supplied["ssda903/missing"] is True
    assert supplied["ssda903/reviews"] is False
    assert supplied["local/teams"] is True
    assert supplied["local/peps"] is False
    assert len(supplied) == 17


@pytest.mark.parametrize(
    ("path", "outcome", "words"),
    [
        ("850/ssda903/2024-25/latest/header.csv", "rejected", "is not an extract date"),
        ("850/ssda903/2024/2024-10-31/header.csv", "rejected", "is not a collection year"),
        ("850/ssda903/2024-26/2024-10-31/header.csv", "rejected", "is not a collection year"),
        ("850/ssda903/2024-25/2024-02-01/header.csv", "rejected", "before the start"),
        ("hampshire/ssda903/2024-25/2024-10-31/header.csv", "warning", "not an LA folder"),
        ("850/cin/2024-10-31/header.csv", "warning", "not part of the data contract"),
    ],
)
def test_landing_folder_problems_are_reported_and_nothing_is_loaded(
    landing, con, path, outcome, words
):
    landing.write(path, "CHILD\n")
    report = load_landing(con, landing.root)
    [event] = report.events
    assert event.outcome == outcome
    assert path.startswith(event.source_file)
    assert words in event.message
    assert con.execute("select count(*) from raw_ssda903.header").fetchone() == (0,)


def test_files_and_folders_starting_with_underscore_or_dot_are_ignored(landing, con):
    landing.write("_synth.json", "{}")
    landing.write(".DS_Store", "")
    landing.extract_903("850", "2024-25", "2024-10-31")
    report = load_landing(con, landing.root)
    assert not [
        e for e in report.events if "_synth" in e.source_file or "DS_Store" in e.source_file
    ]
    assert [
        e.outcome for e in report.events if e.table_name is None and e.outcome != "warning"
    ] == ["loaded"]


def test_a_candidate_holds_its_rows_once_in_its_frames(landing, con):
    """The gate and the swap use the candidate's frames; the parsed values are released
    (a 2 M-row gate batch would hold every value twice) and cannot be framed again."""
    from pipelines.lib.landing import scan_landing
    from pipelines.lib.loader import _frame, read_candidate

    landing.extract_903(
        "850",
        "2024-25",
        "2024-10-31",
        missing=landing.missing_csv + "C1,01/01/2010,A,03/07/2024,\n",
    )
    [extract] = scan_landing(landing.root).extracts
    candidate = read_candidate(extract, landing.root)
    assert all(p.released and not p.columns and not p.source_rows for p in candidate.parsed)
    missing = candidate.frames["missing"]
    assert missing[["child", "mis_start", "source_row"]].values.tolist() == [
        ["C1", "01/06/2024", 2],
        ["C1", "03/07/2024", 3],
    ]
    assert {p.spec.name: p.row_count for p in candidate.parsed}["missing"] == 2
    assert candidate.row_count == sum(len(f) for f in candidate.frames.values())
    with pytest.raises(ValueError, match="released"):
        _frame(candidate.parsed[0], extract, landing.root)
    load_landing(con, landing.root)
    assert [r[3:6] for r in missing_rows(con)] == [
        ("C1", "01/06/2024", "02/06/2024"),
        ("C1", "03/07/2024", None),
    ]
