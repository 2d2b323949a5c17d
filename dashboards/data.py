"""The only module that reads data: the published serving snapshot, read-only.

The pipeline replaces the snapshot file atomically (``os.replace``) while the dashboard
runs. Each version of the file (its path, inode, size and modification time) is attached
read-only once per process and kept open while it is current: a publish never disturbs
an open reader (it goes on reading the old inode), the next read sees the new version and
the old one is closed once no query uses it. DuckDB lets a reader block a writer
(stack-notes §7), which is why nothing ever writes the published file in place. Results
are cached per version, so repeated page loads cost no queries, and within a Flask
request (``init_app``) every read uses the version the request first read, so a page
never mixes two snapshots.

Which file: the path given to ``create_app(serving_path=...)`` (kept in the Flask
config under ``SERVING_PATH_KEY``), else ``get_settings().serving_path``
(``$CSC_SERVING_DIR/serving.duckdb``). Tests may also wrap calls in ``use_snapshot``.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import flask
import pandas as pd

from pipelines.lib.status import STATUS_FILE
from pipelines.settings import get_settings

SERVING_PATH_KEY = "CSC_SERVING_PATH"
T = TypeVar("T")
LA_TOTAL = "ALL"
#: Districts that are not places; listed after the named districts.
TRAILING_DISTRICTS = ("County", "Unallocated")

KPI_VALUE_COLUMNS = [
    "period_type",
    "period_start",
    "period_end",
    "is_partial",
    "kpi_id",
    "district",
    "breakdown",
    "numerator",
    "denominator",
    "value",
    "status",
]
CATALOGUE_COLUMNS = [
    "kpi_id",
    "name",
    "area",
    "description",
    "numerator",
    "denominator",
    "polarity",
    "unit",
    "frequency",
    "source",
    "breakdowns",
    "decimals",
    "sort_order",
]

_RETRIES = 5
#: Results (frames and memoised values) kept in memory, least recently used evicted first.
CACHE_CAPACITY = 4096
_SQL_DIR = Path(__file__).parent / "sql"

_override: ContextVar[Path | None] = ContextVar("serving_path_override", default=None)
_cache: OrderedDict[tuple, Any] = OrderedDict()
_cache_lock = threading.Lock()


class NoSnapshot(RuntimeError):
    """The serving snapshot has not been published yet."""

    def __init__(self, path: Path):
        super().__init__(f"No published data yet at {path} — run `make demo`")
        self.path = path


# ##### Where the snapshot is


@contextlib.contextmanager
def use_snapshot(path: Path | str) -> Iterator[None]:
    """Read ``path`` inside the block (tests and scripts; the app uses its Flask config)."""
    token = _override.set(Path(path))
    try:
        yield
    finally:
        _override.reset(token)


def serving_path() -> Path:
    override = _override.get()
    if override is not None:
        return override
    if flask.has_app_context():
        configured = flask.current_app.config.get(SERVING_PATH_KEY)
        if configured:
            return Path(configured)
    return get_settings().serving_path


def snapshot_exists() -> bool:
    return serving_path().is_file()


# ##### Reading
#
# Each version of a published file (path, inode, size, mtime) is attached read-only to its
# own in-memory DuckDB once per process and kept open while it is the current version:
# opening costs tens of milliseconds, a query on an open one a few. A publish replaces the
# file with ``os.replace``, which never disturbs an open reader (it keeps reading the old
# inode); the next read sees the new version, opens it, and closes the old one as soon as
# no query is using it. Within a Flask request every read of a file uses the version the
# request first read (``init_app``), so one page never mixes two snapshots.


@functools.cache
def _sql(name: str) -> str:
    return (_SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _version(path: Path) -> tuple:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise NoSnapshot(path) from None
    return (str(path), st.st_ino, st.st_size, st.st_mtime_ns)


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


class _Version:
    """One version of a published file, attached read-only to an in-memory database.

    The file is attached rather than opened with ``duckdb.connect(path)``: DuckDB shares
    one database instance per path within a process, so a second ``connect`` to a replaced
    file could read the old contents while another version is still open.
    """

    def __init__(self, path: Path, version: tuple, con: duckdb.DuckDBPyConnection):
        self.path = path
        self.version = version
        self._con = con
        self._lock = threading.Lock()
        self.users = 0  # queries (or requests) using it now; guarded by _open_lock
        self.retired = False  # a newer version is current: close when unused

    def fetch(self, sql: str, params: dict[str, Any] | None) -> pd.DataFrame:
        with self._lock:  # a cursor is a connection of its own: queries run side by side
            cursor = self._con.cursor()
        try:
            cursor.execute("use snapshot")
            return cursor.execute(sql, params or {}).df()
        finally:
            cursor.close()

    def close(self) -> None:
        with self._lock:
            self._con.close()


_open: OrderedDict[str, _Version] = OrderedDict()  # path -> its current version
_open_lock = threading.Lock()
_MAX_OPEN = 8  # files kept open (tests point the app at many); least recently used closed
_PINS = "csc_data_versions"


def _attach(path: Path) -> tuple[tuple, duckdb.DuckDBPyConnection]:
    """Open the file now at ``path`` read-only: (its version, the connection)."""
    attach = "attach '{}' as snapshot (read_only)".format(str(path).replace("'", "''"))
    for attempt in range(_RETRIES):
        version = _version(path)
        try:
            con = duckdb.connect(":memory:")
            try:
                con.execute(attach)
                con.execute("use snapshot")
            except BaseException:
                con.close()
                raise
        except duckdb.IOException:
            if not path.is_file():
                raise NoSnapshot(path) from None
            if attempt == _RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
            continue
        if _version(path) == version:
            return version, con
        con.close()  # replaced while attaching: which one did we get? Open it again.
    raise duckdb.IOException(f"{path} kept changing while it was opened")


def _retire(held: _Version) -> None:
    """Close ``held`` now if nothing uses it, else when the last user lets go."""
    held.retired = True
    if held.users == 0:
        held.close()


_pinned: ContextVar[dict[str, _Version] | None] = ContextVar("pinned_versions", default=None)


def _pins() -> dict[str, _Version] | None:
    """The versions this Flask request (of an app that called ``init_app``), or this
    ``consistent`` block, has read; None when each read takes the newest version."""
    if flask.has_request_context() and _PINS in flask.current_app.extensions:
        return flask.g.setdefault(_PINS, {})
    return _pinned.get()


@contextlib.contextmanager
def consistent() -> Iterator[None]:
    """Inside the block every read of a file uses the version first read (as a request
    does), however many reads there are and whatever is published meanwhile."""
    if _pins() is not None:
        yield
        return
    pins: dict[str, _Version] = {}
    token = _pinned.set(pins)
    try:
        yield
    finally:
        _pinned.reset(token)
        for held in pins.values():
            _release(held)


def _acquire(path: Path) -> tuple[_Version, bool]:
    """The version of ``path`` to read, and whether the caller must ``_release`` it."""
    key = str(path)
    pins = _pins()
    if pins is not None and key in pins:
        return pins[key], False
    version = _version(path)
    with _open_lock:
        held = _open.get(key)
        if held is None or held.version != version:
            version, con = _attach(path)
            if held is not None:
                _retire(held)
                _forget(held.version)
            held = _open[key] = _Version(path, version, con)
            while len(_open) > _MAX_OPEN:
                _retire(_open.popitem(last=False)[1])
        _open.move_to_end(key)
        held.users += 1
    if pins is not None:
        pins[key] = held  # released when the request ends
        return held, False
    return held, True


def _forget(version: tuple) -> None:
    """Drop what was cached from a version that a newer one has replaced (a request still
    reading it works out what it needs again), leaving the room to the new version."""
    with _cache_lock:
        stale = [k for k in _cache if k[0] == version or (k[0] == "memo" and k[1] == version)]
        for key in stale:
            del _cache[key]


def _release(held: _Version) -> None:
    with _open_lock:
        held.users -= 1
        if held.retired and held.users == 0:
            held.close()


def _release_pins(_exc: BaseException | None = None) -> None:
    for held in flask.g.pop(_PINS, {}).values():
        _release(held)


def init_app(server: flask.Flask) -> None:
    """Make each request of ``server`` read one version of each file throughout."""
    server.extensions[_PINS] = True
    server.teardown_request(_release_pins)


def query(sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run parameterised ``sql`` on the snapshot; a copy of a cached frame per version."""
    return _query_file(serving_path(), sql, params)


