"""The story built into the districts: how practice differs by district and year.

Every behavioural rate that the dashboard shows by district is set here, so the story can
be read (and changed) in one place; docs/synthetic-data.md tells it in words.

Hampshire (850):
- Havant improves year on year: its return-home-interview offer rate rises from about 48 %
  to 90 % and its 72-hour rate from about 30 % to 80 %.
- Rushmoor slips: termly PEP completion falls from about 92 % to 64 %, initial PEPs within
  10 working days from 86 % to 52 %, caseloads rise from 16 to 23.5 per FTE and the agency
  share from 12 % to 32 %.
- Winchester is the strong district throughout; Gosport the weak one.
- Every other district sits near the county rate with a small fixed offset.
Other LAs get the same shape: their first locality improves, the second slips, the rest sit
near the base with fixed offsets drawn from the LA's own random stream.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from pipelines.synth.authorities import Authority

COUNTY = "County"


@dataclass(frozen=True)
class Practice:
    """Rates for one district, each a tuple indexed by collection year (0 = first year)."""

    rhi_offer: tuple[float, ...]
    rhi_72h: tuple[float, ...]
    rhi_accept: float
    pep_term: tuple[float, ...]
    pep_initial: tuple[float, ...]
    caseload: tuple[float, ...]
    agency: tuple[float, ...]
    review_on_time: float

    def at(self, name: str, year_index: int) -> float:
        values = getattr(self, name)
        return values[min(year_index, len(values) - 1)]


#: The base rates (the county as a whole): assumptions tuned to domain.md §4 where a figure
#: exists (63 % of RHIs within 72 hours in England, 2023-24), otherwise to the brief. The
#: offer rate is of episodes with an RHI record; 5 % of episodes have none, so about 76 %
#: of due episodes show an offer.
BASE = {
    "rhi_offer": 0.8,
    "rhi_72h": 0.61,
    "rhi_accept": 0.7,
    "pep_term": 0.89,
    "pep_initial": 0.83,
    "caseload": 16.5,
    "agency": 0.13,
    "review_on_time": 0.9,
}

_TRENDS = ("rhi_offer", "rhi_72h", "pep_term", "pep_initial", "caseload", "agency")


def _ramp(first: float, last: float, n: int) -> tuple[float, ...]:
    if n == 1:
        return (last,)
    return tuple(round(first + (last - first) * i / (n - 1), 4) for i in range(n))


def _practice(n: int, **over: float | tuple[float, float]) -> Practice:
    values: dict[str, object] = {}
    for key, base in BASE.items():
        value = over.get(key, base)
        if key in _TRENDS:
            first, last = value if isinstance(value, tuple) else (value, value)
            values[key] = _ramp(first, last, n)
        else:
            values[key] = value
    return Practice(**values)  # type: ignore[arg-type]


def _near_base(rng: random.Random) -> dict[str, float]:
    return {
        "rhi_offer": BASE["rhi_offer"] + rng.uniform(-0.05, 0.05),
        "rhi_72h": BASE["rhi_72h"] + rng.uniform(-0.05, 0.05),
        "pep_term": BASE["pep_term"] + rng.uniform(-0.03, 0.03),
        "pep_initial": BASE["pep_initial"] + rng.uniform(-0.04, 0.04),
        "caseload": BASE["caseload"] + rng.uniform(-1.2, 1.2),
        "agency": BASE["agency"] + rng.uniform(-0.04, 0.04),
    }


IMPROVING = {"rhi_offer": (0.48, 0.9), "rhi_72h": (0.3, 0.8)}
SLIPPING = {
    "pep_term": (0.92, 0.64),
    "pep_initial": (0.86, 0.52),
    "caseload": (16.0, 23.5),
    "agency": (0.12, 0.32),
}
STRONG = {
    "rhi_offer": 0.9,
    "rhi_72h": 0.76,
    "pep_term": 0.95,
    "pep_initial": 0.92,
    "caseload": 15.0,
    "agency": 0.06,
    "review_on_time": 0.95,
}
WEAK = {
    "rhi_offer": 0.6,
    "rhi_72h": 0.45,
    "pep_term": 0.8,
    "pep_initial": 0.7,
    "caseload": 19.0,
    "agency": 0.22,
    "review_on_time": 0.84,
}


def district_practice(la: Authority, n_years: int, rng: random.Random) -> dict[str, Practice]:
    """Practice by district name (plus ``County``) for one LA."""
    names = [district.name for district in la.districts]
    if la.is_hampshire:
        roles = {"Havant": IMPROVING, "Rushmoor": SLIPPING, "Winchester": STRONG, "Gosport": WEAK}
    else:
        roles = {names[0]: IMPROVING, names[1]: SLIPPING}
    out: dict[str, Practice] = {}
    for name in names:
        over: dict[str, float | tuple[float, float]] = dict(_near_base(rng))
        over.update(roles.get(name, {}))
        out[name] = _practice(n_years, **over)
    out[COUNTY] = _practice(n_years)
    return out
