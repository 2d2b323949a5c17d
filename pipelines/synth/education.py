"""Statutory reviews of children looked after, and Personal Education Plans.

Reviews (regulation 33, domain.md §4(e)): the first within 20 working days of care
starting, the second within 3 months, then every 6 months; held on time at the district's
rate (~90 %), otherwise days to weeks late. Participation codes by age (PN0 under 4).

PEPs (domain.md §4(b)): an initial PEP within 10 working days of entering care for most
school-age entrants, then one per term (autumn, spring, summer) while the child is of
statutory school age (and for half of 16–17-year-olds); completion is recorded a few days
after the meeting (some stay IN_PROGRESS) and most are rated GOOD. The district and year
set the rates (story.py: Rushmoor slips, Winchester is strong, Gosport weak).
"""

from __future__ import annotations

import bisect
import random

from pipelines.synth.care_tables import choose, table
from pipelines.synth.config import Timeline
from pipelines.synth.dates import (
    NEVER,
    WorkingDays,
    add_months,
    add_years,
    age_on,
    d,
    school_age_on,
    school_years,
    to_date,
)
from pipelines.synth.model import Child, Pep, Period
from pipelines.synth.story import Practice

PARTICIPATION_YOUNG = table({"PN1": 30, "PN3": 20, "PN4": 10, "PN5": 15, "PN6": 15, "PN7": 10})
PARTICIPATION = table({"PN1": 55, "PN2": 8, "PN4": 2, "PN5": 10, "PN6": 20, "PN7": 5})
QUALITY = {
    "strong": table({"GOOD": 84, "REQUIRES_IMPROVEMENT": 10, "INADEQUATE": 2, "": 4}),
    "base": table({"GOOD": 74, "REQUIRES_IMPROVEMENT": 18, "INADEQUATE": 4, "": 4}),
    "weak": table({"GOOD": 60, "REQUIRES_IMPROVEMENT": 27, "INADEQUATE": 8, "": 5}),
}
#: School terms (kpis.md) and the part of each when PEP meetings are held.
TERM_WINDOWS = (
    ((9, 1), (12, 31), (9, 5), (12, 18)),
    ((1, 1), (3, 31), (1, 6), (3, 31)),
    ((4, 1), (8, 31), (4, 14), (7, 21)),
)


def all_terms(first_year: int, last_year: int) -> list[tuple[int, int, int, int]]:
    """(term start, term end, meetings from, meetings to) of every term in the years."""
    out = []
    for year in range(first_year, last_year + 1):
        for (sm, sd), (em, ed), (wm, wd_), (xm, xd) in TERM_WINDOWS:
            out.append((d(year, sm, sd), d(year, em, ed), d(year, wm, wd_), d(year, xm, xd)))
    return sorted(out)


class Education:
    def __init__(
        self,
        rng: random.Random,
        timeline: Timeline,
        practice: dict[str, Practice],
        workdays: WorkingDays,
    ) -> None:
        self.rng, self.timeline, self.practice, self.wd = rng, timeline, practice, workdays
        self.terms = all_terms(
            to_date(timeline.local_start).year - 1, to_date(timeline.as_at).year + 1
        )
        self.term_starts = [t[0] for t in self.terms]
        #: Reviews before this day are never written; long periods jump to it.
        self.reviews_from = timeline.local_start

    def reviews(self, child: Child, period: Period) -> None:
        rng, wd = self.rng, self.wd
        on_time = self.practice[child.cic_district].review_on_time
        due = wd.after(period.start, 20)
        last = period.start
        out: list[tuple[int, str]] = []
        if period.start < self.reviews_from - 400:
            # a long period: its reviews before the history written follow the 6-month
            # rhythm; start from a last review in the 6 months before it
            last = self.reviews_from - rng.randrange(1, 183)
            out.append((last, ""))
            due = add_months(last, 6)
        while True:
            if rng.random() < on_time:
                day = max(wd.on_or_before(due - rng.randrange(0, 15)), wd.after(last, 5))
            else:
                day = wd.after(due, rng.randrange(1, 25))
            if day >= period.end or day > self.timeline.as_at:
                break
            age = age_on(child.dob, day)
            code = (
                "PN0" if age < 4 else choose(rng, PARTICIPATION_YOUNG if age < 8 else PARTICIPATION)
            )
            out.append((day, code))
            last = day
            due = add_months(day, 3 if len(out) == 1 else 6)
        period.reviews = [r for r in out if r[1]]

    def peps(self, child: Child, period: Period) -> list[Pep]:
        rng, wd, tl = self.rng, self.wd, self.timeline
        practice = self.practice[child.cic_district]
        school_from, school_to = school_years(child.dob)
        if rng.random() < 0.5:  # half of 16–17-year-olds keep a PEP in Years 12–13
            school_to = add_years(school_to, 2)
        out: list[Pep] = []
        initial_term = -1
        if period.end > tl.local_start and school_from <= period.start <= school_to:
            on_time = rng.random() < practice.at("pep_initial", tl.year_index(period.start))
            day = wd.after(period.start, rng.randrange(3, 11) if on_time else rng.randrange(11, 40))
            if day < period.end and tl.local_start <= day <= tl.as_at:
                out.append(self._pep(child, day, "INITIAL", practice))
                initial_term = bisect.bisect_right(self.term_starts, day) - 1
        first = max(period.start, tl.local_start, school_from)
        last = min(period.end - 1, tl.as_at, school_to)
        if first > last:
            return out
        earliest = wd.after(period.start, 10)
        for index in range(bisect.bisect_right(self.term_starts, first) - 1, len(self.terms)):
            start, end, meet_from, meet_to = self.terms[index]
            if start > last:
                break
            if index == initial_term or end < first:
                continue
            lo, hi = wd.between(max(meet_from, earliest), min(meet_to, last))
            if lo >= hi:
                continue
            chance = practice.at("pep_term", tl.year_index(start))
            if school_age_on(child.dob, start) > 15:
                chance *= 0.75
            if rng.random() < chance:
                out.append(self._pep(child, wd.days[rng.randrange(lo, hi)], "REVIEW", practice))
        return out

    def _pep(self, child: Child, day: int, kind: str, practice: Practice) -> Pep:
        rng = self.rng
        roll = rng.random()
        complete = (
            day + rng.randrange(0, 8)
            if roll < 0.85
            else (day + rng.randrange(8, 40) if roll < 0.97 else NEVER)
        )
        grade = (
            "strong"
            if practice.pep_term[0] >= 0.94
            else "weak"
            if practice.pep_term[0] <= 0.81
            else "base"
        )
        quality = choose(rng, QUALITY[grade])
        rated = complete + rng.randrange(0, 30) if quality and complete != NEVER else NEVER
        return Pep(child.id, day, kind, complete, quality, rated)
