"""Sections B-E on the fixture warehouse, computed by hand.

LA 852 (warehouse_fixture_b_to_e.py) is built for these sections: as-at date Monday
10/03/2025 (its local extract), 903 extract 28/02/2025, spring term from 01/01/2025.
LA 850 (warehouse_fixture.py, as at 25/03/2025) and 851 (903 only) show "not supplied" and
the Hampshire population seed. Every expected value below is worked out in the comment
above it from the fixture rows, not from the code.

Where the children of 852 are on 10/03/2025 (allocation to a worker in post):
North: K1, K3, K14 (W1), K6 (W3); South: K2, K7, K13 (W2), K10 (W5's South spell);
County: K4 (W4); Unallocated: K8 (W6 left on 28/02), K11 (no usable allocation).
"""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date
AS_AT = D(2025, 3, 10)  # 852's partial March, spring term and 2024-25 year
FEB = D(2025, 2, 28)
JAN = D(2025, 1, 31)
DEC = D(2024, 12, 31)
YEAR_2023_24 = D(2024, 3, 31)

SECTION_A = (
    "missing_episodes",
    "away_episodes",
    "missing_cla_pct",
    "rhi_offered_pct",
    "rhi_accepted_pct",
    "rhi_within_72h_pct",
)


def kpi(
    con, kpi_id, period_end, district="ALL", la_code="852", period_type="month", breakdown="all"
):
    rows = con.execute(
        """
        select numerator, denominator, value, status
        from marts.kpi_values
        where la_code = ? and district = ? and breakdown = ? and period_type = ?
            and period_end = ? and kpi_id = ?
        """,
        [la_code, district, breakdown, period_type, period_end, kpi_id],
    ).fetchall()
    assert len(rows) == 1, (la_code, district, breakdown, period_type, period_end, kpi_id, rows)
    return rows[0]


def members(con, kpi_id, period_end, la_code="852", period_type="month", **filters):
    where = "".join(f" and {column} = ?" for column in filters)
    return sorted(
        con.execute(
            "select child, sw_id, in_numerator from marts.kpi_members"
            " where la_code = ? and kpi_id = ? and period_end = ? and period_type = ?" + where,
            [la_code, kpi_id, period_end, period_type, *filters.values()],
        ).fetchall(),
        key=lambda row: (row[0] or "", row[1] or ""),
    )


def approx(numerator, denominator, value, status="ok"):
    return (numerator, denominator, pytest.approx(value), status)


# ---------- B. Personal Education Plans


def test_pep_in_term_rises_through_the_spring_term(warehouse):
    # Cohort on 10/03/2025 (looked after, school age, 20th working day passed): K1, K2 (20th
    # working day after 03/02 is 03/03), K3 (16 but Year 11: 15 on 31/08/2024), K6, K7, K10,
    # K14. Not: K4 (16 on 31/08/2024), K11 (17), K13 (4 on 31/08/2024... 3), K8 (20th
    # working day 24/03). COMPLETE PEP since 01/01/2025: K1 15/01, K2 17/02, K6 10/01, K10
    # 28/01, K14 05/02 (its duplicate IN_PROGRESS line is the same meeting). K3's next PEP
    # is dated 12/03 (after d); K7 has only an IN_PROGRESS one. 5 of 7.
    assert kpi(warehouse, "pep_in_term_pct", AS_AT) == approx(5, 7, 500 / 7)
    assert kpi(warehouse, "pep_in_term_pct", AS_AT, period_type="term") == approx(5, 7, 500 / 7)
    assert kpi(warehouse, "pep_in_term_pct", AS_AT, "North") == (3, 4, 75.0, "ok")
    assert kpi(warehouse, "pep_in_term_pct", AS_AT, "South") == approx(2, 3, 200 / 3)
    # 31/01/2025: K1, K3, K6 (20th working day 24/01), K7, K14; K10's is 10/02. With a PEP
    # this term: K1 and K6.
    assert kpi(warehouse, "pep_in_term_pct", JAN) == (2, 5, 40.0, "ok")


