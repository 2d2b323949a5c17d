"""The managers' tables of the hand-made snapshot (see conftest): districts, caseloads by
worker, the four action lists, children and one child's timeline. Columns as the dbt
marts have them (tests/dbt/test_dashboard_on_marts.py runs the same pages on real marts).

Figures the tests rely on (LA 850, as at 14 Feb 2025 unless said):

- Districts: Basingstoke and Deane (1 team, 40,000 aged 0-17), Winchester (2 teams,
  25,000), County (1 team), Unallocated. LA 851: North, South and, only in dim_districts,
  Unallocated.
- Caseloads on 14 Feb 2025, Winchester: Winchester CIC: SW10 18 cases (FTE 1.0), SW12 12
  (0.5, agency: 24 per FTE, above 20), SW13 3 (no FTE: above), SW15 none (not a case
  holder) -> 3 case holders, 1.5 FTE, 33 cases, 22.0 per FTE, 2 above; Winchester Care
  Leavers: SW14 10 (1.0). District: 4 case holders, 2.5 FTE, 43 cases, 17.2 per FTE.
  On 31 Jan 2025: SW10 16 (1.0) and SW12 10 (0.5): 26 cases, 1.5 FTE, 17.3 per FTE.
- Action lists: RHI (conftest) C001 Winchester, C002 Basingstoke and Deane; PEPs none
  (850's PEPs are not supplied), 851 P002 North; care leavers L001 Winchester (not in
  touch and NEET), L002 Unallocated (not in touch); without a worker C006 (716 days in
  care, last worker SW16 in Winchester) and C005 (75 days, never allocated), both
  Unallocated.
- C001's timeline: 1 period of care from 1 Jun 2023 (open), placements U4 (to 15 Aug
  2024) and U5 (open), allocations to SW12 (to 1 Sep 2024) and SW10 (open), missing
  2-4 Nov 2024 (interview held 6 Nov, within 72 hours) and 30 Jan-1 Feb 2025 (interview
  offered 3 Feb, declined), a PEP on 10 Oct 2024 and a review on 1 Dec 2024. C002 is in
  dim_children with no event; P001 is a child of LA 851.
- Where children looked after live now (fct_placement_locations): C001 (Winchester) in
  Portsmouth, 15.8 miles; C002 (Basingstoke and Deane) in Sheffield, 170.9 miles; C005
  (Unallocated) placement postcode blank; C003 no longer looked after; P001 of LA 851
  (North) in Leeds.
"""

from __future__ import annotations

import datetime as dt

import duckdb

D = dt.date
AS_AT = D(2025, 2, 14)
AS_AT_851 = D(2025, 1, 31)

DIM_DISTRICTS = [  # la_code, district, is_unallocated, is_county, is_la_total, population, teams
    ("850", "ALL", False, False, True, 65000, 4),
    ("850", "Basingstoke and Deane", False, False, False, 40000, 1),
    ("850", "Winchester", False, False, False, 25000, 2),
    ("850", "County", False, True, False, None, 1),
    ("850", "Unallocated", True, False, False, None, 0),
    ("851", "ALL", False, False, True, None, 1),
    ("851", "North", False, False, False, None, 1),
    ("851", "South", False, False, False, None, 0),
    ("851", "Unallocated", True, False, False, None, 0),
]


def _worker(la, start, end, partial, district, team_id, team, sw_id, role, fte, agency, cases):
    counted = fte if fte and fte > 0 else 0.0
    per_fte = cases / counted if counted > 0 else None
    above = cases > 0 and (counted == 0 or cases / counted > 20)
    return (la, start, end, partial, district, team_id, team, sw_id, role, fte, counted,
            agency == "Y", agency, cases, cases > 0, per_fte, 20.0, above)  # fmt: skip


FEB = (D(2025, 2, 1), AS_AT, True)
JAN = (D(2025, 1, 1), D(2025, 1, 31), False)
CASELOADS = [
    _worker("850", *FEB, "Winchester", "T1", "Winchester CIC", "SW10", 5, 1.0, "N", 18),
    _worker("850", *FEB, "Winchester", "T1", "Winchester CIC", "SW12", 4, 0.5, "Y", 12),
    _worker("850", *FEB, "Winchester", "T1", "Winchester CIC", "SW13", 5, None, "N", 3),
    _worker("850", *FEB, "Winchester", "T1", "Winchester CIC", "SW15", 5, 1.0, "N", 0),
    _worker("850", *FEB, "Winchester", "T4", "Winchester Care Leavers", "SW14", 5, 1.0, "N", 10),
    _worker("850", *FEB, "Basingstoke and Deane", "T2", "Basingstoke CIC", "SW11", 5, 1.0, "N", 21),
    _worker("850", *FEB, "County", "T3", "County Disability", "SW20", 5, 1.0, "N", 5),
    _worker("850", *JAN, "Winchester", "T1", "Winchester CIC", "SW10", 5, 1.0, "N", 16),
    _worker("850", *JAN, "Winchester", "T1", "Winchester CIC", "SW12", 4, 0.5, "Y", 10),
    _worker("850", *JAN, "Basingstoke and Deane", "T2", "Basingstoke CIC", "SW11", 5, 1.0, "N", 20),
    _worker("851", *FEB, "North", "T9", "North", "SW90", 5, 1.0, "N", 7),
]  # fmt: skip

