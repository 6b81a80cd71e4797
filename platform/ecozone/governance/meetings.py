"""Council meetings (章程 第十八条 to 第二十二条): calling, agenda items, attendance, quorum, opening.

The secretariat runs the meeting; a member unit's representative submits agenda items. Every
query of the council tables is scoped to the acting zone by the data layer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.base import utcnow
from ecozone.db.pagination import Page, paginate
from ecozone.errors import (
    Conflict,
    DomainError,
    FieldError,
    NotFound,
    PermissionDenied,
    raise_if_invalid,
)
from ecozone.governance import calendar, clock, officers, rules, units, working_days
from ecozone.governance.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingProposer,
    MemberUnit,
    Motion,
)
from ecozone.notifications.service import Message, notify
from ecozone.tenancy.config import DEFAULT_SETTINGS
from ecozone.tenancy.models import Zone

MEETING_STATES = ("called", "in_session", "cancelled", "closed")


# --- member units and officers, as far as meetings need them (their services: units.py, officers.py)

async def active_units(session: AsyncSession) -> list[MemberUnit]:
    return list((await session.scalars(units.list_units(state="active").order_by(MemberUnit.id))).all())


async def record_activity(session: AsyncSession, unit_ids: Iterable[int], on: dt.date) -> None:
    """Attendance, votes and agenda items keep a unit off the exit list (第十四条)."""
    for unit_id in sorted(set(unit_ids)):
        await units.record_activity(session, unit_id, on)


async def representative_user_ids(session: AsyncSession) -> list[int]:
    return [u.representative_user_id for u in await active_units(session)
            if u.representative_user_id is not None]


# --- meetings

def _text(errors: list[FieldError], name: str, value: str | None, limit: int, *, required: bool) -> str | None:
    value = (value or "").strip() or None
    if value is None and required:
        errors.append(FieldError(name, "required", f"{name} is required", f"必须填写 {name}"))
    elif value is not None and len(value) > limit:
        errors.append(FieldError(name, "length", f"{name}: at most {limit} characters",
                                 f"{name} 最多 {limit} 个字符"))
    return value


def _raise_first(errors: list[DomainError]) -> None:
    if errors:
        raise errors[0]


async def get_meeting(session: AsyncSession, meeting_id: int, *, lock: bool = False) -> Meeting:
    """A meeting of the acting zone; another zone's is not found."""
    stmt = select(Meeting).where(Meeting.id == meeting_id)
    if lock:  # PostgreSQL row lock: one state change at a time; SQLite serialises writers anyway
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    meeting = await session.scalar(stmt)
    if meeting is None:
        raise NotFound(f"council meeting {meeting_id} not found", f"理事会会议 {meeting_id} 不存在")
    return meeting


async def read_meeting(session: AsyncSession, actor: Actor, meeting_id: int) -> Meeting:
    require(actor, "council_meeting", "read", object_id=meeting_id)
    return await get_meeting(session, meeting_id)


def _snapshot(meeting: Meeting) -> dict:
    return {"kind": meeting.kind, "titleZh": meeting.title_zh, "titleEn": meeting.title_en,
            "meetsOn": meeting.meets_on, "venue": meeting.venue, "votingMode": meeting.voting_mode,
            "proposedByCouncil": meeting.proposed_by_council, "state": meeting.state}


