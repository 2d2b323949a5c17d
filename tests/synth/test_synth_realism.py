"""Hampshire at scale 1 looks like Hampshire (domain.md §4, §7) and tells the district story.

Ranges are the brief's targets with room for chance; every value is measured from the
written files the way the KPI definitions read them.
"""

from __future__ import annotations

import statistics
from datetime import date

import pytest
import synth_checks as sc
import synth_metrics as sm

from pipelines.synth.dates import WorkingDays

FULL_YEARS = (2022, 2023, 2024, 2025)
HAMPSHIRE_DISTRICTS = {
    "Basingstoke and Deane",
    "East Hampshire",
    "Eastleigh",
    "Fareham",
    "Gosport",
    "Hart",
    "Havant",
    "New Forest",
    "Rushmoor",
    "Test Valley",
    "Winchester",
}


def _march(year: int) -> int:
    return date(year + 1, 3, 31).toordinal()


@pytest.fixture(scope="module")
def la(hampshire):
    return hampshire[1]


@pytest.fixture(scope="module")
def peps(la):
    return sm.pep_rates(la, WorkingDays(2021, 2028).days)


def test_children_looked_after_starts_and_allocated_children(la):
    for year in FULL_YEARS:
        assert 1710 <= sm.cla_on(la, _march(year)) <= 2090, year
        assert 620 <= sm.starts_in(la, year) <= 840, year
        assert 9000 <= sm.allocated_children(la, year) <= 11500, year
    assert 1710 <= sm.cla_on(la, max(la.local)) <= 2090


def test_teams_follow_the_eleven_districts(la):
    teams = la.latest_local["teams"]
    assert {t["DISTRICT"] for t in teams} == HAMPSHIRE_DISTRICTS | {"County"}
    for district in HAMPSHIRE_DISTRICTS:
        services = [t["SERVICE"] for t in teams if t["DISTRICT"] == district]
        assert sorted(set(services)) == [
            "ASSESSMENT",
            "CHILDREN_IN_CARE",
            "CHILD_IN_NEED",
            "FAMILY_HELP",
        ]
        assert 1 <= services.count("CHILD_IN_NEED") <= 2
    county = [t["SERVICE"] for t in teams if t["DISTRICT"] == "County"]
    assert 2 <= county.count("CARE_LEAVERS") <= 3 and county.count("DISABILITY") == 2
    assert county.count("CHILDREN_IN_CARE") == 1


def test_caseloads_agency_and_unallocated_children(la):
    months = sm.month_ends(date(2022, 4, 1).toordinal(), max(la.local))
    for year in FULL_YEARS:
        loads = sm.caseloads(la, _march(year))
        assert 12 <= statistics.median(loads) <= 22, year
        assert 0.05 <= sum(x > 20 for x in loads) / len(loads) <= 0.35, year
        assert 0.08 <= sm.agency_share(la, _march(year)) <= 0.22, year
    workers = la.latest_local["workers"]
    assert sum(w["ROLE"] in ("4", "5") for w in workers) > 0.8 * len(workers)
    assert {"1", "2", "3", "6"} <= {w["ROLE"] for w in workers}
    assert 0.6 < sum(w["FTE"] == "1.0" for w in workers) / len(workers) < 0.95
    unallocated = [sm.unallocated(la, m) for m in months[::3]]
    assert sum(unallocated) > 0 and max(unallocated) <= 20


def test_missing_episodes(la):
    for year in FULL_YEARS:
        rates = sm.missing_rates(la, year)
        assert 8 <= rates["missing_pct"] <= 14, year
        assert rates["frequent_missers"] >= 3 and rates["teen_share"] >= 80
        assert rates["same_day_pct"] >= 40 and 10 <= rates["away_pct"] <= 35
    home = la.latest_local["missing_from_home"]
    assert len(home) > 1000


def test_return_home_interviews(la):
    rates = sm.rhi_rates(la, date(2022, 4, 1).toordinal(), max(la.local))
    assert 70 <= rates["offered_pct"] <= 80
    assert 60 <= rates["accepted_pct"] <= 80
    assert 55 <= rates["within_72h_pct"] <= 67


