"""The gate in the loader: errors block an extract, warnings publish it, findings are kept.

To stay fast, most tests run the gate with the few suites they need (one GX context each).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from quality_landing import WORLD_903

from expectations.suites import (
    RAW_SSDA903_EPISODES,
    RAW_SSDA903_HEADER,
    RAW_SSDA903_MISSING,
)
from pipelines.lib.loader import GateDecision, load_landing
from pipelines.lib.quality import MAX_ISSUES_PER_RULE, QualityGate
from pipelines.lib.status import publish_status

SUITES = (RAW_SSDA903_HEADER, RAW_SSDA903_EPISODES, RAW_SSDA903_MISSING)


def _missing_with(rows: list[str]) -> str:
    return WORLD_903["missing"] + "".join(r + "\n" for r in rows)


def rows_by_date(con, table="missing") -> dict:
    return dict(
        con.execute(
            f"select extract_date, count(*) from raw_ssda903.{table} group by 1 order by 1"
        ).fetchall()
    )


def test_an_extract_with_an_error_row_is_rejected_and_the_previous_rows_stay(landing, con):
    landing.extract_903("850", "2024-10-31")
    gate = QualityGate(con, "run-1", SUITES)
    load_landing(con, landing.root, run_id="run-1", validate=gate)
    before = rows_by_date(con)
    landing.extract_903(
        "850", "2024-11-30", missing=_missing_with(["C1,01/01/2010,X,05/07/2024,06/07/2024"])
    )
    gate = QualityGate(con, "run-2", SUITES)
    report = load_landing(con, landing.root, run_id="run-2", validate=gate)
    assert rows_by_date(con) == before == {dt.date(2024, 10, 31): 2}
    [event] = report.by_outcome("rejected")
    assert event.source_file == "850/ssda903/2024-25/2024-11-30/missing.csv"
    assert event.message.startswith("850/ssda903/2024-25/2024-11-30/missing.csv, line 4: ")
    assert "Missing type invalid." in event.message and "[rule 1006]" in event.message
    assert "the data loaded before is kept" in event.message
    [verdict] = gate.verdicts
    assert (verdict.outcome, verdict.errors[0].code, verdict.errors[0].count) == (
        "blocked",
        "1006",
        1,
    )
    stored = con.execute(
        "select outcome, run_id from raw_meta.load_events where outcome = 'rejected'"
    ).fetchall()
    assert stored == [("rejected", "run-2")]


def test_a_warning_only_extract_is_loaded_and_its_issues_are_stored(landing, con):
    header = WORLD_903["header"].replace("C2,F,01/06/2012,WIRI", "C2,F,01/06/2012,XXXX")
    landing.extract_903("850", "2024-10-31", header=header)
    report = load_landing(con, landing.root, run_id="r", validate=QualityGate(con, "r", SUITES))
    assert [e.extract_date for e in report.loaded_extracts] == [dt.date(2024, 10, 31)]
    [warning] = [e for e in report.by_outcome("warning") if "[rule 103]" in e.message]
    assert warning.source_file == "850/ssda903/2024-25/2024-10-31/header.csv"
    assert "line 3" in warning.message
    issues = con.execute(
        "select la_code, collection_year, extract_date, source_file, source_row, child, "
        "table_name, rule_code, severity, value from raw_meta.dq_issues"
    ).fetchall()
    assert issues == [
        (
            "850",
            "2024-25",
            dt.date(2024, 10, 31),
            "850/ssda903/2024-25/2024-10-31/header.csv",
            3,
            "C2",
            "header",
            "103",
            "warning",
            "ETHNIC=XXXX",
        )
    ]
    [run] = con.execute(
        "select outcome, errors, warnings, warning_rules, message from raw_meta.dq_runs"
    ).fetchall()
    assert run == ("warnings", 0, 1, 1, "published with warnings: 103 (1)")


def test_dq_runs_and_dq_issues_are_appended_across_runs_never_truncated(landing, con):
    header = WORLD_903["header"].replace("C2,F,01/06/2012,WIRI", "C2,F,01/06/2012,XXXX")
    landing.extract_903("850", "2024-10-31", header=header)
    load_landing(con, landing.root, run_id="run-1", validate=QualityGate(con, "run-1", SUITES))
    landing.extract_903("850", "2024-11-30", header=header)
    load_landing(con, landing.root, run_id="run-2", validate=QualityGate(con, "run-2", SUITES))
    runs = con.execute(
        "select run_id, extract_date, outcome from raw_meta.dq_runs order by 1"
    ).fetchall()
    assert runs == [
        ("run-1", dt.date(2024, 10, 31), "warnings"),
        ("run-2", dt.date(2024, 11, 30), "warnings"),
    ]
    assert con.execute(
        "select run_id, count(*) from raw_meta.dq_issues group by 1 order by 1"
    ).fetchall() == [("run-1", 1), ("run-2", 1)]


def test_status_file_is_written_even_when_everything_is_blocked(landing, con, tmp_path):
    landing.extract_903("850", "2024-10-31", missing=_missing_with(["C9,01/01/2010,M,,"]))
    landing.extract_903("851", "2024-10-31", header=WORLD_903["header"] + "C1,M,,WBRI,UN1,,\n")
    report = load_landing(con, landing.root, run_id="r", validate=QualityGate(con, "r", SUITES))
    assert not report.loaded_extracts
    status = publish_status(con, tmp_path / "serving" / "status.duckdb", "r")
    assert status.path.exists() and not list(status.path.parent.glob("*.tmp"))
    with duckdb.connect(str(status.path), read_only=True) as s:
        states = s.execute(
            "select la_code, latest_status, served_extract_date, is_serving_older_data, "
            "latest_message from extract_status order by 1"
        ).fetchall()
        assert s.execute("select count(*) from dq_issues").fetchone()[0] >= 2
        assert s.execute("select run_id from status_info").fetchone() == ("r",)
    assert [row[:4] for row in states] == [
        ("850", "blocked", None, True),
        ("851", "blocked", None, True),
    ]
    assert "[rule INT04]" in states[0][4] and "missing.csv, line 4" in states[0][4]
    assert "[rule INT32]" in states[1][4]


def test_a_blocked_newest_extract_falls_back_to_the_newest_good_one(landing, con):
    landing.extract_903("850", "2024-10-31")
    landing.extract_903("850", "2024-11-30", missing=_missing_with(["C1,01/01/2010,M,31/02/2024,"]))
    gate = QualityGate(con, "r", SUITES)
    report = load_landing(con, landing.root, run_id="r", validate=gate)
    assert rows_by_date(con) == {dt.date(2024, 10, 31): 2}
    assert [v.outcome for v in gate.verdicts] == ["blocked", "published"]
    assert "[rule 1004]" in report.by_outcome("rejected")[0].message


def test_stored_rows_are_capped_per_rule_but_counts_are_exact(landing, con, monkeypatch):
    monkeypatch.setattr("pipelines.lib.quality.MAX_ISSUES_PER_RULE", 2)
    extra = [f"C1,01/01/2010,Q,0{d}/07/2024,0{d}/07/2024" for d in range(1, 6)]
    landing.extract_903("850", "2024-10-31", missing=_missing_with(extra))
    load_landing(con, landing.root, validate=QualityGate(con, None, SUITES))
    assert con.execute(
        "select count(*) from raw_meta.dq_issues where rule_code = '1006'"
    ).fetchone() == (2,)
    assert con.execute("select errors from raw_meta.dq_runs").fetchone() == (5,)
    assert MAX_ISSUES_PER_RULE == 1_000  # the documented cap (docs/data-quality.md)


class _Recorder:
    """A stand-in gate: blocks the labels it is told to, records what it saw."""

    def __init__(self, block=()):
        self.block, self.calls = set(block), []

    def __call__(self, batch):
        self.calls.append([c.extract.label for c in batch])
        return {
            c.extract.label: GateDecision(True, "x.csv", "x.csv, line 2: nope [rule T]")
            for c in batch
            if c.extract.label in self.block
        }


def test_the_gate_sees_every_la_and_year_of_a_run_in_one_batch(landing, con):
    for la in ("850", "851"):
        landing.extract_903(la, "2024-10-31")
        landing.extract_903(la, "2023-05-31", year="2022-23")
    gate = _Recorder()
    load_landing(con, landing.root, validate=gate)
    assert len(gate.calls) == 1 and len(gate.calls[0]) == 4


def test_a_row_budget_splits_a_run_into_several_batches(landing, con):
    for la in ("850", "851", "852"):
        landing.extract_903(la, "2024-10-31")
    gate = _Recorder()
    load_landing(con, landing.root, validate=gate, max_batch_rows=1)
    assert [len(c) for c in gate.calls] == [1, 1, 1]


def test_the_gate_keeps_nothing_of_a_batch_once_it_has_judged_it(landing, con):
    """GX's context keeps every frame and metric it computed unless told to forget: with
    one context per run, a national load grew by about 1 GB per batch. Three batches, the
    last one blocked, and after each call GX holds no metric, batch, asset or suite."""
    for la in ("850", "851"):
        landing.extract_903(la, "2024-10-31")
    landing.extract_903(
        "852", "2024-10-31", missing=_missing_with(["C1,01/01/2010,X,05/07/2024,06/07/2024"])
    )
    gate = QualityGate(con, "run-1", SUITES)
    held = []

    def validate(batch):
        decisions = gate(batch)
        held.append(gate.session.cached())
        return decisions

    report = load_landing(con, landing.root, validate=validate, max_batch_rows=1)
    nothing = {"metrics": 0, "batches": 0, "batch_data": 0, "assets": 0, "suites": 0}
    assert held == [nothing, nothing, nothing]
    assert {v.la_code: v.outcome == "blocked" for v in gate.verdicts} == {
        "850": False,
        "851": False,
        "852": True,
    }
    assert [e.source_file for e in report.by_outcome("rejected")] == [
        "852/ssda903/2024-25/2024-10-31/missing.csv"
    ]


def test_only_the_blocked_group_retries_its_older_extract(landing, con):
    landing.extract_903("850", "2024-10-31")
    landing.extract_903("850", "2024-11-30")
    landing.extract_903("851", "2024-11-30")
    gate = _Recorder(block={"850/ssda903/2024-25/2024-11-30"})
    report = load_landing(con, landing.root, validate=gate)
    assert gate.calls == [
        ["850/ssda903/2024-25/2024-11-30", "851/ssda903/2024-25/2024-11-30"],
        ["850/ssda903/2024-25/2024-10-31"],
    ]
    assert {e.label for e in report.loaded_extracts} == {
        "850/ssda903/2024-25/2024-10-31",
        "851/ssda903/2024-25/2024-11-30",
    }


def test_an_unchanged_extract_is_not_validated_again(landing, con):
    landing.extract_903("850", "2024-10-31")
    load_landing(con, landing.root, validate=_Recorder())
    gate = _Recorder()
    report = load_landing(con, landing.root, validate=gate)
    assert gate.calls == [] and [e.outcome for e in report.events] == ["unchanged"]


@pytest.mark.parametrize("scope_rule", ["CSC-RHI-MATCH", "CSC-PEPS-IN-CARE"])
def test_cross_extract_rules_are_warnings_checked_after_loading(scope_rule):
    from expectations.suites import ALL_RULES

    [rule] = [r for r in ALL_RULES if r.code == scope_rule]
    assert (rule.scope, rule.severity) == ("warehouse", "warning")


def test_a_gate_that_cannot_run_blocks_the_batch_instead_of_crashing(landing, con, monkeypatch):
    landing.extract_903("850", "2024-10-31")
    load_landing(con, landing.root)
    landing.extract_903("850", "2024-11-30")

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr("pipelines.lib.quality.validate_tables", broken)
    gate = QualityGate(con, "r", SUITES)
    report = load_landing(con, landing.root, validate=gate)
    [event] = report.by_outcome("rejected")
    assert "[rule DQ-GATE-ERROR]" in event.message and "ValueError: boom" in event.message
    assert rows_by_date(con) == {dt.date(2024, 10, 31): 2}
    full_gate = QualityGate(con, "r")
    assert full_gate.check_warehouse(["850"]) == []
    assert "could not run (ValueError: boom)" in full_gate.problems[0]
