"""The data version: a number that grows with every committed write of data (issue 20).

One row, ``data_versions.version`` (migration 0021). Every transaction that wrote data bumps
it just before its COMMIT, on its own connection, so the bump commits with the write or not at
all: a rolled-back write never counts, and once a write has committed its bump is visible to
every later reader. The response cache (``web/response_cache.py``) keys anonymous answers by
the version, and the read replica (``db/replica.py``) is trusted only when it has replayed the
version the primary has.

How "wrote data" is seen: engine events on every SQLAlchemy engine of the process (sessions,
Core connections, the demo's bulk loads, the CLI). An INSERT, UPDATE or DELETE of a table marks
its connection; COMMIT of a marked connection sends the bump first. Tables no public answer
reads are left out (``NOT_DATA``): fair use's counters, the audit log (read only by a zone's
director; an answer that denied something is never cached), idempotency keys and the
workspace's browser sessions. Without them, a crawler's every request would clear the cache.

On PostgreSQL the bump also sends ``NOTIFY ecozone_data_version, '<version>'`` in the same
transaction, delivered to every worker's listener when (and only if) it commits
(:class:`VersionListener`): workers drop the answers of older versions at once. The reader's
guarantee does not rest on the notification's timing, though: see :class:`DataVersions`.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Integer, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base
from ecozone.db.listener import ChannelListener

log = logging.getLogger("ecozone.data_version")

CHANNEL = "ecozone_data_version"
# Tables whose rows no anonymous answer shows: writing them is not a change of data.
NOT_DATA = frozenset({
    "data_versions", "rate_limit_windows", "rate_limit_raises", "audit_log", "audit_chain_heads",
    "idempotency_keys", "web_sessions", "sign_in_failures", "alembic_version",
})
# connection.info key: this transaction wrote data (set by a statement, cleared at its end).
_WROTE = "ecozone_wrote_data"
_DML = re.compile(r'\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)

BUMP_POSTGRESQL = ("WITH bumped AS (UPDATE data_versions SET version = version + 1 WHERE id = 1 "
                   "RETURNING version) SELECT pg_notify('" + CHANNEL + "', version::text) FROM bumped")
BUMP_SQLITE = "UPDATE data_versions SET version = version + 1 WHERE id = 1"
READ = text("SELECT version FROM data_versions WHERE id = 1")


class DataVersion(Base):
    """The one row counting committed writes of data."""

    __tablename__ = "data_versions"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)


def written_table(statement: str, context: Any) -> str | None:
    """The table an INSERT, UPDATE or DELETE writes; None for anything else."""
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        table = getattr(getattr(context.compiled, "statement", None), "table", None)
        name = getattr(table, "name", None)
        if isinstance(name, str):
            return name
    if statement[:1].isspace() or statement[:6].upper() in {"INSERT", "UPDATE", "DELETE"}:
        found = _DML.match(statement)
        return found.group(1).lower() if found else None
    return None


# Per sync engine: whether its database has the table (a migration's engine may not, yet).
_HAS_TABLE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _has_table(connection) -> bool:
    engine = connection.engine
    known = _HAS_TABLE.get(engine)
    if known is None:
        probe = ("SELECT to_regclass('data_versions') IS NOT NULL" if connection.dialect.name == "postgresql"
                 else "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'data_versions'")
        known = bool(connection.exec_driver_sql(probe).scalar())
        if known:  # a table once there stays; absent, it is asked again by the next engine
            _HAS_TABLE[engine] = True
    return known


@event.listens_for(Engine, "before_cursor_execute")
def _mark_data_write(connection, _cursor, statement, _parameters, context, _executemany) -> None:
    table = written_table(statement, context)
    if table is not None and table not in NOT_DATA:
        connection.info[_WROTE] = True


@event.listens_for(Engine, "begin")
def _forget_on_begin(connection) -> None:
    connection.info.pop(_WROTE, None)


@event.listens_for(Engine, "rollback")
def _forget_on_rollback(connection) -> None:
    if connection.invalidated:  # a dead connection's rollback: its info is gone with it
        return
    connection.info.pop(_WROTE, None)


@event.listens_for(Engine, "commit")
def _bump_before_commit(connection) -> None:
    """Called just before COMMIT is sent: the bump rides in the committing transaction."""
    if not connection.info.pop(_WROTE, False) or not _has_table(connection):
        return
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(BUMP_POSTGRESQL)
    else:
        connection.exec_driver_sql(BUMP_SQLITE)


def sqlite_path(engine: AsyncEngine) -> str | None:
    database = engine.url.database
    return database if engine.dialect.name == "sqlite" and database and database != ":memory:" else None


async def read_outside_transaction(connection: AsyncConnection) -> int:
    """PostgreSQL: the version in one round trip on the driver's connection, outside any
    transaction (as fair use spends): no BEGIN, no COMMIT, nothing held."""
    raw = (await connection.get_raw_connection()).driver_connection
    return int(await raw.fetchval(READ.text) or 0)


class DataVersions:
    """What a worker asks before it serves or stores a public answer: the current version.

    PostgreSQL: one ``SELECT`` on the primary, on the request's connection when it has one
    (fair use's), before the request runs. A notification alone would leave a window: the
    writer's client may send its next request to another worker before that worker's event
    loop has read the notification from its listener's socket; the read closes it (writer
    commits → the writer answers → the next request reads the row: it sees the bump).

    SQLite: the row read on a dedicated read-only connection of the worker, in the event loop
    (a local page read, microseconds; the write happened through another connection, so each
    read is its own transaction and sees the last commit).
    """

    def __init__(self, engine: AsyncEngine):
        self.engine = engine
        self.latest = 0  # the highest version this worker has seen (read or notified)
        self._on_change: list[Callable[[int], None]] = []
        self._sqlite: sqlite3.Connection | None = None
        self._path = sqlite_path(engine)

    def on_change(self, callback: Callable[[int], None]) -> None:
        self._on_change.append(callback)

    def saw(self, version: int) -> None:
        if version > self.latest:
            self.latest = version
            for callback in self._on_change:
                callback(version)

    async def current(self, connection: AsyncConnection | None = None) -> int:
        if self._path is not None:
            version = self._read_sqlite()
        elif connection is not None:
            version = await read_outside_transaction(connection)
        else:
            async with self.engine.connect() as own:
                version = await read_outside_transaction(own)
        version = int(version or 0)
        if version < self.latest:
            # The database went back (a restore, done outside the app): what this worker
            # keeps of the newer timeline must go. (Two reads crossing a write may also land
            # here: an entry or two dropped for nothing, never a stale one served.)
            self.latest = -1
        self.saw(version)
        return version

    def _read_sqlite(self) -> int:
        if self._sqlite is None:
            self._sqlite = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, isolation_level=None,
                                           check_same_thread=False)
        try:
            row = self._sqlite.execute("SELECT version FROM data_versions WHERE id = 1").fetchone()
        except sqlite3.Error:
            self.close()
            raise
        return int(row[0]) if row else 0

    def close(self) -> None:
        if self._sqlite is not None:
            with contextlib.suppress(sqlite3.Error):
                self._sqlite.close()
            self._sqlite = None


class VersionListener:
    """PostgreSQL: each worker LISTENs for bumps on one connection of its own (the app's role)
    and tells ``versions``; reconnects with back-off when the connection drops (db/listener.py)."""

    def __init__(self, dsn: str, versions: DataVersions, *, health_check_seconds: float = 30.0):
        self.versions = versions
        self.channel = ChannelListener(dsn, CHANNEL, self._on_notification, name="data-version-listener",
                                       on_connected=self._catch_up, health_check_seconds=health_check_seconds)
        self.listening = self.channel.listening

    async def start(self, timeout: float = 10.0) -> None:
        await self.channel.start(timeout)

    async def stop(self) -> None:
        await self.channel.stop()

    async def _catch_up(self, connection: Any) -> None:
        """Bumps sent while this worker was not listening: the current version, read once."""
        self.versions.saw(int(await connection.fetchval(READ.text) or 0))

    def _on_notification(self, raw: str) -> None:
        try:
            self.versions.saw(int(raw))
        except ValueError:
            log.warning("ignoring a malformed data version: %r", raw[:100])
