"""Joint meeting series: hosting (one zone's office), invitations by zone and by person.

办法 第四条(一): the coordination mechanism's regular thematic meetings; 第四条(八): the regular
meetings of the four zones' standardisation authorities and institute heads. The series is
stored as its RRULE and expanded once into its meetings (rules.occurrences).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.auth.models import User
from ecozone.authz.actor import Actor
from ecozone.authz.service import require, zone_directors
from ecozone.db.base import utcnow
from ecozone.db.pagination import Page, paginate
from ecozone.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    raise_if_invalid,
)
from ecozone.meetings import messages, rules
from ecozone.meetings.models import JointMeeting, MeetingInvitation, MeetingSeries
from ecozone.notifications.service import notify
from ecozone.tenancy.models import Zone
from ecozone.tenancy.service import zone_by_slug

MEETING = "joint_meeting"


def now() -> dt.datetime:
    """The clock of attendance and minutes; tests replace it."""
    return utcnow()


def text_field(errors: list[FieldError], name: str, value: str | None, limit: int, *,
               required: bool) -> str | None:
    value = (value or "").strip() or None
    if value is None and required:
        errors.append(FieldError(name, "required", f"{name} is required", f"必须填写 {name}"))
    elif value is not None and len(value) > limit:
        errors.append(FieldError(name, "length", f"at most {limit} characters", f"最多 {limit} 个字符"))
    return value


def link_field(errors: list[FieldError], name: str, value: str | None, *, required: bool) -> str | None:
    """A web link: http(s) only, so a material or an online meeting never links a script."""
    value = text_field(errors, name, value, 500, required=required)
    if value is not None and not value.lower().startswith(("https://", "http://")):
        errors.append(FieldError(name, "format", "a link starts with https:// or http://",
                                 "链接须以 https:// 或 http:// 开头"))
    return value


def refusals(items: list[rules.Refusal]) -> list[FieldError]:
    return [FieldError(r.field, r.code, r.message_en, r.message_zh) for r in items]


async def get_series(session: AsyncSession, series_id: int) -> MeetingSeries:
    series = await session.get(MeetingSeries, series_id)
    if series is None:
        raise NotFound(f"meeting series {series_id} not found", f"会议系列 {series_id} 不存在")
    return series


async def get_meeting(session: AsyncSession, meeting_id: int) -> JointMeeting:
    meeting = await session.get(JointMeeting, meeting_id)
    if meeting is None:
        raise NotFound(f"joint meeting {meeting_id} not found", f"联席会议 {meeting_id} 不存在")
    return meeting


def require_host(actor: Actor, series: MeetingSeries, action: str) -> None:
    """Only the host zone's office runs a series: its staff acting in the host zone."""
    if series.host_zone_id != actor.zone_id or not actor.zone_staff:
        raise PermissionDenied("only the host zone's office (director, secretary) may do this",
                               "只有主办试验区的办公室（主任、秘书）可以执行此操作",
                               action=f"{MEETING}.{action}", object_type=MEETING, object_id=str(series.id))


async def invited_zone_ids(session: AsyncSession, series_id: int) -> list[int]:
    return list((await session.scalars(select(MeetingInvitation.zone_id).where(
        MeetingInvitation.series_id == series_id, MeetingInvitation.zone_id.is_not(None)))).all())


async def participating_zone_ids(session: AsyncSession, series: MeetingSeries) -> set[int]:
    return {series.host_zone_id, *await invited_zone_ids(session, series.id)}


async def create_series(session: AsyncSession, actor: Actor, *, kind: str, title_zh: str, title_en: str,
                        first_start: dt.datetime, duration_minutes: int, time_zone: str = "Asia/Shanghai",
                        recurrence: str | None = None, description: str | None = None,
                        location: str | None = None, online_link: str | None = None,
                        invited_zones: list[str] = ()) -> MeetingSeries:
    """A meeting or a regular series hosted by the acting zone, with the zones invited."""
    require(actor, MEETING, "host")
    errors: list[FieldError] = []
    values = {"title_zh": text_field(errors, "titleZh", title_zh, 200, required=True),
                  "title_en": text_field(errors, "titleEn", title_en, 300, required=True),
                  "description": text_field(errors, "description", description, 10000, required=False),
                  "location": text_field(errors, "location", location, 300, required=False),
                  "online_link": link_field(errors, "onlineLink", online_link, required=False)}
    if kind not in rules.KINDS:
        errors.append(FieldError("kind", "choice", "kind must be thematic or regional",
                                 "会议类型须为 thematic 或 regional"))
    if not values["location"] and not values["online_link"]:
        errors.append(FieldError("location", "required", "give a location or an online link",
                                 "请填写会议地点或线上链接"))
    recurrence = (recurrence or "").strip().upper().removeprefix("RRULE:") or None
    errors += refusals(rules.duration_errors(duration_minutes) + rules.time_zone_errors(time_zone)
                       + rules.recurrence_errors(recurrence))
    zones: list[Zone] = []
    for slug in dict.fromkeys(invited_zones):
        zone = await session.scalar(select(Zone).where(Zone.slug == slug))
        if zone is None:
            errors.append(FieldError("invitedZones", "unknown", f"unknown zone {slug!r}", f"未知的试验区 {slug!r}"))
        elif zone.id == actor.zone_id:
            errors.append(FieldError("invitedZones", "host", "the host zone takes part already",
                                     "主办试验区本身即为参会方，无需邀请"))
        else:
            zones.append(zone)
    starts: list[dt.datetime] = []
    if not errors:
        try:
            starts = rules.occurrences(recurrence, first_start, time_zone)
        except rules.RecurrenceError as exc:
            errors += refusals([exc.refusal])
    raise_if_invalid(errors)
    series = MeetingSeries(host_zone_id=actor.zone_id, kind=kind, first_start=starts[0],
                           duration_minutes=duration_minutes, time_zone=time_zone, recurrence=recurrence,
                           created_by_id=actor.user_id, **values)
    session.add(series)
    await session.flush()
    session.add_all(MeetingInvitation(series_id=series.id, zone_id=z.id, invited_by_id=actor.user_id)
                    for z in zones)
    length = dt.timedelta(minutes=duration_minutes)
    session.add_all(JointMeeting(series_id=series.id, sequence=n, starts_at=s, ends_at=s + length)
                    for n, s in enumerate(starts, start=1))
    await session.flush()
    await record(session, actor, action=f"{MEETING}.create_series", object_type="meeting_series",
                 object_id=series.id, after={**values, "kind": kind, "firstStart": starts[0],
                                             "recurrence": recurrence, "meetings": len(starts),
                                             "invitedZones": [z.slug for z in zones]})
    host = await session.get(Zone, actor.zone_id)
    for zone in zones:  # each invited zone's director names its people
        await notify(session, actor, await zone_directors(session, [zone.id]), messages.zone_invited(series, host))
    return series


