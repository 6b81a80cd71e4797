"""Writing audit rows in the caller's transaction, and verifying the chains."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.chain import GENESIS, Break, entry_hash, first_break, plain_json
from ecozone.audit.models import AuditChainHead, AuditEntry
from ecozone.db.base import utcnow

if TYPE_CHECKING:
    from ecozone.authz.actor import Actor

GLOBAL_CHAIN = "global"
APPEND_LOCK = "audit_append_lock"  # key in session.info


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
                 outcome: str = "ok") -> AuditEntry:
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
