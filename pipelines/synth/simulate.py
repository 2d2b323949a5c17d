"""Simulate one LA: the per-LA model, from arrivals to outcomes.

The random streams of an LA come from ``SeedSequence([seed, la_code])`` only, so one LA's
data never depends on which other LAs are generated, nor on ``--jobs``. Each part of the
model has its own stream, so changing one part leaves the others' draws alone.
"""

from __future__ import annotations

import random
from functools import lru_cache

import numpy as np

from pipelines.synth.allocation import allocate
from pipelines.synth.authorities import Authority
from pipelines.synth.care import CareModel
from pipelines.synth.config import Timeline
from pipelines.synth.dates import WorkingDays, to_date
from pipelines.synth.education import Education
from pipelines.synth.missing import MissingModel
from pipelines.synth.model import World
from pipelines.synth.outcomes import Outcomes
from pipelines.synth.people import Ids
from pipelines.synth.placements import PlacementMaker
from pipelines.synth.places import Places
from pipelines.synth.population import Population
from pipelines.synth.segments import Casework
from pipelines.synth.story import district_practice
from pipelines.synth.teams import TeamIndex
from pipelines.synth.workforce import Workforce

STREAMS = (
    "people",
    "care",
    "story",
    "casework",
    "workforce",
    "missing",
    "education",
    "outcomes",
    "places",
)


class FastRandom(random.Random):
    """``random.Random`` with integer draws by scaling ``random()``: several times faster
    than the exact rejection method, deterministic, and unbiased to within 2**-53 for the
    small ranges a simulation of people uses."""

    def _randbelow(self, n: int) -> int:  # used by choice() and sample()
        return int(self.random() * n)

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        if step != 1 or stop <= start:
            return super().randrange(start, stop, step)
        return start + int(self.random() * (stop - start))


@lru_cache(maxsize=4)
def working_days(first_year: int, last_year: int) -> WorkingDays:
    return WorkingDays(first_year, last_year)


def streams(seed: int, la_code: str) -> tuple[dict[str, FastRandom], np.random.Generator]:
    sequence = np.random.SeedSequence([seed, int(la_code)])
    states = sequence.generate_state(len(STREAMS) + 1, dtype=np.uint64)
    rngs = {name: FastRandom(int(state)) for name, state in zip(STREAMS, states, strict=False)}
    return rngs, np.random.default_rng(int(states[-1]))


def simulate(la: Authority, timeline: Timeline, seed: int, scale: float) -> World:
    rngs, np_rng = streams(seed, la.code)
    volume = la.size * scale
    practice = district_practice(la, len(timeline.years), rngs["story"])
    places = Places(la.code, la.districts, rngs["places"])
    maker = PlacementMaker(rngs["care"], places)
    population = Population(
        la,
        timeline,
        volume,
        rngs["people"],
        np_rng,
        Ids(rngs["people"]),
        CareModel(rngs["care"], maker, timeline.local_start),
        places,
    )
    world = World(la.code)
    world.children = population.looked_after()
    referrals = population.referrals()

    teams = TeamIndex(la)
    world.teams = teams.teams
    casework = Casework(rngs["casework"], timeline, teams)
    missing = MissingModel(rngs["missing"], timeline, practice)
    for child in world.children:
        segments = casework.looked_after(child)
        world.segments.extend(segments)
        world.missing.extend(missing.from_care(child))
        periods = [(p.start, p.end) for p in child.periods]
        world.missing.extend(missing.from_home(child.id, child.dob, segments, periods))
    for child_id, dob, district, day in referrals:
        segments = casework.referred(child_id, dob, district, day)
        if segments:
            world.others[child_id] = dob
            world.segments.extend(segments)
            world.missing.extend(missing.from_home(child_id, dob, segments))
    for episode in world.missing:
        missing.interview(episode)

    workforce = Workforce(rngs["workforce"], timeline, teams, practice)
    world.spells = workforce.staff(world.segments)
    world.allocations = allocate(rngs["workforce"], timeline, teams, world.spells, world.segments)

    workdays = working_days(timeline.years[0] - 3, to_date(timeline.as_at).year + 2)
    education = Education(rngs["education"], timeline, practice, workdays)
    outcomes = Outcomes(rngs["outcomes"], timeline)
    since = timeline.local_start - 365
    for child in world.children:
        for period in child.periods:
            if period.short_break or period.end < since:
                continue
            education.reviews(child, period)
            world.peps.extend(education.peps(child, period))
        outcomes.care_leaver(child)
        outcomes.health(child)
        outcomes.motherhood(child)
    return world
