"""The warm-up after a publish: once it has run, the aggregate pages people open first
read nothing from the snapshot, for the board and for everyone else; it reads as a
principal that may read aggregates only, so it cannot read or cache child-level data; the
background thread warms each new version; nothing it meets breaks it (a missing snapshot,
a page that fails, a full cache)."""

from __future__ import annotations

import gc
import os
import shutil
import weakref

import pytest
from auth_helpers import PASSWORD

from bench.dashboard import Driver
from dashboards import data, warmup
from dashboards.app import create_app
from dashboards.auth import NotAllowed, acting_as

#: What board members open first (and everyone else, with the district index).
BOARD_VIEWS = [
    ("/", "?la=850"),
    ("/board", "?la=850"),
    ("/partners", "?la=851"),
    ("/missing", "?la=850"),
    ("/missing", "?la=850&district=Winchester"),
    ("/kpi/rhi_offered_pct", "?la=850"),
    ("/kpi/caseload_avg", "?la=851"),
    ("/dictionary", ""),
]
FIRST_VIEWS = [*BOARD_VIEWS, ("/district", "?la=850")]
#: 2 LAs: a banner each; per LA the scorecard, board summary, partners, missing and
#: dictionary pages in two views and the district index; per LA its district names and
#: KPIs not supplied, each district's KPI comparison, the missing page per district (850
#: has four, 851 two) and the ten KPI pages in two views.
PAGES_WARMED = 2 + 2 * 11 + 2 * 2 + (4 + 2) + 2 * (4 + 2) + 2 * 2 * 10


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """Every query that reaches a snapshot or status file (not served from the cache)."""
    seen: list[str] = []
    fetch = data._Version.fetch

    def counting(self, sql, params):
        seen.append(sql)
        return fetch(self, sql, params)

    monkeypatch.setattr(data._Version, "fetch", counting)
    return seen


def _first_views(app, username: str = "analyst", views=FIRST_VIEWS) -> None:
    driver = Driver(app, username, PASSWORD)
    with app.server.app_context():
        for path, search in views:
            driver.route(path, search)
        driver.banner("850")
        if username != "board":
            driver.banner("851")


def test_without_a_warm_up_first_views_read_the_snapshot(app, reads):
    data.clear_cache()
    _first_views(app)
    assert len(reads) > 10


def test_after_a_warm_up_first_views_read_nothing(app, reads):
    data.clear_cache()
    report = warmup.warm(app)
    assert report.errors == [] and report.complete and report.stopped is None
    with app.server.app_context():
        assert report.version == data.snapshot_version()
    assert report.pages == PAGES_WARMED
    reads.clear()
    _first_views(app)
    assert reads == []
    _first_views(app, "board", [v for v in BOARD_VIEWS if "851" not in v[1]])
    assert reads == []  # the board's disclosure-controlled view is warm too


def test_the_warm_up_reads_aggregates_only_and_writes_no_audit_row(app, reads):
    audit_log = app.server.extensions["csc_audit"]
    before = audit_log.count()
    data.clear_cache()
    reads.clear()
    warmup.warm(app)
    assert audit_log.count() == before  # it read nothing child-level, was refused nothing
    personal = ("mart_child_timeline", "dim_children", "caseloads_by_worker", "kpi_members",
                "dq_issues")  # fmt: skip
    assert reads and not [sql for sql in reads if any(table in sql for table in personal)]
    with app.server.app_context(), acting_as(warmup.WARM_UP):
        for read in (
            lambda: data.action_list("rhi", "850"),
            lambda: data.child_events("850", "C001"),
            lambda: data.caseloads("850", "2025-02-14", "Winchester"),
            lambda: data.dq_issues("850"),
            lambda: data.kpi_members("850"),
        ):
            with pytest.raises(NotAllowed):
                read()
    # child-level pages are worked out for the user who asks (and read then)
    reads.clear()
    _first_views(app, views=[("/actions/rhi", "?la=850"), ("/district/Winchester", "?la=850")])
    assert reads


def test_after_a_warm_up_a_managers_district_page_reads_only_its_child_level_lists(app, reads):
    """The district page's KPI comparison is warmed at the month the page shows by default
    (its cache key), so its first view reads only what is worked out per user."""
    data.clear_cache()
    warmup.warm(app)
    reads.clear()
    _first_views(app, "manager", [("/district/Winchester", "?la=850")])
    assert reads  # the action lists, caseloads and placements, for this manager
    assert not [sql for sql in reads if "kpi_values" in sql or "dim_districts" in sql]


def test_the_las_an_account_is_scoped_to_are_warmed_first(app, monkeypatch):
    """On a snapshot of many LAs the budget covers a few: those whose people sign in
    come first, all their pages, then the others' navbar pages, then their detail."""
    done: list[str] = []

    def step(kind):
        return lambda la: iter([(warmup.WARM_UP, kind, lambda: done.append(f"{kind} {la}"))])

    monkeypatch.setattr(warmup, "_renders", step("navbar"))
    monkeypatch.setattr(warmup, "_detail", step("detail"))
    assert warmup.first_las(app, ["850", "851"]) == (["850", "851"], [])  # test accounts
    warmup.warm(app)
    assert done == ["navbar 850", "navbar 851", "detail 850", "detail 851"]  # as ever
    monkeypatch.setattr(warmup, "first_las", lambda _app, las: (["851"], ["850"]))
    done.clear()
    warmup.warm(app)
    assert done == ["navbar 851", "detail 851", "navbar 850", "detail 850"]


