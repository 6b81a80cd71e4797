"""Anonymous public reads: answered from a per-worker cache, or run on the read replica (issue 20).

What may be cached: an anonymous (no ``Authorization``) request of one query — not a batch,
no mutation — whose document is registered (a trusted document by ``documentId``, or the exact
text of one), that selects no field answering per client (``rateLimit``), and whose answer
came back 200 without ``errors`` and without a denial for the audit log (a denial must be
written every time it happens). Signed-in answers are never cached, nor looked up.

The key: (document id, operation name, variables as canonical JSON, the ``X-Zone`` header,
China's date, the data version). The data version
(``db/data_version.py``) grows with every committed write of data, so an answer stored under
an older version is never found again; China's date is in the key because answers say what
stands "today" (a consultation open until its deadline, an officer serving today). Anything
finer than a day is bounded by ``max_age`` (``ECOZONE_RESPONSE_CACHE_SECONDS``, 60). Memory is
bounded by ``max_bytes`` (``ECOZONE_RESPONSE_CACHE_BYTES``, 64 MiB per worker; 0 turns the
cache off), least recently used first; a version change drops every entry at once.

Freshness: before looking up, the worker reads the current version (PostgreSQL: one statement
on the primary, on the request's fair-use connection; SQLite: a local read). A write that has
committed is therefore never hidden by the cache, on any worker or host.

Fair use: a cached answer costs what the same request costs uncached — its estimate, spent
before the lookup. A client cannot tell a cached answer from another, its budget does not
depend on what other clients asked before it, and a budget is a limit on what may be read per
hour, not only on the server's work.

HTTP: a cached answer's ``ETag`` is the hash of its bytes, computed once when it was stored:
an ``If-None-Match`` hit is answered 304 without running anything.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import DocumentNode, FieldNode, visit
from graphql.language import Visitor
from prometheus_client import Counter
from starlette.requests import Request

from ecozone.audit.service import DEFERRED
from ecozone.consultation import service as consultation_service
from ecozone.db.data_version import DataVersions, VersionListener
from ecozone.db.replica import READS, Replica, ReplicaBehind
from ecozone.db.unavailable import DatabaseUnavailable, database_unavailable
from ecozone.observability import REGISTRY
from ecozone.trusted.rules import document_id
from ecozone.web.graphql_request import JSONResponse
from ecozone.web.http_cache import etag_for

# Fields whose answer is the asking client's, not the data's.
PER_CLIENT_FIELDS = frozenset({"rateLimit"})
ENTRY_OVERHEAD = 300  # bytes a cached entry costs beyond its body (key, tag, bookkeeping)
LOOKUPS = Counter("ecozone_response_cache_total", "Anonymous cacheable reads by outcome",
                  ["outcome"], registry=REGISTRY)


@dataclass(frozen=True)
class Entry:
    body: bytes
    etag: str
    version: int
    stored_at: float

    @property
    def size(self) -> int:
        return len(self.body) + ENTRY_OVERHEAD

    def answer(self) -> dict[str, Any]:
        """The answer as the executor gave it (a portal page reads it as data)."""
        return orjson.loads(self.body)


class _Rendered(JSONResponse):
    def render(self, content: Any) -> bytes:
        return content


def cached_response(body: bytes, media_type: str) -> JSONResponse:
    """A /graphql answer of bytes rendered already (and stored) by the response cache."""
    return _Rendered(body, media_type=media_type)


class ResponseCache:
    """Answers' bytes by key, least recently used first out, at most ``max_bytes`` in all."""

    def __init__(self, max_bytes: int, max_age: float, clock=time.monotonic):
        self.max_bytes, self.max_age, self.clock = max_bytes, max_age, clock
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if self.clock() - entry.stored_at >= self.max_age:
            self._remove(key)
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: tuple, body: bytes, version: int) -> Entry | None:
        entry = Entry(body, etag_for(body), version, self.clock())
        if entry.size > self.max_bytes // 8:  # one huge answer must not empty the cache
            return None
        if key in self._entries:
            self._remove(key)
        self._entries[key] = entry
        self.bytes += entry.size
        while self.bytes > self.max_bytes:
            self._remove(next(iter(self._entries)))
        return entry

    def clear(self) -> None:
        self._entries.clear()
        self.bytes = 0

    def _remove(self, key: tuple) -> None:
        self.bytes -= self._entries.pop(key).size


def selects_per_client_field(document: DocumentNode) -> bool:
    found = False

    class Finder(Visitor):
        def enter_field(self, node: FieldNode, *_args):
            nonlocal found
            if node.name.value in PER_CLIENT_FIELDS:
                found = True
                return Visitor.BREAK
            return None

    visit(document, Finder())
    return found


def canonical_variables(variables: dict[str, Any] | None) -> bytes:
    return orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)


