"""Engines and sessions for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import asyncio
import fcntl
import os
import select
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.util import await_only
from sqlalchemy.ext.asyncio import (AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker,
                                    create_async_engine)

from ecozone.db.scoping import Scope, ScopedSession
from ecozone.settings import DEFAULT_RANDOM_PAGE_COST

# Execution option that makes SQLite take the write lock at BEGIN: a deferred transaction
# that reads first and writes later fails with SQLITE_BUSY when another writer got in between.
WRITE_INTENT = "ecozone_write_intent"
# session.info key: a session opened for reading only (audit rows it produces wait, see
# audit.service.record).
READ_ONLY = "read_only"


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the driver, emit BEGIN, so SAVEPOINTs work (SQLAlchemy docs,
        # "Serializable isolation / Savepoints / Transactional DDL" for pysqlite/aiosqlite).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection) -> None:
        write = connection.get_execution_options().get(WRITE_INTENT, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


# Planner settings of the app's PostgreSQL connections, sent in the startup packet (no round
# trip). random_page_cost: PostgreSQL's default (4) prices every index lookup as a read from a
# spinning disk, so a page of standards' versions, zones, ballots and comment counts checked
# "seen with its standard" (Standard.visible_id: a lookup by primary key per row) was planned as
# a scan of every standard hashed instead, four times per page: 1.1 (DEFAULT_RANDOM_PAGE_COST),
# the usual figure for data in memory or on SSD, lets the planner pick the lookups (anonymous Q3:
# PostgreSQL's execution 4.4 -> 1.7 ms). Plans only: answers are the same. The operator sets it
# (ECOZONE_POSTGRESQL_RANDOM_PAGE_COST); None sends nothing: a setting sent at connection start
# wins over ALTER ROLE / ALTER DATABASE, so only then does PostgreSQL's own setting apply.
def postgresql_server_settings(url: str, *,
                               random_page_cost: float | None = DEFAULT_RANDOM_PAGE_COST) -> dict:
    """asyncpg's ``server_settings`` (the only PostgreSQL driver that takes them so); a
    ``random_page_cost`` of None is not sent, so PostgreSQL's own setting applies."""
    if "+asyncpg" not in url.split("://", 1)[0]:
        return {}
    return {"server_settings": {} if random_page_cost is None else {"random_page_cost": str(random_page_cost)}}


# A pooled connection older than this is replaced when it is next checked out: no round trip,
# and a connection that a firewall or the server's idle timeout dropped silently ages out.
POOL_RECYCLE_SECONDS = 1800


def _replace_closed_connections(engine: AsyncEngine) -> None:
    """Replace, at checkout, a pooled connection the server has closed, without a round trip.

    ``pool_pre_ping`` sent ``BEGIN; ; ROLLBACK`` at every checkout (three round trips of a
    request's eleven, bench/RESULTS.md). asyncpg learns from its socket that the server closed
    a connection (a restart, ``pg_terminate_backend``) as soon as the event loop runs, and the
    socket's hang-up tells before that, so asking costs no round trip; a closed one makes the
    pool try a fresh connection
    (``DisconnectionError``, SQLAlchemy's "custom pessimistic" disconnect handling). One that
    died unnoticed fails its first statement: the session retries it once (``_RetryingSession``),
    and SQLAlchemy invalidates the pool's older connections, which are then replaced at checkout
    (its "optimistic" handling).
    """
    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection, _record, _proxy) -> None:
        if _server_closed(getattr(dbapi_connection, "driver_connection", None)):
            raise sa_exc.DisconnectionError("the server closed this pooled connection")


_HANG_UP = select.POLLHUP | select.POLLERR | getattr(select, "POLLRDHUP", 0)


def _server_closed(driver_connection) -> bool:
    """asyncpg's own flag, or, if the event loop has not run since, the socket's hang-up
    (``poll`` with no wait: a system call, no round trip, nothing read)."""
    is_closed = getattr(driver_connection, "is_closed", None)
    if is_closed is None:
        return False
    if is_closed():
        return True
    transport = getattr(driver_connection, "_transport", None)
    sock = transport.get_extra_info("socket") if transport is not None else None
    if sock is None:
        return False
    poller = select.poll()
    poller.register(sock.fileno(), select.POLLIN | _HANG_UP)
    return any(events & _HANG_UP for _, events in poller.poll(0))


