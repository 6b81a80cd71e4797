"""Lookup by code, recall (downstream of a batch) and origin (upstream): one recursive query each.

The walk follows batch links across enterprises and zones (``WITH RECURSIVE``; ``UNION`` stops
at batches already reached, so a cycle cannot loop) and the same statement returns the records
of every batch reached. Private indicators are shown only to the zone staff of the record's
zone; everyone else sees the public chain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, and_, any_, bindparam, literal, or_, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from ecozone.audit.service import record as record_read
from ecozone.authz.actor import Actor
from ecozone.errors import FieldError, NotFound, raise_if_invalid
from ecozone.trace import rules
from ecozone.trace.models import BatchLink, Enterprise, TraceBatchMonth, TraceRecord
from ecozone.trace.store import lot_key

MAX_BATCHES = 10_000


@dataclass
class ChainEvent:
    record: Any  # a row of trace_records (its columns as attributes)
    enterprise: Any  # a row of trace_enterprises
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
    def sellers(self) -> list[Any]:
        seen: dict[int, Any] = {}
        for event in self.sales:
            seen.setdefault(event.enterprise.id, event.enterprise)
        return list(seen.values())


def check_code(code: str) -> None:
    raise_if_invalid(rules.code_errors("code", code))


def sees_private(actor: Actor, record: Any) -> bool:
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


def month_ranges(months: Iterable[dt.date]) -> list[tuple[dt.datetime, dt.datetime]]:
    """Consecutive months merged into [first day, day after the last) ranges, in UTC."""
    ranges: list[list[dt.date]] = []
    for month in sorted(set(months)):
        if ranges and _next_month(ranges[-1][1]) == month:
            ranges[-1][1] = month
        else:
            ranges.append([month, month])
    return [(_utc(first), _utc(_next_month(last))) for first, last in ranges]


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


# The record's columns a chain shows (Core rows, not ORM entities: a recall reads thousands).
_RECORD_COLUMNS = [c for c in TraceRecord.__table__.c]


def one_of(column, values: list[str], dialect: str):
    """``column IN values``; on PostgreSQL ``= ANY(array)``: one parameter, whatever the count
    (a recall names a thousand batches: a thousand parameters to bind and plan otherwise)."""
    if dialect == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(String), unique=True))
    return column.in_(values)


def in_months(months: Iterable[dt.date]):
    """``occurred_at`` within ``months`` (from the directory) as literal ranges, which let
    PostgreSQL's planner keep just their partitions."""
    occurred_at = TraceRecord.__table__.c.occurred_at
    return or_(*(and_(occurred_at >= low, occurred_at < high) for low, high in month_ranges(months)))


def records_statement(batches: list[str], months: Iterable[dt.date], dialect: str = "postgresql"):
    """The records of ``batches`` in ``months`` only, oldest first."""
    record = TraceRecord.__table__.c
    return (select(*_RECORD_COLUMNS).where(one_of(record.batch, batches, dialect), in_months(months))
            .order_by(record.occurred_at, record.id))


def lot_statement(gtin: str, lot: str, months: list[dt.date] | None):
    """The code of the first record of a GTIN + lot; in ``months`` only when the directory named
    them (``None``: in every partition — a lot stored before the directory kept lots)."""
    record = TraceRecord.__table__.c
    found = select(record.code).where(record.gtin == gtin, record.lot == lot)
    if months is not None:
        found = found.where(in_months(months))
    return found.order_by(record.occurred_at, record.id).limit(1)


async def walk(session: AsyncSession, actor: Actor, code: str, direction: str) -> Chain:
    """The chain of ``code``'s batch: every record of every batch up- or downstream of it.

    At most four statements, none per batch: the recursive walk joined to the batch directory (which
    batches have records, in which months), the records of those batches in those months only
    (PostgreSQL prunes the other monthly partitions), their enterprises, the links between the
    batches (when there is more than one).
    """
    check_code(code)
    batch = rules.batch_of(code)
    # Public tables only (records and enterprises are visible to everyone, links and the
    # directory unscoped): read as Core statements on the session's connection, without the
    # per-statement scope options of every zoned model, whose cache key alone cost milliseconds
    # per statement (bench/trace.py). Row-level security applies all the same on PostgreSQL.
    connection = await session.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        # The planner prices a walk over every monthly partition high enough to JIT-compile it:
        # measured 440 ms of compilation for a 1 ms lookup (bench/trace.py). Off for this transaction.
        await session.execute(text("SET LOCAL jit = off"))
    reached = _walk(batch, direction)
    found = (await connection.execute(select(TraceBatchMonth.batch, TraceBatchMonth.month).where(
        TraceBatchMonth.batch.in_(select(reached.c.batch))))).all()
    if not any(b == batch for b, _ in found):
        raise NotFound(f"no trace record of the batch of {code}", f"未找到追溯码 {code} 所属批次的追溯记录")
    batches = sorted({b for b, _ in found})
    rows = (await connection.execute(records_statement(batches, (m for _, m in found), dialect))).all()
    enterprise_ids = {r.enterprise_id for r in rows}
    enterprises = {e.id: e for e in (await connection.execute(select(Enterprise.__table__).where(
        Enterprise.id.in_(enterprise_ids)))).all()}
    links = [] if len(batches) == 1 else (await connection.execute(select(
        BatchLink.parent_batch, BatchLink.child_batch).where(one_of(
            BatchLink.child_batch if direction == "up" else BatchLink.parent_batch, batches, dialect)))).all()
    reached_set = set(batches)  # not the list: a recall checks a thousand links against it
    chain = Chain(code=code, batch=batch, direction=direction, batches=batches,
                  links=sorted((p, c) for p, c in links if p in reached_set and c in reached_set))
    for row in rows:
        private = sees_private(actor, row)
        data = {**row.public_data, **row.private_data} if private else dict(row.public_data)
        chain.events.append(ChainEvent(row, enterprises[row.enterprise_id], data, private))
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
    gtin = rules.normalise_gtin(gtin)
    # Core statements on the session's connection, as walk() (row-level security applies): the
    # directory first, so that the records query names the lot's months and PostgreSQL prunes.
    connection = await session.connection()
    months = (await connection.execute(select(TraceBatchMonth.month).where(
        TraceBatchMonth.batch == lot_key(gtin, lot)))).scalars().all()
    code = (await connection.execute(lot_statement(gtin, lot, months or None))).scalar()
    if code is None:
        raise NotFound(f"no product with GTIN {gtin} and lot {lot}", f"未找到 GTIN {gtin}、批号 {lot} 的产品")
    return code


def occurred(event: ChainEvent) -> dt.datetime:
    return event.record.occurred_at
