"""Allocations of children to workers (data-contract.md, allocations.csv).

A case goes to one of three sampled case holders in its team with the lowest cases per
capacity (FTE, a little less for senior practitioners); it is reallocated when the worker
leaves (occasionally after a gap of days, which leaves a child briefly unallocated) and now
and then for other reasons. Each allocation carries the SW_REASON its social worker episode
would have (rules SW03STG1/SW13STG1): LEFTRL when the worker left, TSPROC on a transfer
between teams, a management or other reason otherwise.
"""

from __future__ import annotations

import heapq
import random

from pipelines.synth.care_tables import choose, table
from pipelines.synth.config import Timeline
from pipelines.synth.dates import NEVER, year_end
from pipelines.synth.model import Segment, Spell
from pipelines.synth.segments import TRANSFER_DAYS
from pipelines.synth.teams import TeamIndex

REALLOCATE_MEAN_DAYS = 420
OTHER_REASONS = table(
    {
        "MANAGE": 35,
        "ORGRST": 10,
        "ABSENC": 12,
        "CHCHAN": 15,
        "PCCHAN": 10,
        "OTHERS": 13,
    }
)


def allocate(
    rng: random.Random,
    timeline: Timeline,
    teams: TeamIndex,
    spells: list[Spell],
    segments: list[Segment],
) -> list[tuple[str, str, str, int, int, str]]:
    """Allocations (child, SW_ID, case type, start, end, SW_REASON) of every segment."""
    as_at = timeline.as_at
    random_ = rng.random
    holders: dict[str, list[Spell]] = {t.team_id: [] for t in teams.teams}
    for spell in spells:
        if spell.role in ("4", "5"):
            holders[spell.team_id].append(spell)
    in_post = {team_id: _InPost(team_spells) for team_id, team_spells in holders.items()}
    district, service = teams.district_of(), teams.service_of()
    same_service = {
        team_id: [
            t
            for t in holders
            if service[t] == service[team_id]
            and t != team_id
            and (district[t] == district[team_id] or service[t] in ("CARE_LEAVERS", "DISABILITY"))
        ]
        for team_id in holders
    }
    # with nobody in post in those, a worker of another team of the district covers (then
    # of any team): a looked-after child is never left for weeks without a social worker,
    # whose episodes the DfE expects to follow each other within days (SW10STG2, SW11aSTG2)
    cover_teams = {
        team_id: sorted(
            (t for t in holders if t != team_id and t not in same_service[team_id]),
            key=lambda t: (district[t] != district[team_id], t),
        )
        for team_id in holders
    }
    # new cases come in date order from a sorted list; reallocations from a small heap
    order = sorted(range(len(segments)), key=lambda i: (segments[i].start, i))
    pointer = 0
    requests: list[tuple[int, int, int, str]] = []
    seq = len(segments)
    load: dict[str, float] = {}
    ending: list[tuple[int, str]] = []
    last: dict[str, tuple[str, int]] = {}
    out: list[tuple[str, str, str, int, int, str]] = []
    while requests or pointer < len(order):
        if pointer < len(order) and (
            not requests or segments[order[pointer]].start <= requests[0][0]
        ):
            i = order[pointer]
            pointer += 1
            day, reason = segments[i].start, segments[i].first_reason
        else:
            day, _, i, reason = heapq.heappop(requests)
        seg = segments[i]
        if day > as_at or day >= seg.end:
            continue
        while ending and ending[0][0] <= day:
            sw_id = heapq.heappop(ending)[1]
            load[sw_id] -= 1
        candidates = in_post[seg.team].at(day)
        if not candidates:
            for other in same_service[seg.team] + cover_teams[seg.team]:
                candidates = in_post[other].at(day)
                if candidates:
                    break
        if not candidates:
            heapq.heappush(requests, (day + 7, seq, i, reason))
            seq += 1
            continue
        previous = last.get(seg.child)
        chosen = None
        if previous is not None and previous[1] == day:
            for spell in candidates:
                if spell.sw_id == previous[0]:
                    chosen = spell
                    break
        if chosen is None:
            # the least loaded (per capacity) of three workers drawn at random
            n, best = len(candidates), 1e9
            for _ in range(3):
                spell = candidates[int(random_() * n)]
                score = (load.get(spell.sw_id, 0) + random_()) / spell.capacity
                if score < best:
                    chosen, best = spell, score
            if not reason:  # SW03STG1: every social worker episode has a reason
                if previous is None or day - previous[1] > TRANSFER_DAYS:
                    reason = "FCONTA"  # first contact
                else:
                    reason = "TSPROC"
        assert chosen is not None
        end = min(seg.end, chosen.end, day + 30 + int(rng.expovariate(1 / REALLOCATE_MEAN_DAYS)))
        out.append((seg.child, chosen.sw_id, seg.case_type, day, end, reason))
        load[chosen.sw_id] = load.get(chosen.sw_id, 0) + 1
        heapq.heappush(ending, (end, chosen.sw_id))
        last[seg.child] = (chosen.sw_id, end)
        if end < seg.end:
            next_reason = "LEFTRL" if end == chosen.end else choose(rng, OTHER_REASONS)
            gap_chance = 0.05 if seg.case_type == "CLA" else 0.03
            # a new worker within days (SW10STG2: +/- 7 days between episodes), and by 31
            # March: the year's last social worker episode does not end in its last days
            # with none after it (SW11bSTG2)
            gap = rng.randrange(1, TRANSFER_DAYS + 1) if random_() < gap_chance else 0
            march = year_end(end)
            if end <= march < end + gap:
                gap = march - end
            heapq.heappush(requests, (end + gap, seq, i, next_reason))
            seq += 1
    return out


class _InPost:
    """The case holders of one team in post on a day, cached until the next start or end
    (requests come in date order, so the cache is rebuilt only when staffing changes)."""

    def __init__(self, spells: list[Spell]) -> None:
        self.spells = spells
        self.valid_from = self.valid_until = -1
        self.current: list[Spell] = []

    def at(self, day: int) -> list[Spell]:
        if not self.valid_from <= day < self.valid_until:
            self.current = [s for s in self.spells if s.start <= day < s.end]
            later = [s.start for s in self.spells if s.start > day] + [s.end for s in self.current]
            self.valid_from, self.valid_until = day, min(later, default=NEVER)
        return self.current
