"""SSDA903 and local code sets, by collection year.

The single source of truth for "which codes are valid in which column in which year". The
synthetic generator draws from it and the data-quality rules check against it, so that the
two can never disagree. Everything here is plain data plus a few small functions; nothing
reads files or the environment.

Sources: ``shared/reference/domain.md`` §1.3 (the DfE 903 validator's rule files, cited by
rule number below) and ``shared/spec/data-contract.md`` for the local tables.

Collection years are written ``YYYY-YY`` (``"2024-25"``) or as the integer year they start in
(``2024``); every function here accepts both.

Years outside the ones domain.md documents are handled as follows (an assumption, not a
DfE fact): years before 2022-23 use the 2022-23 lists; years after 2025-26 use the 2025-26
lists. 2023-24 uses the 2022-23 PLACE list (rule 146 is only re-issued for 2024-25), with
rule 217t on top (P2 not allowed after 28 Oct 2023).
"""

from __future__ import annotations

from datetime import date

# ----------------------------------------------------------------------------- years


def year_start(collection_year: int | str) -> int:
    """The calendar year a collection year starts in: ``"2024-25"`` -> ``2024``."""
    if isinstance(collection_year, int):
        return collection_year
    text = str(collection_year).strip()
    start = int(text[:4])
    if len(text) == 7 and text[4] == "-" and int(text[5:]) != (start + 1) % 100:
        raise ValueError(f"{collection_year!r} is not a collection year like 2024-25")
    return start


def year_label(collection_year: int | str) -> str:
    """``2024`` -> ``"2024-25"``."""
    start = year_start(collection_year)
    return f"{start}-{(start + 1) % 100:02d}"


def year_bounds(collection_year: int | str) -> tuple[date, date]:
    """First and last day of a collection year (1 April to 31 March)."""
    start = year_start(collection_year)
    return date(start, 4, 1), date(start + 1, 3, 31)


def year_of(day: date) -> int:
    """The collection year (as its start year) that contains ``day``."""
    return day.year if day.month >= 4 else day.year - 1


# ----------------------------------------------------------------------------- dates of rule changes

#: Rule 101: SEX is 1/2 up to 2023-24 and M/F/U from 2024-25.
SEX_MFU_FROM = 2024
#: Rule 217t: P2 (independent living) is invalid for episodes open after this date.
P2_LAST_DAY = date(2023, 10, 28)
#: Rule 146 (2024-25): K3 (registered supported accommodation) is valid from 2024-25.
K3_FROM = 2024
#: 2025-26 PLACE list: H5, P2 and Z1 removed, Z11–Z14 added; rule 178 (2025-26): blank
#: PLACE_PROVIDER for T0–T3 and Z11–Z14.
PLACE_2025_FROM = 2025
#: SWEpisodes (sw_episodes.csv) is collected from 2023-24.
SW_EPISODES_FROM = 2023

# ----------------------------------------------------------------------------- 903 code lists


def _fs(codes: str) -> frozenset[str]:
    return frozenset(codes.split())


