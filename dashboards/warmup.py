"""Warm the caches for a newly published snapshot before anyone asks for it.

The first view of a page after a publish reads the snapshot and works out the page
(hundreds of milliseconds on Hampshire data); every later view is served from the
per-snapshot cache in ``data`` (tens). ``Warmer`` is a background thread in each server
process (``create_server``, so in every gunicorn worker) that looks at the snapshot and
``status.duckdb`` every few seconds and, when either is new, renders what people open
first, through the pages' own ``layout`` functions so that exactly their queries and
memoised work are cached.

It runs outside any request, with no user: it reads as a service principal that may read
**aggregates only** (``WARM_UP``), and again as the board sees them (``WARM_UP_BOARD``,
disclosure-controlled), so it renders only the aggregate pages and cannot read, cache or
hand out anything child-level (``data`` refuses it). Memoised results of one LA are kept
per view of that LA (seen, and whether disclosure-controlled), so what the warm-up works
out as the board and unsuppressed serves every board member and everybody else who sees
that LA, however many other LAs each sees; the district index's counts and each
district's KPI comparison are aggregates too and are warmed for managers. Child-level
pages (action lists, a child's timeline, data-quality rows) are worked out when asked
for, for the user who asks. In this order, first for the LAs an account is scoped to
(``first_las``: on a regional or national snapshot the budget covers only a few LAs),
then for the others:

- for every LA: the banner, then the aggregate pages of the navbar (scorecard, board
  summary, partners, missing, dictionary), as the board sees them and then
  unsuppressed; the district index's counts;
- then for each LA in turn: every district's KPI comparison at the district page's
  default month, the missing page for each district and every KPI page (both views).

It stops early when the cache is nearly full (``data``'s size limit; older entries are
evicted first, so warming more would push out what it warmed) or after ``BUDGET_SECONDS``
(a worker warming 20 LAs in full would hold a CPU for a minute), and never raises: a
publish or a deleted file in the middle of a warm-up is logged and the next change warms
again. Until a warm-up finishes, requests compute what they need themselves, as before.
Child timelines are not warmed (one per child, and the first view is already fast).

After each pass the heap is settled (``settle_heap``): what is cached is left out of the
cyclic garbage collector, whose full passes would otherwise walk it on some request.

``warm(app)`` runs one pass now and says what it did (``bench.dashboard`` times it).
"""

from __future__ import annotations

import atexit
import gc
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import dash

from dashboards import data
from dashboards.auth import web
from dashboards.auth.context import acting_as
from dashboards.auth.roles import Access, Grant, Principal, Role, service
from pipelines.settings import get_settings

log = logging.getLogger(__name__)

POLL_SECONDS = 3.0
#: Stop warming when the cache holds this share of its capacity.
CACHE_SHARE = 0.75
#: Stop warming after this long: each worker warms on its own, competing for the CPU with
#: the pipeline and with requests (Hampshire takes 3-4 s; 20 LAs would take a minute).
BUDGET_SECONDS = 20.0

#: Who the warm-up reads as: aggregates of every LA, and the same as the board sees them.
WARM_UP = service("warm-up", Access.AGGREGATES)
WARM_UP_BOARD = Principal(
    name="warm-up (board view)",
    grants=(Grant(Role.BOARD, frozenset({Access.AGGREGATES})),),
    kind="service",
)
VIEWS = (WARM_UP_BOARD, WARM_UP)
Step = tuple[Principal, str, Callable[[], Any]]


@dataclass
class Report:
    """What one warm-up pass did."""

    version: tuple | None = None
    pages: int = 0
    seconds: float = 0.0
    complete: bool = False
    stopped: str | None = None  # why it stopped before the end
    errors: list[str] = field(default_factory=list)


def _layout(path: str) -> Callable[..., Any] | None:
    for page in dash.page_registry.values():
        if page.get("path_template", page["path"]) == path or page["path"] == path:
            return page["layout"]
    return None


def _page(who: Principal, path: str, **kwargs: Any) -> Step:
    def render() -> Any:
        layout = _layout(path)
        return None if layout is None else layout(**kwargs)

    return who, path, render


def _renders(la: str) -> Iterator[Step]:
    """The aggregate pages of the navbar for ``la``, in both views, and the district index's
    counts."""
    from dashboards.views import districts as districts_view

    for who in VIEWS:
        yield _page(who, "/", la=la)
        yield _page(who, "/board", la=la)
        yield _page(who, "/partners", la=la)
        yield _page(who, "/missing", la=la)
        yield _page(who, "/dictionary")
    yield WARM_UP, "district index", lambda: districts_view.table_rows(la)


def _detail(la: str) -> Iterator[Step]:
    """The pages reached from those: each district's KPIs against the LA (what the district
    page shows by default, for its managers; a few per LA), then the missing page by
    district and each KPI (both views)."""
    from dashboards.views import action_lists
    from dashboards.views import district as district_view

    with acting_as(WARM_UP):
        names = data.districts(la)
        kpi_ids = [str(k) for k in data.catalogue()["kpi_id"]]
        state = district_view.resolve({"la": la})  # the page's default month
        _keys, _labels, ends = district_view.months(la)
    threshold = get_settings().small_numbers  # the district page's, so its cache key
    end = ends.get(state.period or "")
    yield WARM_UP, "district names", lambda: district_view.known_districts(la)
    yield WARM_UP, "not supplied", lambda: action_lists.not_supplied_kpis(la)
    for district in names:
        yield (
            WARM_UP,
            f"district {district}",
            lambda d=district: district_view.comparison(la, end, d, threshold),
        )
    for who in VIEWS:
        for district in names:
            yield _page(who, "/missing", la=la, district=district)
    for kpi_id in kpi_ids:
        for who in VIEWS:
            yield _page(who, "/kpi/<kpi_id>", kpi_id=kpi_id, la=la)


