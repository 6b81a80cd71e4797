"""Ingest of trace records: one code path for the GraphQL mutation, the NDJSON endpoint and the CLI.

The promise (README, Traceability platform): a request **keeps its valid records and reports
the rest**, line by line, in one transaction. Each record is identified by its enterprise and
its own ``id``: a record sent again unchanged is counted ``unchanged`` and adds nothing; the
same ``id`` with different content is refused (records are facts, never edited in place).

Records are checked in chunks of :data:`CHUNK` and stored with one statement per table per
chunk (trace/store.py: ``COPY`` on PostgreSQL). A chunk is stored by a task while the next one
is checked, so the database's work overlaps Python's; the session's connection still runs one
statement at a time: the next store, and any other read of the ingest (an enterprise or catalog
version not yet seen), first waits for the task (:meth:`Ingest.settle`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.catalogs import rules as catalog_rules
from ecozone.catalogs import service as catalogs
from ecozone.catalogs.models import CatalogVersion
from ecozone.db.base import utcnow
from ecozone.errors import DomainError, FieldError
from ecozone.tenancy.models import Zone
from ecozone.trace import rules
from ecozone.trace.models import (
    Enterprise,
    EnterpriseMember,
    TraceRecordKey,
)
from ecozone.trace.store import record_row, store_keys, store_links, store_records

CHUNK = 2000
_UNREAD = object()
MAX_REPORTED = 1000
PUBLIC_FILE = Path(__file__).parent / "data" / "public_indicators.json"


@dataclass
class LineError:
    line: int
    record_key: str | None
    errors: list[FieldError]


@dataclass
class IngestReport:
    accepted: int = 0
    unchanged: int = 0
    rejected_count: int = 0
    rejected: list[LineError] = field(default_factory=list)

    def reject(self, line: int, record_key: Any, errors: list[FieldError]) -> None:
        self.rejected_count += 1
        if len(self.rejected) < MAX_REPORTED:
            key = record_key if isinstance(record_key, str) and len(record_key) <= 100 else None
            self.rejected.append(LineError(line, key, errors))

    def as_json(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "unchanged": self.unchanged, "rejectedCount": self.rejected_count,
                "rejected": [{"line": e.line, "id": e.record_key, "errors": [
                    {"field": f.field, "code": f.code, "message": f.message_en, "messageZh": f.message_zh}
                    for f in e.errors]} for e in self.rejected]}


@lru_cache(maxsize=1)
def _public_lists() -> dict[str, frozenset[str]]:
    data = json.loads(PUBLIC_FILE.read_text(encoding="utf-8"))
    return {k: frozenset(v) for k, v in data.items() if not k.startswith("_")}


def public_indicator_codes(version: CatalogVersion) -> frozenset[str]:
    """The catalog's public indicators: those the version marks ``"public": true``, and those
    the platform's list names for the category (data/public_indicators.json)."""
    marked = {ind["code"] for ind in version.indicators if ind.get("public") is True}
    return frozenset(marked) | _public_lists().get(version.category, frozenset())


@lru_cache(maxsize=256)
def _stage_validator(version_id: int, stage: str, indicators_json: str) -> catalog_rules.RecordValidator:
    # Published versions never change; the validator is the catalog's, compiled once per stage.
    return catalog_rules.RecordValidator(rules.stage_indicators(json.loads(indicators_json), stage))


@dataclass(frozen=True, slots=True)
class _Owner:
    """What the ingest needs of an enterprise, read once per request (not ORM attributes per record)."""

    id: int
    zone_id: int
    producer_code: str


@dataclass
class _Version:
    id: int
    public: frozenset[str]
    indicators_json: str
    codes: frozenset[str]
    validators: dict[str, catalog_rules.RecordValidator] = field(default_factory=dict)

    def validator(self, stage: str) -> catalog_rules.RecordValidator:
        found = self.validators.get(stage)
        if found is None:
            found = self.validators[stage] = _stage_validator(self.id, stage, self.indicators_json)
        return found


@dataclass(slots=True)
class _Pending:
    line: int
    env: rules.Envelope
    owner: _Owner
    version: _Version
    content_hash: str


def _derived_fields(env: rules.Envelope, version: _Version) -> list[FieldError]:
    """trace_code and batch_no follow from the code: filled in when absent, refused when they lie."""
    if rules.EVENT_TYPES[env.event_type][0] != "origin":
        return []
    errors = []
    for key, value in (("trace_code", env.code), ("batch_no", env.code[18:22])):
        if key not in version.codes:
            continue
        given = env.data.get(key)
        if given is None:
            env.data[key] = value
        elif given != value:
            errors.append(FieldError(f"data.{key}", "mismatch", f"{key} {given!r} is not the code's {value!r}",
                                     f"{key}“{given}”与追溯码中的“{value}”不一致"))
    return errors


