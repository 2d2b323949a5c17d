"""The bad-input catalogue: every class of broken council extract, and what happens to it.

Each class gets its own LA code. Run 1 loads a valid extract for every LA (903 and local,
dated 2024-10-31); run 2 drops the bad input beside it (dated 2024-11-30 unless the class
says otherwise) and runs the loader with the data-quality gate. For every class the test
checks the outcome (rejected, loaded with a warning, ignored, skipped), that the message
names the file, the line and the rule, that nothing loaded before is lost, and what the
status file (``status.duckdb``) tells the dashboard.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from quality_landing import WORLD_903, WORLD_LOCAL, Landing

from pipelines.lib.loader import load_landing
from pipelines.lib.quality import QualityGate
from pipelines.lib.status import publish_status

OLD, NEW = "2024-10-31", "2024-11-30"
YEAR = "2024-25"


def _edit(text: str, line: int, old: str, new: str) -> str:
    """Replace ``old`` by ``new`` on one line (1 = header) of a CSV text."""
    lines = text.split("\n")
    assert old in lines[line - 1], (old, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


def _append(text: str, row: str) -> str:
    return text + row + "\n"


EPISODES_OVERLAP = _append(
    _edit(
        WORLD_903["episodes"],
        4,
        "15/06/2024,S,V2,N1,U4,PR1,,",
        "15/06/2024,S,V2,N1,U4,PR1,01/07/2024,X1",
    ),
    "C2,20/06/2024,P,V2,N1,K2,PR4,,,,,,",
)
CASE_INSENSITIVE_HEADER = (
    "\n".join(
        [" child , Mis_End,dob,MISSING , mis_start"]
        + [
            ",".join([c, e, d, m, s])
            for c, d, m, s, e in (
                r.split(",") for r in WORLD_903["missing"].strip().split("\n")[1:]
            )
        ]
    )
    + "\n"
)


@dataclass(frozen=True)
class BadInput:
    name: str
    la: str
    write: Callable[[Landing, str], object]
    outcome: str  # rejected | loaded | ignored | skipped
    rule: str
    file: str = ""  # where the event points, with {la}; "" = no event to check
    line: int | None = None
    source: str = "ssda903"
    status: str | None = None  # latest_status in status.duckdb's extract_status
    warning_rule: str | None = None  # a gate warning stored in dq_issues

    @property
    def where(self) -> str:
        return self.file.format(la=self.la)


F903 = "{la}/ssda903/2024-25/2024-11-30/"
FLOCAL = "{la}/local/2024-11-30/"


def _903(**files):
    return lambda landing, la: landing.extract_903(la, NEW, **files)


def _local(**files):
    return lambda landing, la: landing.extract_local(la, NEW, **files)


CATALOGUE = [
    BadInput(
        "missing required column",
        "801",
        _903(missing="CHILD,DOB,MISSING,MIS_START\nC1,01/01/2010,M,01/06/2024\n"),
        "rejected",
        "FILE-MISSING-COLUMN",
        F903 + "missing.csv",
        1,
        status="blocked",
    ),
    BadInput(
        "extra column",
        "802",
        _903(
            episodes=WORLD_903["episodes"].replace("\n", ",\n").replace("URN,\n", "URN,NOTES\n", 1)
        ),
        "loaded",
        "FILE-EXTRA-COLUMN",
        "{la}/ssda903/2024-25/2024-11-30",
        status="published",
    ),
    BadInput(
        "wrong date format",
        "803",
        _903(missing=_edit(WORLD_903["missing"], 2, "01/06/2024", "2024/06/01")),
        "rejected",
        "CSC-MISSING-MIS_START",
        F903 + "missing.csv",
        2,
        status="blocked",
    ),
    BadInput(
        "impossible date",
        "804",
        _903(episodes=_edit(WORLD_903["episodes"], 4, "15/06/2024", "31/02/2024")),
        "rejected",
        "141",
        F903 + "episodes.csv",
        4,
        status="blocked",
    ),
    BadInput(
        "future date",
        "805",
        _903(missing=_edit(WORLD_903["missing"], 3, "21/06/2024", "01/12/2024")),
        "rejected",
        "CSC-MISSING-FUTURE",
        F903 + "missing.csv",
        3,
        status="blocked",
    ),
    BadInput(
        "unknown code in a column a KPI reads",
        "806",
        _903(episodes=_edit(WORLD_903["episodes"], 4, ",S,V2,", ",S,C9,")),
        "rejected",
        "144",
        F903 + "episodes.csv",
        4,
        status="blocked",
    ),
    BadInput(
        "unknown code in a column no KPI reads",
        "807",
        _903(header=_edit(WORLD_903["header"], 2, "WBRI", "XXXX")),
        "loaded",
        "103",
        F903 + "header.csv",
        2,
        status="warnings",
        warning_rule="103",
    ),
    BadInput(
        "empty file",
        "808",
        _903(oc3=""),
        "rejected",
        "FILE-EMPTY",
        F903 + "oc3.csv",
        status="blocked",
    ),
    BadInput(
        "header only",
        "809",
        _903(reviews="CHILD,DOB,REVIEW,REVIEW_CODE\n"),
        "loaded",
        "FILE-NO-ROWS",
        "{la}/ssda903/2024-25/2024-11-30",
        status="published",
    ),
    BadInput(
        "UTF-8 byte order mark",
        "810",
        _903(header=b"\xef\xbb\xbf" + WORLD_903["header"].encode()),
        "loaded",
        "",
        status="published",
    ),
    BadInput(
        "CRLF line ends",
        "811",
        _903(episodes=WORLD_903["episodes"].replace("\n", "\r\n")),
        "loaded",
        "",
        status="published",
    ),
    BadInput(
        "Latin-1 bytes",
        "812",
        _903(
            header=_edit(WORLD_903["header"], 3, "UN1", "UN1").encode().replace(b"WIRI", b"W\xc9RI")
        ),
        "rejected",
        "FILE-ENCODING",
        F903 + "header.csv",
        3,
        status="blocked",
    ),
    BadInput(
        "Excel workbook saved with a .csv name",
        "813",
        _903(episodes=b"PK\x03\x04\x14\x00\x06\x00 [Content_Types].xml"),
        "rejected",
        "FILE-EXCEL",
        F903 + "episodes.csv",
        status="blocked",
    ),
    BadInput(
        "truncated last line",
        "814",
        _903(episodes=WORLD_903["episodes"].rstrip("\n").rsplit(",", 9)[0]),
        "rejected",
        "FILE-FIELD-COUNT",
        F903 + "episodes.csv",
        4,
        status="blocked",
    ),
    BadInput(
        "duplicate rows",
        "815",
        _903(episodes=_append(WORLD_903["episodes"], WORLD_903["episodes"].strip().split("\n")[3])),
        "rejected",
        "CSC-EPISODES-KEY",
        F903 + "episodes.csv",
        5,
        status="blocked",
    ),
    BadInput(
        "duplicate keys",
        "816",
        _903(header=_append(WORLD_903["header"], "C1,M,02/01/2010,WBRI,UN1,,")),
        "rejected",
        "CSC-HEADER-KEY",
        F903 + "header.csv",
        7,
        status="blocked",
    ),
    BadInput(
        "orphan child ID",
        "817",
        _903(missing=_append(WORLD_903["missing"], "C9,01/01/2011,M,05/07/2024,06/07/2024")),
        "rejected",
        "CSC-MISSING-CHILD",
        F903 + "missing.csv",
        4,
        status="blocked",
    ),
    BadInput(
        "overlapping episodes",
        "818",
        _903(episodes=EPISODES_OVERLAP),
        "rejected",
        "501",
        F903 + "episodes.csv",
        5,
        status="blocked",
    ),
    BadInput(
        "negative FTE",
        "819",
        _local(workers=_edit(WORLD_LOCAL["workers"], 2, ",1.0,", ",-0.5,")),
        "rejected",
        "CSC-WORKERS-FTE",
        FLOCAL + "workers.csv",
        2,
        source="local",
        status="blocked",
    ),
    BadInput(
        "folder name that is not a date",
        "820",
        lambda landing, la: landing.write(
            f"{la}/ssda903/{YEAR}/latest/header.csv", WORLD_903["header"]
        ),
        "ignored",
        "LANDING-EXTRACT-DATE",
        "{la}/ssda903/2024-25/latest",
        status="published",
    ),
    BadInput(
        "extract older than the one loaded",
        "821",
        lambda landing, la: landing.extract_903(la, "2024-09-30"),
        "skipped",
        "LOAD-OLDER-EXTRACT",
        "{la}/ssda903/2024-25/2024-09-30",
        status="published",
    ),
    BadInput(
        "required file missing",
        "822",
        _903(oc3=None),
        "rejected",
        "FILE-REQUIRED",
        F903 + "oc3.csv",
        status="blocked",
    ),
    BadInput(
        "file that is not a table of the contract",
        "823",
        _903(**{"notes.txt": "ring the team about C2"}),
        "loaded",
        "FILE-UNKNOWN-TABLE",
        "{la}/ssda903/2024-25/2024-11-30",
        status="published",
    ),
    BadInput(
        "binary file (NUL bytes)",
        "824",
        _903(header=b"CHILD,SEX\x00\x00\x00\x01"),
        "rejected",
        "FILE-BINARY",
        F903 + "header.csv",
        status="blocked",
    ),
    BadInput(
        "unterminated quote",
        "825",
        _903(missing=_append(WORLD_903["missing"], 'C1,01/01/2010,M,"05/07/2024,06/07/2024')),
        "rejected",
        "FILE-CSV",
        F903 + "missing.csv",
        4,
        status="blocked",
    ),
    BadInput(
        "blank date of birth",
        "826",
        _903(header=_edit(WORLD_903["header"], 3, "01/06/2012", "")),
        "rejected",
        "102",
        F903 + "header.csv",
        3,
        status="blocked",
    ),
    BadInput(
        "allocation to an unknown worker",
        "827",
        _local(allocations=_edit(WORLD_LOCAL["allocations"], 2, "SW001", "SW999")),
        "rejected",
        "CSC-ALLOC-WORKER",
        FLOCAL + "allocations.csv",
        2,
        source="local",
        status="blocked",
    ),
    BadInput(
        "return interview with no missing episode",
        "828",
        _local(return_interviews=_append(WORLD_LOCAL["return_interviews"], "C1,05/06/2024,N,,,")),
        "loaded",
        "CSC-RHI-MATCH",
        FLOCAL + "return_interviews.csv",
        4,
        source="local",
        status="published",
        warning_rule="CSC-RHI-MATCH",
    ),
    BadInput(
        "duplicate column in the header",
        "829",
        _903(header=WORLD_903["header"].replace("MC_DOB", "DOB", 1)),
        "rejected",
        "FILE-DUPLICATE-COLUMN",
        F903 + "header.csv",
        1,
        status="blocked",
    ),
    BadInput(
        "column names in another case, padded and reordered",
        "830",
        _903(missing=CASE_INSENSITIVE_HEADER),
        "loaded",
        "",
        status="published",
    ),
    BadInput(
        "LA folder that is not a DfE LA code",
        "hampshire",
        lambda landing, la: landing.extract_903(la, NEW),
        "ignored",
        "LANDING-LA-FOLDER",
        "hampshire",
    ),
]

_RAW_903 = ("header", "episodes", "missing", "oc3")
_RAW_LOCAL = ("teams", "workers", "allocations", "return_interviews")


def _snapshot(con, la: str, source: str) -> dict:
    tables = _RAW_903 if source == "ssda903" else _RAW_LOCAL
    schema = "raw_ssda903" if source == "ssda903" else "raw_local"
    return {
        t: con.execute(
            f"select extract_date, count(*) from {schema}.{t} where la_code = ? group by 1 "
            "order by 1",
            [la],
        ).fetchall()
        for t in tables
    }


@dataclass
class Outcome:
    events: list
    before: dict
    after: dict
    status: dict
    issues: list


@pytest.fixture(scope="module")
def catalogue_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("catalogue")
    landing = Landing(tmp / "landing")
    con = duckdb.connect(str(tmp / "warehouse.duckdb"))
    for case in CATALOGUE:
        if case.la.isdigit():
            landing.extract_903(case.la, OLD)
            if case.source == "local":
                landing.extract_local(case.la, OLD)
    first = load_landing(con, landing.root, run_id="run-1", validate=QualityGate(con, "run-1"))
    assert not first.by_outcome("rejected"), [e.message for e in first.by_outcome("rejected")]
    before = {(c.la, c.source): _snapshot(con, c.la, c.source) for c in CATALOGUE}
    for case in CATALOGUE:
        case.write(landing, case.la)
    gate = QualityGate(con, "run-2")
    report = load_landing(con, landing.root, run_id="run-2", validate=gate)
    gate.check_warehouse()
    status_path = publish_status(con, tmp / "serving" / "status.duckdb", "run-2").path
    after = {(c.la, c.source): _snapshot(con, c.la, c.source) for c in CATALOGUE}
    issues = con.execute(
        "select la_code, rule_code, source_file, source_row from raw_meta.dq_issues "
        "where run_id = 'run-2'"
    ).fetchall()
    history = (
        dict(
            con.execute(
                "select run_id, count(*) from raw_meta.dq_runs where source <> 'warehouse' "
                "group by 1"
            ).fetchall()
        ),
        {r[0] for r in con.execute("select distinct run_id from raw_meta.dq_issues").fetchall()},
    )
    with duckdb.connect(str(status_path), read_only=True) as status_con:
        status = {
            (la, source, year): state
            for la, source, year, state in status_con.execute(
                "select la_code, source, collection_year, latest_status from extract_status"
            ).fetchall()
        }
    con.close()
    return report, before, after, status, issues, history


def test_the_catalogue_has_at_least_twenty_classes_each_with_its_own_la():
    assert len(CATALOGUE) >= 20
    assert len({c.la for c in CATALOGUE}) == len(CATALOGUE)
    assert len({c.name for c in CATALOGUE}) == len(CATALOGUE)


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.name for c in CATALOGUE])
def test_bad_input_has_its_expected_outcome_and_a_message_naming_file_line_and_rule(
    catalogue_run, case
):
    report, before, after, status, issues, _ = catalogue_run
    events = [
        e
        for e in report.events
        if e.table_name is None
        and (e.source_file.startswith(f"{case.la}/") or e.source_file == case.la)
    ]
    kind = {"rejected": "rejected", "ignored": "rejected", "skipped": "skipped_older"}
    if case.outcome == "ignored" and not case.la.isdigit():
        kind["ignored"] = "warning"
    if case.rule:
        matching = [e for e in events if f"[rule {case.rule}]" in e.message]
        store = [i for i in issues if i[0] == case.la and i[1] == case.rule]
        assert matching or store, f"no event or issue names rule {case.rule}: {events}"
        if matching:
            event = matching[0]
            expected = kind.get(case.outcome, "warning")
            assert event.outcome == expected, event
            if case.file:
                assert event.source_file == case.where
                assert case.where in event.message or case.outcome in ("ignored", "skipped")
            if case.line is not None:
                assert re.search(rf"lines? [\d, ]*\b{case.line}\b", event.message), event.message
        else:  # a cross-extract warning: stored, with file and line, not an event
            assert (case.la, case.rule, case.where, case.line) in issues
    if case.outcome in ("rejected", "ignored", "skipped"):
        assert after[(case.la, case.source)] == before[(case.la, case.source)]
        if case.outcome == "rejected":
            assert "data loaded before is kept" in next(
                e.message for e in events if e.outcome == "rejected"
            )
    else:
        loaded = [e for e in events if e.outcome == "loaded"]
        assert loaded, events
        dates = {d for rows in after[(case.la, case.source)].values() for d, _ in rows}
        assert dates == {dt.date.fromisoformat(NEW)}
    if case.status:
        year = YEAR if case.source == "ssda903" else None
        assert status[(case.la, case.source, year)] == case.status
    if case.warning_rule:
        assert any(i[0] == case.la and i[1] == case.warning_rule for i in issues)


def test_every_run_of_the_gate_is_kept_in_dq_runs_and_dq_issues(catalogue_run):
    *_, (runs, issue_runs) = catalogue_run
    extracts_of_run_1 = sum(1 + (c.source == "local") for c in CATALOGUE if c.la.isdigit())
    assert runs["run-1"] == extracts_of_run_1  # one row per extract checked
    assert runs["run-2"] > 0
    assert "run-2" in issue_runs


def test_every_class_is_documented_with_its_outcome_and_rule():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "data-quality.md").read_text()
    for case in CATALOGUE:
        row = next((line for line in doc.splitlines() if line.startswith(f"| {case.name} |")), "")
        assert row, f"docs/data-quality.md does not list '{case.name}'"
        assert (f"`{case.rule}`" in row) if case.rule else row.endswith("| — |")


def test_blocked_extracts_leave_every_other_la_flowing(catalogue_run):
    report, *_ = catalogue_run
    loaded = {e.extract.la_code for e in report.by_outcome("loaded") if e.table_name is None}
    assert {c.la for c in CATALOGUE if c.outcome == "loaded"} <= loaded
