"""Demo of the four zones meeting and publishing: Jiangxi hosts the yearly regional meeting of
the zones' standardisation authorities and institute heads (办法 第四条(八)) — the first one held,
with attendance, materials, minutes, decisions and a follow-up item assigned to Fujian, its
minutes published — and a quarterly thematic meeting of the coordination mechanism (第四条(一))
still private to Jiangxi and Guizhou; each zone's office publishes a news article (章程 第三十一条)
and Jiangxi keeps a draft. Made by the real services as the right people; everything invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.db.scoping import Scope, apply_scope
from ecozone.demo.workflow import People
from ecozone.meetings import records
from ecozone.meetings import service as meetings
from ecozone.news import service as news

CHINA = dt.timezone(dt.timedelta(hours=8))
ZONES = ("jiangxi", "guizhou", "fujian", "hainan")
PREFIX = {"jiangxi": "jx", "guizhou": "gz", "fujian": "fj", "hainan": "hn"}
ARTICLES = {
    "jiangxi": ("news", "江西召开绿色生态标准化工作推进会（示例）", "Jiangxi reviews its green ecology standards work (demo)",
                "会议总结了本年度团体标准试点工作，部署了下一阶段的标准研制任务。",
                "The meeting reviewed this year's group standard pilots and set the next drafting tasks."),
    "guizhou": ("announcement", "关于征集茶叶标准化试点单位的通知（示例）", "Call for tea standardisation pilot units (demo)",
                "欢迎省内茶叶企业申报标准化试点，申报材料请于下月底前提交。",
                "Tea enterprises of the province may apply to become pilot units by the end of next month."),
    "fujian": ("news", "福建发布柑橘追溯数据采集指南（示例）", "Fujian issues a citrus traceability data guide (demo)",
               "指南依据追溯标准目录，统一了柑橘种植、采收和流通环节的数据采集指标。",
               "The guide follows the traceability catalog and unifies the citrus data-collection indicators."),
    "hainan": ("news", "海南举办热带农产品标准化培训（示例）", "Hainan trains on tropical produce standards (demo)",
               "来自四个试验区的学员参加了培训，并获得结业证书。",
               "Trainees from the four zones took part and received their certificates."),
}


async def load_cooperation_demo(session: AsyncSession, *, today: dt.date | None = None,
                                progress: Callable[[str], None] | None = None) -> str:
    today = today or dt.date.today()
    people = People(session)
    await people.load()
    host = await people.act("jx-secretary")
    first = dt.datetime.combine(today - dt.timedelta(days=60), dt.time(9), tzinfo=CHINA)
    regional = await meetings.create_series(
        session, host, kind="regional", title_zh="国家生态文明试验区标准化主管部门负责同志和院（所）长会（示例）",
        title_en="Regional meeting of the pilot zones' standardisation authorities and institute heads (demo)",
        first_start=first, duration_minutes=210, recurrence="FREQ=YEARLY;COUNT=4", location="南昌市 某会议中心（示例）",
        description="每年一次，四个试验区轮流汇报标准化工作，商定联合发布生态文明标准的计划。",
        invited_zones=["guizhou", "fujian", "hainan"])
    # Each zone's office names its director.
    directors = [(await people.act(f"{PREFIX[z]}-director")).user_id for z in ZONES]
    for zone, director in zip(ZONES, directors, strict=True):
        office = await people.act(f"{PREFIX[zone]}-secretary")
        await meetings.invite_person(session, office, series_id=regional.id, user_id=director)
    host = await people.act("jx-secretary")
    held = (await meetings.list_meetings(session, series_id=regional.id, first=1)).items[0]
    await records.record_attendance(session, host, meeting_id=held.id, presences=[
        records.Presence(user_id, present=user_id != directors[3]) for user_id in directors])
    for zone in ("jiangxi", "fujian"):
        office = await people.act(f"{PREFIX[zone]}-secretary")
        await records.add_material(session, office, meeting_id=held.id,
                                   title_zh=f"{people.zones[zone].name_zh}标准化工作汇报（示例）",
                                   title_en=f"{people.zones[zone].name_en}'s standardisation report (demo)",
                                   url=f"https://example.org/demo/{zone}-report.pdf")
    host = await people.act("jx-secretary")
    await records.write_minutes(session, host, meeting_id=held.id, summary=(
        "会议听取了四个试验区的标准化工作汇报，讨论了联合发布生态文明标准的工作机制。海南因故缺席。"), decisions=[
        ("福建牵头起草柑橘追溯联合地方标准。", "Fujian leads the drafting of a joint local standard on citrus traceability."),
        ("下次会议由贵州承办。", "Guizhou hosts the next meeting.")])
    await records.add_follow_up(session, host, meeting_id=held.id, zone_slug="fujian",
                                title_zh="提交柑橘追溯联合标准立项建议", title_en="Propose the joint citrus traceability standard",
                                due_on=today + dt.timedelta(days=30), decision_number=1)
    director = await people.act("jx-director")
    await records.publish_minutes(session, director, meeting_id=held.id)

    host = await people.act("jx-secretary")
    await meetings.create_series(
        session, host, kind="thematic", title_zh="生态文明标准化工作专题会议（示例）",
        title_en="Thematic meeting on ecological civilisation standardisation (demo)",
        first_start=dt.datetime.combine(today + dt.timedelta(days=14), dt.time(14, 30), tzinfo=CHINA),
        duration_minutes=120, recurrence="FREQ=MONTHLY;INTERVAL=3;COUNT=4",
        online_link="https://meeting.example.org/ecozone-thematic", invited_zones=["guizhou"])

    for zone, (kind, title_zh, title_en, body_zh, body_en) in ARTICLES.items():
        office = await people.act(f"{PREFIX[zone]}-secretary")
        article = await news.draft_article(session, office, kind=kind, title_zh=title_zh, title_en=title_en,
                                           body_zh=body_zh, body_en=body_en)
        await news.publish_article(session, office, article_id=article.id)
    await news.draft_article(session, await people.act("jx-secretary"), kind="announcement",
                             title_zh="关于下一次联席会议的安排（草稿，示例）", title_en="Next joint meeting (draft, demo)",
                             body_zh="待定。", body_en="To be settled.")
    await apply_scope(session, Scope.system())
    line = ("joint meetings: a yearly regional series hosted by Jiangxi (4 meetings, the first held and its minutes "
            "published, a follow-up for Fujian) and a quarterly thematic series with Guizhou; news: 4 articles "
            "published, 1 draft")
    if progress:
        progress(line)
    return line
