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


def _insert(text: str, line: int, new: str) -> str:
    """Insert ``new`` as line ``line`` (1 = header) of a CSV text."""
    lines = text.split("\n")
    lines.insert(line - 1, new)
    return "\n".join(lines)


#: missing.csv with a NUL at line 3, after a line long enough to put it past the first 4 KiB.
NUL_MISSING = _edit(_edit(WORLD_903["missing"], 2, "M,", "M" + " " * 5000 + ","), 3, "A,", "A\x00,")
#: episodes.csv as a system writing month/day/year would: most DECOMs cannot be read.
US_EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,"
    "URN\n"
    "C1,05/13/2024,S,V2,N1,U4,PR1,07/14/2024,X1,,,,\n"
    "C1,07/14/2024,P,C2,N1,K2,PR4,,,CARPL,,,SC123456\n"
    "C2,06/15/2024,S,V2,N1,U4,PR1,,,,,,\n"
)
#: 30 reviews of C1 (the world's reviews.csv has 2).
MANY_REVIEWS = (
    WORLD_903["reviews"].split("\n")[0]
    + "\n"
    + "".join(f"C1,01/01/2010,{day:02d}/05/2024,PN1\n" for day in range(1, 31))
)
#: 60,000 junk rows, many times the 2 rows of missing.csv in the extract loaded before.
JUNK_ROWS = "".join(f"J{i},x,x,x,x\n" for i in range(60_000))


def _link_file(landing: Landing, la: str, table: str) -> None:
    """The extract's ``table``.csv is a link to a well-formed copy outside the landing folder."""
    folder = landing.extract_903(la, NEW, **{table: None})
    outside = landing.root.parent / "outside" / la / f"{table}.csv"
    outside.parent.mkdir(parents=True, exist_ok=True)
    outside.write_text(WORLD_903[table], encoding="utf-8")
    (folder / f"{table}.csv").symlink_to(outside)


def _link_folder(landing: Landing, la: str) -> None:
    """The new extract folder is a link to a well-formed extract outside the landing folder."""
    outside = Landing(landing.root.parent / "outside")
    target = outside.extract_903(la, NEW)
    link = landing.root / f"{la}/ssda903/{YEAR}/{NEW}"
    link.symlink_to(target, target_is_directory=True)


