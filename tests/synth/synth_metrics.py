"""Measures of a landing folder, computed from the files as the KPI definitions read them
(shared/spec/kpis.md), to test that the synthetic data give believable values."""

from __future__ import annotations

import bisect
import itertools
import statistics
from collections import Counter, defaultdict
from datetime import date

from synth_checks import LaData, add_years, day
from synth_history import care_history


def month_ends(first: int, last: int) -> list[int]:
    out, d = [], date.fromordinal(first)
    y, m = d.year, d.month
    while True:
        nxt = date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1
        if nxt > last:
            return out
        out.append(nxt)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def years(la: LaData) -> list[int]:
    return sorted({ex.year for ex in la.extracts})


def cla_on(la: LaData, on: int) -> int:
    care = care_history(la)
    return sum(
        any(s <= on and (e is None or on < e) for s, e in spans) for spans in care.periods.values()
    )


def starts_in(la: LaData, year: int) -> int:
    first, last = date(year, 4, 1).toordinal(), date(year + 1, 3, 31).toordinal()
    return sum(first <= s <= last for spans in care_history(la).periods.values() for s, _ in spans)


def allocated_children(la: LaData, year: int) -> int:
    first, last = date(year, 4, 1).toordinal(), date(year + 1, 3, 31).toordinal()
    return len(
        {
            r["CHILD"]
            for r in la.latest_local["allocations"]
            if day(r["ALLOC_START"]) <= last and (not r["ALLOC_END"] or day(r["ALLOC_END"]) > first)
        }
    )


def caseloads(la: LaData, on: int, district: str | None = None) -> list[float]:
    """Cases per FTE of each case-holding worker on ``on`` (kpis.md D), optionally only
    workers in a team of ``district``."""
    snap = la.latest_local
    team = {r["TEAM_ID"]: r["DISTRICT"] for r in snap["teams"]}
    spells = {}
    for r in snap["workers"]:
        if district is not None and team[r["TEAM_ID"]] != district:
            continue
        if (
            r["ROLE"] in ("4", "5")
            and day(r["START_DATE"]) <= on
            and (not r["END_DATE"] or day(r["END_DATE"]) >= on)
        ):
            spells[r["SW_ID"]] = float(r["FTE"])
    cases: dict[str, set[str]] = defaultdict(set)
    for r in snap["allocations"]:
        if (
            day(r["ALLOC_START"]) <= on
            and (not r["ALLOC_END"] or day(r["ALLOC_END"]) > on)
            and r["SW_ID"] in spells
        ):
            cases[r["SW_ID"]].add(r["CHILD"])
    return [len(c) / spells[sw] for sw, c in cases.items()]


def agency_share(la: LaData, on: int) -> float:
    snap = la.latest_local
    holding = {
        r["SW_ID"]
        for r in snap["allocations"]
        if day(r["ALLOC_START"]) <= on and (not r["ALLOC_END"] or day(r["ALLOC_END"]) > on)
    }
    total = agency = 0.0
    for r in snap["workers"]:
        if (
            r["SW_ID"] in holding
            and r["ROLE"] in ("4", "5")
            and day(r["START_DATE"]) <= on
            and (not r["END_DATE"] or day(r["END_DATE"]) >= on)
        ):
            total += float(r["FTE"])
            agency += float(r["FTE"]) * (r["AGENCY"] == "Y")
    return agency / total


def unallocated(la: LaData, on: int) -> int:
    """Children looked after on ``on`` with no open allocation (kpis.md cla_unallocated)."""
    care = care_history(la)
    spans = la.__dict__.get("_alloc")
    if spans is None:
        spans = la.__dict__["_alloc"] = defaultdict(list)
        for r in la.latest_local["allocations"]:
            if r["CHILD"] in care.periods:
                spans[r["CHILD"]].append(
                    (day(r["ALLOC_START"]), day(r["ALLOC_END"]) if r["ALLOC_END"] else 10**7)
                )
    allocated = {c for c, a in spans.items() if any(s <= on < e for s, e in a)}
    looked_after = {
        c
        for c, spans in care.periods.items()
        if any(s <= on and (e is None or on < e) for s, e in spans)
    }
    return len(looked_after - allocated)


