"""The board's working memory (dashboards/board/store.py): migrations, history, stale
edits, bad input, and several processes writing at once."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3

import pytest

from dashboards.board import store as board
from dashboards.board.store import BadInput, BoardStore, StaleEdit, StoreTooNew

TODAY = dt.date(2025, 3, 1)
JAN = {
    "period_type": "month",
    "period_start": "2025-01-01",
    "period_end": "2025-01-31",
    "period_label": "Jan 2025",
}
FEB = {
    "period_type": "month",
    "period_start": "2025-02-01",
    "period_end": "2025-02-28",
    "period_label": "Feb 2025",
}


@pytest.fixture
def store(tmp_path) -> BoardStore:
    return BoardStore(tmp_path / "board" / "board.sqlite3")


def comment(store, body, period=JAN, seen_id=None, author="ann", kpi="rhi_offered_pct"):
    return store.add_commentary(
        la="850",
        kpi_id=kpi,
        period=period,
        body=body,
        author=author,
        role="analyst",
        seen_id=seen_id,
    )


def action(store, asked="Report on RHI waiting times", due="2025-04-30", **extra):
    kwargs = {
        "la": "850",
        "kpi_id": "rhi_offered_pct",
        "partner_id": "rhi_provider",
        "asked": asked,
        "owner": "RHI contract manager",
        "due_date": due,
        "author": "ann",
        "role": "analyst",
        "today": TODAY,
    }
    return store.add_action(**{**kwargs, **extra})


# ##### The file and its migrations


def test_reading_before_the_first_write_creates_nothing(store):
    assert store.current_commentary("850", "rhi_offered_pct") is None
    assert store.actions("850") == [] and store.meetings("850") == []
    assert not store.path.exists() and not store.path.parent.exists()


def test_the_first_write_creates_the_file_in_wal_mode_with_every_migration(store):
    comment(store, "First words.")
    assert store.schema_version() == board.SCHEMA_VERSION == 2
    assert [v for v, _ in store.applied_migrations()] == [1, 2]
    with sqlite3.connect(store.path) as con:
        assert con.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_an_older_file_is_migrated_and_keeps_what_it_holds(store):
    store.migrate(upto=1)  # a file made by the first version: no meetings table
    assert store.schema_version() == 1
    with sqlite3.connect(store.path) as con:
        tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
        assert "meetings" not in tables
        con.execute(
            "insert into commentary (la_code, kpi_id, period_type, period_start, period_end, "
            "period_label, body, author, author_role, written_at) values ('850', "
            "'rhi_offered_pct', 'month', '2025-01-01', '2025-01-31', 'Jan 2025', "
            "'Written by version 1.', 'ann', 'analyst', '2025-02-01T09:00:00+00:00')"
        )
    # the next read brings it up to date, and the commentary is still there
    assert store.current_commentary("850", "rhi_offered_pct").body == "Written by version 1."
    assert store.schema_version() == 2
    store.add_meeting(la="850", meeting_date="2025-02-20", author="ann", today=TODAY)
    assert [m.meeting_date for m in store.meetings("850")] == ["2025-02-20"]


def test_a_file_from_a_newer_dashboard_is_refused_not_guessed_at(store):
    store.migrate()
    with sqlite3.connect(store.path) as con:
        con.execute("pragma user_version = 99")
    with pytest.raises(StoreTooNew, match="schema version 99"):
        store.actions("850")
    with pytest.raises(StoreTooNew):
        comment(store, "Anything.")


# ##### Commentary: carried forward, history kept, never overwritten silently


def test_commentary_is_carried_forward_until_replaced_and_history_is_kept(store):
    first = comment(store, "January: two staff off sick.")
    # February's figures are out: January's commentary still shows, labelled
    shown = store.current_commentary("850", "rhi_offered_pct", upto=FEB["period_start"])
    assert (shown.id, shown.period_label) == (first.id, "Jan 2025")
    second = comment(store, "February: back to full strength.", period=FEB, seen_id=first.id)
    assert second.replaces == first.id
    assert store.current_commentary("850", "rhi_offered_pct").body.startswith("February")
    # looking at January still shows what was written for January
    assert store.current_commentary("850", "rhi_offered_pct", upto="2025-01-01").id == first.id
    history = store.commentary_history("850", "rhi_offered_pct")
    assert [c.body for c in history] == [
        "February: back to full strength.",
        "January: two staff off sick.",
    ]
    assert store.latest_commentary("850")["rhi_offered_pct"].id == second.id


def test_an_edit_made_on_a_stale_page_is_refused_with_who_and_when(store):
    first = comment(store, "Ann's words.", author="ann")
    comment(store, "Bob's words.", seen_id=first.id, author="bob")
    with pytest.raises(StaleEdit, match=r"bob saved a newer commentary at .* yours was not saved"):
        comment(store, "Ann again, from the old page.", seen_id=first.id, author="ann")
    assert [c.body for c in store.commentary_history("850", "rhi_offered_pct")] == [
        "Bob's words.",
        "Ann's words.",
    ]
    with pytest.raises(StaleEdit):  # thinking there was none, when there is one
        comment(store, "Carol's first words.", seen_id=None, author="carol")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "The commentary is empty"),
        ("   \n\t ", "The commentary is empty"),
        ("x" * 2001, "The commentary is 2,001 characters long; the most is 2,000"),
        ("Fine <script>alert(1)</script>", "contains markup or script"),
        ("<b>bold</b> claims", "contains markup or script"),
        ("see <img src=x onerror=alert(1)>", "contains markup or script"),
        ("click javascript:alert(1)", "contains markup or script"),
        ("a\x00b", "control characters"),
    ],
)
def test_bad_commentary_is_refused_with_a_message_and_nothing_is_stored(store, body, message):
    comment(store, "Before.")
    before = store.counts()
    with pytest.raises(BadInput, match=message):
        comment(store, body, seen_id=store.current_commentary("850", "rhi_offered_pct").id)
    assert store.counts() == before


def test_plain_text_with_symbols_is_fine():
    text = "Up 5% on last month (3 < 4 cases, A&E wait > 2h); see the RHI report."
    assert board.clean_text(text, "x", 500) == text


# ##### Actions: versions, overdue, stale updates


def test_an_action_keeps_every_version_and_closing_it_stops_it_being_overdue(store):
    made = action(store, due="2025-02-15")
    assert (made.version, made.status, made.is_overdue(TODAY)) == (1, "open", True)
    updated = store.update_action(
        action_id=made.id,
        seen_version=1,
        status="in_progress",
        note="Provider has a recovery plan.",
        author="bob",
        role="manager",
        today=TODAY,
    )
    assert (updated.version, updated.status, updated.note) == (
        2,
        "in_progress",
        "Provider has a recovery plan.",
    )
    assert updated.is_overdue(TODAY)
    done = store.update_action(
        action_id=made.id,
        seen_version=2,
        status="done",
        note="Report received at the March board.",
        author="bob",
        role="manager",
        today=TODAY,
    )
    assert not done.is_overdue(TODAY) and not done.is_open
    history = store.action_history(made.id)
    assert [(v.version, v.status, v.written_by) for v in history] == [
        (1, "open", "ann"),
        (2, "in_progress", "bob"),
        (3, "done", "bob"),
    ]
    assert all(v.asked == "Report on RHI waiting times" for v in history)


def test_a_new_due_date_is_a_new_version_and_lifts_the_overdue_flag(store):
    made = action(store, due="2025-02-15")
    moved = store.update_action(
        action_id=made.id,
        seen_version=1,
        status="open",
        note="Board agreed more time.",
        due_date="2025-05-31",
        author="bob",
        role="manager",
        today=TODAY,
    )
    assert (moved.due_date, moved.is_overdue(TODAY)) == ("2025-05-31", False)
    assert store.action_history(made.id)[0].due_date == "2025-02-15"


def test_an_update_from_a_stale_page_is_refused(store):
    made = action(store)
    store.update_action(
        action_id=made.id,
        seen_version=1,
        status="in_progress",
        note="First.",
        author="bob",
        role="manager",
        today=TODAY,
    )
    with pytest.raises(StaleEdit, match="bob updated this action"):
        store.update_action(
            action_id=made.id,
            seen_version=1,
            status="done",
            note="Late.",
            author="ann",
            role="analyst",
            today=TODAY,
        )
    assert store.action(made.id).status == "in_progress"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("asked", "", "What the board asked is empty"),
        ("asked", "y" * 601, "is 601 characters long; the most is 600"),
        ("asked", "<script>x</script>", "markup or script"),
        ("owner", "  ", "The owner is empty"),
        ("due_date", "", "The due date is empty"),
        ("due_date", "31/03/2025", "is not a date"),
        ("due_date", "2025-02-30", "is not a date"),
        ("due_date", "1999-12-31", "out of range"),
        ("due_date", "2031-01-01", "out of range"),
    ],
)
def test_bad_actions_are_refused_and_nothing_is_stored(store, field, value, message):
    action(store)
    before = store.counts()
    with pytest.raises(BadInput, match=message):
        action(store, **{field: value})
    assert store.counts() == before


def test_an_unknown_status_is_refused(store):
    made = action(store)
    with pytest.raises(BadInput, match="is not one of: Open, In progress, Done, Dropped"):
        store.update_action(
            action_id=made.id,
            seen_version=1,
            status="finished",
            note="x",
            author="bob",
            role="manager",
            today=TODAY,
        )
    assert len(store.action_history(made.id)) == 1


def test_meetings_cannot_be_in_the_future_or_recorded_twice(store):
    store.add_meeting(la="850", meeting_date="2025-02-20", author="ann", today=TODAY)
    with pytest.raises(BadInput, match="already recorded"):
        store.add_meeting(la="850", meeting_date="2025-02-20", author="bob", today=TODAY)
    with pytest.raises(BadInput, match="in the future"):
        store.add_meeting(la="850", meeting_date="2025-03-02", author="bob", today=TODAY)
    assert len(store.meetings("850")) == 1


# ##### Several processes writing at once (gunicorn workers)


def _writer(path: str, name: str, count: int) -> None:
    target = BoardStore(path)
    seen = None
    for i in range(count):
        while True:  # another process may write between our read and our write: retry
            current = target.current_commentary("850", "cla_count")
            seen = None if current is None else current.id
            try:
                target.add_commentary(
                    la="850",
                    kpi_id="cla_count",
                    period=JAN,
                    body=f"{name} {i}",
                    author=name,
                    role="analyst",
                    seen_id=seen,
                )
                break
            except StaleEdit:
                continue
        target.add_action(
            la="850",
            kpi_id="cla_count",
            partner_id=None,
            asked=f"{name} {i}",
            owner="o",
            due_date="2025-04-30",
            author=name,
            role="analyst",
            today=TODAY,
        )
        target.audit(
            user=name, role="analyst", what="test", target=str(i), result="ok", client=None
        )


def test_two_processes_writing_at_once_lose_nothing(store):
    context = multiprocessing.get_context("spawn")
    count = 40
    workers = [
        context.Process(target=_writer, args=(str(store.path), name, count))
        for name in ("worker-a", "worker-b")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    counts = store.counts()
    assert counts["commentary"] == counts["actions"] == counts["write_audit"] == 2 * count
    history = store.commentary_history("850", "cla_count")
    # each commentary replaces the one before it: one unbroken chain, none lost
    replaced = [c.replaces for c in history if c.replaces is not None]
    assert len(set(replaced)) == len(replaced) == 2 * count - 1