def test_pep_in_term_headline_of_the_autumn_term_is_its_last_day(warehouse):
    # 31/12/2024: cohort K1, K3, K7, K14 (K6's 20th working day is 24/01/2025). PEPs from
    # 01/09/2024: K1 20/09, K3 10/11, K7 31/12 (the last day counts); K14's was in July.
    assert kpi(warehouse, "pep_in_term_pct", DEC, period_type="term") == (3, 4, 75.0, "ok")
    period_start = warehouse.execute(
        "select period_start, is_partial from marts.kpi_values where la_code = '852'"
        " and kpi_id = 'pep_in_term_pct' and period_type = 'term' and period_end = ?"
        " and district = 'ALL'",
        [DEC],
    ).fetchone()
    assert period_start == (D(2024, 9, 1), False)
    terms = warehouse.execute(
        "select count(*) from marts.kpi_values where la_code = '852' and district = 'ALL'"
        " and kpi_id = 'pep_in_term_pct' and period_type = 'term'"
    ).fetchone()[0]
    assert terms == 6  # summer 2023 ... spring 2025


def test_initial_pep_within_10_working_days_with_bank_holidays(warehouse):
    # December: K6 entered Tuesday 24/12/2024; with 25-26/12 and 01/01 off, the 10th working
    # day is 10/01/2025, the date of its first COMPLETE PEP: in time (07/01 otherwise).
    assert kpi(warehouse, "pep_initial_10wd_pct", DEC) == (1, 1, 100.0, "ok")
    assert kpi(warehouse, "pep_initial_10wd_pct", DEC, "North") == (1, 1, 100.0, "ok")
    # January: K9 left on 10/01, before its 10th working day (20/01): not counted. K10
    # entered 13/01, 10th working day 27/01, PEP 28/01: late.
    assert kpi(warehouse, "pep_initial_10wd_pct", JAN) == (0, 1, 0.0, "ok")
    # February: K2 (03/02 -> 17/02, PEP that day) and K8 (24/02 -> 10/03, the as-at date,
    # so the 10 days have passed; no PEP). Both in South on their start.
    assert kpi(warehouse, "pep_initial_10wd_pct", FEB, "South") == (1, 2, 50.0, "ok")
    # March: nobody entered (the 903 extract is of 28/02): no cases, never 0 %.
    assert kpi(warehouse, "pep_initial_10wd_pct", AS_AT) == (0, 0, None, "no_cases")


def test_pep_quality_counts_rated_complete_peps_in_the_month(warehouse):
    # January: K6 GOOD, K1 GOOD, K10 REQUIRES_IMPROVEMENT. February: K14 GOOD; K2's is not
    # rated; K7's is IN_PROGRESS. March to 10/03: K3's PEP of 12/03 is after d.
    assert kpi(warehouse, "pep_quality_good_pct", JAN) == approx(2, 3, 200 / 3)
    assert kpi(warehouse, "pep_quality_good_pct", FEB) == (1, 1, 100.0, "ok")
    assert kpi(warehouse, "pep_quality_good_pct", AS_AT) == (0, 0, None, "no_cases")
    # December: K7's INADEQUATE PEP of 31/12, in South on d.
    assert kpi(warehouse, "pep_quality_good_pct", DEC, "South") == (0, 1, 0.0, "ok")


def test_peps_not_supplied_say_so_for_every_la_without_a_peps_table(warehouse):
    for la_code, d in (("850", D(2025, 3, 25)), ("851", D(2025, 3, 31))):
        for kpi_id in ("pep_in_term_pct", "pep_initial_10wd_pct", "pep_quality_good_pct"):
            assert kpi(warehouse, kpi_id, d, la_code=la_code) == (None, None, None, "not_supplied")


def test_pep_action_list_is_the_shortfall_of_the_current_term(warehouse):
    rows = warehouse.execute(
        "select child, district, sw_id, school_year_group, last_complete_pep_date,"
        " days_in_care, as_at_date from marts.action_pep_outstanding order by child"
    ).fetchall()
    assert rows == [
        ("K3", "North", "W1", "Year 11", D(2024, 11, 10), (AS_AT - D(2023, 5, 1)).days, AS_AT),
        ("K7", "South", "W2", "Year 8", D(2024, 12, 31), (AS_AT - D(2023, 1, 1)).days, AS_AT),
    ]


# ---------- C. Care leavers


