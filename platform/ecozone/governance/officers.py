"""Council officers (章程 第五条, 第七条, 第十五条, 第十八条(三); 办法 第七条, 第八条): elections and removals
by passed motions, terms watched.

A term's end is computed (3 years). Where an officer stands on a day is ``rules.officer_standing``:
elected ahead of the term they are "elect" (a chair-elect cannot act as chair); an officer whose term
has run out is shown as "expired" but keeps serving — the charter lets officers be re-elected (第七条
“连选连任”) and the council keeps working until it does so — until the day before a successor's term
of the same office begins, which the successor's election schedules as the last day in office. Seats
and the one-third rule count the officers holding office at the new term's start, so a new council can
be elected for the day after the old one's term without ending every office first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.auth.models import User
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.pagination import Page, page_of, paginate
from ecozone.errors import Conflict, FieldError, NotFound, ValidationFailed, raise_if_invalid
from ecozone.governance import clock, rules
from ecozone.governance.models import Meeting, Officer
from ecozone.governance.units import active_unit_count, get_unit, passed_motion
from ecozone.notifications.service import Message, notify

OFFICER = "council_officer"
OFFICER_STATES = rules.OFFICER_STANDINGS
MAX_NOTICE_DAYS = 366
GENERAL_MEETING_WHY = (("the chair, vice-chairs, secretary-general and base director are elected and removed by "
                        "the general meeting (Council Charter, Article 18(3))"),
                       "理事长、副理事长、秘书长和创新基地主任由全体会议（理事大会）选举和罢免（章程第十八条(三)）")


def _not_ended_on(day: dt.date):
    return and_(Officer.state == "serving", or_(Officer.ended_on.is_(None), Officer.ended_on >= day))


def standing_on(standing: str, day: dt.date):
    """SQL for ``rules.officer_standing(...) == standing`` on ``day`` (the same rule, as a condition)."""
    if standing == "ended":
        return or_(Officer.state == "ended", Officer.ended_on < day)
    if standing == "elect":
        return and_(_not_ended_on(day), Officer.term_start > day)
    return and_(_not_ended_on(day), Officer.term_start <= day)


def standing(officer: Officer, today: dt.date | None = None) -> str:
    return rules.officer_standing(ended_by_decision=officer.state == "ended", term_start=officer.term_start,
                                  ended_on=officer.ended_on, today=today or clock.today())


def list_officers(*, state: str | None = "serving", office: str | None = None,
                  today: dt.date | None = None) -> Select:
    """Officers standing ``state`` (elect | serving | ended) today, China's date; all of them with None."""
    stmt = select(Officer)
    if state is not None:
        stmt = stmt.where(standing_on(state, today or clock.today()))
    if office is not None:
        stmt = stmt.where(Officer.office == office)
    return stmt


async def officers_page(session: AsyncSession, actor: Actor, *, state: str | None, office: str | None,
                        first: int, after: str | None, max_page_size: int = 100,
                        member_unit_id: int | None = None) -> Page[Officer]:
    """One page of the zone's officers; with ``member_unit_id``, those holding office for that unit
    (another zone's unit is not found: an empty page would say it has no officers)."""
    require(actor, OFFICER, "read")
    errors = []
    if state is not None and state not in OFFICER_STATES:
        errors.append(FieldError("state", "choice", "state must be elect, serving or ended",
                                 "状态必须是候任、在任或已卸任"))
    if office is not None and office not in rules.OFFICES:
        errors.append(FieldError("office", "choice", f"office must be one of {', '.join(rules.OFFICES)}",
                                 "职务必须是：" + "、".join(zh for zh, _ in rules.OFFICE_LABELS.values())))
    raise_if_invalid(errors)
    stmt = list_officers(state=state, office=office)
    if member_unit_id is not None:
        await get_unit(session, member_unit_id)
        stmt = stmt.where(Officer.member_unit_id == member_unit_id)
    return await paginate(session, stmt, order=(Officer.id,),
                          first=first, after=after, max_page_size=max_page_size)


