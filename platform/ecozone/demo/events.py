"""Demo of the zones working together: Jiangxi's digital standards hall and a public lecture in it
with a waiting list that moves, a Fujian enterprise's question answered by a Guizhou expert and
rated, and a pilot demonstration site on a published standard — made by the real services as the
right people. Runs after ``demo.load_demo``'s workflow demo (users, verified experts and
published standards exist). Everything is invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.consulting import service as consulting
from ecozone.db.scoping import Scope, apply_scope
from ecozone.demo.workflow import People, _expert_user, _panel_experts
from ecozone.events import service as events
from ecozone.events import venues
from ecozone.standards.models import Standard
from ecozone.uptake import service as uptake


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


async def load_events_demo(session: AsyncSession, *, today: dt.date | None = None,
                           progress: Callable[[str], None] | None = None) -> str:
    today = today or dt.date.today()
    people = People(session)
    await people.load()
    lecture_day = today + dt.timedelta(days=21)

    secretary = await people.act("jx-secretary")
    hall = await venues.create_venue(session, secretary, kind="room", name_zh="数字标准馆报告厅（示例）",
                                     name_en="Digital Standards Hall (demo)", location="南昌市 某园区 标准馆一层",
                                     seats=120)
    await venues.create_venue(session, await people.act("jx-secretary"), kind="equipment",
                              name_zh="多媒体互动展示屏（示例）", name_en="Interactive display wall (demo)")
    lecture = await events.create_event(
        session, await people.act("jx-secretary"), kind="lecture", audience="public",
        title_zh="走进绿色生态标准：面向中学生的科普讲座", title_en="Green ecology standards: a lecture for school students",
        description="标准是什么、绿色农产品如何追溯（示例活动）。", starts_at=_at(lecture_day, 1),
        ends_at=_at(lecture_day, 3), capacity=2, registration_deadline=_at(lecture_day - dt.timedelta(days=1), 10),
        venue_id=hall.id)
    await venues.book_venue(session, await people.act("jx-secretary"), venue_id=hall.id,
                            starts_at=_at(lecture_day, 0), ends_at=_at(lecture_day, 4),
                            purpose="科普讲座（含布场）", event_id=lecture.id)
    # Three people ask for two seats; Guizhou's member cancels and Hainan's, who waited, takes the seat.
    registrations = {}
    for username, zone in (("gz-member1", "guizhou"), ("fj-member1", "fujian"), ("hn-member1", "hainan")):
        registrations[username] = await events.register(session, await people.act(username, zone),
                                                        event_id=lecture.id)
    await events.cancel_registration(session, await people.act("gz-member1", "guizhou"),
                                     registration_id=registrations["gz-member1"].id)

    # A Fujian enterprise asks; Fujian's office assigns a Guizhou expert, who answers; it is rated.
    asker = await people.act("fj-member1", "fujian")
    request = await consulting.ask(
        session, asker, requesting_unit="闽北某茶业有限公司（示例）", field="茶叶加工", category="tea",
        title="白茶萎凋记录如何满足团体标准的追溯要求", contact="生产部（示例）",
        question="我司拟按绿色生态团体标准组织白茶生产，萎凋环节的温湿度记录应保存哪些字段、保存多久？")
    expert_id = (await _panel_experts(session, people.zones["guizhou"], 1))[0]
    await consulting.assign_expert(session, await people.act("fj-secretary"), request_id=request.id,
                                   expert_id=expert_id)
    expert_user = await _expert_user(session, expert_id)
    await consulting.answer(session, await people.act(expert_user), request_id=request.id,
                            body="按批次连续记录温度、湿度与时长，随批次追溯码保存不少于两年（示例答复）。")
    await consulting.rate(session, await people.act("fj-member1", "fujian"), request_id=request.id, rating=5,
                          comment="答复具体，可直接执行。")

    # A pilot demonstration site and an application on the first published standard.
    await apply_scope(session, Scope.system())
    standard_id = await session.scalar(select(Standard.id).where(Standard.state == "published").order_by(Standard.id))
    pilots = 0
    if standard_id is not None:
        await uptake.record_uptake(
            session, await people.act("jx-secretary"), standard_id=standard_id, kind="pilot", subject_kind="place",
            subject_name="婺源县某茶园示范基地（示例）", place="江西省上饶市", starts_on=today - dt.timedelta(days=90),
            ends_on=today + dt.timedelta(days=275), summary="按标准组织生产与追溯编码（示例）。",
            results="首季示范面积 500 亩（示例）。")
        await uptake.record_uptake(
            session, await people.act("gz-secretary"), standard_id=standard_id, kind="application",
            subject_kind="enterprise", subject_name="黔东南某茶业公司（示例）", starts_on=today - dt.timedelta(days=30))
        pilots = 1
    await apply_scope(session, Scope.system())
    if progress:
        progress(f"events: 《{lecture.title_zh}》 in {hall.name_zh} (2 seats, a waiting list that moved); "
                 f"1 consultation answered and rated; {pilots} pilot site")
    return f"1 venue and 1 equipment, 1 event, 1 consultation, {pilots} pilot site"