@dataclass(frozen=True)
class BadInput:
    name: str
    la: str
    write: Callable[[Landing, str], object]
    outcome: str  # rejected | loaded | ignored | skipped | listed (not read; the rest loads)
    rule: str
    file: str = ""  # where the event points, with {la}; "" = no event to check
    line: int | None = None
    source: str = "ssda903"
    status: str | None = None  # latest_status in status.duckdb's extract_status
    warning_rule: str | None = None  # a gate warning stored in dq_issues
    words: str = ""  # the message names the cause or the fix in these words
    leads: bool = False  # the rule is the first the message names (the cause comes first)
    old: Callable[[Landing, str], object] | None = None  # run 1's extract, if not the world's
    confirm: str = ""  # a file (with {la}) confirmed empty for run 2 (CSC_CONFIRM_EMPTY)
    volume_rule: str | None = None  # a volume finding stored in dq_volume

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
        "1004",
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
        _903(missing=_edit(WORLD_903["missing"], 3, "11/07/2024", "01/12/2024")),
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
        old=lambda landing, la: landing.extract_903(
            la, OLD, reviews="CHILD,DOB,REVIEW,REVIEW_CODE\n"
        ),  # empty before too: nothing fell (see "table supplied before, now empty")
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
        "INT32",
        F903 + "header.csv",
        7,
        status="blocked",
    ),
    BadInput(
        "orphan child ID",
        "817",
        _903(missing=_append(WORLD_903["missing"], "C9,01/01/2011,M,05/07/2024,06/07/2024")),
        "rejected",
        "INT04",
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
        status="blocked",
        words="rename the folder",
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
        "NUL byte in the middle of a file",
        "831",
        _903(missing=NUL_MISSING),
        "rejected",
        "FILE-NUL",
        F903 + "missing.csv",
        3,
        status="blocked",
        words="NUL byte",
    ),
    BadInput(
        "UTF-16 file",
        "832",
        _903(header=WORLD_903["header"].encode("utf-16")),
        "rejected",
        "FILE-ENCODING",
        F903 + "header.csv",
        status="blocked",
        words="UTF-16 (little-endian, with a byte order mark), not UTF-8: save it as UTF-8",
    ),
    BadInput(
        "repeated header row",
        "833",
        _903(header=_insert(WORLD_903["header"], 4, WORLD_903["header"].split("\n")[0])),
        "rejected",
        "FILE-REPEATED-HEADER",
        F903 + "header.csv",
        4,
        status="blocked",
        words="the header row is repeated at line 4",
        leads=True,
    ),
    BadInput(
        "control character in a value",
        "834",
        _903(episodes=_edit(WORLD_903["episodes"], 3, "PR4", "PR\x1b4")),
        "rejected",
        "FILE-CONTROL-CHARACTER",
        F903 + "episodes.csv",
        3,
        status="blocked",
        words="0x1B (ESC)",
    ),
    BadInput(
        "lines ended by CR alone",
        "835",
        _903(missing=WORLD_903["missing"].replace("\n", "\r")),
        "rejected",
        "FILE-LINE-ENDINGS",
        F903 + "missing.csv",
        status="blocked",
        words="classic Mac OS",
    ),
    BadInput(
        "mixed line ends",
        "836",
        _903(episodes=WORLD_903["episodes"].replace("\n", "\r\n", 2)),
        "loaded",
        "FILE-MIXED-LINE-ENDS",
        "{la}/ssda903/2024-25/2024-11-30",
        status="published",
    ),
    BadInput(
        "CHILD with a comma and a line break",
        "837",
        _903(header=_edit(WORLD_903["header"], 6, "C5,", '"10,04\n000",')),
        "rejected",
        "CSC-HEADER-ID-FORMAT",
        F903 + "header.csv",
        6,
        status="blocked",
        words="1 to 10 letters or digits",
    ),
    BadInput(
        "DOB in OC3 differs from the header",
        "838",
        _903(oc3=_edit(WORLD_903["oc3"], 3, "10/10/2005", "11/10/2005")),
        "rejected",
        "INT15",
        F903 + "oc3.csv",
        3,
        status="blocked",
    ),
    BadInput(
        "SEX in UASC differs from the header",
        "839",
        _903(uasc=_edit(WORLD_903["uasc"], 2, "C1,M,", "C1,F,")),
        "loaded",
        "INT21",
        F903 + "uasc.csv",
        2,
        status="warnings",
        warning_rule="INT21",
    ),
    BadInput(
        "dates in month/day/year order",
        "840",
        _903(episodes=US_EPISODES),
        "rejected",
        "DIAG-DAY-MONTH-SWAPPED",
        F903 + "episodes.csv",
        2,
        status="blocked",
        words="export the dates as dd/mm/yyyy",
        leads=True,
    ),
    BadInput(
        "most dates of a column unreadable",
        "841",
        _903(
            reviews=_append(WORLD_903["reviews"], "C1,01/01/2010,2024.07.15,PN1")
            .replace("15/06/2024", "2024.06.15")
            .replace("20/07/2024", "2024.07.20")
        ),
        "rejected",
        "DIAG-DATES-UNREADABLE",
        F903 + "reviews.csv",
        2,
        status="blocked",
        words="3 of the 3 REVIEW dates (100%) cannot be read",
        leads=True,
    ),
    BadInput(
        "extract folder named like an impossible date",
        "842",
        lambda landing, la: landing.extract_903(la, "2024-11-31"),
        "ignored",
        "LANDING-EXTRACT-DATE",
        "{la}/ssda903/2024-25/2024-11-31",
        status="blocked",
        words="not an extract date (YYYY-MM-DD, a real date)",
    ),
    BadInput(
        "symbolic link to a file outside the landing folder",
        "843",
        lambda landing, la: _link_file(landing, la, "header"),
        "rejected",
        "LANDING-SYMLINK",
        F903 + "header.csv",
        status="blocked",
        words="links are never followed",
    ),
    BadInput(
        "symbolic link to an extract folder",
        "844",
        _link_folder,
        "ignored",
        "LANDING-SYMLINK",
        "{la}/ssda903/2024-25/2024-11-30",
        status="blocked",
    ),
    BadInput(
        "file in the wrong place",
        "845",
        lambda landing, la: landing.write(
            f"{la}/ssda903/{YEAR}/episodes.csv", WORLD_903["episodes"]
        ),
        "ignored",
        "LANDING-MISPLACED-FILE",
        "{la}/ssda903/2024-25/episodes.csv",
        status="blocked",
        words="an extract's files go in {la}/ssda903/2024-25/<extract date>/episodes.csv",
    ),
    BadInput(
        "file that cannot be read",
        "846",
        lambda landing, la: (
            landing.extract_903(la, NEW, header=None),
            (landing.root / f"{la}/ssda903/{YEAR}/{NEW}/header.csv").mkdir(),
        ),
        "rejected",
        "FILE-UNREADABLE",
        F903 + "header.csv",
        status="blocked",
        words="it is a folder, not a file",
    ),
    BadInput(
        "table supplied before, now empty",
        "847",
        _903(missing=WORLD_903["missing"].split("\n")[0] + "\n"),
        "rejected",
        "VOLUME-EMPTY",
        F903 + "missing.csv",
        status="blocked",
        words="set CSC_CONFIRM_EMPTY={la}/ssda903/2024-25/2024-11-30/missing.csv",
        volume_rule="VOLUME-EMPTY",
    ),
    BadInput(
        "empty table confirmed",
        "848",
        _903(missing=WORLD_903["missing"].split("\n")[0] + "\n"),
        "loaded",
        "VOLUME-EMPTY",
        F903 + "missing.csv",
        status="warnings",
        confirm=F903 + "missing.csv",
        words="published because CSC_CONFIRM_EMPTY confirms it",
        volume_rule="VOLUME-EMPTY",
    ),
    BadInput(
        "optional table no longer supplied",
        "849",
        _903(reviews=None),
        "loaded",
        "VOLUME-NOT-SUPPLIED",
        F903 + "reviews.csv",
        status="warnings",
        volume_rule="VOLUME-NOT-SUPPLIED",
    ),
    BadInput(
        "rows fall beyond the band",
        "851",
        _903(),
        "loaded",
        "VOLUME-ROWS",
        F903 + "reviews.csv",
        status="warnings",
        old=lambda landing, la: landing.extract_903(la, OLD, reviews=MANY_REVIEWS),
        words="-93% against the 30 of the extract of 2024-10-31",
        volume_rule="VOLUME-ROWS",
    ),
    BadInput(
        "file ten times its usual size",
        "852",
        _903(missing=WORLD_903["missing"] + JUNK_ROWS),
        "rejected",
        "VOLUME-SURGE",
        F903 + "missing.csv",
        status="blocked",
        words="it was not parsed",
    ),
    BadInput(
        "entry the contract has no place for",
        "853",
        lambda landing, la: (
            landing.extract_903(la, NEW),
            landing.write(f"{la}/notes.txt", "ring the team"),
        ),
        "listed",
        "LANDING-UNKNOWN-ENTRY",
        "{la}/notes.txt",
        status="published",
        words="listed, not read",
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
            (case.old or (lambda landing, la: landing.extract_903(la, OLD)))(landing, case.la)
            if case.source == "local":
                landing.extract_local(case.la, OLD)
    first = load_landing(con, landing.root, run_id="run-1", validate=QualityGate(con, "run-1"))
    assert not first.by_outcome("rejected"), [e.message for e in first.by_outcome("rejected")]
    before = {(c.la, c.source): _snapshot(con, c.la, c.source) for c in CATALOGUE}
    for case in CATALOGUE:
        case.write(landing, case.la)
    confirmed = [c.confirm.format(la=c.la) for c in CATALOGUE if c.confirm]
    gate = QualityGate(con, "run-2", confirm_empty=confirmed)
    report = load_landing(con, landing.root, run_id="run-2", validate=gate)
    gate.check_warehouse()
    status_path = publish_status(con, tmp / "serving" / "status.duckdb", "run-2").path
    after = {(c.la, c.source): _snapshot(con, c.la, c.source) for c in CATALOGUE}
    issues = con.execute(
        "select la_code, rule_code, source_file, source_row from raw_meta.dq_issues "
        "where run_id = 'run-2'"
    ).fetchall()
    volume = con.execute(
        "select la_code, rule_code, source_file, message from raw_meta.dq_volume "
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
    return report, before, after, status, issues, history, volume


def test_the_catalogue_has_at_least_twenty_classes_each_with_its_own_la():
    assert len(CATALOGUE) >= 20
    assert len({c.la for c in CATALOGUE}) == len(CATALOGUE)
    assert len({c.name for c in CATALOGUE}) == len(CATALOGUE)


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.name for c in CATALOGUE])
def test_bad_input_has_its_expected_outcome_and_a_message_naming_file_line_and_rule(
    catalogue_run, case
):
    report, before, after, status, issues, _, volume = catalogue_run
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
                assert case.where in event.message or case.outcome in (
                    "ignored",
                    "skipped",
                    "listed",
                )
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
    if case.volume_rule:
        assert (case.la, case.volume_rule, case.where) in {v[:3] for v in volume}
    if case.words or case.leads:
        messages = [e.message for e in events if f"[rule {case.rule}]" in e.message]
        messages += [v[3] for v in volume if v[0] == case.la and v[1] == case.rule]
        assert messages, f"no message names rule {case.rule}"
        if case.words:
            assert any(case.words.format(la=case.la) in m for m in messages), messages
        if case.leads:
            assert all(m.index(f"[rule {case.rule}]") == m.index("[rule ") for m in messages)


