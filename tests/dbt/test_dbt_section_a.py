"""Section A KPIs on the fixture warehouse (warehouse_fixture.py), computed by hand.

The as-at date of LA 850 is 25/03/2025 (its local extract), so March 2025 is partial and
an episode is due when MIS_END + 3 days <= 25/03/2025, i.e. MIS_END <= 22/03/2025.
"""

from __future__ import annotations

import datetime as dt

import pytest

MARCH = dt.date(2025, 3, 25)  # partial month: measured at the extract date
SECTION_A_KPIS = [
    "missing_episodes",
    "away_episodes",
    "missing_cla_pct",
    "rhi_offered_pct",
    "rhi_accepted_pct",
    "rhi_within_72h_pct",
]
FEBRUARY = dt.date(2025, 2, 28)


def kpi(con, district, breakdown, period_end, kpi_id, la_code="850"):
    row = con.execute(
        """
        select numerator, denominator, value, status, is_partial
        from marts.kpi_values
        where la_code = ? and district = ? and breakdown = ? and period_type = 'month'
            and period_end = ? and kpi_id = ?
        """,
        [la_code, district, breakdown, period_end, kpi_id],
    ).fetchall()
    assert len(row) == 1, (la_code, district, breakdown, period_end, kpi_id, row)
    return row[0]


def test_dbt_build_passes_every_model_and_test(dbt_build):
    _, result, _seconds = dbt_build
    failed = [
        r.node.name for r in result.result if str(r.status) not in ("success", "pass", "no-op")
    ]
    assert result.success and not failed, failed


def test_havant_march_care_four_due_episodes_three_offered_is_75_percent(warehouse):
    # due M episodes ended in March in Havant from care: E1, E2, E3, E4 (E4 ends 22/03:
    # 22/03 + 3 = 25/03 = as-at date, due); E5 (ends 23/03) is pending; E3 declined; E4
    # has no return interview record, so it was not offered.
    assert kpi(warehouse, "Havant", "care", MARCH, "rhi_offered_pct")[:4] == (3, 4, 75.0, "ok")


def test_havant_march_care_accepted_and_within_72_hours(warehouse):
    # accepted: E1 and E2 of the 3 offered.  within 72 h: E1 (RHI on MIS_END + 3) of the
    # 2 held; E2's RHI was on MIS_END + 4.
    numerator, denominator, value, status, _ = kpi(
        warehouse, "Havant", "care", MARCH, "rhi_accepted_pct"
    )
    assert (numerator, denominator, status) == (2, 3, "ok")
    assert value == pytest.approx(200 / 3)
    assert kpi(warehouse, "Havant", "care", MARCH, "rhi_within_72h_pct")[:4] == (1, 2, 50.0, "ok")


def test_havant_march_episode_counts_include_pending_and_leave_out_blank_and_bad_mis_end(warehouse):
    # M episodes ended in March: E1-E5 (E5 pending still ended). E7 (blank MIS_END) and E8
    # (MIS_END 31/02/2025) are not counted. Away: E6.
    assert kpi(warehouse, "Havant", "care", MARCH, "missing_episodes")[:4] == (5, None, 5.0, "ok")
    assert kpi(warehouse, "Havant", "care", MARCH, "away_episodes")[:4] == (1, None, 1.0, "ok")
    # from home: H1's M episode (C1's home row has the key of care episode E1: care wins)
    assert kpi(warehouse, "Havant", "home", MARCH, "missing_episodes")[:3] == (1, None, 1.0)
    assert kpi(warehouse, "Havant", "home", MARCH, "away_episodes")[:3] == (1, None, 1.0)
    assert kpi(warehouse, "Havant", "all", MARCH, "missing_episodes")[:3] == (6, None, 6.0)


def test_latest_month_is_partial_and_measured_at_the_extract_date(warehouse):
    assert kpi(warehouse, "Havant", "care", MARCH, "missing_episodes")[4] is True
    assert kpi(warehouse, "Havant", "care", FEBRUARY, "missing_episodes")[4] is False
    last = warehouse.execute(
        "select max(period_end), min(period_start) from marts.kpi_values where la_code = '850'"
    ).fetchone()
    assert last == (MARCH, dt.date(2023, 4, 1))


