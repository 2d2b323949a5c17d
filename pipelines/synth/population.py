"""Who comes into care, and who else is known to children's social care.

Volumes at ``--scale 1`` for Hampshire (size factor 1.0); every other LA is scaled by its
size factor. Calibrated so that Hampshire has ~730 starts a year and ~1,900 children looked
after on any day, and ~10,000 distinct children with an allocated worker in a year.
"""

from __future__ import annotations

import random

import numpy as np

from pipelines.lib.la_codes import la_codes
from pipelines.synth.authorities import Authority
from pipelines.synth.care import CareModel
from pipelines.synth.care_tables import START_AGE, choose, table
from pipelines.synth.config import Timeline
from pipelines.synth.dates import NEVER, add_years, d, month_end, to_date
from pipelines.synth.model import Child, Period
from pipelines.synth.people import (
    ETHNIC_LONDON,
    ETHNIC_SHIRE,
    ETHNIC_UASC,
    Ids,
    assign_upn,
    birth_date,
    pick,
)
from pipelines.synth.places import Places

#: First entries to care per year (not UASC), UASC arrivals, short-break children, and
#: referrals of children not looked after, for Hampshire at scale 1.
FIRST_ENTRIES = 570.0
UASC_ENTRIES = 85.0
SHORT_BREAKS = 30.0
REFERRALS = 3600.0
#: Growth of entries per year (Hampshire: 200 more children looked after than in 2018).
GROWTH = 0.015
#: Chance that a child who went home comes back into care, and the mean gap in days.
REENTRY, REENTRY_GAP = 0.2, 300.0

_AGE_RANGE = {
    "baby": (0.0, 1.0),
    "young": (1.0, 5.0),
    "child": (5.0, 10.0),
    "teen": (10.0, 16.0),
    "older": (16.0, 17.85),
}
_UASC_AGE = table({"14": 15, "15": 20, "16": 35, "17": 30})
_OTHER_AGE = table({"baby": 10, "young": 20, "child": 25, "teen": 33, "older": 12})
_PREV_PERM = table({"Z1": 88, "P4": 4, "P2": 4, "P1": 2, "P3": 2})
#: Authorities created since 2019 (Dorset, BCP, the Northamptonshires, Cumberland,
#: Westmorland and Furness): previous permanence orders name their predecessors' codes.
_CREATED_SINCE_2019 = frozenset(["838", "839", "940", "941", "942", "943"])


