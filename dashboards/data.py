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

**Who may read what is decided here**, for every caller (page, callback, download,
warm-up, command): each public function asks the principal of the read (the signed-in
user of the request, or whoever an ``acting_as`` block names; nobody → ``NotSignedIn``)
whether its role and scope allow it (``dashboards.auth.roles``):

- aggregate functions need ``Access.AGGREGATES`` for the LA asked for, and give the board
  its figures disclosure-controlled (``dashboards.disclosure``);
- child-level functions (action lists, members, a child's timeline) and worker-level ones
  (caseloads by worker) return only the rows of the principal's districts (managers) or
  LAs (analysts), refuse a district or child outside them (``NotAllowed``), and write an
  audit row for every read;
- data-quality functions need ``Access.DATA_QUALITY`` and return only the principal's LAs.

Cached results are never scoped: the cache holds what the snapshot holds, and the scope is
applied to each result as it is handed out. ``memo`` results, which are worked out from
aggregates, are kept per (LAs visible, LAs suppressed) of the principal (a function of
one LA: per whether that LA is visible and suppressed, and it may read no other LA), and a
memoised function may not read child-level data (it raises), so no user is ever handed
another user's scoped result.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
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

from dashboards import disclosure
from dashboards.auth.auditlog import audit
from dashboards.auth.context import current_principal
from dashboards.auth.errors import NotAllowed, NotSignedIn
from dashboards.auth.roles import Access, Principal
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


# ##### Who is reading


def principal() -> Principal:
    """The principal of this read; ``NotSignedIn`` when there is none."""
    found = current_principal()
    if found is None:
        raise NotSignedIn("Sign in to read the dashboard's data.", what="data")
    return found


def deny(
    message: str,
    *,
    what: str,
    la: str | None = None,
    district: str | None = None,
    child: str | None = None,
) -> NotAllowed:
    """Audit a refused read and return the error to raise."""
    audit(
        "denied", result="denied", what=what, la=la, district=district, child=child, detail=message
    )
    return NotAllowed(message, what=what, la=la, district=district, child=child)


def _require(access: Access, la: str | None = None, *, what: str) -> Principal:
    """The principal, if it has ``access`` (for ``la`` when given); else ``NotAllowed``."""
    if la is not None:
        _only_memo_la(la, what)
    who = principal()
    if not who.can(access, la):
        where = f" for LA {la}" if la is not None else ""
        raise deny(
            f"Your role does not give {access.value.replace('_', ' ')}{where}.", what=what, la=la
        )
    return who


_in_memo: ContextVar[bool] = ContextVar("csc_in_memo", default=False)
#: The LA of the per-LA ``memo`` function being worked out (None: none is).
_memo_la: ContextVar[str | None] = ContextVar("csc_memo_la", default=None)


def _only_memo_la(la: str | None, what: str) -> None:
    """Called by every read that names an LA (``_require``), and by the reads of every LA
    the principal may see (``las()``, data quality of no LA: ``la`` None): inside a per-LA ``memo`` function only that LA may be read, since its result
    is shared by every principal who sees that LA alike, whatever else each may see."""
    mine = _memo_la.get()
    if mine is not None and la != mine:
        raise RuntimeError(
            f"{what}: {'LA ' + la if la else 'the list of LAs'} is read inside a @data.memo "
            f"function of LA {mine}; its result is shared by everyone who sees LA {mine}, "
            "whatever other LAs they see"
        )


def _child_level(what: str) -> None:
    """Called by every child-level read: never inside a memoised function, whose result
    is shared by principals of other districts."""
    if _in_memo.get():
        raise RuntimeError(
            f"{what}: child-level data is read inside a @data.memo function; its result "
            "would be shared between users of different scopes"
        )


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
        self._made: set[tuple[str, str]] = set()  # (table, key) ensure_rows has added
        self._make_lock = threading.Lock()

    def fetch(self, sql: str, params: dict[str, Any] | None) -> pd.DataFrame:
        with self._lock:  # a cursor is a connection of its own: queries run side by side
            cursor = self._con.cursor()
        try:
            cursor.execute("use snapshot")
            return cursor.execute(sql, params or {}).df()
        finally:
            cursor.close()

    def ensure_rows(self, name: str, like: str, key: str, build: Callable[[], pd.DataFrame]) -> str:
        """``memory.main.<name>`` (made with the columns of snapshot table ``like``), holding
        the rows of ``key`` from ``build()`` (a frame worked out from this version, such as
        one LA's KPI values as the board sees them): built once per key and version, when
        first asked for, so only the keys someone reads are worked out and kept."""
        with self._make_lock:
            if (name, key) not in self._made:
                frame = build()  # DuckDB reads it by name below
                casts = ", ".join(
                    f"cast({c} as date) as {c}"
                    for c in ("period_start", "period_end")
                    if c in frame.columns
                )
                select = (
                    f"select * replace ({casts}) from frame" if casts else "select * from frame"
                )
                with self._lock:
                    cursor = self._con.cursor()
                try:
                    if not any(made == name for made, _key in self._made):
                        cursor.execute(
                            f"create or replace table memory.main.{name} as "
                            f"select * from snapshot.{like} limit 0"
                        )
                    cursor.execute(f"insert into memory.main.{name} by name {select}")
                finally:
                    cursor.close()
                self._made.add((name, key))
        return f"memory.main.{name}"

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


def _query(
    sql: str,
    params: dict[str, Any] | None = None,
    prepare: Callable[[_Version], None] | None = None,
) -> pd.DataFrame:
    """Run parameterised ``sql`` on the snapshot, unscoped (private: the public functions
    below apply the scope); a copy of a cached frame per version."""
    return _query_file(serving_path(), sql, params, prepare)


def _query_file(
    path: Path,
    sql: str,
    params: dict[str, Any] | None,
    prepare: Callable[[_Version], None] | None = None,
) -> pd.DataFrame:
    """``_query`` on any file the pipeline publishes (the snapshot, ``status.duckdb``);
    ``prepare(version)`` runs first on a cache miss (it makes the tables ``sql`` reads)."""
    held, release = _acquire(path)
    try:
        key = (held.version, sql, _freeze(params))
        with _cache_lock:
            hit = _cache.get(key)
            if hit is not None:
                _cache.move_to_end(key)
                return hit.copy()
        if prepare is not None:
            prepare(held)
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


def _cached(key: tuple, compute: Callable[[], T]) -> T:
    with _cache_lock:
        hit = _cache.get(key, _MISSING)
        if hit is not _MISSING:
            _cache.move_to_end(key)
            return hit  # type: ignore[return-value]
    value = compute()
    with _cache_lock:
        _cache[key] = value
        while len(_cache) > CACHE_CAPACITY:
            _cache.popitem(last=False)
    return value


def _per_version(fn: Callable[..., T]) -> Callable[..., T]:
    """Cache ``fn(*args)`` per snapshot version, for everybody: only for private helpers
    that read the snapshot unscoped and hand their result to a function that scopes it."""

    @functools.wraps(fn)
    def cached(*args: Any) -> T:
        with consistent():
            key = ("memo", snapshot_version(), fn.__module__, fn.__qualname__, _freeze(args))
            return _cached(key, lambda: fn(*args))

    return cached


@functools.lru_cache(maxsize=1024)
def _view_key(who: Principal, version: tuple) -> tuple:
    """What a principal's aggregates depend on in snapshot ``version`` (the one being
    read): the LAs it may see and those it sees disclosure-controlled (principals alike
    in both share ``memo`` results). Worked out once per principal and version."""
    las_in_snapshot = frozenset(_snapshot_las())
    allowed = who.las_for(Access.AGGREGATES)
    visible = las_in_snapshot if allowed is None else allowed & las_in_snapshot
    suppressed = frozenset(la for la in visible if who.suppressed_for(la))
    return tuple(sorted(visible)), tuple(sorted(suppressed))


def memo(fn: Callable[..., T]) -> Callable[..., T]:
    """Cache ``fn(*args)`` per snapshot version, like the queries: for the work a page does
    on the aggregates it reads from the snapshot (not ``status.duckdb``), so it is done
    once per snapshot. Kept per the principal's view (the LAs it may see, those it sees
    disclosure-controlled); ``fn`` may not read child-level data (it raises). The result
    is shared between callers: treat it as read-only.

    A function whose first parameter is ``la`` is kept per the principal's view of that
    LA only (whether it may see it, and whether disclosure-controlled), so that on a
    snapshot of many LAs a manager of one LA, the board of it, a national analyst and the
    warm-up share one result; inside it (and any memoised function it calls) reading
    another LA, or the list of LAs, raises."""

    params = list(inspect.signature(fn).parameters)
    per_la = bool(params) and params[0] == "la"

    @functools.wraps(fn)
    def cached(*args: Any) -> T:
        with consistent():
            version = snapshot_version()
            who = principal()
            la = _memo_la.get()  # inside a per-LA function: that LA's view for all it calls
            if la is None and per_la and args and isinstance(args[0], str):
                la = args[0]
            if la is None:
                view: tuple = _view_key(who, version)
            else:
                view = ("la", la, who.can(Access.AGGREGATES, la), who.suppressed_for(la))
            key = ("memo", version, fn.__module__, fn.__qualname__, _freeze(args), view)

            def compute() -> T:
                token = _in_memo.set(True)
                la_token = _memo_la.set(la)
                try:
                    return fn(*args)
                finally:
                    _memo_la.reset(la_token)
                    _in_memo.reset(token)

            return _cached(key, compute)

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


@_per_version
def _schema() -> dict[str, tuple[str, ...]]:
    """``schema.table`` of every table in the snapshot -> its columns, in order (one query
    for every ``has_table`` and ``columns`` of a snapshot version)."""
    frame = _query(
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


# ##### What the pages ask for: aggregates (every role but admin; LA-scoped; the board's
# disclosure-controlled)


def _snapshot_las() -> list[str]:
    """Every LA in the snapshot (those with KPI values, else with extracts), unscoped."""
    for table in ("marts.kpi_values", "meta.extract_files"):
        if has_table(table):
            frame = _query(f"select distinct la_code from {table} order by la_code")
            if not frame.empty:
                return [str(v) for v in frame["la_code"].dropna()]
    return []


def las() -> list[str]:
    """The LAs of the snapshot the principal may see aggregates of."""
    _only_memo_la(None, "las")
    allowed = principal().las_for(Access.AGGREGATES)
    return [la for la in _snapshot_las() if allowed is None or la in allowed]


def catalogue() -> pd.DataFrame:
    """The KPI catalogue, in its sort order."""
    _require(Access.AGGREGATES, what="catalogue")
    if not has_table("marts.kpi_catalogue"):
        return _empty(CATALOGUE_COLUMNS)
    return _query("select * from marts.kpi_catalogue order by sort_order, kpi_id")


def districts(la: str) -> list[str]:
    """Districts of ``la`` (not the LA total): named ones A–Z, then County, Unallocated."""
    _require(Access.AGGREGATES, la, what="districts")
    if not has_table("marts.kpi_values"):
        return []
    frame = _query(
        "select distinct district from marts.kpi_values where la_code = $la and district <> $all",
        {"la": la, "all": LA_TOTAL},
    )
    names = [str(d) for d in frame["district"]]
    named = sorted(d for d in names if d not in TRAILING_DISTRICTS)
    return named + [d for d in TRAILING_DISTRICTS if d in names]


def kpi_splits(la: str) -> pd.DataFrame:
    """(kpi_id, breakdown, period_type) present for ``la``."""
    _require(Access.AGGREGATES, la, what="kpi_values")
    if not has_table("marts.kpi_values"):
        return _empty(["kpi_id", "breakdown", "period_type"])
    return _query(
        "select distinct kpi_id, breakdown, period_type from marts.kpi_values "
        "where la_code = $la order by all",
        {"la": la},
    )


def periods(la: str, period_type: str = "month") -> pd.DataFrame:
    """Periods measured for ``la`` (period_start, period_end, is_partial), oldest first."""
    _require(Access.AGGREGATES, la, what="kpi_values")
    if not has_table("marts.kpi_values"):
        return _empty(["period_start", "period_end", "is_partial"])
    return _query(_sql("periods"), {"la": la, "period_type": period_type})


BOARD_KPI_TABLE = "board_kpi_values"


def _board_kpi_values(la: str) -> Callable[[_Version], None]:
    """A ``prepare`` that adds ``la``'s KPI values as the board sees them to the version's
    ``memory.main.board_kpi_values``, once per LA and version: disclosure control works
    within an LA (every relation is grouped by ``la_code``), so each LA's rows are worked
    out on their own, from that LA's row groups only (the published table is stored in LA
    order), when a board view of that LA first reads them; a national snapshot's other
    152 LAs cost nothing until someone reads them."""

    def prepare(held: _Version) -> None:
        def build() -> pd.DataFrame:
            raw = held.fetch("select * from marts.kpi_values where la_code = $la", {"la": la})
            return disclosure.suppress_kpi_values(raw, disclosure.threshold())

        held.ensure_rows(BOARD_KPI_TABLE, "marts.kpi_values", la, build)

    return prepare


def _kpi_query(la: str, sql: str, params: dict[str, Any], *, what: str) -> pd.DataFrame:
    """``sql`` (which reads ``marts.kpi_values`` of ``la`` only: ``params["la"]``) for
    ``la``, on the disclosure-controlled copy when the principal sees ``la``'s aggregates
    as the board does."""
    who = _require(Access.AGGREGATES, la, what=what)
    if params.get("la") != la:
        raise ValueError(f"{what}: the query must read LA {la} only (params {params})")
    if who.suppressed_for(la):
        board = sql.replace("marts.kpi_values", f"memory.main.{BOARD_KPI_TABLE}")
        return _query(board, params, prepare=_board_kpi_values(la))
    return _query(sql, params)


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
    _require(Access.AGGREGATES, la, what="kpi_values")
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
    return _kpi_query(la, _sql("kpi_values"), params, what="kpi_values")


def kpi_table(la: str) -> pd.DataFrame:
    """Every KPI value of ``la``: the LA total and every district, breakdown and period."""
    _require(Access.AGGREGATES, la, what="kpi_values")
    if not has_table("marts.kpi_values"):
        return _empty(["la_code", *KPI_VALUE_COLUMNS])
    sql = (
        "select * from marts.kpi_values where la_code = $la "
        "order by kpi_id, period_type, period_end, district, breakdown"
    )
    return _kpi_query(la, sql, {"la": la}, what="kpi_values")


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
    _require(Access.AGGREGATES, la, what="kpi_values")
    if not has_table("marts.kpi_values"):
        return _empty(["kpi_id", "breakdown", *KPI_VALUE_COLUMNS[:4], *KPI_VALUE_COLUMNS[7:]])
    return _kpi_query(la, _sql("headline_series"), {"la": la}, what="kpi_values")


def latest_values(la: str) -> pd.DataFrame:
    """The latest headline value of every KPI for the LA total."""
    frame = headline_series(la)
    if frame.empty:
        return frame
    latest = frame.groupby("kpi_id")["period_end"].transform("max")
    return frame[frame["period_end"] == latest].reset_index(drop=True)


def district_latest(la: str, kpi_id: str, breakdown: str, period_type: str) -> pd.DataFrame:
    """One KPI for every district and the LA total at the latest period measured."""
    _require(Access.AGGREGATES, la, what="kpi_values")
    if not has_table("marts.kpi_values"):
        return _empty(["district", *KPI_VALUE_COLUMNS[1:4], *KPI_VALUE_COLUMNS[7:]])
    params = {"la": la, "kpi_id": kpi_id, "breakdown": breakdown, "period_type": period_type}
    return _kpi_query(la, _sql("district_latest"), params, what="kpi_values")


def targets() -> pd.DataFrame:
    """Board targets per KPI (``reference.targets``); empty when not published."""
    _require(Access.AGGREGATES, what="targets")
    if not has_table("reference.targets"):
        return _empty(["kpi_id", "target", "tolerance"])
    return _query("select * from reference.targets")


def comparators() -> pd.DataFrame:
    """Published comparator figures per KPI (``reference.comparators``); may be empty."""
    _require(Access.AGGREGATES, what="comparators")
    if not has_table("reference.comparators"):
        return _empty(["kpi_id", "comparator", "year", "value", "source"])
    return _query("select * from reference.comparators")


def freshness(la: str | None) -> dict[str, Any]:
    """Latest supplied extract date of ``la`` and when the snapshot was published."""
    info: dict[str, Any] = {"extract_date": None, "published_at": None, "run_id": None}
    if la:
        _require(Access.AGGREGATES, la, what="freshness")
    if la and has_table("meta.extract_files"):
        frame = _query(
            "select max(extract_date) as extract_date from meta.extract_files "
            "where la_code = $la and is_supplied",
            {"la": la},
        )
        value = frame["extract_date"].iloc[0]
        info["extract_date"] = None if pd.isna(value) else pd.Timestamp(value)
    if has_table("meta.publish_info"):
        frame = _query(
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
    who = _require(Access.AGGREGATES, la, what="load_events")
    if "landing_problems" in status_tables():  # a status file written by this version
        frame = _status_query(_sql("status_blocked"), {"la": la})
    elif not has_table("meta.load_events"):
        return _empty(["loaded_at", "source", "collection_year", "extract_date", "source_file"])
    else:
        frame = _query(_sql("rejected_loads"), {"la": la})
    if "message" in frame.columns and not who.can(Access.DATA_QUALITY, la):
        # Why (file, line, rule, and values that can quote a child's id) is for those who
        # fix extracts; everyone else learns that the figures are older, and which file.
        frame["message"] = None
    return frame


# ##### The managers' pages: districts, caseloads, action lists, a child's timeline
# (the district and child pages; caseloads are worker-level and the action lists and the
# timeline child-level: each returns only the principal's rows, and is audited)

#: The managers' action lists (all as at the LA's as-at date): name -> table.
ACTION_LISTS = {
    "rhi": "marts.action_rhi_outstanding",
    "pep": "marts.action_pep_outstanding",
    "care_leavers": "marts.action_care_leavers",
    "cla_unallocated": "marts.action_cla_unallocated",
}
#: Action lists whose children also belong to the district of their last allocation
#: (their old district's manager reallocates them): list -> that column.
LAST_DISTRICT_COLUMN = {"cla_unallocated": "last_district"}
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


def in_district(rows: pd.DataFrame, name: str, districts: frozenset[str] | set[str]) -> pd.Series:
    """Which rows of action list ``name`` belong to one of ``districts``: where the child's
    district is (on the as-at date), and for children with no worker also where they were
    last allocated."""
    if rows.empty:
        return pd.Series(False, index=rows.index)
    keep = (
        rows["district"].isin(districts)
        if "district" in rows.columns
        else pd.Series(False, index=rows.index)
    )
    extra = LAST_DISTRICT_COLUMN.get(name)
    if extra and extra in rows.columns:
        keep = keep | rows[extra].isin(districts)
    return keep


def _check_district(access: Access, la: str, district: str | None, *, what: str) -> Principal:
    """The principal, if ``district`` (when one is named) is in its scope of ``la``."""
    who = _require(access, la, what=what)
    if district and district != LA_TOTAL:
        allowed = who.districts_for(access, la)
        if allowed is not None and district not in allowed:
            raise deny(f"{district} is not in your scope.", what=what, la=la, district=district)
    return who


def _scoped(
    frame: pd.DataFrame, name: str, la: str, who: Principal, access: Access
) -> pd.DataFrame:
    """The rows of ``frame`` (action list ``name``, or any table with a district column)
    in the principal's districts of ``la``."""
    allowed = who.districts_for(access, la)
    if allowed is None:
        return frame
    return frame[in_district(frame, name, allowed)].reset_index(drop=True)


def district_table(la: str) -> pd.DataFrame:
    """The districts of ``la`` from ``marts.dim_districts`` (no ``ALL`` row), A–Z."""
    _require(Access.AGGREGATES, la, what="districts")
    if not has_table("marts.dim_districts"):
        return _empty(DISTRICT_COLUMNS)
    return _query(
        "select * from marts.dim_districts where la_code = $la and district <> $all "
        "order by district",
        {"la": la, "all": LA_TOTAL},
    )


def district_comparison(la: str, end: Any = None) -> pd.DataFrame:
    """Every KPI at its headline split, for every district and the LA total, at the
    latest period that ended on or before ``end`` (the latest period when ``end`` is None)."""
    _require(Access.AGGREGATES, la, what="kpi_values")
    if not has_table("marts.kpi_values"):
        return _empty(["kpi_id", "breakdown", *KPI_VALUE_COLUMNS[:4], "district",
                       *KPI_VALUE_COLUMNS[7:]])  # fmt: skip
    params = {"la": la, "end": None if end is None else pd.Timestamp(end).date()}
    return _kpi_query(la, _sql("district_comparison"), params, what="kpi_values")


def caseloads(la: str, period_end: Any, district: str | None = None) -> pd.DataFrame:
    """Case-holding roles in post on ``period_end`` (``marts.mart_caseloads_by_worker``),
    one row per worker, of one district or all the principal's; by team, then worker
    (worker-level)."""
    what = "caseloads_by_worker"
    _child_level(what)
    who = _check_district(Access.WORKER_LEVEL, la, district, what=what)
    if not has_table("marts.mart_caseloads_by_worker"):
        return pd.DataFrame()
    params: dict[str, Any] = {"la": la, "end": pd.Timestamp(period_end).date()}
    where = "la_code = $la and period_end = $end"
    if district and district != LA_TOTAL:
        where += " and district = $district"
        params["district"] = district
    frame = _query(
        f"select * from marts.mart_caseloads_by_worker where {where} order by team_name, sw_id",
        params,
    )
    frame = _scoped(frame, what, la, who, Access.WORKER_LEVEL)
    audit("view", what=what, la=la, district=district, rows=len(frame))
    return frame


def _action_list_raw(name: str, la: str) -> pd.DataFrame | None:
    table = ACTION_LISTS[name]
    if not has_table(table):
        return None
    cols = set(columns(table))
    order = [term for term in _ACTION_ORDER[name] if term.split()[0] in cols]
    clause = f" order by {', '.join(order)}" if order else ""
    where = " where la_code = $la" if "la_code" in cols else ""
    return _query(f"select * from {table}{where}{clause}", {"la": la} if where else None)


def action_list(name: str, la: str, district: str | None = None) -> pd.DataFrame | None:
    """One of ``ACTION_LISTS``: the rows of the principal's districts of ``la`` (of
    ``district`` when given), in its order; None when it is not published."""
    what = f"action_list:{name}"
    _child_level(what)
    who = _check_district(Access.CHILD_LEVEL, la, district, what=what)
    frame = _action_list_raw(name, la)
    if frame is None:
        return None
    frame = _scoped(frame, name, la, who, Access.CHILD_LEVEL)
    if district and district != LA_TOTAL:
        frame = frame[in_district(frame, name, {district})].reset_index(drop=True)
    audit("view", what=what, la=la, district=district, rows=len(frame))
    return frame


#: Columns of ``placement_locations`` (one row per child looked after now; child-level).
PLACEMENT_LOCATION_COLUMNS = [
    "child",
    "district",
    "placement_start",
    "place",
    "pl_postcode",
    "pl_upper_tier_name",
    "is_outside_la",
    "distance_miles",
    "is_over_20_miles",
    "outside_status",
    "distance_status",
    "sw_id_at_as_at",
]


def placement_locations(la: str, district: str | None = None) -> pd.DataFrame:
    """Where each child looked after on the LA's as-at date lives (child-level: the
    principal's districts of ``la``, or ``district``; audited): the current episode of
    ``marts.fct_placement_locations``, farthest from home first."""
    what = "placement_locations"
    _child_level(what)
    who = _check_district(Access.CHILD_LEVEL, la, district, what=what)
    table = "marts.fct_placement_locations"
    if not has_table(table):
        return _empty(PLACEMENT_LOCATION_COLUMNS)
    params: dict[str, Any] = {"la": la}
    where = "la_code = $la and is_current_at_as_at"
    if district and district != LA_TOTAL:
        where += " and district_at_as_at = $district"
        params["district"] = district
    select = ", ".join(
        "district_at_as_at as district" if c == "district" else c
        for c in PLACEMENT_LOCATION_COLUMNS
    )
    frame = _query(
        f"select {select} from {table} where {where} "
        "order by distance_miles desc nulls last, child",
        params,
    )
    frame = _scoped(frame, what, la, who, Access.CHILD_LEVEL)
    audit("view", what=what, la=la, district=district, rows=len(frame))
    return frame


#: Columns of ``placement_distance_bands``: counts of children by direction from home and
#: distance band, with their totals (``direction`` or ``distance_band`` ``ALL``, and the
#: band ``over 20 miles``), and how each is shown (``disclosure.SHOWN`` or why hidden).
DISTANCE_BAND_COLUMNS = ["direction", "distance_band", "children", "shown_as"]


@_per_version
def _distance_bands(la: str, end: Any, suppressed: bool) -> pd.DataFrame:
    """Every district's bands of ``la`` on ``end`` with their totals, disclosure-controlled
    when ``suppressed`` (worked out once per snapshot version, for everybody alike)."""
    frame = _query(
        "select district, direction, distance_band, children "
        "from marts.mart_placement_distance_bands where la_code = $la and period_end = $end",
        {"la": la, "end": end},
    )
    shared = None
    if suppressed and has_table("marts.kpi_values"):
        shared = _query(
            f"select district, numerator, denominator from memory.main.{BOARD_KPI_TABLE} "
            "where la_code = $la and kpi_id = $kpi and breakdown = 'all' "
            "and period_type = 'month' and period_end = $end",
            {"la": la, "kpi": disclosure.DISTANCE_KPI, "end": end},
            prepare=_board_kpi_values(la),
        )
    return disclosure.distance_bands(frame, disclosure.threshold() if suppressed else None, shared)


def placement_distance_bands(la: str, district: str, period_end: Any) -> pd.DataFrame:
    """Children looked after on ``period_end`` by direction from home and distance band
    (``marts.mart_placement_distance_bands``; aggregate), with the totals of each band,
    each direction and all, of ``district`` (``ALL``: the LA). The board's are
    disclosure-controlled across the districts and with the KPI's own figures."""
    who = _require(Access.AGGREGATES, la, what="placement_distance_bands")
    table = "marts.mart_placement_distance_bands"
    if not has_table(table) or period_end is None:
        return _empty(DISTANCE_BAND_COLUMNS)
    bands = _distance_bands(la, pd.Timestamp(period_end).date(), who.suppressed_for(la))
    mine = bands[bands["district"] == district]
    return mine[DISTANCE_BAND_COLUMNS].reset_index(drop=True)


def action_rhi(la: str, district: str | None = None) -> pd.DataFrame:
    """Due missing episodes still without a return interview (child-level; managers only):
    the principal's districts of ``la``, or ``district``."""
    frame = action_list("rhi", la, district)
    return pd.DataFrame() if frame is None else frame


def action_list_counts(la: str) -> pd.DataFrame:
    """How many rows each action list has in each district of ``la`` (aggregates: the
    districts index): columns district, list, rows; none for a list not published."""
    _require(Access.AGGREGATES, la, what="action_list_counts")
    out = []
    for name in ACTION_LISTS:
        frame = _action_list_raw(name, la)
        if frame is None:
            continue
        places = set(frame["district"].dropna()) if "district" in frame.columns else set()
        extra = LAST_DISTRICT_COLUMN.get(name)
        if extra and extra in frame.columns:
            places |= set(frame[extra].dropna())
        for place in sorted(places):
            out.append(
                {
                    "district": place,
                    "list": name,
                    "rows": int(in_district(frame, name, {place}).sum()),
                }
            )
    return pd.DataFrame(out, columns=["district", "list", "rows"])


def _child_profile_raw(la: str, child: str) -> dict[str, Any] | None:
    if not has_table("marts.dim_children"):
        return None
    frame = _query(
        "select * from marts.dim_children where la_code = $la and child = $child",
        {"la": la, "child": child},
    )
    return None if frame.empty else frame.iloc[0].to_dict()


def _child_visible(who: Principal, la: str, child: str) -> bool:
    """Whether the principal may see ``child`` of ``la``: an analyst any child of their
    LAs; a manager a child whose district is theirs on the date of the data, or who is on
    one of their districts' action lists (a child with no worker, last allocated there)."""
    if not who.can(Access.CHILD_LEVEL, la):
        return False
    allowed = who.districts_for(Access.CHILD_LEVEL, la)
    if allowed is None:
        return True
    if not allowed:
        return False
    profile = _child_profile_raw(la, child)
    if profile is not None and profile.get("district") in allowed:
        return True
    for name in ACTION_LISTS:
        frame = _action_list_raw(name, la)
        if frame is not None and "child" in frame.columns:
            mine = frame[in_district(frame, name, allowed)]
            if (mine["child"].astype(str) == child).any():
                return True
    return False


def _check_child(la: str, child: str, what: str) -> Principal:
    _child_level(what)
    who = _require(Access.CHILD_LEVEL, what=what)
    if not _child_visible(who, la, child):
        # The same words whether the child exists or not: no way to learn who does.
        raise deny(
            f"There is no child “{child}” you may see in LA {la}.", what=what, la=la, child=child
        )
    return who


def child_events(la: str, child: str) -> pd.DataFrame:
    """A child's events from ``marts.mart_child_timeline``, oldest first."""
    _check_child(la, child, "child_timeline")
    if not has_table("marts.mart_child_timeline"):
        frame = _empty(TIMELINE_COLUMNS)
    else:
        frame = _query(
            "select * from marts.mart_child_timeline where la_code = $la and child = $child "
            "order by start_date, event_type, event_ref",
            {"la": la, "child": child},
        )
    audit("view", what="child_timeline", la=la, child=child, rows=len(frame))
    return frame


def child_profile(la: str, child: str) -> dict[str, Any] | None:
    """The child's row of ``marts.dim_children`` (district, worker now…), or None."""
    _check_child(la, child, "child_profile")
    profile = _child_profile_raw(la, child)
    audit("view", what="child_profile", la=la, child=child, rows=int(profile is not None))
    return profile


def child_las(child: str) -> list[str]:
    """The LAs whose published data has a child with this id that the principal may see."""
    _child_level("child_las")
    who = principal()
    sources = [t for t in ("marts.dim_children", "marts.mart_child_timeline") if has_table(t)]
    if not sources:
        return []
    union = " union ".join(f"select la_code from {t} where child = $child" for t in sources)
    frame = _query(f"select distinct la_code from ({union}) order by la_code", {"child": child})
    return [str(la) for la in frame["la_code"] if _child_visible(who, str(la), child)]


def kpi_members(
    la: str,
    kpi_id: str | None = None,
    district: str | None = None,
    period_end: Any = None,
) -> pd.DataFrame:
    """Who is counted in the KPI values of ``la`` (``marts.kpi_members``): the principal's
    districts, or ``district``; of one KPI and period when given (child-level)."""
    what = "member_list"
    _child_level(what)
    who = _check_district(Access.CHILD_LEVEL, la, district, what=what)
    if not has_table("marts.kpi_members"):
        return pd.DataFrame()
    where, params = ["la_code = $la"], {"la": la}
    for column, value in (("kpi_id", kpi_id), ("district", district)):
        if value and value != LA_TOTAL:
            where.append(f"{column} = ${column}")
            params[column] = value
    if period_end is not None:
        where.append("period_end = $period_end")
        params["period_end"] = pd.Timestamp(period_end).date()
    frame = _query(
        f"select * from marts.kpi_members where {' and '.join(where)} "
        "order by kpi_id, period_type, period_end, district, breakdown, member_type, child, sw_id",
        params,
    )
    frame = _scoped(frame, what, la, who, Access.CHILD_LEVEL)
    audit("view", what=what, la=la, district=district, detail=kpi_id, rows=len(frame))
    return frame


def children(la: str) -> pd.DataFrame:
    """The children of ``la`` the principal may see (``marts.dim_children``: demographics,
    care history, district on the as-at date; child-level)."""
    what = "children"
    _child_level(what)
    who = _require(Access.CHILD_LEVEL, la, what=what)
    if not has_table("marts.dim_children"):
        return pd.DataFrame()
    frame = _query(
        "select * from marts.dim_children where la_code = $la order by child", {"la": la}
    )
    frame = _scoped(frame, what, la, who, Access.CHILD_LEVEL)
    audit("view", what=what, la=la, rows=len(frame))
    return frame


# ##### Data quality (the data-quality page and the banner; data engineers)
# ``status.duckdb`` is written beside the snapshot by the ingest step on every run, even
# when an extract is blocked and nothing is published (pipelines/lib/status.py), so it can
# be newer than the snapshot, and can exist without one. It is read like the snapshot: a
# read-only attach per file version, kept open while current, results cached per version.
# Its failing rows name children: each function needs ``Access.DATA_QUALITY`` and returns
# only the principal's LAs.

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
    _require(Access.DATA_QUALITY, what="status_info")
    info: dict[str, Any] = {"written_at": None, "run_id": None}
    if "status_info" in status_tables():
        frame = _status_query("select written_at, run_id from status_info limit 1")
        if not frame.empty:
            info["written_at"] = pd.Timestamp(frame["written_at"].iloc[0])
            info["run_id"] = frame["run_id"].iloc[0]
    return info


def _dq_scope(la: str | None, what: str) -> frozenset[str] | None:
    """The LAs a data-quality read covers: ``la`` if allowed, else every LA allowed."""
    if la is None:
        _only_memo_la(None, what)  # every LA of the principal: not inside a per-LA memo
    who = _require(Access.DATA_QUALITY, la, what=what)
    return who.las_for(Access.DATA_QUALITY) if la is None else frozenset({la})


def _only(frame: pd.DataFrame, las: frozenset[str] | None) -> pd.DataFrame:
    if las is None:
        return frame
    return frame[frame["la_code"].astype(str).isin(las)].reset_index(drop=True)


def extract_status(la: str | None = None) -> pd.DataFrame:
    """The newest extract of each LA (or of ``la``), source and year, and what happened to it."""
    allowed = _dq_scope(la, "extract_status")
    if "extract_status" not in status_tables():
        return _empty(EXTRACT_STATUS_COLUMNS)
    return _only(_status_query(_sql("extract_status"), {"la": la}), allowed)


def dq_issues(
    la: str | None = None,
    year: str | None = None,
    severity: str | None = None,
    rule: str | None = None,
    file: str | None = None,
) -> pd.DataFrame:
    """Failing rows of the latest check of each extract; ``None`` means "every" (every LA
    the principal may see). Child-level: audited."""
    what = "dq_rows"
    _child_level(what)
    allowed = _dq_scope(la, what)
    if "dq_issues" not in status_tables():
        return _empty(DQ_ISSUE_COLUMNS)
    params = {"la": la, "year": year, "severity": severity, "rule": rule, "file": file}
    frame = _only(_status_query(_sql("dq_issues"), params), allowed)
    audit(
        "view",
        what=what,
        la=la or LA_TOTAL,
        rows=len(frame),
        detail=", ".join(f"{k}={v}" for k, v in params.items() if v and k != "la") or None,
    )
    return frame


LANDING_PROBLEM_COLUMNS = [
    "la_code",
    "source",
    "collection_year",
    "path",
    "rule_code",
    "severity",
    "message",
    "seen_at",
]
VOLUME_COLUMNS = [
    "la_code",
    "source",
    "collection_year",
    "extract_date",
    "previous_extract_date",
    "table_name",
    "source_file",
    "rule_code",
    "severity",
    "column_name",
    "month",
    "previous_value",
    "current_value",
    "message",
    "is_served",
    "checked_at",
]


def landing_problems(la: str | None = None) -> pd.DataFrame:
    """What the latest scan found in the landing folder besides extracts: rejected (severity
    error) or listed, not read (warning), of ``la`` or every LA the principal may see. An
    entry outside any LA folder (no ``la_code``: its name may be anyone's) only when
    ``la`` is None and the principal's data-quality access covers every LA."""
    allowed = _dq_scope(la, "landing_problems")
    if "landing_problems" not in status_tables():
        return _empty(LANDING_PROBLEM_COLUMNS)
    frame = _status_query(
        f"select {', '.join(LANDING_PROBLEM_COLUMNS)} from landing_problems "
        "where ($la::varchar is null or la_code = $la) "
        "order by severity = 'warning', la_code nulls first, path",
        {"la": la},
    )
    if allowed is None:
        return frame
    return frame[frame["la_code"].astype("string").isin(allowed).fillna(False)].reset_index(
        drop=True
    )


def volume_checks(la: str | None = None, served_only: bool = False) -> pd.DataFrame:
    """Volume and distribution findings of the latest check of each extract, against the
    previous accepted extract; ``served_only``: of the extracts being served only (of
    ``la``, or every LA the principal may see the data quality of)."""
    allowed = _dq_scope(la, "volume_checks")
    if "volume_checks" not in status_tables():
        return _empty(VOLUME_COLUMNS)
    return _only(_volume_checks(la, served_only), allowed)


def _volume_checks(la: str | None, served_only: bool) -> pd.DataFrame:
    return _status_query(
        f"select {', '.join(VOLUME_COLUMNS)} from volume_checks "
        "where ($la::varchar is null or la_code = $la) and (not $served or is_served) "
        "order by severity, la_code, source, collection_year desc, extract_date desc, "
        "table_name, rule_code",
        {"la": la, "served": served_only},
    )


def volume_warnings(la: str) -> int:
    """How many volume findings the data in use of ``la`` has (aggregate: for the banner
    every role sees; the findings themselves, with their files and counts, are
    ``volume_checks``, for those who fix extracts)."""
    _require(Access.AGGREGATES, la, what="volume_warnings")
    if "volume_checks" not in status_tables():
        return 0
    return len(_volume_checks(la, True))


# The DfE's 903 rules on the newest extracts (submission readiness; pipelines/lib/dfe903_check.py):
# every validation's counts, the rules of the latest validation of each extract, and the rows
# they flagged in the extracts in use.
DFE_RUN_COLUMNS = [
    "la_code",
    "collection_year",
    "extract_date",
    "previous_extract_date",
    "in_year",
    "validator_version",
    "ruleset",
    "status",
    "rules_run",
    "rules_failed",
    "rules_known",
    "rules_not_run",
    "failing_rows",
    "children",
    "known_rows",
    "seconds",
    "message",
    "checked_at",
]
DFE_RULE_COLUMNS = [
    "la_code",
    "collection_year",
    "extract_date",
    "rule_code",
    "status",
    "tables",
    "rows",
    "children",
    "message",
    "reason",
]
DFE_ISSUE_COLUMNS = [
    "la_code",
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
]


def _dfe903(table: str, columns: list[str], la: str | None, year: str | None, tail: str):
    """Rows of a status table of the DfE check, for an LA and year (``None``: every LA the
    principal may see the data quality of, every year)."""
    allowed = _dq_scope(la, table)
    if table not in status_tables():
        return _empty(columns)
    frame = _status_query(
        f"select {', '.join(columns)} from {table} "
        "where ($la::varchar is null or la_code = $la) "
        "and ($year::varchar is null or collection_year = $year) " + tail,
        {"la": la, "year": year},
    )
    return _only(frame, allowed)


def dfe903_runs(la: str | None = None, year: str | None = None) -> pd.DataFrame:
    """The latest validation of each extract by the DfE's rules, oldest extract first."""
    return _dfe903(
        "dfe903_runs",
        DFE_RUN_COLUMNS,
        la,
        year,
        "qualify row_number() over (partition by la_code, collection_year, extract_date "
        "order by checked_at desc) = 1 order by la_code, extract_date, collection_year",
    )


def dfe903_rules(la: str | None = None, year: str | None = None) -> pd.DataFrame:
    """Failing, known-defect and not-run rules of the latest validation of each extract."""
    return _dfe903(
        "dfe903_rules",
        DFE_RULE_COLUMNS,
        la,
        year,
        "order by la_code, collection_year desc, extract_date desc, "
        "status = 'not_run', status = 'known', rows desc, rule_code",
    )


def dfe903_issues(la: str | None = None, year: str | None = None) -> pd.DataFrame:
    """The rows the DfE's rules flagged in the newest extract of each year, of ``la`` or
    every LA the principal may see the data quality of (they name children: audited)."""
    what = "dfe903_rows"
    _child_level(what)
    frame = _dfe903(
        "dfe903_issues",
        DFE_ISSUE_COLUMNS,
        la,
        year,
        "order by severity <> 'dfe', la_code, collection_year desc, rule_code, source_file, "
        "source_row",
    )
    audit("view", what=what, la=la or LA_TOTAL, rows=len(frame), detail=year and f"year={year}")
    return frame


def published_extracts() -> pd.DataFrame:
    """Newest supplied extract per LA, source and year in the published snapshot."""
    allowed = _dq_scope(None, "published_extracts")
    cols = ["la_code", "source", "collection_year", "extract_date", "loaded_at"]
    try:
        if not has_table("meta.extract_files"):
            return _empty(cols)
        return _only(_query(_sql("published_extracts")), allowed)
    except NoSnapshot:
        return _empty(cols)


def dq_las() -> list[str]:
    """LAs in the snapshot or in ``status.duckdb`` (an LA whose every extract was blocked
    is only in the latter) that the principal may see the data quality of."""
    allowed = _dq_scope(None, "dq_las")
    try:
        found = set(_snapshot_las())
    except NoSnapshot:
        found = set()
    if "extract_status" in status_tables():
        frame = _status_query(_sql("extract_status"), {"la": None})
        found.update(str(v) for v in frame["la_code"].dropna())
    return sorted(la for la in found if allowed is None or la in allowed)


# ##### The board: local authorities' names and the partners accountable for KPIs


@_per_version
def la_names() -> dict[str, str]:
    """{LA code: name} from ``reference.la_ons_codes`` (empty when not published). Public
    reference data (the ONS names of every English LA): read for any page, the sign-in
    and admin pages included, so it needs no access; shared: read-only."""
    if not has_table("reference.la_ons_codes"):
        return {}
    frame = _query("select la_code, la_name from reference.la_ons_codes")
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
    _require(Access.AGGREGATES, what="partners")
    if not has_table("reference.partners"):
        return _empty(PARTNER_COLUMNS)
    return _query("select * from reference.partners order by name")
