"""The feed's automatic entries from the other domains' tables, on both databases: a standard's
publication (60) and a council's disclosed minutes appear, with the right zone, time and words;
a standard still in work does not. The rows are those the standards and council workflows
write (set up as the tables' owner, as the data of an existing platform); the feed is read
anonymously through HTTP."""

from __future__ import annotations

import datetime as dt

import feedparser
from ecozone.governance.models import CouncilPublication
from ecozone.projects.models import Project
from ecozone.standards.models import Standard, StandardEvent
from ecozone.tenancy.models import Zone
from sqlalchemy import select

AT = dt.datetime(2026, 4, 1, 2, tzinfo=dt.UTC)


async def test_standards_published_and_council_minutes_appear(api):
    proposer = await api.add_user("fj-member", "fujian", "member")

    async def rows(session):
        zones = {z.slug: z.id for z in (await session.scalars(select(Zone))).all()}
        project = Project(zone_id=zones["fujian"], kind="standard_development", title_zh="茶叶标准研制",
                          title_en="Tea standard", summary="研制。", proposer_id=proposer, proposer_unit="某院",
                          lead_unit="某院", state="in_progress", year=2026)
        session.add(project)
        await session.flush()
        published = Standard(project_id=project.id, kind="joint_local", title_zh="茶叶追溯数据采集规范",
                             title_en="Tea traceability data collection", scope="茶叶。", lead_zone_id=zones["fujian"],
                             state="published", number=7, year=2026, release_date=dt.date(2026, 4, 1),
                             implementation_date=dt.date(2026, 7, 1))
        drafting = Standard(project_id=project.id, kind="group", title_zh="尚在起草的标准", title_en="Still drafted",
                            scope="x", lead_zone_id=zones["fujian"], state="drafting")
        session.add_all([published, drafting])
        await session.flush()
        session.add_all([
            StandardEvent(standard_id=published.id, action="publish", from_state="approval", to_state="published",
                          created_at=AT),
            StandardEvent(standard_id=drafting.id, action="start_drafting", from_state="proposal",
                          to_state="drafting", created_at=AT + dt.timedelta(hours=2)),
            CouncilPublication(zone_id=zones["guizhou"], meeting_id=1, kind="general", title_zh="2026年理事会成员大会",
                               title_en="2026 general meeting", meets_on=dt.date(2026, 3, 20), discussion="讨论。",
                               attendance={"present": 10, "members": 12, "viceChairsPresent": 4}, resolutions=[],
                               published_at=AT + dt.timedelta(hours=1))])
    await api.operator(rows)

    parsed = feedparser.parse((await api.client.get("/feeds/news.atom")).content)
    assert not parsed.bozo
    assert [(e.tags[0].term, e.title) for e in parsed.entries] == [
        ("council_minutes", "理事会会议纪要公开：2026年理事会成员大会"),
        ("standard_published", "标准发布：DB35/T 7—2026 茶叶追溯数据采集规范")]
    assert parsed.entries[1].updated == "2026-04-01T02:00:00+00:00"
    assert "2026-07-01" in parsed.entries[1].content[0].value
    fujian = feedparser.parse((await api.client.get("/feeds/fujian/news.atom?lang=en")).content)
    assert [e.title for e in fujian.entries] == ["Standard published: DB35/T 7—2026 Tea traceability data collection"]
    guizhou = feedparser.parse((await api.client.get("/feeds/guizhou/news.atom")).content)
    assert [e.tags[0].term for e in guizhou.entries] == ["council_minutes"]