async def get_officer(session: AsyncSession, officer_id: int) -> Officer:
    officer = await session.scalar(select(Officer).where(Officer.id == officer_id))
    if officer is None:
        raise NotFound(f"officer {officer_id} not found in this zone", f"本试验区没有理事会负责人 {officer_id}")
    return officer


async def serving_counts(session: AsyncSession, *, on: dt.date | None = None) -> dict[str, int]:
    """Officers per office (every office present) not ended; with ``on``, those holding office during the
    term starting that day: not ended before it, term reaching it, and not starting after that term."""
    stmt = select(Officer.office, func.count()).where(Officer.state == "serving").group_by(Officer.office)
    if on is not None:
        stmt = stmt.where(_not_ended_on(on), Officer.term_end >= on, Officer.term_start <= rules.term_end(on))
    counts = dict.fromkeys(rules.OFFICES, 0)
    counts.update({office: n for office, n in (await session.execute(stmt)).all()})
    return counts


async def sitting_chair(session: AsyncSession, today: dt.date | None = None) -> Officer | None:
    """The chair serving today (China's date): a chair-elect is not the chair before the term begins."""
    return await session.scalar(list_officers(office="chair", today=today).order_by(
        Officer.term_start.desc(), Officer.id.desc()).limit(1))


async def vice_chair_unit_ids(session: AsyncSession, *, on: dt.date | None = None) -> set[int]:
    """Member units of the serving vice-chairs (a vice-chair is present when their unit is, 第二十二条);
    with ``on``, only those whose term covers that day."""
    stmt = select(Officer.member_unit_id).where(Officer.state == "serving", Officer.office == "vice_chair")
    if on is not None:
        stmt = stmt.where(_not_ended_on(on), Officer.term_start <= on, Officer.term_end >= on)
    return set((await session.scalars(stmt)).all())


def term_status(officer: Officer, today: dt.date | None = None) -> tuple[str, int | None]:
    """("elect" | "serving" | "expiring" | "expired" | "ended", days left in the term or None once ended)."""
    today = today or clock.today()
    now = standing(officer, today)
    if now == "ended":
        return "ended", None
    state, days_left = rules.term_expiry(officer.term_end, today)
    return ("elect" if now == "elect" else state), days_left


def _snapshot(officer: Officer) -> dict[str, Any]:
    return {"memberUnitId": officer.member_unit_id, "personName": officer.person_name,
            "userId": officer.user_id, "office": officer.office, "termStart": officer.term_start,
            "termEnd": officer.term_end, "state": officer.state, "endedOn": officer.ended_on,
            "motionId": officer.elected_by_motion_id, "endedByMotionId": officer.ended_by_motion_id,
            "appointedByOfficerId": officer.appointed_by_officer_id}


def _raise_charter(problems: list) -> None:
    """Input errors first (all of them at once), then every charter refusal in one Conflict."""
    invalid = [e for p in problems if isinstance(p, ValidationFailed) for e in p.errors]
    raise_if_invalid(invalid)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        refusal = Conflict("; ".join(p.message_en for p in problems), "；".join(p.message_zh for p in problems))
        refusal.code = problems[0].code
        raise refusal


def _same_person(a: Officer, *, user_id: int | None, member_unit_id: int, person_name: str) -> bool:
    if a.user_id is not None and user_id is not None:
        return a.user_id == user_id
    return a.member_unit_id == member_unit_id and a.person_name == person_name


async def deciding_motion(session: AsyncSession, office: str, motion_id: int) -> None:
    """The passed motion of this zone that decides on ``office``: of a general meeting for the four
    leaders (章程 第十八条(三)), of any council meeting for a standing director (第五条, 第七条)."""
    await passed_motion(session, motion_id, general_meeting=office in rules.GENERAL_MEETING_OFFICES,
                        why=GENERAL_MEETING_WHY)


