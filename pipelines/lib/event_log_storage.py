"""Dagster's SQLite event log, without rebuilding a database engine for every statement.

Every Dagster event of a run is written to the SQLite event log in ``$DAGSTER_HOME``: the
run's own database, and for asset and check events the index database as well. Dagster's
``SqliteEventLogStorage`` creates a new SQLAlchemy engine for every one of those writes,
and another for every schema question it asks on the way ("has the asset-checks table
been migrated?", asked again for every event), and building a SQLite engine costs about
as much as the write itself several times over. A Hampshire refresh stores about 1,200
events (the dbt step alone: 73 materialisations and 250 check results, each with its step
output, and as many "planned" events before the run starts): 31.5 s of one 94 s run went
to storing them, about 10 s with this class (docs/performance.md).

:class:`CscSqliteEventLogStorage` is the same storage, the same files and the same
schema; it differs in three things only:

- one engine per database file, kept (for the most recently used files), instead of one
  per statement. Connections are still opened for each write and closed after it
  (``NullPool``, as Dagster does), so the webserver, the daemon and run processes share
  the files exactly as before;
- the answer to "does table X exist?" is remembered once it is yes (tables are only ever
  added, by ``dagster instance migrate``, which starts from a new storage object);
- a batch of events (Dagster hands one when ``DAGSTER_EVENT_BATCH_SIZE`` is set, as the
  Makefile does: the ~400 events it plans before a run starts) is stored in one
  transaction per database file, not two or three per event.

It is named in ``dagster.yaml`` (``event_log_storage``); the run and schedule storages
stay Dagster's defaults. ``base_dir`` defaults to where Dagster's default storage keeps
the event logs: ``<the instance's folder>/history/runs``.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from dagster._config import Field, StringSource
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

#: Engines kept: the index database and the run databases written or read lately (a
#: webserver reads many runs; an engine without pooled connections holds no file open).
MAX_ENGINES = 16


def instance_base_dir(instance_root: str) -> str:
    """Where Dagster's default SQLite storage keeps an instance's event logs."""
    return os.path.join(instance_root, "history", "runs")


class CscSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's run-sharded SQLite event log storage with its engines kept (module docstring).

    Without a ``base_dir``, the folder is the instance's own (``<instance>/history/runs``),
    known once the instance registers itself: an instance built from a dagster.yaml in any
    folder (``DagsterInstance.from_config(folder)``) keeps its events in that folder.
    """

    def __init__(self, base_dir: str | None = None, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._tables_present: set[str] = set()
        self._batch = threading.local()  # the connections of a store_event_batch in progress
        self._inst_data = inst_data
        if base_dir is not None:
            super().__init__(base_dir, inst_data=inst_data)
        # else: SqliteEventLogStorage.__init__ runs in register_instance, given the folder

    def register_instance(self, instance) -> None:
        if not hasattr(self, "_base_dir"):
            super().__init__(instance_base_dir(instance.root_directory), inst_data=self._inst_data)
        super().register_instance(instance)

    @classmethod
    def config_type(cls):
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(  # ty: ignore[invalid-method-override]
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> CscSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        """The engine of ``shard``'s database file (called under ``self._db_lock``)."""
        engine = self._engines.get(shard)
        if engine is None:
            engine = create_engine(
                self.conn_string_for_shard(shard),
                poolclass=NullPool,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
            )
            self._engines[shard] = engine
            while len(self._engines) > MAX_ENGINES:
                self._engines.popitem(last=False)[1].dispose()
        else:
            self._engines.move_to_end(shard)
        return engine

    def _ready_engine(self, shard: str) -> Engine:
        """The shard's engine, its database created if this process has not yet (under the lock)."""
        engine = self._engine(shard)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        # As SqliteEventLogStorage._connect, with the shard's engine kept; within
        # store_event_batch, the batch's own connection to the shard (one transaction).
        batch = getattr(self._batch, "connections", None)
        if batch is not None:
            conn = batch.get(shard)
            if conn is None:
                with self._db_lock:
                    engine = self._ready_engine(shard)
                conn = batch[shard] = engine.connect()
                conn.begin()
            yield conn
            return
        with self._db_lock:
            engine = self._ready_engine(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        """Store ``events`` as ``store_event`` stores each, in one transaction per database
        file instead of two or three per event.

        Dagster hands a batch only when ``DAGSTER_EVENT_BATCH_SIZE`` is set (the Makefile
        sets it): the events it plans at the start of a run (one per asset and per check,
        about 400 on Hampshire). If a statement of the batch fails, nothing of it is kept
        and Dagster stores its events one by one instead.
        """
        connections: dict[str, Connection] = {}
        self._batch.connections = connections
        try:
            for event in events:
                self.store_event(event)
            for conn in connections.values():
                conn.commit()
        finally:
            self._batch.connections = None
            for conn in connections.values():
                conn.close()  # rolls back what was not committed

    def has_table(self, table_name: str) -> bool:
        if table_name in self._tables_present:
            return True
        present = super().has_table(table_name)
        if present:
            self._tables_present.add(table_name)
        return present

    def wipe(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()
        super().wipe()
