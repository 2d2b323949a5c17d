"""Periods of care: how long, why they end, legal statuses and placements, as episodes.

A period is simulated as three timelines that are then merged into episodes: legal status
changes, placements (carers), and the end. Each episode's RNE follows from what changed
(rule 143): L legal status only; P new carer; T same carer, new placement type; B and U the
same with a legal status change. REASON_PLACE_CHANGE sits on the episode that ends with a
placement change, and never around temporary (T0–T4) placements (rules 225/226).

Exit mixes and durations are assumptions shaped on DfE national patterns (domain.md §4;
starters: many under-1s and teenagers; mean stay about 2.6 years so that ~730 starts a
year keep ~1,900 children looked after in Hampshire).
"""

from __future__ import annotations

import itertools
import math
import random

from pipelines.synth.care_tables import (
    CIN_WEIGHTS,
    EXITS,
    FIRST_LS,
    REASONS_TEEN,
    REASONS_YOUNG,
    REC_HOME,
    REC_LEAVE,
    REC_OTHER,
    REC_TO18_FOSTER,
    REC_TO18_OTHER,
    age_band,
    choose,
)
from pipelines.synth.dates import NEVER, add_years
from pipelines.synth.model import Adoption, Child, Episode, Period
from pipelines.synth.placement_timeline import PlacementTimeline
from pipelines.synth.placements import (
    FOSTER,
    Placement,
    PlacementMaker,
)

YEAR = 365.25


