"""IDs across the years of an LA (after loading, warnings): a changed format, a child gone
for a year and back, and one child under a new ID. The returns are written by the test."""

from __future__ import annotations

import duckdb
from quality_landing import Landing

from pipelines.lib.loader import load_landing
from pipelines.lib.quality import QualityGate

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,"
    "URN\n"
)
EMPTY = {
    "missing": "CHILD,DOB,MISSING,MIS_START,MIS_END\n",
    "oc3": "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n",
}


def final_return(landing: Landing, year: str, date: str, children: list[str], episodes: list[str]):
    for name, text in {
        "header": HEADER + "".join(f"{c}\n" for c in children),
        "episodes": EPISODES + "".join(f"{e}\n" for e in episodes),
        **EMPTY,
    }.items():
        landing.write(f"850/ssda903/{year}/{date}/{name}.csv", text)


def test_a_changed_id_a_changed_format_and_a_gap_are_warned_after_loading(tmp_path):
    landing = Landing(tmp_path / "landing")
    # 2022-23: C3. 2023-24: C1, and C9 still looked after on 31 March 2024 (open episode).
    final_return(landing, "2022-23", "2023-05-31", ["C3,2,15/06/2006,MWBC,UN2,,"], [])
    final_return(
        landing,
        "2023-24",
        "2024-05-31",
        ["C1,1,01/01/2010,WBRI,UN1,,", "C9,1,01/03/2013,WBRI,UN5,,"],
        ["C9,01/06/2023,S,V2,N1,U4,PR1,,,,,,"],
    )
    # 2024-25: C9 is gone, C5 is new with C9's DOB and SEX; C3 is back; 5000006 is new.
    final_return(
        landing,
        "2024-25",
        "2025-05-31",
        [
            "C1,M,01/01/2010,WBRI,UN1,,",
            "C5,M,01/03/2013,WBRI,UN5,,",
            "C3,F,15/06/2006,MWBC,UN2,,",
            "5000006,F,01/02/2011,WBRI,UN1,,",
        ],
        ["C5,01/04/2024,S,V2,N1,U4,PR1,,,,,,"],
    )
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    gate = QualityGate(con, "r1")
    report = load_landing(con, landing.root, run_id="r1", validate=gate)
    assert not report.by_outcome("rejected"), [e.message for e in report.by_outcome("rejected")]
    gate.check_warehouse()
    found = con.execute(
        "select rule_code, child, collection_year, source_file, source_row, severity "
        "from raw_meta.dq_issues where rule_code like 'CSC-HEADER-ID-%' order by all"
    ).fetchall()
    file = "850/ssda903/2024-25/2025-05-31/header.csv"
    assert found == [
        ("CSC-HEADER-ID-CHANGED", "C5", "2024-25", file, 3, "warning"),
        ("CSC-HEADER-ID-GAP", "C3", "2024-25", file, 4, "warning"),
        ("CSC-HEADER-ID-SHAPE", "5000006", "2024-25", file, 5, "warning"),
    ]
    [run] = con.execute(
        "select outcome, message from raw_meta.dq_runs where source = 'warehouse'"
    ).fetchall()
    assert run[0] == "warnings" and "CSC-HEADER-ID-CHANGED (1)" in run[1]
