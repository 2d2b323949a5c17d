"""Checks across extracts and years: care histories, coverage, local tables.

Like synth_checks, nothing here imports the generator.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from synth_checks import SHORT_BREAKS, LaData, add_years, check_values, day

from pipelines.lib import codesets as cs
from pipelines.lib.contract import table_spec

# ---------------------------------------------------------------------------- across years


@dataclass
class Care:
    """A child's periods of care from the latest extract of every year (V3/V4 left out)."""

    periods: dict[str, list[tuple[int, int | None]]]
    all_periods: dict[str, list[tuple[int, int | None]]]  # short breaks included


def care_history(la: LaData) -> Care:
    cached = la.__dict__.get("_care")
    if cached is None:
        cached = la.__dict__["_care"] = _care_history(la)
    return cached


def _care_history(la: LaData) -> Care:
    episodes: dict[tuple[str, str], dict[str, str]] = {}
    for ex in la.latest_per_year():  # the latest year wins for an episode
        for r in ex.tables["episodes"]:
            episodes[(r["CHILD"], r["DECOM"])] = r
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    for (child, _), r in episodes.items():
        rows[child].append(r)

    def periods(keep) -> dict[str, list[tuple[int, int | None]]]:
        out: dict[str, list[tuple[int, int | None]]] = {}
        for child, eps in rows.items():
            eps = sorted((e for e in eps if keep(e)), key=lambda e: day(e["DECOM"]))
            spans: list[tuple[int, int | None]] = []
            for e in eps:
                start, end = day(e["DECOM"]), day(e["DEC"]) if e["DEC"] else None
                if spans and spans[-1][1] == start:
                    spans[-1] = (spans[-1][0], end)
                else:
                    spans.append((start, end))
            if spans:
                out[child] = spans
        return out

    return Care(periods(lambda e: e["LS"] not in SHORT_BREAKS), periods(lambda e: True))


def in_care(spans: list[tuple[int, int | None]], first: int, last: int) -> bool:
    """Is [first, last] inside one period (end None = still open)?"""
    return any(s <= first and (e is None or last <= e) for s, e in spans)


def looked_after_on(care: Care, on: int) -> set[str]:
    return {
        c
        for c, spans in care.periods.items()
        if any(s <= on and (e is None or on < e) for s, e in spans)
    }