#: Rule 103.
ETHNIC = _fs(
    "WBRI WIRI WOTH WIRT WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH "
    "CHNE OOTH REFU NOBT"
)
#: Rule 143.
RNE = _fs("S L P T B U")
#: Rule 144.
LS = _fs("C1 C2 D1 E1 V2 V3 V4 J1 J2 J3 L1 L2 L3")
#: Legal statuses of short breaks, which DfE statistics and our KPIs leave out.
SHORT_BREAK_LS = _fs("V3 V4")
#: Rule 145.
CIN = _fs("N1 N2 N3 N4 N5 N6 N7 N8")
#: Rule 146 (2022-23; also used for 2023-24 and earlier years).
PLACE_2022 = _fs("A3 A4 A5 A6 H5 K1 K2 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1")
#: Rule 146 (2024-25): adds K3 (the rule file writes it ``k3``, a typo).
PLACE_2024 = PLACE_2022 | {"K3"}
#: 2025-26 list: no H5, P2, Z1; adds Z11–Z14.
PLACE_2025 = _fs(
    "A3 A4 A5 A6 K1 K2 K3 P1 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z11 Z12 Z13 Z14"
)
#: Placement types that are temporary moves (rules 225/226: no REASON_PLACE_CHANGE around them).
TEMPORARY_PLACE = _fs("T0 T1 T2 T3 T4")
#: Placed for adoption (long-term stability counts these as stable).
ADOPTION_PLACE = _fs("A3 A4 A5 A6")
#: Rule 178.
PLACE_PROVIDER = _fs("PR0 PR1 PR2 PR3 PR4 PR5")
#: Rule 178 (to 2024-25): PLACE_PROVIDER must be blank for these placement types. (The rule
#: file ``lac2022_23/rule_178.py`` lists them; domain.md §1.3 mentions only the 2025-26 list.)
PROVIDER_BLANK_2022 = _fs("T0 T1 T2 T3 T4 Z1")
#: Rule 178 (2025-26): PLACE_PROVIDER must be blank for these placement types.
PROVIDER_BLANK_2025 = _fs("T0 T1 T2 T3 Z11 Z12 Z13 Z14")
#: Rules 527/528: PR1/PR2 never with these placements. Rule 550: PR0 only with P1.
PROVIDER_NOT_LA = _fs("P1 R2 R5")
#: Rules 218/222: placement types with no Ofsted URN (URN is ``XXXXXXX`` or blank).
NO_URN_PLACE = _fs("H5 P1 P2 P3 R1 R2 R5 T0 T1 T2 T3 T4 Z1 Z11 Z12 Z13 Z14")
#: The URN written when none applies.
URN_NOT_APPLICABLE = "XXXXXXX"
#: Rule 149.
REC = _fs("X1 E11 E12 E2 E3 E4A E4B E13 E41 E45 E46 E47 E48 E5 E6 E7 E8 E9 E14 E15 E16 E17")
#: Rule 149 groups used by KPIs and the generator.
REC_ADOPTED = _fs("E11 E12")
REC_SGO = _fs("E45 E46 E47 E48")
#: Rule 1009.
REASON_PLACE_CHANGE = _fs(
    "CARPL CLOSE ALLEG STAND APPRR CREQB CREQO CHILD LAREQ PLACE CUSTOD OTHER"
)
#: Rule 167.
REVIEW_CODE = _fs("PN0 PN1 PN2 PN3 PN4 PN5 PN6 PN7")
#: Rule 1006.
MISSING = _fs("M A")
#: Rule 131.
IN_TOUCH = _fs("YES NO DIED REFU NREQ RHOM")
#: Rule 132 (F3/P3 are superseded but still valid in history).
ACTIV = _fs("F1 P1 F2 P2 F3 P3 F4 P4 F5 P5 G4 G5 G6 0")
ACTIV_EET = _fs("F1 P1 F2 P2 F3 P3 F4 P4 F5 P5")
ACTIV_NEET = _fs("G4 G5 G6")
#: Rule 133 (no S1 or X1: homeless and custody are never suitable).
ACCOM = _fs(
    "B1 B2 C1 C2 D1 D2 E1 E2 G1 G2 H1 H2 K1 K2 R1 R2 S2 T1 T2 U1 U2 V1 V2 W1 W2 X2 Y1 Y2 Z1 Z2 0"
)
#: Accommodation letters not allowed for 17-year-olds: Z (Staying Put) and, rule 347, T (foyer).
ACCOM_NOT_UNDER_18 = frozenset("ZT")
SDQ_REASON = _fs("SDQ1 SDQ2 SDQ3 SDQ4 SDQ5")
PREV_PERM = _fs("P1 P2 P3 P4 Z1")
REASON_PLACED_CEASED = _fs("RD1 RD2 RD3 RD4")
SEX_ADOPTR = _fs("M1 F1 MM FF MF")
LS_ADOPTR = _fs("L0 L11 L12 L2 L3 L4")
#: Rule SW13STG1 (2024-25). The reason a new social worker episode started.
SW_REASON = _fs("MANAGE FCONTA LEFTRL ORGRST TSPROC ABSENC CHCHAN PCCHAN SWDIED OTHERS")
#: UPN unknown codes (domain.md §1.2).
UPN_UNKNOWN = _fs("UN1 UN2 UN3 UN4 UN5")
#: 0/1 flags (MOTHER, OC2 health flags, FOSTER_CARE).
FLAG = _fs("0 1")
SEX_12 = _fs("1 2")
SEX_MFU = _fs("M F U")