def test_care_leavers_2024_25_in_year_as_at_the_903_extract(warehouse):
    # Cohort (birthday in 2024-25 on or before 28/02/2025, aged 17-21, not DIED / RHOM):
    # L1 (18, YES F2 D1), L2 (21 on 28/02/2025: born 29/02/2004; NREQ 0 0), L4 (20, YES G5
    # S2), L6 (17, REFU 0 0), L9 (19, NO P5 B1). Out: L3 (birthday 05/03, after the
    # extract), L5 (RHOM), L7 (23), L8 (DIED).
    expected_17_21 = {
        "cl_eet_pct": (2, 5, 40.0),  # L1, L9 (activity known though not in touch)
        "cl_neet_pct": (1, 5, 20.0),  # L4
        "cl_in_touch_pct": (2, 5, 40.0),  # L1, L4: NREQ and REFU count as not in touch
        "cl_suitable_accom_pct": (2, 5, 40.0),  # D1, B1
        "cl_nreq_pct": (1, 5, 20.0),
        "cl_refu_pct": (1, 5, 20.0),
    }
    for kpi_id, (numerator, denominator, value) in expected_17_21.items():
        got = kpi(warehouse, kpi_id, AS_AT, period_type="year", breakdown="17-21")
        assert got == (numerator, denominator, value, "ok"), kpi_id
    # 17-18: L1, L6.  19-21: L2, L4, L9 (ACTIV 0 stays in the denominator).
    assert kpi(warehouse, "cl_eet_pct", AS_AT, period_type="year", breakdown="17-18") == (
        1,
        2,
        50.0,
        "ok",
    )
    assert kpi(warehouse, "cl_neet_pct", AS_AT, period_type="year", breakdown="19-21") == approx(
        1, 3, 100 / 3
    )
    assert kpi(warehouse, "cl_refu_pct", AS_AT, period_type="year", breakdown="19-21") == (
        0,
        3,
        0.0,
        "ok",
    )


def test_care_leaver_district_is_the_district_on_the_birthday(warehouse):
    # L1 (South: W2 from 01/01/2024), L2 (North: allocated to W1 on its birthday, 28/02/2025);
    # L4, L6, L9 have no allocation.
    got = {
        district: kpi(
            warehouse, "cl_in_touch_pct", AS_AT, district, period_type="year", breakdown="17-21"
        )[:2]
        for district in ("North", "South", "County", "Unallocated")
    }
    assert got == {"North": (0, 1), "South": (1, 1), "County": (0, 0), "Unallocated": (1, 3)}
    # 2023-24 (final return): L1 (17, YES F1 D1) was not yet allocated on 15/06/2023, L10
    # (18, NO G6 X2).
    assert kpi(
        warehouse, "cl_eet_pct", YEAR_2023_24, "Unallocated", period_type="year", breakdown="17-18"
    ) == (1, 2, 50.0, "ok")


def test_care_leaver_action_list_is_not_in_touch_or_neet_this_year(warehouse):
    rows = warehouse.execute(
        "select child, reason, district, sw_id from marts.action_care_leavers order by child"
    ).fetchall()
    assert rows == [
        ("L2", "not_in_touch", "North", "W1"),
        ("L4", "neet", "Unallocated", None),
        ("L6", "not_in_touch", "Unallocated", None),
        ("L9", "not_in_touch", "Unallocated", None),
    ]


# ---------- D. Caseloads


def test_caseloads_on_28_february(warehouse):
    # Case holders on 28/02/2025: W1 North 20 cases FTE 1.0 (K1, K3, K14, L2 and N01-N16;
    # N19's allocation ends that day) - exactly 20, not above; W2 South 4 (L1, K2, K7, K13)
    # FTE 0.5 agency; W3 North 1 (K6) FTE blank - above; W5 South 1 (K10) FTE 0.6 (its
    # South spell started last); W6 South 2 (N20, K8) FTE 1.0, in post on its END_DATE.
    # W4 (ROLE 3) holds K4 but is not a case holder.
    assert kpi(warehouse, "caseload_avg", FEB) == approx(28, 3.1, 28 / 3.1)
    assert kpi(warehouse, "caseload_high_pct", FEB) == (1, 5, 20.0, "ok")
    assert kpi(warehouse, "agency_fte_pct", FEB) == approx(0.5, 3.1, 50 / 3.1)
    assert kpi(warehouse, "caseload_avg", FEB, "North") == (21, 1.0, 21.0, "ok")
    assert kpi(warehouse, "caseload_avg", FEB, "South") == approx(7, 2.1, 7 / 2.1)
    assert kpi(warehouse, "caseload_avg", FEB, "County") == (0, 0, None, "no_cases")


