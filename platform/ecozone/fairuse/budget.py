"""Spending a client's budget: one upsert … RETURNING per request, on a fixed window row.

The row of (client, window start) is created by the window's first request and updated by
the others; the statement lets the request through only if its cost still fits, and answers
the budget in force (an operator's raise, else the kind's default) and what is spent. Every
worker and host writes the same row, so the budget is shared; nothing is kept in memory.

Where the rows live: on PostgreSQL in the database (``rate_limit_windows``), the statement sent
autocommitted on the request's own connection before its transaction begins (web/fair_use.py):
one round trip, no checkout of its own, and the row's lock held for the statement only. On
SQLite in a file of their own beside the database (``counters_path``): a write to the database
would cost every other connection its page cache.
"""

from __future__ import annotations

import asyncio
import fcntl
import functools
import ipaddress
import math
import os
import re
import sqlite3
import threading
import time
import urllib.parse
import weakref
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from ecozone.db.engine import WRITE_INTENT, write_turn
from ecozone.db.unavailable import DatabaseUnavailable
from ecozone.fairuse.models import RateLimitRaise, RateLimitWindow
from ecozone.settings import RateLimits

ANONYMOUS, USER, CLIENT = "anonymous", "user", "client"
# How many windows of counters are kept for `ecozone rate-limit show`; older rows are deleted
# by the first request of each window in each process.
KEPT_WINDOWS = 24

SPEND = text("""
WITH b AS MATERIALIZED (
    SELECT COALESCE((SELECT r.budget FROM rate_limit_raises r
                     WHERE r.client_key = CAST(:key AS VARCHAR)
                       AND (r.expires_at IS NULL OR r.expires_at > CAST(:now AS BIGINT))),
                    CAST(:default AS BIGINT)) AS budget)
INSERT INTO rate_limit_windows AS w (client_key, window_start, budget, spent, accepted, refused)
SELECT CAST(:key AS VARCHAR), CAST(:start AS BIGINT), b.budget,
       CASE WHEN CAST(:cost AS BIGINT) <= b.budget THEN CAST(:cost AS BIGINT) ELSE 0 END,
       CAST(:cost AS BIGINT) <= b.budget,
       CASE WHEN CAST(:cost AS BIGINT) <= b.budget THEN 0 ELSE 1 END
FROM b
WHERE true
ON CONFLICT (client_key, window_start) DO UPDATE SET
    budget = excluded.budget,
    accepted = w.spent + CAST(:cost AS BIGINT) <= excluded.budget,
    spent = CASE WHEN w.spent + CAST(:cost AS BIGINT) <= excluded.budget
                 THEN w.spent + CAST(:cost AS BIGINT) ELSE w.spent END,
    refused = w.refused + CASE WHEN w.spent + CAST(:cost AS BIGINT) <= excluded.budget
                               THEN 0 ELSE 1 END
RETURNING spent, budget, accepted""")
# The same statement for asyncpg, with positional parameters.
_ORDER = ("key", "start", "cost", "now", "default")
SPEND_ASYNCPG = re.sub(r":(key|start|cost|now|default)\b",
                       lambda m: f"${_ORDER.index(m.group(1)) + 1}", SPEND.text)


def counters_path(database: str) -> str:
    """SQLite: the file of the fair-use counters, beside the database (``<db>.fairuse.sqlite3``)."""
    return f"{database}.fairuse.sqlite3"


# The counters' file has a schema of its own, created by the first spend (PRAGMA user_version):
# 1, the windows; 2, also the operator's raises, mirrored from the database (``_mirror_raises``).
COUNTERS_SCHEMA_VERSION = 2
COUNTERS_SCHEMA = ("""
CREATE TABLE IF NOT EXISTS rate_limit_windows (
    client_key VARCHAR(200) NOT NULL,
    window_start BIGINT NOT NULL,
    budget BIGINT NOT NULL,
    spent BIGINT NOT NULL,
    accepted BOOLEAN NOT NULL,
    refused INTEGER NOT NULL,
    PRIMARY KEY (client_key, window_start)
)""", """
CREATE TABLE IF NOT EXISTS rate_limit_raises (
    client_key VARCHAR(200) NOT NULL PRIMARY KEY,
    budget BIGINT NOT NULL,
    expires_at BIGINT
)""")
# In the counters' file: the windows and the mirror of the raises are both its own (main). The
# raises were read from the database attached read-only; that read cost a request ~0.1 ms (a read
# transaction on the database's file, beside the request's own connection: bench/fair_use.py,
# 2026-12-03), and the raises change only when an operator runs `ecozone rate-limit raise`.
SPEND_SQLITE = (SPEND.text.replace("INSERT INTO rate_limit_windows", "INSERT INTO main.rate_limit_windows")
                .replace("FROM rate_limit_raises", "FROM main.rate_limit_raises"))
