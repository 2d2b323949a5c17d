"""The KPI page's commentary and board actions, through the app as a browser drives it,
and forged requests that skip the page (the server refuses them the same way).

Every user signs in through the real sign-in form (board_helpers.BOARD_ACCOUNTS); the
forged requests come from signed-in users of the wrong role or LA, and from nobody.
"""

from __future__ import annotations

import datetime as dt

import pytest
from board_helpers import as_user, principal_of
from dash_helpers import find_by_id, text_of

from dashboards import ids
from dashboards.auth import acting_as
from dashboards.auth.errors import NotAllowed
from dashboards.board import service
from dashboards.board.store import BoardStore

KPI = "rhi_offered_pct"
STATE = [
    ids.BOARD_KEY,
    ids.BOARD_COMMENT_SEEN,
    ids.BOARD_COMMENT_TEXT,
    ids.BOARD_ACTION_ASKED,
    ids.BOARD_ACTION_PARTNER,
    ids.BOARD_ACTION_OWNER,
    ids.BOARD_ACTION_DUE,
    ids.BOARD_UPDATE_ACTION,
    ids.BOARD_UPDATE_STATUS,
    ids.BOARD_UPDATE_NOTE,
    ids.BOARD_UPDATE_DUE,
]
BUTTONS = [ids.BOARD_COMMENT_SAVE, ids.BOARD_ACTION_SAVE, ids.BOARD_UPDATE_SAVE]


def press(callbacks, button, *, key=None, expect=200, **values):
    """Press one of the section's buttons with the form holding ``values`` (the section's
    new children; the response itself when ``expect``, the status expected, is not 200)."""
    fields = {
        ids.BOARD_KEY: key or {"la": "850", "kpi_id": KPI},
        ids.BOARD_COMMENT_SEEN: values.get("seen"),
        ids.BOARD_COMMENT_TEXT: values.get("comment"),
        ids.BOARD_ACTION_ASKED: values.get("asked"),
        ids.BOARD_ACTION_PARTNER: values.get("partner"),
        ids.BOARD_ACTION_OWNER: values.get("owner"),
        ids.BOARD_ACTION_DUE: values.get("due"),
        ids.BOARD_UPDATE_ACTION: values.get("action"),
        ids.BOARD_UPDATE_STATUS: values.get("status"),
        ids.BOARD_UPDATE_NOTE: values.get("note"),
        ids.BOARD_UPDATE_DUE: values.get("new_due"),
    }
    response = callbacks.call(
        [(ids.BOARD_SECTION, "children")],
        [(b, "n_clicks", 1 if b == button else 0) for b in BUTTONS],
        state=[
            (i, "data" if i in (ids.BOARD_KEY, ids.BOARD_COMMENT_SEEN) else "value", fields[i])
            for i in STATE
        ],
        changed=[(button, "n_clicks")],
    )
    assert response.status_code == expect, response.get_data(as_text=True)[:2000]
    if expect != 200:
        return response
    return response.get_json()["response"][ids.BOARD_SECTION]["children"]


def section_of(page):
    return find_by_id(page, ids.BOARD_SECTION)


def test_a_reader_sees_the_section_without_forms(app, board):
    page = as_user(app, "eve", "engineer").route(f"/kpi/{KPI}", "?la=850")
    section = section_of(page)
    text = text_of(section)
    assert "Commentary and the board's actions" in text
    assert "No commentary yet." in text and "No board actions." in text
    assert "Signed in as engineer: you read" in text
    assert find_by_id(section, ids.BOARD_COMMENT_TEXT) is None
    board_page = as_user(app, "bea", "board").route(f"/kpi/{KPI}", "?la=850")
    assert "Signed in as board: you read" in text_of(section_of(board_page))
    assert "analysts and managers of Hampshire write them" in text_of(section_of(board_page))
    assert find_by_id(section_of(board_page), ids.BOARD_ACTION_SAVE) is None


def test_an_analyst_writes_a_commentary_that_the_board_then_reads(app, board):
    analyst = as_user(app, "ann", "analyst")
    assert find_by_id(analyst.route(f"/kpi/{KPI}", "?la=850"), ids.BOARD_COMMENT_TEXT)
    section = press(analyst, ids.BOARD_COMMENT_SAVE, comment="Two RHI workers left in January.")
    text = text_of(section)
    assert "Commentary saved for Feb 2025." in text
    assert "Two RHI workers left in January." in text
    assert "Written for Feb 2025 by ann (analyst)" in text
    reader = text_of(section_of(as_user(app, "bea", "board").route(f"/kpi/{KPI}", "?la=850")))
    assert "Two RHI workers left in January." in reader
    audit = BoardStore(board).audit_rows()
    assert (audit[0]["user"], audit[0]["what"], audit[0]["result"]) == (
        "ann",
        "commentary",
        "stored commentary 1",
    )


