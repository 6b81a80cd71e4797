"""Spending a client's budget: one upsert … RETURNING per request, on a fixed window row.

The row of (client, window start) is created by the window's first request and updated by
the others; the statement lets the request through only if its cost still fits, and answers
the budget in force (an operator's raise, else the kind's default) and what is spent. Every
worker and host writes the same row, so the budget is shared; nothing is kept in memory.
"""

from __future__ import annotations

import ipaddress
import math
import time
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from ecozone.db.engine import WRITE_INTENT, write_turn
from ecozone.fairuse.models import RateLimitRaise, RateLimitWindow
from ecozone.settings import RateLimits

ANONYMOUS, USER, CLIENT = "anonymous", "user", "client"
# How many windows of counters are kept for `ecozone rate-limit show`; older rows are deleted
# by the first request of each window in each process.
KEPT_WINDOWS = 24

SPEND = text("""
INSERT INTO rate_limit_windows AS w (client_key, window_start, budget, spent, accepted, refused)
SELECT CAST(:key AS VARCHAR), CAST(:start AS BIGINT), b.budget,
       CASE WHEN CAST(:cost AS BIGINT) <= b.budget THEN CAST(:cost AS BIGINT) ELSE 0 END,
       CAST(:cost AS BIGINT) <= b.budget,
       CASE WHEN CAST(:cost AS BIGINT) <= b.budget THEN 0 ELSE 1 END
FROM (SELECT COALESCE((SELECT r.budget FROM rate_limit_raises r
                       WHERE r.client_key = CAST(:key AS VARCHAR)
                         AND (r.expires_at IS NULL OR r.expires_at > CAST(:now AS BIGINT))),
                      CAST(:default AS BIGINT)) AS budget) AS b
WHERE true
ON CONFLICT (client_key, window_start) DO UPDATE SET
    budget = excluded.budget,
    accepted = w.spent + CAST(:cost AS BIGINT) <= excluded.budget,
    spent = CASE WHEN w.spent + CAST(:cost AS BIGINT) <= excluded.budget
                 THEN w.spent + CAST(:cost AS BIGINT) ELSE w.spent END,
    refused = w.refused + CASE WHEN w.spent + CAST(:cost AS BIGINT) <= excluded.budget
                               THEN 0 ELSE 1 END
RETURNING spent, budget, accepted""")


@dataclass(frozen=True)
class Client:
    """Whose budget a request spends: ``key`` is what the counters and the CLI name."""

    kind: str  # ANONYMOUS, USER or CLIENT
    key: str

    def budget(self, limits: RateLimits) -> int:
        return {ANONYMOUS: limits.anonymous, USER: limits.user, CLIENT: limits.client}[self.kind]


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
        # PostgreSQL: the statement commits by itself (no BEGIN/COMMIT round trips). SQLite:
        # BEGIN IMMEDIATE in the write turn (db/engine.py), one short transaction.
        self._bind = (engine.execution_options(**{WRITE_INTENT: True}) if self.sqlite
                      else engine.execution_options(isolation_level="AUTOCOMMIT"))

    def window(self, now: float) -> int:
        size = self.limits.window_seconds
        return int(now) - int(now) % size

    async def spend(self, client: Client, cost: int) -> Spend:
        """Spend ``cost`` of ``client``'s budget if it fits: one statement, committed at once,
        before the request runs (the request's own transaction never holds the counter's row)."""
        now = self.clock()
        start = self.window(now)
        params = {"key": client.key, "start": start, "cost": cost, "now": int(now),
                  "default": client.budget(self.limits)}
        async with write_turn(self.engine, self.sqlite):
            async with self._bind.connect() as connection:
                row = (await connection.execute(SPEND, params)).one()
                if self._swept != start:
                    self._swept = start
                    await connection.execute(delete(RateLimitWindow).where(
                        RateLimitWindow.window_start < start - KEPT_WINDOWS * self.limits.window_seconds))
                if self.sqlite:
                    await connection.commit()
        return Spend(client=client, cost=cost, limit=int(row.budget), used=int(row.spent),
                     accepted=bool(row.accepted), now=now, reset=start + self.limits.window_seconds)


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
    """The client's kept windows, latest first."""
    from sqlalchemy import select
    rows = await session.scalars(select(RateLimitWindow).where(
        RateLimitWindow.client_key == bindparam("key", client_key))
        .order_by(RateLimitWindow.window_start.desc()))
    return list(rows)
