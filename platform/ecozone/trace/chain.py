"""Lookup by code, recall (downstream of a batch) and origin (upstream): one recursive query each.

The walk follows batch links across enterprises and zones (``WITH RECURSIVE``; ``UNION`` stops
at batches already reached, so a cycle cannot loop) and the same statement returns the records
of every batch reached. Private indicators are shown only to the zone staff of the record's
zone; everyone else sees the public chain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import literal, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from ecozone.audit.service import record as record_read
from ecozone.authz.actor import Actor
from ecozone.errors import FieldError, NotFound, raise_if_invalid
from ecozone.trace import rules
from ecozone.trace.models import BatchLink, Enterprise, TraceRecord

MAX_BATCHES = 10_000


@dataclass
class ChainEvent:
    record: TraceRecord
    enterprise: Enterprise
    data: dict[str, Any]
    private_shown: bool


@dataclass
class Chain:
    code: str
    batch: str
    direction: str  # "up" (origin) or "down" (recall)
    batches: list[str]
    links: list[tuple[str, str]]
    events: list[ChainEvent] = field(default_factory=list)

    @property
    def sales(self) -> list[ChainEvent]:
        return [e for e in self.events if e.record.event_type == "sale"]

    @property
    def sellers(self) -> list[Enterprise]:
        seen: dict[int, Enterprise] = {}
        for event in self.sales:
            seen.setdefault(event.enterprise.id, event.enterprise)
        return list(seen.values())


def check_code(code: str) -> None:
    raise_if_invalid(rules.code_errors("code", code))


def sees_private(actor: Actor, record: TraceRecord) -> bool:
    return actor.zone_id == record.zone_id and actor.can("trace_record", "read_private")


def _walk(batch: str, direction: str):
    """The recursive CTE of the batches reached from ``batch`` (itself included)."""
    seed = select(literal(batch).label("batch")).cte("walk", recursive=True)
    link = aliased(BatchLink)
    if direction == "down":
        step = select(link.child_batch).join(seed, link.parent_batch == seed.c.batch)
    else:
        step = select(link.parent_batch).join(seed, link.child_batch == seed.c.batch)
    return seed.union(step)


async def walk(session: AsyncSession, actor: Actor, code: str, direction: str) -> Chain:
    """The chain of ``code``'s batch: every record of every batch up- or downstream of it."""
    check_code(code)
    batch = rules.batch_of(code)
    if (await session.connection()).dialect.name == "postgresql":
        # The planner prices a walk over every monthly partition high enough to JIT-compile it:
        # measured 440 ms of compilation for a 1 ms lookup (bench/trace.py). Off for this transaction.
        await session.execute(text("SET LOCAL jit = off"))
    reached = _walk(batch, direction)
    stmt = (select(TraceRecord, Enterprise)
            .join(Enterprise, Enterprise.id == TraceRecord.enterprise_id)
            .where(TraceRecord.batch.in_(select(reached.c.batch)))
            .order_by(TraceRecord.occurred_at, TraceRecord.id))
    rows = (await session.execute(stmt)).all()
    if not any(r.batch == batch for r, _ in rows):
        raise NotFound(f"no trace record of the batch of {code}", f"未找到追溯码 {code} 所属批次的追溯记录")
    batches = sorted({r.batch for r, _ in rows})
    links = (await session.execute(select(BatchLink.parent_batch, BatchLink.child_batch).where(
        BatchLink.child_batch.in_(batches) if direction == "up" else BatchLink.parent_batch.in_(batches)))).all()
    chain = Chain(code=code, batch=batch, direction=direction, batches=batches,
                  links=sorted((p, c) for p, c in links if p in batches and c in batches))
    for record, enterprise in rows:
        private = sees_private(actor, record)
        data = {**record.public_data, **record.private_data} if private else dict(record.public_data)
        chain.events.append(ChainEvent(record, enterprise, data, private))
    shown = [e.record.record_key for e in chain.events if e.private_shown and e.record.private_data]
    if shown:  # a read of private fields is audited (DESIGN 3.7), one row per request
        await record_read(session, actor, action="trace_record.read_private", object_type="trace_batch",
                          object_id=batch, after={"records": shown[:100], "count": len(shown)})
    return chain


async def trace(session: AsyncSession, actor: Actor, code: str) -> Chain:
    """A product's chain from farm to sale: its batch and every batch upstream of it."""
    return await walk(session, actor, code, "up")


async def recall(session: AsyncSession, actor: Actor, code: str) -> Chain:
    """Every batch and sale downstream of ``code``'s batch, across enterprises and zones."""
    return await walk(session, actor, code, "down")


async def batch_by_gtin_lot(session: AsyncSession, gtin: str, lot: str) -> str:
    """The code of the batch that a GS1 Digital Link (GTIN + lot) names."""
    errors = rules.gtin_errors(gtin)
    if lot is None or not (1 <= len(lot) <= 20) or not lot.isprintable() or not lot.isascii():
        errors.append(FieldError("lot", "format", "lot: 1–20 printable ASCII characters", "lot：1–20 个可打印 ASCII 字符"))
    raise_if_invalid(errors)
    code = await session.scalar(select(TraceRecord.code).where(
        TraceRecord.gtin == rules.normalise_gtin(gtin), TraceRecord.lot == lot).limit(1))
    if code is None:
        raise NotFound(f"no product with GTIN {gtin} and lot {lot}", f"未找到 GTIN {gtin}、批号 {lot} 的产品")
    return code


def occurred(event: ChainEvent) -> dt.datetime:
    return event.record.occurred_at