# Spends between two checkpoints of the counters' WAL, run in the thread, never on the event loop.
CHECKPOINT_EVERY = 500


def _open_counters(database: str) -> sqlite3.Connection:
    """The counters' file (created and given its schema if new), its mirror of the raises made
    anew from the database's (a file lost or older than the database heals here)."""
    path = counters_path(database)
    connection = sqlite3.connect(f"file:{urllib.parse.quote(path)}", uri=True, isolation_level=None,
                                 check_same_thread=False)
    try:
        for pragma in ("busy_timeout=10000", "journal_mode=WAL", "synchronous=NORMAL",
                       "wal_autocheckpoint=0"):
            connection.execute(f"PRAGMA {pragma}")
        _mirror_raises(connection, database)
    except BaseException:
        connection.close()
        raise
    return connection


def _mirror_raises(connection: sqlite3.Connection, database: str) -> None:
    """The database's raises copied into the counters' file, in one transaction that holds the
    file's write lock while it reads them: whoever mirrors last read the latest raise committed
    (a process opening the counters while `ecozone rate-limit raise` commits cannot put back an
    older copy after the command's own)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        if connection.execute("PRAGMA user_version").fetchone()[0] < COUNTERS_SCHEMA_VERSION:
            for statement in COUNTERS_SCHEMA:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version={COUNTERS_SCHEMA_VERSION}")
        source = sqlite3.connect(f"file:{urllib.parse.quote(database)}?mode=ro", uri=True)
        try:
            raises = source.execute("SELECT client_key, budget, expires_at FROM rate_limit_raises").fetchall()
        finally:
            source.close()
        connection.execute("DELETE FROM main.rate_limit_raises")
        connection.executemany("INSERT INTO main.rate_limit_raises (client_key, budget, expires_at) "
                               "VALUES (?, ?, ?)", raises)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def mirror_raises(url: str) -> None:
    """After an operator's raise has committed (``ecozone rate-limit raise``): on an SQLite file
    database, the counters' file gets the raises at once, for every process's next spend. Nothing
    to do elsewhere: PostgreSQL's spend reads the raises where they are written."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" \
            or database.startswith("file:"):
        return
    lock = os.open(f"{counters_path(database)}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the processes' turn at the counters (_SQLiteSpender)
        _open_counters(database).close()
    finally:
        os.close(lock)  # releases the flock


class _SQLiteSpender:
    """The spend on SQLite, in a file of its own beside the database (``counters_path``).

    Every write to a SQLite database makes the other connections drop their page cache at their
    next transaction; counters written by every request, in the database itself, cost each
    request's reads their cache. In their own file, the counters' writes leave the database's
    connections (and its write turn, ``db/engine.py``) alone. One connection per process (the
    stdlib driver); the processes take turns with an ``flock`` on ``<counters>.lock``. A spend
    runs on the event loop when the turn is free at once (``_spend_now``: the statement takes
    ~25 µs, a trip to a thread and back ~100–150 µs, bench/fair_use.py), else it waits for
    the turn in a thread, as the first spend (opening the file) does. The counters' WAL is
    checkpointed in that thread every ``CHECKPOINT_EVERY`` spends (passive: it never waits
    for a reader)."""

    def __init__(self, database: str):
        self.database = database
        self.connection: sqlite3.Connection | None = None  # opened by the first spend
        # Opened by the first spend too: the app must start (and answer /healthz, /readyz 503)
        # while the database's folder is missing or unwritable.
        self.fd: int | None = None
        self.lock = threading.Lock()
        self.spends = 0
        self._finalizer: weakref.finalize | None = None

    async def spend(self, params: dict, sweep_before: int | None) -> tuple:
        self.spends += 1
        checkpoint = not self.spends % CHECKPOINT_EVERY
        if not checkpoint and self.connection is not None:
            row = self._spend_now(params, sweep_before)
            if row is not None:
                return row
        return await asyncio.to_thread(self.run, params, sweep_before, checkpoint=checkpoint)

    def _spend_now(self, params: dict, sweep_before: int | None) -> tuple | None:
        """The spend on the event loop, when nobody holds the counters: the statement takes tens
        of microseconds, a trip to a thread and back several times that. None when this process's
        thread or another process has the counters' turn: the caller waits for it in a thread."""
        if not self.lock.acquire(blocking=False):
            return None
        try:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return None
            try:
                return self._spend(params, sweep_before)
            finally:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.lock.release()

    def _lock_file(self) -> int:
        if self.fd is None:
            try:
                self.fd = os.open(f"{counters_path(self.database)}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as error:  # the database's folder is gone or read-only: an outage
                raise DatabaseUnavailable(f"cannot open the rate-limit counters: {error}") from error
            self._finalizer = weakref.finalize(self, os.close, self.fd)
        return self.fd

    def run(self, params: dict, sweep_before: int | None, checkpoint: bool = False) -> tuple:
        with self.lock:
            fcntl.flock(self._lock_file(), fcntl.LOCK_EX)
            try:
                row = self._spend(params, sweep_before)
            finally:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            if checkpoint:
                self.connection.execute("PRAGMA main.wal_checkpoint(PASSIVE)")
        return row

    def _spend(self, params: dict, sweep_before: int | None) -> tuple:
        """One autocommitted statement (its own implicit transaction); the sweep another."""
        if self.connection is None:
            self.connection = _open_counters(self.database)
            if self._finalizer is not None:
                self._finalizer.detach()
            self._finalizer = weakref.finalize(self, _close, self.connection, self.fd)
        row = self.connection.execute(SPEND_SQLITE, params).fetchone()
        if sweep_before is not None:
            self.connection.execute("DELETE FROM main.rate_limit_windows WHERE window_start < ?",
                                    (sweep_before,))
        return row


def _close(connection: sqlite3.Connection, fd: int) -> None:
    connection.close()
    os.close(fd)


@dataclass(frozen=True)
class Client:
    """Whose budget a request spends: ``key`` is what the counters and the CLI name."""

    kind: str  # ANONYMOUS, USER or CLIENT
    key: str

    def budget(self, limits: RateLimits) -> int:
        return {ANONYMOUS: limits.anonymous, USER: limits.user, CLIENT: limits.client}[self.kind]


@functools.lru_cache(maxsize=4096)  # parsing an address costs more than the rest of the bookkeeping
def address_client(host: str | None) -> Client:
    """An anonymous caller by network address; IPv6 by its /64 (one host holds a whole /64)."""
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:
        return Client(ANONYMOUS, f"ip:{host or 'unknown'}")
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return Client(ANONYMOUS, f"ip:{address.ipv4_mapped}")
        return Client(ANONYMOUS, f"ip:{ipaddress.ip_network(f'{address}/64', strict=False)}")
    return Client(ANONYMOUS, f"ip:{address}")


def user_client(subject: str, external: bool = False) -> Client:
    """A signed-in user, by the token's verified subject (the username; ``sub:`` for tokens of
    the external identity provider)."""
    return Client(USER, f"{'sub' if external else 'user'}:{subject}")


def registered_client(key: str) -> Client:
    """A partner's registered client (the trusted-documents issue gives each its key)."""
    return Client(CLIENT, f"client:{key}")


@dataclass(frozen=True)
class Spend:
    """The outcome of one request's spend, and what its headers say."""

    client: Client
    cost: int
    limit: int
    used: int
    accepted: bool
    now: float
    reset: int  # Unix seconds: the end of the window

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.reset - self.now))