def test_caseloads_on_the_as_at_date(warehouse):
    # 10/03/2025: W6 has left; N18 was allocated to W1 that day (ALLOC_START <= d): 21, above.
    assert kpi(warehouse, "caseload_avg", AS_AT) == approx(27, 2.1, 27 / 2.1)
    assert kpi(warehouse, "caseload_high_pct", AS_AT) == (2, 4, 50.0, "ok")
    assert kpi(warehouse, "caseload_high_pct", AS_AT, "North") == (2, 2, 100.0, "ok")
    assert kpi(warehouse, "agency_fte_pct", AS_AT, "South") == approx(0.5, 1.1, 50 / 1.1)
    workers = warehouse.execute(
        "select sw_id, district, team_name, cases, fte_counted, is_above_threshold"
        " from marts.mart_caseloads_by_worker where la_code = '852' and period_end = ?"
        " order by sw_id",
        [AS_AT],
    ).fetchall()
    assert workers == [
        ("W1", "North", "North CIC", 21, 1.0, True),
        ("W2", "South", "South CIC", 4, 0.5, False),
        ("W3", "North", "North CIC", 1, 0.0, True),
        ("W5", "South", "South CIC", 1, 0.6, False),
    ]
    # members: the workers behind caseload_avg, each adding its cases and FTE
    traced = warehouse.execute(
        "select sum(numerator_weight), sum(denominator_weight) from marts.kpi_members"
        " where la_code = '852' and kpi_id = 'caseload_avg' and period_end = ?",
        [AS_AT],
    ).fetchone()
    assert traced == (27.0, pytest.approx(2.1))


def test_children_looked_after_without_an_allocated_worker(warehouse):
    # 852: K11's only allocation line has an unreadable ALLOC_START. K8 is allocated to W6,
    # who left: allocated for cla_unallocated, but Unallocated for districts.
    assert kpi(warehouse, "cla_unallocated", AS_AT) == (1, None, 1, "ok")
    assert members(warehouse, "cla_unallocated", AS_AT) == [("K11", None, True)]
    # 850 on 25/03/2025: C6 and C8 have no allocation; C3's worker left (allocated).
    assert kpi(warehouse, "cla_unallocated", D(2025, 3, 25), la_code="850") == (2, None, 2, "ok")
    # last_district: the last worker's district on the allocation's start (SW2 Gosport
    # from 01/01/2023, W6 South from 24/02/2025); none for a child never allocated.
    rows = warehouse.execute(
        "select la_code, child, reason, last_sw_id, last_district"
        " from marts.action_cla_unallocated order by la_code, child"
    ).fetchall()
    assert rows == [
        ("850", "C3", "worker_not_in_post", "SW2", "Gosport"),
        ("850", "C6", "no_open_allocation", None, None),
        ("850", "C8", "no_open_allocation", None, None),
        ("852", "K11", "no_open_allocation", None, None),
        ("852", "K8", "worker_not_in_post", "W6", "South"),
    ]


def test_caseloads_count_a_child_allocated_to_two_workers_for_each(warehouse):
    # 850 on 25/03/2025: SW1 holds C1, C2, C4, C5, H1 (every case type); C4 is also with
    # SW4 and C5 with SW3; SW2 has left. 7 cases over 3.0 FTE.
    assert kpi(warehouse, "caseload_avg", D(2025, 3, 25), la_code="850") == approx(7, 3.0, 7 / 3)


def test_caseloads_not_supplied_without_local_tables(warehouse):
    for kpi_id in ("caseload_avg", "caseload_high_pct", "agency_fte_pct", "cla_unallocated"):
        assert kpi(warehouse, kpi_id, D(2025, 3, 31), la_code="851") == (
            None,
            None,
            None,
            "not_supplied",
        )


# ---------- E. Children looked after


def test_children_looked_after_by_district(warehouse):
    # 10/03/2025: K1-K4, K6-K8, K10, K11, K13, K14 = 11. K9 left on 10/01; K12 had only a
    # V3 short break.
    assert kpi(warehouse, "cla_count", AS_AT) == (11, None, 11, "ok")
    got = {
        district: kpi(warehouse, "cla_count", AS_AT, district)[0]
        for district in ("North", "South", "County", "Unallocated")
    }
    assert got == {"North": 4, "South": 4, "County": 1, "Unallocated": 2}


