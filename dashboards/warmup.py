"""Warm the caches for a newly published snapshot before anyone asks for it.

The first view of a page after a publish reads the snapshot and works out the page
(hundreds of milliseconds on Hampshire data); every later view is served from the
per-snapshot cache in ``data`` (tens). ``Warmer`` is a background thread in each server
process (``create_server``, so in every gunicorn worker) that looks at the snapshot and
``status.duckdb`` every few seconds and, when either is new, renders what people open
first, through the pages' own ``layout`` functions so that exactly their queries and
memoised work are cached:

- for every LA (board pages first): the scorecard, the missing page and its district
  filter, the district index, the action list, the data-quality page and the banner;
- then for each LA: every KPI page and every district page.

It stops early when the cache is nearly full (``data``'s size limit; older entries are
evicted first, so warming more would push out what it warmed) and never raises: a
publish or a deleted file in the middle of a warm-up is logged and the next change warms
again. Until a warm-up finishes, requests compute what they need themselves, as before.
Child timelines are not warmed (one per child, and the first view is already fast).

``warm(app)`` runs one pass now and says what it did (``bench.dashboard`` times it).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import dash

from dashboards import data

log = logging.getLogger(__name__)

POLL_SECONDS = 3.0
#: Stop warming when the cache holds this share of its capacity.
CACHE_SHARE = 0.75


@dataclass
class Report:
    """What one warm-up pass did."""

    version: tuple | None = None
    pages: int = 0
    seconds: float = 0.0
    complete: bool = False
    errors: list[str] = field(default_factory=list)


def _layout(path: str) -> Callable[..., Any] | None:
    for page in dash.page_registry.values():
        if page.get("path_template", page["path"]) == path or page["path"] == path:
            return page["layout"]
    return None


def _renders(la: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(page path, layout keyword arguments) to warm for ``la``, most visited first."""
    yield "/", {"la": la}
    yield "/missing", {"la": la}
    yield "/district", {"la": la}
    yield "/actions/rhi", {"la": la}
    yield "/data-quality", {"la": la}
    yield "/dictionary", {}
    for district in data.districts(la):
        yield "/missing", {"la": la, "district": district}


def _detail(la: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for kpi_id in data.catalogue()["kpi_id"]:
        yield "/kpi/<kpi_id>", {"kpi_id": str(kpi_id), "la": la}
    for district in data.districts(la):
        yield "/district/<district>", {"district": district, "la": la}


def _cache_full() -> bool:
    return data.cache_size() >= CACHE_SHARE * data.CACHE_CAPACITY


def warm(app: dash.Dash) -> Report:
    """Render the most visited pages of every LA in the snapshot ``app`` reads."""
    from dashboards.components import shell

    report = Report()
    start = time.perf_counter()
    with app.server.app_context(), data.consistent():
        try:
            report.version = data.snapshot_version()
            las = data.las()
        except Exception as exc:  # no snapshot yet, or it is being replaced
            report.errors.append(f"snapshot: {exc}")
            report.seconds = time.perf_counter() - start
            return report
        plan: list[Iterator[tuple[str, dict[str, Any]]]] = [_renders(la) for la in las]
        plan += [_detail(la) for la in las]
        report.complete = True
        for la in las:
            _attempt(report, "banner", lambda la=la: shell.freshness_banner(la))
        for renders in plan:
            for path, kwargs in renders:
                if _cache_full():
                    report.complete = False
                    break
                layout = _layout(path)
                if layout is not None:
                    _attempt(report, path, lambda layout=layout, kw=kwargs: layout(**kw))
    report.seconds = time.perf_counter() - start
    return report


def _attempt(report: Report, name: str, call: Callable[[], Any]) -> None:
    try:
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
                    level = logging.WARNING if self.last.errors else logging.INFO
                    log.log(
                        level,
                        "warmed %d pages in %.1f s%s%s",
                        self.last.pages,
                        self.last.seconds,
                        "" if self.last.complete else " (stopped: cache nearly full)",
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