def missing_rates(la: LaData, year: int) -> dict[str, float]:
    """Share of children looked after in the year who went missing (M), and more."""
    ex = next(e for e in la.latest_per_year() if e.year == year)
    first, last = ex.start, ex.coverage_end
    care = care_history(la)
    in_year = {
        c
        for c, spans in care.periods.items()
        if any(s <= last and (e is None or e > first) for s, e in spans)
    }
    starts = [r for r in ex.tables["missing"] if first <= day(r["MIS_START"]) <= last]
    m_children = {r["CHILD"] for r in starts if r["MISSING"] == "M"} & in_year
    per_child = Counter(r["CHILD"] for r in starts)
    ages = [(day(r["MIS_START"]) - day(r["DOB"])) / 365.25 for r in starts]
    same_day = sum(r["MIS_END"] == r["MIS_START"] for r in starts)
    return {
        "missing_pct": 100 * len(m_children) / len(in_year),
        "frequent_missers": sum(n >= 10 for n in per_child.values()),
        "teen_share": 100 * sum(13 <= a < 18 for a in ages) / len(ages),
        "same_day_pct": 100 * same_day / len(starts),
        "away_pct": 100 * sum(r["MISSING"] == "A" for r in starts) / len(starts),
    }


def rhi_rates(la: LaData, first: int, last: int, district_of=None) -> dict[str, float]:
    """RHI offered / accepted / within 72 hours for due M episodes ended in [first, last]
    (kpis.md A), from care and from home; ``district_of(child, day)`` filters a district."""
    snap = la.latest_local
    asof = max(la.local)
    episodes = {}
    for ex in la.latest_per_year():
        for r in ex.tables["missing"]:
            episodes[(r["CHILD"], r["MIS_START"])] = r
    for r in snap["missing_from_home"]:
        episodes[(r["CHILD"], r["MIS_START"])] = r
    interviews = {(r["CHILD"], r["MIS_START"]): r for r in snap["return_interviews"]}
    due = offered = accepted = held = within = 0
    for key, m in episodes.items():
        if m["MISSING"] != "M" or not m["MIS_END"]:
            continue
        end = day(m["MIS_END"])
        if not first <= end <= last or end + 3 > asof:
            continue
        if district_of is not None and not district_of(m["CHILD"], end):
            continue
        due += 1
        r = interviews.get(key)
        if r is None or r["OFFERED"] != "Y":
            continue
        offered += 1
        accepted += r["ACCEPTED"] == "Y"
        if r["RHI_DATE"]:
            held += 1
            within += day(r["RHI_DATE"]) <= end + 3
    return {
        "due": due,
        "offered_pct": 100 * offered / due,
        "accepted_pct": 100 * accepted / offered,
        "within_72h_pct": 100 * within / held,
    }


class Districts:
    """A child's district on a day (data-contract.md): the team district of the open
    allocation that started last (ties: smaller SW_ID)."""

    def __init__(self, la: LaData) -> None:
        snap = la.latest_local
        team = {r["TEAM_ID"]: r["DISTRICT"] for r in snap["teams"]}
        spells = defaultdict(list)
        for r in snap["workers"]:
            spells[r["SW_ID"]].append(
                (
                    day(r["START_DATE"]),
                    day(r["END_DATE"]) if r["END_DATE"] else 10**7,
                    team[r["TEAM_ID"]],
                )
            )
        self.spells = spells
        self.allocations = defaultdict(list)
        for r in snap["allocations"]:
            self.allocations[r["CHILD"]].append(
                (
                    day(r["ALLOC_START"]),
                    day(r["ALLOC_END"]) if r["ALLOC_END"] else 10**7,
                    r["SW_ID"],
                )
            )

    def on(self, child: str, when: int) -> str:
        open_ = [a for a in self.allocations.get(child, ()) if a[0] <= when < a[1]]
        if not open_:
            return "Unallocated"
        _start, _, sw = max(open_, key=lambda a: (a[0], [-ord(c) for c in a[2]]))
        for s, e, district in self.spells[sw]:
            if s <= when <= e:
                return district
        return "Unallocated"