def test_a_commentary_for_an_earlier_period_is_carried_forward_with_its_label(app, board):
    BoardStore(board).add_commentary(
        la="850",
        kpi_id=KPI,
        body="January's story.",
        author="ann",
        role="analyst",
        seen_id=None,
        period={
            "period_type": "month",
            "period_start": "2025-01-01",
            "period_end": "2025-01-31",
            "period_label": "Jan 2025",
        },
    )
    text = text_of(section_of(as_user(app, "bea", "board").route(f"/kpi/{KPI}", "?la=850")))
    assert "Carried forward written for Jan 2025; the latest figures are for Feb 2025" in text
    assert "January's story." in text


def test_a_second_commentary_replaces_the_first_which_stays_as_history(app, board):
    analyst = as_user(app, "ann", "analyst")
    press(analyst, ids.BOARD_COMMENT_SAVE, comment="First.")
    section = press(analyst, ids.BOARD_COMMENT_SAVE, comment="Second.", seen=1)
    text = text_of(section)
    assert "Second." in text and "Earlier commentary (1)" in text and "First." in text
    # a page opened before "Second." was saved cannot overwrite it
    stale = text_of(press(analyst, ids.BOARD_COMMENT_SAVE, comment="From an old tab.", seen=1))
    assert "saved a newer commentary" in stale and "yours was not saved" in stale
    assert [c.body for c in BoardStore(board).commentary_history("850", KPI)] == [
        "Second.",
        "First.",
    ]


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("", "The commentary is empty"),
        ("x" * 2001, "the most is 2,000"),
        ("<script>fetch('/x')</script>", "contains markup or script"),
    ],
)
def test_bad_commentary_gets_a_clear_message_keeps_the_draft_and_stores_nothing(
    app, board, comment, message
):
    section = press(as_user(app, "ann", "analyst"), ids.BOARD_COMMENT_SAVE, comment=comment)
    assert message in text_of(find_by_id(section, ids.BOARD_MESSAGE))
    assert find_by_id(section, ids.BOARD_COMMENT_TEXT)["props"]["value"] == comment
    assert BoardStore(board).counts().get("commentary", 0) == 0
    assert BoardStore(board).audit_rows()[0]["result"].startswith("refused: ")


FORGED_WRITES = [
    (ids.BOARD_COMMENT_SAVE, {"comment": "Forged."}),
    (ids.BOARD_ACTION_SAVE, {"asked": "Forged.", "owner": "x", "due": "2025-04-30"}),
    (ids.BOARD_UPDATE_SAVE, {"action": "1:1", "status": "done", "note": "Forged."}),
]


@pytest.mark.parametrize(("name", "role"), [("bea", "board"), ("eve", "engineer")])
def test_forged_writes_from_roles_that_only_read_are_refused_and_audited(app, board, name, role):
    forger = as_user(app, name, role)
    for button, values in FORGED_WRITES:
        message = text_of(find_by_id(press(forger, button, **values), ids.BOARD_MESSAGE))
        assert "only analysts and managers write" in message
    store = BoardStore(board)
    counts = store.counts()
    assert (counts["commentary"], counts["actions"], counts["action_versions"]) == (0, 0, 0)
    assert [r["result"] for r in store.audit_rows()] == ["denied"] * 3
    assert {(r["user"], r["role"]) for r in store.audit_rows()} == {(name, role)}


def test_writes_from_nobody_or_an_administrator_never_reach_the_store(app, board):
    """Nobody signed in: 401 before any callback runs; an administrator (no data): 403."""
    for name, status in [(None, 401), ("adam", 403)]:
        for button, values in FORGED_WRITES:
            press(as_user(app, name), button, expect=status, **values)
    assert BoardStore(board).counts() == {} or set(BoardStore(board).counts().values()) == {0}