class Budgets:
    """Spends budgets on ``engine``; ``clock`` (Unix seconds) is replaceable for tests."""

    def __init__(self, engine: AsyncEngine, limits: RateLimits, clock=time.time):
        self.engine, self.limits, self.clock = engine, limits, clock
        self.sqlite = engine.dialect.name == "sqlite"
        self._swept: int | None = None  # the window this process last deleted old rows in
        database = engine.url.database if self.sqlite else None
        self._sqlite = (_SQLiteSpender(database) if database and database != ":memory:"
                        and not database.startswith("file:") else None)
        # Only for an SQLite database in memory (tests of other things): the counters in the
        # database itself, BEGIN IMMEDIATE in the write turn (db/engine.py).
        self._bind = (engine.execution_options(**{WRITE_INTENT: True}) if self.sqlite
                      else engine.execution_options(isolation_level="AUTOCOMMIT"))

    def window(self, now: float) -> int:
        size = self.limits.window_seconds
        return int(now) - int(now) % size

    async def spend(self, client: Client, cost: int, connection: AsyncConnection | None = None) -> Spend:
        """Spend ``cost`` of ``client``'s budget if it fits: one statement, committed at once,
        before the request runs (the request's own transaction never holds the counter's row).

        PostgreSQL: on ``connection`` (the request's, checked out but not in a transaction yet)
        if given, else on a connection of the pool's."""
        now = self.clock()
        start = self.window(now)
        params = {"key": client.key, "start": start, "cost": cost, "now": int(now),
                  "default": client.budget(self.limits)}
        sweep = start - KEPT_WINDOWS * self.limits.window_seconds if self._swept != start else None
        self._swept = start
        if self._sqlite is not None:
            spent, limit, accepted = await self._sqlite.spend(params, sweep)
        elif not self.sqlite:
            if connection is None:
                async with self.engine.connect() as own:
                    spent, limit, accepted = await self._spend_postgresql(own, params, sweep)
            else:
                spent, limit, accepted = await self._spend_postgresql(connection, params, sweep)
        else:
            spent, limit, accepted = await self._spend_sqlalchemy(params, sweep)
        return Spend(client=client, cost=cost, limit=int(limit), used=int(spent),
                     accepted=bool(accepted), now=now, reset=start + self.limits.window_seconds)

    @staticmethod
    async def _spend_postgresql(connection: AsyncConnection, params: dict, sweep: int | None) -> tuple:
        """On the driver's connection outside any transaction: the statement commits by itself,
        one round trip, prepared once per connection (asyncpg's statement cache)."""
        # checked out already: the driver's connection is at hand, without get_raw_connection's
        # hop through a greenlet (a fifth of the spend's CPU, bench/fair_use.py's spend alone)
        raw = connection.sync_connection.connection.driver_connection
        row = await raw.fetchrow(SPEND_ASYNCPG, *(params[name] for name in _ORDER))
        if sweep is not None:
            await raw.execute("DELETE FROM rate_limit_windows WHERE window_start < $1", sweep)
        return row["spent"], row["budget"], row["accepted"]

    async def _spend_sqlalchemy(self, params: dict, sweep: int | None) -> tuple:
        async with write_turn(self.engine, self.sqlite):
            async with self._bind.connect() as connection:
                row = (await connection.execute(SPEND, params)).one()
                if sweep is not None:
                    await connection.execute(delete(RateLimitWindow).where(
                        RateLimitWindow.window_start < sweep))
                if self.sqlite:
                    await connection.commit()
        return row.spent, row.budget, row.accepted


