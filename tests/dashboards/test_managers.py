"""The figures behind the managers' pages, on small frames worked out by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

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


@pytest.mark.parametrize(
    ("n", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                    (13, "13th"), (21, "21st"), (22, "22nd"), (101, "101st")],
)  # fmt: skip
def test_ordinals(n, text):
    assert managers.ordinal(n) == text


def test_rank_is_one_plus_the_places_strictly_better_and_says_when_level():
    assert managers.rank(70.0, [50.0, 70.0, 70.0], "higher") == (1, True)
    assert managers.rank(50.0, [50.0, 70.0, 70.0], "higher") == (3, False)
    assert managers.rank(50.0, [50.0, 70.0, 70.0], "lower") == (1, False)
    assert managers.rank(50.0, [50.0, 70.0], "info") is None
    assert managers.rank(None, [50.0], "higher") is None
    assert managers.rank_text((1, True), 3) == "=1st of 3"
    assert managers.rank_text(None, 3) == "–"


def test_a_district_is_compared_with_the_la_and_the_places_in_catalogue_order():
    b = compare("B")
    # k_none has no figure for B: left out; catalogue order k_pct, k_low, k_count
    assert list(b.index) == ["k_pct", "k_low", "k_count"]
    pct = b.loc["k_pct"]
    assert (pct["shown"], pct["counts"], pct["la_shown"]) == ("70.0%", "7 of 10", "60.0%")
    # places: A 50.0, B 70.0, C 70.0 (shown alike, so level); County is not a place
    assert (pct["low"], pct["high"]) == ("50.0% (A)", "70.0% (B)")
    assert (pct["rank"], pct["rank_text"]) == (1, "=1st of 3")
    assert pct["rag"] == "green" and pct["target"] == "65.0%"  # 70.0 meets 65
    assert pct["places"] == {"A": 50.0, "B": 70.0, "C": 70.0}
    # lower is better: A 12.0 is best, B 15.0 second
    assert b.loc["k_low", "rank_text"] == "2nd of 3" and b.loc["k_low", "counts"] == ""
    # shown for information: no rank, no RAG
    assert b.loc["k_count", "rank_text"] == "–" and pd.isna(b.loc["k_count", "rag"])


def test_the_worst_place_ranks_last_and_misses_its_target_by_more_than_the_tolerance():
    a = compare("A").loc["k_pct"]
    assert (a["rank_text"], a["rag"]) == ("3rd of 3", "red")  # 50.0: 15 short of 65


def test_county_and_unallocated_are_shown_but_not_ranked():
    county = compare("County").loc["k_pct"]
    assert (county["shown"], county["rank_text"]) == ("90.0%", "–")
    assert (county["low"], county["high"]) == ("50.0% (A)", "70.0% (B)")
    unallocated = compare("Unallocated").loc["k_pct"]
    assert (unallocated["shown"], unallocated["rank_text"]) == ("no cases", "–")
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
