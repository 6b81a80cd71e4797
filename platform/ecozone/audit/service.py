"""Writing audit rows in the caller's transaction, and verifying the chains."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from ecozone.audit.chain import GENESIS, Break, entry_hash, first_break, plain_json
from ecozone.audit.models import AuditChainHead, AuditEntry
from ecozone.db.base import utcnow
from ecozone.db.engine import READ_ONLY, new_session, write_turn

if TYPE_CHECKING:
    from ecozone.authz.actor import Actor

GLOBAL_CHAIN = "global"
APPEND_LOCK = "audit_append_lock"  # key in session.info
DEFERRED = "audit_deferred"  # key in session.info: rows a read transaction could not write
PRIVATE_READ = "read_private"


@dataclass
class Deferred:
    """An audit row to write once the read transaction that produced it is over."""

    actor: Actor
    action: str
    object_type: str
    object_id: object = None
    before: Any = None
    after: Any = None
    outcome: str = "ok"
    ids: set[str] = field(default_factory=set)  # objects read, for one row per request and type


async def _advance_head(session: AsyncSession, chain: str) -> tuple[int, str]:
    """Take the next sequence number of ``chain``; the row lock serialises writers."""
    stmt = (update(AuditChainHead).where(AuditChainHead.chain == chain)
            .values(seq=AuditChainHead.seq + 1)
            .returning(AuditChainHead.seq, AuditChainHead.last_hash)
            .execution_options(synchronize_session=False))
    row = (await session.execute(stmt)).first()
    if row is None:
        dialect = session.bind.dialect.name if session.bind else "sqlite"
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        await session.execute(insert(AuditChainHead)
                              .values(chain=chain, seq=0, last_hash=GENESIS)
                              .on_conflict_do_nothing(index_elements=["chain"]))
        row = (await session.execute(stmt)).one()
    return row.seq, row.last_hash


async def record(session: AsyncSession, actor: Actor, *, action: str, object_type: str,
                 object_id: object = None, before: Any = None, after: Any = None,
                 outcome: str = "ok") -> AuditEntry | None:
    """Append a row to the actor's chain in the session's transaction.

    In a read transaction (a query, a download) the row waits in the session until
    :func:`write_deferred` writes it in a write transaction that takes its turn: SQLite cannot
    turn a read transaction into a write once another writer has committed, and a denial must
    never be lost ("database is locked") because a query was refused.
    """
    if session.info.get(READ_ONLY):
        session.info.setdefault(DEFERRED, {})[object()] = Deferred(
            actor, action, object_type, object_id, before, after, outcome)
        return None
    # The root fields of a query run concurrently on the request's session, and each may
    # record (a denial): two appends at once would take the same sequence number and overlap
    # their flushes. One append at a time per session.
    lock = session.info.setdefault(APPEND_LOCK, asyncio.Lock())
    async with lock:
        return await _append(session, actor, action=action, object_type=object_type,
                             object_id=object_id, before=before, after=after, outcome=outcome)


async def _append(session: AsyncSession, actor: Actor, *, action: str, object_type: str,
                  object_id: object, before: Any, after: Any, outcome: str) -> AuditEntry:
    chain = actor.zone_slug or GLOBAL_CHAIN
    seq, prev_hash = await _advance_head(session, chain)
    entry = AuditEntry(chain=chain, seq=seq, zone_id=actor.zone_id, actor_id=actor.user_id,
                       action=action, object_type=object_type,
                       object_id=None if object_id is None else str(object_id),
                       outcome=outcome, before=plain_json(before), after=plain_json(after),
                       created_at=utcnow(), prev_hash=prev_hash)
    entry.hash = entry_hash(chain=chain, seq=seq, prev_hash=prev_hash, zone_id=entry.zone_id,
                            actor_id=entry.actor_id, action=action, object_type=object_type,
                            object_id=entry.object_id, outcome=outcome, before=entry.before,
                            after=entry.after, created_at=entry.created_at)
    session.add(entry)
    await session.execute(update(AuditChainHead).where(AuditChainHead.chain == chain)
                          .values(last_hash=entry.hash)
                          .execution_options(synchronize_session=False))
    await session.flush()
    return entry


def note_private_read(session: AsyncSession, actor: Actor, object_type: str, object_id: object
                      ) -> None:
    """Remember that ``actor`` read a private field of ``object_type`` ``object_id``: one audit
    row per request and object type, listing the objects, written with the request's others.
    Synchronous and free of SQL, so that a field resolver may call it."""
    pending = session.info.setdefault(DEFERRED, {})
    key = (PRIVATE_READ, object_type)
    entry = pending.get(key)
    if entry is None:
        entry = pending[key] = Deferred(actor, f"{object_type}.{PRIVATE_READ}", object_type)
    entry.ids.add(str(object_id))


async def _write(session: AsyncSession, entries: list[Deferred]) -> None:
    for entry in entries:
        after = entry.after
        if entry.ids:
            after = {"ids": sorted(entry.ids, key=lambda i: (len(i), i))}
        await record(session, entry.actor, action=entry.action, object_type=entry.object_type,
                     object_id=entry.object_id, before=entry.before, after=after,
                     outcome=entry.outcome)


async def write_deferred(engine: AsyncEngine, session: AsyncSession) -> None:
    """Write the rows ``session`` deferred. A write session writes them in its own transaction
    (call before its commit); a read session's are written after it, in one write transaction
    per actor scope that takes its turn like any write."""
    pending = list(session.info.pop(DEFERRED, {}).values())
    if not pending:
        return
    if not session.info.get(READ_ONLY):
        await _write(session, pending)
        return
    by_scope: dict[Any, list[Deferred]] = {}
    for entry in pending:
        by_scope.setdefault(entry.actor.scope, []).append(entry)
    for scope, entries in by_scope.items():
        async with write_turn(engine, True), new_session(engine, scope, write=True) as writer:
            async with writer.begin():
                await _write(writer, entries)


@dataclass(frozen=True)
class VerifyReport:
    chains: int
    entries: int
    broken: Break | None


async def verify(session: AsyncSession, *, batch: int = 5000, progress=None) -> VerifyReport:
    """Check every chain; stops at the first broken link. Needs an operator session."""
    heads = {h.chain: h for h in (await session.scalars(select(AuditChainHead))).all()}
    chains = sorted(set(heads) | set((await session.scalars(
        select(AuditEntry.chain).distinct())).all()))
    total = 0
    for chain in chains:
        stream = await session.stream_scalars(
            select(AuditEntry).where(AuditEntry.chain == chain).order_by(AuditEntry.seq)
            .execution_options(yield_per=batch))
        entries = []
        async for entry in stream:
            entries.append(entry)
        total += len(entries)
        head = heads.get(chain)
        broken = first_break(chain, entries, head.seq if head else None,
                             head.last_hash if head else None)
        if progress:
            progress(chain, len(entries))
        if broken:
            return VerifyReport(len(chains), total, broken)
    return VerifyReport(len(chains), total, None)


async def list_entries(session: AsyncSession, actor: Actor, *, action: str | None = None,
                       object_type: str | None = None):
    """The acting zone's audit log, oldest first (the data layer scopes it to the zone)."""
    from ecozone.authz.service import require
    require(actor, "audit", "read")
    stmt = select(AuditEntry)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    return stmt