async def raise_budget(session: AsyncSession, client_key: str, budget: int, *,
                       expires_at: int | None, reason: str) -> tuple[dict | None, dict]:
    """Set ``client_key``'s budget (operator); answers (before, after) for the audit row."""
    row = await session.get(RateLimitRaise, client_key)
    before = None if row is None else {"budget": row.budget, "expiresAt": row.expires_at,
                                       "reason": row.reason}
    if row is None:
        row = RateLimitRaise(client_key=client_key, budget=budget, expires_at=expires_at, reason=reason)
        session.add(row)
    else:
        row.budget, row.expires_at, row.reason = budget, expires_at, reason
    await session.flush()
    return before, {"budget": budget, "expiresAt": expires_at, "reason": reason}


async def windows_of(session: AsyncSession, client_key: str) -> list[RateLimitWindow]:
    """The client's kept windows, latest first (SQLite: from the counters' file, if any)."""
    from sqlalchemy import select
    database = session.bind.url.database if session.bind.dialect.name == "sqlite" else None
    if database and database != ":memory:" and not database.startswith("file:"):
        if not os.path.exists(counters_path(database)):
            return []
        rows = await asyncio.to_thread(_read_windows, database, client_key)
        return [RateLimitWindow(client_key=r[0], window_start=r[1], budget=r[2], spent=r[3],
                                accepted=bool(r[4]), refused=r[5]) for r in rows]
    rows = await session.scalars(select(RateLimitWindow).where(
        RateLimitWindow.client_key == bindparam("key", client_key))
        .order_by(RateLimitWindow.window_start.desc()))
    return list(rows)


def _read_windows(database: str, client_key: str) -> list[tuple]:
    connection = sqlite3.connect(f"file:{urllib.parse.quote(counters_path(database))}?mode=ro", uri=True)
    try:
        return connection.execute(
            "SELECT client_key, window_start, budget, spent, accepted, refused FROM rate_limit_windows "
            "WHERE client_key = ? ORDER BY window_start DESC", (client_key,)).fetchall()
    finally:
        connection.close()
