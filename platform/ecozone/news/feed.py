"""The news feed of a zone or of the whole base (章程 第三十一条): the offices' published
articles merged by time with the platform's own public events, derived at feed time from the
tables that already hold them (no copy, nothing for those domains to call):

- a standard published (60): its ``publish`` event (办法 第四条(三)(八));
- a project's public notice opened (办法 第十一条): its ``open_notice`` event;
- council minutes disclosed (章程 第二十一、三十条): a council publication.

Each source is read through the viewer's session (anonymous for the public feeds), so only
what that viewer may see is in it, and at most one page of each source is read.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.errors import FieldError, ValidationFailed, raise_if_invalid
from ecozone.governance.models import CouncilPublication
from ecozone.news import rules
from ecozone.news.models import NewsArticle
from ecozone.news.rules import FeedEntry
from ecozone.projects.models import Project, ProjectEvent
from ecozone.standards.models import Standard, StandardEvent, StandardZone
from ecozone.standards.rules import designation
from ecozone.tenancy.models import Zone


@dataclass(frozen=True)
class FeedPage:
    entries: list[FeedEntry]
    next_cursor: str | None  # pass as ``before`` for the older entries; None at the end


def encode_position(entry: FeedEntry) -> str:
    raw = json.dumps([entry.at.isoformat(), entry.key]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_position(cursor: str) -> tuple[dt.datetime, str]:
    """A cursor made by encode_position; anything else is a typed refusal, never a 500."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at, key = json.loads(raw)
        when = dt.datetime.fromisoformat(at)
        if when.tzinfo is None or not isinstance(key, str) or len(key) > 100:
            raise ValueError(cursor)
        return when.astimezone(dt.UTC), key
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError):
        raise ValidationFailed(errors=[FieldError("before", "cursor", "not a cursor of this feed",
                                                  "不是本订阅源的游标")]) from None


def _article(a: NewsArticle) -> FeedEntry:
    return FeedEntry(key=f"article/{a.id:010d}", kind=a.kind, zone_id=a.zone_id, at=a.published_at,
                     title_zh=a.title_zh, title_en=a.title_en, summary_zh=a.body_zh, summary_en=a.body_en,
                     path=f"article/{a.id}")


async def _articles(session, zone_id, until, limit) -> list[FeedEntry]:
    stmt = select(NewsArticle).where(NewsArticle.state == "published")
    if zone_id is not None:
        stmt = stmt.where(NewsArticle.zone_id == zone_id)
    if until is not None:
        stmt = stmt.where(NewsArticle.published_at <= until)
    rows = await session.scalars(stmt.order_by(NewsArticle.published_at.desc(), NewsArticle.id.desc()).limit(limit))
    return [_article(a) for a in rows.all()]


async def _standards(session, zone_id, until, limit, zones: dict[int, Zone]) -> list[FeedEntry]:
    stmt = (select(StandardEvent, Standard).join(Standard, Standard.id == StandardEvent.standard_id)
            .where(StandardEvent.action == "publish"))
    if zone_id is not None:  # the lead zone or a participating zone releases it
        stmt = stmt.where(or_(Standard.lead_zone_id == zone_id, Standard.id.in_(
            select(StandardZone.standard_id).where(StandardZone.zone_id == zone_id))))
    if until is not None:
        stmt = stmt.where(StandardEvent.created_at <= until)
    rows = await session.execute(stmt.order_by(StandardEvent.created_at.desc(), StandardEvent.id.desc()).limit(limit))
    entries = []
    for event, standard in rows.all():
        code = (designation(standard.kind, standard.number, standard.year, zones[standard.lead_zone_id].standard_code)
                if standard.number and standard.year else "")
        entries.append(FeedEntry(
            key=f"standard-published/{event.id:010d}", kind="standard_published", zone_id=standard.lead_zone_id,
            at=event.created_at, title_zh=f"标准发布：{code} {standard.title_zh}".replace("  ", " "),
            title_en=f"Standard published: {code} {standard.title_en}".replace("  ", " "),
            summary_zh=f"{standard.title_zh}（{code}）已发布，实施日期 {standard.implementation_date or '待定'}。",
            summary_en=f"{standard.title_en} ({code}) is published; in force from "
                       f"{standard.implementation_date or 'a date to be set'}.",
            path=f"standard/{standard.id}"))
    return entries


async def _notices(session, zone_id, until, limit) -> list[FeedEntry]:
    stmt = (select(ProjectEvent, Project).join(Project, Project.id == ProjectEvent.project_id)
            .where(ProjectEvent.action == "open_notice"))
    if zone_id is not None:
        stmt = stmt.where(Project.zone_id == zone_id)
    if until is not None:
        stmt = stmt.where(ProjectEvent.created_at <= until)
    rows = await session.execute(stmt.order_by(ProjectEvent.created_at.desc(), ProjectEvent.id.desc()).limit(limit))
    return [FeedEntry(
        key=f"project-notice/{event.id:010d}", kind="project_notice", zone_id=project.zone_id, at=event.created_at,
        title_zh=f"项目公示：{project.title_zh}", title_en=f"Project on public notice: {project.title_en}",
        summary_zh=f"创新项目“{project.title_zh}”开始公示，公示期至 {project.notice_ends_on or '另行通知'}，"
                   "符合条件的单位可申请加入项目工作组（办法 第十一条）。",
        summary_en=f"The innovation project “{project.title_en}” is on public notice until "
                   f"{project.notice_ends_on or 'further notice'}; eligible units may ask to join its working group.",
        path=f"project/{project.id}") for event, project in rows.all()]


async def _council(session, zone_id, until, limit) -> list[FeedEntry]:
    stmt = select(CouncilPublication)
    if zone_id is not None:
        stmt = stmt.where(CouncilPublication.zone_id == zone_id)
    if until is not None:
        stmt = stmt.where(CouncilPublication.published_at <= until)
    rows = await session.scalars(stmt.order_by(CouncilPublication.published_at.desc(),
                                               CouncilPublication.id.desc()).limit(limit))
    return [FeedEntry(
        key=f"council-minutes/{p.id:010d}", kind="council_minutes", zone_id=p.zone_id, at=p.published_at,
        title_zh=f"理事会会议纪要公开：{p.title_zh}", title_en=f"Council minutes disclosed: {p.title_en}",
        summary_zh=f"{p.meets_on} 召开的{p.title_zh}的会议纪要和决议已公开（章程 第三十条）。",
        summary_en=f"The minutes and resolutions of {p.title_en}, held on {p.meets_on}, are disclosed.",
        path=f"council-publication/{p.id}") for p in rows.all()]


async def feed_page(session: AsyncSession, *, zone_id: int | None, limit: int = rules.DEFAULT_FEED_LIMIT,
                    before: str | None = None) -> FeedPage:
    """The newest ``limit`` entries (of one zone, or of all), older than ``before`` if given."""
    raise_if_invalid([FieldError(*e) for e in rules.limit_errors(limit)])
    position = decode_position(before) if before else None
    until = position[0] if position else None
    zones = {z.id: z for z in (await session.scalars(select(Zone))).all()}
    sources = [await _articles(session, zone_id, until, limit + 1),
               await _standards(session, zone_id, until, limit + 1, zones),
               await _notices(session, zone_id, until, limit + 1),
               await _council(session, zone_id, until, limit + 1)]
    entries = rules.merge(sources, limit=limit + 1, before=position)
    more = len(entries) > limit
    entries = entries[:limit]
    return FeedPage(entries=entries, next_cursor=encode_position(entries[-1]) if more else None)
