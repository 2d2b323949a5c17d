"""Missing and away episodes, and return home interviews.

About a quarter of children in care aged 11+ go missing at some point (so ~10 % of
children looked after in a year); a few are frequent missers (12–36 episodes a year). Most
episodes last hours (dates only, so MIS_END = MIS_START) or a few days; a quarter are
"away" (A) rather than missing (M). Children in need, on a plan or in Family Help go missing
from home at a lower rate. Every M episode gets a return-home-interview record (5 % get
none): offered, accepted and held within 72 hours at the district's rates (story.py).
"""

from __future__ import annotations

import bisect
import math
import random

from pipelines.synth.care_tables import choose, table
from pipelines.synth.config import Timeline
from pipelines.synth.dates import add_years
from pipelines.synth.model import Child, MissingEpisode, Segment
from pipelines.synth.story import Practice

YEAR = 365.25
DURATION = table({"0": 55, "1": 27, "2": 8, "short": 8, "long": 2})
OFFER_GAP = table({"0": 50, "1": 30, "2": 15, "3": 3, "5": 2})
NO_RECORD = 0.05
HELD_IF_ACCEPTED = 0.93
HOME_CASE_TYPES = ("CIN", "CP", "FAMILY_HELP")


class MissingModel:
    def __init__(
        self, rng: random.Random, timeline: Timeline, practice: dict[str, Practice]
    ) -> None:
        self.rng, self.timeline, self.practice = rng, timeline, practice
        self.first_day = timeline.local_start - 400

    def _propensity(self, p_misser: float, frequent: float, median: float) -> float:
        rng = self.rng
        if rng.random() >= p_misser:
            return 0.0
        if rng.random() < frequent:
            return rng.uniform(12, 36)
        return min(10.0, rng.lognormvariate(math.log(median), 0.7))

    def _duration(self) -> int:
        kind = choose(self.rng, DURATION)
        if kind == "short":
            return self.rng.randrange(3, 8)
        if kind == "long":
            return self.rng.randrange(8, 31)
        return int(kind)

    def _process(
        self,
        child: str,
        dob: int,
        first: int,
        last: int,
        rate: float,
        from_care: bool,
        district: str,
        out: list[MissingEpisode],
    ) -> int:
        """Episodes of a Poisson process in [first, last] (ends clipped to ``last``); rate is
        damped below age 13. Returns the day after the last episode ended."""
        rng = self.rng
        bday13 = add_years(dob, 13)
        day = first
        share_m = 0.8 if rate >= 12 else 0.75
        while True:
            day += int(rng.expovariate(rate / YEAR))
            if day >= last or day > self.timeline.as_at:
                return day
            if day < bday13 and rng.random() > 0.35:
                day += 1
                continue
            # back before ``last`` (care ending while missing is the E8 case, rule 580)
            end = min(day + self._duration(), last - 1)
            if end < day:
                return day
            kind = "M" if rng.random() < share_m else "A"
            out.append(MissingEpisode(child, dob, kind, day, end, from_care, district))
            day = end + 1

    def from_care(self, child: Child) -> list[MissingEpisode]:
        out: list[MissingEpisode] = []
        rate = self._propensity(0.2 if child.uasc else 0.27, 0.12, 3.0)
        bday11 = add_years(child.dob, 11)
        for period in child.periods:
            if period.short_break or period.end < self.first_day:
                continue
            first = max(period.start, bday11, self.first_day)
            last = period.end
            if rate and first < last:
                self._process(child.id, child.dob, first, last, rate, True, child.cic_district, out)
            out[:] = self._within_episodes(period, out)
            if child.uasc and period.episodes[-1].rec == "E8":
                # went missing and never came back: care ends while missing (rule 577 holds),
                # from the last placement (575)
                # (the day after it started: a move day is in two episodes)
                start = max(period.episodes[-1].decom + 1, period.end - self.rng.randrange(10, 60))
                out[:] = [m for m in out if m.end < start]
                if start <= self.timeline.as_at:
                    out.append(
                        MissingEpisode(
                            child.id, child.dob, "M", start, period.end, True, child.cic_district
                        )
                    )
        return out

    @staticmethod
    def _within_episodes(period, episodes: list[MissingEpisode]) -> list[MissingEpisode]:
        """A child who goes missing is back by the time their placement or legal status
        changes: a missing episode ends the day before the next episode starts. A missing
        episode still open when its episode has ended has no end (rule 575), and one that
        runs into a new collection year would start before that year's first episode
        (578/581)."""
        decoms = sorted(e.decom for e in period.episodes)
        changes = set(decoms[1:])
        for m in episodes:
            if period.start <= m.start <= period.end:
                if m.start in changes:  # not on the day of a move, which is in two episodes
                    m.start += 1
                    m.end = max(m.end, m.start)
                i = bisect.bisect_right(decoms, m.start)
                if i < len(decoms) and decoms[i] <= m.end:
                    m.end = decoms[i] - 1
        return episodes

    def from_home(
        self, child: str, dob: int, segments: list[Segment], in_care: list[tuple[int, int]] = ()
    ) -> list[MissingEpisode]:
        """Episodes while the child has a CIN, CP or Family Help case and is not looked
        after (``in_care``: the child's periods of care, short breaks included)."""
        out: list[MissingEpisode] = []
        bday11, bday18 = add_years(dob, 11), add_years(dob, 18)
        spans = [
            s
            for s in segments
            if s.case_type in HOME_CASE_TYPES
            and s.end > bday11
            and not any(a < s.end and s.start < b for a, b in in_care)
        ]
        if not spans:
            return out
        rate = self._propensity(0.1, 0.05, 2.5)
        if not rate:
            return out
        for seg in spans:
            first, last = max(seg.start, bday11), min(seg.end, bday18) - 1
            if first < last:
                self._process(child, dob, first, last, rate, False, seg.district, out)
        return out

    def interview(self, episode: MissingEpisode) -> None:
        """The RHI record of an M episode, at the rates of its district and year."""
        if episode.kind != "M":
            return
        rng = self.rng
        if rng.random() < NO_RECORD:
            return
        practice = self.practice[episode.district]
        year = self.timeline.year_index(episode.end)
        end = episode.end
        if rng.random() >= practice.at("rhi_offer", year):
            episode.recorded = end + rng.randrange(1, 10)
            return
        episode.offered = True
        episode.offered_on = end + int(choose(rng, OFFER_GAP))
        episode.recorded = episode.offered_on
        if rng.random() >= practice.rhi_accept:
            return
        episode.accepted = True
        if rng.random() >= HELD_IF_ACCEPTED:
            return
        if rng.random() < practice.at("rhi_72h", year):
            episode.offered_on = episode.recorded = min(episode.offered_on, end + 3)
            episode.rhi_on = rng.randrange(episode.offered_on, end + 4)
        else:
            episode.rhi_on = rng.randrange(max(episode.offered_on, end + 4), end + 15)
