"""Disclosure control on hand-made tables: small counts hidden, percentages made from
them hidden, and secondary suppression so that no hidden cell can be worked out from a
total and the other cells."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboards import disclosure
from dashboards.disclosure import PRIMARY, SECONDARY, Relation, suppress_cells

DISTRICTS = Relation(by=("kpi",), column="district", total="ALL")


def table(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["kpi", "district", "n"])


def reasons(frame: pd.DataFrame, relations=(DISTRICTS,), limit: int = 6) -> dict[str, str]:
    why = suppress_cells(frame, "n", relations, limit)
    return {d: w for d, w in zip(frame["district"], why, strict=True) if w}


def test_counts_of_one_to_five_are_hidden_and_zero_and_six_are_shown():
    frame = table([("a", d, n) for d, n in [("A", 0), ("B", 1), ("C", 5), ("D", 6), ("E", None)]])
    assert reasons(frame, relations=()) == {"B": PRIMARY, "C": PRIMARY}


def test_the_threshold_is_configurable():
    frame = table([("a", "A", 9), ("a", "B", 10)])
    assert reasons(frame, relations=(), limit=10) == {"A": PRIMARY}


def test_a_single_hidden_district_is_protected_by_hiding_the_next_smallest():
    # LA 40 = 3 + 7 + 30: shown 7 and 30 and the total would give the 3 away.
    frame = table([("a", "ALL", 40), ("a", "North", 3), ("a", "South", 7), ("a", "East", 30)])
    assert reasons(frame) == {"North": PRIMARY, "South": SECONDARY}


def test_two_hidden_districts_need_no_secondary_suppression():
    frame = table([("a", "ALL", 40), ("a", "North", 3), ("a", "South", 2), ("a", "East", 35)])
    assert reasons(frame) == {"North": PRIMARY, "South": PRIMARY}


def test_zeros_are_hidden_only_when_nothing_else_can_be():
    # the only other district is 0 and the total is shown: hide the total, not the zero
    frame = table([("a", "ALL", 4), ("a", "North", 4), ("a", "South", 0)])
    assert reasons(frame) == {"ALL": PRIMARY, "North": PRIMARY}
    frame = table([("a", "ALL", 10), ("a", "North", 3), ("a", "South", 0), ("a", "East", 7)])
    assert reasons(frame) == {"North": PRIMARY, "East": SECONDARY}


def test_an_unknown_cell_already_protects_a_hidden_one():
    frame = table([("a", "ALL", 40), ("a", "North", 3), ("a", "South", None), ("a", "East", 30)])
    assert reasons(frame) == {"North": PRIMARY}


def test_groups_are_separate_and_a_group_without_total_is_left_alone():
    frame = table(
        [
            ("a", "ALL", 40),
            ("a", "North", 3),
            ("a", "South", 37),
            ("b", "North", 3),
            ("b", "South", 37),
        ]
    )
    why = suppress_cells(frame, "n", [DISTRICTS], 6).tolist()
    assert why == ["", PRIMARY, SECONDARY, PRIMARY, ""]


def test_secondary_suppression_carries_across_two_relations():
    # districts × breakdowns: hiding North/care (2) exposes it in the care column, so
    # North/home is hidden, which exposes the home column, so South/home is hidden ...
    rows = []
    for district, care, home in [("North", 2, 10), ("South", 20, 12)]:
        rows += [(district, "care", care), (district, "home", home), (district, "all", care + home)]
    rows += [("ALL", "care", 22), ("ALL", "home", 22), ("ALL", "all", 44)]
    frame = pd.DataFrame(rows, columns=["district", "breakdown", "n"])
    relations = [
        Relation(by=("breakdown",), column="district", total="ALL"),
        Relation(
            by=("district",), column="breakdown", total="all", members=frozenset({"care", "home"})
        ),
    ]
    why = dict(
        zip(
            zip(frame["district"], frame["breakdown"], strict=True),
            suppress_cells(frame, "n", relations, 6),
            strict=True,
        )
    )
    hidden = {cell for cell, w in why.items() if w}
    assert why[("North", "care")] == PRIMARY
    # No row or column of the table has exactly one hidden cell left.
    for district in ("North", "South", "ALL"):
        assert sum((district, b) in hidden for b in ("care", "home", "all")) != 1
    for breakdown in ("care", "home", "all"):
        assert sum((d, breakdown) in hidden for d in ("North", "South", "ALL")) != 1


def kpi_rows(kpi: str, rows: list[tuple], breakdown: str = "all") -> list[tuple]:
    return [
        (
            "850",
            d,
            breakdown,
            "month",
            pd.Timestamp("2025-01-31"),
            kpi,
            num,
            den,
            None if num is None else (num if den is None else 100 * num / den if den else None),
            "ok",
        )
        for d, num, den in rows
    ]


COLUMNS = [
    "la_code",
    "district",
    "breakdown",
    "period_type",
    "period_end",
    "kpi_id",
    "numerator",
    "denominator",
    "value",
    "status",
]


def test_kpi_values_hide_small_counts_and_the_percentages_they_make():
    frame = pd.DataFrame(
        kpi_rows("cla_count", [("ALL", 50, None), ("North", 4, None), ("South", 46, None)])
        + kpi_rows("rhi_offered_pct", [("ALL", 30, 40), ("North", 25, 30), ("South", 5, 10)]),
        columns=COLUMNS,
    )
    out = disclosure.suppress_kpi_values(frame, limit=6).set_index(["kpi_id", "district"])
    north = out.loc[("cla_count", "North")]
    assert north["status"] == "suppressed_small" and np.isnan(north["value"])
    # South (46) is hidden so that 50 - 46 cannot give North's 4 away: "suppressed"
    south = out.loc[("cla_count", "South")]
    assert south["status"] == "suppressed" and np.isnan(south["numerator"])
    assert out.loc[("cla_count", "ALL"), "value"] == 50
    # South's numerator 5 is small: its percentage goes, and North's numerator with it
    offered = out.loc["rhi_offered_pct"]
    assert offered.loc["South", "status"] == "suppressed"
    assert np.isnan(offered.loc["South", "value"]) and offered.loc["South", "denominator"] == 10
    assert np.isnan(offered.loc["North", "numerator"]) and np.isnan(offered.loc["North", "value"])
    assert offered.loc["North", "denominator"] == 30
    assert offered.loc["ALL", "value"] == 75.0


def test_fte_and_population_are_not_counts_but_a_rate_of_few_children_is_hidden():
    frame = pd.DataFrame(
        kpi_rows("caseload_avg", [("ALL", 100, 4.5), ("North", 60, 2.5), ("South", 40, 2.0)])
        + kpi_rows(
            "cla_rate_per_10k",
            [("ALL", 500_000, 10_000), ("North", 30_000, 4_000), ("South", 470_000, 6_000)],
        ),
        columns=COLUMNS,
    )
    out = disclosure.suppress_kpi_values(frame, limit=6).set_index(["kpi_id", "district"])
    assert (out.loc["caseload_avg", "status"] == "ok").all()  # 2.5 FTE is not 2.5 people
    assert out.loc[("cla_rate_per_10k", "North"), "status"] == "suppressed"  # 3 children
    assert out.loc[("cla_rate_per_10k", "North"), "denominator"] == 4_000


@pytest.mark.parametrize("limit", [6, 11])
def test_no_count_below_the_threshold_is_left_anywhere(limit):
    rng = np.random.default_rng(7)
    rows = []
    for kpi in ("cla_count", "missing_episodes"):
        for breakdown in ("care", "home"):
            counts = rng.integers(0, 15, size=5)
            rows += kpi_rows(
                kpi, [(f"D{i}", int(c), None) for i, c in enumerate(counts)], breakdown
            )
            rows += kpi_rows(kpi, [("ALL", int(counts.sum()), None)], breakdown)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    everything = frame.groupby(["kpi_id", "district"], as_index=False)["numerator"].sum()
    frame = pd.concat([frame, pd.DataFrame(kpi_rows_all(everything), columns=COLUMNS)])
    out = disclosure.suppress_kpi_values(frame, limit=limit)
    shown = out["numerator"].dropna()
    assert not ((shown >= 1) & (shown < limit)).any()
    assert (out["status"] == "suppressed_small").any()


def kpi_rows_all(sums: pd.DataFrame) -> list[tuple]:
    return [
        row
        for kpi, d, n in sums.itertuples(index=False)
        for row in kpi_rows(kpi, [(d, n, None)], "all")
    ]
