"""Page state in the URL: bad values give a message and the default, never an error."""

from __future__ import annotations

import pytest

from dashboards import urlstate

MONTHS = [f"2024-{m:02d}" for m in range(1, 13)] + ["2025-01", "2025-02"]
KPIS = ["rhi_offered_pct", "missing_episodes"]


def resolve(query):
    return urlstate.resolve_missing(
        query, la="850", districts=["Winchester", "County"], kpis=KPIS, months=MONTHS
    )


def test_defaults_are_the_whole_la_and_the_latest_month_with_the_twelve_before_it():
    state = resolve({})
    assert (state.district, state.breakdown, state.kpi) == ("ALL", "all", "rhi_offered_pct")
    assert (state.start, state.end) == ("2024-02", "2025-02")
    assert state.messages == []


def test_good_values_are_kept_and_district_case_is_forgiven():
    state = resolve({"district": "winchester", "breakdown": "care", "start": "2024-05-31"})
    assert (state.district, state.breakdown, state.start) == ("Winchester", "care", "2024-05")
    assert state.messages == []


@pytest.mark.parametrize(
    ("query", "field", "default", "words"),
    [
        ({"district": "Atlantis"}, "district", "ALL", "Unknown district “Atlantis”"),
        ({"breakdown": "sideways"}, "breakdown", "all", "Unknown breakdown"),
        ({"kpi": "nope"}, "kpi", "rhi_offered_pct", "Unknown KPI"),
        ({"end": "2024-13"}, "end", "2025-02", "is not a month"),
        ({"end": "last tuesday"}, "end", "2025-02", "is not a month"),
        ({"start": "2019-01"}, "start", "2024-02", "no figures for 2019-01"),
    ],
)
def test_bad_values_fall_back_to_the_default_with_a_message(query, field, default, words):
    state = resolve(query)
    assert getattr(state, field) == default
    assert len(state.messages) == 1
    assert words in state.messages[0]


def test_a_start_after_the_end_is_swapped_and_said():
    state = resolve({"start": "2025-01", "end": "2024-06"})
    assert (state.start, state.end) == ("2024-06", "2025-01")
    assert "swapped" in state.messages[0]


def test_repeated_keys_use_the_first_value():
    assert resolve({"district": ["County", "Winchester"]}).district == "County"


def test_unknown_la_falls_back_to_the_first_la():
    notes: list[str] = []
    assert urlstate.resolve_la("999", ["850", "851"], notes) == "850"
    assert "Unknown local authority “999”" in notes[0]
    assert urlstate.resolve_la(None, [], notes) is None


def test_encode_and_parse_round_trip_and_leave_out_empty_values():
    search = urlstate.encode({"la": "850", "district": "Basingstoke and Deane", "kpi": None})
    assert search == "?la=850&district=Basingstoke+and+Deane"
    assert urlstate.parse_search(search) == {"la": "850", "district": "Basingstoke and Deane"}
    assert urlstate.encode({}) == ""


def test_kpi_state_defaults_to_the_headline_breakdown():
    state = urlstate.resolve_kpi(
        {"breakdown": "20-25"},
        kpi_id="cl_eet_pct",
        la="850",
        districts=[],
        breakdowns=["17-18", "17-21", "19-21"],
        default_breakdown="17-21",
    )
    assert state.breakdown == "17-21"
    assert "showing Aged 17–21 instead" in state.messages[0]
    assert state.query() == {"la": "850", "district": "ALL", "breakdown": "17-21"}


@pytest.mark.parametrize(
    ("period", "expected", "message"),
    [
        (None, "2025-02", None),
        ("2025-01", "2025-01", None),
        ("2025-01-31", "2025-01", None),
        ("2025-13", "2025-02", "The chosen month “2025-13” is not a month"),
        ("2019-05", "2025-02", "There are no figures for 2019-05: showing 2025-02 instead."),
    ],
)
def test_district_state_checks_the_month_and_keeps_the_district_from_the_path(
    period, expected, message
):
    state = urlstate.resolve_district(
        {"period": period},
        district="Winchester",
        la="850",
        months=["2024-12", "2025-01", "2025-02"],
    )
    assert (state.district, state.period) == ("Winchester", expected)
    assert state.query() == {"la": "850", "period": expected}
    if message is None:
        assert state.messages == []
    else:
        assert state.messages[0].startswith(message)
