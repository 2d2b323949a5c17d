"""Real postcodes: homes in the child's district, placements inside and outside the LA at
believable distances, the LA code seed, and authorities created since 2021.

The checks read the files and locate postcodes with the ONS Postcode Directory
(pipelines/lib/postcodes.py), never with the generator's own tables.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import synth_checks
import synth_metrics as sm

from pipelines.lib import la_codes, postcodes
from pipelines.synth import SynthConfig, generate
from pipelines.synth.authorities import NAMES, authority
from pipelines.synth.places import build_la_geography, la_geography

#: Hampshire's district councils (ONS lower-tier codes, reference/domain.md §7).
DISTRICT_LAD = {
    "Basingstoke and Deane": "E07000084",
    "East Hampshire": "E07000085",
    "Eastleigh": "E07000086",
    "Fareham": "E07000087",
    "Gosport": "E07000088",
    "Hart": "E07000089",
    "Havant": "E07000090",
    "New Forest": "E07000091",
    "Rushmoor": "E07000092",
    "Test Valley": "E07000093",
    "Winchester": "E07000094",
}


@pytest.fixture(scope="module")
def la(hampshire):
    return hampshire[1]


def _episodes(la: synth_checks.LaData) -> list[dict[str, str]]:
    return [r for ex in la.latest_per_year() for r in ex.tables["episodes"]]


def test_every_postcode_is_in_the_directory_and_blank_only_where_the_dfe_says(la):
    rows = _episodes(la)
    uasc = {r["CHILD"] for ex in la.extracts for r in ex.tables.get("uasc", ())}
    found = postcodes.locate({r[c] for r in rows for c in ("HOME_POST", "PL_POST")})
    for r in rows:
        short_break = r["LS"] in ("V3", "V4")
        # no postcodes for short breaks (rules 214, 398, 420), no home for UASC (406)
        assert (r["PL_POST"] == "") == short_break, r
        assert (r["HOME_POST"] == "") == (short_break or r["CHILD"] in uasc), r
        for column in ("HOME_POST", "PL_POST"):
            assert not r[column] or r[column] in found, r[column]
    assert len(found) > 3000  # thousands of different addresses, not a handful


def test_homes_lie_in_the_hampshire_district_of_the_childs_team(la):
    districts = sm.Districts(la)
    checked = wrong = 0
    found = postcodes.locate({r["HOME_POST"] for r in _episodes(la)})
    for r in _episodes(la):
        district = districts.on(r["CHILD"], synth_checks.day(r["DECOM"]))
        home = found.get(r["HOME_POST"])
        if district in DISTRICT_LAD and home is not None and r["RNE"] == "S":
            checked += 1
            wrong += home.lad != DISTRICT_LAD[district]
    assert checked > 1000
    # a child's team is their home district's; a few are held elsewhere for a while
    assert wrong / checked < 0.02


def test_placements_inside_and_outside_hampshire_like_england(la):
    """England at 31 March 2015 (DfE, "Children looked after: a focus on placement
    location"): 37 % placed outside the LA boundary, 18 % more than 20 miles from home."""
    for year in (2023, 2024, 2025, 2026):
        where = sm.placement_location(la, date(year, 3, 31).toordinal())
        assert 30 <= where["outside_pct"] <= 42, (year, where)
        assert 13 <= where["over_20_miles_pct"] <= 23, (year, where)
        assert where["not_located"] == 0
        assert 50 <= where["no_distance"] <= 200  # UASC: no home postcode
    places = [r for r in _episodes(la) if r["PLACE"] == "P1"]
    assert places and all(r["PL_POST"] == r["HOME_POST"] for r in places)  # at home


def test_own_provision_other_than_foster_care_is_inside_the_la(la):
    """Rule 1015: own provision (PR1) outside foster care and adoption is in the LA."""
    rows = [
        r
        for r in _episodes(la)
        if r["PLACE_PROVIDER"] == "PR1"
        and not r["PLACE"].startswith(("U", "A"))
        and r["LS"] not in ("V3", "V4")  # short breaks have no postcode
    ]
    found = postcodes.locate({r["PL_POST"] for r in rows})
    assert len(rows) > 50
    assert {la_codes.la_of_lad(found[r["PL_POST"]].lad) for r in rows} == {"850"}


def test_the_la_code_seed_maps_all_153_authorities_to_ons_codes():
    seed = la_codes.la_codes()
    assert set(seed) == set(NAMES)
    assert seed["850"].ons_code == "E10000014" and seed["850"].region_name == "South East"
    assert len({row.ons_code for row in seed.values()}) == 153
    # Every LA is known to the 2021 tier lookup by its code today or an earlier one, or
    # replaced 2021 districts (Cumberland, Westmorland and Furness: no code of their own
    # in 2021).
    upper_2021 = set(la_codes.tier_lookup_2021().values())
    replacing = {change.la_code for change in la_codes.authority_changes().values()}
    for row in seed.values():
        known = {row.ons_code, *row.previous_ons_codes} & upper_2021
        assert known or row.la_code in replacing, row
    # ... and every English lower-tier code of the 2021 lookup belongs to one of them.
    english = [lad for lad in la_codes.tier_lookup_2021() if lad.startswith("E")]
    assert len(english) > 300 and all(la_codes.la_of_lad(lad) in seed for lad in english)
    # The authorities created or recoded since are exactly the codes the 2021 lookup lacks.
    created = la_codes.created_since_2021()
    assert created == {"E06000063", "E06000064", "E06000065", "E06000066", "E08000038", "E08000039"}
    assert not created & set(la_codes.tier_lookup_2021())


@pytest.mark.parametrize(
    ("lad", "la_code"),
    [
        ("E07000094", "850"),  # Winchester, a Hampshire district (2021 lookup)
        ("E06000044", "851"),  # Portsmouth
        ("E06000065", "815"),  # North Yorkshire, unitary since April 2023
        ("E06000066", "933"),  # Somerset, unitary since April 2023
        ("E06000063", "942"),  # Cumberland, created April 2023
        ("E06000064", "943"),  # Westmorland and Furness, created April 2023
        ("E08000038", "370"),  # Barnsley, recoded after the May 2025 boundary change
        ("E08000039", "373"),  # Sheffield, likewise
        ("E07000163", "815"),  # Craven: a 2021 district of North Yorkshire county
        ("E07000027", "943"),  # Barrow-in-Furness: a 2021 district of Cumbria
        ("E07000028", "942"),  # Carlisle: likewise, now in Cumberland
        ("E08000019", "373"),  # Sheffield's code until April 2025
        ("W06000015", None),  # Cardiff: not an English authority
    ],
)
def test_a_lower_tier_code_of_either_vintage_finds_its_dfe_la(lad, la_code):
    assert la_codes.la_of_lad(lad) == la_code


def test_postcodes_are_normalised_and_located_only_when_real():
    assert postcodes.normalise(" so238uj ") == "SO23 8UJ"
    assert postcodes.normalise("XXXXXXX") is None and postcodes.normalise("") is None
    found = postcodes.locate(["so23 8uj", "S1 1AA", "SW1A 1AA", "ZZ9 9ZZ", None])
    assert found["so23 8uj"].lad == "E07000094"  # Winchester
    assert found["S1 1AA"].lad == "E08000039"  # Sheffield (2025 code)
    assert (found["SW1A 1AA"].easting, found["SW1A 1AA"].northing) == (529090, 179645)
    assert "ZZ9 9ZZ" not in found
    winchester, westminster = found["so23 8uj"], found["SW1A 1AA"]
    # 81,267 m east and 50,180 m north: 95,511 m, 59.35 miles
    assert postcodes.miles(
        winchester.easting, winchester.northing, westminster.easting, westminster.northing
    ) == pytest.approx(59.35, abs=0.01)


def test_la_geography_is_what_the_postcode_package_gives():
    """pipelines/synth/la_geography.csv is derived from the package: rebuild it with
    ``python -m pipelines.synth.places`` when the package is updated."""
    assert {g.la_code: g for g in build_la_geography()} == la_geography()
    hampshire = la_geography()["850"]
    assert set(hampshire.areas) == {"SO", "GU", "PO", "RG", "SP", "BH"}


@pytest.mark.parametrize("code", ["815", "942", "943", "933", "201"])
def test_authorities_created_since_2021_get_real_homes_in_their_own_area(tmp_path, code):
    generate(
        SynthConfig(
            out=tmp_path, las=(code,), years=1, scale=0.2, as_at=date(2026, 3, 31), quiet=True
        )
    )
    data = synth_checks.load(Path(tmp_path), code)
    rows = _episodes(data)
    homes = postcodes.locate({r["HOME_POST"] for r in rows if r["HOME_POST"]})
    assert rows and homes
    assert {la_codes.la_of_lad(h.lad) for h in homes.values()} == {code}
    districts = {d.name for d in authority(code).districts}
    assert len(districts) >= 3


def test_the_smallest_authority_has_homes_in_every_locality():
    """The Isles of Scilly: 113 postcodes, split into compass-point localities."""
    import random

    from pipelines.synth.places import Places

    scilly = authority("420")
    places = Places("420", scilly.districts, random.Random(1))
    rng = random.Random(2)
    for district in scilly.districts:
        home = places.home(rng, district.name)
        assert postcodes.locate([home])[home].lad == "E06000053"