PEP_OUTSTANDING = [
    ("851", AS_AT_851, "P002", "North", "SW90", "T9", "North", D(2024, 3, 1), 336, 9, 8,
     "Year 4", D(2025, 1, 1), D(2024, 10, 1), 122),
]  # fmt: skip

CARE_LEAVERS = [
    ("850", AS_AT, "2024-25", "L001", D(2024, 6, 10), 19, "19-21", "NO", "G5", "S2", True, True,
     "not_in_touch_and_neet", "Winchester", "SW14", "T4", "Winchester Care Leavers",
     "Winchester"),
    ("850", AS_AT, "2024-25", "L002", D(2024, 9, 1), 17, "17-18", "REFU", "0", "0", True, False,
     "not_in_touch", "Unallocated", None, None, None, "Basingstoke and Deane"),
]  # fmt: skip

CLA_UNALLOCATED = [
    ("850", AS_AT, "C005", "no_open_allocation", "Unallocated", D(2024, 12, 1), 75, 8,
     None, None, None, None),
    ("850", AS_AT, "C006", "worker_not_in_post", "Unallocated", D(2023, 3, 1), 716, 14,
     "SW16", D(2023, 3, 1), None, "Winchester"),
]  # fmt: skip

CHILDREN = [  # la, child, periods, first/latest/current start, looked after, age, district, sw, team
    ("850", "C001", 1, D(2023, 6, 1), True, 11, "Winchester", "SW10", "T1", "Winchester CIC", AS_AT),
    ("850", "C002", 1, D(2024, 1, 5), True, 15, "Basingstoke and Deane", "SW11", "T2", "Basingstoke CIC", AS_AT),
    ("850", "C005", 1, D(2024, 12, 1), True, 8, "Unallocated", None, None, None, AS_AT),
    ("850", "C006", 1, D(2023, 3, 1), True, 14, "Unallocated", None, None, None, AS_AT),
    ("851", "P001", 1, D(2024, 6, 1), True, 12, "North", "SW90", "T9", "North", AS_AT_851),
]  # fmt: skip

TIMELINE = [  # la, child, event_type, event_ref, start, end, label, detail, sw_id
    ("850", "C001", "period_of_care", "period 1", D(2023, 6, 1), None, "Period of care 1", "started P / C2", "SW12"),
    ("850", "C001", "placement", "placement 1.1", D(2023, 6, 1), D(2024, 8, 15), "Placement U4", "2 episode(s)", None),
    ("850", "C001", "placement", "placement 1.2", D(2024, 8, 15), None, "Placement U5", "provider PR1; 1 episode(s)", None),
    ("850", "C001", "allocation", "line 7", D(2023, 6, 1), D(2024, 9, 1), "Allocated to SW12", "CLA; Winchester CIC; Winchester", "SW12"),
    ("850", "C001", "allocation", "line 12", D(2024, 9, 1), None, "Allocated to SW10", "CLA; Winchester CIC; Winchester", "SW10"),
    ("850", "C001", "missing", "2024-11-02", D(2024, 11, 2), D(2024, 11, 4), "Missing from care", "2 day(s)", "SW10"),
    ("850", "C001", "rhi", "2024-11-02", D(2024, 11, 6), None, "Return home interview held", "offered Y; accepted Y; within 72 hours", "SW10"),
    ("850", "C001", "missing", "2025-01-30", D(2025, 1, 30), D(2025, 2, 1), "Missing from care", "2 day(s)", "SW10"),
    ("850", "C001", "rhi", "2025-01-30", D(2025, 2, 3), None, "Return home interview offered", "offered Y; accepted N", "SW10"),
    ("850", "C001", "pep", "2024-10-10", D(2024, 10, 10), None, "PEP review", "complete; good", "SW10"),
    ("850", "C001", "review", "2024-12-01", D(2024, 12, 1), None, "Review", "PN1", None),
    ("851", "P001", "period_of_care", "period 1", D(2024, 6, 1), None, "Period of care 1", "started P / C2", "SW90"),
]  # fmt: skip


