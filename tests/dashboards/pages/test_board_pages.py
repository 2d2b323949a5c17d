"""/board (the board summary, the front of the board pack), /partners, and the board's
notes on the scorecard, on the fixture snapshot (conftest.py) with a board store written
by hand. Today is fixed at 20 Feb 2025 (the data run to 14 Feb 2025)."""

from __future__ import annotations

import datetime as dt

import pytest
from board_helpers import as_user
from dash_helpers import find_by_id, text_of

from dashboards import ids
from dashboards.board import service
from dashboards.board.store import BoardStore

TODAY = dt.date(2025, 2, 20)
FEB = {
    "period_type": "month",
    "period_start": "2025-02-01",
    "period_end": "2025-02-14",
    "period_label": "Feb 2025",
}


@pytest.fixture
def filled(board, monkeypatch):
    """A board that met on 31 Dec 2024 and has since: a commentary on caseloads, an action
    on RHIs offered gone overdue (due 31 Jan 2025), one on caseloads due in March, and a
    closed one on PEPs."""
    monkeypatch.setattr(service, "today", lambda: TODAY)
    store = BoardStore(board)
    store.add_meeting(la="850", meeting_date="2024-12-31", author="ann", today=TODAY)
    store.add_commentary(
        la="850",
        kpi_id="caseload_avg",
        period=FEB,
        seen_id=None,
        body="Caseloads rose with two long-term absences in Winchester.",
        author="ann",
        role="analyst",
    )
    store.add_action(
        la="850",
        kpi_id="rhi_offered_pct",
        partner_id="rhi_provider",
        asked="Explain the RHIs not offered.",
        owner="RHI contract manager",
        due_date="2025-01-31",
        author="ann",
        role="analyst",
        today=TODAY,
    )
    store.add_action(
        la="850",
        kpi_id="caseload_avg",
        partner_id="cs_workforce",
        asked="Plan to bring caseloads under 18.",
        owner="Principal Social Worker",
        due_date="2025-03-31",
        author="ann",
        role="analyst",
        today=TODAY,
    )
    pep = store.add_action(
        la="850",
        kpi_id="pep_in_term_pct",
        partner_id="virtual_school",
        asked="Confirm PEP data will be sent.",
        owner="Virtual School Head",
        due_date="2025-02-28",
        author="ann",
        role="analyst",
        today=TODAY,
    )
    store.update_action(
        action_id=pep.id,
        seen_version=1,
        status="done",
        note="Agreed.",
        author="max",
        role="manager",
        today=TODAY,
    )
    return store


def route(app, path, search="", name="bea", role=None):
    """The page as a board member (``bea``) sees it, or as the account ``name``."""
    return as_user(app, name, role).route(path, search)


def part_text(page, part):
    found = []

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            props = node.get("props", {})
            if props.get("data-part") == part:
                found.append(node)
            for value in props.values():
                walk(value)

    walk(page)
    assert found, part
    return text_of(found[0])


def test_the_summary_lists_every_kpi_with_its_icons_changes_and_notes(app, filled):
    page = route(app, "/board", "?la=850&part=summary")
    text = part_text(page, "summary")
    assert "Board summary — Hampshire" in text_of(page)
    # 10 KPIs; caseload_avg (special cause concerning) is the only exception; 2 open
    # actions, the RHI one overdue; since 31 Dec 2024, when Dec 2024 was the latest month
    assert "10 KPIs · 1 need attention" in text
    assert "2 open board actions, 1 overdue" in text
    assert "since the last board (31 Dec 2024)" in text
    assert "RHI provider" not in text  # the fixture's partners have no short names
    assert "RHI Provider Ltd" in text
    # RHI offered: Dec 2024 was 15/20 = 75 % (red against 90 ± 5), Feb 2025 90 % (green);
    # SPC needs 13 points: 12 complete months by December (none), 13 now (improving)
    assert "RAG: Red → Green; Variation: no SPC → Improving" in text
    assert "commentary (Feb 2025); 1 open" in text  # caseload_avg's notes
    assert "1 open (1 overdue)" in text  # rhi_offered_pct's


def test_exceptions_show_the_chart_commentary_partner_and_actions(app, filled):
    page = route(app, "/board", "?la=850&part=exceptions")
    text = part_text(page, "exceptions")
    assert "1 KPI need the board's attention" in text
    assert "Average caseload per case-holding FTE" in text
    assert "Special cause: concerning (higher)" in text
    assert "Partner: Social work workforce · Owner: Principal Social Worker" in text
    assert "Caseloads rose with two long-term absences in Winchester." in text
    assert (
        "#2 Plan to bring caseloads under 18. (Social work workforce, due 31 Mar 2025, Open" in text
    )
    chart = find_by_id(page, "board-exception-caseload_avg")["props"]["figure"]
    assert "Special cause: concerning" in [t.get("name") for t in chart["data"]]
    assert "RHI offered" not in text  # improving, hit and miss: not an exception


