"""English local authorities: DfE LA codes, names, relative sizes and districts.

Codes and names are the DfE (old LEA) codes of the 153 authorities that make a children's
looked-after return since April 2023. Sizes are *not* published figures: each LA's volume
is Hampshire's (850, factor 1.0) times a factor drawn deterministically from its code within
a band for its kind (county, metropolitan, London, unitary), except for Hampshire and its
neighbours, whose factors are set by hand from their relative size (domain.md §7).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from pipelines.lib.la_codes import la_codes
from pipelines.synth.la_codes import KINDS

#: DfE code -> name, from the one list of LAs (the seed ``la_ons_codes``).
NAMES: dict[str, str] = {code: la.la_name for code, la in sorted(la_codes().items())}
ALL_CODES: tuple[str, ...] = tuple(sorted(NAMES))

#: Size bands (relative to Hampshire) by kind.
_BANDS = {
    "county": (0.35, 0.85),
    "met": (0.14, 0.55),
    "london": (0.08, 0.28),
    "unitary": (0.07, 0.27),
}
#: Hand-set factors: Hampshire and neighbours (domain.md §7), and a few very large or tiny LAs.
_FIXED = {
    "850": 1.0,
    "851": 0.24,
    "852": 0.3,
    "921": 0.14,
    "330": 1.05,
    "886": 1.05,
    "881": 0.55,
    "888": 1.0,
    "201": 0.02,
    "420": 0.01,
    "857": 0.03,
}

#: Hampshire's districts (domain.md §7): name, Census 2021 population, need index (an
#: assumption: relative rate of social-care involvement per head, higher where deprivation
#: is higher), and the district council's ONS code (its postcodes are the district's homes).
HAMPSHIRE_DISTRICTS: tuple[tuple[str, int, float, str], ...] = (
    ("Basingstoke and Deane", 185_200, 1.05, "E07000084"),
    ("East Hampshire", 125_700, 0.75, "E07000085"),
    ("Eastleigh", 136_000, 0.95, "E07000086"),
    ("Fareham", 114_500, 0.8, "E07000087"),
    ("Gosport", 81_900, 1.6, "E07000088"),
    ("Hart", 100_000, 0.5, "E07000089"),
    ("Havant", 124_200, 1.6, "E07000090"),
    ("New Forest", 176_000, 0.9, "E07000091"),
    ("Rushmoor", 100_000, 1.35, "E07000092"),
    ("Test Valley", 131_000, 0.85, "E07000093"),
    ("Winchester", 127_000, 0.65, "E07000094"),
)

#: Localities of the neighbours (names are plausible, not official) and their outward codes.
_NEIGHBOUR_DISTRICTS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "851": (("North", ("PO2", "PO3", "PO6")), ("Central", ("PO1", "PO5")), ("South", ("PO4",))),
    "852": (("East", ("SO18", "SO19")), ("Central", ("SO14", "SO15", "SO17")), ("West", ("SO16",))),
    "921": (
        ("Medina", ("PO30", "PO31")),
        ("East Wight", ("PO33", "PO34", "PO35", "PO36", "PO37")),
        ("West Wight", ("PO38", "PO39", "PO40", "PO41")),
    ),
}
#: Other LAs' localities, named by compass point (their homes lie in that part of the LA).
_GENERIC_LOCALITIES = ("North", "South", "East", "West", "Central", "North East", "South West")


def _unit(code: str, salt: str) -> float:
    """A number in [0, 1) fixed by the LA code (not Python's salted hash)."""
    digest = hashlib.sha256(f"{code}:{salt}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass(frozen=True)
class District:
    """A locality of an LA. Its homes (pipelines/synth/places.py) are the postcodes of its
    lower-tier LAs (``lads``), else of its outward codes (``outward``), else of the part of
    the LA its compass-point name says."""

    name: str
    population: int
    need: float
    lads: tuple[str, ...] = ()
    outward: tuple[str, ...] = ()


@dataclass(frozen=True)
class Authority:
    code: str
    name: str
    size: float
    districts: tuple[District, ...]

    @property
    def is_hampshire(self) -> bool:
        return self.code == "850"


def size_factor(code: str) -> float:
    if code in _FIXED:
        return _FIXED[code]
    low, high = _BANDS[KINDS[code]]
    return round(low + (high - low) * _unit(code, "size"), 3)


def authority(code: str) -> Authority:
    """The built-in description of LA ``code``; KeyError names an unknown code."""
    if code not in NAMES:
        raise KeyError(f"{code} is not a DfE LA code this generator knows")
    if code == "850":
        districts = tuple(District(n, p, k, lads=(lad,)) for n, p, k, lad in HAMPSHIRE_DISTRICTS)
    elif code in _NEIGHBOUR_DISTRICTS:
        districts = tuple(
            District(n, 80_000, 0.9 + 0.3 * _unit(code, n), outward=pc)
            for n, pc in _NEIGHBOUR_DISTRICTS[code]
        )
    else:
        districts = _generic_districts(code)
    return Authority(code, NAMES[code], size_factor(code), districts)


def _generic_districts(code: str) -> tuple[District, ...]:
    count = 3 + int(_unit(code, "n") * 4)  # 3 to 6 localities
    start = int(_unit(code, "start") * len(_GENERIC_LOCALITIES))
    out = []
    for i in range(count):
        name = _GENERIC_LOCALITIES[(start + i) % len(_GENERIC_LOCALITIES)]
        out.append(District(name, 60_000, 0.7 + 0.6 * _unit(code, name)))
    return tuple(out)


def parse_la_list(text: str) -> tuple[str, ...]:
    """``"850,851"`` or ``"all"`` -> sorted unique codes; ValueError names a bad code."""
    if text.strip().lower() == "all":
        return ALL_CODES
    codes = []
    for part in text.split(","):
        code = part.strip()
        if not code:
            continue
        if code not in NAMES:
            raise ValueError(f"unknown DfE LA code {code!r} (use a 3-digit code, or 'all')")
        codes.append(code)
    if not codes:
        raise ValueError("no LA code given")
    return tuple(sorted(set(codes)))