def create_engine(url: str, *, echo: bool = False, pool_size: int = 10,
                  random_page_cost: float | None = DEFAULT_RANDOM_PAGE_COST) -> AsyncEngine:
    """``random_page_cost``: of the PostgreSQL connections (``postgresql_server_settings``; None: the
    server's), the settings' ``postgresql_random_page_cost``."""
    # JSON columns (zone settings, catalog indicators, minutes) are read far more often than
    # written: orjson parses them several times faster than the standard library.
    if url.startswith("sqlite"):
        engine = create_async_engine(url, echo=echo, json_deserializer=orjson.loads)
        _configure_sqlite(engine)
        return engine
    # Last in, first out: a request gets the connection given back last, whose server process
    # is awake and warm in the CPU's caches; first in, first out woke the pool's least recently
    # used process each time (a page of experts 2.9 -> 2.5 ms, bench/fair_use.py probe). The
    # connections the load no longer needs then stay idle and age out (pool_recycle).
    engine = create_async_engine(url, echo=echo, pool_size=pool_size, max_overflow=pool_size,
                                 pool_recycle=POOL_RECYCLE_SECONDS, json_deserializer=orjson.loads,
                                 pool_use_lifo=True,
                                 connect_args=postgresql_server_settings(url, random_page_cost=random_page_cost))
    _replace_closed_connections(engine)
    return engine


# session.info keys of _RetryingSession: it checked out its own connection; it has one.
_OWN_CHECKOUT = "ecozone_own_checkout"
_CONNECTED = "ecozone_connected"
# session.info key of _RequestSession: its statements still running (their fields were cancelled).
_IN_FLIGHT = "ecozone_in_flight"
# session.info key of _RetryingSession: its BEGIN not yet sent (an asyncio.Lock for the fields).
_UNPROVEN = "ecozone_unproven"


def _begin_now(connection) -> None:
    """Send the transaction's BEGIN now (asyncpg's adapter sends it with the first statement).

    Run in the session's greenlet (``run_sync``): a dead connection fails here as a statement
    would, through SQLAlchemy's handling, which invalidates it (``connection_invalidated``)."""
    adapted = connection.connection.dbapi_connection
    start = getattr(adapted, "_start_transaction", None)
    if start is None or getattr(adapted, "_transaction", True) is not None:
        return  # not asyncpg's adapter, or BEGIN already sent (the signed-in set_config)
    try:
        await_only(start())
    except Exception as error:
        connection._handle_dbapi_exception(error, "BEGIN", (), None, None)


class _RetryingSession(AsyncSession):
    """A session whose first connection, if it proves dead at its first statement, is given up
    and taken again, once, from the pool: nothing had run on it. Later failures are the
    database being away (a 503, db/unavailable.py).

    On PostgreSQL the first statement is the transaction's BEGIN, signed in or not (asyncpg's
    adapter sends it with the first query). ``connection()`` meets it when the session's scope
    sends its ``set_config`` there (``after_begin``); otherwise ``prove()``, awaited by every
    statement of a request's session, sends it just before the first one (``_begin_now``) and
    retries it: the round trip is the one the first query would have made, and a request that
    sends no statement sends no BEGIN either. The session checked out its own connection
    (``_OWN_CHECKOUT``); one lent by its owner (fair use's, web/fair_use.py) is the owner's to
    prove."""

    async def connection(self, *args, **kwargs) -> AsyncConnection:
        first = not self.info.get(_CONNECTED)
        own = self.info.get(_OWN_CHECKOUT)
        try:
            connection = await super().connection(*args, **kwargs)
        except sa_exc.DBAPIError as error:
            if not (first and error.connection_invalidated and own):
                raise
            await self.rollback()  # of the dead connection's transaction: nothing had run
            connection = await super().connection(*args, **kwargs)
        if first and own and connection.dialect.name == "postgresql":
            self.info[_UNPROVEN] = asyncio.Lock()
        self.info[_CONNECTED] = True
        return connection

    async def prove(self) -> None:
        """Before the session's first statement: its BEGIN, on a fresh connection if the
        pooled one proves dead (once). Concurrent fields wait for it here."""
        lock = self.info.get(_UNPROVEN)
        if lock is None:
            return
        async with lock:
            if self.info.get(_UNPROVEN) is not lock:
                return  # another field's statement proved it meanwhile
            try:
                connection = await AsyncSession.connection(self)
                try:
                    await connection.run_sync(_begin_now)
                except sa_exc.DBAPIError as error:
                    if not error.connection_invalidated:
                        raise
                    await AsyncSession.rollback(self)  # nothing had run on the dead one
                    connection = await AsyncSession.connection(self)
                    await connection.run_sync(_begin_now)
            finally:
                self.info.pop(_UNPROVEN, None)


