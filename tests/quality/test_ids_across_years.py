"""IDs across the years of an LA (after loading, warnings): a changed format, a child gone
for a year and back, and one child under a new ID. The returns are written by the test."""

from __future__ import annotations

import duckdb
from quality_landing import Landing, ids_across_years

from pipelines.lib.loader import load_landing
from pipelines.lib.quality import QualityGate


def test_a_changed_id_a_changed_format_and_a_gap_are_warned_after_loading(tmp_path):
    landing = Landing(tmp_path / "landing")
    ids_across_years(landing, "850")
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
