"""The scope, applied where the data is read (``dashboards.data``): a manager's rows, a
child's visibility, data quality by LA, the board's disclosure-controlled figures, and a
cache that never hands one user's scoped result to another."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from auth_helpers import principal

from dashboards import data
from dashboards.auth import NotAllowed, acting_as, user
from dashboards.views import district as district_view
from dashboards.views import scorecard

MANAGER = principal("manager")  # LA 850, Winchester
ANALYST = principal("analyst")
BOARD = principal("board")  # LA 850


@pytest.fixture(autouse=True)
def snapshot_read(snapshot):
    data.clear_cache()
    with data.use_snapshot(snapshot):
        yield


def as_(who, read):
    with acting_as(who):
        return read()


def children(frame):
    return sorted(frame["child"]) if frame is not None and not frame.empty else []


def test_a_managers_action_lists_hold_their_districts_children_only():
    assert children(as_(ANALYST, lambda: data.action_list("rhi", "850"))) == ["C001", "C002"]
    assert children(as_(MANAGER, lambda: data.action_list("rhi", "850"))) == ["C001"]
    # C006 has no worker: Unallocated, and listed for the district of their last worker
    assert children(as_(MANAGER, lambda: data.action_list("cla_unallocated", "850"))) == ["C006"]
    assert children(as_(MANAGER, lambda: data.action_list("care_leavers", "850"))) == ["L001"]
    with pytest.raises(NotAllowed, match="Basingstoke and Deane is not in your scope"):
        as_(MANAGER, lambda: data.action_list("rhi", "850", "Basingstoke and Deane"))
    with pytest.raises(NotAllowed):
        as_(MANAGER, lambda: data.action_list("rhi", "851"))


def test_caseloads_by_worker_stop_at_the_managers_districts():
    workers = as_(MANAGER, lambda: data.caseloads("850", "2025-02-14"))
    assert set(workers["district"]) == {"Winchester"} and "SW11" not in set(workers["sw_id"])
    with pytest.raises(NotAllowed):
        as_(MANAGER, lambda: data.caseloads("850", "2025-02-14", "County"))
    with pytest.raises(NotAllowed):
        as_(BOARD, lambda: data.caseloads("850", "2025-02-14", "Winchester"))


@pytest.mark.parametrize(
    ("who", "visible"),
    [(MANAGER, {"C001", "C006"}), (ANALYST, {"C001", "C002", "C005", "C006", "P001"})],
)
def test_a_child_is_visible_in_the_managers_districts_on_the_date_shown(who, visible):
    seen = set()
    for la, child in [
        ("850", "C001"),
        ("850", "C002"),
        ("850", "C005"),
        ("850", "C006"),
        ("851", "P001"),
    ]:
        try:
            as_(who, lambda la=la, child=child: data.child_events(la, child))
            seen.add(child)
        except NotAllowed as err:
            assert "you may see" in str(err)  # the same words whether it exists or not
    assert seen == visible
    assert as_(MANAGER, lambda: data.child_las("C002")) == []
    assert as_(ANALYST, lambda: data.child_las("P001")) == ["851"]


def test_data_quality_rows_are_for_engineers_and_analysts_of_their_las():
    engineer_850 = user("e850", ["engineer"], ["850"])
    assert set(as_(engineer_850, lambda: data.dq_issues())["la_code"]) == {"850"}
    assert as_(engineer_850, data.dq_las) == ["850"]
    assert set(as_(ANALYST, lambda: data.dq_issues())["la_code"]) == {"850", "852"}
    for who in (BOARD, MANAGER, user("admin", ["admin"])):
        with pytest.raises(NotAllowed):
            as_(who, lambda: data.dq_issues("850"))
    with pytest.raises(NotAllowed):
        as_(engineer_850, lambda: data.dq_issues("852"))


def test_aggregates_need_the_la_in_scope_and_admin_reads_none():
    assert as_(MANAGER, data.las) == ["850"] and as_(ANALYST, data.las) == ["850", "851"]
    assert as_(user("x", ["admin"]), data.las) == []
    for who in (MANAGER, BOARD):
        with pytest.raises(NotAllowed):
            as_(who, lambda: data.kpi_series("851", "rhi_offered_pct"))
    with pytest.raises(NotAllowed):
        as_(user("x", ["admin"]), data.catalogue)
    with pytest.raises(data.NotSignedIn):
        data.las()  # nobody: nothing


def test_the_board_sees_small_counts_suppressed_and_the_others_see_them():
    def winchester():
        frame = data.kpi_series("850", "rhi_offered_pct", "Winchester")
        return frame[frame["period_start"] == "2025-02-01"].iloc[0]

    analyst, board = as_(ANALYST, winchester), as_(BOARD, winchester)
    assert (analyst["numerator"], analyst["denominator"], analyst["value"]) == (5, 10, 50.0)
    assert board["status"] == "suppressed" and math.isnan(board["numerator"])
    assert math.isnan(board["value"]) and board["denominator"] == 10
    counts = as_(BOARD, lambda: data.kpi_table("850"))
    shown = counts.loc[counts["status"] == "ok", ["numerator", "denominator"]]
    assert not ((shown >= 1) & (shown <= 5)).any().any()
    assert (counts["status"] == "suppressed_small").any()


def test_memoised_pages_are_kept_per_view_so_no_user_gets_anothers_result():
    def rhi_offered(rows):
        return rows.set_index("kpi_id").loc["rhi_offered_pct"]

    analyst_850 = user("a850", ["analyst"], ["850"])
    board_rows, _ = as_(BOARD, lambda: scorecard.frame("850"))
    analyst_rows, _ = as_(analyst_850, lambda: scorecard.frame("850"))
    assert board_rows is not analyst_rows  # two views, two results
    assert as_(BOARD, lambda: scorecard.frame("850"))[0] is board_rows  # each one cached
    assert as_(MANAGER, lambda: scorecard.frame("850"))[0] is analyst_rows  # the same view
    assert rhi_offered(board_rows)["status"] == "ok"  # 18 of 20: nothing small at LA level
    assert rhi_offered(analyst_rows)["numerator"] == 18
    with pytest.raises(NotAllowed):  # cached for LA 850, still refused for a board of 851
        as_(principal("board-851"), lambda: scorecard.frame("850"))
    # Winchester's RHIs offered, 5 of 10: the board's cached figure is suppressed, and the
    # manager's, worked out after it, is not (and the other way round)
    for first, second in ((BOARD, analyst_850), (analyst_850, BOARD)):
        data.clear_cache()
        shown = {
            who.name: rhi_offered(
                as_(who, lambda: district_view.comparison("850", None, "Winchester"))
            )["shown"]
            for who in (first, second)
        }
        assert shown == {"board": "suppressed", "a850": "50.0%"}


def test_a_memoised_page_of_an_la_is_shared_by_all_who_see_that_la_alike():
    """Kept per the view of its LA, not of every LA the principal sees: on a snapshot of
    many LAs the warm-up (every LA) works it out once for the managers of one LA."""
    analyst_rows, _ = as_(ANALYST, lambda: scorecard.frame("850"))  # 850 and 851
    assert as_(MANAGER, lambda: scorecard.frame("850"))[0] is analyst_rows  # 850 only
    board_rows, _ = as_(BOARD, lambda: scorecard.frame("850"))
    assert board_rows is not analyst_rows  # seen disclosure-controlled: another view
    both_boards = user("b2", ["board"], ["850", "851"])
    assert as_(both_boards, lambda: scorecard.frame("850"))[0] is board_rows


def test_a_memoised_function_of_an_la_may_read_no_other_la():
    @data.memo
    def other(la):
        return len(data.kpi_table("851"))

    @data.memo
    def every(la):
        return data.las()

    @data.memo
    def every_dq(la):
        return data.dq_las()

    @data.memo
    def nested(la):  # a memoised function it calls is bound by the same rule
        return other_unbound()

    @data.memo
    def other_unbound():
        return len(data.kpi_table("851"))

    for careless in (other, every, every_dq, nested):
        with pytest.raises(RuntimeError, match=r"inside a @data\.memo function of LA 850"):
            as_(ANALYST, lambda f=careless: f("850"))
    assert as_(ANALYST, other_unbound) > 0  # not per LA: kept per the whole view


def test_the_boards_copy_of_an_la_is_worked_out_from_that_las_rows_only(monkeypatch):
    """The board's disclosure-controlled KPI values are made per LA when a board view of
    that LA first reads them (not every LA of the snapshot at once), and are the same as
    when worked out for the whole table (disclosure control works within an LA)."""
    from dashboards import disclosure

    fetched: list[tuple[str, dict | None]] = []
    fetch = data._Version.fetch

    def spy(self, sql, params):
        fetched.append((sql, params))
        return fetch(self, sql, params)

    monkeypatch.setattr(data._Version, "fetch", spy)
    board_850 = as_(BOARD, lambda: data.kpi_table("850"))
    board_rows = [(sql, p) for sql, p in fetched if sql.startswith("select * from marts.kpi")]
    assert board_rows == [("select * from marts.kpi_values where la_code = $la", {"la": "850"})]
    made = data._query("select distinct la_code from memory.main.board_kpi_values")
    assert list(made["la_code"]) == ["850"]
    as_(principal("board-851"), lambda: data.kpi_table("851"))
    made = data._query("select la_code, count(*) as n from memory.main.board_kpi_values "
                       "group by la_code order by la_code")  # fmt: skip
    assert list(made["la_code"]) == ["850", "851"]
    whole = as_(ANALYST, lambda: pd.concat([data.kpi_table("850"), data.kpi_table("851")]))
    expected = disclosure.suppress_kpi_values(whole, disclosure.threshold())
    expected = expected[expected["la_code"] == "850"].reset_index(drop=True)
    pd.testing.assert_frame_equal(board_850, expected, check_dtype=False)
    assert (board_850["status"] == "suppressed_small").any()  # it did hide something


def test_a_memoised_function_may_not_read_child_level_data():
    @data.memo
    def careless(la):
        return len(data.action_list("rhi", la))

    with pytest.raises(RuntimeError, match=r"inside a @data\.memo function"):
        as_(ANALYST, lambda: careless("850"))