def pep_rates(
    la: LaData, workdays: list[int], district: str | None = None
) -> dict[int, dict[str, float]]:
    """By collection year: share of school-age children in care at each term end with a
    COMPLETE PEP in the term, and initial PEPs within 10 working days (kpis.md B)."""
    snap = la.latest_local
    care = care_history(la)
    districts = Districts(la) if district else None
    dobs = {r["CHILD"]: day(r["DOB"]) for ex in la.extracts for r in ex.tables["header"]}
    complete = defaultdict(list)
    for r in snap["peps"]:
        if r["STATUS"] == "COMPLETE":
            complete[r["CHILD"]].append(day(r["PEP_DATE"]))
    out = {}

    def wd_after(d: int, n: int) -> int:
        return workdays[bisect.bisect_right(workdays, d) + n - 1]

    for year in years(la):
        term_ends = [date(year, 12, 31), date(year + 1, 3, 31), date(year + 1, 8, 31)]
        term_starts = [date(year, 9, 1), date(year + 1, 1, 1), date(year + 1, 4, 1)]
        cohort = done = 0
        for ts, te in zip(term_starts, term_ends, strict=True):
            end, start = te.toordinal(), ts.toordinal()
            if end > max(la.local):
                continue
            sept = date(te.year if te.month >= 9 else te.year - 1, 8, 31).toordinal()
            for child, spans in care.periods.items():
                period = next(
                    ((s, e) for s, e in spans if s <= end and (e is None or end < e)), None
                )
                if period is None or wd_after(period[0], 20) > end:
                    continue
                age = _age(dobs[child], sept)
                if not 4 <= age <= 15:
                    continue
                if districts and districts.on(child, end) != district:
                    continue
                cohort += 1
                done += any(start <= p <= end for p in complete[child])
        initial_cohort = initial_done = 0
        first, last = date(year, 4, 1).toordinal(), date(year + 1, 3, 31).toordinal()
        for child, spans in care.periods.items():
            for s, e in spans:
                if not first <= s <= last or wd_after(s, 10) > max(la.local):
                    continue
                if e is not None and e <= wd_after(s, 10):
                    continue
                d = date.fromordinal(s)
                sept = date(d.year if d.month >= 9 else d.year - 1, 8, 31).toordinal()
                if not 4 <= _age(dobs[child], sept) <= 15:
                    continue
                if districts and districts.on(child, s) != district:
                    continue
                initial_cohort += 1
                initial_done += any(s <= p <= wd_after(s, 10) for p in complete[child])
        out[year] = {
            "term_pct": 100 * done / cohort if cohort else float("nan"),
            "initial_pct": 100 * initial_done / initial_cohort if initial_cohort else float("nan"),
            "cohort": cohort,
            "initial_cohort": initial_cohort,
        }
    return out


def _age(dob: int, on: int) -> int:
    a, b = date.fromordinal(dob), date.fromordinal(on)
    return b.year - a.year - ((b.month, b.day) < (a.month, a.day))


def care_leavers(la: LaData) -> dict[str, float]:
    rows = [(r, ex) for ex in la.latest_per_year() for r in ex.tables["oc3"]]
    groups: dict[str, list[dict[str, str]]] = {"17-18": [], "19-21": []}
    for r, ex in rows:
        age = next(
            k for k in range(17, 22) if ex.start <= add_years(day(r["DOB"]), k) <= ex.coverage_end
        )
        if r["IN_TOUCH"] not in ("DIED", "RHOM"):
            groups["17-18" if age < 19 else "19-21"].append(r)
    everyone = groups["17-18"] + groups["19-21"]
    eet = {"F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5"}

    def pct(rows, test):
        return 100 * sum(test(r) for r in rows) / len(rows)

    return {
        "eet_pct": pct(everyone, lambda r: r["ACTIV"] in eet),
        "eet_17_18": pct(groups["17-18"], lambda r: r["ACTIV"] in eet),
        "eet_19_21": pct(groups["19-21"], lambda r: r["ACTIV"] in eet),
        "in_touch_pct": pct(everyone, lambda r: r["IN_TOUCH"] == "YES"),
        "suitable_pct": pct(everyone, lambda r: r["ACCOM"].endswith("1")),
        "cohort": len(everyone),
    }


def health(la: LaData) -> dict[str, float]:
    rows = [r for ex in la.latest_per_year() if ex.is_final for r in ex.tables.get("oc2", ())]
    return {
        col: 100 * sum(r[col] == "1" for r in rows) / len(rows)
        for col in ("HEALTH_ASSESSMENT", "TEETH_CHECK", "IMMUNISATIONS")
    }


