"""A PostgreSQL hot standby for anonymous reads (issue 20): ``ECOZONE_DATABASE_REPLICA_URL``.

Which requests may read the standby: anonymous queries only (no ``Authorization``, no mutation
in the request; ``web/response_cache.py`` decides). Everything signed in, every mutation, the
deferred audit rows of a read, fair use's counters and the notifications (LISTEN/NOTIFY) stay
on the primary: a standby accepts no writes and sends no notifications.

How stale a standby answer may be — not at all, in writes the primary had committed when the
request began. Before a public read, the worker reads the primary's data version
(``db/data_version.py``: one row bumped by every writing transaction). The standby's
transaction first reads the same row, replayed: if it is behind, the standby has not replayed
a write that had committed before this request began, and the request runs on the primary
instead (``ReplicaBehind``). Replay is monotonic, so every later statement of the standby's
transaction sees at least that version. Lag therefore never shows; it only moves reads back to
the primary, and a standby that stays behind (``max_standby_streaming_delay``, a long replay
conflict) simply stops taking reads until it catches up.

A standby that cannot be reached (refused, reset, a timeout of ``CONNECT_TIMEOUT`` seconds)
is left alone for ``RETRY_SECONDS`` and its reads go to the primary; then the next read tries
again. ``ecozone_replica_reads_total{server=…}`` counts where public reads ran, as seen by the
connection that ran them (``pg_is_in_recovery()``).
"""

from __future__ import annotations

import logging
import time

from prometheus_client import Counter
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from ecozone.db.engine import postgresql_server_settings
from ecozone.observability import REGISTRY
from ecozone.settings import DEFAULT_RANDOM_PAGE_COST, SettingsInvalid

log = logging.getLogger("ecozone.replica")

CONNECT_TIMEOUT = 2.0
RETRY_SECONDS = 5.0
READS = Counter("ecozone_replica_reads_total", "Anonymous reads by the server that answered them",
                ["server"], registry=REGISTRY)
FALLBACKS = Counter("ecozone_replica_fallbacks_total", "Anonymous reads sent back to the primary",
                    ["reason"], registry=REGISTRY)
# One statement at the start of a standby's transaction: how far it has replayed, and proof
# that it is a standby (a misconfigured URL naming the primary is still correct, just counted).
CAUGHT_UP = text("SELECT version, pg_is_in_recovery() AS standby FROM data_versions WHERE id = 1")


class ReplicaBehind(Exception):
    """The standby has not replayed the version the primary had when the request began."""


def create_replica_engine(url: str, *, pool_size: int = 10,
                          random_page_cost: float | None = DEFAULT_RANDOM_PAGE_COST) -> AsyncEngine:
    """The standby's engine: no pre-ping (a dropped connection fails the read, which then runs on
    the primary), a short connect timeout, every transaction read-only, and the primary's
    planner settings (db/engine.py: the anonymous reads it takes are the ones they speed up)."""
    import orjson

    return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=600,
                               json_deserializer=orjson.loads,
                               connect_args={"timeout": CONNECT_TIMEOUT,
                                             **postgresql_server_settings(url, random_page_cost=random_page_cost)},
                               execution_options={"postgresql_readonly": True})


class Replica:
    """The standby of one worker: its engine, whether it is worth trying, and the check that
    makes its answer as fresh as the primary's."""

    def __init__(self, engine: AsyncEngine, clock=time.monotonic):
        self.engine = engine
        self.clock = clock
        self._down_until = 0.0

    @classmethod
    def from_url(cls, url: str | None, *,
                 random_page_cost: float | None = DEFAULT_RANDOM_PAGE_COST) -> Replica | None:
        if not url:
            return None
        if not url.startswith("postgresql"):
            # the URL itself is not repeated: it may hold a password
            raise SettingsInvalid(
                "ECOZONE_DATABASE_REPLICA_URL",
                "ECOZONE_DATABASE_REPLICA_URL must be a PostgreSQL URL (postgresql+asyncpg://…, a hot standby "
                "of the primary); leave it unset to read from the primary only",
                "ECOZONE_DATABASE_REPLICA_URL 必须是 PostgreSQL 地址（postgresql+asyncpg://…，主库的热备库）；"
                "不设置则只从主库读取")
        return cls(create_replica_engine(url, random_page_cost=random_page_cost))

    @property
    def available(self) -> bool:
        return self.clock() >= self._down_until

    def mark_down(self, reason: BaseException) -> None:
        if self.available:
            log.warning("read replica unavailable (%s); reads go to the primary for %.0f s",
                        reason.__class__.__name__, RETRY_SECONDS)
        self._down_until = self.clock() + RETRY_SECONDS
        FALLBACKS.labels(reason="unavailable").inc()

    async def check_caught_up(self, session: AsyncSession, required_version: int) -> None:
        """In the read's own transaction on the standby: refuse it if replay is behind."""
        row = (await session.execute(CAUGHT_UP)).one()
        if int(row.version) < required_version:
            FALLBACKS.labels(reason="behind").inc()
            raise ReplicaBehind(f"standby at data version {row.version}, primary at {required_version}")
        READS.labels(server="standby" if row.standby else "primary").inc()

    async def dispose(self) -> None:
        await self.engine.dispose()