def _query_file(path: Path, sql: str, params: dict[str, Any] | None) -> pd.DataFrame:
    """``query`` on any file the pipeline publishes (the snapshot, ``status.duckdb``)."""
    held, release = _acquire(path)
    try:
        key = (held.version, sql, _freeze(params))
        with _cache_lock:
            hit = _cache.get(key)
            if hit is not None:
                _cache.move_to_end(key)
                return hit.copy()
        frame = held.fetch(sql, params)
    finally:
        if release:
            _release(held)
    with _cache_lock:
        _cache[key] = frame
        while len(_cache) > CACHE_CAPACITY:
            _cache.popitem(last=False)
    return frame.copy()


def snapshot_version() -> tuple:
    """The version of the snapshot this request (or call) reads: a key for caching what
    is worked out from it."""
    held, release = _acquire(serving_path())
    if release:
        _release(held)
    return held.version


_MISSING = object()


def memo(fn: Callable[..., T]) -> Callable[..., T]:
    """Cache ``fn(*args)`` per snapshot version, like the queries: for the work a page does
    on what it reads from the snapshot (not ``status.duckdb``), so it is done once per
    snapshot. The result is shared between callers: treat it as read-only."""

    @functools.wraps(fn)
    def cached(*args: Any) -> T:
        with consistent():
            key = ("memo", snapshot_version(), fn.__module__, fn.__qualname__, _freeze(args))
            with _cache_lock:
                hit = _cache.get(key, _MISSING)
                if hit is not _MISSING:
                    _cache.move_to_end(key)
                    return hit  # type: ignore[return-value]
            value = fn(*args)
        with _cache_lock:
            _cache[key] = value
            while len(_cache) > CACHE_CAPACITY:
                _cache.popitem(last=False)
        return value

    return cached