# ----------------------------------------------------------------------------- local code lists

#: data-contract.md, teams.csv.
SERVICE = _fs("ASSESSMENT CHILD_IN_NEED CHILDREN_IN_CARE CARE_LEAVERS DISABILITY FAMILY_HELP")
#: data-contract.md, allocations.csv.
CASE_TYPE = _fs("CIN CP CLA CARE_LEAVER FAMILY_HELP")
#: DfE workforce census roles: 1 senior manager, 2 middle manager, 3 first-line manager,
#: 4 senior practitioner, 5 case holder, 6 qualified without cases (domain.md §4(d)).
ROLE = _fs("1 2 3 4 5 6")
CASE_HOLDING_ROLES = _fs("4 5")
PEP_TYPE = _fs("INITIAL REVIEW")
PEP_STATUS = _fs("COMPLETE IN_PROGRESS")
PEP_QUALITY = _fs("GOOD REQUIRES_IMPROVEMENT INADEQUATE")
YES_NO = _fs("Y N")

#: Which list a column uses, when that list does not change by year.
_STATIC: dict[str, frozenset[str]] = {
    "ETHNIC": ETHNIC,
    "RNE": RNE,
    "LS": LS,
    "CIN": CIN,
    "PLACE_PROVIDER": PLACE_PROVIDER,
    "REC": REC,
    "REASON_PLACE_CHANGE": REASON_PLACE_CHANGE,
    "REVIEW_CODE": REVIEW_CODE,
    "MISSING": MISSING,
    "IN_TOUCH": IN_TOUCH,
    "ACTIV": ACTIV,
    "ACCOM": ACCOM,
    "SDQ_REASON": SDQ_REASON,
    "PREV_PERM": PREV_PERM,
    "REASON_PLACED_CEASED": REASON_PLACED_CEASED,
    "SEX_ADOPTR": SEX_ADOPTR,
    "LS_ADOPTR": LS_ADOPTR,
    "SW_REASON": SW_REASON,
    "UPN_UNKNOWN": UPN_UNKNOWN,
    # 0/1 flag columns
    **dict.fromkeys(
        [
            "MOTHER",
            "CONVICTED",
            "HEALTH_CHECK",
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
            "FOSTER_CARE",
        ],
        FLAG,
    ),
    # local tables
    "SERVICE": SERVICE,
    "CASE_TYPE": CASE_TYPE,
    "ROLE": ROLE,
    "PEP_TYPE": PEP_TYPE,
    "STATUS": PEP_STATUS,
    "QUALITY": PEP_QUALITY,
    **dict.fromkeys(("AGENCY", "OFFERED", "ACCEPTED"), YES_NO),
}

#: Every column :func:`codes` knows.
CODED_COLUMNS: frozenset[str] = frozenset(_STATIC) | {"SEX", "PLACE"}


def codes(field: str, collection_year: int | str) -> frozenset[str]:
    """The valid codes of ``field`` (a contract column name) in ``collection_year``.

    Blank is never in the set: whether a column may be blank is a separate rule. Raises
    ``KeyError`` for a column that is not coded.
    """
    name = field.strip().upper()
    year = year_start(collection_year)
    if name == "SEX":
        return SEX_MFU if year >= SEX_MFU_FROM else SEX_12
    if name == "PLACE":
        if year >= PLACE_2025_FROM:
            return PLACE_2025
        return PLACE_2024 if year >= K3_FROM else PLACE_2022
    try:
        return _STATIC[name]
    except KeyError:
        raise KeyError(f"{field} is not a coded column") from None