async def _founding_only(session: AsyncSession) -> None:
    held = await session.scalar(select(func.count()).select_from(Meeting).where(Meeting.opened_at.is_not(None)))
    if held:
        raise rules.CharterRefusal(
            "an election is recorded with the passed motion that decided it: this council has held meetings "
            "on the platform, so only the founding council is recorded without one",
            "选举须附作出决定的已通过议案：本理事会已在平台召开会议，只有首届理事会可不附议案登记",
            article_zh="章程第五条、第十八条(三)", article_en="Council Charter, Articles 5 and 18(3)")


async def elect_officer(session: AsyncSession, actor: Actor, *, member_unit_id: int, person_name: str,
                        birth_date: dt.date, office: str, term_start: dt.date, motion_id: int | None,
                        user_id: int | None = None) -> Officer:
    """Record an election by its passed motion (第五条, 第十八条(三)): seats, the age limit (第十五条(三)),
    the one-third rule with the base director counted (办法 第七条), and the base director's appointment
    by the sitting chair on behalf of the council (办法 第八条).

    Without a motion only the founding council is recorded: while no meeting of the zone's council
    has opened on the platform (the founding meeting voted before the platform kept the record).
    """
    require(actor, OFFICER, "elect", object_id=member_unit_id)
    name = (person_name or "").strip()
    errors = []
    if not name or len(name) > 100:
        errors.append(FieldError("personName", "length", "personName must be 1–100 characters",
                                 "姓名须为 1–100 个字符"))
    if user_id is not None and await session.get(User, user_id) is None:
        errors.append(FieldError("userId", "not_found", f"user {user_id} does not exist", f"用户 {user_id} 不存在"))
    raise_if_invalid(errors)
    unit = await get_unit(session, member_unit_id)
    if unit.state != "active":
        raise Conflict(f"{unit.name_en} is not an active member unit ({unit.state}): officers hold office for "
                       "a member unit", f"{unit.name_zh}不是在册成员单位（{rules.UNIT_MACHINE.state_names_zh[unit.state]}），"
                       "理事会负责人须由成员单位人员担任")
    if motion_id is None:
        await _founding_only(session)
    elif office in rules.OFFICES:
        await deciding_motion(session, office, motion_id)
    current = list((await session.scalars(list_officers(state=None, office=office).where(
        Officer.state == "serving"))).all())
    previous_terms = [o for o in current if _same_person(o, user_id=user_id, member_unit_id=member_unit_id,
                                                          person_name=name)]
    if any(o.term_end >= term_start for o in previous_terms):
        raise Conflict(f"{name} already holds this office for a term reaching {term_start}",
                       f"{name}已担任该职务，任期覆盖 {term_start}")
    counts = await serving_counts(session, on=term_start)
    _raise_charter(rules.officer_errors(
        office=office, birth_date=birth_date, term_start=term_start, serving_in_office=counts.get(office, 0),
        serving_leaders=sum(counts[o] for o in rules.LEADER_OFFICES), active_units=await active_unit_count(session)))
    appointed_by = None
    if office == "base_director":
        chair = await sitting_chair(session)
        if chair is None:
            raise rules.CharterRefusal(
                "the base director is appointed by the chair on behalf of the council, and no chair is serving "
                "today (a chair-elect does not appoint before the term begins)",
                "创新基地主任由理事长代表理事会任命，今日没有在任理事长（候任理事长在任期开始前不能任命）",
                article_zh="管理办法第八条", article_en="Management Measures, Article 8")
        appointed_by = chair.id
    # Holders whose term ran out before this one begins serve until the day before (a re-elected
    # person's finished term included: 连选连任 continues in a new row).
    for old in current:
        if old.term_end < term_start and (old.ended_on is None or old.ended_on >= term_start):
            old.ended_on = max(old.term_end, term_start - dt.timedelta(days=1))
    officer = Officer(member_unit_id=unit.id, person_name=name, user_id=user_id, birth_date=birth_date,
                      office=office, term_start=term_start, term_end=rules.term_end(term_start),
                      elected_by_motion_id=motion_id, appointed_by_officer_id=appointed_by, state="serving")
    session.add(officer)
    await session.flush()
    await record(session, actor, action="council_officer.elect", object_type="council_officer",
                 object_id=officer.id, after={**_snapshot(officer), "succeeds": sorted(o.id for o in previous_terms)})
    zh, en = rules.OFFICE_LABELS[office]
    await notify(session, actor, [user_id], Message(
        kind="council_officer.elected", subject_type="council_officer", subject_id=officer.id,
        title_en=f"Elected {en.lower()} of the council from {officer.term_start} until {officer.term_end}",
        title_zh=f"当选理事会{zh}，任期自 {officer.term_start} 至 {officer.term_end}"))
    return officer