def test_partners_actions_due_and_overdue_are_listed_by_partner(app, filled):
    text = part_text(route(app, "/board", "?la=850&part=actions"), "actions")
    assert "RHI Provider Ltd: 1 due, 1 overdue" in text
    assert "Overdue by 20 days (open)" in text  # due 31 Jan, today 20 Feb
    assert "Social work workforce: 1 due" in text
    assert "Confirm PEP data" not in text  # done


def test_what_changed_since_the_last_board(app, filled):
    text = part_text(route(app, "/board", "?la=850&part=changes"), "changes")
    assert "Since the last board (31 Dec 2024)." in text
    signals, rest = text.split("New special-cause signals")[1].split("RAG and assurance")
    # 12 complete months by December: no SPC then; 13 now
    assert "Average caseload per case-holding FTE : Variation: no SPC → Concerning" in signals
    assert "RHI offered : Variation: no SPC → Improving" in signals
    assert "Common cause" not in signals  # reaching 13 points is not news
    # RAG: RHI offered 75 % in Dec 2024 (red) to 90 % (green); caseloads 17.0 to 22.0
    assert "RHI offered : RAG: Red → Green" in rest
    assert "Average caseload per case-holding FTE : RAG: Green → Red" in rest
    assert "Actions closed (1)" in text and "#3 Confirm PEP data will be sent." in text
    assert "Actions gone overdue (1)" in text and "#1 Explain the RHIs not offered." in text
    assert "Actions asked (3)" in text
    assert "Commentary written (1)" in text


def test_without_a_meeting_it_compares_with_the_previous_month(app, board, monkeypatch):
    monkeypatch.setattr(service, "today", lambda: TODAY)
    text = part_text(route(app, "/board", "?la=850&part=changes"), "changes")
    assert "Since the previous month (Jan 2025; no board recorded)." in text


def test_a_writer_records_a_meeting_and_the_board_cannot(app, board, monkeypatch):
    monkeypatch.setattr(service, "today", lambda: TODAY)

    def record(name, role, day, la="850"):
        response = as_user(app, name, role).call(
            [(ids.BOARD_MEETING_MESSAGE, "children")],
            [(ids.BOARD_MEETING_SAVE, "n_clicks", 1)],
            state=[(ids.BOARD_MEETING_DATE, "value", day), (ids.BOARD_PAGE_LA, "data", la)],
        )
        return text_of(response.get_json()["response"][ids.BOARD_MEETING_MESSAGE]["children"])

    assert "only analysts and managers write" in record("bea", "board", "2025-02-18")
    # a forged LA in the page's state: the analyst of 850 writes nothing for 851
    assert "LA 851 is not in your scope" in record("ann", "analyst", "2025-02-18", la="851")
    assert BoardStore(board).meetings("850") == BoardStore(board).meetings("851") == []
    assert "Board meeting of 18 Feb 2025 recorded." in record("ann", "analyst", "2025-02-18")
    assert "in the future" in record("ann", "analyst", "2025-03-01")
    assert [m.meeting_date for m in BoardStore(board).meetings("850")] == ["2025-02-18"]
    page = route(app, "/board", "?la=850", "ann", "analyst")
    assert find_by_id(page, ids.BOARD_MEETING_SAVE) is not None
    assert find_by_id(route(app, "/board", "?la=850"), ids.BOARD_MEETING_SAVE) is None


def test_the_partners_page_holds_each_partner_to_account(app, filled):
    page = route(app, "/partners", "?la=850")
    text = text_of(page)
    assert "Partners — Hampshire" in text
    sections = {}

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            props = node.get("props", {})
            if "data-partner" in props:
                sections[props["data-partner"]] = text_of(node)
            for value in props.values():
                walk(value)

    walk(page)
    # partners outside the council first, then council services, then KPIs with none
    assert list(sections) == ["rhi_provider", "virtual_school", "cs_workforce", "none"]
    rhi = sections["rhi_provider"]
    assert "3 KPIs · 1 open action, 1 overdue" in rhi
    assert "RHI offered" in rhi and "RHI taken up" in rhi and "RHI held within 72 hours" in rhi
    assert "Explain the RHIs not offered." in rhi and "Overdue by 20 days" in rhi
    assert "1 KPI · 1 special cause concerning · 1 open action" in sections["cs_workforce"]
    assert "no open board actions" in sections["virtual_school"]  # its action is done
    assert "Children looked after" in sections["none"]


def test_the_scorecard_shows_each_kpis_commentary_and_actions(app, filled):
    from test_scorecard import rows_by_kpi

    rows = rows_by_kpi(route(app, "/", "?la=850"))
    assert (
        "Caseloads rose with two long-term absences in Winchester. Written for Feb 2025"
        in (rows["caseload_avg"])
    )
    assert "1 open action, 1 overdue" in rows["rhi_offered_pct"]
    assert rows["cla_count"].endswith("–")  # no notes: a dash (the sparkline has no text)
