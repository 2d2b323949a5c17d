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

from pipelines.synth.la_codes import LAS

NAMES: dict[str, str] = {code: name for code, name, _ in LAS}
KINDS: dict[str, str] = {code: kind for code, _, kind in LAS}
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
#: is higher), postcode districts.
HAMPSHIRE_DISTRICTS: tuple[tuple[str, int, float, tuple[str, ...]], ...] = (
    ("Basingstoke and Deane", 185_200, 1.05, ("RG21", "RG22", "RG23", "RG24", "RG26", "RG28")),
    ("East Hampshire", 125_700, 0.75, ("GU30", "GU31", "GU32", "GU33", "GU34", "GU35")),
    ("Eastleigh", 136_000, 0.95, ("SO50", "SO53", "SO30", "SO31")),
    ("Fareham", 114_500, 0.8, ("PO14", "PO15", "PO16", "PO17")),
    ("Gosport", 81_900, 1.6, ("PO12", "PO13")),
    ("Hart", 100_000, 0.5, ("GU51", "GU52", "GU46", "RG27")),
    ("Havant", 124_200, 1.6, ("PO7", "PO8", "PO9", "PO10", "PO11")),
    ("New Forest", 176_000, 0.9, ("SO40", "SO41", "SO42", "SO43", "SO45", "BH24", "BH25")),
    ("Rushmoor", 100_000, 1.35, ("GU11", "GU12", "GU14")),
    ("Test Valley", 131_000, 0.85, ("SP10", "SP11", "SO51", "SO20")),
    ("Winchester", 127_000, 0.65, ("SO21", "SO22", "SO23", "SO24", "SO32")),
)

#: Localities of the neighbours (names are plausible, not official).
_NEIGHBOUR_DISTRICTS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "851": (("North", ("PO2", "PO3", "PO6")), ("Central", ("PO1", "PO5")), ("South", ("PO4",))),
    "852": (("East", ("SO18", "SO19")), ("Central", ("SO14", "SO15", "SO17")), ("West", ("SO16",))),
    "921": (
        ("Medina", ("PO30", "PO31")),
        ("East Wight", ("PO33", "PO34", "PO35", "PO36", "PO37")),
        ("West Wight", ("PO38", "PO39", "PO40", "PO41")),
    ),
}
_GENERIC_LOCALITIES = ("North", "South", "East", "West", "Central", "North East", "South West")
#: Postal areas used for made-up postcodes of other LAs (not geographically accurate).
_GENERIC_AREAS = (
    "LS",
    "BD",
    "NG",
    "LE",
    "CV",
    "ST",
    "PR",
    "CH",
    "EX",
    "TR",
    "NR",
    "IP",
    "ME",
    "CT",
    "SS",
    "CM",
    "OX",
    "GL",
    "BS",
    "BA",
    "DT",
    "TA",
    "LN",
    "HU",
    "YO",
    "DL",
)
#: Out-of-area postcode districts for placements outside the LA.
OUT_OF_AREA = (
    "BH1",
    "BH8",
    "SP1",
    "SP2",
    "GU1",
    "GU15",
    "RG1",
    "RG14",
    "BN1",
    "BN11",
    "SN1",
    "PO19",
    "PO21",
    "DT1",
    "BS5",
    "OX4",
    "ME4",
    "CT9",
    "TN34",
    "SE15",
)


def _unit(code: str, salt: str) -> float:
    """A number in [0, 1) fixed by the LA code (not Python's salted hash)."""
    digest = hashlib.sha256(f"{code}:{salt}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass(frozen=True)
class District:
    name: str
    population: int
    need: float
    postcodes: tuple[str, ...]


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
        districts = tuple(District(n, p, k, pc) for n, p, k, pc in HAMPSHIRE_DISTRICTS)
    elif code in _NEIGHBOUR_DISTRICTS:
        districts = tuple(
            District(n, 80_000, 0.9 + 0.3 * _unit(code, n), pc)
            for n, pc in _NEIGHBOUR_DISTRICTS[code]
        )
    else:
        districts = _generic_districts(code)
    return Authority(code, NAMES[code], size_factor(code), districts)


def _generic_districts(code: str) -> tuple[District, ...]:
    count = 3 + int(_unit(code, "n") * 4)  # 3 to 6 localities
    start = int(_unit(code, "start") * len(_GENERIC_LOCALITIES))
    area = _GENERIC_AREAS[int(_unit(code, "area") * len(_GENERIC_AREAS))]
    out = []
    for i in range(count):
        name = _GENERIC_LOCALITIES[(start + i) % len(_GENERIC_LOCALITIES)]
        postcodes = tuple(f"{area}{i * 4 + j + 1}" for j in range(3))
        out.append(District(name, 60_000, 0.7 + 0.6 * _unit(code, name), postcodes))
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