def test_child_whose_worker_left_is_unallocated(warehouse):
    # C3's worker SW2 left on 28/02/2025: C3's episode ended 03/03/2025 is Unallocated,
    # the one ended 12/02/2025 is in Gosport.
    assert kpi(warehouse, "Unallocated", "care", MARCH, "rhi_offered_pct")[:4] == (
        1,
        1,
        100.0,
        "ok",
    )
    # Gosport February: C4 ended 01/02 (offered), C4 ended 28/02 (last day of the month,
    # OFFERED = N), C3 ended 12/02 (no record).
    numerator, denominator, value, _, _ = kpi(
        warehouse, "Gosport", "care", FEBRUARY, "rhi_offered_pct"
    )
    assert (numerator, denominator) == (1, 3)
    assert value == pytest.approx(100 / 3)
    assert kpi(warehouse, "Gosport", "care", FEBRUARY, "missing_episodes")[:3] == (3, None, 3.0)
    assert kpi(warehouse, "Gosport", "care", FEBRUARY, "rhi_within_72h_pct")[:4] == (
        1,
        1,
        100.0,
        "ok",
    )


def test_no_allocation_is_unallocated(warehouse):
    # C6 has no allocation: its January episode is in Unallocated.
    january = dt.date(2025, 1, 31)
    assert kpi(warehouse, "Unallocated", "care", january, "rhi_offered_pct")[:4] == (
        1,
        1,
        100.0,
        "ok",
    )
    assert kpi(warehouse, "Havant", "care", january, "rhi_offered_pct")[:4] == (
        0,
        0,
        None,
        "no_cases",
    )


def test_offered_but_declined_from_home_is_zero_percent_accepted(warehouse):
    # C2 left care on 31/12/2024; its February episode is from home, offered and declined.
    assert kpi(warehouse, "Havant", "home", FEBRUARY, "rhi_offered_pct")[:4] == (1, 1, 100.0, "ok")
    assert kpi(warehouse, "Havant", "home", FEBRUARY, "rhi_accepted_pct")[:4] == (0, 1, 0.0, "ok")


def test_unreadable_rhi_date_leaves_the_episode_out_of_rhi_kpis_only(warehouse):
    december = dt.date(2024, 12, 31)
    assert kpi(warehouse, "Havant", "care", december, "missing_episodes")[:3] == (1, None, 1.0)
    assert kpi(warehouse, "Havant", "care", december, "rhi_offered_pct")[:4] == (
        0,
        0,
        None,
        "no_cases",
    )


def test_episode_open_across_31_march_takes_the_latest_return(warehouse):
    # C1 30/03/2024 is open in the 2023-24 return and ended 02/04/2024 in 2024-25.
    april = dt.date(2024, 4, 30)
    assert kpi(warehouse, "Havant", "care", april, "missing_episodes")[:3] == (1, None, 1.0)
    assert kpi(warehouse, "Havant", "care", april, "rhi_offered_pct")[:4] == (0, 1, 0.0, "ok")
    march_2024 = dt.date(2024, 3, 31)
    assert kpi(warehouse, "ALL", "all", march_2024, "missing_episodes")[0] == 0


def test_missing_cla_pct_rolling_12_months_to_the_extract_date(warehouse):
    # Looked after at any time in (25/03/2024, 25/03/2025]: C1-C6 and C8 (C7 had only a
    # short break). Went missing from care in the window: C1, C3, C4, C5, C6, and C8, whose
    # only episode has no MIS_END yet (the child did go missing). C2 went missing from home.
    numerator, denominator, value, status, _ = kpi(
        warehouse, "ALL", "care", MARCH, "missing_cla_pct"
    )
    assert (numerator, denominator, status) == (6, 7, "ok")
    assert value == pytest.approx(600 / 7)
    assert kpi(warehouse, "ALL", "all", MARCH, "missing_cla_pct")[:3] == (7, 7, 100.0)
    # district on d = 25/03/2025: Havant C1, C2, C5; Gosport C4; Unallocated C3, C6, C8
    assert kpi(warehouse, "Havant", "care", MARCH, "missing_cla_pct")[:2] == (2, 3)
    assert kpi(warehouse, "Havant", "home", MARCH, "missing_cla_pct")[:2] == (1, 3)
    assert kpi(warehouse, "Gosport", "care", MARCH, "missing_cla_pct")[:2] == (1, 1)
    assert kpi(warehouse, "Unallocated", "care", MARCH, "missing_cla_pct")[:2] == (3, 3)
    assert kpi(warehouse, "County", "care", MARCH, "missing_cla_pct")[:4] == (
        0,
        0,
        None,
        "no_cases",
    )


