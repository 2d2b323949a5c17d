"""The simulated world of one LA: plain records with ``__slots__`` (dates are ordinals).

Records hold the *truth* (for example an episode's real end date, even if it lies after an
extract); the table builders decide what each extract could know.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.synth.dates import NEVER


class Episode:
    __slots__ = (
        "cin",
        "dec",
        "decom",
        "ls",
        "pl_post",
        "place",
        "provider",
        "reason",
        "rec",
        "rne",
        "urn",
    )

    def __init__(
        self,
        decom: int,
        rne: str,
        ls: str,
        cin: str,
        place: str,
        provider: str,
        pl_post: str,
        urn: str,
    ) -> None:
        self.decom, self.rne, self.ls, self.cin = decom, rne, ls, cin
        self.place, self.provider, self.pl_post, self.urn = place, provider, pl_post, urn
        self.dec = NEVER
        self.rec = ""
        self.reason = ""  # REASON_PLACE_CHANGE, on the episode that ends with the change


class Adoption:
    """Decision that the child should be placed for adoption, and what followed."""

    __slots__ = (
        "ceased",
        "ceased_reason",
        "decision",
        "foster_care",
        "ls_adoptr",
        "match",
        "nb_adoptr",
        "placed",
        "sex_adoptr",
    )

    def __init__(self, decision: int) -> None:
        self.decision = decision
        self.ceased = NEVER
        self.ceased_reason = ""
        self.match = NEVER
        self.placed = NEVER
        self.foster_care = "0"
        self.nb_adoptr = "2"
        self.sex_adoptr = "MF"
        self.ls_adoptr = "L11"


class Period:
    """A period of care: episodes joined by X1, from ``start`` to ``end`` (NEVER if open)."""

    __slots__ = ("adoption", "end", "episodes", "reviews", "short_break", "start")

    def __init__(self, start: int, short_break: bool = False) -> None:
        self.start = start
        self.end = NEVER
        self.short_break = short_break
        self.episodes: list[Episode] = []
        self.adoption: Adoption | None = None
        self.reviews: list[tuple[int, str]] = []


class Child:
    __slots__ = (
        "care_leaver_from",
        "cic_district",
        "died",
        "disabled",
        "district",
        "dob",
        "ethnic",
        "home_post",
        "id",
        "mc_dob",
        "oc2",
        "oc3",
        "periods",
        "prev_perm",
        "sex",
        "uasc",
        "upn",
        "upn_before",
        "upn_from",
    )

    def __init__(self, child_id: str, sex: str, dob: int, district: str) -> None:
        self.id, self.sex, self.dob, self.district = child_id, sex, dob, district
        self.cic_district = district  # district of the team that looks after the child in care
        self.ethnic = "WBRI"
        self.upn = ""
        self.upn_from = 0  # the UPN is known from this date; before it, upn_before (UN1/UN2)
        self.upn_before = "UN1"
        self.uasc = False
        self.disabled = False
        self.home_post = ""
        self.mc_dob = NEVER  # date of birth of the young woman's own child, if any
        self.prev_perm: tuple[str, str, str] = ("Z1", "", "")  # PREV_PERM, LA_PERM, DATE_PERM
        self.periods: list[Period] = []
        self.care_leaver_from = NEVER  # qualifying care ended on this date (OC3 cohort)
        self.died = NEVER  # a care leaver who died (OC3 IN_TOUCH = DIED)
        self.oc3: dict[int, tuple[str, str, str]] = {}  # age on birthday -> IN_TOUCH, ACTIV, ACCOM
        self.oc2: dict[int, tuple[str, ...]] = {}  # collection year -> OC2 values after DOB


class Segment:
    """A stretch of one case type held by one team for one child (allocations follow it)."""

    __slots__ = ("case_type", "child", "district", "end", "first_reason", "start", "team")

    def __init__(
        self,
        child: str,
        case_type: str,
        team: str,
        district: str,
        start: int,
        end: int,
        first_reason: str = "",
    ) -> None:
        self.child, self.case_type, self.team, self.district = child, case_type, team, district
        self.start, self.end, self.first_reason = start, end, first_reason


@dataclass
class Team:
    team_id: str
    name: str
    district: str
    service: str


@dataclass
class Spell:
    sw_id: str
    team_id: str
    role: str
    fte: float
    agency: bool
    start: int
    end: int = NEVER  # last day in post (inclusive)

    @property
    def capacity(self) -> float:
        """Relative caseload a worker carries: FTE, a little less for senior practitioners."""
        return self.fte * (0.85 if self.role == "4" else 1.0)


@dataclass
class MissingEpisode:
    child: str
    dob: int
    kind: str  # M or A
    start: int
    end: int
    from_care: bool
    district: str
    # return interview record (M episodes): day the record exists, offered, offer day,
    # accepted, interview day (NEVER if none)
    recorded: int = NEVER
    offered: bool = False
    offered_on: int = NEVER
    accepted: bool = False
    rhi_on: int = NEVER


@dataclass
class Pep:
    child: str
    day: int
    kind: str  # INITIAL or REVIEW
    complete_on: int
    quality: str
    rated_on: int


@dataclass
class World:
    """Everything simulated for one LA."""

    la: str
    children: list[Child] = field(default_factory=list)  # children ever looked after / leavers
    others: dict[str, int] = field(default_factory=dict)  # other children: id -> DOB
    segments: list[Segment] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    spells: list[Spell] = field(default_factory=list)
    allocations: list[tuple[str, str, str, int, int, str]] = field(default_factory=list)
    missing: list[MissingEpisode] = field(default_factory=list)
    peps: list[Pep] = field(default_factory=list)
