"""What the landing folder holds besides extracts, and volume findings, on the data-quality
page and on every page's freshness banner.

The status file is written by the pipeline's own code from a landing folder the test
writes (LAs 850 and 851, as in the test snapshot):

- 850: the extract of 30 Nov 2024 has a header-only missing.csv where 31 Oct had 2 rows;
  it is confirmed empty (CSC_CONFIRM_EMPTY), so it is published with a VOLUME-EMPTY
  warning; 850/notes.txt is listed, not read;
- 851: the same empty missing.csv, not confirmed: blocked; and a folder named
  2024-11-31, which is not a date: rejected;
- Smith-J-case-notes.txt at the top of the landing folder, outside any LA folder: listed,
  not read (its name could be anyone's: only for users of every LA).

The page is read signed in as a data engineer of every LA (the ``engineer`` account),
except where a test says otherwise.
"""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest
from auth_helpers import add_accounts, signed_in
from dash_helpers import DashCallbacks, find_by_id, text_of

from dashboards import ids
from pipelines.lib.loader import load_landing
from pipelines.lib.quality import QualityGate
from pipelines.lib.status import publish_status
from tests.quality.quality_landing import WORLD_903, Landing

OLD, NEW = "2024-10-31", "2024-11-30"
EMPTY_MISSING = WORLD_903["missing"].split("\n")[0] + "\n"
CONFIRMED = "850/ssda903/2024-25/2024-11-30/missing.csv"
AT_ROOT = "Smith-J-case-notes.txt"
#: A data engineer of LA 850 only, a manager and a board member of 850.
SCOPED = {
    "engineer-850": (["engineer"], ["850"], None),
    "manager": (["manager"], ["850"], ["Winchester"]),
    "board": (["board"], ["850"], None),
}


@pytest.fixture(scope="module")
def app(tmp_path_factory, snapshot, make_app):
    tmp = tmp_path_factory.mktemp("dq-landing")
    landing = Landing(tmp / "landing")
    for la in ("850", "851"):
        landing.extract_903(la, OLD)
    con = duckdb.connect(str(tmp / "warehouse.duckdb"))
    load_landing(con, landing.root, run_id="r1", validate=QualityGate(con, "r1"))
    for la in ("850", "851"):
        landing.extract_903(la, NEW, missing=EMPTY_MISSING)
    landing.write("850/notes.txt", "ring the team")
    landing.write(AT_ROOT, "not an extract")
    landing.extract_903("851", "2024-11-31")
    gate = QualityGate(con, "r2", confirm_empty=[CONFIRMED])
    load_landing(con, landing.root, run_id="r2", validate=gate)
    serving = tmp / "serving"
    serving.mkdir()
    shutil.copy(snapshot, serving / "serving.duckdb")
    publish_status(con, serving / "status.duckdb", "r2")
    con.close()
    app = make_app(serving / "serving.duckdb")
    add_accounts(app, SCOPED)
    return app


@pytest.fixture(scope="module")
def callbacks(app):
    return DashCallbacks(signed_in(app, "engineer"))


def rows(tree, name: str) -> list[dict]:
    return find_by_id(tree, ids.grid(name))["props"]["rowData"]


def test_every_landing_entry_not_loaded_is_listed_with_what_happened_and_why(callbacks):
    page = callbacks.route("/data-quality", "")
    landing = rows(page, ids.DQ_LANDING_TABLE)
    assert [(r["la_code"], r["what"], r["path"], r["rule_code"]) for r in landing] == [
        ("851", "■ Rejected", "851/ssda903/2024-25/2024-11-31", "LANDING-EXTRACT-DATE"),
        ("–", "▲ Listed, not read", AT_ROOT, "LANDING-LA-FOLDER"),
        ("850", "▲ Listed, not read", "850/notes.txt", "LANDING-UNKNOWN-ENTRY"),
    ]
    assert "rename the folder to the date the extract was run" in landing[0]["message"]
    assert "1 entry rejected" in text_of(page) and "2 entries listed, not read" in text_of(page)
    status = {(r["la_code"], r["source"]): r for r in rows(page, ids.DQ_STATUS_TABLE)}
    blocked = status[("851", "ssda903")]
    assert blocked["status"] == "■ Blocked"
    assert blocked["why"].startswith("851/ssda903/2024-25/2024-11-31: folder name '2024-11-31'")
    assert "[rule VOLUME-EMPTY]" in blocked["latest_message"]  # the extract's own block, after
    only_851 = callbacks.route("/data-quality", "?la=851")
    assert [r["path"] for r in rows(only_851, ids.DQ_LANDING_TABLE)] == [
        "851/ssda903/2024-25/2024-11-31"
    ]