def test_a_writer_of_another_la_is_refused_and_reads_nothing_of_this_one(app, board):
    """A manager of 851 forges the KPI page's state for 850: every write refused (audited),
    and the refusal's redrawn section is refused too (403): nothing of 850 comes back."""
    ann = as_user(app, "ann", "analyst")
    press(ann, ids.BOARD_COMMENT_SAVE, comment="Hampshire's own story.")
    forger = as_user(app, "mo-851", "manager")
    for button, values in FORGED_WRITES:
        response = press(forger, button, expect=403, **values)
        assert "Hampshire's own story." not in response.get_data(as_text=True)
    store = BoardStore(board)
    assert [c.body for c in store.commentary_history("850", KPI)] == ["Hampshire's own story."]
    assert store.counts()["actions"] == 0
    denied = [r for r in store.audit_rows() if r["result"] == "denied"]
    assert len(denied) == 3 and {r["user"] for r in denied} == {"mo-851"}
    from dashboards.auth.auditlog import EXTENSION

    logged = app.server.extensions[EXTENSION].search(user="mo-851", event="board_write", la="850")
    assert len(logged) == 3 and {r["result"] for r in logged} == {"denied"}
    # and for its own LA the same manager writes
    own = press(forger, ids.BOARD_COMMENT_SAVE, key={"la": "851", "kpi_id": KPI}, comment="Ours.")
    assert "Commentary saved" in text_of(own)


def test_another_las_board_cannot_read_this_las_commentary(app, board):
    press(as_user(app, "ann", "analyst"), ids.BOARD_COMMENT_SAVE, comment="Only for 850.")
    bob = as_user(app, "bob-851", "board")
    page = bob.client.get(f"/kpi/{KPI}?la=850")
    assert "Only for 850." not in page.get_data(as_text=True)
    routed = bob.call(
        [("_pages_content", "children"), ("_pages_store", "data")],
        [("_pages_location", "pathname", f"/kpi/{KPI}"), ("_pages_location", "search", "?la=850")],
    )
    assert "Only for 850." not in routed.get_data(as_text=True)
    with app.server.test_request_context(), acting_as(principal_of("bob-851")):
        with pytest.raises(NotAllowed):
            service.memory("850")
        with pytest.raises(NotAllowed):
            service.latest_commentary("850")
        assert service.memory("851").latest_commentary() == {}


def test_a_forged_la_or_kpi_is_refused(app, board):
    analyst = as_user(app, "ann", "analyst")
    # an LA outside the analyst's scope: refused before anything is read (403), audited
    press(
        analyst, ids.BOARD_COMMENT_SAVE, key={"la": "999", "kpi_id": KPI}, comment="x", expect=403
    )
    assert BoardStore(board).audit_rows()[0]["result"] == "denied"
    out = press(analyst, ids.BOARD_COMMENT_SAVE, key={"la": "850", "kpi_id": "nope"}, comment="x")
    assert "There is no KPI “nope”" in text_of(out)
    assert BoardStore(board).counts().get("commentary", 0) == 0


def test_a_board_action_is_recorded_flagged_when_overdue_and_updated(app, board, monkeypatch):
    monkeypatch.setattr(service, "today", lambda: dt.date(2025, 3, 20))
    manager = as_user(app, "max", "manager")
    page = manager.route(f"/kpi/{KPI}", "?la=850")
    # the form offers the KPI's accountable partner and owner
    assert find_by_id(page, ids.BOARD_ACTION_PARTNER)["props"]["value"] == "rhi_provider"
    assert find_by_id(page, ids.BOARD_ACTION_OWNER)["props"]["value"] == "RHI contract manager"
    section = press(
        manager,
        ids.BOARD_ACTION_SAVE,
        asked="Explain the fall in RHIs offered.",
        partner="rhi_provider",
        owner="RHI contract manager",
        due="2025-03-14",
    )
    text = text_of(section)
    assert "Board action 1 saved, due 14 Mar 2025." in text
    table = text_of(find_by_id(section, ids.BOARD_TABLE))
    assert (
        "Explain the fall in RHIs offered. RHI Provider Ltd RHI contract manager 14 Mar 2025"
        in table
    )
    assert "Overdue by 6 days (open)" in table
    section = press(
        manager,
        ids.BOARD_UPDATE_SAVE,
        action="1:1",
        status="done",
        note="Report taken at the March board.",
    )
    table = text_of(find_by_id(section, ids.BOARD_TABLE))
    assert "Done" in table and "Overdue" not in table
    assert "Report taken at the March board. (max," in table
    history = BoardStore(board).action_history(1)
    assert [(v.version, v.status) for v in history] == [(1, "open"), (2, "done")]


def test_an_action_for_an_unknown_partner_is_refused(app, board):
    out = press(
        as_user(app, "ann", "analyst"),
        ids.BOARD_ACTION_SAVE,
        asked="x",
        partner="nobody",
        owner="y",
        due="2025-04-30",
    )
    assert "There is no partner “nobody”" in text_of(out)
    assert BoardStore(board).counts().get("actions", 0) == 0
