"""The input data contract (``shared/spec/data-contract.md``) as data.

One place says which tables exist, which columns each must have, which are dates and
which files are required. The loader, the synthetic generator, the data-quality suites
and the dbt sources all read this module, so a change to the contract is made once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Source = Literal["ssda903", "local"]

#: Date formats accepted in any date column (DfE's dd/mm/yyyy, and ISO).
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class IdPattern:
    """What an identifier column may hold: the whole value (after trimming) matches ``regex``."""

    regex: str
    description: str  # in words, for messages and the docs
    source: str  # who says so

    @property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.regex)


#: Identifier columns and their patterns. A value that does not match is a row-level error
#: (rules ``CSC-<TABLE>-ID-FORMAT`` in ``expectations/suites``): a space, comma, quote or
#: line break in an ID makes a second child (or worker, or team) in every join and breaks
#: every export. Cross-year changes of an ID's shape are warnings (``CSC-HEADER-ID-*``).
ID_PATTERNS: dict[str, IdPattern] = {
    # The DfE's CHILD (and the CIN census' LAchildID): the LA's own ID, alphanumeric, at
    # most 10 characters. Kept exactly: letters are matched as written (C1 is not c1).
    "child": IdPattern(
        r"[A-Za-z0-9]{1,10}",
        "1 to 10 letters or digits (A-Z, a-z, 0-9), nothing else",
        "DfE SSDA903 / CIN census: CHILD is the LA's alphanumeric child ID, up to 10 characters",
    ),
    # SW_ID is the same in workers.csv, allocations.csv and the 903 sw_episodes.csv, where
    # the DfE expects a Social Work England registration number ('SW' + digits) or 'XX...'
    # (rule SW02STG1, checked on sw_episodes as a warning). Our reading: alphanumeric.
    "sw_id": IdPattern(
        r"[A-Za-z0-9]{1,20}",
        "1 to 20 letters or digits (A-Z, a-z, 0-9), nothing else",
        "DfE SSDA903 SW_ID (SW02STG1) and this project's data contract (local tables)",
    ),
    # TEAM_ID is local (teams.csv, workers.csv): the council's own team code.
    "team_id": IdPattern(
        r"[A-Za-z0-9][A-Za-z0-9_-]{0,19}",
        "1 to 20 letters, digits, '-' or '_', starting with a letter or digit",
        "this project's data contract (local tables)",
    ),
}

#: The warehouse schema that holds the raw rows of each source.
RAW_SCHEMA: dict[str, str] = {"ssda903": "raw_ssda903", "local": "raw_local"}

#: Lineage columns the loader adds to every raw table, in this order.
LINEAGE_COLUMNS: dict[Source, tuple[str, ...]] = {
    "ssda903": ("la_code", "collection_year", "extract_date", "source_file", "source_row"),
    "local": ("la_code", "extract_date", "source_file", "source_row"),
}


@dataclass(frozen=True)
class TableSpec:
    """One CSV file of the contract."""

    source: Source
    name: str
    columns: tuple[str, ...]
    date_columns: tuple[str, ...] = ()
    required_file: bool = False
    description: str = ""

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def raw_table(self) -> str:
        """Fully qualified raw table, e.g. ``raw_ssda903.episodes``."""
        return f"{RAW_SCHEMA[self.source]}.{self.name}"

    @property
    def asset_key(self) -> list[str]:
        """Dagster asset key; equals dagster-dbt's key of ``source('<source>', '<name>')``."""
        return [self.source, self.name]


def _t(
    source: Source,
    name: str,
    columns: str,
    dates: str = "",
    required: bool = False,
    description: str = "",
) -> TableSpec:
    return TableSpec(
        source=source,
        name=name,
        columns=tuple(c.strip() for c in columns.split(",")),
        date_columns=tuple(c.strip() for c in dates.split(",") if c.strip()),
        required_file=required,
        description=description,
    )