def cache_size() -> int:
    """How many results are cached now."""
    with _cache_lock:
        return len(_cache)


def clear_cache() -> None:
    """Forget every cached result and close every file (as after a new snapshot)."""
    with _cache_lock:
        _cache.clear()
    with _open_lock:
        while _open:
            _retire(_open.popitem()[1])


@memo
def _schema() -> dict[str, tuple[str, ...]]:
    """``schema.table`` of every table in the snapshot -> its columns, in order (one query
    for every ``has_table`` and ``columns`` of a snapshot version)."""
    frame = query(
        "select schema_name || '.' || table_name as name, column_name from duckdb_columns() "
        "where database_name = current_database() "
        "order by schema_name, table_name, column_index"
    )
    found: dict[str, list[str]] = {}
    for name, column in zip(frame["name"], frame["column_name"], strict=True):
        found.setdefault(name, []).append(column)
    return {name: tuple(cols) for name, cols in found.items()}


def tables() -> frozenset[str]:
    """``schema.table`` of every table in the snapshot."""
    return frozenset(_schema())


def has_table(name: str) -> bool:
    return name in _schema()


def columns(name: str) -> list[str]:
    return list(_schema().get(name, ()))


def _empty(cols: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=list(cols))


# ##### What the pages ask for


def las() -> list[str]:
    """Local authorities in the snapshot (those with KPI values, else with extracts)."""
    for table in ("marts.kpi_values", "meta.extract_files"):
        if has_table(table):
            frame = query(f"select distinct la_code from {table} order by la_code")
            if not frame.empty:
                return [str(v) for v in frame["la_code"].dropna()]
    return []