def test_starts_and_ceased_use_the_district_on_the_start_and_on_the_end(warehouse):
    # January: K9 (06/01) and K10 (13/01) started, both North on their start (W5's North
    # spell). K9's period ended 10/01, the day its allocation ended: Unallocated on its end.
    assert kpi(warehouse, "cla_starts", JAN, "North") == (2, None, 2, "ok")
    assert kpi(warehouse, "cla_ceased", JAN, "Unallocated") == (1, None, 1, "ok")
    # February: K2 and K8 (South); the V3 short break of K12 is not a start.
    assert kpi(warehouse, "cla_starts", FEB) == (2, None, 2, "ok")
    # Periods that began before the data (K1, K7, K13, K14) are never counted as starts.
    total = warehouse.execute(
        "select sum(numerator) from marts.kpi_values where la_code = '852' and district = 'ALL'"
        " and kpi_id = 'cla_starts'"
    ).fetchone()[0]
    assert total == 8  # K3, K4, K11, K6, K9, K10, K2, K8


def test_placement_stability_in_the_12_months_to_d(warehouse):
    # 10/03/2025, window (10/03/2024, 10/03/2025]: K1 S, P, (L), T = 3; K7: the earliest
    # overlapping episode is an L (+1), then P and B = 3; K3's first episode ended on
    # 10/03/2024, the window's first day: P, T = 2.
    assert kpi(warehouse, "placement_3plus_pct", AS_AT) == approx(2, 11, 200 / 11)
    assert members(warehouse, "placement_3plus_pct", AS_AT, in_numerator=True) == [
        ("K1", None, True),
        ("K7", None, True),
    ]
    # 28/02/2025, window from 28/02/2024: K3's first episode overlaps: K1, K3, K7.
    assert kpi(warehouse, "placement_3plus_pct", FEB) == approx(3, 11, 300 / 11)


def test_long_term_placement_stability(warehouse):
    # 10/03/2025: under 16 and in care since 10/09/2022 or before: K1 (01/09/2022, but its
    # placement started 15/01/2025), K13 (placed for adoption, A5), K14 (same placement
    # since 01/01/2021: its L episode of 01/06/2023 continues it). K4 is 16.
    assert kpi(warehouse, "placement_long_term_pct", AS_AT) == approx(2, 3, 200 / 3)
    # 28/02/2025: 30 months before is 28/08/2022, so K1 is not yet in the denominator.
    assert kpi(warehouse, "placement_long_term_pct", FEB) == (2, 2, 100.0, "ok")


def test_reviews_in_date(warehouse):
    # 10/03/2025, looked after for 20 working days: all but K8. Overdue: K2 (no readable
    # review; due 03/03), K4 (one review 30/11/2024 + 3 months = 28/02/2025), K10 (its only
    # review is before its period: due 10/02). K3's single review 10/12/2024 is due
    # 10/03/2025 = d: in date.
    assert kpi(warehouse, "cla_review_in_date_pct", AS_AT) == (7, 10, 70.0, "ok")
    assert kpi(warehouse, "cla_review_in_date_pct", AS_AT, "County") == (0, 1, 0.0, "ok")
    # 28/02/2025: K4 due that day (in date); K2 not yet 20 working days in care.
    assert kpi(warehouse, "cla_review_in_date_pct", FEB) == approx(8, 9, 800 / 9)
    # 2023-24's return has no reviews.csv: not supplied, never 0 %.
    assert kpi(warehouse, "cla_review_in_date_pct", YEAR_2023_24) == (
        None,
        None,
        None,
        "not_supplied",
    )


def test_oc2_health_per_collection_year(warehouse):
    # 2023-24: K1 (1, 1, 1), K13 (1, 0, 1), K14 (0, 1, blank). 2024-25 has no oc2.csv.
    for kpi_id in ("health_assessment_pct", "dental_check_pct", "immunisations_pct"):
        assert kpi(warehouse, kpi_id, YEAR_2023_24, period_type="year") == approx(2, 3, 200 / 3)
        assert kpi(warehouse, kpi_id, AS_AT, period_type="year") == (
            None,
            None,
            None,
            "not_supplied",
        )
    # District on 31/03/2024: K1 and K14 North (W1), K13 South (W2).
    assert kpi(warehouse, "health_assessment_pct", YEAR_2023_24, "North", period_type="year") == (
        1,
        2,
        50.0,
        "ok",
    )


