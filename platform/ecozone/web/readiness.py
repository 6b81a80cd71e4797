"""``GET /readyz``: may a load balancer send this worker requests?

Ready when the database answers and its migrations are at the code's head (the revisions in
``alembic_version`` are exactly the heads of ``migrations/``), or ahead of it (a revision this
code does not know: a newer release migrated, this worker awaits its restart); 503 otherwise
(no answer, no migrations, or behind: run ``ecozone db upgrade``), saying which.
``/healthz`` only says the process is alive: a database restart must not get every worker
killed by its supervisor, only taken out of the balancer's rotation until it is back.

The answer is cached for ``ttl`` seconds and probes arriving together share one query, so a
balancer probing every worker every second costs the database one small query per worker.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger("ecozone")


def _scripts():
    from alembic.script import ScriptDirectory

    from ecozone.settings import PROJECT_ROOT
    return ScriptDirectory(str(PROJECT_ROOT / "migrations"))


def code_heads() -> frozenset[str]:
    return frozenset(_scripts().get_heads())


def code_revisions() -> frozenset[str]:
    return frozenset(script.revision for script in _scripts().walk_revisions())


@dataclass(frozen=True)
class ReadinessReport:
    ready: bool
    body: dict

    @property
    def status_code(self) -> int:
        return 200 if self.ready else 503


class Readiness:
    def __init__(self, engine: AsyncEngine, *, ttl: float = 2.0, timeout: float = 3.0):
        self.engine = engine
        self.ttl = ttl
        self.timeout = timeout
        self._heads: frozenset[str] | None = None
        self._known: frozenset[str] | None = None
        self._cached: tuple[float, ReadinessReport] | None = None
        self._lock: asyncio.Lock | None = None

    @property
    def heads(self) -> frozenset[str]:
        if self._heads is None:
            self._heads = code_heads()
        return self._heads

    async def report(self) -> ReadinessReport:
        cached = self._cached
        if cached is not None and time.monotonic() - cached[0] < self.ttl:
            return cached[1]
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            cached = self._cached
            if cached is not None and time.monotonic() - cached[0] < self.ttl:
                return cached[1]
            report = await self._check()
            self._cached = (time.monotonic(), report)
            return report

    async def _database_revisions(self) -> set[str]:
        async with self.engine.connect() as connection:
            rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
            return set(rows.scalars())

    async def _check(self) -> ReadinessReport:
        heads = sorted(self.heads)
        try:
            current = await asyncio.wait_for(self._database_revisions(), self.timeout)
        except TimeoutError:
            log.warning("readiness: the database did not answer within %s s", self.timeout)
            return ReadinessReport(False, {"status": "unavailable", "database": "timeout",
                                           "migrations": {"head": heads}})
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready", with a reason
            message = str(getattr(exc, "orig", None) or exc).strip().splitlines()[:1]
            missing = any(word in (message[0] if message else "") for word in
                          ("alembic_version", "permission denied"))
            log.warning("readiness: %s", message[0] if message else type(exc).__name__)
            if missing:  # the database answers, but has no (readable) migration record
                return ReadinessReport(False, {
                    "status": "unavailable", "database": "ok",
                    "migrations": {"current": None, "head": heads, "atHead": False,
                                   "hint": "run `ecozone db upgrade`"}})
            return ReadinessReport(False, {"status": "unavailable", "database": "unreachable",
                                           "migrations": {"head": heads}})
        at_head = current == set(heads)
        if self._known is None:
            self._known = code_revisions()
        # Migrated by a newer release (a revision this code has never heard of): during a
        # rolling upgrade the workers still on the old code keep serving until restarted.
        ahead = bool(current) and not at_head and bool(current - self._known)
        body = {"status": "ready" if at_head or ahead else "unavailable", "database": "ok",
                "migrations": {"current": sorted(current), "head": heads, "atHead": at_head}}
        if ahead:
            body["migrations"]["databaseAhead"] = True
        elif not at_head:
            body["migrations"]["hint"] = "run `ecozone db upgrade`"
        return ReadinessReport(at_head or ahead, body)
