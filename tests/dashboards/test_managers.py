"""The figures behind the managers' pages, on small frames worked out by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboards import managers

D = dt.date
PERIOD = ("month", D(2025, 2, 1), D(2025, 2, 28), False)
CATALOGUE = pd.DataFrame(
    [
        # kpi_id, name, area, polarity, unit, decimals, sort_order
        ("k_count", "A count", "Area 2", "info", "count", 0, 30),
        ("k_pct", "A percentage", "Area 1", "higher", "percent", 1, 10),
        ("k_low", "A ratio", "Area 1", "lower", "ratio", 1, 20),
        ("k_none", "Not measured", "Area 2", "higher", "percent", 1, 40),
    ],
    columns=["kpi_id", "name", "area", "polarity", "unit", "decimals", "sort_order"],
)
TARGETS = pd.DataFrame(
    [("k_pct", 65.0, 5.0)], columns=["kpi_id", "target", "tolerance"]
)  # fmt: skip


def _values(kpi_id, figures):
    rows = []
    for district, (num, den, status) in figures.items():
        value = None if status != "ok" else (100 * num / den if kpi_id == "k_pct" else num / den)
        rows.append((kpi_id, "all", *PERIOD, district, num, den, value, status))
    return rows


FRAME = pd.DataFrame(
    _values(
        "k_pct",
        {
            "ALL": (30, 50, "ok"),  # 60.0
            "A": (5, 10, "ok"),  # 50.0
            "B": (7, 10, "ok"),  # 70.0
            "C": (7004, 10000, "ok"),  # 70.04, shown 70.0: level with B
            "County": (9, 10, "ok"),  # 90.0, not a place
            "Unallocated": (0, 0, "no_cases"),
        },
    )
    + _values("k_low", {"ALL": (15, 1, "ok"), "A": (12, 1, "ok"), "B": (15, 1, "ok"),
                        "C": (18, 1, "ok")})
    + _values("k_count", {"ALL": (30, 1, "ok"), "B": (8, 1, "ok")}),
    columns=["kpi_id", "breakdown", "period_type", "period_start", "period_end", "is_partial",
             "district", "numerator", "denominator", "value", "status"],
)  # fmt: skip


def compare(district):
    frame = managers.compare_district(FRAME, CATALOGUE, TARGETS, district, "850")
    return frame.set_index("kpi_id")


def test_a_district_is_compared_with_the_la_and_the_places_in_catalogue_order():
    b = compare("B")
    # k_none has no figure for B: left out; catalogue order k_pct, k_low, k_count
    assert list(b.index) == ["k_pct", "k_low", "k_count"]
    pct = b.loc["k_pct"]
    assert (pct["shown"], pct["counts"], pct["la_shown"]) == ("70.0%", "7 of 10", "60.0%")
    # places: A 50.0, B 70.0, C 70.0 (shown alike); County is not a place
    assert (pct["low"], pct["high"]) == ("50.0% (A)", "70.0% (B)")
    # 7 of 10: Wilson 39.7 % to 89.2 %, which holds the LA's 60.0 %: similar, not "1st"
    assert (pct["ci"], pct["verdict"], pct["compared"]) == (
        "39.7% to 89.2%",
        "similar",
        "similar to the LA",
    )
    assert pct["rag"] == "green" and pct["target"] == "65.0%"  # 70.0 meets 65
    assert pct["places"] == {"A": 50.0, "B": 70.0, "C": 70.0}
    # lower is better: 15 cases per FTE, exact Poisson 8.4 to 24.7 around the LA's 15.0
    assert (b.loc["k_low", "ci"], b.loc["k_low", "verdict"]) == ("8.4 to 24.7", "similar")
    assert b.loc["k_low", "counts"] == ""
    # a count is never compared with the LA (districts differ in size); no RAG
    assert b.loc["k_count", "compared"] == "not compared (a count: districts differ in size)"
    assert pd.isna(b.loc["k_count", "rag"])


def test_only_an_interval_clear_of_the_la_is_significantly_better_or_worse():
    # C: 7,004 of 10,000 = 70.0 %, Wilson 69.1 % to 70.9 %: clear of 60.0 %
    c = compare("C").loc["k_pct"]
    assert (c["verdict"], c["compared"]) == ("better", "significantly better than the LA")
    # A: 5 of 10 = 50.0 %, 15 short of its target (red) but 23.7 % to 76.3 %: similar
    a = compare("A").loc["k_pct"]
    assert (a["rag"], a["verdict"], a["ci"]) == ("red", "similar", "23.7% to 76.3%")


def test_districts_with_small_numbers_are_marked_and_never_placed_or_judged():
    frame = managers.compare_district(FRAME, CATALOGUE, TARGETS, "A", "850", threshold=11)
    pct = frame.set_index("kpi_id").loc["k_pct"]
    assert pct["small"] and pd.isna(pct["verdict"])
    assert pct["compared"] == "small numbers: not compared (fewer than 11 cases)"
    # A and B (10 cases each) leave the range and the chart: only C is placed
    assert pct["places"] == {"C": 70.0}
    assert (pct["low"], pct["high"]) == ("70.0% (C)", "70.0% (C)")


def test_county_and_unallocated_are_shown_but_not_placed():
    county = compare("County").loc["k_pct"]
    assert (county["shown"], county["compared"]) == ("90.0%", "similar to the LA")
    assert (county["low"], county["high"]) == ("50.0% (A)", "70.0% (B)")
    assert "County" not in county["places"]
    unallocated = compare("Unallocated").loc["k_pct"]
    assert (unallocated["shown"], unallocated["compared"]) == ("no cases", "–")
    assert pd.isna(unallocated["value"]) and pd.isna(unallocated["rag"])


def workers():
    """Winchester on 14 Feb 2025 (manager_fixture), as data.caseloads returns it."""
    rows = [
        # team_id, team_name, sw_id, fte_counted, cases, is_above_threshold
        ("T1", "Winchester CIC", "SW10", 1.0, 18, False),
        ("T1", "Winchester CIC", "SW12", 0.5, 12, True),
        ("T1", "Winchester CIC", "SW13", 0.0, 3, True),
        ("T1", "Winchester CIC", "SW15", 1.0, 0, False),
        ("T4", "Winchester Care Leavers", "SW14", 1.0, 10, False),
    ]
    columns = ["team_id", "team_name", "sw_id", "fte_counted", "cases", "is_above_threshold"]
    return pd.DataFrame(rows, columns=columns)


def test_team_caseloads_divide_cases_by_the_fte_of_case_holders():
    teams = managers.team_caseloads(workers())
    # Winchester CIC: SW15 holds nothing (in post, not a case holder: no FTE counted);
    # 18 + 12 + 3 = 33 cases over 1.0 + 0.5 + 0 FTE = 22.0; SW12 (24 per FTE) and SW13
    # (cases, no FTE) are above the threshold.
    assert teams.to_dict("records") == [
        {"team": "Winchester CIC", "workers": 4, "case_holders": 3, "fte": 1.5, "cases": 33,
         "cases_per_fte": 22.0, "above_threshold": 2},
        {"team": "Winchester Care Leavers", "workers": 1, "case_holders": 1, "fte": 1.0,
         "cases": 10, "cases_per_fte": 10.0, "above_threshold": 0},
    ]  # fmt: skip
    # the district: 43 cases over 2.5 FTE = 17.2
    assert managers.caseload_total(workers()) == {
        "workers": 5, "case_holders": 4, "fte": 2.5, "cases": 43, "cases_per_fte": 17.2,
        "above_threshold": 2,
    }  # fmt: skip


def test_a_team_whose_case_holders_have_no_fte_has_no_cases_per_fte():
    frame = workers().iloc[[2]]  # SW13: 3 cases, no FTE
    assert pd.isna(managers.team_caseloads(frame).loc[0, "cases_per_fte"])
    assert managers.team_caseloads(workers().iloc[0:0]).empty


def test_a_child_without_a_worker_belongs_to_unallocated_and_their_last_district():
    rows = pd.DataFrame(
        {
            "child": ["C005", "C006"],
            "district": ["Unallocated", "Unallocated"],
            "last_district": [None, "Winchester"],
        }
    )
    assert list(managers.in_district(rows, "cla_unallocated", "Winchester")["child"]) == ["C006"]
    assert list(managers.in_district(rows, "cla_unallocated", "Unallocated")["child"]) == [
        "C005",
        "C006",
    ]
    assert managers.in_district(rows, "cla_unallocated", "Basingstoke and Deane").empty
    # other lists use the district on the as-at date only
    assert managers.in_district(rows, "rhi", "Winchester").empty
    assert len(managers.in_district(rows, "rhi", "ALL")) == 2


def test_missing_episodes_carry_their_return_interview():
    events = pd.DataFrame(
        [
            ("missing", "2024-11-02", D(2024, 11, 2), D(2024, 11, 4), "Missing from care", "2 day(s)"),
            ("rhi", "2024-11-02", D(2024, 11, 6), None, "Return home interview held", "within 72 hours"),
            ("missing", "2025-01-30", D(2025, 1, 30), None, "Missing from home", "still missing"),
            ("pep", "2024-10-10", D(2024, 10, 10), None, "PEP review", "complete"),
        ],
        columns=["event_type", "event_ref", "start_date", "end_date", "label", "detail"],
    )  # fmt: skip
    joined = managers.missing_with_interviews(events)
    assert list(joined["event_ref"]) == ["2024-11-02", "2025-01-30"]
    assert joined.loc[0, "rhi"] == "Return home interview held"
    assert joined.loc[0, "rhi_date"] == D(2024, 11, 6)
    assert pd.isna(joined.loc[1, "rhi"])