async def end_office(session: AsyncSession, actor: Actor, *, officer_id: int, ended_on: dt.date,
                     reason: str, motion_id: int) -> Officer:
    """Record an office ended by the council's vote (第七条: 因故不能履职 or adjusted, “经理事会成员会议讨论、
    表决通过”; the four leaders removed by the general meeting, 第十八条(三))."""
    require(actor, OFFICER, "end", object_id=officer_id)
    text = (reason or "").strip()
    errors = []
    if not text or len(text) > 2000:
        errors.append(FieldError("reason", "length", "say why the office ends (1–2000 characters)",
                                 "请说明卸任原因（1–2000 个字符）"))
    if ended_on > clock.today():
        errors.append(FieldError("endedOn", "future", "the end date cannot be in the future", "卸任日期不能晚于今天"))
    raise_if_invalid(errors)
    officer = await get_officer(session, officer_id)
    if standing(officer) == "ended":
        raise Conflict(f"this office already ended on {officer.ended_on}", f"该职务已于 {officer.ended_on} 卸任")
    if ended_on < officer.term_start:
        raise_if_invalid([FieldError("endedOn", "range", f"the end date is before the term start {officer.term_start}",
                                     f"卸任日期早于任期开始日期 {officer.term_start}")])
    await deciding_motion(session, officer.office, motion_id)
    before = _snapshot(officer)
    officer.state, officer.ended_on, officer.ended_by_motion_id = "ended", ended_on, motion_id
    await session.flush()
    await record(session, actor, action="council_officer.end", object_type="council_officer",
                 object_id=officer.id, before=before, after={**_snapshot(officer), "reason": text})
    zh, en = rules.OFFICE_LABELS[officer.office]
    await notify(session, actor, [officer.user_id], Message(
        kind="council_officer.ended", subject_type="council_officer", subject_id=officer.id,
        title_en=f"Your office of {en.lower()} ended on {ended_on}", title_zh=f"您的{zh}职务已于 {ended_on} 卸任",
        body_en=text, body_zh=text))
    return officer


async def expiring_officers(session: AsyncSession, actor: Actor, *, within_days: int = rules.EXPIRY_NOTICE_DAYS,
                            today: dt.date | None = None) -> list[Officer]:
    """Serving officers whose term ends within ``within_days`` days, or has ended already, soonest first."""
    require(actor, OFFICER, "read")
    if not 0 <= within_days <= MAX_NOTICE_DAYS:
        raise_if_invalid([FieldError("withinDays", "range", f"withinDays must be between 0 and {MAX_NOTICE_DAYS}",
                                     f"withinDays 须在 0 到 {MAX_NOTICE_DAYS} 之间")])
    today = today or clock.today()
    horizon = today + dt.timedelta(days=within_days)
    return list((await session.scalars(list_officers(today=today).where(Officer.term_end <= horizon)
                                       .order_by(Officer.term_end, Officer.id))).all())


async def expiring_officers_page(session: AsyncSession, actor: Actor, *, within_days: int, first: int,
                                 after: str | None, max_page_size: int = 100) -> Page[Officer]:
    officers = await expiring_officers(session, actor, within_days=within_days)
    return page_of(officers, lambda o: o.id, first=first, after=after, max_page_size=max_page_size)