def test_peps_and_reviews(la, peps):
    for year in FULL_YEARS:
        assert 78 <= peps[year]["term_pct"] <= 92, year
        assert 72 <= peps[year]["initial_pct"] <= 90, year
    quality = [r["QUALITY"] for r in la.latest_local["peps"] if r["STATUS"] == "COMPLETE"]
    assert (
        0.6 <= quality.count("GOOD") / len(quality) <= 0.85
        and "INADEQUATE" in quality
        and "" in quality
    )
    assert any(r["STATUS"] == "IN_PROGRESS" for r in la.latest_local["peps"])
    assert 85 <= sm.reviews_on_time(la) <= 95


def test_placement_stability(la):
    for year in FULL_YEARS[1:]:
        stability = sm.placement_stability(la, _march(year))
        assert 7 <= stability["three_plus_pct"] <= 14, year
        assert 58 <= stability["long_term_pct"] <= 78, year


def test_care_leavers_and_health(la):
    leavers = sm.care_leavers(la)
    assert 55 <= leavers["eet_pct"] <= 65
    assert leavers["eet_17_18"] > leavers["eet_19_21"]
    assert leavers["in_touch_pct"] >= 75 and leavers["suitable_pct"] >= 65
    rows = [r for ex in la.latest_per_year() for r in ex.tables["oc3"]]
    assert {"YES", "NO", "REFU", "NREQ", "RHOM"} <= {r["IN_TOUCH"] for r in rows}
    assert {"G4", "G5", "G6"} <= {r["ACTIV"] for r in rows}
    assert any(r["ACCOM"].endswith("2") for r in rows) and any(r["ACCOM"] == "0" for r in rows)
    for flag, pct in sm.health(la).items():
        assert 80 <= pct <= 95, flag


def test_entrants_age_mix_and_uasc(la):
    final = [ex for ex in la.latest_per_year() if ex.year in FULL_YEARS]
    dob = {r["CHILD"]: sc.day(r["DOB"]) for ex in final for r in ex.tables["header"]}
    ages, uasc = [], {r["CHILD"] for ex in final for r in ex.tables["uasc"]}
    starts = []
    for ex in final:
        for r in ex.tables["episodes"]:
            if r["RNE"] == "S" and ex.start <= sc.day(r["DECOM"]) and r["LS"] not in ("V3", "V4"):
                ages.append((sc.day(r["DECOM"]) - dob[r["CHILD"]]) / 365.25)
                starts.append(r["CHILD"])
    assert 0.12 <= sum(a < 1 for a in ages) / len(ages) <= 0.28
    assert sum(a >= 10 for a in ages) / len(ages) >= 0.4
    uasc_starts = [c for c in starts if c in uasc]
    assert 0.05 <= len(uasc_starts) / len(starts) <= 0.2
    sex = {r["CHILD"]: r["SEX"] for ex in final for r in ex.tables["header"]}
    assert sum(sex[c] in ("1", "M") for c in uasc_starts) / len(uasc_starts) >= 0.85


def test_district_story(la):
    districts = sm.Districts(la)

    def rhi(district: str, year: int) -> dict[str, float]:
        return sm.rhi_rates(
            la,
            date(year, 4, 1).toordinal(),
            _march(year),
            lambda child, when: districts.on(child, when) == district,
        )

    # Havant improves: compare its first two years with its last two (about 90 interviews a
    # year in one district, so single years are noisy)
    early = sm.rhi_rates(
        la,
        date(2022, 4, 1).toordinal(),
        _march(2023),
        lambda child, when: districts.on(child, when) == "Havant",
    )
    late = sm.rhi_rates(
        la,
        date(2024, 4, 1).toordinal(),
        _march(2025),
        lambda child, when: districts.on(child, when) == "Havant",
    )
    assert late["offered_pct"] - early["offered_pct"] >= 12
    assert late["within_72h_pct"] - early["within_72h_pct"] >= 8
    havant = [rhi("Havant", y)["offered_pct"] for y in FULL_YEARS]
    assert havant[-1] > havant[0] + 15
    for year in FULL_YEARS:
        assert rhi("Winchester", year)["offered_pct"] > rhi("Gosport", year)["offered_pct"] + 10
    rushmoor = sm.pep_rates(la, WorkingDays(2021, 2028).days, "Rushmoor")
    assert rushmoor[2022]["term_pct"] - rushmoor[2025]["term_pct"] >= 10
    rushmoor_loads = [statistics.mean(sm.caseloads(la, _march(y), "Rushmoor")) for y in FULL_YEARS]
    assert rushmoor_loads[-1] > rushmoor_loads[0] + 2
    county_2025 = statistics.mean(sm.caseloads(la, _march(2025)))
    assert rushmoor_loads[-1] > county_2025
