"""Demo training: a Hainan programme with teachers from Jiangxi and Fujian, a full session with
a waiting list that moves, attendance and certificates — made by the real services as the right
people. Runs after ``demo.load_demo`` (users, roles, verified experts exist). Everything is invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.db.scoping import Scope, apply_scope
from ecozone.demo.workflow import People, _expert_user, _panel_experts
from ecozone.talent import bases
from ecozone.talent import service as talent


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


async def load_talent_demo(session: AsyncSession, *, today: dt.date | None = None,
                           progress: Callable[[str], None] | None = None) -> str:
    today = today or dt.date.today()
    people = People(session)
    await people.load()
    jx_teacher = (await _panel_experts(session, people.zones["jiangxi"], 1))[0]
    fj_teacher = (await _panel_experts(session, people.zones["fujian"], 1))[0]

    secretary = await people.act("hn-secretary")
    programme = await talent.create_programme(
        session, secretary, title_zh="热带农产品标准化与追溯实务培训班",
        title_en="Standardization and traceability of tropical farm products",
        topic="标准化与追溯", audience="四个试验区的成员单位和专家",
        description="两讲：标准体系与编写（江西专家），追溯编码与数据采集（福建专家）。",
        completion_rule="all")
    first_day, second_day = today - dt.timedelta(days=14), today - dt.timedelta(days=7)
    classroom = await talent.add_session(
        session, secretary, programme_id=programme.id, title_zh="第一讲：标准体系与标准编写",
        title_en="Session 1: standard systems and drafting", starts_at=_at(first_day, 1),
        ends_at=_at(first_day, 8), capacity=3, enrolment_deadline=_at(first_day - dt.timedelta(days=3), 10),
        venue="海口市 热带农业标准化培训中心 301 室", teacher_ids=[jx_teacher])
    online = await talent.add_session(
        session, secretary, programme_id=programme.id, title_zh="第二讲：追溯编码与数据采集",
        title_en="Session 2: traceability codes and data collection", starts_at=_at(second_day, 1),
        ends_at=_at(second_day, 4), capacity=50, enrolment_deadline=_at(second_day - dt.timedelta(days=1), 10),
        online_link="https://meeting.example.org/ecozone-training-2", teacher_ids=[fj_teacher])

    # Five people from four zones ask for three seats: two wait, in order.
    asked = _at(first_day - dt.timedelta(days=5), 9)
    enrolments = {}
    for username, zone in (("gz-member1", "guizhou"), ("jx-member1", "jiangxi"), ("hn-member1", "hainan"),
                           ("fj-member1", "fujian"), ("gz-member2", "guizhou")):
        actor = await people.act(username, zone)
        enrolments[username] = await talent.enrol(session, actor, session_id=classroom.id, at=asked)
        if enrolments[username].state == "enrolled":
            await talent.enrol(session, actor, session_id=online.id, at=asked)
    # Jiangxi's member withdraws: Fujian's, first in the queue, takes the seat (and is notified).
    await talent.withdraw(session, await people.act("jx-member1", "jiangxi"),
                          enrolment_id=enrolments["jx-member1"].id)
    await talent.enrol(session, await people.act("fj-member1", "fujian"), session_id=online.id, at=asked)

    secretary = await people.act("hn-secretary")
    seated = [enrolments[u].id for u in ("gz-member1", "hn-member1", "fj-member1")]
    await talent.record_attendance(session, secretary, session_id=classroom.id, enrolment_ids=seated)
    online_roster = (await talent.session_enrolments(session, secretary, session_id=online.id, first=50)).items
    # Hainan's member missed the online session: no certificate (the rule is "every session").
    hn_user = (await people.act("hn-member1", "hainan")).user_id
    secretary = await people.act("hn-secretary")
    await talent.record_attendance(session, secretary, session_id=online.id, enrolment_ids=[
        e.id for e in online_roster if e.state == "enrolled" and e.user_id != hn_user])
    certificates = await talent.issue_certificates(session, secretary, programme_id=programme.id)
    holder = await people.act("fj-member1", "fujian")
    mine = [c for c in certificates if c.user_id == holder.user_id]
    if mine:
        await talent.set_name_display(session, holder, certificate_id=mine[0].id, display="full")

    # A base with its partner university and people, and an open chief-expert call with one
    # application from another zone (left undecided, so the registry's chief experts stay as seeded).
    station = await bases.create_base(
        session, await people.act("hn-secretary"), kind="training_base", name_zh="海南热带农业标准化培训基地",
        name_en="Hainan tropical agriculture standardization training base", host_unit="海南某热带农业研究院",
        partner_university="海南某大学", starts_on=today.replace(month=1, day=1))
    await bases.attach_person(session, await people.act("hn-secretary"), base_id=station.id, name="基地导师（示例）",
                              role="导师", expert_id=fj_teacher, joined_on=today.replace(month=1, day=1))
    call = await bases.open_call(
        session, await people.act("hn-director"), title_zh="面向国内外征集热带农业标准化首席专家",
        title_en="Call for chief experts: tropical agriculture standardization", field="热带农业标准化",
        deadline=_at(today + dt.timedelta(days=60), 10))
    jx_user = await _expert_user(session, jx_teacher)
    await bases.apply_to_call(session, await people.act(jx_user, "jiangxi"), call_id=call.id,
                              statement="长期从事绿色农产品标准研制与推广（示例）。")
    await apply_scope(session, Scope.system())
    if progress:
        progress(f"training 《{programme.title_zh}》 (hainan; teachers from jiangxi and fujian): "
                 f"2 sessions, waiting list moved, {len(certificates)} certificates "
                 f"({', '.join(c.code for c in certificates)})")
    return (f"1 training programme (2 sessions, {len(certificates)} certificates), 1 training base, "
            "1 chief-expert call")