async def call_meeting(session: AsyncSession, actor: Actor, *, kind: str, title_zh: str, title_en: str,
                       meets_on: dt.date, venue: str | None = None, voting_mode: str = "in_person",
                       proposed_by_council: bool = False, proposing_unit_ids: Iterable[int] = ()
                       ) -> Meeting:
    """The secretariat calls a general (第十八条) or ad hoc (第二十条) meeting."""
    require(actor, "council_meeting", "manage")
    errors: list[FieldError] = []
    values = {"title_zh": _text(errors, "titleZh", title_zh, 200, required=True),
                  "title_en": _text(errors, "titleEn", title_en, 300, required=True),
                  "venue": _text(errors, "venue", venue, 300, required=False)}
    if kind not in rules.MEETING_KINDS:
        errors.append(FieldError("kind", "choice", f"kind must be one of {', '.join(rules.MEETING_KINDS)}",
                                 "会议类型必须是全体会议或临时会议"))
    if voting_mode not in rules.VOTING_MODES:
        errors.append(FieldError("votingMode", "choice",
                                 f"the voting mode must be one of {', '.join(rules.VOTING_MODES)}",
                                 "表决方式必须是现场、书面或线上表决"))
    if meets_on < clock.today():
        errors.append(FieldError("meetsOn", "past", f"the meeting date {meets_on.isoformat()} has passed",
                                 f"会议日期 {meets_on.isoformat()} 已过"))
    proposer_ids = sorted(set(proposing_unit_ids))
    units = {u.id: u for u in await active_units(session)}
    unknown = [i for i in proposer_ids if i not in units]
    if unknown:
        errors.append(FieldError("proposingUnitIds", "not_active",
                                 f"member unit {unknown[0]} is not an active member unit of this zone",
                                 f"成员单位 {unknown[0]} 不是本试验区的在册理事单位"))
    if kind == "general" and proposer_ids:
        errors.append(FieldError("proposingUnitIds", "general",
                                 "proposing units are for ad hoc meetings only",
                                 "只有临时会议需要提议单位"))
    raise_if_invalid(errors)
    if kind == "ad_hoc":
        _raise_first(rules.adhoc_proposal_errors(proposing_units=len(proposer_ids), active_units=len(units),
                                                 by_council=proposed_by_council))
    meeting = Meeting(kind=kind, meets_on=meets_on, voting_mode=voting_mode,
                      proposed_by_council=bool(proposed_by_council) if kind == "ad_hoc" else False,
                      state="called", called_by_id=actor.user_id, **values)
    session.add(meeting)
    await session.flush()
    session.add_all(MeetingProposer(meeting_id=meeting.id, member_unit_id=i) for i in proposer_ids)
    await session.flush()
    await record(session, actor, action="council_meeting.call", object_type="council_meeting",
                 object_id=meeting.id, after={**_snapshot(meeting), "proposingUnitIds": proposer_ids})
    zh_kind, en_kind = rules.MEETING_KIND_LABELS[kind]
    await notify(session, actor, [u.representative_user_id for u in units.values()], Message(
        kind="council_meeting.called", subject_type="council_meeting", subject_id=meeting.id,
        title_en=f"{en_kind} called for {meets_on.isoformat()}: {meeting.title_en}",
        title_zh=f"理事会{zh_kind}定于 {meets_on.isoformat()} 召开：{meeting.title_zh}",
        body_en=meeting.venue, body_zh=meeting.venue))
    return meeting


async def approve_voting_mode(session: AsyncSession, actor: Actor, *, meeting_id: int) -> Meeting:
    """第二十二条: written or online voting only with the chair's approval — the sitting chair's own."""
    require(actor, "council_meeting", "approve_voting_mode", object_id=meeting_id)
    chair = await officers.sitting_chair(session)
    if chair is None or chair.user_id is None or chair.user_id != actor.user_id:
        raise PermissionDenied(
            "only the sitting chair of the council may approve written or online voting "
            "(Council Charter, Article 22)",
            "书面或线上表决须经理事长本人批准（章程第二十二条）",
            action="council_meeting.approve_voting_mode", object_type="council_meeting",
            object_id=str(meeting_id))
    meeting = await get_meeting(session, meeting_id, lock=True)
    if meeting.voting_mode == "in_person":
        raise Conflict("this meeting votes in person: there is nothing to approve",
                       "本次会议为现场表决，无需批准")
    if meeting.state not in ("called", "in_session"):
        raise Conflict(f"the meeting is {meeting.state}: its voting mode can no longer be approved",
                       f"会议已{rules.MEETING_MACHINE.state_names_zh[meeting.state]}，不能再批准表决方式")
    if meeting.chair_approved_by_id is not None:
        raise Conflict("the chair has already approved this voting mode", "理事长已批准该表决方式")
    meeting.chair_approved_by_id = actor.user_id
    meeting.chair_approved_at = utcnow()
    await session.flush()
    await record(session, actor, action="council_meeting.approve_voting_mode",
                 object_type="council_meeting", object_id=meeting.id,
                 after={"votingMode": meeting.voting_mode})
    return meeting