# ----------------------------------------------------------------------------- rules across columns


def sex_code(sex: str, collection_year: int | str) -> str:
    """Write a child's sex (``M``/``F``/``U``) in the code of that year (rule 101)."""
    if year_start(collection_year) >= SEX_MFU_FROM:
        return sex
    return {"M": "1", "F": "2"}[sex]


#: Read either set of SEX codes as M/F/U (for loaders of several years).
SEX_AS_MFU: dict[str, str] = {"1": "M", "2": "F", "M": "M", "F": "F", "U": "U"}


def place_allowed(
    place: str, decom: date, dec: date | None, collection_year: int | str, as_at: date | None = None
) -> bool:
    """Is ``place`` valid for an episode ``decom``–``dec`` reported in ``collection_year``?

    Rule 146 (list by year) plus rule 217t (no P2 open after 28 Oct 2023). ``dec`` None
    means the episode was still open on ``as_at`` (the file's coverage end; by default the
    last day of the collection year).
    """
    if place not in codes("PLACE", collection_year):
        return False
    if place != "P2":
        return True
    last_open = dec if dec is not None else (as_at or year_bounds(collection_year)[1])
    return last_open <= P2_LAST_DAY


def provider_allowed(place: str, provider: str, collection_year: int | str) -> bool:
    """Is ``provider`` (blank allowed) valid with ``place`` in ``collection_year``?

    Rule 178 (codes; blank for T0–T4 and Z1 to 2024-25, for T0–T3 and Z11–Z14 from
    2025-26), rule 550 (PR0 only with P1) and rules 527/528 (PR1/PR2 never with P1, R2, R5).
    """
    year = year_start(collection_year)
    if place in (PROVIDER_BLANK_2025 if year >= PLACE_2025_FROM else PROVIDER_BLANK_2022):
        return provider == ""
    if provider == "":
        return True
    if provider not in PLACE_PROVIDER:
        return False
    if provider == "PR0" and place != "P1":
        return False
    return not (provider in ("PR1", "PR2") and place in PROVIDER_NOT_LA)


def accom_allowed(accom: str, age: int) -> bool:
    """Rule 133 code list, plus no Staying Put (Z) or foyer (T, rule 347) at 17."""
    if accom not in ACCOM:
        return False
    return not (age < 18 and accom[0] in ACCOM_NOT_UNDER_18)


def accom_suitable(accom: str) -> bool:
    """``ACCOM`` ending in 1 means suitable (2 unsuitable, 0 no information)."""
    return accom.endswith("1")


#: UPN check letters: the remainder mod 23 indexes this alphabet (no I, O, S).
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(body: str) -> str:
    """The DfE check letter for the 12 characters after it (positions 2–13 of a UPN).

    Each character is weighted by its position (2 to 13); a letter in position 13
    (temporary UPN) counts as its index in :data:`UPN_CHECK_LETTERS`.
    """
    if len(body) != 12:
        raise ValueError("a UPN body has 12 characters")
    total = 0
    for weight, ch in enumerate(body, start=2):
        total += weight * (int(ch) if ch.isdigit() else UPN_CHECK_LETTERS.index(ch))
    return UPN_CHECK_LETTERS[total % 23]


def upn_valid(upn: str) -> bool:
    """A 13-character UPN with a correct check letter, or a UN1–UN5 'unknown' code."""
    if upn in UPN_UNKNOWN:
        return True
    if len(upn) != 13 or not upn[1:12].isdigit():
        return False
    last = upn[12]
    if not (last.isdigit() or last in UPN_CHECK_LETTERS):
        return False
    return upn[0] == upn_check_letter(upn[1:])
