"""What a meeting leaves: attendance, materials, minutes with decisions, follow-up items.

The host zone's office records attendance and writes and publishes the minutes (the public
record once published: frozen); any participating zone's office tables materials; a
follow-up item is assigned to one participating zone, whose office (or the host's) moves it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require, zone_directors
from ecozone.db.pagination import Page, paginate
from ecozone.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    raise_if_invalid,
)
from ecozone.meetings import messages, rules, service
from ecozone.meetings.models import (
    JointMeeting,
    MeetingAttendance,
    MeetingDecision,
    MeetingFollowUp,
    MeetingInvitation,
    MeetingMaterial,
)
from ecozone.meetings.service import (
    MEETING,
    get_meeting,
    get_series,
    link_field,
    text_field,
)
from ecozone.notifications.service import notify
from ecozone.tenancy.service import zone_by_slug


@dataclass(frozen=True)
class Presence:
    user_id: int
    present: bool


async def _hosted(session: AsyncSession, actor: Actor, meeting_id: int, action: str) -> JointMeeting:
    meeting = await get_meeting(session, meeting_id)
    service.require_host(actor, await get_series(session, meeting.series_id), action)
    return meeting


def _refuse_published(meeting: JointMeeting) -> None:
    if not rules.minutes_editable(published=meeting.minutes_published_at is not None):
        raise Conflict("the minutes are published: they are the public record and no longer change",
                       "会议纪要已公开，作为公开记录不再修改")


async def record_attendance(session: AsyncSession, actor: Actor, *, meeting_id: int,
                            presences: list[Presence]) -> JointMeeting:
    """Who came: people invited by name, each counted for the zone that named them."""
    require(actor, MEETING, "record", object_id=meeting_id)
    meeting = await _hosted(session, actor, meeting_id, "record")
    if not rules.attendance_allowed(starts_at=meeting.starts_at, now=service.now()):
        raise Conflict("attendance is recorded once the meeting has begun", "会议开始后才能登记出席情况")
    invited = dict((await session.execute(select(MeetingInvitation.user_id, MeetingInvitation.for_zone_id).where(
        MeetingInvitation.series_id == meeting.series_id, MeetingInvitation.user_id.is_not(None)))).all())
    strangers = [p.user_id for p in presences if p.user_id not in invited]
    if strangers or not presences:
        raise ValidationFailed(errors=[FieldError(
            "presences", "not_invited" if strangers else "required",
            "attendance is recorded for people invited by name only" if strangers else "name at least one person",
            "只能登记受邀人员的出席情况" if strangers else "请至少登记一人")])
    if len({p.user_id for p in presences}) != len(presences):
        raise ValidationFailed(errors=[FieldError("presences", "duplicate", "each person once",
                                                  "每人只能登记一次")])
    existing = {a.user_id: a for a in (await session.scalars(select(MeetingAttendance).where(
        MeetingAttendance.meeting_id == meeting.id))).all()}
    for presence in presences:
        row = existing.get(presence.user_id)
        if row is None:
            session.add(MeetingAttendance(meeting_id=meeting.id, user_id=presence.user_id,
                                          zone_id=invited[presence.user_id], present=presence.present,
                                          recorded_by_id=actor.user_id))
        else:
            row.present, row.recorded_by_id = presence.present, actor.user_id
    await session.flush()
    await record(session, actor, action=f"{MEETING}.record_attendance", object_type="joint_meeting",
                 object_id=meeting.id, after={str(p.user_id): p.present for p in presences})
    return meeting


async def add_material(session: AsyncSession, actor: Actor, *, meeting_id: int, title_zh: str,
                       title_en: str, url: str) -> MeetingMaterial:
    """A document for the meeting (an agenda, a report), tabled by a participating zone."""
    require(actor, MEETING, "add_material", object_id=meeting_id)
    meeting = await get_meeting(session, meeting_id)
    series = await get_series(session, meeting.series_id)
    if not actor.zone_staff or actor.zone_id not in await service.participating_zone_ids(session, series):
        raise PermissionDenied("only the office of a participating zone tables materials",
                               "只有参会试验区的办公室可以提交会议材料",
                               action=f"{MEETING}.add_material", object_type=MEETING, object_id=str(meeting.id))
    _refuse_published(meeting)
    errors: list[FieldError] = []
    values = {"title_zh": text_field(errors, "titleZh", title_zh, 200, required=True),
                  "title_en": text_field(errors, "titleEn", title_en, 300, required=True),
                  "url": link_field(errors, "url", url, required=True)}
    raise_if_invalid(errors)
    material = MeetingMaterial(meeting_id=meeting.id, zone_id=actor.zone_id, added_by_id=actor.user_id, **values)
    session.add(material)
    await session.flush()
    await record(session, actor, action=f"{MEETING}.add_material", object_type="joint_meeting",
                 object_id=meeting.id, after=values)
    return material


async def write_minutes(session: AsyncSession, actor: Actor, *, meeting_id: int, summary: str,
                        decisions: list[tuple[str, str]]) -> JointMeeting:
    """The minutes' summary and its decisions (numbered 1, 2, … in the order given); a new
    version replaces the previous one until the minutes are published."""
    require(actor, MEETING, "write_minutes", object_id=meeting_id)
    meeting = await _hosted(session, actor, meeting_id, "write_minutes")
    _refuse_published(meeting)
    errors: list[FieldError] = []
    summary = text_field(errors, "summary", summary, 20000, required=True)
    if len(decisions) > 50:
        errors.append(FieldError("decisions", "range", "at most 50 decisions", "最多 50 项议定事项"))
    texts = [(text_field(errors, f"decisions[{i}].textZh", zh, 2000, required=True),
              text_field(errors, f"decisions[{i}].textEn", en, 4000, required=True))
             for i, (zh, en) in enumerate(decisions)]
    raise_if_invalid(errors)
    numbers = {n for (n,) in (await session.execute(select(MeetingFollowUp.decision_number).where(
        MeetingFollowUp.meeting_id == meeting.id, MeetingFollowUp.decision_number.is_not(None)))).all()}
    if numbers and max(numbers) > len(texts):
        raise Conflict(f"follow-up items refer to decision {max(numbers)}: keep at least {max(numbers)} decisions",
                       f"有议定事项跟进引用第 {max(numbers)} 项决定：至少保留 {max(numbers)} 项决定")
    await session.execute(delete(MeetingDecision).where(MeetingDecision.meeting_id == meeting.id))
    session.add_all(MeetingDecision(meeting_id=meeting.id, number=n, text_zh=zh, text_en=en)
                    for n, (zh, en) in enumerate(texts, start=1))
    meeting.minutes_summary, meeting.minutes_updated_at = summary, service.now()
    await session.flush()
    await record(session, actor, action=f"{MEETING}.write_minutes", object_type="joint_meeting",
                 object_id=meeting.id, after={"summary": summary, "decisions": len(texts)})
    return meeting


async def publish_minutes(session: AsyncSession, actor: Actor, *, meeting_id: int) -> JointMeeting:
    """The minutes become public, and with them the meeting (办法 第四条(一)(八))."""
    require(actor, MEETING, "publish_minutes", object_id=meeting_id)
    meeting = await _hosted(session, actor, meeting_id, "publish_minutes")
    problems = rules.minutes_publish_errors(starts_at=meeting.starts_at, now=service.now(),
                                            summary=meeting.minutes_summary,
                                            published=meeting.minutes_published_at is not None)
    if problems:
        _, en, zh = problems[0]
        raise Conflict(en, zh)
    meeting.minutes_published_at, meeting.minutes_published_by_id = service.now(), actor.user_id
    await session.flush()
    await record(session, actor, action=f"{MEETING}.publish_minutes", object_type="joint_meeting",
                 object_id=meeting.id)
    series = await get_series(session, meeting.series_id)
    people = set((await session.scalars(select(MeetingInvitation.user_id).where(
        MeetingInvitation.series_id == series.id, MeetingInvitation.user_id.is_not(None)))).all())
    directors = await zone_directors(session, await service.participating_zone_ids(session, series))
    await notify(session, actor, people | directors, messages.minutes_published(series, meeting))
    return meeting


async def add_follow_up(session: AsyncSession, actor: Actor, *, meeting_id: int, zone_slug: str,
                        title_zh: str, title_en: str, due_on: dt.date,
                        decision_number: int | None = None) -> MeetingFollowUp:
    """Work the minutes give to one participating zone, by a due date."""
    require(actor, MEETING, "write_minutes", object_id=meeting_id)
    meeting = await _hosted(session, actor, meeting_id, "write_minutes")
    _refuse_published(meeting)
    errors: list[FieldError] = []
    values = {"title_zh": text_field(errors, "titleZh", title_zh, 300, required=True),
                  "title_en": text_field(errors, "titleEn", title_en, 500, required=True)}
    zone = await zone_by_slug(session, zone_slug)
    series = await get_series(session, meeting.series_id)
    if zone.id not in await service.participating_zone_ids(session, series):
        errors.append(FieldError("zone", "not_participating", "a follow-up goes to a participating zone",
                                 "议定事项只能交由参会试验区办理"))
    if due_on < meeting.starts_at.date():
        errors.append(FieldError("dueOn", "order", "due on or after the meeting's day", "办理期限不得早于会议日期"))
    if decision_number is not None:
        exists = await session.scalar(select(MeetingDecision.id).where(
            MeetingDecision.meeting_id == meeting.id, MeetingDecision.number == decision_number))
        if exists is None:
            errors.append(FieldError("decisionNumber", "unknown", "the minutes have no decision with this number",
                                     "会议纪要中没有该编号的决定"))
    raise_if_invalid(errors)
    item = MeetingFollowUp(meeting_id=meeting.id, zone_id=zone.id, due_on=due_on, state="open",
                           decision_number=decision_number, **values)
    session.add(item)
    await session.flush()
    await record(session, actor, action=f"{MEETING}.add_follow_up", object_type="meeting_follow_up",
                 object_id=item.id, after={**values, "zone": zone.slug, "dueOn": due_on,
                                           "decision": decision_number})
    await notify(session, actor, await zone_directors(session, [zone.id]),
                 messages.follow_up_assigned(series, meeting, item.title_zh, item.title_en, due_on))
    return item


async def get_follow_up(session: AsyncSession, follow_up_id: int) -> MeetingFollowUp:
    item = await session.get(MeetingFollowUp, follow_up_id)
    if item is None:
        raise NotFound(f"follow-up item {follow_up_id} not found", f"议定事项 {follow_up_id} 不存在")
    return item


async def move_follow_up(session: AsyncSession, actor: Actor, *, follow_up_id: int, action: str) -> MeetingFollowUp:
    """complete, drop or reopen: by the office of the zone it is assigned to, or the host's."""
    require(actor, "meeting_follow_up", "update", object_id=follow_up_id)
    item = await get_follow_up(session, follow_up_id)
    meeting = await get_meeting(session, item.meeting_id)
    series = await get_series(session, meeting.series_id)
    if not actor.zone_staff or actor.zone_id not in (item.zone_id, series.host_zone_id):
        raise PermissionDenied("only the office of the zone it is assigned to, or the host's, moves a follow-up item",
                               "只有承办试验区或主办试验区的办公室可以更新议定事项",
                               action="meeting_follow_up.update", object_type="meeting_follow_up",
                               object_id=str(item.id))
    before = item.state
    item.state = rules.FOLLOW_UP.advance(item.state, action)
    item.state_changed_at, item.state_changed_by_id = service.now(), actor.user_id
    await session.flush()
    await record(session, actor, action=f"meeting_follow_up.{action}", object_type="meeting_follow_up",
                 object_id=item.id, before={"state": before}, after={"state": item.state})
    return item


async def list_follow_ups(session: AsyncSession, *, zone_slug: str | None = None, state: str | None = None,
                          first: int = 20, after: str | None = None,
                          max_page_size: int = 100) -> Page[MeetingFollowUp]:
    """Follow-up items the viewer may see, by due date; of one assigned zone, in one state."""
    stmt = select(MeetingFollowUp)
    if zone_slug:
        stmt = stmt.where(MeetingFollowUp.zone_id == (await zone_by_slug(session, zone_slug)).id)
    if state:
        stmt = stmt.where(MeetingFollowUp.state == state)
    return await paginate(session, stmt, order=(MeetingFollowUp.due_on, MeetingFollowUp.id), first=first,
                          after=after, max_page_size=max_page_size)