def check_across(la: LaData) -> list[str]:
    """DOB and SEX consistent everywhere; missing episodes inside care and after birth;
    OC2 only after 12 months in care; PEPs and interviews joined to real children."""
    problems: list[str] = []
    add = problems.append
    dob: dict[str, str] = {}
    sex: dict[str, str] = {}
    for ex in la.extracts:
        for name, rows in ex.tables.items():
            for r in rows:
                if "DOB" in r and dob.setdefault(r["CHILD"], r["DOB"]) != r["DOB"]:
                    add(f"DOB differs for {r['CHILD']} in {name} {ex.year}")
                if (
                    "SEX" in r
                    and sex.setdefault(r["CHILD"], cs.SEX_AS_MFU[r["SEX"]])
                    != cs.SEX_AS_MFU[r["SEX"]]
                ):
                    add(f"SEX differs for {r['CHILD']} in {name} {ex.year}")
    for snap in la.local.values():
        for r in snap["missing_from_home"]:
            if dob.setdefault(r["CHILD"], r["DOB"]) != r["DOB"]:
                add(f"DOB differs for {r['CHILD']} in missing_from_home")
    care = care_history(la)
    for ex in la.extracts:
        for r in ex.tables["missing"]:
            first = day(r["MIS_START"])
            last = day(r["MIS_END"]) if r["MIS_END"] else first
            if first <= day(r["DOB"]):
                add(f"missing before birth {r}")
            if not in_care(care.periods.get(r["CHILD"], []), first, last):
                add(f"missing from care outside care {ex.year} {r}")
        if ex.is_final and "oc2" in ex.tables:
            for r in ex.tables["oc2"]:
                if not in_care(care.periods.get(r["CHILD"], []), ex.start, ex.coverage_end + 1):
                    add(f"oc2 child not looked after for 12 months {r['CHILD']} {ex.year}")
        for r in ex.tables["oc3"]:
            birthday = next(
                add_years(day(r["DOB"]), k)
                for k in range(17, 22)
                if ex.start <= add_years(day(r["DOB"]), k) <= ex.coverage_end
            )
            if any(
                s <= birthday and (e is None or birthday < e)
                for s, e in care.periods.get(r["CHILD"], [])
            ):
                add(f"oc3 young person still looked after on the birthday {r['CHILD']}")
    snap = la.latest_local
    for r in snap["missing_from_home"]:
        first = day(r["MIS_START"])
        last = day(r["MIS_END"]) if r["MIS_END"] else first
        if last < first:
            add(f"missing from home ends before it starts {r}")
        for s, e in care.all_periods.get(r["CHILD"], []):
            if s <= last and (e is None or first < e):
                add(f"missing from home while looked after {r}")
    episodes = {(r["CHILD"], r["MIS_START"]): r for ex in la.extracts for r in ex.tables["missing"]}
    episodes |= {(r["CHILD"], r["MIS_START"]): r for r in snap["missing_from_home"]}
    for r in snap["return_interviews"]:
        m = episodes.get((r["CHILD"], r["MIS_START"]))
        if m is None or m["MISSING"] != "M" or not m["MIS_END"]:
            add(f"interview without an ended M episode {r}")
            continue
        end = day(m["MIS_END"])
        if r["OFFERED"] == "N" and (r["ACCEPTED"] or r["OFFERED_DATE"] or r["RHI_DATE"]):
            add(f"not offered but accepted/dated {r}")
        if r["OFFERED"] == "Y" and (day(r["OFFERED_DATE"]) < end or not r["ACCEPTED"]):
            add(f"offer before return or no ACCEPTED {r}")
        if r["RHI_DATE"] and (
            day(r["RHI_DATE"]) < end
            or r["ACCEPTED"] != "Y"
            or day(r["RHI_DATE"]) < day(r["OFFERED_DATE"])
        ):
            add(f"RHI date before return/offer or not accepted {r}")
    for r in snap["peps"]:
        if not in_care(care.periods.get(r["CHILD"], []), day(r["PEP_DATE"]), day(r["PEP_DATE"])):
            add(f"PEP while not looked after {r}")
    return problems


def check_local(la: LaData) -> list[str]:
    problems: list[str] = []
    add = problems.append
    for when, snap in la.local.items():
        teams = {r["TEAM_ID"] for r in snap["teams"]}
        workers: dict[str, list[dict[str, str]]] = defaultdict(list)
        for r in snap["workers"]:
            workers[r["SW_ID"]].append(r)
            if r["TEAM_ID"] not in teams:
                add(f"worker in unknown team {r}")
            if not 0 < float(r["FTE"]) <= 1:
                add(f"FTE out of range {r}")
            if r["END_DATE"] and day(r["END_DATE"]) < day(r["START_DATE"]):
                add(f"spell ends before it starts {r}")
            if day(r["START_DATE"]) > when:
                add(f"spell starts after the snapshot {r}")
        for r in snap["allocations"]:
            if r["SW_ID"] not in workers:
                add(f"allocation to unknown worker {r}")
                continue
            start = day(r["ALLOC_START"])
            end = day(r["ALLOC_END"]) if r["ALLOC_END"] else None
            if end is not None and end <= start:
                add(f"allocation ends before it starts {r}")
            if start > when or (end is not None and end > when):
                add(f"allocation dated after the snapshot {r}")
            spells = [
                s
                for s in workers[r["SW_ID"]]
                if s["ROLE"] in ("4", "5")
                and day(s["START_DATE"]) <= start
                and (not s["END_DATE"] or (end is not None and end <= day(s["END_DATE"])))
            ]
            if not spells:
                add(f"allocation outside a case-holding spell {r}")
        for name, rows in snap.items():
            problems += check_values(rows, table_spec("local", name).date_columns, 2025, when, name)
        sw_ids = set(workers)
        for ex in la.extracts:
            if ex.extract_date <= when:
                for r in ex.tables.get("sw_episodes", ()):
                    if r["SW_ID"] not in sw_ids:
                        add(f"sw_episodes SW_ID not in workers {r['SW_ID']}")
    return problems


# ---------------------------------------------------------------------------- coverage


