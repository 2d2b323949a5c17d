"""SSDA903 rows of one extract, as known at its coverage end (data-contract.md).

Every file shows the world as it was known on the extract's coverage end C: an episode
ending after C has blank DEC, REC and REASON_PLACE_CHANGE; a missing episode still open at
C has blank MIS_END; nothing dated after C appears. Per collection year: header = children
looked after in the year plus the OC3 cohort; episodes open at any time in the year (DEC on
or after 1 April, or open); missing episodes started or open in the year; reviews held in
it; OC2 for final returns only; OC3 for 17th–21st birthdays in the year up to C.
"""

from __future__ import annotations

from pipelines.lib.codesets import P2_LAST_DAY, REC_ADOPTED, URN_NOT_APPLICABLE, sex_code
from pipelines.synth.config import Extract
from pipelines.synth.dates import add_years, d, fmt
from pipelines.synth.model import Child, Episode, MissingEpisode, World

Row = tuple[str, ...]
#: From 2025-26 ``XXXXXXX`` is only for foster and adoptive placements with no Ofsted URN
#: (rule 242); placement types that never have one leave URN blank (218, 222).
URN_BLANK_FROM = 2025


#: Semi-independent accommodation (H5) registered with Ofsted from 28 Oct 2023: its URN is
#: required for placements open from then (rule 230) and not given before (222).
H5_URN_FROM = P2_LAST_DAY.toordinal()


def urn_code(ep: Episode, year: int, placed_until: int) -> str:
    """The URN of an episode as the return of collection ``year`` writes it; the placement
    it belongs to lasts until ``placed_until`` (as far as the return knows)."""
    if ep.place == "H5" and (year < 2023 or placed_until < H5_URN_FROM):
        return URN_NOT_APPLICABLE
    return "" if ep.urn == URN_NOT_APPLICABLE and year >= URN_BLANK_FROM else ep.urn


def _placement_ends(episodes: list[Episode]) -> list[int]:
    """For each episode, the end of the placement it is part of (the last of the following
    episodes with the same placement: a change of legal status keeps the placement)."""
    ends = [ep.dec for ep in episodes]
    for i in range(len(episodes) - 2, -1, -1):
        a, b = episodes[i], episodes[i + 1]
        if (a.place, a.urn, a.pl_post, a.provider) == (b.place, b.urn, b.pl_post, b.provider):
            ends[i] = ends[i + 1]
    return ends


def _d(day: int, known_by: int) -> str:
    """A date if it is known by ``known_by``, else blank."""
    return fmt(day) if day <= known_by else ""