def catalogue() -> pd.DataFrame:
    """The KPI catalogue, in its sort order."""
    if not has_table("marts.kpi_catalogue"):
        return _empty(CATALOGUE_COLUMNS)
    return query("select * from marts.kpi_catalogue order by sort_order, kpi_id")


def districts(la: str) -> list[str]:
    """Districts of ``la`` (not the LA total): named ones A–Z, then County, Unallocated."""
    if not has_table("marts.kpi_values"):
        return []
    frame = query(
        "select distinct district from marts.kpi_values where la_code = $la and district <> $all",
        {"la": la, "all": LA_TOTAL},
    )
    names = [str(d) for d in frame["district"]]
    named = sorted(d for d in names if d not in TRAILING_DISTRICTS)
    return named + [d for d in TRAILING_DISTRICTS if d in names]


def kpi_splits(la: str) -> pd.DataFrame:
    """(kpi_id, breakdown, period_type) present for ``la``."""
    if not has_table("marts.kpi_values"):
        return _empty(["kpi_id", "breakdown", "period_type"])
    return query(
        "select distinct kpi_id, breakdown, period_type from marts.kpi_values "
        "where la_code = $la order by all",
        {"la": la},
    )


def periods(la: str, period_type: str = "month") -> pd.DataFrame:
    """Periods measured for ``la`` (period_start, period_end, is_partial), oldest first."""
    if not has_table("marts.kpi_values"):
        return _empty(["period_start", "period_end", "is_partial"])
    return query(_sql("periods"), {"la": la, "period_type": period_type})


def kpi_values(
    la: str,
    kpi_ids: Sequence[str],
    district: str = LA_TOTAL,
    breakdown: str = "all",
    period_type: str = "month",
    start: Any = None,
    end: Any = None,
) -> pd.DataFrame:
    """Values of several KPIs for one district and breakdown, ``start`` to ``end`` inclusive."""
    if not has_table("marts.kpi_values"):
        return _empty(KPI_VALUE_COLUMNS)
    params = {
        "la": la,
        "kpi_ids": list(kpi_ids),
        "district": district,
        "breakdown": breakdown,
        "period_type": period_type,
        "start": None if start is None else pd.Timestamp(start).date(),
        "end": None if end is None else pd.Timestamp(end).date(),
    }
    return query(_sql("kpi_values"), params)


def kpi_series(
    la: str,
    kpi_id: str,
    district: str = LA_TOTAL,
    breakdown: str = "all",
    period_type: str = "month",
) -> pd.DataFrame:
    """One KPI's whole series for one district and breakdown, oldest first."""
    return kpi_values(la, [kpi_id], district, breakdown, period_type)


def headline_series(la: str) -> pd.DataFrame:
    """Every KPI's LA-total series at its headline breakdown and period type."""
    if not has_table("marts.kpi_values"):
        return _empty(["kpi_id", "breakdown", *KPI_VALUE_COLUMNS[:4], *KPI_VALUE_COLUMNS[7:]])
    return query(_sql("headline_series"), {"la": la})


def latest_values(la: str) -> pd.DataFrame:
    """The latest headline value of every KPI for the LA total."""
    frame = headline_series(la)
    if frame.empty:
        return frame
    latest = frame.groupby("kpi_id")["period_end"].transform("max")
    return frame[frame["period_end"] == latest].reset_index(drop=True)


def district_latest(la: str, kpi_id: str, breakdown: str, period_type: str) -> pd.DataFrame:
    """One KPI for every district and the LA total at the latest period measured."""
    if not has_table("marts.kpi_values"):
        return _empty(["district", *KPI_VALUE_COLUMNS[1:4], *KPI_VALUE_COLUMNS[7:]])
    params = {"la": la, "kpi_id": kpi_id, "breakdown": breakdown, "period_type": period_type}
    return query(_sql("district_latest"), params)