def check_coverage(la: LaData) -> list[str]:
    """Each extract shows the world as known at its coverage end: compared with the latest
    knowledge (the latest extract of every year, later years winning), an episode or missing
    episode that ended after the coverage end is open (blank DEC/REC or MIS_END), one that
    ended by then shows the same end, and nothing known by then is left out."""
    problems: list[str] = []
    add = problems.append
    truth: dict[tuple[str, str], dict[str, str]] = {}
    missing: dict[tuple[str, str], dict[str, str]] = {}
    reviews: set[tuple[str, str]] = set()
    for ex in la.latest_per_year():
        truth |= {(r["CHILD"], r["DECOM"]): r for r in ex.tables["episodes"]}
        missing |= {(r["CHILD"], r["MIS_START"]): r for r in ex.tables["missing"]}
        reviews |= {(r["CHILD"], r["REVIEW"]) for r in ex.tables["reviews"]}
    for ex in la.extracts:
        cover = ex.coverage_end
        seen = set()
        for r in ex.tables["episodes"]:
            key = (r["CHILD"], r["DECOM"])
            seen.add(key)
            t = truth.get(key)
            if t is None:
                add(f"{ex.year} {ex.extract_date}: episode unknown to later extracts {key}")
                continue
            known = bool(t["DEC"]) and day(t["DEC"]) <= cover
            expect = (t["DEC"], t["REC"], t["REASON_PLACE_CHANGE"]) if known else ("", "", "")
            if (r["DEC"], r["REC"], r["REASON_PLACE_CHANGE"]) != expect:
                add(
                    f"{ex.year}@{date.fromordinal(ex.extract_date)}: episode end not as known at coverage end {key}"
                )
        for key, t in truth.items():
            if (
                day(t["DECOM"]) <= cover
                and (not t["DEC"] or day(t["DEC"]) >= ex.start)
                and key not in seen
            ):
                add(f"{ex.year}@{date.fromordinal(ex.extract_date)}: episode left out {key}")
        for r in ex.tables["missing"]:
            t = missing[(r["CHILD"], r["MIS_START"])]
            known = bool(t["MIS_END"]) and day(t["MIS_END"]) <= cover
            if r["MIS_END"] != (t["MIS_END"] if known else ""):
                add(f"{ex.year}: MIS_END not as known at coverage end {r}")
        held = {(r["CHILD"], r["REVIEW"]) for r in ex.tables["reviews"]}
        expected = {k for k in reviews if ex.start <= day(k[1]) <= cover}
        if held != expected:
            add(
                f"{ex.year}@{date.fromordinal(ex.extract_date)}: {len(held ^ expected)} reviews differ from later knowledge"
            )
    return problems


def check_histories(la: LaData) -> list[str]:
    """Across years: a child's episodes never overlap; every period of care that starts
    inside the years written starts with RNE S; care leavers (OC3) whose care is all
    visible were looked after 13+ weeks after 14 with care ending after 16."""
    problems: list[str] = []
    episodes: dict[tuple[str, str], dict[str, str]] = {}
    for ex in la.latest_per_year():
        episodes |= {(r["CHILD"], r["DECOM"]): r for r in ex.tables["episodes"]}
    first_day = min(ex.start for ex in la.extracts)
    by_child: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in episodes.values():
        by_child[r["CHILD"]].append(r)
    for child, eps in by_child.items():
        eps.sort(key=lambda r: day(r["DECOM"]))
        for prev, nxt in itertools.pairwise(eps):
            if not prev["DEC"] or day(prev["DEC"]) > day(nxt["DECOM"]):
                problems.append(f"episodes overlap across years {child} {nxt['DECOM']}")
            if prev["DEC"] != nxt["DECOM"] and nxt["RNE"] != "S":
                problems.append(f"period does not start with S {child} {nxt['DECOM']}")
        if day(eps[0]["DECOM"]) > first_day and eps[0]["RNE"] != "S":
            problems.append(f"first period does not start with S {child}")
    care = care_history(la)
    for ex in la.latest_per_year():
        for r in ex.tables["oc3"]:
            spans = care.periods.get(r["CHILD"], [])
            dob = day(r["DOB"])
            b14, b16 = add_years(dob, 14), add_years(dob, 16)
            if b14 <= first_day:
                continue  # care after 14 may lie before the years written
            after14 = sum(max(0, (e or 10**9) - max(s, b14)) for s, e in spans)
            if after14 < 91 or not any((e or 10**9) > b16 for _, e in spans):
                problems.append(f"oc3 young person does not qualify as a care leaver {r['CHILD']}")
    return problems