class Ingest:
    """One request's ingest: its caches (enterprises, catalog versions) and its pending chunk."""

    def __init__(self, session: AsyncSession, actor: Actor, progress: Callable[[int, IngestReport], None] | None = None):
        self.session, self.actor, self.progress = session, actor, progress
        self.lines_read = 0
        self.now = utcnow()
        self.report = IngestReport()
        self.pending: list[_Pending] = []
        self.enterprises: dict[str, _Owner | None] = {}
        self.versions: dict[tuple[str, int | None], _Version | FieldError] = {}
        self.seen: dict[tuple[int, str], str] = {}
        self.members: frozenset[int] = frozenset()
        self.zone_code = ""
        self.storing: asyncio.Task | None = None  # the previous chunk's store, running

    async def settle(self) -> None:
        """Wait for the chunk being stored (its error raised here): the connection is free."""
        if self.storing is not None:
            try:  # shielded: a cancelled request leaves the statement whole, for abandon() to wait for
                await asyncio.shield(self.storing)
            finally:
                if self.storing.done():
                    self.storing = None

    async def start(self) -> None:
        require(self.actor, "trace_record", "submit")
        zone = await self.session.get(Zone, self.actor.zone_id)
        self.zone_code = zone.admin_code[:2]
        if not self.actor.is_system:
            self.members = frozenset((await self.session.scalars(select(EnterpriseMember.enterprise_id).where(
                EnterpriseMember.user_id == self.actor.user_id))).all())

    async def _enterprise(self, uscc: str) -> _Owner | None:
        try:
            return self.enterprises[uscc]
        except KeyError:
            row = (await self.session.execute(select(Enterprise.id, Enterprise.zone_id, Enterprise.producer_code)
                                              .where(Enterprise.uscc == uscc))).first()
            found = self.enterprises[uscc] = _Owner(*row) if row else None
            return found

    async def _version(self, category: str, number: int | None) -> _Version | FieldError:
        key = (category, number)
        if key not in self.versions:
            try:
                row = await catalogs.get_version(self.session, category, number)
            except DomainError as exc:
                self.versions[key] = FieldError("catalogVersion", "not_found", exc.message_en, exc.message_zh)
            else:
                if row.state not in catalog_rules.PUBLIC_STATES:
                    self.versions[key] = FieldError("catalogVersion", "draft",
                                                    "records follow a published catalog version, not a draft",
                                                    "追溯记录须依据已发布的目录版本，不能依据草案")
                else:
                    self.versions[key] = _Version(row.id, public_indicator_codes(row),
                                                  json.dumps(row.indicators, sort_keys=True),
                                                  frozenset(i["code"] for i in row.indicators))
        return self.versions[key]

    async def add(self, line: int, raw: Any) -> None:
        self.lines_read = line
        if isinstance(raw, FieldError):  # the line could not be read (ndjson.py)
            self.report.reject(line, None, [raw])
            return
        env, errors = rules.parse_envelope(raw, self.now)
        if env is None:
            self.report.reject(line, raw.get("id") if isinstance(raw, dict) else None, errors)
            return
        enterprise = self.enterprises.get(env.enterprise_uscc, _UNREAD)
        if enterprise is _UNREAD:
            await self.settle()
            enterprise = await self._enterprise(env.enterprise_uscc)
        if enterprise is None or enterprise.zone_id != self.actor.zone_id or (
                not self.actor.is_system and enterprise.id not in self.members):
            self.report.reject(line, env.record_key, [FieldError(
                "enterprise", "not_your_enterprise",
                f"you do not submit records for the enterprise {env.enterprise_uscc} in this zone",
                f"您不是本试验区企业 {env.enterprise_uscc} 的填报人员，不能以其名义提交记录")])
            return
        version = self.versions.get((env.category, env.catalog_number))
        if version is None:
            await self.settle()
            version = await self._version(env.category, env.catalog_number)
        if isinstance(version, FieldError):
            self.report.reject(line, env.record_key, [version])
            return
        errors = rules.producer_errors(env, self.zone_code, enterprise.producer_code) + _derived_fields(env, version)
        errors += [FieldError("data" + v.path[1:], v.code, v.message_en, v.message_zh)
                   for v in version.validator(env.stage).validate(env.data)]
        if errors:
            self.report.reject(line, env.record_key, errors)
            return
        content_hash = env.content_hash()
        key = (enterprise.id, env.record_key)
        if key in self.seen:
            self._repeat(line, env.record_key, self.seen[key], content_hash)
            return
        self.seen[key] = content_hash
        self.pending.append(_Pending(line, env, enterprise, version, content_hash))
        if len(self.pending) >= CHUNK:
            await self.flush()

    def _repeat(self, line: int, record_key: str, stored_hash: str, content_hash: str) -> None:
        if stored_hash == content_hash:
            self.report.unchanged += 1
        else:
            self.report.reject(line, record_key, [FieldError(
                "id", "conflict", f"a different record with the id {record_key!r} is already stored: "
                "records are never changed, send a new record with a new id",
                f"已存在 id 为“{record_key}”的另一条记录：记录不可修改，请以新的 id 提交新记录")])

    async def flush(self) -> None:
        """Store the pending chunk in a task, after the previous one (:meth:`settle`)."""
        await self.settle()
        pending, self.pending = self.pending, []
        # The keys of this chunk are found by _stored_hashes once it is stored, which is before the
        # next chunk's store begins: the request's memory is one chunk's, whatever the file's
        # length (a CLI load of millions of lines).
        self.seen = {}
        self.storing = asyncio.ensure_future(self._store_and_tell(pending))

    async def _store_and_tell(self, pending: list[_Pending]) -> None:
        try:
            await self._store(pending)
        finally:
            if self.progress is not None:
                self.progress(self.lines_read, self.report)

    async def _store(self, pending: list[_Pending]) -> None:
        if not pending:
            return
        stored = await self._stored_hashes(pending)
        fresh = []
        for item in pending:
            previous = stored.get((item.owner.id, item.env.record_key))
            if previous is not None:
                self._repeat(item.line, item.env.record_key, previous, item.content_hash)
            else:
                fresh.append(item)
        if not fresh:
            return
        await store_keys(self.session, [(i.owner.id, i.env.record_key, i.owner.zone_id, i.content_hash)
                                        for i in fresh])
        now = self.now
        await store_records(self.session, [record_row(i.env, i.owner.id, i.owner.zone_id, i.version.id,
                                                      i.version.public, now) for i in fresh])
        links = {(parent[:rules.BATCH_LENGTH], i.env.batch, i.owner.zone_id)
                 for i in fresh for parent in i.env.inputs}
        await store_links(self.session, links)
        self.report.accepted += len(fresh)

    async def _stored_hashes(self, pending: list[_Pending]) -> dict[tuple[int, str], str]:
        by_enterprise: dict[int, list[str]] = {}
        for item in pending:
            by_enterprise.setdefault(item.owner.id, []).append(item.env.record_key)
        found: dict[tuple[int, str], str] = {}
        connection = await self.session.connection()
        for enterprise_id, keys in by_enterprise.items():
            if connection.dialect.name == "postgresql":
                # one array parameter, not thousands of IN parameters compiled per chunk
                raw = (await connection.get_raw_connection()).driver_connection
                rows = await raw.fetch("SELECT record_key, content_hash FROM trace_record_keys "
                                       "WHERE enterprise_id = $1 AND record_key = ANY($2::varchar[])",
                                       enterprise_id, keys)
            else:
                rows = await self.session.execute(select(
                    TraceRecordKey.record_key, TraceRecordKey.content_hash).where(
                    TraceRecordKey.enterprise_id == enterprise_id, TraceRecordKey.record_key.in_(keys)))
            found.update({(enterprise_id, k): h for k, h in rows})
        return found

    async def finish(self) -> IngestReport:
        await self.flush()
        await self.settle()
        # a chunk's repeats are found when it is stored, after later lines may have been refused
        self.report.rejected.sort(key=lambda e: e.line)
        return self.report

    async def abandon(self) -> None:
        """The ingest failed: let a store still running end (its own error dropped) before the
        caller's transaction rolls back on the same connection."""
        if self.storing is not None:
            storing, self.storing = self.storing, None
            await asyncio.wait([storing])
            if not storing.cancelled():
                storing.exception()  # retrieved, not raised: the caller's error is the one that counts


async def ingest(session: AsyncSession, actor: Actor, records: AsyncIterator[tuple[int, Any]] | Iterable[
        tuple[int, Any]], progress: Callable[[int, IngestReport], None] | None = None) -> IngestReport:
    """Check and store ``(line, record)`` pairs; every refusal reported with its line."""
    run = Ingest(session, actor, progress)
    await run.start()
    try:
        if hasattr(records, "__aiter__"):
            async for line, raw in records:
                await run.add(line, raw)
        else:
            for line, raw in records:
                await run.add(line, raw)
        return await run.finish()
    except BaseException:
        await run.abandon()
        raise
