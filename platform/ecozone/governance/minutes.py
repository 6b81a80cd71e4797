"""Minutes, their public disclosure, and the yearly general-meeting check.

Minutes are archived (章程 第二十一条) and, once published, disclosed with the resolutions
(第三十条): publishing copies the discussion, the attendance at opening and the counts of every
resolution into ``CouncilPublication`` — counts only, never which unit voted how — which anyone
reads, anonymously and from any zone. Published minutes never change.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.base import utcnow
from ecozone.db.pagination import Page, paginate
from ecozone.errors import Conflict, FieldError, NotFound, raise_if_invalid
from ecozone.governance import clock, rules
from ecozone.governance.meetings import get_meeting, representative_user_ids
from ecozone.governance.models import (
    CouncilPublication,
    Meeting,
    MemberUnit,
    Minutes,
    Motion,
)
from ecozone.governance.motions import motion_tally
from ecozone.notifications.service import Message, notify
from ecozone.tenancy.models import Zone

MAX_DISCUSSION = 100_000


async def minutes_of(session: AsyncSession, meeting_id: int) -> Minutes | None:
    return await session.scalar(select(Minutes).where(Minutes.meeting_id == meeting_id))


async def write_minutes(session: AsyncSession, actor: Actor, *, meeting_id: int, discussion: str) -> Minutes:
    """Create or edit the draft minutes of a meeting in session or closed."""
    require(actor, "council_minutes", "write", object_id=meeting_id)
    meeting = await get_meeting(session, meeting_id)
    text = (discussion or "").strip()
    if not text:
        raise_if_invalid([FieldError("discussion", "required", "write the discussion", "请填写会议讨论内容")])
    if len(text) > MAX_DISCUSSION:
        raise_if_invalid([FieldError("discussion", "length", f"at most {MAX_DISCUSSION} characters",
                                     f"最多 {MAX_DISCUSSION} 个字符")])
    if meeting.state not in ("in_session", "closed"):
        raise Conflict(f"minutes are written for a meeting in session or closed; this one is {meeting.state}",
                       f"会议{rules.MEETING_MACHINE.state_names_zh[meeting.state]}，不能撰写纪要")
    minutes = await minutes_of(session, meeting.id)
    if minutes is not None and minutes.state == "published":
        raise Conflict("the minutes are published and can no longer be changed (Council Charter, Article 30)",
                       "会议纪要已公开，不能再修改（章程第三十条）")
    before = None if minutes is None else {"discussion": minutes.discussion}
    if minutes is None:
        minutes = Minutes(meeting_id=meeting.id, discussion=text, state="draft")
        session.add(minutes)
    else:
        minutes.discussion = text
    await session.flush()
    await record(session, actor, action="council_minutes.write", object_type="council_minutes",
                 object_id=minutes.id, before=before, after={"meetingId": meeting.id, "discussion": text})
    return minutes


def resolution_record(motion: Motion) -> dict:
    """What the public sees of a counted motion: the counts and the rule applied."""
    result = motion_tally(motion)
    return {"titleZh": motion.title_zh, "titleEn": motion.title_en, "kind": motion.kind,
            "passed": result.passed, "yes": result.yes, "no": result.no, "abstain": result.abstain,
            "base": result.base, "needed": result.needed, "ruleZh": result.rule_zh, "ruleEn": result.rule_en}


async def publish_minutes(session: AsyncSession, actor: Actor, *, meeting_id: int) -> CouncilPublication:
    """Publish the minutes of a closed meeting: they become final and a public copy is made."""
    require(actor, "council_minutes", "publish", object_id=meeting_id)
    meeting = await get_meeting(session, meeting_id, lock=True)
    minutes = await minutes_of(session, meeting.id)
    if minutes is None:
        raise Conflict("write the minutes before publishing them", "请先撰写会议纪要再公开")
    if meeting.state != "closed":
        raise Conflict(f"minutes are published once the meeting is closed; it is {meeting.state}",
                       f"会议{rules.MEETING_MACHINE.state_names_zh[meeting.state]}，闭会后才能公开纪要")
    minutes.state = rules.MINUTES_MACHINE.advance(minutes.state, "publish")
    minutes.published_at, minutes.published_by_id = utcnow(), actor.user_id
    counted = (await session.scalars(select(Motion).where(
        Motion.meeting_id == meeting.id, Motion.counted_at.is_not(None)).order_by(Motion.id))).all()
    publication = CouncilPublication(
        zone_id=meeting.zone_id, meeting_id=meeting.id, kind=meeting.kind, title_zh=meeting.title_zh,
        title_en=meeting.title_en, meets_on=meeting.meets_on, discussion=minutes.discussion,
        attendance={"present": meeting.present_at_opening, "members": meeting.members_at_opening,
                    "viceChairsPresent": meeting.vice_chairs_at_opening},
        resolutions=[resolution_record(m) for m in counted], published_at=minutes.published_at)
    session.add(publication)
    await session.flush()
    await record(session, actor, action="council_minutes.publish", object_type="council_minutes",
                 object_id=minutes.id, before={"state": "draft"},
                 after={"state": minutes.state, "publicationId": publication.id,
                        "resolutions": len(publication.resolutions)})
    await notify(session, actor, await representative_user_ids(session), Message(
        kind="council_minutes.published", subject_type="council_publication", subject_id=publication.id,
        title_en=f"Minutes published: {meeting.title_en} ({meeting.meets_on.isoformat()})",
        title_zh=f"会议纪要已公开：{meeting.title_zh}（{meeting.meets_on.isoformat()}）"))
    return publication


# --- public reads

async def get_publication(session: AsyncSession, actor: Actor, publication_id: int) -> CouncilPublication:
    require(actor, "council_publication", "read", object_id=publication_id)
    row = await session.get(CouncilPublication, publication_id)
    if row is None:
        raise NotFound(f"council publication {publication_id} not found", f"理事会公开信息 {publication_id} 不存在")
    return row


async def list_publications(session: AsyncSession, actor: Actor, *, zone_slug: str | None = None,
                            first: int = 20, after: str | None = None, max_page_size: int = 100
                            ) -> Page[CouncilPublication]:
    """Disclosed minutes and resolutions of every zone (or one), by meeting date."""
    require(actor, "council_publication", "read")
    stmt: Select = select(CouncilPublication)
    if zone_slug:
        zone_id = await session.scalar(select(Zone.id).where(Zone.slug == zone_slug))
        if zone_id is None:
            raise_if_invalid([FieldError("zone", "unknown", f"no zone {zone_slug}", f"没有试验区 {zone_slug}")])
        stmt = stmt.where(CouncilPublication.zone_id == zone_id)
    return await paginate(session, stmt, order=(CouncilPublication.meets_on, CouncilPublication.id),
                          first=first, after=after, max_page_size=max_page_size)


# --- 第十八条: at least one general meeting a year

@dataclass(frozen=True)
class GeneralMeetingCheck:
    warned: bool
    missing_years: list[int]
    message_zh: str | None
    message_en: str | None


async def general_meeting_check(session: AsyncSession, actor: Actor) -> GeneralMeetingCheck:
    """Years without a general meeting held, since the zone's first meeting or first member unit."""
    require(actor, "council_meeting", "read")
    year = extract("year", Meeting.meets_on)
    held = {int(y) for y in (await session.scalars(select(year).where(
        Meeting.kind == "general", Meeting.state.in_(("in_session", "closed"))).distinct())).all()}
    first_meeting = await session.scalar(select(func.min(Meeting.meets_on)).where(Meeting.state != "cancelled"))
    first_joined = await session.scalar(select(func.min(MemberUnit.joined_on)))
    starts = [d for d in (first_meeting, first_joined) if d is not None]
    if not starts:
        return GeneralMeetingCheck(False, [], None, None)
    first_year, today = min(starts).year, clock.today()
    warning = rules.general_meeting_warning(held, first_year, today)
    missing = rules.general_meeting_gap_years(held, first_year, today)
    if warning is None:
        return GeneralMeetingCheck(False, missing, None, None)
    return GeneralMeetingCheck(True, missing, warning[0], warning[1])