def add_manager_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create and fill the managers' tables in the snapshot open on ``con``."""
    con.execute(
        "create table marts.dim_districts (la_code varchar, district varchar, "
        "is_unallocated boolean, is_county boolean, is_la_total boolean, "
        "population_0_17 hugeint, teams bigint)"
    )
    con.executemany("insert into marts.dim_districts values (?, ?, ?, ?, ?, ?, ?)", DIM_DISTRICTS)
    con.execute(
        "create table marts.mart_caseloads_by_worker (la_code varchar, period_start date, "
        "period_end date, is_partial boolean, district varchar, team_id varchar, "
        "team_name varchar, sw_id varchar, role integer, fte double, fte_counted double, "
        "is_agency boolean, agency varchar, cases bigint, is_case_holder boolean, "
        "cases_per_fte double, threshold double, is_above_threshold boolean)"
    )
    con.executemany(
        "insert into marts.mart_caseloads_by_worker values "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        CASELOADS,
    )
    con.execute(
        "create table marts.action_pep_outstanding (la_code varchar, as_at_date date, "
        "child varchar, district varchar, sw_id varchar, team_id varchar, team_name varchar, "
        "care_period_start date, days_in_care integer, age bigint, age_for_school_year bigint, "
        "school_year_group varchar, term_start date, last_complete_pep_date date, "
        "days_since_last_complete_pep integer)"
    )
    con.executemany(
        "insert into marts.action_pep_outstanding values "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        PEP_OUTSTANDING,
    )
    con.execute(
        "create table marts.action_care_leavers (la_code varchar, as_at_date date, "
        "collection_year varchar, child varchar, birthday date, age bigint, age_group varchar, "
        "in_touch varchar, activ varchar, accom varchar, is_not_in_touch boolean, "
        "is_neet boolean, reason varchar, district varchar, sw_id varchar, team_id varchar, "
        "team_name varchar, district_at_birthday varchar)"
    )
    con.executemany(
        "insert into marts.action_care_leavers values "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        CARE_LEAVERS,
    )
    con.execute(
        "create table marts.action_cla_unallocated (la_code varchar, as_at_date date, "
        "child varchar, reason varchar, district varchar, care_period_start date, "
        "days_in_care integer, age bigint, last_sw_id varchar, last_alloc_start date, "
        "last_alloc_end date, last_district varchar)"
    )
    con.executemany(
        "insert into marts.action_cla_unallocated values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        CLA_UNALLOCATED,
    )
    con.execute(
        "create table marts.dim_children (la_code varchar, child varchar, sex varchar, "
        "dob date, is_valid_dob boolean, ethnic varchar, upn varchar, is_in_ssda903 boolean, "
        "first_collection_year varchar, latest_collection_year varchar, "
        "periods_of_care bigint, first_care_start date, latest_care_start date, "
        "is_looked_after_at_as_at boolean, current_care_start date, age_at_as_at bigint, "
        "district varchar, sw_id varchar, team_id varchar, team_name varchar, as_at_date date)"
    )
    con.executemany(
        "insert into marts.dim_children values (?, ?, null, null, null, null, null, true, "
        "'2023-24', '2024-25', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (la, child, periods, start, start, looked_after, start, age, *rest)
            for la, child, periods, start, looked_after, age, *rest in CHILDREN
        ],
    )
    con.execute(
        "create table marts.mart_child_timeline (la_code varchar, child varchar, "
        "event_type varchar, event_ref varchar, start_date date, end_date date, "
        "label varchar, detail varchar, sw_id varchar)"
    )
    con.executemany(
        "insert into marts.mart_child_timeline values (?, ?, ?, ?, ?, ?, ?, ?, ?)", TIMELINE
    )
    con.execute(
        "create table marts.fct_placement_locations (la_code varchar, child varchar, "
        "placement_start date, place varchar, pl_postcode varchar, pl_upper_tier_name varchar, "
        "is_outside_la boolean, distance_miles double, is_over_20_miles boolean, "
        "outside_status varchar, distance_status varchar, sw_id_at_as_at varchar, "
        "is_current_at_as_at boolean, district_at_as_at varchar)"
    )
    con.executemany(
        "insert into marts.fct_placement_locations values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?)",
        PLACEMENT_LOCATIONS,
    )


PLACEMENT_LOCATIONS = [
    # la, child, placement_start, place, postcode, placed in, outside, miles, over 20,
    # outside_status, distance_status, worker, current, district
    ("850", "C001", D(2024, 8, 15), "U5", "PO12AL", "Portsmouth", True, 15.7646, False, "known", "known", "SW10", True, "Winchester"),
    ("850", "C002", D(2024, 2, 1), "K2", "S12HH", "Sheffield", True, 170.92, True, "known", "known", "SW11", True, "Basingstoke and Deane"),
    ("850", "C005", D(2024, 12, 1), "U6", None, None, None, None, None, "pl_post_blank", "pl_post_blank", None, True, "Unallocated"),
    ("850", "C003", D(2020, 3, 1), "U6", "SO238UJ", "Hampshire", False, 3.2, False, "known", "known", "SW10", False, None),
    ("851", "P001", D(2024, 6, 1), "U4", "LS11UR", "Leeds", True, 220.4, True, "known", "known", "SW90", True, "North"),
]  # fmt: skip
