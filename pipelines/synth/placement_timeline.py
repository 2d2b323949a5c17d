"""Placement timelines: the carers a child lives with during a period of care.

The first placement depends on age (foster care for most, children's homes for a quarter of
teenagers, supported accommodation for many 16–17s and UASC); planned changes follow the
plan (a foster placement becoming long-term, a move to supported accommodation at 16+, an
adoptive placement, a trial at home before going home); unplanned moves are a Poisson
process whose hazard is higher for teenagers and in the first six months, and much lower
once a placement is long-term; foster children sometimes have a short temporary stay
(carer's holiday, hospital). Codes that stop being valid are recoded on the day they stop
(P2 after 28 Oct 2023, H5 at the end of 2024-25).
"""

from __future__ import annotations

import random

from pipelines.synth.care_tables import FIRST_PLACE, MOVE_RATE, MOVE_TO, age_band, choose
from pipelines.synth.dates import NEVER, add_years
from pipelines.synth.model import Child, Period
from pipelines.synth.placements import (
    FOSTER,
    H5_LAST,
    LONG_TERM,
    P2_END,
    PLACE_2025_START,
    Placement,
    PlacementMaker,
)

YEAR = 365.25


class PlacementTimeline:
    def __init__(self, rng: random.Random, maker: PlacementMaker) -> None:
        self.rng = rng
        self.maker = maker

    def build(
        self,
        child: Child,
        profile: str,
        band: str,
        start: int,
        end: int,
        legal: list[tuple[int, str]],
        period: Period,
    ) -> list[tuple[int, Placement]]:
        rng, maker = self.rng, self.maker

        def ls_at(day: int) -> str:
            current = legal[0][1]
            for t, s in legal:
                if t <= day:
                    current = s
            return current

        def place_for(kind: str, day: int) -> str:
            if kind == "SA":
                return maker.supported_code(day)
            if kind == "Z":
                return rng.choice(("Z11", "Z12", "Z13", "Z14")) if day >= PLACE_2025_START else "K2"
            if kind == "P1" and ls_at(day) not in ("C1", "C2"):
                return "U6"
            if kind == "S1" and day < add_years(child.dob, 4):
                return "U6"  # residential schools from age 4 (rule 373)
            return kind

        age = (start - child.dob) / YEAR
        key = "uasc_young" if band == "uasc" and age < 16 else band
        if child.disabled and band != "uasc":
            key = "disabled"
        if profile == "adopt" and band in ("baby", "young"):
            key = "adopt"
        if profile == "remand":
            key = "remand"
        first = place_for(choose(rng, FIRST_PLACE[key]), start)
        places = [(start, maker.new(first, start, end, child.home_post))]
        planned: list[tuple[int, str]] = []
        bday16 = add_years(child.dob, 16)
        if profile == "to18" and age < 14:
            planned.append((start + rng.randrange(240, 720), "long_term"))
        if profile in ("to18", "leave") and age < 17.2 and band != "uasc" and rng.random() < 0.35:
            planned.append((max(bday16, start + 60) + rng.randrange(0, 300), "supported"))
        adoption = period.adoption
        if adoption is not None and adoption.placed != NEVER:
            planned.append((adoption.placed, "adopt"))
        if profile == "home" and ls_at(end - 1) in ("C1", "C2") and rng.random() < 0.3:
            planned.append((end - rng.randrange(30, 120), "home_trial"))
        planned.sort()
        pi = 0
        nxt = self._next_move(child, start, start, places[-1][1])
        while True:
            if pi < len(planned) and planned[pi][0] <= nxt[0]:
                (day, what), pi = planned[pi], pi + 1
                unplanned = False
            else:
                (day, what), unplanned = nxt, True
            if day >= end - 1:
                break
            before = len(places)
            if day > places[-1][0]:
                self._apply(what, day, end, child, places, ls_at, place_for, period)
            if unplanned or len(places) != before:
                nxt = self._next_move(child, start, max(day, places[-1][0]), places[-1][1])
        return self._recode(places, end, child.home_post)

    def _next_move(self, child: Child, start: int, day: int, current: Placement) -> tuple[int, str]:
        """The next unplanned change: a move (hazard by age, higher early, low when settled)
        or, for foster placements, a short temporary stay."""
        rng = self.rng
        rate = MOVE_RATE[age_band((day - child.dob) / YEAR)]
        if day - start < 180:
            rate *= 1.8
        if current.place in LONG_TERM or current.place.startswith("A") or current.place == "P1":
            rate *= 0.15
        temp = 0.05 if current.place in FOSTER else 0.0
        gap = int(rng.expovariate((rate + temp) / YEAR)) + 1
        return day + gap, "temp" if rng.random() * (rate + temp) < temp else "move"

    def _apply(
        self,
        what: str,
        day: int,
        end: int,
        child: Child,
        places: list[tuple[int, Placement]],
        ls_at,
        place_for,
        period: Period,
    ) -> None:
        rng, maker = self.rng, self.maker
        old = places[-1][1]
        if what == "temp":
            self._temporary(places, day, end, child, ls_at)
            return
        if what == "long_term":
            if old.place in ("U6", "U3") and rng.random() < 0.65:
                new = maker.same_carer(old, "U4" if old.place == "U6" else "U1", day)
            elif old.place.startswith("A") or old.place == "P1":
                return
            else:
                new = maker.new("U4" if rng.random() < 0.85 else "U1", day, end, child.home_post)
        elif what == "supported":
            if old.place.startswith("A") or (old.place in LONG_TERM and rng.random() < 0.7):
                return
            new = maker.new(place_for("SA", day), day, end, child.home_post)
        elif what == "adopt":
            with_carer = old.place in ("U5", "U2") or rng.random() < 0.1
            if ls_at(day) == "E1":
                code = "A5" if with_carer else "A6"
            else:
                code = "A3" if with_carer else "A4"
            if with_carer:
                new = maker.same_carer(old, code, day)
            else:
                new = maker.new(code, day, end, child.home_post)
            if period.adoption is not None:
                period.adoption.foster_care = "1" if with_carer else "0"
        elif what == "home_trial":
            # placed with parents under a care order only (rule 378: never under s20)
            if old.place.startswith("A") or old.place == "P1" or ls_at(day) not in ("C1", "C2"):
                return
            new = maker.new("P1", day, end, child.home_post)
        else:
            if old.place.startswith("A") or old.place == "P1":
                return
            kind = choose(rng, MOVE_TO[age_band((day - child.dob) / YEAR)])
            new = maker.new(place_for(kind, day), day, end, child.home_post)
        places.append((day, new))

    def _temporary(
        self, places: list[tuple[int, Placement]], day: int, end: int, child: Child, ls_at
    ) -> None:
        """A short T1 (hospital) or T3 (carer's holiday) stay, then back to the same carer.
        Not across a legal status change (rule 380: a temporary placement starts with RNE P
        or B, never L) nor across the 2025-26 code change."""
        rng, maker = self.rng, self.maker
        old = places[-1][1]
        if old.place not in FOSTER:
            return
        back = day + (rng.randrange(3, 15) if rng.random() < 0.8 else rng.randrange(2, 21))
        if back >= end - 1 or (day < PLACE_2025_START <= back) or ls_at(day) != ls_at(back - 1):
            return
        code = "T3" if rng.random() < 0.8 else "T1"
        places.append((day, maker.new(code, day, back, child.home_post)))
        places.append((back, Placement(old.place, old.provider, old.carer, old.pl_post, old.urn)))

    def _recode(
        self, places: list[tuple[int, Placement]], end: int, home_post: str
    ) -> list[tuple[int, Placement]]:
        """Split placements whose code stops being valid (P2 after 28/10/2023, H5 in 2025-26)."""
        out: list[tuple[int, Placement]] = []
        for i, (day, pl) in enumerate(places):
            out.append((day, pl))
            until = places[i + 1][0] if i + 1 < len(places) else end
            if pl.place == "P2" and until > P2_END:
                out.append((P2_END, self.maker.new("H5", P2_END, until, home_post)))
                pl = out[-1][1]
            if pl.place == "H5" and until > H5_LAST and out[-1][0] < H5_LAST:
                out.append((H5_LAST, self.maker.same_carer(pl, "K3", H5_LAST)))
        return out
