"""Workers: spells of social workers and managers in teams (data-contract.md, workers.csv).

Staffing follows demand: each month a team hires when its case-holding FTE falls short of
its open cases divided by the district's target caseload for that year (story.py), so the
district story on caseloads comes out of the data. Permanent staff leave at ~13 % a year
and agency staff at ~45 %; about one permanent leaver in eight moves to another team in the
same district instead. Allocations are in allocation.py.
"""

from __future__ import annotations

import bisect
import math
import random

from pipelines.synth.care_tables import choose, table
from pipelines.synth.config import Timeline
from pipelines.synth.dates import NEVER, add_months
from pipelines.synth.model import Segment, Spell
from pipelines.synth.story import COUNTY, Practice
from pipelines.synth.teams import TeamIndex

FTE = table({"1.0": 76, "0.8": 8, "0.6": 5, "0.5": 5, "0.9": 3, "0.7": 3})
LEAVE_PER_MONTH = {False: 0.011, True: 0.05}
MANAGER_LEAVE_PER_MONTH = 0.008
TEAM_MOVE = 0.12
#: Caseload targets of county-wide services relative to the county base.
SERVICE_LOAD = {"CARE_LEAVERS": 1.15, "DISABILITY": 0.85, "CHILDREN_IN_CARE": 0.95}


class Workforce:
    def __init__(
        self,
        rng: random.Random,
        timeline: Timeline,
        teams: TeamIndex,
        practice: dict[str, Practice],
    ) -> None:
        self.rng, self.timeline, self.teams, self.practice = rng, timeline, teams, practice
        self.spells: list[Spell] = []
        self._next_sw = 0
        self._team = {t.team_id: t for t in teams.teams}

    def _sw_id(self) -> str:
        self._next_sw += 1
        return f"SW{self._next_sw:06d}"

    def _target(self, team_id: str, day: int) -> float:
        team = self._team[team_id]
        year = self.timeline.year_index(day)
        return self.practice[team.district].at("caseload", year) * (
            SERVICE_LOAD.get(team.service, 1.0) if team.district == COUNTY else 1.0
        )

    def _agency_share(self, district: str, day: int) -> float:
        return self.practice[district].at("agency", self.timeline.year_index(day))

    # ------------------------------------------------------------------ staffing
    def staff(self, segments: list[Segment]) -> list[Spell]:
        rng, tl = self.rng, self.timeline
        starts: dict[str, list[int]] = {t.team_id: [] for t in self.teams.teams}
        ends: dict[str, list[int]] = {t.team_id: [] for t in self.teams.teams}
        for seg in segments:
            starts[seg.team].append(seg.start)
            ends[seg.team].append(seg.end)
        for team_id in starts:
            starts[team_id].sort()
            ends[team_id].sort()
        district = self.teams.district_of()
        holders: dict[str, list[Spell]] = {t: [] for t in starts}
        managers: list[Spell] = []
        self._managers(managers)
        month = tl.local_start
        first = True
        while month <= tl.as_at:
            for team_id, current in holders.items():
                if not first:
                    self._leavers(team_id, current, holders, month)
                mid = month + 15
                open_cases = bisect.bisect_right(starts[team_id], mid) - bisect.bisect_right(
                    ends[team_id], mid
                )
                required = max(1.0, open_cases / self._target(team_id, month))
                have = sum(s.fte for s in current if s.start <= mid <= s.end)
                if have < required - 0.4:
                    for _ in range(math.ceil((required - have) / 0.93)):
                        # agency staff stay ~4x shorter, so hires must be agency ~3x as
                        # often as the share of staff in post that is wanted
                        share = self._agency_share(district[team_id], month)
                        agency = rng.random() < (share if first else min(0.9, 3.1 * share))
                        fte = 1.0 if agency and rng.random() < 0.9 else float(choose(rng, FTE))
                        role = "4" if rng.random() < 0.25 else "5"
                        begin = (
                            month - rng.randrange(30, 3650)
                            if first
                            else month + rng.randrange(0, 28)
                        )
                        spell = Spell(self._sw_id(), team_id, role, fte, agency, begin)
                        current.append(spell)
                        self.spells.append(spell)
                holders[team_id] = [s for s in current if s.end >= month]
            self._replace_managers(managers, month)
            first = False
            month = add_months(month, 1)
        return self.spells

    def _leavers(
        self, team_id: str, current: list[Spell], holders: dict[str, list[Spell]], month: int
    ) -> None:
        rng = self.rng
        for spell in list(current):
            if spell.end != NEVER or spell.start > month:
                continue
            if rng.random() >= LEAVE_PER_MONTH[spell.agency]:
                continue
            spell.end = month + rng.randrange(0, 28)
            if not spell.agency and rng.random() < TEAM_MOVE:
                team = self._team[team_id]
                options = [
                    t
                    for t in self.teams.teams
                    if t.district == team.district
                    and t.team_id != team_id
                    and t.service
                    in (
                        "ASSESSMENT",
                        "CHILD_IN_NEED",
                        "CHILDREN_IN_CARE",
                        "FAMILY_HELP",
                        "CARE_LEAVERS",
                        "DISABILITY",
                    )
                ]
                if options:
                    target = rng.choice(options).team_id
                    moved = Spell(spell.sw_id, target, spell.role, spell.fte, False, spell.end + 1)
                    holders[target].append(moved)
                    self.spells.append(moved)

    def _managers(self, managers: list[Spell]) -> None:
        """Team managers (3), a service manager per district (2), senior managers (1) and
        some qualified staff without cases (6): none of them hold cases."""
        rng, tl = self.rng, self.timeline
        for team in self.teams.teams:
            managers.append(
                Spell(
                    self._sw_id(),
                    team.team_id,
                    "3",
                    1.0,
                    False,
                    tl.local_start - rng.randrange(60, 3000),
                )
            )
        for name in self.teams.districts:
            assessment = self.teams.by_service(name, "ASSESSMENT")[0]
            managers.append(
                Spell(
                    self._sw_id(),
                    assessment,
                    "2",
                    1.0,
                    False,
                    tl.local_start - rng.randrange(60, 3000),
                )
            )
            if rng.random() < 0.5:
                managers.append(
                    Spell(
                        self._sw_id(),
                        assessment,
                        "6",
                        float(choose(rng, FTE)),
                        False,
                        tl.local_start - rng.randrange(60, 2000),
                    )
                )
        county = self.teams.by_service(COUNTY, "CHILDREN_IN_CARE")[0]
        for _ in range(2):
            managers.append(
                Spell(
                    self._sw_id(), county, "1", 1.0, False, tl.local_start - rng.randrange(60, 3000)
                )
            )
        self.spells.extend(managers)

    def _replace_managers(self, managers: list[Spell], month: int) -> None:
        rng = self.rng
        for spell in list(managers):
            if spell.end != NEVER or spell.start > month or rng.random() >= MANAGER_LEAVE_PER_MONTH:
                continue
            spell.end = month + rng.randrange(0, 28)
            new = Spell(
                self._sw_id(),
                spell.team_id,
                spell.role,
                spell.fte,
                False,
                spell.end + rng.randrange(1, 40),
            )
            managers.append(new)
            self.spells.append(new)

    # ------------------------------------------------------------------ allocations
