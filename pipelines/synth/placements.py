"""Placements: which PLACE code, provider, URN and postcode a placement gets.

A placement is a carer (or setting) over a stretch of time. Its PLACE code depends on the
date (domain.md §1.3): 16–17-year-olds in supported accommodation are ``H5``/``P2`` before
28 Oct 2023, ``H5`` until K3 exists (2024-25), then ``K3``; ``Z11``–``Z14`` only from
2025-26 (the legacy ``Z1`` is not generated). Providers follow rules 178/527/528/550, URNs
rules 218/222 (``XXXXXXX`` where no Ofsted URN applies).
"""

from __future__ import annotations

import random

from pipelines.lib.codesets import NO_URN_PLACE, P2_LAST_DAY, URN_NOT_APPLICABLE
from pipelines.synth.dates import d
from pipelines.synth.places import Places

P2_END = P2_LAST_DAY.toordinal()
K3_START = d(2024, 4, 1)
H5_LAST = d(2025, 3, 31)  # H5 placements still running are recoded K3 on this day
PLACE_2025_START = d(2025, 4, 1)

FOSTER = frozenset(["U1", "U2", "U3", "U4", "U5", "U6"])
LONG_TERM = frozenset(["U1", "U4"])
SUPPORTED = frozenset(["H5", "P2", "K3"])

#: Provider weights by PLACE (rules 550, 527/528: PR0 only with P1; no PR1/PR2 with P1, R2, R5).
_PROVIDERS: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "kin": (("PR1", "PR2"), (0.95, 0.05)),
    "foster": (("PR1", "PR4", "PR5", "PR2"), (0.55, 0.35, 0.07, 0.03)),
    "ffa": (("PR1", "PR5"), (0.8, 0.2)),
    "K1": (("PR1", "PR2"), (0.6, 0.4)),
    "K2": (("PR4", "PR1", "PR5"), (0.75, 0.15, 0.1)),
    "sa": (("PR4", "PR5", "PR1"), (0.6, 0.3, 0.1)),
    "P1": (("PR0",), (1.0,)),
    "P3": (("PR4",), (1.0,)),
    "R1": (("PR4", "PR5"), (0.7, 0.3)),
    "R2": (("PR3",), (1.0,)),
    "R3": (("PR4", "PR5", "PR1"), (0.6, 0.3, 0.1)),
    "R5": (("PR3",), (1.0,)),
    "S1": (("PR4", "PR5"), (0.6, 0.4)),
    "adopt": (("PR1", "PR5"), (0.7, 0.3)),
}
_PROVIDER_GROUP = {
    "U1": "kin",
    "U2": "kin",
    "U3": "kin",
    "U4": "foster",
    "U6": "foster",
    "U5": "ffa",
    "H5": "sa",
    "P2": "sa",
    "K3": "sa",
    "A3": "adopt",
    "A4": "adopt",
    "A5": "adopt",
    "A6": "adopt",
}


class Placement:
    __slots__ = ("carer", "pl_post", "place", "provider", "urn")

    def __init__(self, place: str, provider: str, carer: int, pl_post: str, urn: str) -> None:
        self.place, self.provider, self.carer, self.pl_post, self.urn = (
            place,
            provider,
            carer,
            pl_post,
            urn,
        )


class PlacementMaker:
    """Makes placements for one LA (its own fostering service, agencies and homes)."""

    def __init__(self, rng: random.Random, places: Places) -> None:
        self.rng = rng
        self.places = places
        self.fostering_urn = self._urn("SC")
        self.agency_urns = [self._urn("SC") for _ in range(12)]
        self.adoption_urns = [self._urn("SC") for _ in range(4)]
        self._carer = 0

    def _urn(self, prefix: str) -> str:
        return f"{prefix}{self.rng.randrange(100_000, 1_000_000)}"

    def supported_code(self, day: int) -> str:
        """PLACE for supported accommodation for 16–17s starting on ``day``."""
        if day < P2_END:
            return "P2" if self.rng.random() < 0.25 else "H5"
        if day < K3_START:
            return "H5"
        if day < H5_LAST:
            return "H5" if self.rng.random() < 0.15 else "K3"
        return "K3"

    def provider(self, place: str, day: int, end: int) -> str:
        if place.startswith(("Z", "T")):
            return ""  # rule 178: no provider for temporary and "other" placements
        names, weights = _PROVIDERS[_PROVIDER_GROUP.get(place, place)]
        return names[0] if len(names) == 1 else self.rng.choices(names, weights)[0]

    def urn(self, place: str, provider: str) -> str:
        if place in ("H5", "K3"):
            # supported accommodation: registered with Ofsted from 28 Oct 2023 (rule 230),
            # a 7-digit URN
            return str(self.rng.randrange(2_000_000, 3_000_000))
        if place in NO_URN_PLACE:
            return URN_NOT_APPLICABLE
        if place in FOSTER:
            return (
                self.fostering_urn
                if provider in ("PR1", "PR2")
                else self.rng.choice(self.agency_urns)
            )
        if place.startswith("A"):
            return self.fostering_urn if provider == "PR1" else self.rng.choice(self.adoption_urns)
        return self._urn("SC")

    def new(self, place: str, day: int, end: int, home_post: str) -> Placement:
        """A placement with a new carer starting ``day`` (``end`` bounds temporary moves)."""
        self._carer += 1
        provider = self.provider(place, day, end)
        if place == "P1":
            pl_post = home_post  # with parents: at home
        else:
            pl_post = self.places.placement(self.rng, place, provider, home_post)
        return Placement(place, provider, self._carer, pl_post, self.urn(place, provider))

    def short_break(self, place: str, day: int, end: int) -> Placement:
        """A short-break placement (V3/V4): no postcode nor URN is returned for these
        (rules 214, 398, 420)."""
        self._carer += 1
        return Placement(place, self.provider(place, day, end), self._carer, "", "")

    def same_carer(self, old: Placement, place: str, day: int) -> Placement:
        """The same carer (and address) under another placement type (RNE T or U)."""
        provider = old.provider if place not in ("K3",) else old.provider or "PR4"
        if old.place in FOSTER and place.startswith("A"):
            provider = "PR1" if old.provider in ("PR1", "PR2") else "PR5"
        urn = (
            old.urn
            if (old.urn != URN_NOT_APPLICABLE or place in NO_URN_PLACE)
            else self.urn(place, provider)
        )
        if place in NO_URN_PLACE and place != "H5":
            urn = URN_NOT_APPLICABLE
        return Placement(place, provider, old.carer, old.pl_post, urn)