def test_la_without_local_extract_says_not_supplied_never_zero(warehouse):
    november = dt.date(2024, 11, 30)
    for kpi_id in ("rhi_offered_pct", "rhi_accepted_pct", "rhi_within_72h_pct"):
        for breakdown in ("care", "home", "all"):
            assert kpi(warehouse, "ALL", breakdown, november, kpi_id, "851")[:4] == (
                None,
                None,
                None,
                "not_supplied",
            )
    assert kpi(warehouse, "ALL", "home", november, "missing_episodes", "851")[3] == "not_supplied"
    assert kpi(warehouse, "Unallocated", "care", november, "missing_episodes", "851")[:4] == (
        1,
        None,
        1.0,
        "ok",
    )
    districts = warehouse.execute(
        "select distinct district from marts.kpi_values where la_code = '851' order by 1"
    ).fetchall()
    assert districts == [("ALL",), ("Unallocated",)]
    months = warehouse.execute(
        "select count(distinct period_end), bool_or(is_partial), max(period_end)"
        " from marts.kpi_values where la_code = '851'"
    ).fetchone()
    assert months == (12, False, dt.date(2025, 3, 31))


def test_spine_is_full_for_every_district_month_breakdown_and_kpi(warehouse):
    # 850: Havant, Gosport, County, Unallocated + ALL; 24 months; 3 breakdowns; 6 KPIs
    n = warehouse.execute(
        "select count(*) from marts.kpi_values where la_code = '850' and list_contains(?, kpi_id)",
        [SECTION_A_KPIS],
    ).fetchone()[0]
    assert n == 5 * 24 * 3 * 6


def test_la_total_equals_sum_of_districts_and_counts_match_raw_rows(warehouse):
    mismatches = warehouse.execute(
        """
        with by_district as (
            select la_code, breakdown, period_type, period_end, kpi_id,
                sum(numerator) as numerator, sum(denominator) as denominator
            from marts.kpi_values where district != 'ALL'
            group by all
        )
        select count(*) from marts.kpi_values as t
        join by_district using (la_code, breakdown, period_type, period_end, kpi_id)
        where t.district = 'ALL' and list_contains(?, t.kpi_id)
            and (t.numerator is distinct from by_district.numerator
                 or t.denominator is distinct from by_district.denominator)
        """,
        [SECTION_A_KPIS],
    ).fetchone()[0]
    assert mismatches == 0
    # 850's ended M episodes with a readable MIS_END, after the care/home and cross-year
    # de-duplication: 12 from care + H1 and C2 from home = 14; A episodes: E6 and H1's.
    totals = dict(
        warehouse.execute(
            """
        select kpi_id, sum(numerator) from marts.kpi_values
        where la_code = '850' and district = 'ALL' and breakdown = 'all'
            and kpi_id in ('missing_episodes', 'away_episodes')
        group by kpi_id
        """
        ).fetchall()
    )
    assert totals == {"missing_episodes": 14, "away_episodes": 2}


def test_members_trace_the_havant_march_offered_figure(warehouse):
    members = warehouse.execute(
        """
        select child, event_date, in_numerator from marts.kpi_members
        where la_code = '850' and district = 'Havant' and breakdown = 'care'
            and period_end = ? and kpi_id = 'rhi_offered_pct' and in_denominator
        order by event_date
        """,
        [MARCH],
    ).fetchall()
    assert members == [
        ("C1", dt.date(2025, 3, 1), True),
        ("C5", dt.date(2025, 3, 5), True),
        ("C1", dt.date(2025, 3, 10), True),
        ("C5", dt.date(2025, 3, 15), False),
    ]


def test_care_and_home_rows_with_one_key_keep_the_care_row(warehouse):
    rows = warehouse.execute(
        "select source, mis_end, is_in_both_sources from marts.fct_missing_episodes"
        " where la_code = '850' and child = 'C1' and mis_start = date '2025-03-01'"
    ).fetchall()
    assert rows == [("care", dt.date(2025, 3, 2), True)]