async def _advance(session: AsyncSession, actor: Actor, meeting: Meeting, action: str, **after) -> Meeting:
    before = meeting.state
    meeting.state = rules.MEETING_MACHINE.advance(meeting.state, action)
    await session.flush()
    await record(session, actor, action=f"council_meeting.{action}", object_type="council_meeting",
                 object_id=meeting.id, before={"state": before}, after={"state": meeting.state, **after})
    return meeting


async def cancel_meeting(session: AsyncSession, actor: Actor, *, meeting_id: int) -> Meeting:
    require(actor, "council_meeting", "manage", object_id=meeting_id)
    meeting = await get_meeting(session, meeting_id, lock=True)
    await _advance(session, actor, meeting, "cancel")
    await notify(session, actor, await representative_user_ids(session), Message(
        kind="council_meeting.cancelled", subject_type="council_meeting", subject_id=meeting.id,
        title_en=f"Council meeting of {meeting.meets_on.isoformat()} cancelled: {meeting.title_en}",
        title_zh=f"{meeting.meets_on.isoformat()} 的理事会会议已取消：{meeting.title_zh}"))
    return meeting


async def close_meeting(session: AsyncSession, actor: Actor, *, meeting_id: int) -> Meeting:
    require(actor, "council_meeting", "manage", object_id=meeting_id)
    meeting = await get_meeting(session, meeting_id, lock=True)
    voting = await session.scalar(select(func.count()).select_from(Motion).where(
        Motion.meeting_id == meeting.id, Motion.state == "voting"))
    if voting:
        raise Conflict(f"{voting} motion(s) are still being voted on: count them before closing",
                       f"尚有 {voting} 项议案正在表决，请先计票再闭会")
    return await _advance(session, actor, meeting, "close")


# --- agenda items (第二十一条)

async def agenda_working_days(session: AsyncSession, zone_id: int | None) -> int:
    zone = await session.get(Zone, zone_id) if zone_id is not None else None
    council = ((zone.settings or {}) if zone else {}).get("council") or {}
    return int(council.get("agenda_working_days", DEFAULT_SETTINGS["council"]["agenda_working_days"]))


async def agenda_deadline(session: AsyncSession, meeting: Meeting, zone_id: int | None) -> dt.date | None:
    """The last day an agenda item may be submitted for ``meeting`` (第二十一条), or None while a year to
    count across has no calendar data (neither installed nor loaded)."""
    try:
        return working_days.last_agenda_submission_date(
            meeting.meets_on, await agenda_working_days(session, zone_id),
            await calendar.for_meeting(session, meeting.meets_on))
    except working_days.CalendarYearUnknown:
        return None


