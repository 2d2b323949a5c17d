"""Who the children are: IDs, sex, date of birth, ethnicity, UPN.

Rates are assumptions shaped on DfE national patterns (domain.md §4): children looked after
are mostly White British outside London, UASC are mostly older boys from Afghanistan, the
Horn of Africa, Iran/Iraq, Albania and Vietnam.
"""

from __future__ import annotations

import random

from pipelines.lib.codesets import UPN_CHECK_LETTERS, upn_check_letter
from pipelines.synth.dates import NEVER, add_years, d, to_date

_ETHNIC_SHIRE = {
    "WBRI": 77,
    "WIRI": 0.3,
    "WOTH": 3,
    "WIRT": 0.6,
    "WROM": 0.4,
    "MWBC": 3,
    "MWBA": 1,
    "MWAS": 1,
    "MOTH": 3,
    "AIND": 0.5,
    "APKN": 0.5,
    "ABAN": 0.2,
    "AOTH": 1,
    "BCRB": 0.6,
    "BAFR": 1.5,
    "BOTH": 0.5,
    "CHNE": 0.2,
    "OOTH": 1,
    "REFU": 0.3,
    "NOBT": 0.8,
}
_ETHNIC_LONDON = {
    "WBRI": 30,
    "WIRI": 1,
    "WOTH": 9,
    "WIRT": 0.5,
    "WROM": 1,
    "MWBC": 8,
    "MWBA": 3,
    "MWAS": 2,
    "MOTH": 7,
    "AIND": 1.5,
    "APKN": 1.5,
    "ABAN": 2,
    "AOTH": 3,
    "BCRB": 8,
    "BAFR": 9,
    "BOTH": 5,
    "CHNE": 0.5,
    "OOTH": 5,
    "REFU": 0.5,
    "NOBT": 1,
}
_ETHNIC_UASC = {"BAFR": 33, "AOTH": 26, "OOTH": 20, "WOTH": 10, "BOTH": 5, "MOTH": 3, "NOBT": 3}


def _table(weights: dict[str, float]) -> tuple[list[str], list[float]]:
    return list(weights), list(weights.values())


ETHNIC_SHIRE = _table(_ETHNIC_SHIRE)
ETHNIC_LONDON = _table(_ETHNIC_LONDON)
ETHNIC_UASC = _table(_ETHNIC_UASC)


def pick(rng: random.Random, table: tuple[list[str], list[float]]) -> str:
    return rng.choices(table[0], table[1])[0]


class Ids:
    """Child IDs: 7-digit case-system numbers, unique within the LA, in a scrambled order."""

    def __init__(self, rng: random.Random) -> None:
        self._offset = rng.randrange(9_000_000)
        self._next = 0

    def new(self) -> str:
        i = self._next
        self._next += 1
        return str(1_000_000 + (i * 7_919 + self._offset) % 9_000_000)


def birth_date(rng: random.Random, on: int, age_years: float) -> int:
    """A date of birth making the child ``age_years`` old on ``on`` (never 29 February)."""
    dob = on - int(age_years * 365.25) - rng.randrange(0, 2)
    day = to_date(dob)
    if day.month == 2 and day.day == 29:
        dob -= 1
    return dob


def upn_for(rng: random.Random, la_code: str, dob: int) -> str:
    """A well-formed UPN: check letter, LA, school, year of allocation, serial (1 % temporary)."""
    la = la_code if rng.random() < 0.85 else str(rng.randrange(201, 944))
    school = f"{rng.randrange(2000, 7000):04d}"
    year = f"{(to_date(dob).year + 4) % 100:02d}"
    serial = f"{rng.randrange(0, 1000):03d}"
    if rng.random() < 0.01:
        serial = serial[:2] + rng.choice(UPN_CHECK_LETTERS)
    body = la + school + year + serial
    return upn_check_letter(body) + body


def school_start(dob: int) -> int:
    """1 September after the fourth birthday: when a child usually gets a UPN."""
    fourth = to_date(add_years(dob, 4))
    return d(fourth.year + (fourth.month >= 9), 9, 1)


def assign_upn(rng: random.Random, child, la_code: str, arrival: int) -> None:
    """UPN and the date it is known from; UASC are UN2 until they have been in school."""
    child.upn = upn_for(rng, la_code, child.dob)
    if child.uasc:
        child.upn_before = "UN2"
        child.upn_from = arrival + rng.randrange(90, 240) if rng.random() < 0.6 else NEVER
    else:
        child.upn_before = "UN1"
        child.upn_from = school_start(child.dob) + (0 if rng.random() < 0.95 else 400)