def targets() -> pd.DataFrame:
    """Board targets per KPI (``reference.targets``); empty when not published."""
    if not has_table("reference.targets"):
        return _empty(["kpi_id", "target", "tolerance"])
    return query("select * from reference.targets")


def comparators() -> pd.DataFrame:
    """Published comparator figures per KPI (``reference.comparators``); may be empty."""
    if not has_table("reference.comparators"):
        return _empty(["kpi_id", "comparator", "year", "value", "source"])
    return query("select * from reference.comparators")


def freshness(la: str | None) -> dict[str, Any]:
    """Latest supplied extract date of ``la`` and when the snapshot was published."""
    info: dict[str, Any] = {"extract_date": None, "published_at": None, "run_id": None}
    if la and has_table("meta.extract_files"):
        frame = query(
            "select max(extract_date) as extract_date from meta.extract_files "
            "where la_code = $la and is_supplied",
            {"la": la},
        )
        value = frame["extract_date"].iloc[0]
        info["extract_date"] = None if pd.isna(value) else pd.Timestamp(value)
    if has_table("meta.publish_info"):
        frame = query(
            "select published_at, run_id from meta.publish_info order by published_at desc limit 1"
        )
        if not frame.empty:
            info["published_at"] = pd.Timestamp(frame["published_at"].iloc[0])
            info["run_id"] = frame["run_id"].iloc[0]
    return info


def rejected_loads(la: str) -> pd.DataFrame:
    """Rejected deliveries of ``la`` not superseded by a later successful load.

    From ``status.duckdb`` when the ingest step has written it (its extracts whose newest
    delivery was blocked: it is newer than the snapshot when a run stopped before
    publishing), else from the snapshot's copy of the load events.
    """
    if "extract_status" in status_tables():
        return _status_query(_sql("status_blocked"), {"la": la})
    if not has_table("meta.load_events"):
        return _empty(["loaded_at", "source", "collection_year", "extract_date", "source_file"])
    return query(_sql("rejected_loads"), {"la": la})


def action_rhi(la: str, district: str | None = None) -> pd.DataFrame:
    """Due missing episodes still without a return interview (child-level; managers only)."""
    table = "marts.action_rhi_outstanding"
    if not has_table(table):
        return pd.DataFrame()
    cols = columns(table)
    where, params = [], {}
    if "la_code" in cols:
        where.append("la_code = $la")
        params["la"] = la
    if district and district != LA_TOTAL and "district" in cols:
        where.append("district = $district")
        params["district"] = district
    order = " order by days_since_return desc" if "days_since_return" in cols else ""
    clause = f" where {' and '.join(where)}" if where else ""
    return query(f"select * from {table}{clause}{order}", params)


# ##### The managers' pages: districts, caseloads, action lists, a child's timeline
# (the district and child pages; caseloads are worker-level and the action lists and the
# timeline child-level: for managers only, never for board pages)

#: The managers' action lists (all as at the LA's as-at date): name -> table.
ACTION_LISTS = {
    "rhi": "marts.action_rhi_outstanding",
    "pep": "marts.action_pep_outstanding",
    "care_leavers": "marts.action_care_leavers",
    "cla_unallocated": "marts.action_cla_unallocated",
}
#: How each list is ordered (terms whose column the table lacks are dropped).
_ACTION_ORDER = {
    "rhi": ["days_since_return desc", "child"],
    "pep": ["days_since_last_complete_pep desc nulls first", "days_in_care desc", "child"],
    "care_leavers": ["reason", "child"],
    "cla_unallocated": ["days_in_care desc", "child"],
}
DISTRICT_COLUMNS = ["district", "is_unallocated", "is_county", "population_0_17", "teams"]
TIMELINE_COLUMNS = [
    "event_type",
    "event_ref",
    "start_date",
    "end_date",
    "label",
    "detail",
    "sw_id",
]