def test_rate_per_10k_uses_the_population_seed(warehouse):
    # 850 on 25/03/2025: C1, C3, C4, C5, C6, C8 looked after; Havant C1 and C5. Havant's
    # population is 25,040; the LA's is the sum of Hampshire's 11 districts, 282,540.
    march = D(2025, 3, 25)
    assert kpi(warehouse, "cla_rate_per_10k", march, "Havant", la_code="850") == approx(
        20000, 25040, 20000 / 25040
    )
    assert kpi(warehouse, "cla_rate_per_10k", march, la_code="850") == approx(
        60000, 282540, 60000 / 282540
    )
    # County is not a place: no population, so no rate; its children are still counted
    # (none in County on 25/03/2025; C3, whose worker left, and C6, C8, never allocated,
    # are Unallocated: 3 x 10,000; C4 is in Gosport).
    assert kpi(warehouse, "cla_rate_per_10k", march, "County", la_code="850") == (
        0,
        None,
        None,
        "no_population",
    )
    assert kpi(warehouse, "cla_rate_per_10k", march, "Unallocated", la_code="850") == (
        30000,
        None,
        None,
        "no_population",
    )
    # 852 is not in the seed: no population anywhere, the count is kept (never "not
    # supplied": the children were supplied). 11 children looked after on 10/03/2025.
    assert kpi(warehouse, "cla_rate_per_10k", AS_AT) == (110000, None, None, "no_population")


# ---------- the whole table: shape, reconciliation, raw counts


def test_every_b_to_e_kpi_is_on_the_full_spine(warehouse):
    shape = dict(
        warehouse.execute(
            """
            select kpi_id || '/' || period_type, count(*) from marts.kpi_values
            where la_code = '852' and not list_contains(?, kpi_id)
            group by all
            """,
            [list(SECTION_A)],
        ).fetchall()
    )
    districts = 5  # North, South, County, Unallocated, ALL
    months, terms, years = 24, 6, 2
    expected = {
        f"{k}/month": districts * months
        for k in (
            "pep_in_term_pct",
            "pep_initial_10wd_pct",
            "pep_quality_good_pct",
            "caseload_avg",
            "caseload_high_pct",
            "agency_fte_pct",
            "cla_unallocated",
            "cla_count",
            "cla_rate_per_10k",
            "cla_starts",
            "cla_ceased",
            "placement_3plus_pct",
            "placement_long_term_pct",
            "cla_review_in_date_pct",
            "placed_outside_la_pct",  # section F (test_dbt_section_f.py)
            "placed_location_not_known",
            "placed_20_miles_pct",
            "placed_distance_not_known",
        )
    }
    expected["pep_in_term_pct/term"] = districts * terms
    for k in (
        "cl_eet_pct",
        "cl_neet_pct",
        "cl_in_touch_pct",
        "cl_suitable_accom_pct",
        "cl_nreq_pct",
        "cl_refu_pct",
    ):
        expected[f"{k}/year"] = districts * years * 3  # 17-18, 19-21, 17-21
    for k in ("health_assessment_pct", "dental_check_pct", "immunisations_pct"):
        expected[f"{k}/year"] = districts * years
    assert shape == expected


def test_la_total_is_the_sum_of_districts_and_numerators_never_exceed_denominators(warehouse):
    mismatches = warehouse.execute(
        """
        with by_district as (
            select la_code, breakdown, period_type, period_end, kpi_id,
                sum(numerator) as numerator, sum(denominator) as denominator
            from marts.kpi_values where district != 'ALL'
            group by all
        )
        select t.la_code, t.kpi_id, t.period_end from marts.kpi_values as t
        join by_district using (la_code, breakdown, period_type, period_end, kpi_id)
        where t.district = 'ALL' and t.kpi_id != 'cla_rate_per_10k'
            and (abs(t.numerator - by_district.numerator) > 1e-9
                 or abs(t.denominator - by_district.denominator) > 1e-9
                 or (t.numerator is null) != (by_district.numerator is null))
        """
    ).fetchall()
    assert mismatches == []
    over = warehouse.execute(
        """
        select kpi_id, count(*) from marts.kpi_values
        where numerator > denominator + 1e-9
            and kpi_id not in ('caseload_avg', 'cla_rate_per_10k')
        group by all
        """
    ).fetchall()
    assert over == []