def test_action_list_holds_due_episodes_of_the_last_30_days_without_an_rhi(warehouse):
    rows = warehouse.execute(
        """
        select child, mis_start, days_since_return, district, sw_id, team_name, offered, accepted
        from marts.action_rhi_outstanding order by mis_start, child
        """
    ).fetchall()
    assert rows == [
        # C4 is now allocated to SW4 (Gosport), OFFERED = N
        ("C4", dt.date(2025, 2, 28), 25, "Gosport", "SW4", "Gosport CIC", "N", None),
        ("H1", dt.date(2025, 3, 1), 23, "Havant", "SW1", "Havant CIC", "N", None),
        ("C5", dt.date(2025, 3, 5), 19, "Havant", "SW1", "Havant CIC", "Y", "N"),
        # due exactly today (MIS_END 22/03 + 3 days), no return interview record at all
        ("C5", dt.date(2025, 3, 15), 3, "Havant", "SW1", "Havant CIC", None, None),
    ]


def test_district_lookup_follows_allocation_rules(warehouse):
    spells = warehouse.execute(
        "select child, valid_from, valid_to, district, sw_id"
        " from intermediate.int_allocations__district_spells"
        " where child in ('C3', 'C4', 'C5') order by child, valid_from"
    ).fetchall()
    assert spells == [
        ("C3", dt.date(2023, 1, 1), dt.date(2025, 3, 1), "Gosport", "SW2"),  # SW2 left 28/02
        ("C4", dt.date(2023, 1, 1), dt.date(2024, 6, 1), "Havant", "SW1"),
        ("C4", dt.date(2024, 6, 1), None, "Gosport", "SW4"),  # the later allocation wins
        ("C5", dt.date(2024, 1, 1), None, "Havant", "SW1"),  # tie: smaller SW_ID
    ]


def test_working_days_skip_weekends_and_england_bank_holidays(warehouse):
    def nth_working_day_after(start, n):
        return warehouse.execute(
            """
            select a.calendar_date
            from intermediate.int_calendar__working_days as s
            join intermediate.int_calendar__working_days as a
                on a.working_day_number = s.working_day_number + ? and a.is_working_day
            where s.calendar_date = ?
            """,
            [n, start],
        ).fetchone()[0]

    # Christmas 2024: Wed 25 and Thu 26 are bank holidays
    assert nth_working_day_after(dt.date(2024, 12, 24), 1) == dt.date(2024, 12, 27)
    # Easter 2024: Good Friday 29/03, Easter Monday 01/04
    assert nth_working_day_after(dt.date(2024, 3, 28), 1) == dt.date(2024, 4, 2)
    # from a Saturday, the 1st working day after is the Monday
    assert nth_working_day_after(dt.date(2025, 3, 1), 1) == dt.date(2025, 3, 3)
    assert nth_working_day_after(dt.date(2025, 3, 3), 10) == dt.date(2025, 3, 17)
    span = warehouse.execute(
        "select min(calendar_date), max(calendar_date) from intermediate.int_calendar__working_days"
    ).fetchone()
    assert span[0] <= dt.date(2022, 1, 1) and span[1] >= dt.date(2027, 12, 31)


def test_catalogue_describes_every_kpi_and_kpi_values_has_the_contract_columns(warehouse):
    catalogue = warehouse.execute("select count(*) from marts.kpi_catalogue").fetchone()[0]
    assert catalogue == 33  # sections A-E (29) and F (2 KPIs, 2 "not known" counts)
    columns = warehouse.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_schema = 'marts' and table_name = 'kpi_values' order by ordinal_position"
    ).fetchall()
    assert columns == [
        ("la_code", "VARCHAR"),
        ("district", "VARCHAR"),
        ("breakdown", "VARCHAR"),
        ("period_type", "VARCHAR"),
        ("period_start", "DATE"),
        ("period_end", "DATE"),
        ("is_partial", "BOOLEAN"),
        ("kpi_id", "VARCHAR"),
        ("numerator", "DOUBLE"),
        ("denominator", "DOUBLE"),
        ("value", "DOUBLE"),
        ("status", "VARCHAR"),
    ]


def test_custom_schemas_are_used_verbatim(warehouse):
    schemas = {
        r[0]
        for r in warehouse.execute(
            "select distinct table_schema from information_schema.tables"
        ).fetchall()
    }
    assert {"staging", "intermediate", "marts", "reference"} <= schemas
    assert not any(s.startswith("main_") for s in schemas)