def district_table(la: str) -> pd.DataFrame:
    """The districts of ``la`` from ``marts.dim_districts`` (no ``ALL`` row), A–Z."""
    if not has_table("marts.dim_districts"):
        return _empty(DISTRICT_COLUMNS)
    return query(
        "select * from marts.dim_districts where la_code = $la and district <> $all "
        "order by district",
        {"la": la, "all": LA_TOTAL},
    )


def district_comparison(la: str, end: Any = None) -> pd.DataFrame:
    """Every KPI at its headline split, for every district and the LA total, at the
    latest period that ended on or before ``end`` (the latest period when ``end`` is None)."""
    if not has_table("marts.kpi_values"):
        return _empty(["kpi_id", "breakdown", *KPI_VALUE_COLUMNS[:4], "district",
                       *KPI_VALUE_COLUMNS[7:]])  # fmt: skip
    params = {"la": la, "end": None if end is None else pd.Timestamp(end).date()}
    return query(_sql("district_comparison"), params)


def caseloads(la: str, period_end: Any, district: str | None = None) -> pd.DataFrame:
    """Case-holding roles in post on ``period_end`` (``marts.mart_caseloads_by_worker``),
    one row per worker, of one district or all; by team, then worker."""
    if not has_table("marts.mart_caseloads_by_worker"):
        return pd.DataFrame()
    params: dict[str, Any] = {"la": la, "end": pd.Timestamp(period_end).date()}
    where = "la_code = $la and period_end = $end"
    if district and district != LA_TOTAL:
        where += " and district = $district"
        params["district"] = district
    return query(
        f"select * from marts.mart_caseloads_by_worker where {where} order by team_name, sw_id",
        params,
    )


def action_list(name: str, la: str) -> pd.DataFrame | None:
    """One of ``ACTION_LISTS`` for the whole LA, in its order; None when it is not published."""
    table = ACTION_LISTS[name]
    if not has_table(table):
        return None
    cols = set(columns(table))
    order = [term for term in _ACTION_ORDER[name] if term.split()[0] in cols]
    clause = f" order by {', '.join(order)}" if order else ""
    where = " where la_code = $la" if "la_code" in cols else ""
    return query(f"select * from {table}{where}{clause}", {"la": la} if where else None)


def child_events(la: str, child: str) -> pd.DataFrame:
    """A child's events from ``marts.mart_child_timeline``, oldest first."""
    if not has_table("marts.mart_child_timeline"):
        return _empty(TIMELINE_COLUMNS)
    return query(
        "select * from marts.mart_child_timeline where la_code = $la and child = $child "
        "order by start_date, event_type, event_ref",
        {"la": la, "child": child},
    )


def child_profile(la: str, child: str) -> dict[str, Any] | None:
    """The child's row of ``marts.dim_children`` (district, worker now…), or None."""
    if not has_table("marts.dim_children"):
        return None
    frame = query(
        "select * from marts.dim_children where la_code = $la and child = $child",
        {"la": la, "child": child},
    )
    return None if frame.empty else frame.iloc[0].to_dict()


def child_las(child: str) -> list[str]:
    """The LAs whose published data has a child with this id."""
    sources = [t for t in ("marts.dim_children", "marts.mart_child_timeline") if has_table(t)]
    if not sources:
        return []
    union = " union ".join(f"select la_code from {t} where child = $child" for t in sources)
    frame = query(f"select distinct la_code from ({union}) order by la_code", {"child": child})
    return [str(v) for v in frame["la_code"]]


# ##### Data quality (the data-quality page and the banner; data engineers)
# ``status.duckdb`` is written beside the snapshot by the ingest step on every run, even
# when an extract is blocked and nothing is published (pipelines/lib/status.py), so it can
# be newer than the snapshot, and can exist without one. It is read like the snapshot: a
# read-only attach per file version, kept open while current, results cached per version.