class PublicRead:
    """One anonymous query request's way through the cache and the replica."""

    def __init__(self, reads: PublicReads, key: tuple | None, version: int | None):
        self.reads, self.key, self.version = reads, key, version
        self.hit: Entry | None = None
        self.denied = False  # the read deferred audit rows: never cached

    @property
    def replica(self) -> Replica | None:
        return self.reads.replica if self.version is not None else None

    async def run(self, execute: Callable[[Any, Any], Awaitable[Any]]) -> Any:
        """``execute(engine, hooks)``: on the standby when it is up and caught up, else on the
        primary (engine None: the request's own connection)."""
        replica = self.replica
        if replica is not None and replica.available:
            try:
                return await execute(replica.engine, _StandbyHooks(self, replica))
            except ReplicaBehind:
                pass
            except (DatabaseUnavailable, OSError) as exc:
                replica.mark_down(exc)
            except Exception as exc:
                if not database_unavailable(exc):
                    raise
                replica.mark_down(exc)
        return await execute(None, _PrimaryHooks(self))

    def store(self, body: bytes, status: int, failed: bool) -> Entry | None:
        if self.key is None or self.denied or failed or status != 200:
            return None
        return self.reads.cache.put(self.key, body, self.version)

    def store_answer(self, answer: dict[str, Any]) -> None:
        """A portal page's answer: the bytes ``/graphql`` would have sent (orjson, as it renders)."""
        if self.key is not None and not self.denied and "errors" not in answer:
            self.reads.cache.put(self.key, orjson.dumps(answer), self.version)


class _PrimaryHooks:
    def __init__(self, read: PublicRead):
        self.read = read

    async def connected(self, session) -> None:
        if self.read.reads.replica is not None:
            READS.labels(server="primary").inc()

    def executed(self, session) -> None:
        self.read.denied = bool(session.info.get(DEFERRED))


class _StandbyHooks(_PrimaryHooks):
    def __init__(self, read: PublicRead, replica: Replica):
        super().__init__(read)
        self.replica = replica

    async def connected(self, session) -> None:
        await self.replica.check_caught_up(session, self.read.version)


class PublicReads:
    """The response cache and the read replica of one worker (``GraphQLHTTP.public_reads``)."""

    def __init__(self, state: Any, trusted: Any):
        settings = state.settings
        self.trusted = trusted
        self.cache = ResponseCache(settings.response_cache_bytes, settings.response_cache_seconds)
        self.replica = Replica.from_url(settings.database_replica_url,
                                        random_page_cost=settings.postgresql_random_page_cost)
        self.versions = DataVersions(state.engine)
        self.versions.on_change(lambda _version: self.cache.clear())
        self.listener: VersionListener | None = None
        if state.engine.dialect.name == "postgresql" and self.caching:
            from ecozone.db.listener import asyncpg_dsn
            self.listener = VersionListener(asyncpg_dsn(state.engine.url), self.versions)
        self._per_client: dict[str, bool] = {}  # document id -> selects a per-client field
        if self.replica is not None:
            from ecozone.web import metrics
            metrics.count_statements(self.replica.engine)

    @property
    def caching(self) -> bool:
        return self.cache.max_bytes > 0

    async def start(self) -> None:
        if self.listener is not None:
            await self.listener.start()

    async def stop(self) -> None:
        if self.listener is not None:
            await self.listener.stop()
        if self.replica is not None:
            await self.replica.dispose()
        self.versions.close()

    async def plan(self, request: Request, prepared: list[Any], *, batch: bool, signed_in: bool,
                   connection: Any) -> PublicRead | None:
        """None for a request that is neither cached nor sent to the replica (signed in, a
        mutation, or nothing configured); else its read, ``hit`` set when the cache has it."""
        if signed_in or any(p.is_mutation for p in prepared) or not (self.caching or self.replica):
            return None
        key_base = await self._key_base(request, prepared, batch) if self.caching else None
        if key_base is None and self.replica is None:
            return None
        version = await self.versions.current(connection)
        if key_base is None:
            return PublicRead(self, None, version)
        read = PublicRead(self, (*key_base, version), version)
        read.hit = self.cache.get(read.key)
        LOOKUPS.labels(outcome="hit" if read.hit is not None else "miss").inc()
        return read

    async def _key_base(self, request: Request, prepared: list[Any], batch: bool) -> tuple | None:
        if batch or len(prepared) != 1:
            return None
        params = prepared[0].params
        key = params.document_id or document_id(params.query)
        if params.document_id is None and not await self.trusted.is_registered(params.query):
            return None
        per_client = self._per_client.get(key)
        if per_client is None:
            per_client = self._per_client[key] = selects_per_client_field(prepared[0].document)
        if per_client:
            return None
        # The media type is not in the key: the bytes of a cacheable answer (200, no errors) are
        # the same for application/json and application/graphql-response+json.
        return (key, params.operation_name, canonical_variables(params.variables),
                request.headers.get("x-zone") or "", consultation_service.today().isoformat())