class _RequestSession(_RetryingSession):
    """A request's session whose statements a cancelled field cannot interrupt.

    Fields of one request run concurrently and share this session (the driver's adapter takes
    them in turn). When a non-null field fails on one item of a list, graphql-core cancels its
    siblings (``gather_with_cancel``); a sibling cancelled in the middle of a statement left the
    connection invalid (``PendingRollbackError`` at commit) or, on SQLite, its thread still
    running the statement while the next one waited for it: the request never answered. Each
    statement is shielded, so it completes (or fails) whole, and the cancellation reaches the
    field only after it."""

    def _shielded(self, statement):
        task = asyncio.ensure_future(statement)
        in_flight = self.info.setdefault(_IN_FLIGHT, set())
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
        return asyncio.shield(task)

    async def settle(self) -> None:
        """Wait for statements whose fields were cancelled: the transaction ends after them."""
        in_flight = self.info.get(_IN_FLIGHT)
        if in_flight:
            await asyncio.gather(*list(in_flight), return_exceptions=True)

    async def execute(self, *args, **kwargs):
        await self._proven()
        return await self._shielded(super().execute(*args, **kwargs))

    async def scalar(self, *args, **kwargs):
        await self._proven()
        return await self._shielded(super().scalar(*args, **kwargs))

    async def scalars(self, *args, **kwargs):
        await self._proven()
        return await self._shielded(super().scalars(*args, **kwargs))

    async def get(self, *args, **kwargs):
        await self._proven()
        return await self._shielded(super().get(*args, **kwargs))

    async def flush(self, *args, **kwargs):
        await self._proven()
        return await self._shielded(super().flush(*args, **kwargs))

    async def _proven(self) -> None:
        if self.info.get(_UNPROVEN) is not None:  # the first statement's BEGIN, shielded as they are
            await self._shielded(self.prove())

    async def commit(self) -> None:
        await self.settle()
        await super().commit()

    async def rollback(self) -> None:
        await self.settle()
        await super().rollback()


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=ScopedSession,
                              autoflush=True)


def new_session(engine: AsyncEngine, scope: Scope, *, write: bool = False,
                connection: AsyncConnection | None = None) -> AsyncSession:
    """A session of ``engine``; on ``connection`` (of that engine, not in a transaction: PostgreSQL,
    where the write intent means nothing) if given: its transaction begins and ends with the
    session, the connection stays its owner's."""
    if connection is not None:
        bind = connection
    else:
        bind = engine.execution_options(**{WRITE_INTENT: True}) if write else engine
    session = _RequestSession(bind=bind, expire_on_commit=False, sync_session_class=ScopedSession)
    session.info["scope"] = scope
    session.info[_OWN_CHECKOUT] = connection is None
    session.info[READ_ONLY] = not write
    return session


@asynccontextmanager
async def transaction(engine: AsyncEngine, scope: Scope, *, write: bool = True
                      ) -> AsyncIterator[AsyncSession]:
    """One unit of work: commits when the block ends normally, rolls back otherwise."""
    async with new_session(engine, scope, write=write) as session:
        async with session.begin():
            yield session


class _WriteTurn:
    """A process's queue for SQLite's one writer, and its place among the processes.

    In the process, an asyncio lock (first come, first served). Across the processes (the
    workers of ``ecozone serve``), an exclusive ``flock`` on a file beside the database, taken
    in a thread: the kernel wakes a waiting process when the lock is released, where SQLite's
    busy handler would poll in growing sleeps and let the releasing process win again.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, lock_path: str | None):
        self.loop = loop
        self.lock = asyncio.Lock()
        self.fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600) if lock_path else None
        if self.fd is not None:
            weakref.finalize(self, os.close, self.fd)

    async def acquire_file(self) -> None:
        if self.fd is None:
            return
        taking = asyncio.ensure_future(asyncio.to_thread(fcntl.flock, self.fd, fcntl.LOCK_EX))
        try:
            await asyncio.shield(taking)
        except asyncio.CancelledError:  # the thread still takes the lock: give it back then
            taking.add_done_callback(lambda done: None if done.exception() else self.release_file())
            raise

    def release_file(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)


# Per SQLite engine, its write turn (made in the event loop that uses it): see write_turn.
_WRITE_TURNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@asynccontextmanager
async def write_turn(engine: AsyncEngine, write: bool) -> AsyncIterator[None]:
    """On SQLite, write transactions wait their turn in order, in the process and across the
    processes (``_WriteTurn``), before BEGIN IMMEDIATE.

    SQLite has one writer. Left to its busy handler, waiting writers poll in growing sleeps
    (1, 2, 5 … 100 ms) and the unlucky one waits far longer than the rest: M1's p99 was 30×
    its p50 (bench/RESULTS.md). PostgreSQL, with row locks and many writers, needs no turn.
    """
    if not write or engine.dialect.name != "sqlite":
        yield
        return
    loop = asyncio.get_running_loop()
    turn = _WRITE_TURNS.get(engine.sync_engine)
    if turn is None or turn.loop is not loop:  # an asyncio lock belongs to the loop that made it
        database = engine.url.database
        lock_path = f"{database}.write-lock" if database and database != ":memory:" else None
        turn = _WRITE_TURNS[engine.sync_engine] = _WriteTurn(loop, lock_path)
    async with turn.lock:
        await turn.acquire_file()
        try:
            yield
        finally:
            turn.release_file()
