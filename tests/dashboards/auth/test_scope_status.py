"""The scope of the readers added beside sign-in (``dashboards.data``): the landing folder's
problems, the volume checks, the DfE's rules (runs, rules and the rows they flag, which
name children) and where children are placed. Each role × reader is allowed or refused as
docs/security.md's table says, an allowed reader returns only the principal's LAs (and a
manager's districts), and every read of rows that name children is audited.

The fixture (status_fixture.py, manager_fixture.py): landing entries of 850 and 851 and
one outside any LA folder; DfE findings for D850A (850) and D851A (851); placement
locations of C001 (Winchester), C002 (Basingstoke and Deane), C005 (Unallocated) and P001
(851, North).
"""

from __future__ import annotations

import pytest
from auth_helpers import principal

from dashboards import data
from dashboards.auth import NotAllowed, NotSignedIn, acting_as, user
from dashboards.auth.auditlog import AuditLog, use_log

ENGINEER_850 = user("engineer-850", ["engineer"], ["850"])
BOARD_851 = principal("board-851")
WHO = {
    "board": principal("board"),  # LA 850
    "manager": principal("manager"),  # LA 850, Winchester
    "analyst": principal("analyst"),  # every LA
    "engineer": principal("engineer"),  # every LA
    "admin": principal("admin"),
}
AGGREGATES = {"board", "manager", "analyst", "engineer"}
CHILD_LEVEL = {"manager", "analyst"}
DATA_QUALITY = {"analyst", "engineer"}
END = "2025-02-14"

#: reader -> (call, the roles it is for): written from docs/security.md's role matrix.
READERS = {
    "landing_problems": (lambda: data.landing_problems("850"), DATA_QUALITY),
    "volume_checks": (lambda: data.volume_checks("850"), DATA_QUALITY),
    "volume_warnings": (lambda: data.volume_warnings("850"), AGGREGATES),
    "dfe903_runs": (lambda: data.dfe903_runs("850"), DATA_QUALITY),
    "dfe903_rules": (lambda: data.dfe903_rules("850"), DATA_QUALITY),
    "dfe903_issues": (lambda: data.dfe903_issues("850"), DATA_QUALITY),
    "placement_locations": (lambda: data.placement_locations("850"), CHILD_LEVEL),
    "placement_distance_bands": (
        lambda: data.placement_distance_bands("850", "ALL", END),
        AGGREGATES,
    ),
    "rejected_loads": (lambda: data.rejected_loads("851"), set()),  # 851: board-851 only
}


@pytest.fixture(autouse=True)
def snapshot_read(snapshot):
    data.clear_cache()
    with data.use_snapshot(snapshot):
        yield


def as_(who, read):
    with acting_as(who):
        return read()


@pytest.mark.parametrize("role", list(WHO))
@pytest.mark.parametrize("reader", [r for r in READERS if r != "rejected_loads"])
def test_each_role_may_call_each_reader_as_the_role_matrix_says(role, reader):
    call, allowed = READERS[reader]
    if role in allowed:
        as_(WHO[role], call)
    else:
        with pytest.raises(NotAllowed):
            as_(WHO[role], call)


def test_nobody_signed_in_reads_nothing():
    for reader, (call, _allowed) in READERS.items():
        with pytest.raises(NotSignedIn):
            call()
        assert reader


def test_dfe_findings_are_of_the_principals_las_only():
    assert sorted(as_(WHO["engineer"], data.dfe903_issues)["child"]) == ["D850A", "D851A"]
    assert list(as_(ENGINEER_850, data.dfe903_issues)["child"]) == ["D850A"]
    assert set(as_(ENGINEER_850, data.dfe903_runs)["la_code"]) == {"850"}
    assert set(as_(ENGINEER_850, data.dfe903_rules)["la_code"]) == {"850"}
    for read in (data.dfe903_issues, data.dfe903_runs, data.dfe903_rules):
        with pytest.raises(NotAllowed):
            as_(ENGINEER_850, lambda read=read: read("851"))
    assert as_(ENGINEER_850, lambda: data.dfe903_issues("850", "2023-24")).empty


def test_landing_entries_outside_any_la_folder_are_for_users_of_every_la_only():
    everyone = as_(WHO["engineer"], data.landing_problems)
    assert list(everyone["path"]) == ["stray-at-root.txt", "850/notes-850.txt", "851/notes-851.txt"]
    assert list(as_(ENGINEER_850, data.landing_problems)["path"]) == ["850/notes-850.txt"]
    assert list(as_(WHO["engineer"], lambda: data.landing_problems("851"))["path"]) == [
        "851/notes-851.txt"
    ]
    with pytest.raises(NotAllowed):
        as_(ENGINEER_850, lambda: data.landing_problems("851"))


def test_the_others_get_a_count_of_volume_findings_not_the_findings():
    """(Findings of one LA for its engineer: test_data_quality_landing.py.)"""
    assert as_(WHO["board"], lambda: data.volume_warnings("850")) == len(
        as_(WHO["analyst"], lambda: data.volume_checks("850", served_only=True))
    )
    with pytest.raises(NotAllowed):
        as_(WHO["board"], lambda: data.volume_warnings("851"))


def test_why_a_delivery_was_rejected_is_for_those_who_fix_extracts():
    rejected = as_(WHO["analyst"], lambda: data.rejected_loads("851"))
    assert "DECOM is missing" in rejected["message"].iloc[0]
    board = as_(BOARD_851, lambda: data.rejected_loads("851"))
    assert list(board["source_file"]) == list(rejected["source_file"])
    assert board["message"].isna().all()


def test_placement_rows_stop_at_the_managers_districts():
    assert sorted(as_(WHO["analyst"], lambda: data.placement_locations("850"))["child"]) == [
        "C001",
        "C002",
        "C005",
    ]
    assert list(as_(WHO["manager"], lambda: data.placement_locations("850"))["child"]) == ["C001"]
    with pytest.raises(NotAllowed, match="Basingstoke and Deane is not in your scope"):
        as_(WHO["manager"], lambda: data.placement_locations("850", "Basingstoke and Deane"))
    with pytest.raises(NotAllowed):
        as_(WHO["manager"], lambda: data.placement_locations("851", "North"))


def test_reads_of_rows_that_name_children_and_refusals_are_audited(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite")
    use_log(log)
    try:
        as_(ENGINEER_850, lambda: data.dfe903_issues("850"))
        as_(WHO["manager"], lambda: data.placement_locations("850"))
        with pytest.raises(NotAllowed):
            as_(ENGINEER_850, lambda: data.dfe903_issues("851"))
    finally:
        use_log(None)
    rows = {(r["what"], r["la"], r["result"], r["rows"]) for r in log.search(limit=50)}
    assert ("dfe903_rows", "850", "allowed", 1) in rows
    assert ("placement_locations", "850", "allowed", 1) in rows
    assert ("dfe903_issues", "851", "denied", None) in rows
