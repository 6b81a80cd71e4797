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
import functools
import ipaddress
import math
import os
import time
from dataclasses import dataclass

from sqlalchemy import bindparam, delete
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from ecozone.db.engine import WRITE_INTENT, write_turn
from ecozone.fairuse.models import RateLimitRaise, RateLimitWindow
from ecozone.fairuse.sqlite_counters import SQLiteSpender, counters_path, read_windows
from ecozone.fairuse.statement import ASYNCPG_ORDER, SPEND, SPEND_ASYNCPG
from ecozone.settings import RateLimits

ANONYMOUS, USER, CLIENT = "anonymous", "user", "client"
# How many windows of counters are kept for `ecozone rate-limit show`; older rows are deleted
# by the first request of each window in each process.
KEPT_WINDOWS = 24


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
        self._sqlite = (SQLiteSpender(database) if database and database != ":memory:"
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
        row = await raw.fetchrow(SPEND_ASYNCPG, *(params[name] for name in ASYNCPG_ORDER))
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
        rows = await asyncio.to_thread(read_windows, database, client_key)
        return [RateLimitWindow(client_key=r[0], window_start=r[1], budget=r[2], spent=r[3],
                                accepted=bool(r[4]), refused=r[5]) for r in rows]
    rows = await session.scalars(select(RateLimitWindow).where(
        RateLimitWindow.client_key == bindparam("key", client_key))
        .order_by(RateLimitWindow.window_start.desc()))
    return list(rows)