SSDA903_TABLES: tuple[TableSpec, ...] = (
    _t(
        "ssda903",
        "header",
        "CHILD, SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB",
        "DOB, MC_DOB",
        True,
        "Every child looked after in the year plus every care leaver in the OC3 cohort.",
    ),
    _t(
        "ssda903",
        "episodes",
        "CHILD, DECOM, RNE, LS, CIN, PLACE, PLACE_PROVIDER, DEC, REC, REASON_PLACE_CHANGE, "
        "HOME_POST, PL_POST, URN",
        "DECOM, DEC",
        True,
        "Every episode of care open at any time in the year.",
    ),
    _t(
        "ssda903",
        "reviews",
        "CHILD, DOB, REVIEW, REVIEW_CODE",
        "DOB, REVIEW",
        description="Statutory reviews held in the year.",
    ),
    _t(
        "ssda903",
        "missing",
        "CHILD, DOB, MISSING, MIS_START, MIS_END",
        "DOB, MIS_START, MIS_END",
        True,
        "Missing (M) and away (A) episodes from care that started or were open in the year.",
    ),
    _t(
        "ssda903",
        "oc2",
        "CHILD, DOB, SDQ_SCORE, SDQ_REASON, CONVICTED, HEALTH_CHECK, IMMUNISATIONS, TEETH_CHECK, "
        "HEALTH_ASSESSMENT, SUBSTANCE_MISUSE, INTERVENTION_RECEIVED, INTERVENTION_OFFERED",
        "DOB",
        description="Children looked after continuously for 12 months at 31 March.",
    ),
    _t(
        "ssda903",
        "oc3",
        "CHILD, DOB, IN_TOUCH, ACTIV, ACCOM",
        "DOB",
        True,
        "Care leavers whose 17th to 21st birthday falls in the year.",
    ),
    _t(
        "ssda903",
        "uasc",
        "CHILD, SEX, DOB, DUC",
        "DOB, DUC",
        description="Unaccompanied asylum-seeking children.",
    ),
    _t(
        "ssda903",
        "ad1",
        "CHILD, DOB, DATE_INT, DATE_MATCH, FOSTER_CARE, NB_ADOPTR, SEX_ADOPTR, LS_ADOPTR",
        "DOB, DATE_INT, DATE_MATCH",
        description="Adoptions.",
    ),
    _t(
        "ssda903",
        "placed_for_adoption",
        "CHILD, DOB, DATE_PLACED, DATE_PLACED_CEASED, REASON_PLACED_CEASED",
        "DOB, DATE_PLACED, DATE_PLACED_CEASED",
        description="Children placed for adoption.",
    ),
    _t(
        "ssda903",
        "previous_permanence",
        "CHILD, DOB, PREV_PERM, LA_PERM, DATE_PERM",
        "DOB",
        description="Previous permanence arrangements. DATE_PERM may be partial, so it is text.",
    ),
    _t(
        "ssda903",
        "sw_episodes",
        "CHILD, DOB, SW_ID, SW_DECOM, SW_DEC, SW_REASON",
        "DOB, SW_DECOM, SW_DEC",
        description="Social worker episodes (from 2023-24).",
    ),
)

LOCAL_TABLES: tuple[TableSpec, ...] = (
    _t(
        "local",
        "teams",
        "TEAM_ID, TEAM_NAME, DISTRICT, SERVICE",
        description="Teams, each in a district or County.",
    ),
    _t(
        "local",
        "workers",
        "SW_ID, TEAM_ID, ROLE, FTE, AGENCY, START_DATE, END_DATE",
        "START_DATE, END_DATE",
        description="One row per worker spell in a team.",
    ),
    _t(
        "local",
        "allocations",
        "CHILD, SW_ID, CASE_TYPE, ALLOC_START, ALLOC_END",
        "ALLOC_START, ALLOC_END",
        description="One row per allocation of a child to a worker.",
    ),
    _t(
        "local",
        "missing_from_home",
        "CHILD, DOB, MISSING, MIS_START, MIS_END",
        "DOB, MIS_START, MIS_END",
        description="Missing and away episodes of children not looked after at the time.",
    ),
    _t(
        "local",
        "return_interviews",
        "CHILD, MIS_START, OFFERED, OFFERED_DATE, ACCEPTED, RHI_DATE",
        "MIS_START, OFFERED_DATE, RHI_DATE",
        description="One row per missing episode with a return home interview record.",
    ),
    _t(
        "local",
        "peps",
        "CHILD, PEP_DATE, PEP_TYPE, STATUS, QUALITY",
        "PEP_DATE",
        description="One row per Personal Education Plan meeting.",
    ),
)

ALL_TABLES: tuple[TableSpec, ...] = SSDA903_TABLES + LOCAL_TABLES
TABLES_BY_KEY: dict[tuple[str, str], TableSpec] = {(t.source, t.name): t for t in ALL_TABLES}


def table_spec(source: str, name: str) -> TableSpec:
    """The spec of ``<source>/<name>``; KeyError names the unknown table."""
    try:
        return TABLES_BY_KEY[(source, name)]
    except KeyError:
        raise KeyError(f"{source}/{name}.csv is not a table of the data contract") from None
