"""Council officers (章程 第五条, 第七条, 第十五条; 办法 第七条): elections recorded, offices ended, terms watched.

A term's end is computed (3 years); an officer whose term has run out is shown as "expired" but the
row stays "serving" until the office is ended or the person is re-elected: the charter lets officers
be re-elected (第七条 “连选连任”) and the council keeps working until it does so. Seats and the
one-third rule count the officers serving at the new term's start, so a new council can be elected
for the day after the old one's term without ending every office first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.auth.models import User
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.pagination import Page, page_of, paginate
from ecozone.errors import Conflict, FieldError, NotFound, ValidationFailed, raise_if_invalid
from ecozone.governance import clock, rules
from ecozone.governance.models import Officer
from ecozone.governance.units import active_unit_count, get_unit, passed_motion
from ecozone.notifications.service import Message, notify

OFFICER = "council_officer"
OFFICER_STATES = ("serving", "ended")
MAX_NOTICE_DAYS = 366


def list_officers(*, state: str | None = "serving", office: str | None = None) -> Select:
    stmt = select(Officer)
    if state is not None:
        stmt = stmt.where(Officer.state == state)
    if office is not None:
        stmt = stmt.where(Officer.office == office)
    return stmt


async def officers_page(session: AsyncSession, actor: Actor, *, state: str | None, office: str | None,
                        first: int, after: str | None, max_page_size: int = 100) -> Page[Officer]:
    require(actor, OFFICER, "read")
    errors = []
    if state is not None and state not in OFFICER_STATES:
        errors.append(FieldError("state", "choice", "state must be serving or ended", "状态必须是在任或已卸任"))
    if office is not None and office not in rules.OFFICES:
        errors.append(FieldError("office", "choice", f"office must be one of {', '.join(rules.OFFICES)}",
                                 "职务必须是：" + "、".join(zh for zh, _ in rules.OFFICE_LABELS.values())))
    raise_if_invalid(errors)
    return await paginate(session, list_officers(state=state, office=office), order=(Officer.id,),
                          first=first, after=after, max_page_size=max_page_size)


async def get_officer(session: AsyncSession, officer_id: int) -> Officer:
    officer = await session.scalar(select(Officer).where(Officer.id == officer_id))
    if officer is None:
        raise NotFound(f"officer {officer_id} not found in this zone", f"本试验区没有理事会负责人 {officer_id}")
    return officer


async def serving_counts(session: AsyncSession, *, on: dt.date | None = None) -> dict[str, int]:
    """Serving officers per office (every office present); with ``on``, those whose term reaches that day."""
    stmt = select(Officer.office, func.count()).where(Officer.state == "serving").group_by(Officer.office)
    if on is not None:
        stmt = stmt.where(Officer.term_end >= on)
    counts = dict.fromkeys(rules.OFFICES, 0)
    counts.update({office: n for office, n in (await session.execute(stmt)).all()})
    return counts


async def sitting_chair(session: AsyncSession) -> Officer | None:
    """The serving chair (the latest elected, should terms overlap)."""
    return await session.scalar(list_officers(office="chair").order_by(
        Officer.term_start.desc(), Officer.id.desc()).limit(1))


async def vice_chair_unit_ids(session: AsyncSession, *, on: dt.date | None = None) -> set[int]:
    """Member units of the serving vice-chairs (a vice-chair is present when their unit is, 第二十二条);
    with ``on``, only those whose term covers that day."""
    stmt = select(Officer.member_unit_id).where(Officer.state == "serving", Officer.office == "vice_chair")
    if on is not None:
        stmt = stmt.where(Officer.term_start <= on, Officer.term_end >= on)
    return set((await session.scalars(stmt)).all())


def term_status(officer: Officer, today: dt.date | None = None) -> tuple[str, int | None]:
    """("serving" | "expiring" | "expired" | "ended", days left in the term or None once ended)."""
    if officer.state == "ended":
        return "ended", None
    return rules.term_expiry(officer.term_end, today or clock.today())


def _snapshot(officer: Officer) -> dict[str, Any]:
    return {"memberUnitId": officer.member_unit_id, "personName": officer.person_name,
            "userId": officer.user_id, "office": officer.office, "termStart": officer.term_start,
            "termEnd": officer.term_end, "state": officer.state, "endedOn": officer.ended_on,
            "motionId": officer.elected_by_motion_id}


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


async def elect_officer(session: AsyncSession, actor: Actor, *, member_unit_id: int, person_name: str,
                        birth_date: dt.date, office: str, term_start: dt.date, user_id: int | None = None,
                        motion_id: int | None = None) -> Officer:
    """Record an election (第五条): seats, the age limit (第十五条(三)) and the one-third rule (办法 第七条)."""
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
    if motion_id is not None:
        await passed_motion(session, motion_id)
    current = list((await session.scalars(list_officers(office=office))).all())
    previous_terms = [o for o in current if _same_person(o, user_id=user_id, member_unit_id=member_unit_id,
                                                          person_name=name)]
    if any(o.term_end >= term_start for o in previous_terms):
        raise Conflict(f"{name} already holds this office for a term reaching {term_start}",
                       f"{name}已担任该职务，任期覆盖 {term_start}")
    counts = await serving_counts(session, on=term_start)
    _raise_charter(rules.officer_errors(
        office=office, birth_date=birth_date, term_start=term_start, serving_in_office=counts.get(office, 0),
        serving_leaders=sum(counts[o] for o in rules.LEADER_OFFICES), active_units=await active_unit_count(session)))
    # Re-elected (连选连任): the finished term's row ends where that term did.
    for old in previous_terms:
        old.state, old.ended_on = "ended", old.term_end
    officer = Officer(member_unit_id=unit.id, person_name=name, user_id=user_id, birth_date=birth_date,
                      office=office, term_start=term_start, term_end=rules.term_end(term_start),
                      elected_by_motion_id=motion_id, state="serving")
    session.add(officer)
    await session.flush()
    await record(session, actor, action="council_officer.elect", object_type="council_officer",
                 object_id=officer.id, after={**_snapshot(officer), "succeeds": sorted(o.id for o in previous_terms)})
    zh, en = rules.OFFICE_LABELS[office]
    await notify(session, actor, [user_id], Message(
        kind="council_officer.elected", subject_type="council_officer", subject_id=officer.id,
        title_en=f"Elected {en.lower()} of the council until {officer.term_end}",
        title_zh=f"当选理事会{zh}，任期至 {officer.term_end}"))
    return officer


async def end_office(session: AsyncSession, actor: Actor, *, officer_id: int, ended_on: dt.date,
                     reason: str) -> Officer:
    """Record that an officer left office (第七条: 因故不能履职, or removed)."""
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
    if officer.state == "ended":
        raise Conflict(f"this office already ended on {officer.ended_on}", f"该职务已于 {officer.ended_on} 卸任")
    if ended_on < officer.term_start:
        raise_if_invalid([FieldError("endedOn", "range", f"the end date is before the term start {officer.term_start}",
                                     f"卸任日期早于任期开始日期 {officer.term_start}")])
    before = _snapshot(officer)
    officer.state, officer.ended_on = "ended", ended_on
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
    horizon = (today or clock.today()) + dt.timedelta(days=within_days)
    return list((await session.scalars(list_officers().where(Officer.term_end <= horizon)
                                       .order_by(Officer.term_end, Officer.id))).all())


async def expiring_officers_page(session: AsyncSession, actor: Actor, *, within_days: int, first: int,
                                 after: str | None, max_page_size: int = 100) -> Page[Officer]:
    officers = await expiring_officers(session, actor, within_days=within_days)
    return page_of(officers, lambda o: o.id, first=first, after=after, max_page_size=max_page_size)