def test_members_reconcile_with_every_value(warehouse):
    mismatches = warehouse.execute(
        """
        with traced as (
            select la_code, district, breakdown, period_type, period_end, kpi_id,
                coalesce(sum(numerator_weight) filter (where in_numerator), 0) as numerator,
                coalesce(sum(denominator_weight) filter (where in_denominator), 0) as denominator
            from marts.kpi_members
            group by all
        )
        select v.la_code, v.district, v.period_end, v.kpi_id
        from marts.kpi_values as v
        left join traced using (la_code, district, breakdown, period_type, period_end, kpi_id)
        where v.district != 'ALL' and v.status != 'not_supplied'
            and v.kpi_id != 'cla_rate_per_10k'
            and (abs(v.numerator - coalesce(traced.numerator, 0)) > 1e-9
                 or abs(coalesce(v.denominator, 0)
                        - case when v.denominator is null then 0
                               else coalesce(traced.denominator, 0) end) > 1e-9)
        """
    ).fetchall()
    assert mismatches == []


def test_counts_match_the_raw_rows(warehouse):
    # children looked after on 10/03/2025 = raw 2024-25 episode rows of 852 still open,
    # not short breaks (one open episode per child in this fixture)
    raw_open = warehouse.execute(
        "select count(distinct child) from raw_ssda903.episodes where la_code = '852'"
        " and collection_year = '2024-25' and dec is null and ls not in ('V3', 'V4')"
    ).fetchone()[0]
    assert kpi(warehouse, "cla_count", AS_AT)[0] == raw_open == 11
    # OC2 denominators = the raw OC2 rows of the year
    raw_oc2 = warehouse.execute(
        "select count(*) from raw_ssda903.oc2 where la_code = '852' and collection_year = '2023-24'"
    ).fetchone()[0]
    assert kpi(warehouse, "dental_check_pct", YEAR_2023_24, period_type="year")[1] == raw_oc2
    # OC3: 9 raw rows in 2024-25, minus L3 (after the extract), L5 (RHOM), L7 (23), L8 (DIED)
    raw_oc3 = warehouse.execute(
        "select count(*) from raw_ssda903.oc3 where la_code = '852' and collection_year = '2024-25'"
    ).fetchone()[0]
    cohort = kpi(warehouse, "cl_eet_pct", AS_AT, period_type="year", breakdown="17-21")[1]
    assert (raw_oc3, cohort) == (9, 5)
    # PEPs: 13 raw lines = 11 meetings + 1 duplicate line + 1 unreadable date
    peps = warehouse.execute(
        "select count(*), sum(n_records) from marts.fct_peps where la_code = '852'"
    ).fetchone()
    assert peps == (11, 12)


def test_child_timeline_tells_k9s_story(warehouse):
    rows = warehouse.execute(
        "select event_type, start_date, end_date, label from marts.mart_child_timeline"
        " where la_code = '852' and child = 'K9' order by start_date, event_type"
    ).fetchall()
    assert rows == [
        ("allocation", D(2025, 1, 1), D(2025, 1, 10), "Allocated to W1"),
        ("period_of_care", D(2025, 1, 6), D(2025, 1, 10), "Period of care 1"),
        ("placement", D(2025, 1, 6), D(2025, 1, 10), "Placement U4"),
    ]
    event_types = {
        r[0]
        for r in warehouse.execute(
            "select distinct event_type from marts.mart_child_timeline"
        ).fetchall()
    }
    assert event_types == {
        "period_of_care",
        "placement",
        "missing",
        "rhi",
        "pep",
        "allocation",
        "review",
    }


def test_dimensions_describe_children_workers_and_districts(warehouse):
    child = warehouse.execute(
        "select is_looked_after_at_as_at, current_care_start, district, sw_id, periods_of_care"
        " from marts.dim_children where la_code = '852' and child = 'K1'"
    ).fetchone()
    assert child == (True, D(2022, 9, 1), "North", "W1", 1)
    # a child only in local tables (a child in need) is in dim_children too
    assert warehouse.execute(
        "select is_in_ssda903, periods_of_care from marts.dim_children"
        " where la_code = '852' and child = 'N01'"
    ).fetchone() == (False, 0)
    worker = warehouse.execute(
        "select district, fte, is_in_post_at_as_at, open_cases_at_as_at from marts.dim_workers"
        " where la_code = '852' and sw_id = 'W6'"
    ).fetchone()
    assert worker == ("South", 1.0, False, 2)
    districts = warehouse.execute(
        "select district, population_0_17 from marts.dim_districts where la_code = '850'"
        " order by district"
    ).fetchall()
    assert districts == [
        ("ALL", 282540),
        ("County", None),
        ("Gosport", 16510),
        ("Havant", 25040),
        ("Unallocated", None),
    ]
