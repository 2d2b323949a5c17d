"""The input data contract (``shared/spec/data-contract.md``) as data.

One place says which tables exist, which columns each must have, which are dates and
which files are required. The loader, the synthetic generator, the data-quality suites
and the dbt sources all read this module, so a change to the contract is made once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Source = Literal["ssda903", "local"]

#: Date formats accepted in any date column (DfE's dd/mm/yyyy, and ISO).
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")

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