def placement_stability(la: LaData, on: int) -> dict[str, float]:
    """3+ placements in the 12 months to ``on``, and long-term stability (kpis.md E)."""
    episodes: dict[tuple[str, str], dict[str, str]] = {}
    for ex in la.latest_per_year():
        for r in ex.tables["episodes"]:
            episodes[(r["CHILD"], r["DECOM"])] = r
    by_child = defaultdict(list)
    for r in episodes.values():
        if r["LS"] not in ("V3", "V4"):
            by_child[r["CHILD"]].append(r)
    window = date.fromordinal(on).replace(year=date.fromordinal(on).year - 1).toordinal()
    dobs = {r["CHILD"]: day(r["DOB"]) for ex in la.extracts for r in ex.tables["header"]}
    cla = three = lt_cohort = lt_stable = 0
    for child, eps in by_child.items():
        eps.sort(key=lambda r: day(r["DECOM"]))
        current = [e for e in eps if day(e["DECOM"]) <= on and (not e["DEC"] or day(e["DEC"]) > on)]
        if not current:
            continue
        cla += 1
        overlapping = [
            e for e in eps if day(e["DECOM"]) <= on and (not e["DEC"] or day(e["DEC"]) > window)
        ]
        placements = sum(e["RNE"] != "L" for e in overlapping) + (overlapping[0]["RNE"] == "L")
        three += placements >= 3
        # period start and current placement start
        i = eps.index(current[0])
        period_start = i
        while period_start > 0 and eps[period_start - 1]["DEC"] == eps[period_start]["DECOM"]:
            period_start -= 1
        placement_start = i
        while placement_start > period_start and eps[placement_start]["RNE"] == "L":
            placement_start -= 1
        start = day(eps[period_start]["DECOM"])
        if _age(dobs[child], on) < 16 and on - start >= 913:
            lt_cohort += 1
            lt_stable += (on - day(eps[placement_start]["DECOM"]) >= 730) or current[0][
                "PLACE"
            ] in ("A3", "A4", "A5", "A6")
    return {
        "three_plus_pct": 100 * three / cla,
        "long_term_pct": 100 * lt_stable / lt_cohort,
        "cla": cla,
        "long_term_cohort": lt_cohort,
    }


def reviews_on_time(la: LaData) -> float:
    """Share of reviews held in time after the previous one in the same period of care:
    3 months after the period's first review, 6 months after later ones."""
    reviews = defaultdict(list)
    for ex in la.latest_per_year():
        for r in ex.tables["reviews"]:
            reviews[r["CHILD"]].append(day(r["REVIEW"]))
    care = care_history(la)
    window = min(ex.start for ex in la.extracts)
    on_time = total = 0
    for child, days in reviews.items():
        days.sort()
        for s, e in care.periods.get(child, []):
            held = [d for d in days if s <= d and (e is None or d < e)]
            for n, (prev, cur) in enumerate(itertools.pairwise(held)):
                limit = 92 if (n == 0 and s >= window) else 184
                total += 1
                on_time += cur - prev <= limit
    return 100 * on_time / total


def median(values: list[float]) -> float:
    return statistics.median(values)


def placement_location(la: LaData, on: int) -> dict[str, float]:
    """Where children looked after on ``on`` live (kpis.md §F): the share whose current
    placement is outside the LA, the share placed more than 20 miles from home (each of the
    children whose postcodes are found in the directory), and how many are not located."""
    from pipelines.lib.la_codes import la_of_lad
    from pipelines.lib.postcodes import locate, miles

    episodes: dict[tuple[str, str], dict[str, str]] = {}
    for ex in la.latest_per_year():
        episodes |= {(r["CHILD"], r["DECOM"]): r for r in ex.tables["episodes"]}
    current = [
        r
        for r in episodes.values()
        if r["LS"] not in ("V3", "V4")
        and day(r["DECOM"]) <= on
        and (not r["DEC"] or day(r["DEC"]) > on)
    ]
    places = locate({r[c] for r in current for c in ("HOME_POST", "PL_POST")})
    placed = [places[r["PL_POST"]] for r in current if r["PL_POST"] in places]
    outside = sum(la_of_lad(p.lad) != la.la for p in placed)
    pairs = [
        (places[r["HOME_POST"]], places[r["PL_POST"]])
        for r in current
        if r["HOME_POST"] in places and r["PL_POST"] in places
    ]
    far = sum(miles(h.easting, h.northing, p.easting, p.northing) > 20 for h, p in pairs)
    return {
        "outside_pct": 100 * outside / len(placed),
        "over_20_miles_pct": 100 * far / len(pairs),
        "located": len(placed),
        "not_located": len(current) - len(placed),
        "no_distance": len(current) - len(pairs),
    }