def test_first_las_are_those_of_enabled_accounts_scoped_to_las(app):
    from types import SimpleNamespace

    from dashboards.auth import web

    accounts = [
        SimpleNamespace(las=("851",), disabled=False),
        SimpleNamespace(las=None, disabled=False),  # every LA: no preference
        SimpleNamespace(las=("852",), disabled=True),
    ]
    keeper = SimpleNamespace(store=SimpleNamespace(accounts=lambda: accounts))
    fake = SimpleNamespace(server=SimpleNamespace(extensions={web.EXTENSION: keeper}))
    assert warmup.first_las(fake, ["850", "851", "852"]) == (["851"], ["850", "852"])


def test_the_thread_warms_each_newly_published_version(snapshot, tmp_path, reads):
    serving = tmp_path / "serving.duckdb"
    shutil.copy(snapshot, serving)
    shutil.copy(snapshot.with_name("status.duckdb"), tmp_path / "status.duckdb")
    app = create_app(serving_path=serving)
    data.clear_cache()
    warmer = warmup.start(app, poll_seconds=0.05)
    try:
        assert warmer.warmed.wait(60)
        first = warmer.last.version
        warmer.warmed.clear()
        staged = tmp_path / "staged.duckdb"  # a publish: a new file swapped in
        shutil.copy(snapshot, staged)
        os.replace(staged, serving)
        assert warmer.warmed.wait(60)
        with app.server.app_context():
            current = data.snapshot_version()
        assert warmer.last.version == current != first
        assert warmer.last.errors == []
        reads.clear()
        _first_views(app)
        assert reads == []
    finally:
        warmer.stop()
        warmer.join(5)
        gc.unfreeze()  # the warmer settled this process's heap
    assert not warmer.is_alive()


def test_a_missing_snapshot_is_reported_not_raised(tmp_path):
    app = create_app(serving_path=tmp_path / "serving.duckdb")
    report = warmup.warm(app)
    assert not report.complete and report.pages == 0
    assert report.errors and "No published data yet" in report.errors[0]
    warmer = warmup.Warmer(app)
    assert warmer._versions() == (None, None)  # nothing to warm until a publish


def test_a_failing_page_is_recorded_and_the_rest_still_warmed(app, monkeypatch):
    def broken(**_kwargs):
        raise ValueError("boom")

    real = warmup._layout
    monkeypatch.setattr(
        warmup, "_layout", lambda path: broken if path == "/missing" else real(path)
    )
    data.clear_cache()
    report = warmup.warm(app)
    # the page of each LA and each district filter, in both views
    assert len(report.errors) == 2 * (2 + 4 + 2)
    assert all(e == "/missing: ValueError: boom" for e in report.errors)
    assert report.pages == PAGES_WARMED - len(report.errors)


def test_it_stops_before_the_cache_would_evict_what_it_warmed(app, monkeypatch):
    monkeypatch.setattr(data, "CACHE_CAPACITY", 20)
    data.clear_cache()
    report = warmup.warm(app)
    assert not report.complete and report.stopped == "cache nearly full"
    assert data.cache_size() <= 20
    assert 0 < report.pages < PAGES_WARMED


def test_it_stops_when_its_time_budget_is_spent_after_the_banners(app):
    data.clear_cache()
    report = warmup.warm(app, budget_seconds=0)
    assert not report.complete and report.stopped == "time budget spent"
    assert report.pages == 2  # the banner of each LA; no page


def test_settling_the_heap_collects_the_cycles_an_earlier_settle_left_out():
    class Node:
        pass

    try:
        node = Node()
        node.me = node  # a cycle: only the cyclic collector frees it
        alive = weakref.ref(node)
        assert warmup.settle_heap() > 0
        del node
        gc.collect()
        assert alive() is not None  # frozen: the collector leaves it alone
        warmup.settle_heap()
        assert alive() is None
    finally:
        gc.unfreeze()


def test_create_server_starts_one_warmer_per_process_unless_told_not_to(monkeypatch, snapshot):
    from dashboards.app import create_server

    monkeypatch.setenv("CSC_SERVING_DIR", str(snapshot.parent))
    try:
        server = create_server()
        assert gc.get_freeze_count() > 10_000  # start-up objects left out of the GC
        warmer = server.extensions["csc_warmer"]
        try:
            assert isinstance(warmer, warmup.Warmer) and warmer.is_alive() and warmer.daemon
            assert warmer.warmed.wait(60) and warmer.last.errors == []
        finally:
            warmer.stop()
        assert "csc_warmer" not in create_server(warm=False).extensions
    finally:
        gc.unfreeze()