def first_las(app: dash.Dash, las: list[str]) -> tuple[list[str], list[str]]:
    """``las`` in two: those that an account (not disabled) is scoped to, whose people will
    sign in, to warm first (a regional or national hub serves many LAs, and a worker warms
    only a few of them within its budget); and the others."""
    keeper = app.server.extensions.get(web.EXTENSION)
    named: set[str] = set()
    if keeper is not None:
        for account in keeper.store.accounts():
            if not account.disabled and account.las:
                named.update(account.las)
    return [la for la in las if la in named], [la for la in las if la not in named]


def _stop_reason(deadline: float) -> str | None:
    if data.cache_size() >= CACHE_SHARE * data.CACHE_CAPACITY:
        return "cache nearly full"
    if time.perf_counter() >= deadline:
        return "time budget spent"
    return None


def warm(app: dash.Dash, budget_seconds: float = BUDGET_SECONDS) -> Report:
    """Render the most visited aggregate pages of every LA in the snapshot ``app`` reads,
    for at most about ``budget_seconds``."""
    from dashboards.components import shell

    report = Report()
    start = time.perf_counter()
    with app.server.app_context(), data.consistent():
        try:
            report.version = data.snapshot_version()
            with acting_as(WARM_UP):
                las = data.las()
        except Exception as exc:  # no snapshot yet, or it is being replaced
            report.errors.append(f"snapshot: {exc}")
            report.seconds = time.perf_counter() - start
            return report
        # the LAs people are scoped to first (their navbar pages, then the pages reached
        # from those), then every other LA's likewise
        first, rest = first_las(app, las)
        plan: list[Iterator[Step]] = [_renders(la) for la in first]
        plan += [_detail(la) for la in first]
        plan += [_renders(la) for la in rest]
        plan += [_detail(la) for la in rest]
        report.complete = True
        for la in las:
            _attempt(report, "banner", WARM_UP, lambda la=la: shell.freshness_banner(la))
        deadline = start + budget_seconds
        for who, name, call in itertools.chain(*plan):
            report.stopped = _stop_reason(deadline)
            if report.stopped:
                report.complete = False
                break
            _attempt(report, name, who, call)
    report.seconds = time.perf_counter() - start
    return report


_unfreeze_at_exit = False


def settle_heap() -> int:
    """Leave every object alive now out of Python's cyclic garbage collector from now on,
    and say how many that is; what an earlier call left out is collected first.

    At start-up Dash, Plotly and pandas leave about 120,000 objects, and a warm-up caches
    thousands more; every full collection would walk them all, 100-130 ms on Hampshire
    data (more with many LAs), landing on whichever request happened to trigger it
    (measured with ``gc.callbacks``). Frozen, a full collection takes about 25 ms. Frozen
    objects are still freed when nothing refers to them; the cycles among them (the
    replaced snapshot's cache) are collected at the next call, after the next warm-up.
    """
    global _unfreeze_at_exit
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    if not _unfreeze_at_exit:  # so that the last collection at exit sees them
        atexit.register(gc.unfreeze)
        _unfreeze_at_exit = True
    return gc.get_freeze_count()


def _attempt(report: Report, name: str, who: Principal, call: Callable[[], Any]) -> None:
    try:
        with acting_as(who):
            call()
        report.pages += 1
    except Exception as exc:  # warming must never break the server; the page will say why
        report.errors.append(f"{name}: {type(exc).__name__}: {exc}")


class Warmer(threading.Thread):
    """Warms ``app``'s caches whenever the snapshot or the status file changes."""

    def __init__(self, app: dash.Dash, poll_seconds: float = POLL_SECONDS):
        super().__init__(name="csc-dashboard-warmer", daemon=True)
        self.app = app
        self.poll_seconds = poll_seconds
        self.stopped = threading.Event()
        self.warmed = threading.Event()  # set after each pass (tests wait on it)
        self.last: Report | None = None
        self._seen: tuple | None = None

    def _versions(self) -> tuple:
        with self.app.server.app_context():
            path = data.serving_path()
        found = []
        for file in (path, path.with_name(data.STATUS_FILE)):
            try:
                st = file.stat()
                found.append((st.st_ino, st.st_size, st.st_mtime_ns))
            except FileNotFoundError:
                found.append(None)
        return tuple(found)

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                versions = self._versions()
                if versions != self._seen and versions[0] is not None:
                    self._seen = versions
                    self.last = warm(self.app)
                    settle_heap()  # what it cached is long-lived: keep it out of the GC
                    level = logging.WARNING if self.last.errors else logging.INFO
                    log.log(
                        level,
                        "warmed %d pages in %.1f s%s%s",
                        self.last.pages,
                        self.last.seconds,
                        f" (stopped: {self.last.stopped})" if self.last.stopped else "",
                        f"; errors: {self.last.errors[:3]}" if self.last.errors else "",
                    )
                    self.warmed.set()
            except Exception:  # never let the thread die: try again at the next poll
                log.exception("dashboard warm-up failed")
            self.stopped.wait(self.poll_seconds)

    def stop(self) -> None:
        self.stopped.set()


def start(app: dash.Dash, poll_seconds: float = POLL_SECONDS) -> Warmer:
    """Start warming ``app`` in the background (``create_server`` does, per process)."""
    warmer = Warmer(app, poll_seconds)
    warmer.start()
    return warmer