async def invite_zone(session: AsyncSession, actor: Actor, *, series_id: int, zone_slug: str) -> MeetingSeries:
    require(actor, MEETING, "invite", object_id=series_id)
    series = await get_series(session, series_id)
    require_host(actor, series, "invite")
    zone = await zone_by_slug(session, zone_slug)
    if zone.id in await participating_zone_ids(session, series):
        raise Conflict(f"zone {zone.slug} takes part already", f"试验区 {zone.slug} 已是参会方")
    try:  # a concurrent invitation of the same zone is a Conflict too, not an internal error
        async with session.begin_nested():
            session.add(MeetingInvitation(series_id=series.id, zone_id=zone.id, invited_by_id=actor.user_id))
            await session.flush()
    except IntegrityError:
        raise Conflict(f"zone {zone.slug} takes part already", f"试验区 {zone.slug} 已是参会方") from None
    await record(session, actor, action=f"{MEETING}.invite_zone", object_type="meeting_series",
                 object_id=series.id, after={"zone": zone.slug})
    host = await session.get(Zone, series.host_zone_id)
    await notify(session, actor, await zone_directors(session, [zone.id]), messages.zone_invited(series, host))
    return series


async def invite_person(session: AsyncSession, actor: Actor, *, series_id: int, user_id: int) -> MeetingInvitation:
    """A person named by the office of a participating zone (the host, or an invited zone
    naming its delegates: its authority's head, its institute's head), for that zone."""
    require(actor, MEETING, "invite", object_id=series_id)
    series = await get_series(session, series_id)
    if not actor.zone_staff or actor.zone_id not in await participating_zone_ids(session, series):
        raise PermissionDenied("only the office of a participating zone names people for it",
                               "只有参会试验区的办公室可以为本区指定参会人员",
                               action=f"{MEETING}.invite", object_type=MEETING, object_id=str(series.id))
    # The account must be one the inviting office may see (its own zone's people, a verified
    # expert): an id it cannot see names nobody, as for any other reference.
    if await session.get(User, user_id) is None:
        raise NotFound(f"user {user_id} not found", f"用户 {user_id} 不存在")
    invitation = MeetingInvitation(series_id=series.id, user_id=user_id, for_zone_id=actor.zone_id,
                                   invited_by_id=actor.user_id)
    try:
        async with session.begin_nested():
            session.add(invitation)
            await session.flush()
    except IntegrityError:
        raise Conflict("this person is invited already", "该人员已受邀") from None
    await record(session, actor, action=f"{MEETING}.invite_person", object_type="meeting_series",
                 object_id=series.id, after={"userId": user_id, "forZone": actor.zone_slug})
    await notify(session, actor, [user_id], messages.person_invited(series, await session.get(Zone, actor.zone_id)))
    return invitation


async def list_series(session: AsyncSession, *, zone_slug: str | None = None, first: int = 20,
                      after: str | None = None, max_page_size: int = 100) -> Page[MeetingSeries]:
    stmt = select(MeetingSeries)
    if zone_slug:  # a filter the viewer asked for (hosted by this zone), not an access rule
        zone = await zone_by_slug(session, zone_slug)
        stmt = stmt.where(MeetingSeries.host_zone_id == zone.id)
    return await paginate(session, stmt, order=(MeetingSeries.id,), first=first, after=after,
                          max_page_size=max_page_size)


async def list_meetings(session: AsyncSession, *, series_id: int | None = None,
                        starting_from: dt.datetime | None = None, first: int = 20, after: str | None = None,
                        max_page_size: int = 100) -> Page[JointMeeting]:
    """Meetings the viewer may see, in time order; of one series, or from a moment on."""
    stmt = select(JointMeeting)
    if series_id is not None:
        await get_series(session, series_id)
        stmt = stmt.where(JointMeeting.series_id == series_id)
    if starting_from is not None:
        stmt = stmt.where(JointMeeting.starts_at >= starting_from)
    return await paginate(session, stmt, order=(JointMeeting.starts_at, JointMeeting.id), first=first,
                          after=after, max_page_size=max_page_size)