async def submit_agenda_item(session: AsyncSession, actor: Actor, *, meeting_id: int, title_zh: str,
                             title_en: str, summary: str | None = None, member_unit_id: int | None = None
                             ) -> AgendaItem:
    """A unit's representative (for that unit) or the secretariat (for any unit, or none) submits a topic
    at least N working days before the meeting, N from the zone's settings (default 5)."""
    require(actor, "council_meeting", "submit_agenda_item", object_id=meeting_id)
    secretariat = actor.can("council_meeting", "manage")
    own = await units.represented_unit(session, actor.user_id)
    if member_unit_id is not None and not secretariat and (own is None or own.id != member_unit_id):
        raise PermissionDenied("you may submit agenda items only for the member unit you represent",
                               "只能以您所代表的成员单位名义提交议题",
                               action="council_meeting.submit_agenda_item", object_type="council_meeting",
                               object_id=str(meeting_id))
    if member_unit_id is None and own is None and not secretariat:
        raise PermissionDenied(
            "agenda items are submitted by the representative of an active member unit or by the secretariat",
            "议题由在册理事单位的代表或秘书处提交",
            action="council_meeting.submit_agenda_item", object_type="council_meeting",
            object_id=str(meeting_id))
    meeting = await get_meeting(session, meeting_id)
    errors: list[FieldError] = []
    values = {"title_zh": _text(errors, "titleZh", title_zh, 200, required=True),
                  "title_en": _text(errors, "titleEn", title_en, 300, required=True),
                  "summary": _text(errors, "summary", summary, 10000, required=False)}
    unit_id = member_unit_id if member_unit_id is not None else (own.id if own else None)
    if member_unit_id is not None and secretariat and (own is None or own.id != member_unit_id):
        unit = await session.get(MemberUnit, member_unit_id)
        if unit is None or unit.state != "active":
            errors.append(FieldError("memberUnitId", "not_active",
                                     f"member unit {member_unit_id} is not an active member unit of this zone",
                                     f"成员单位 {member_unit_id} 不是本试验区的在册理事单位"))
    raise_if_invalid(errors)
    if meeting.state != "called":
        raise Conflict(f"agenda items are submitted while the meeting is called; it is {meeting.state}",
                       f"会议已{rules.MEETING_MACHINE.state_names_zh[meeting.state]}，不能再提交议题")
    today = clock.today()
    late = working_days.agenda_submission_error(today, meeting.meets_on,
                                                await agenda_working_days(session, actor.zone_id),
                                                await calendar.for_meeting(session, meeting.meets_on))
    if late is not None:
        raise late
    item = AgendaItem(meeting_id=meeting.id, member_unit_id=unit_id, submitted_on=today,
                      submitted_by_id=actor.user_id, **values)
    session.add(item)
    await session.flush()
    if unit_id is not None:
        await record_activity(session, [unit_id], today)
    await record(session, actor, action="council_meeting.submit_agenda_item", object_type="council_agenda_item",
                 object_id=item.id, after={"meetingId": meeting.id, "memberUnitId": unit_id, **values})
    return item


# --- attendance and quorum (第二十二条)

@dataclass(frozen=True)
class AttendanceEntry:
    member_unit_id: int
    present: bool
    attendee_name: str | None = None


async def record_attendance(session: AsyncSession, actor: Actor, *, meeting_id: int,
                            entries: list[AttendanceEntry]) -> Meeting:
    """The secretariat records who came, one row per unit (recording again corrects it)."""
    require(actor, "council_meeting", "manage", object_id=meeting_id)
    meeting = await get_meeting(session, meeting_id, lock=True)
    errors: list[FieldError] = []
    if not entries:
        errors.append(FieldError("entries", "required", "record at least one unit", "请至少登记一家单位"))
    ids = [e.member_unit_id for e in entries]
    if len(set(ids)) != len(ids):
        errors.append(FieldError("entries", "duplicate", "a unit appears twice", "同一单位登记了两次"))
    active = {u.id for u in await active_units(session)}
    for unit_id in sorted(set(ids) - active):
        errors.append(FieldError("entries", "not_active",
                                 f"member unit {unit_id} is not an active member unit of this zone",
                                 f"成员单位 {unit_id} 不是本试验区的在册理事单位"))
    names = [_text(errors, "attendeeName", e.attendee_name, 100, required=False) for e in entries]
    raise_if_invalid(errors)
    if meeting.state not in ("called", "in_session"):
        raise Conflict(f"attendance is recorded while the meeting is called or in session; it is {meeting.state}",
                       f"会议已{rules.MEETING_MACHINE.state_names_zh[meeting.state]}，不能再登记出席")
    existing = {a.member_unit_id: a for a in (await session.scalars(select(Attendance).where(
        Attendance.meeting_id == meeting.id, Attendance.member_unit_id.in_(ids)))).all()}
    for entry, name in zip(entries, names):
        row = existing.get(entry.member_unit_id)
        if row is None:
            session.add(Attendance(meeting_id=meeting.id, member_unit_id=entry.member_unit_id,
                                   present=entry.present, attendee_name=name, recorded_by_id=actor.user_id))
        else:
            row.present, row.attendee_name = entry.present, name
            row.recorded_by_id, row.recorded_at = actor.user_id, utcnow()
    await session.flush()
    await record_activity(session, [e.member_unit_id for e in entries if e.present], clock.today())
    await record(session, actor, action="council_meeting.record_attendance", object_type="council_meeting",
                 object_id=meeting.id, after={"entries": [
                     {"memberUnitId": e.member_unit_id, "present": e.present, "attendeeName": n}
                     for e, n in zip(entries, names)]})
    return meeting