def test_volume_findings_are_listed_against_the_extract_they_were_compared_with(callbacks):
    found = {
        (r["la_code"], r["rule_code"]): r
        for r in rows(callbacks.route("/data-quality", ""), ids.DQ_VOLUME_TABLE)
    }
    blocked, confirmed = found[("851", "VOLUME-EMPTY")], found[("850", "VOLUME-EMPTY")]
    assert (blocked["what"], blocked["before"], blocked["now"], blocked["in_use"]) == (
        "■ Blocks the extract",
        "2",
        "0",
        "No",
    )
    assert (
        "set CSC_CONFIRM_EMPTY=851/ssda903/2024-25/2024-11-30/missing.csv" in (blocked["message"])
    )
    assert (confirmed["what"], confirmed["in_use"], confirmed["previous_extract_date"]) == (
        "▲ Warning",
        "Yes",
        "2024-10-31",
    )


def test_the_banner_of_every_page_shows_a_collapse_in_the_data_in_use(callbacks):
    from test_app import shell

    banner = text_of(shell(callbacks, "?la=850")[ids.FRESHNESS]["children"])
    assert "Volume warning for LA 850" in banner
    assert (
        f"{CONFIRMED} has no rows, where the extract of 2024-10-31 had 2 [rule VOLUME-EMPTY]"
    ) in banner
    assert "was rejected" not in banner
    blocked = text_of(shell(callbacks, "?la=851")[ids.FRESHNESS]["children"])
    assert "The latest delivery for Portsmouth was rejected" in blocked
    assert "851/ssda903/2024-25/2024-11-31" in blocked and "Volume warning" not in blocked


def test_an_engineer_of_one_la_sees_its_landing_entries_only_never_those_outside_any_la(app):
    engineer = DashCallbacks(signed_in(app, "engineer-850"))
    page = engineer.route("/data-quality", "")
    assert [r["path"] for r in rows(page, ids.DQ_LANDING_TABLE)] == ["850/notes.txt"]
    assert [r["la_code"] for r in rows(page, ids.DQ_VOLUME_TABLE)] == ["850"]
    assert AT_ROOT not in json.dumps(page) and "851/" not in json.dumps(page)
    refused = json.dumps(engineer.route("/data-quality", "?la=851"))
    assert "not in your scope" in refused or "not available to you" in refused
    assert "851/ssda903" not in refused and AT_ROOT not in refused


def test_the_banner_tells_other_roles_of_a_volume_warning_without_its_files_or_counts(app):
    for user in ("manager", "board"):
        from test_app import shell

        banner = text_of(shell(DashCallbacks(signed_in(app, user)), "?la=850")[ids.FRESHNESS])
        assert "Volume warning for LA 850" in banner, user
        assert CONFIRMED not in banner and "had 2" not in banner, user


@pytest.mark.parametrize("user", ["manager", "board"])
def test_the_data_quality_page_is_refused_to_roles_without_data_quality_access(app, user):
    response = DashCallbacks(signed_in(app, user)).call(
        [("_pages_content", "children"), ("_pages_store", "data")],
        [("_pages_location", "pathname", "/data-quality"), ("_pages_location", "search", "")],
    )
    assert response.status_code == 200  # the router answers; the page refuses
    text = response.get_data(as_text=True)
    assert "Not available to your role" in text
    assert "notes.txt" not in text and AT_ROOT not in text and "VOLUME" not in text
