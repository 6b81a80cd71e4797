"""The joint-meetings and news demo loads through the real services with ``ecozone demo``
(SQLite), and what it made reads back as the README says."""

from __future__ import annotations

from ecozone.db.engine import create_engine, transaction
from ecozone.db.migrate import upgrade
from ecozone.db.scoping import Scope
from ecozone.demo import load_demo
from ecozone.meetings.models import (
    JointMeeting,
    MeetingAttendance,
    MeetingFollowUp,
    MeetingSeries,
)
from ecozone.news.models import NewsArticle
from ecozone.settings import PROJECT_ROOT
from ecozone.tenancy.models import Zone
from ecozone.tenancy.service import sync_tenants
from sqlalchemy import func, select


async def test_demo_joint_meetings_and_news(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'demo.sqlite3'}"
    upgrade(url=url)
    engine = create_engine(url)
    try:
        async with transaction(engine, Scope.system()) as session:
            await sync_tenants(session, PROJECT_ROOT / "tenants")
            lines: list[str] = []
            await load_demo(session, progress=lines.append)
        assert any(line.startswith("joint meetings: ") for line in lines), lines
        async with transaction(engine, Scope.system()) as session:
            zones = {z.id: z.slug for z in (await session.scalars(select(Zone))).all()}
            series = (await session.scalars(select(MeetingSeries).order_by(MeetingSeries.id))).all()
            assert [(s.kind, s.recurrence, zones[s.host_zone_id]) for s in series] == [
                ("regional", "FREQ=YEARLY;COUNT=4", "jiangxi"), ("thematic", "FREQ=MONTHLY;INTERVAL=3;COUNT=4", "jiangxi")]
            published = (await session.scalars(select(JointMeeting).where(
                JointMeeting.minutes_published_at.is_not(None)))).all()
            assert [m.sequence for m in published] == [1]
            present = dict((await session.execute(select(MeetingAttendance.zone_id, MeetingAttendance.present))).all())
            assert {zones[z]: p for z, p in present.items()} == {"jiangxi": True, "guizhou": True, "fujian": True,
                                                                "hainan": False}
            follow_up = await session.scalar(select(MeetingFollowUp))
            assert (zones[follow_up.zone_id], follow_up.state) == ("fujian", "open")
            articles = dict((await session.execute(select(NewsArticle.state, func.count())
                                                   .group_by(NewsArticle.state))).all())
            assert articles == {"published": 4, "draft": 1}
    finally:
        await engine.dispose()