class CareModel:
    def __init__(self, rng: random.Random, maker: PlacementMaker, detail_from: int) -> None:
        self.rng = rng
        self.maker = maker
        self.placements = PlacementTimeline(rng, maker)
        #: Periods ending before this day are never written: only their dates and reason
        #: for ending are simulated (one summary episode), which keeps the burn-in cheap.
        self.detail_from = detail_from

    # ------------------------------------------------------------------ period
    def period(self, child: Child, start: int) -> Period:
        rng = self.rng
        age = (start - child.dob) / YEAR
        bday16, bday18 = add_years(child.dob, 16), add_years(child.dob, 18)
        band = "uasc" if child.uasc else age_band(age)
        profile = choose(rng, EXITS["disabled" if child.disabled and band != "uasc" else band])
        if profile == "adopt" and age >= 5:
            profile = "sgo"
        period = Period(start)
        end, rec = self._end(child, profile, start, bday16, bday18, period)
        end = min(end, bday18)
        if end >= bday18:
            end, profile = bday18, "to18"
        end = max(end, start + 1)
        period.end = end
        cin = "N8" if child.uasc else ("N2" if child.disabled else choose(rng, CIN_WEIGHTS))
        if end < self.detail_from:
            if not rec:
                rec = choose(rng, REC_TO18_FOSTER) if profile == "to18" else "E46"
            summary = Episode(start, "S", "C2", cin, "U6", "PR1", "", "")
            summary.dec, summary.rec = end, rec
            period.episodes = [summary]
            return period
        legal = self._legal(child, profile, band, start, end, period)
        places = self.placements.build(child, profile, band, start, end, legal, period)
        if profile == "to18" and not rec:
            rec = choose(rng, REC_TO18_FOSTER if places[-1][1].place in FOSTER else REC_TO18_OTHER)
            if child.disabled and rng.random() < 0.6:
                rec = "E7"
        if profile == "sgo":
            last = places[-1][1].place
            rec = (
                "E45"
                if last in ("U1", "U2", "U3")
                else "E46"
                if last in FOSTER
                else ("E47" if rng.random() < 0.6 else "E48")
            )
        period.episodes = self._episodes(start, end, rec, cin, legal, places, age)
        return period

    def _end(
        self, child: Child, profile: str, start: int, bday16: int, bday18: int, period: Period
    ) -> tuple[int, str]:
        rng = self.rng
        if profile == "home":
            median = 140 if (start - child.dob) / YEAR >= 10 else 220
            return start + max(2, int(rng.lognormvariate(math.log(median), 1.0))), choose(
                rng, REC_HOME
            )
        if profile == "adopt":
            return self._adoption(start, period)
        if profile == "sgo":
            return start + rng.randrange(240, 800), ""
        if profile == "cao":
            return start + rng.randrange(180, 700), "E41"
        if profile == "other":
            return start + rng.randrange(5, 400), choose(rng, REC_OTHER)
        if profile == "leave":
            first = max(start + 45, bday16)
            return (rng.randrange(first, bday18 - 20) if first < bday18 - 20 else bday18), choose(
                rng, REC_LEAVE
            )
        if profile == "transfer":
            return start + rng.randrange(7, 90), "E3"
        if profile == "age":
            return start + rng.randrange(20, 250), "E15"
        if profile == "lost":
            return start + rng.randrange(20, 300), "E8"
        if profile == "remand":
            return start + rng.randrange(20, 150), "E14"
        return bday18, ""  # to18

    def _adoption(self, start: int, period: Period) -> tuple[int, str]:
        rng = self.rng
        decision = start + rng.randrange(150, 330)
        adoption = Adoption(decision)
        period.adoption = adoption
        if rng.random() < 0.1:  # decision reversed (RD1–RD4); child then leaves on an SGO
            adoption.ceased = decision + rng.randrange(90, 420)
            adoption.ceased_reason = choose(rng, {"RD1": 3, "RD2": 4, "RD3": 2, "RD4": 2})
            return adoption.ceased + rng.randrange(120, 500), "E46"
        adoption.match = decision + rng.randrange(45, 260)
        adoption.nb_adoptr = "1" if rng.random() < 0.1 else "2"
        if adoption.nb_adoptr == "1":
            adoption.sex_adoptr = "F1" if rng.random() < 0.85 else "M1"
            adoption.ls_adoptr = "L0"
        else:
            adoption.ls_adoptr = choose(rng, {"L11": 62, "L3": 18, "L12": 7, "L4": 5, "L2": 8})
            adoption.sex_adoptr = (
                "MF"
                if adoption.ls_adoptr in ("L11", "L3")
                else ("MM" if rng.random() < 0.5 else "FF")
            )
        adoption.placed = adoption.match + rng.randrange(7, 35)
        return adoption.placed + rng.randrange(90, 300), "E12" if rng.random() < 0.65 else "E11"

    # ------------------------------------------------------------------ legal status
    def _legal(
        self, child: Child, profile: str, band: str, start: int, end: int, period: Period
    ) -> list[tuple[int, str]]:
        rng = self.rng
        if profile == "remand":
            return [(start, "J1")]
        key = "adopt" if profile in ("adopt", "sgo") and band in ("baby", "young") else band
        first = choose(rng, FIRST_LS[key])
        legal = [(start, first)]
        day, ls = start, first
        if ls in ("L1", "L2"):
            day += rng.randrange(1, 4) if ls == "L1" else rng.randrange(3, 9)
            ls = "C1" if (ls == "L2" or rng.random() < 0.7) else "V2"
            legal.append((day, ls))
        if ls == "V2" and band not in ("uasc", "older") and rng.random() < 0.15:
            day += rng.randrange(20, 200)
            ls = "C1"
            legal.append((day, ls))
        adoption = period.adoption
        if adoption is not None and ls in ("C1", "C2"):
            order = max(adoption.decision + rng.randrange(20, 40), day + 10)
            legal.append((order, "E1"))
            if adoption.ceased != NEVER:
                # decision reversed: the placement order ends with it (rules 553, 557, 118)
                legal.append((max(adoption.ceased, order + 1), "C2"))
        elif ls == "C1":
            legal.append((day + rng.randrange(150, 330), "C2"))
        return [(t, s) for t, s in legal if t < end]

    # ------------------------------------------------------------------ placements
    # ------------------------------------------------------------------ episodes
    def _episodes(
        self,
        start: int,
        end: int,
        rec: str,
        cin: str,
        legal: list[tuple[int, str]],
        places: list[tuple[int, Placement]],
        age: float,
    ) -> list[Episode]:
        rng = self.rng
        days = sorted({t for t, _ in legal} | {t for t, _ in places})
        episodes: list[Episode] = []
        li = pi = 0
        prev_ls, prev_pl = "", None
        for day in days:
            while li + 1 < len(legal) and legal[li + 1][0] <= day:
                li += 1
            while pi + 1 < len(places) and places[pi + 1][0] <= day:
                pi += 1
            ls, pl = legal[li][1], places[pi][1]
            if prev_pl is None:
                rne = "S"
            else:
                ls_changed, pl_changed = ls != prev_ls, pl is not prev_pl
                if not pl_changed:
                    rne = "L"
                elif pl.carer == prev_pl.carer and pl.place != prev_pl.place:
                    rne = "U" if ls_changed else "T"
                else:
                    rne = "B" if ls_changed else "P"
                last = episodes[-1]
                if (
                    rne in "PBTU"
                    and last.place not in ("T0", "T1", "T2", "T3", "T4")
                    and pl.place not in ("T0", "T1", "T2", "T3", "T4")
                ):
                    if rne in "TU":
                        last.reason = "PLACE"
                    else:
                        last.reason = choose(rng, REASONS_YOUNG if age < 10 else REASONS_TEEN)
            episodes.append(Episode(day, rne, ls, cin, pl.place, pl.provider, pl.pl_post, pl.urn))
            prev_ls, prev_pl = ls, pl
        for a, b in itertools.pairwise(episodes):
            a.dec, a.rec = b.decom, "X1"
        episodes[-1].dec, episodes[-1].rec = end, rec
        return episodes

    # ------------------------------------------------------------------ short breaks
    def short_break(self, child: Child, start: int) -> Period:
        """A V4 short-break agreement (disabled children): one episode, left out of KPIs."""
        rng = self.rng
        end = min(start + rng.randrange(120, 540), add_years(child.dob, 18))
        period = Period(start, short_break=True)
        period.end = end
        place = "K2" if rng.random() < 0.6 else "U6"
        pl = self.maker.short_break(place, start, end)
        episode = Episode(start, "S", "V4", "N2", place, pl.provider, pl.pl_post, pl.urn)
        episode.dec, episode.rec = end, "E8"
        period.episodes = [episode]
        return period