def test_every_run_of_the_gate_is_kept_in_dq_runs_and_dq_issues(catalogue_run):
    *_, (runs, issue_runs), _ = catalogue_run
    extracts_of_run_1 = sum(1 + (c.source == "local") for c in CATALOGUE if c.la.isdigit())
    assert runs["run-1"] == extracts_of_run_1  # one row per extract checked
    assert runs["run-2"] > 0
    assert "run-2" in issue_runs


def test_the_landing_folder_was_never_read_outside_itself(catalogue_run):
    report, *_ = catalogue_run
    events = [e for e in report.events if "outside" in e.message]
    assert events and all("links are never followed" in e.message for e in events)
    assert not [e for e in report.events if e.outcome == "loaded" and "outside" in e.source_file]


def test_every_class_is_documented_with_its_outcome_and_rule():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "data-quality.md").read_text()
    for case in CATALOGUE:
        row = next((line for line in doc.splitlines() if line.startswith(f"| {case.name} |")), "")
        assert row, f"docs/data-quality.md does not list '{case.name}'"
        assert (f"`{case.rule}`" in row) if case.rule else row.endswith("| — |")


def test_blocked_extracts_leave_every_other_la_flowing(catalogue_run):
    report, *_ = catalogue_run
    loaded = {e.extract.la_code for e in report.by_outcome("loaded") if e.table_name is None}
    assert {c.la for c in CATALOGUE if c.outcome in ("loaded", "listed")} <= loaded
