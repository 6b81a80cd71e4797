"""Recording a published standard's uptake (any zone's staff, for their zone) and reading it
(anyone), with statistics by standard, product category and zone."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.pagination import Page, paginate
from ecozone.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    raise_if_invalid,
)
from ecozone.standards.models import Standard
from ecozone.standards.service import get_standard
from ecozone.texts import text
from ecozone.uptake import rules
from ecozone.uptake.models import UptakeRecord

UPTAKE = "standard_uptake"


async def record_uptake(session: AsyncSession, actor: Actor, *, standard_id: int, kind: str, subject_kind: str,
                        subject_name: str, starts_on: dt.date, ends_on: dt.date | None = None,
                        place: str | None = None, summary: str | None = None, results: str | None = None,
                        outcome: str | None = None) -> UptakeRecord:
    """The acting zone's staff record an application, a pilot site, a verification or an
    evaluation of a published standard, for their zone."""
    require(actor, UPTAKE, "record", object_id=standard_id)
    standard = await get_standard(session, standard_id)  # work in progress is not found
    if not rules.may_record(standard.state):
        raise Conflict("uptake is recorded for a published standard in force",
                       "只能为已发布且现行有效的标准登记应用情况")
    errors: list[FieldError] = []
    values = dict(subject_name=text(errors, "subjectName", subject_name, 200, required=True),
                  place=text(errors, "place", place, 200, required=False),
                  summary=text(errors, "summary", summary, 10000, required=False),
                  results=text(errors, "results", results, 10000, required=False))
    errors += rules.record_errors(kind=kind, subject_kind=subject_kind, starts_on=starts_on, ends_on=ends_on,
                                  outcome=outcome)
    raise_if_invalid(errors)
    row = UptakeRecord(zone_id=actor.zone_id, standard_id=standard.id, kind=kind, subject_kind=subject_kind,
                       starts_on=starts_on, ends_on=ends_on, outcome=outcome, recorded_by_id=actor.user_id,
                       **values)
    session.add(row)
    await session.flush()
    await record(session, actor, action="standard_uptake.record", object_type="standard_uptake_record",
                 object_id=row.id, after={**values, "standardId": standard.id, "kind": kind,
                                          "subjectKind": subject_kind, "startsOn": starts_on,
                                          "endsOn": ends_on, "outcome": outcome})
    return row


async def record_results(session: AsyncSession, actor: Actor, *, record_id: int, results: str) -> UptakeRecord:
    """The recording zone's staff write a pilot's results (or an evaluation's conclusion)."""
    require(actor, UPTAKE, "record", object_id=record_id)
    row = await session.get(UptakeRecord, record_id)
    if row is None:
        raise NotFound(f"uptake record {record_id} not found", f"标准应用记录 {record_id} 不存在")
    if row.zone_id != actor.zone_id:
        raise PermissionDenied("only the zone that recorded it adds its results", "只有登记该记录的试验区可以填写结果",
                               action="standard_uptake.record", object_type=UPTAKE, object_id=str(record_id))
    errors: list[FieldError] = []
    value = text(errors, "results", results, 10000, required=True)
    raise_if_invalid(errors)
    before, row.results = row.results, value
    await session.flush()
    await record(session, actor, action="standard_uptake.record_results", object_type="standard_uptake_record",
                 object_id=row.id, before={"results": before}, after={"results": value})
    return row


async def list_uptake(session: AsyncSession, *, standard_id: int, kind: str | None = None, first: int = 20,
                      after: str | None = None, max_page_size: int = 100) -> Page[UptakeRecord]:
    await get_standard(session, standard_id)  # a standard the viewer may not see: NotFound
    stmt = select(UptakeRecord).where(UptakeRecord.standard_id == standard_id)
    if kind:
        stmt = stmt.where(UptakeRecord.kind == kind)
    return await paginate(session, stmt, order=(UptakeRecord.starts_on, UptakeRecord.id), first=first,
                          after=after, max_page_size=max_page_size)


@dataclass
class Counts:
    key: object  # standard id, category slug (None: no category) or zone id
    by_kind: dict[str, int] = field(default_factory=dict)


@dataclass
class UptakeStatistics:
    by_standard: list[Counts]
    by_category: list[Counts]
    by_zone: list[Counts]


async def statistics(session: AsyncSession, *, year: int | None = None) -> UptakeStatistics:
    """Counts of records by kind, per standard, per product category and per recording zone;
    ``year``: records begun that year. Records are public: counted as the viewer sees them."""
    if year is not None and not 2000 <= year <= 2100:
        raise_if_invalid([FieldError("year", "range", "year must be 2000–2100", "年份须为 2000–2100")])
    stmt = (select(UptakeRecord.standard_id, Standard.category, UptakeRecord.zone_id, UptakeRecord.kind,
                   func.count())
            .join(Standard, Standard.id == UptakeRecord.standard_id)
            .group_by(UptakeRecord.standard_id, Standard.category, UptakeRecord.zone_id, UptakeRecord.kind))
    if year is not None:
        stmt = stmt.where(extract("year", UptakeRecord.starts_on) == year)
    tables: tuple[dict, dict, dict] = (defaultdict(dict), defaultdict(dict), defaultdict(dict))
    for standard_id, category, zone_id, kind, count in (await session.execute(stmt)).all():
        for table, key in zip(tables, (standard_id, category, zone_id), strict=True):
            table[key][kind] = table[key].get(kind, 0) + count

    def listed(table: dict) -> list[Counts]:
        return [Counts(key=k, by_kind=v) for k, v in sorted(table.items(), key=lambda kv: (kv[0] is None, kv[0] if kv[0] is not None else 0))]
    return UptakeStatistics(*(listed(t) for t in tables))