async def present_unit_ids(session: AsyncSession, meeting_id: int) -> set[int]:
    """Active units marked present at the meeting."""
    return set((await session.scalars(select(Attendance.member_unit_id).join(
        MemberUnit, MemberUnit.id == Attendance.member_unit_id).where(
        Attendance.meeting_id == meeting_id, Attendance.present.is_(True),
        MemberUnit.state == "active"))).all())


async def quorum_now(session: AsyncSession, meeting: Meeting) -> rules.Quorum:
    """A vice-chair counts as present when the unit they hold office for is present (第二十二条)."""
    present = await present_unit_ids(session, meeting.id)
    vice_chair_units = await officers.vice_chair_unit_ids(session, on=meeting.meets_on)
    return rules.quorum(present=len(present), members=await units.active_unit_count(session),
                        vice_chairs_present=len(present & vice_chair_units))


async def meeting_quorum(session: AsyncSession, actor: Actor, *, meeting_id: int) -> rules.Quorum:
    """The quorum as attendance stands now (at any time, before or after opening)."""
    meeting = await read_meeting(session, actor, meeting_id)
    return await quorum_now(session, meeting)


class QuorumNotMet(Conflict):
    code = "quorum_not_met"

    def __init__(self, found: rules.Quorum):
        super().__init__(f"the meeting cannot open without a quorum: {found.rule_en}",
                         f"未达到法定人数，会议不能开始：{found.rule_zh}")
        self.quorum = found


async def open_meeting(session: AsyncSession, actor: Actor, *, meeting_id: int) -> Meeting:
    """Open the meeting when the quorum is met, keeping the counts found; otherwise it stays called."""
    require(actor, "council_meeting", "manage", object_id=meeting_id)
    meeting = await get_meeting(session, meeting_id, lock=True)
    rules.MEETING_MACHINE.advance(meeting.state, "open")  # refuse an illegal transition before counting
    found = await quorum_now(session, meeting)
    if not found.met:
        raise QuorumNotMet(found)
    meeting.opened_at = utcnow()
    meeting.present_at_opening = found.present
    meeting.members_at_opening = found.members
    meeting.vice_chairs_at_opening = found.vice_chairs_present
    return await _advance(session, actor, meeting, "open", present=found.present, members=found.members,
                          viceChairsPresent=found.vice_chairs_present)


# --- lists

async def list_meetings(session: AsyncSession, actor: Actor, *, state: str | None = None,
                        kind: str | None = None, year: int | None = None, first: int = 20,
                        after: str | None = None, max_page_size: int = 100) -> Page[Meeting]:
    """The zone's meetings in date order."""
    require(actor, "council_meeting", "read")
    stmt: Select = select(Meeting)
    if state:
        stmt = stmt.where(Meeting.state == state)
    if kind:
        stmt = stmt.where(Meeting.kind == kind)
    if year is not None:
        if not 2000 <= year <= 2100:
            raise_if_invalid([FieldError("year", "range", "year must be 2000–2100", "年份须为 2000–2100")])
        stmt = stmt.where(extract("year", Meeting.meets_on) == year)
    return await paginate(session, stmt, order=(Meeting.meets_on, Meeting.id), first=first, after=after,
                          max_page_size=max_page_size)