class Tables903:
    def __init__(self, world: World) -> None:
        self.world = world
        self.missing: dict[str, list[MissingEpisode]] = {}
        for episode in world.missing:
            if episode.from_care:
                self.missing.setdefault(episode.child, []).append(episode)
        self.allocations: dict[str, list[tuple[str, str, str, int, int, str]]] = {}
        for allocation in sorted(world.allocations, key=lambda a: (a[0], a[3])):
            self.allocations.setdefault(allocation[0], []).append(allocation)
        self._year = -1
        self._in_year: list[Child] = []
        self._leavers: list[Child] = []

    def _candidates(self, year: int, start: int, end: int) -> None:
        if year == self._year:
            return
        self._year = year
        self._in_year = [
            c
            for c in self.world.children
            if any(p.start <= end and p.end >= start for p in c.periods)
        ]
        self._leavers = [c for c in self.world.children if c.oc3]

    def build(self, extract: Extract) -> dict[str, list[Row]]:
        """Rows of every 903 table for ``extract`` (by child, then in date order)."""
        start, cover = extract.start, extract.coverage_end
        self._candidates(extract.year, start, d(extract.year + 1, 3, 31))
        tables: dict[str, list[Row]] = {
            name: []
            for name in (
                "header",
                "episodes",
                "reviews",
                "missing",
                "oc2",
                "oc3",
                "uasc",
                "ad1",
                "placed_for_adoption",
                "previous_permanence",
                "sw_episodes",
            )
        }
        in_care: list[Child] = []
        for child in self._in_year:
            rows = self._episodes(child, start, cover, extract.year)
            if not rows:
                continue
            in_care.append(child)
            tables["episodes"].extend(rows)
            dob = fmt(child.dob)
            for period in child.periods:
                tables["reviews"].extend(
                    (child.id, dob, fmt(day), code)
                    for day, code in period.reviews
                    if start <= day <= cover
                )
            for m in self.missing.get(child.id, ()):
                if m.start <= cover and m.end >= start:
                    tables["missing"].append(
                        (child.id, dob, m.kind, fmt(m.start), _d(m.end, cover))
                    )
            if extract.is_final and extract.year in child.oc2:
                tables["oc2"].append((child.id, dob, *child.oc2[extract.year]))
            self._adoption(child, start, cover, tables)
            if any(start <= p.start <= cover for p in child.periods):
                # every start of care in the year, short breaks too (rule 630)
                perm, la_perm, when = child.prev_perm
                tables["previous_permanence"].append((child.id, dob, perm, la_perm, when))
            if extract.has_sw_episodes:
                tables["sw_episodes"].extend(self._sw_episodes(child, start, cover))
        leavers: list[Child] = []
        for child in self._leavers:
            for age, (touch, activ, accom) in child.oc3.items():
                if start <= add_years(child.dob, age) <= cover:
                    tables["oc3"].append((child.id, fmt(child.dob), touch, activ, accom))
                    leavers.append(child)
        looked_after = {c.id for c in in_care}
        in_header = {c.id: c for c in in_care} | {c.id: c for c in leavers}
        for child in in_header.values():
            tables["header"].append(self._header(child, extract, child.id in looked_after))
            if child.uasc and child.id in looked_after and add_years(child.dob, 18) >= start:
                # DUC: UASC status ceases on the 18th birthday, which is known in advance and
                # given every year (rule 205B); never before the year (104); only for children
                # looked after in the year (1014: not for care leavers)
                tables["uasc"].append(
                    (
                        child.id,
                        sex_code(child.sex, extract.year),
                        fmt(child.dob),
                        fmt(add_years(child.dob, 18)),
                    )
                )
        for rows in tables.values():
            rows.sort(key=lambda row: row[0])  # by child; stable, so dates stay in order
        return tables

    @staticmethod
    def _episodes(child: Child, start: int, cover: int, year: int) -> list[Row]:
        rows = []
        for period in child.periods:
            if period.start > cover or period.end < start:
                continue
            placement_end = _placement_ends(period.episodes)
            for ep, placed_until in zip(period.episodes, placement_end, strict=True):
                if ep.decom > cover or ep.dec < start:
                    continue
                ended = ep.dec <= cover
                # no home postcode for UASC (rule 406: no distance) nor short breaks (398)
                home = "" if child.uasc or ep.ls in ("V3", "V4") else child.home_post
                rows.append(
                    (
                        child.id,
                        fmt(ep.decom),
                        ep.rne,
                        ep.ls,
                        ep.cin,
                        ep.place,
                        ep.provider,
                        fmt(ep.dec) if ended else "",
                        ep.rec if ended else "",
                        ep.reason if ended else "",
                        home,
                        ep.pl_post,
                        urn_code(ep, year, min(placed_until, cover + 1)),
                    )
                )
        return rows

    @staticmethod
    def _header(child: Child, extract: Extract, looked_after: bool) -> Row:
        cover = extract.coverage_end
        upn = child.upn if child.upn_from <= cover else child.upn_before
        short_breaks_only = all(p.short_break for p in child.periods)
        if child.sex != "F" or not looked_after or short_breaks_only:
            # MOTHER only for girls looked after in the year (rule 628), not on short
            # breaks only (399)
            mother, mc_dob = "", ""
        elif child.mc_dob <= cover:
            mother, mc_dob = "1", fmt(child.mc_dob)
        else:
            mother, mc_dob = "0", ""
        return (
            child.id,
            sex_code(child.sex, extract.year),
            fmt(child.dob),
            child.ethnic,
            upn,
            mother,
            mc_dob,
        )

    @staticmethod
    def _adoption(child: Child, start: int, cover: int, tables: dict[str, list[Row]]) -> None:
        dob = fmt(child.dob)
        for period in child.periods:
            adoption = period.adoption
            if adoption is None or adoption.decision > cover or period.start > cover:
                continue
            if adoption.ceased >= start and period.end >= start:
                ceased = adoption.ceased <= cover
                tables["placed_for_adoption"].append(
                    (
                        child.id,
                        dob,
                        fmt(adoption.decision),
                        fmt(adoption.ceased) if ceased else "",
                        adoption.ceased_reason if ceased else "",
                    )
                )
            rec = period.episodes[-1].rec
            if rec in REC_ADOPTED and start <= period.end <= cover:
                tables["ad1"].append(
                    (
                        child.id,
                        dob,
                        fmt(adoption.decision),
                        fmt(adoption.match),
                        adoption.foster_care,
                        adoption.nb_adoptr,
                        adoption.sex_adoptr,
                        adoption.ls_adoptr,
                    )
                )

    def _sw_episodes(self, child: Child, start: int, cover: int) -> list[Row]:
        """Social worker episodes over the year (all case types, rule SW12STG2), with
        back-to-back allocations to the same worker merged into one episode. For a child no
        longer looked after at the coverage end, episodes stop when care ended (SW03STG1:
        they must have an end date); children only on short breaks have none."""
        periods = [p for p in child.periods if not p.short_break and p.start <= cover]
        if not periods:
            return []
        cutoff = periods[-1].end if periods[-1].end <= cover else None
        merged: list[list] = []
        for _, sw_id, _, a_start, a_end, reason in self.allocations.get(child.id, ()):
            if a_start > cover or (cutoff is not None and a_start >= cutoff):
                break
            if cutoff is not None:
                a_end = min(a_end, cutoff)
            if merged and merged[-1][0] == sw_id and merged[-1][2] == a_start:
                merged[-1][2] = a_end
            else:
                merged.append([sw_id, a_start, a_end, reason])
        dob = fmt(child.dob)
        return [
            (child.id, dob, sw_id, fmt(a_start), _d(a_end, cover), reason)
            for sw_id, a_start, a_end, reason in merged
            if a_end > start
        ]
