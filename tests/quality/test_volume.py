"""Volume and distribution against the previous accepted extract, and bounded memory.

The extracts are written by the tests: LA 850, 60 children, one episode and one missing
episode each, their DECOMs spread over April to September 2024 (10 a month).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from quality_landing import Landing

from expectations import volume as bands
from pipelines.lib import loader
from pipelines.lib.loader import load_landing
from pipelines.lib.quality import QualityGate

YEAR = "2024-25"
OLD, NEW = "2024-10-31", "2024-11-30"
EPISODES_HEADER = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)


def extract(
    landing: Landing,
    date: str,
    children: int = 60,
    blank_provider: int = 0,
    move_july: bool = False,
    missing_lines: str = "",
    year: str = YEAR,
):
    """The extract; ``blank_provider`` rows without PLACE_PROVIDER; ``move_july``: July's
    DECOMs moved to August (a month with no events); ``missing_lines`` appended to missing."""
    start = int(year[:4])
    header, episodes, missing = [], [], []
    for i in range(children):
        month = 4 + i % 6
        if move_july and month == 7:
            month = 8
        child = f"C{i}"
        header.append(f"{child},M,01/01/2010,WBRI,UN1,,")
        provider = "" if i < blank_provider else "PR1"
        episodes.append(f"{child},15/{month:02d}/{start},S,C2,N1,U4,{provider},,,,,,")
        missing.append(f"{child},01/01/2010,M,16/{month:02d}/{start},16/{month:02d}/{start}")
    files = {
        "header": "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n" + "\n".join(header) + "\n",
        "episodes": EPISODES_HEADER + "\n" + "\n".join(episodes) + "\n",
        "missing": "CHILD,DOB,MISSING,MIS_START,MIS_END\n"
        + "\n".join(missing)
        + "\n"
        + missing_lines,
        "oc3": "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n",
    }
    folder = f"850/ssda903/{year}/{date}"
    for name, text in files.items():
        landing.write(f"{folder}/{name}.csv", text)


def run(con, landing, run_id, **gate):
    report = load_landing(
        con, landing.root, run_id=run_id, validate=QualityGate(con, run_id, **gate)
    )
    found = con.execute(
        "select table_name, rule_code, severity, column_name, month, previous_value, "
        "current_value, message from raw_meta.dq_volume where run_id = ? order by all",
        [run_id],
    ).fetchall()
    return report, found


def test_a_blank_share_jump_and_a_month_with_no_events_are_warned_and_published(landing, con):
    extract(landing, OLD)
    run(con, landing, "r1")
    extract(landing, NEW, blank_provider=30, move_july=True)
    report, found = run(con, landing, "r2")
    assert [
        e.outcome for e in report.events if e.table_name is None and "2024-11" in e.source_file
    ][-1] == "loaded"
    by_rule = {(f[0], f[1]): f for f in found}
    blanks = by_rule[("episodes", "VOLUME-BLANKS")]
    assert blanks[2:7] == ("warning", "place_provider", None, 0.0, 0.5)
    assert (
        "PLACE_PROVIDER is blank in 50% of rows, against 0% in the extract of 2024-10-31"
        in (blanks[7])
    )
    gap = [f for f in found if f[1] == "VOLUME-MONTH-GAP"]
    assert {(f[0], str(f[4])) for f in gap} == {
        ("episodes", "2024-07-01"),
        ("missing", "2024-07-01"),
    }
    assert "no DECOM in July 2024, where the extract of 2024-10-31 had 10" in gap[0][7]
    status = con.execute(
        "select outcome from raw_meta.dq_runs where run_id = 'r2' and source = 'ssda903'"
    ).fetchall()
    assert status == [("warnings",)]


def test_nothing_is_compared_without_a_previous_extract_of_the_same_year(landing, con):
    extract(landing, OLD)
    run(con, landing, "r1")
    extract(landing, "2025-04-30", children=6, year="2025-26")  # a month of the new year
    _, found = run(con, landing, "r2")
    assert found == []


def test_a_file_many_times_its_size_is_rejected_before_it_is_parsed(landing, con, monkeypatch):
    extract(landing, OLD)
    run(con, landing, "r1")
    junk = "".join(f"J{i},x,x,x,x\n" for i in range(bands.SURGE_MIN_ROWS + 10))
    extract(landing, NEW, missing_lines=junk)
    monkeypatch.setattr(loader, "_parse", lambda *a: pytest.fail("the file was parsed"))
    report, _ = run(con, landing, "r2")
    [rejected] = report.by_outcome("rejected")
    assert rejected.source_file == f"850/ssda903/{YEAR}/{NEW}/missing.csv"
    assert "has 50,070 lines after its header, 834 times the 60 rows" in rejected.message
    assert "[rule VOLUME-SURGE]" in rejected.message and "not parsed" in rejected.message
    assert con.execute("select distinct extract_date from raw_ssda903.missing").fetchall() == [
        (dt.date(2024, 10, 31),)
    ]


def test_a_file_bigger_than_any_table_is_rejected_even_without_a_previous_extract(
    landing, con, monkeypatch
):
    monkeypatch.setattr(bands, "MAX_FILE_ROWS", 100)
    extract(landing, OLD, children=120)
    report, _ = run(con, landing, "r1")
    [rejected] = report.by_outcome("rejected")
    assert "[rule FILE-TOO-LARGE]" in rejected.message and "120 lines" in rejected.message


@pytest.fixture
def landing(tmp_path) -> Landing:
    return Landing(tmp_path / "landing")


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()
