"""Casework: which case type each child has, held by which team, from when to when.

A child's segments never overlap; consecutive segments in different teams are transfers
(the new social worker episode's SW_REASON is ``TSPROC``). Looked-after children usually had
a child in need or child protection case first, go to a Children in Care team (Disabled
Children for disabled children, the county team for UASC), may have a child in need case
after going home, and care leavers go to a county Care Leavers team until 21 (or 25).
Children who are not looked after: an assessment, then no further action, Family Help, a
child in need plan or a child protection plan; some come straight to Family Help or the
Disabled Children teams; a fifth are referred again.
"""

from __future__ import annotations

import random

from pipelines.synth.config import Timeline
from pipelines.synth.dates import NEVER, add_years, year_end
from pipelines.synth.model import Child, Segment
from pipelines.synth.teams import TeamIndex

RE_REFERRAL = 0.2
#: A case starting within 5 days of the last one ended is a transfer (SW_REASON TSPROC);
#: later, a new involvement (FCONTA, first contact): rules SW10STG2 (+/- 7 days) and
#: SW11aSTG2 of 2023-24 (+/- 5 days).
TRANSFER_DAYS = 5
WENT_HOME = ("E4A", "E4B", "E13", "E41")


class Casework:
    def __init__(self, rng: random.Random, timeline: Timeline, teams: TeamIndex) -> None:
        self.rng, self.timeline, self.teams = rng, timeline, teams

    def _chain(self, child: str, parts: list[tuple[str, str, str, int, int]]) -> list[Segment]:
        """Segments from (case type, service, district, start, end), clipped to the local
        history and to each other; sets the reason each one's first allocation starts."""
        out: list[Segment] = []
        last_end = -1
        for case_type, service, district, start, end in parts:
            start = max(start, last_end, self.timeline.local_start)
            if end <= start or start > self.timeline.as_at:
                continue
            if last_end < 0 or start == self.timeline.local_start:
                reason = ""  # the allocation sweep gives first allocations FCONTA
            elif start - last_end <= TRANSFER_DAYS:
                reason = "TSPROC"
            else:
                reason = "FCONTA"  # a new involvement: first contact (SW10STG2)
            team = self.teams.team(service, district, child)
            if out and out[-1].team == team and out[-1].end == start and reason == "TSPROC":
                reason = ""  # same team carries on: the same worker keeps the case
            out.append(Segment(child, case_type, team, district, start, end, reason))
            last_end = end
        return out

    def looked_after(self, child: Child) -> list[Segment]:
        rng = self.rng
        parts: list[tuple[str, str, str, int, int]] = []
        periods = child.periods
        for i, period in enumerate(periods):
            next_start = periods[i + 1].start if i + 1 < len(periods) else NEVER
            if period.short_break:
                parts.append(("CIN", "DISABILITY", child.district, period.start, period.end))
                continue
            if not child.uasc and rng.random() < 0.85:
                case_type = "CP" if rng.random() < 0.45 else "CIN"
                first = max(period.start - rng.randrange(30, 300), child.dob + 1)
                parts.append((case_type, "CHILD_IN_NEED", child.district, first, period.start))
            delay = rng.randrange(1, TRANSFER_DAYS + 1) if rng.random() < 0.02 else 0
            # allocated by 31 March at the latest (SW11bSTG2: no episode ends in the year's
            # last days with none after it)
            delay = min(delay, year_end(period.start) - period.start)
            if child.disabled:
                service, district = "DISABILITY", child.district
            else:
                service, district = "CHILDREN_IN_CARE", child.cic_district
            parts.append(("CLA", service, district, period.start + delay, period.end))
            if period.episodes[-1].rec in WENT_HOME and rng.random() < 0.6:
                end = min(period.end + rng.randrange(60, 200), next_start)
                parts.append(("CIN", "CHILD_IN_NEED", child.district, period.end, end))
        if child.care_leaver_from != NEVER:
            until = add_years(child.dob, 21 if rng.random() < 0.75 else 25)
            until = min(until, child.died)
            parts.append(
                ("CARE_LEAVER", "CARE_LEAVERS", child.district, child.care_leaver_from, until)
            )
        return self._chain(child.id, parts)

    def referred(self, child: str, dob: int, district: str, day: int) -> list[Segment]:
        """One or more involvements of a child who is not looked after."""
        rng = self.rng
        bday18 = add_years(dob, 18)
        parts: list[tuple[str, str, str, int, int]] = []
        while day < min(bday18, self.timeline.as_at):
            age = (day - dob) / 365.25
            roll = rng.random()
            if roll < 0.04 and age >= 1:
                parts.append(("CIN", "DISABILITY", district, day, day + rng.randrange(365, 1460)))
            elif roll < 0.32:
                parts.append(
                    ("FAMILY_HELP", "FAMILY_HELP", district, day, day + rng.randrange(90, 240))
                )
            else:
                end = day + rng.randrange(14, 63)
                parts.append(("CIN", "ASSESSMENT", district, day, end))
                outcome = rng.random()
                if outcome < 0.40:
                    pass
                elif outcome < 0.62:
                    parts.append(
                        ("FAMILY_HELP", "FAMILY_HELP", district, end, end + rng.randrange(90, 240))
                    )
                elif outcome < 0.88:
                    parts.append(
                        ("CIN", "CHILD_IN_NEED", district, end, end + rng.randrange(120, 365))
                    )
                else:
                    cp_end = end + rng.randrange(150, 450)
                    parts.append(("CP", "CHILD_IN_NEED", district, end, cp_end))
                    if rng.random() < 0.6:
                        parts.append(
                            (
                                "CIN",
                                "CHILD_IN_NEED",
                                district,
                                cp_end,
                                cp_end + rng.randrange(90, 180),
                            )
                        )
            if rng.random() >= RE_REFERRAL:
                break
            day = parts[-1][4] + rng.randrange(60, 540)
        parts = [(c, s, d, a, min(b, bday18)) for c, s, d, a, b in parts]
        return self._chain(child, parts)