class Population:
    def __init__(
        self,
        la: Authority,
        timeline: Timeline,
        volume: float,
        rng: random.Random,
        np_rng: np.random.Generator,
        ids: Ids,
        care: CareModel,
        places: Places,
    ) -> None:
        self.la, self.timeline, self.volume = la, timeline, volume
        self.rng, self.np_rng, self.ids, self.care = rng, np_rng, ids, care
        self.places = places
        region = la_codes()[la.code].region_code
        self.perm_las = sorted(
            code
            for code, row in la_codes().items()
            if row.region_code == region and code not in _CREATED_SINCE_2019 | {la.code}
        )
        weights = [dist.population * dist.need for dist in la.districts]
        self.district_table = table(
            {dist.name: w for dist, w in zip(la.districts, weights, strict=True)}
        )
        self.ethnic = ETHNIC_LONDON if la.code[0] in "23" and la.code < "321" else ETHNIC_SHIRE
        self.uasc_share = 1.0 if la.is_hampshire else 0.4 + 1.2 * rng.random()

    # ------------------------------------------------------------------ arrivals
    def _arrivals(self, per_year: float, first: int, last: int) -> list[int]:
        """Arrival days of a Poisson process with mild growth, month by month."""
        days: list[int] = []
        base_year = self.timeline.years[0]
        start = first
        while start <= last:
            span = min(30, last - start + 1)
            growth = max(0.7, 1 + GROWTH * (to_date(start).year - base_year))
            n = int(self.np_rng.poisson(per_year * self.volume * growth * span / 365.25))
            days.extend(start + self.rng.randrange(span) for _ in range(n))
            start += span
        return sorted(days)

    def new_child(self, day: int, age: float, uasc: bool = False) -> Child:
        rng = self.rng
        teen = age >= 10
        male = rng.random() < (0.92 if uasc else 0.56 if teen else 0.51)
        dob = birth_date(rng, day, age)
        child = Child(self.ids.new(), "M" if male else "F", dob, choose(rng, self.district_table))
        child.uasc = uasc
        child.disabled = not uasc and age >= 1 and rng.random() < 0.04
        child.home_post = self.places.home(rng, child.district)
        if uasc or child.disabled:
            child.cic_district = "County"
        return child

    def describe(self, child: Child) -> None:
        """Ethnicity, UPN and previous permanence: only for children who are written."""
        rng = self.rng
        first = child.periods[0].start
        child.ethnic = pick(rng, ETHNIC_UASC if child.uasc else self.ethnic)
        assign_upn(rng, child, self.la.code, first)
        perm = choose(rng, _PREV_PERM) if not child.uasc and first - child.dob > 120 else "Z1"
        child.prev_perm = (perm, "", "")
        if perm != "Z1":  # P1–P4 give the LA and date of the order (rule 630), before care
            when = child.dob + rng.randrange(min(200, (first - child.dob) // 2), first - child.dob)
            child.prev_perm = (perm, self._perm_la(), _partial_date(rng, when, first))

    def _perm_la(self) -> str:
        """LA_PERM: the LA that arranged the order, mostly this one; authorities created
        since 2019 did not exist when most such orders were made (rule 633's list)."""
        if self.rng.random() < 0.7 and self.la.code not in _CREATED_SINCE_2019:
            return self.la.code
        return self.rng.choice(self.perm_las)

    # ------------------------------------------------------------------ looked after
    def looked_after(self) -> list[Child]:
        tl, rng = self.timeline, self.rng
        children: list[Child] = []
        too_old = tl.local_start - int(25 * 365.25)  # born before this: 25 before the history
        for day in self._arrivals(FIRST_ENTRIES, tl.burn_in_start, tl.as_at):
            band = choose(rng, START_AGE)
            if band == "baby":
                age = (
                    rng.randrange(1, 15) / 365.25
                    if rng.random() < 0.4
                    else rng.uniform(15 / 365.25, 1)
                )
            else:
                age = rng.uniform(*_AGE_RANGE[band])
            if day - age * 365.25 < too_old:
                continue
            children.append(self._in_care(self.new_child(day, age), day))
        for day in self._arrivals(UASC_ENTRIES * self.uasc_share, tl.burn_in_start, tl.as_at):
            age = int(choose(rng, _UASC_AGE)) + rng.uniform(0.05, 0.95)
            children.append(self._in_care(self.new_child(day, age, uasc=True), day))
        for day in self._arrivals(SHORT_BREAKS, tl.burn_in_start, tl.as_at):
            child = self.new_child(day, rng.uniform(5, 16.5))
            child.disabled, child.cic_district = True, "County"
            child.periods.append(self.care.short_break(child, day))
            if rng.random() < 0.5:
                again = child.periods[-1].end + rng.randrange(30, 200)
                if again < add_years(child.dob, 18) - 60:
                    child.periods.append(self.care.short_break(child, again))
            children.append(child)
        kept = [c for c in children if self._relevant(c)]
        for child in kept:
            self.describe(child)
        return kept

    def _in_care(self, child: Child, start: int) -> Child:
        rng = self.rng
        bday18 = add_years(child.dob, 18)
        while True:
            period = self.care.period(child, start)
            child.periods.append(period)
            rec = period.episodes[-1].rec
            if rec not in ("E4A", "E4B", "E13", "E41") or rng.random() >= REENTRY:
                break
            start = period.end + 1 + int(rng.expovariate(1 / REENTRY_GAP))
            if start >= bday18 - 90:
                break
        self._care_leaver(child)
        return child

    def _care_leaver(self, child: Child) -> None:
        """Care leaver (OC3 cohort): 13+ weeks looked after after 14, care ending after 16."""
        periods = [p for p in child.periods if not p.short_break]
        if not periods:
            return
        bday14, bday16 = add_years(child.dob, 14), add_years(child.dob, 16)
        after14 = sum(max(0, p.end - max(p.start, bday14)) for p in periods)
        last = periods[-1]
        if (
            after14 >= 91
            and last.end > bday16
            and last.episodes[-1].rec not in ("E2", "E3", "E15", "E16")
        ):
            child.care_leaver_from = last.end
            if self.rng.random() < 0.004:
                died = last.end + self.rng.randrange(30, 5 * 365)
                child.died = died if died < add_years(child.dob, 21) else NEVER

    def _relevant(self, child: Child) -> bool:
        """Still in the data: looked after since the local history starts, or a care leaver
        young enough to be allocated or in the OC3 cohort."""
        since = self.timeline.local_start
        if child.periods[-1].end >= since:
            return True
        return child.care_leaver_from != NEVER and add_years(child.dob, 25) >= since

    # ------------------------------------------------------------------ not looked after
    def referrals(self) -> list[tuple[str, int, str, int]]:
        """Referrals of children who are not looked after: (child, DOB, district, day)."""
        tl, rng = self.timeline, self.rng
        out: list[tuple[str, int, str, int]] = []
        for day in self._arrivals(REFERRALS, tl.local_start - 365, tl.as_at):
            band = choose(rng, _OTHER_AGE)
            low, high = _AGE_RANGE[band]
            dob = birth_date(rng, day, rng.uniform(max(low, 0.02), high))
            out.append((self.ids.new(), dob, choose(rng, self.district_table), day))
        return out


def _partial_date(rng: random.Random, day: int, before: int) -> str:
    """DATE_PERM as LAs write it: a full date, or with an unknown day or month (``ZZ``), but
    never one whose latest reading falls on or after ``before``, when care started (632)."""
    date_ = to_date(day)
    roll = rng.random()
    if roll >= 0.9 and d(date_.year, 12, 31) < before:
        return f"ZZ/ZZ/{date_.year}"
    if roll >= 0.7 and month_end(date_.year, date_.month) < before:
        return f"ZZ/{date_.month:02d}/{date_.year}"
    return f"{date_.day:02d}/{date_.month:02d}/{date_.year}"


def periods_open(child: Child) -> list[Period]:
    return [p for p in child.periods if not p.short_break]
