"""The DfE 903 validator runner (pipelines/lib/dfe903.py), on small hand-made returns.

The validator runs for real, in its own environment (.venv-903, ``make validator``): each
test plants a known break and finds it at the row it was planted in.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.lib import dfe903
from pipelines.lib.dfe903_known import KNOWN_CRASHES, KNOWN_FALSE_POSITIVES

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
    "PL_POST,URN\n"
)
OC2 = (
    "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,"
    "HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED\n"
)
MISSING = "CHILD,DOB,MISSING,MIS_START,MIS_END\n"
OC3 = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n"
#: Real postcodes (ONS Postcode Directory): Winchester (Hampshire), Basingstoke (Hampshire),
#: Harrogate (North Yorkshire, a unitary since 2023).
WINCHESTER, BASINGSTOKE, HARROGATE = "SO23 8UJ", "RG21 4AH", "HG1 2RQ"


def _return(root: Path, episodes: list[str], oc2: list[str] = (), header_extra: str = "") -> Path:
    folder = root / "850" / "ssda903" / "2024-25" / "2025-05-31"
    folder.mkdir(parents=True)
    children = sorted({row.split(",")[0] for row in episodes})
    (folder / "header.csv").write_text(
        HEADER + "".join(f"{c},M,01/06/2015,WBRI,UN1,,\n" for c in children), encoding="utf-8"
    )
    (folder / "episodes.csv").write_text(EPISODES + "".join(episodes), encoding="utf-8")
    (folder / "oc2.csv").write_text(OC2 + "".join(oc2), encoding="utf-8")
    (folder / "missing.csv").write_text(MISSING, encoding="utf-8")
    (folder / "oc3.csv").write_text(OC3, encoding="utf-8")
    return folder


def _episode(child: str, pl_post: str, place: str = "U4", provider: str = "PR1") -> str:
    return f"{child},01/06/2024,S,C2,N1,{place},{provider},,,,{WINCHESTER},{pl_post},SC123456\n"


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> dfe903.ValidationRun:
    """A return with four planted breaks (and one rule-free row)."""
    root = tmp_path_factory.mktemp("planted")
    folder = _return(
        root,
        [
            _episode("C1", BASINGSTOKE),  # fine
            _episode("C2", "ZZ9 9ZZ"),  # not a postcode: 392c, and no LA of placement (169)
            _episode("C3", HARROGATE),  # North Yorkshire: 169 is a known false positive
            _episode("C4", BASINGSTOKE, place="K2"),  # K2 own provision inside the LA: fine
        ],
        oc2=[
            # aged 9 at 31 March 2025 with a conviction flag: rule 542 (line 2 of oc2.csv)
            "C1,01/06/2015,12,,0,,1,1,1,0,,\n",
        ],
    )
    return dfe903.validate_return(folder, "850")


def test_a_planted_break_is_found_at_its_rule_table_child_and_line(planted):
    found = {(f.rule, f.table, f.child, f.row) for f in planted.findings}
    assert ("542", "oc2", "C1", 2) in found
    assert ("392c", "episodes", "C2", 3) in found
    assert planted.collection_year == "2024-25" and planted.ruleset == "lac2024_25"
    assert planted.la_ons_code == "E10000014"
    assert planted.validator_version == dfe903.VALIDATOR_VERSION
    assert planted.previous is None  # no 2023-24 folder beside it


def test_clean_rows_are_not_flagged(planted):
    assert not [f for f in planted.findings if f.child in ("C1", "C4") and f.table == "episodes"]


def test_a_known_false_positive_is_reported_marked_and_left_out_of_failing(planted):
    by_child = {f.child: f for f in planted.findings if f.rule == "169"}
    assert by_child["C3"].known_false_positive  # Harrogate: North Yorkshire since 2023
    assert by_child["C2"].known_false_positive is None  # a made-up postcode is a real finding
    assert planted.failing()["169"] == 1
    assert planted.failing(include_known=True)["169"] == 2


def test_rules_that_crash_are_reported_as_not_run_and_the_rest_still_report(planted):
    not_run = {r.code: r.error for r in planted.not_run}
    assert not_run.keys() == {"231"}  # 2024-25 has 231, not 233
    assert "UASC_STATUS" in not_run["231"]
    assert planted.unexpected_crashes == []
    assert set(KNOWN_CRASHES) >= not_run.keys()
    statuses = {r.status for r in planted.rules.values()}
    assert statuses == {"passed", "failed", "skipped", "not_run"}
    assert len(planted.rules) == 305  # the 2024-25 ruleset


def test_rows_are_json_rows_with_status_rule_table_child_row_and_message(planted):
    rows = planted.rows()
    finding = next(r for r in rows if r["rule"] == "542")
    assert finding["status"] == "failed" and finding["table"] == "oc2"
    assert finding["child"] == "C1" and finding["row"] == 2
    assert "under 10" in finding["message"]
    crashed = next(r for r in rows if r["status"] == "not_run")
    assert crashed["rule"] == "231" and "not run" in crashed["message"]


def test_headers_are_matched_like_the_contract_and_lines_survive_blank_rows(tmp_path):
    folder = _return(tmp_path, [_episode("C1", BASINGSTOKE)])
    episodes = folder / "episodes.csv"
    lines = episodes.read_text(encoding="utf-8").splitlines()
    # lower-case names with spaces, an extra column, a BOM, CRLF and a blank line
    header = ",".join(f" {c.lower()} " for c in lines[0].split(",")) + ",NOTES"
    bad = _episode("C2", "ZZ9 9ZZ").strip()
    text = "\r\n".join([header, lines[1] + ",x", "", bad + ",y"]) + "\r\n"
    episodes.write_bytes(b"\xef\xbb\xbf" + text.encode())
    run = dfe903.validate_return(folder, "850", previous=False)
    assert {(f.child, f.row) for f in run.findings if f.rule == "392c"} == {("C2", 4)}
    note = next(f for f in run.files if f["file"] == "episodes.csv")
    assert note["rows"] == 2 and "NOTES" in note["note"]


def test_the_previous_year_is_found_beside_the_folder(tmp_path):
    folder = _return(tmp_path, [_episode("C1", BASINGSTOKE)])
    older = folder.parent.parent / "2023-24"
    (older / "2024-03-31").mkdir(parents=True)
    (older / "2024-05-31").mkdir()
    assert dfe903.previous_return(folder) == older / "2024-05-31"
    assert dfe903.previous_return(older / "2024-05-31") is None


def test_a_missing_environment_says_how_to_make_it(monkeypatch, tmp_path):
    monkeypatch.setenv("CSC_DFE903_PYTHON", str(tmp_path / "nowhere" / "python"))
    with pytest.raises(dfe903.ValidatorUnavailable, match="make validator"):
        dfe903.validate_return(tmp_path, "850", collection_year="2024-25", previous=False)


def test_a_folder_the_validator_cannot_read_fails_with_its_reason(tmp_path):
    empty = tmp_path / "850" / "ssda903" / "2024-25" / "2025-05-31"
    empty.mkdir(parents=True)
    with pytest.raises(dfe903.ValidatorFailed, match="No SSDA 903 files"):
        dfe903.validate_return(empty, "850")


def test_every_documented_false_positive_names_a_rule_of_a_ruleset_and_a_reason(planted):
    codes = {fp.rule for fp in KNOWN_FALSE_POSITIVES}
    assert len(codes) == len(KNOWN_FALSE_POSITIVES)  # one entry per rule
    assert all(len(fp.reason) > 60 for fp in KNOWN_FALSE_POSITIVES)
    assert all(fp.condition_text for fp in KNOWN_FALSE_POSITIVES if fp.condition)
    # 2024-25's ruleset has most of them (SW17STG2, 241 and 218 are 2025-26 rules)
    assert codes - set(planted.rules) <= {"SW17STG2", "241", "SW11aSTG2"}


def test_in_year_false_positives_hold_only_for_what_the_unfinished_year_explains():
    from datetime import date

    from pipelines.lib.dfe903_known import IN_YEAR_FALSE_POSITIVES

    known = {fp.rule: fp for fp in IN_YEAR_FALSE_POSITIVES}
    assert all(len(fp.reason) > 60 and fp.condition_text for fp in IN_YEAR_FALSE_POSITIVES)
    as_at = date(2026, 5, 31)
    header = [{"CHILD": "C1", "DOB": "15/09/2008"}]  # 18 on 15 September 2026

    def child(table):
        return header if table == "header" else []

    open_episode = {"CHILD": "C1", "DECOM": "01/01/2025", "DEC": ""}
    assert known["359"].holds(open_episode, child, as_at)  # not 18 yet on 31 May
    assert not known["359"].holds(open_episode, child, date(2026, 10, 31))  # 18 by then
    assert not known["359"].holds({**open_episode, "DEC": "01/05/2026"}, child, as_at)
    short_break = {"CHILD": "C1", "DECOM": "20/05/2026", "DEC": "", "LS": "V3"}
    assert known["365"].holds(short_break, child, as_at)  # 11 days so far
    assert not known["365"].holds({**short_break, "DECOM": "01/05/2026"}, child, as_at)
    assert not known["359"].holds(open_episode, child, None)  # a final return: never


def test_a_folder_named_by_a_date_before_31_march_is_in_year():
    from datetime import date

    folder = Path("850/ssda903/2026-27/2026-11-30")
    assert dfe903.in_year_date(folder, "2026-27") == date(2026, 11, 30)
    assert dfe903.in_year_date(Path("850/ssda903/2025-26/2026-05-31"), "2025-26") is None
    assert dfe903.in_year_date(Path("elsewhere/final"), "2025-26") is None
