"""The team structure of an LA (data-contract.md, teams.csv).

Each district has an Assessment team, one or two Child in Need and Protection teams (two in
the busier districts), a Family Help team and a Children in Care team. County-wide teams
(DISTRICT ``County``): Care Leavers (2–3, by area), Disabled Children (2, by area) and a
county Children in Care and UASC team.
"""

from __future__ import annotations

from pipelines.synth.authorities import Authority
from pipelines.synth.model import Team
from pipelines.synth.story import COUNTY


class TeamIndex:
    """Teams of one LA and which team holds which kind of case."""

    def __init__(self, la: Authority) -> None:
        self.la_code = la.code
        self.teams: list[Team] = []
        self._by: dict[tuple[str, str], list[str]] = {}
        weights = sorted(d.population * d.need for d in la.districts)
        busy = weights[len(weights) // 2]
        for district in la.districts:
            name = district.name
            self._add(name, "ASSESSMENT", f"{name} Assessment")
            two = district.population * district.need > busy
            for i in range(2 if two else 1):
                suffix = f" {i + 1}" if two else ""
                self._add(name, "CHILD_IN_NEED", f"{name} Child in Need and Protection{suffix}")
            self._add(name, "FAMILY_HELP", f"{name} Family Help")
            self._add(name, "CHILDREN_IN_CARE", f"{name} Children in Care")
        areas = (
            ("North", "South West", "South East") if len(la.districts) >= 5 else ("North", "South")
        )
        for area in areas:
            self._add(COUNTY, "CARE_LEAVERS", f"Care Leavers {area}")
        for area in ("North", "South"):
            self._add(COUNTY, "DISABILITY", f"Disabled Children {area}")
        self._add(COUNTY, "CHILDREN_IN_CARE", "Children in Care County and UASC")
        self.districts = [d.name for d in la.districts]

    def _add(self, district: str, service: str, name: str) -> None:
        team_id = f"{self.la_code}T{len(self.teams) + 1:02d}"
        team = Team(team_id, name, district, service)
        self.teams.append(team)
        self._by.setdefault((district, service), []).append(team_id)

    def _area(self, district: str, n: int) -> int:
        if district not in self.districts:
            return 0
        return self.districts.index(district) * n // len(self.districts)

    def team(self, service: str, district: str, child: str) -> str:
        """The team of ``service`` that holds a case of a child living in ``district``."""
        if service in ("CARE_LEAVERS", "DISABILITY"):
            options = self._by[(COUNTY, service)]
            return options[self._area(district, len(options))]
        if district == COUNTY:
            return self._by[(COUNTY, service)][0]
        options = self._by[(district, service)]
        return options[int(child) % len(options)]

    def by_service(self, district: str, service: str) -> list[str]:
        return self._by.get((district, service), [])

    def district_of(self) -> dict[str, str]:
        return {t.team_id: t.district for t in self.teams}

    def service_of(self) -> dict[str, str]:
        return {t.team_id: t.service for t in self.teams}