EXTRACT_STATUS_COLUMNS = [
    "la_code",
    "source",
    "collection_year",
    "latest_extract_date",
    "latest_status",
    "latest_message",
    "latest_errors",
    "latest_warnings",
    "latest_seen_at",
    "served_extract_date",
    "served_loaded_at",
    "is_serving_older_data",
    "served_age_days",
]
DQ_ISSUE_COLUMNS = [
    "la_code",
    "source",
    "collection_year",
    "extract_date",
    "table_name",
    "source_file",
    "source_row",
    "child",
    "rule_code",
    "severity",
    "message",
    "value",
    "checked_at",
]


def status_path() -> Path:
    """``status.duckdb`` beside the snapshot this app reads."""
    return serving_path().with_name(STATUS_FILE)


def status_exists() -> bool:
    return status_path().is_file()


def _status_query(sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    return _query_file(status_path(), sql, params)


def status_tables() -> frozenset[str]:
    """Tables of ``status.duckdb`` (none when the ingest step has not written it yet)."""
    if not status_exists():
        return frozenset()
    frame = _status_query(
        "select table_name from duckdb_tables() "
        "where database_name = current_database() and schema_name = 'main'"
    )
    return frozenset(frame["table_name"])


def status_info() -> dict[str, Any]:
    """When ``status.duckdb`` was written, and by which run (``None`` without one)."""
    info: dict[str, Any] = {"written_at": None, "run_id": None}
    if "status_info" in status_tables():
        frame = _status_query("select written_at, run_id from status_info limit 1")
        if not frame.empty:
            info["written_at"] = pd.Timestamp(frame["written_at"].iloc[0])
            info["run_id"] = frame["run_id"].iloc[0]
    return info


def extract_status(la: str | None = None) -> pd.DataFrame:
    """The newest extract of each LA (or of ``la``), source and year, and what happened to it."""
    if "extract_status" not in status_tables():
        return _empty(EXTRACT_STATUS_COLUMNS)
    return _status_query(_sql("extract_status"), {"la": la})


def dq_issues(
    la: str | None = None,
    year: str | None = None,
    severity: str | None = None,
    rule: str | None = None,
    file: str | None = None,
) -> pd.DataFrame:
    """Failing rows of the latest check of each extract; ``None`` means "every"."""
    if "dq_issues" not in status_tables():
        return _empty(DQ_ISSUE_COLUMNS)
    params = {"la": la, "year": year, "severity": severity, "rule": rule, "file": file}
    return _status_query(_sql("dq_issues"), params)


def published_extracts() -> pd.DataFrame:
    """Newest supplied extract per LA, source and year in the published snapshot."""
    cols = ["la_code", "source", "collection_year", "extract_date", "loaded_at"]
    try:
        if not has_table("meta.extract_files"):
            return _empty(cols)
        return query(_sql("published_extracts"))
    except NoSnapshot:
        return _empty(cols)


def dq_las() -> list[str]:
    """LAs in the snapshot or in ``status.duckdb`` (an LA whose every extract was blocked
    is only in the latter)."""
    try:
        found = set(las())
    except NoSnapshot:
        found = set()
    found.update(str(v) for v in extract_status()["la_code"].dropna())
    return sorted(found)


# ##### The board: local authorities' names and the partners accountable for KPIs


@memo
def la_names() -> dict[str, str]:
    """{LA code: name} from ``reference.local_authorities`` (empty when not published;
    shared: read-only)."""
    if not has_table("reference.local_authorities"):
        return {}
    frame = query("select la_code, la_name from reference.local_authorities")
    return dict(zip(frame["la_code"].astype(str), frame["la_name"].astype(str), strict=True))


def la_label(la: str | None) -> str:
    """What pages call an LA: its name ("Hampshire"), else "LA 850" when the snapshot has
    no name for it."""
    if not la:
        return ""
    try:
        name = la_names().get(str(la))
    except NoSnapshot:
        name = None
    return name or f"LA {la}"


PARTNER_COLUMNS = ["partner_id", "name", "kind", "description"]


def partners() -> pd.DataFrame:
    """The partners the board holds to account (``reference.partners``), A–Z."""
    if not has_table("reference.partners"):
        return _empty(PARTNER_COLUMNS)
    return query("select * from reference.partners order by name")
