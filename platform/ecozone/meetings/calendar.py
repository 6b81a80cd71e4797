"""iCalendar feeds (RFC 5545) of joint meetings, and the secret tokens of personal feeds.

Calendar applications subscribe to a URL and cannot send an ``Authorization`` header, so a
person's feed is reached by a secret in its path: 32 random bytes, shown once when made; the
database keeps only its SHA-256 (a copy of the database opens no feed). Making a new token
revokes the previous one; revoking closes the feed at once. An unknown, malformed or revoked
token is answered exactly like a missing page (404), so guessing learns nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from zoneinfo import ZoneInfo

import icalendar
from sqlalchemy import or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.base import utcnow
from ecozone.errors import FieldError, ValidationFailed
from ecozone.meetings import rules
from ecozone.meetings.models import (
    CalendarFeedToken,
    JointMeeting,
    MeetingInvitation,
    MeetingSeries,
)
from ecozone.tenancy.models import Zone

TOKEN_PREFIX = "ezc_"
TOKEN_SHAPE = re.compile(r"^ezc_[A-Za-z0-9_-]{43}$")
PRODID = "-//ecozone//joint meetings//ZH-EN"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def make_feed_token(session: AsyncSession, actor: Actor, *, kept_for_replay: bool = False
                          ) -> tuple[CalendarFeedToken, str]:
    """A new secret for the signed-in person's feed (the previous one stops working).

    ``kept_for_replay``: the request carries an ``Idempotency-Key``, whose answer the platform
    keeps to replay it; an answer holding the secret must not be kept, so it is refused."""
    require(actor, "calendar_feed", "manage")
    if kept_for_replay:
        raise ValidationFailed(errors=[FieldError(
            "Idempotency-Key", "secret", "send this request without an Idempotency-Key: its answer holds a secret "
            "that is never stored for replay (make a new one if the answer is lost)",
            "请勿携带 Idempotency-Key 发送此请求：其应答含有密钥，平台不为重放保存（应答丢失时请重新生成）")])
    await _revoke_all(session, actor)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = CalendarFeedToken(user_id=actor.user_id, token_hash=token_hash(secret))
    session.add(row)
    await session.flush()
    await record(session, actor, action="calendar_feed.make", object_type="calendar_feed_token", object_id=row.id)
    return row, secret


async def revoke_feed_tokens(session: AsyncSession, actor: Actor) -> int:
    """Close the signed-in person's feed; the number of tokens revoked (0 or 1)."""
    require(actor, "calendar_feed", "manage")
    revoked = await _revoke_all(session, actor)
    await record(session, actor, action="calendar_feed.revoke", object_type="calendar_feed_token",
                 after={"revoked": revoked})
    return revoked


async def _revoke_all(session: AsyncSession, actor: Actor) -> int:
    result = await session.execute(
        update(CalendarFeedToken).where(CalendarFeedToken.user_id == actor.user_id,
                                        CalendarFeedToken.revoked_at.is_(None))
        .values(revoked_at=utcnow()).execution_options(synchronize_session=False))
    return result.rowcount or 0


async def active_token(session: AsyncSession, actor: Actor) -> CalendarFeedToken | None:
    require(actor, "calendar_feed", "manage")
    return await session.scalar(select(CalendarFeedToken).where(
        CalendarFeedToken.user_id == actor.user_id, CalendarFeedToken.revoked_at.is_(None)))


async def feed_owner(session: AsyncSession, token: str) -> int | None:
    """The person whose live token this is, or None. Read before anyone is signed in: on
    PostgreSQL through a SECURITY DEFINER function (row-level security shows a person only
    their own tokens); a text statement elsewhere (scoping applies to ORM statements)."""
    if not TOKEN_SHAPE.match(token):
        return None
    digest = token_hash(token)
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        return await session.scalar(text("SELECT ecozone_calendar_feed_user(:h)"), {"h": digest})
    return await session.scalar(text("SELECT user_id FROM calendar_feed_tokens "
                                     "WHERE token_hash = :h AND revoked_at IS NULL"), {"h": digest})


async def meetings_of_zone(session: AsyncSession, zone_id: int, limit: int = 500) -> list[JointMeeting]:
    """The meetings hosted by or open to ``zone_id`` that the session's viewer may see."""
    series = select(MeetingSeries.id).where(or_(
        MeetingSeries.host_zone_id == zone_id,
        MeetingSeries.id.in_(select(MeetingInvitation.series_id).where(MeetingInvitation.zone_id == zone_id))))
    return list((await session.scalars(select(JointMeeting).where(JointMeeting.series_id.in_(series))
                                       .order_by(JointMeeting.starts_at, JointMeeting.id).limit(limit))).all())


async def meetings_of_person(session: AsyncSession, user_id: int, staff_zone_id: int | None,
                             limit: int = 500) -> list[JointMeeting]:
    """A person's meetings: those they are invited to by name, and, for a zone's office, the
    zone's (hosted or invited). What they may see decides the rest (the session's scope)."""
    mine = select(MeetingInvitation.series_id).where(MeetingInvitation.user_id == user_id)
    clauses = [JointMeeting.series_id.in_(mine)]
    if staff_zone_id is not None:
        clauses.append(JointMeeting.series_id.in_(select(MeetingSeries.id).where(or_(
            MeetingSeries.host_zone_id == staff_zone_id,
            MeetingSeries.id.in_(select(MeetingInvitation.series_id)
                                 .where(MeetingInvitation.zone_id == staff_zone_id))))))
    return list((await session.scalars(select(JointMeeting).where(or_(*clauses))
                                       .order_by(JointMeeting.starts_at, JointMeeting.id).limit(limit))).all())


async def build_ics(session: AsyncSession, meetings: list[JointMeeting], *, name: str) -> bytes:
    """One VEVENT per meeting, at its local wall time with its VTIMEZONE (offsets explicit),
    stable UIDs so that calendar applications update rather than duplicate."""
    series_ids = sorted({m.series_id for m in meetings})
    series = {s.id: s for s in (await session.scalars(
        select(MeetingSeries).where(MeetingSeries.id.in_(series_ids)))).all()} if series_ids else {}
    host_ids = sorted({s.host_zone_id for s in series.values()})
    zones = {z.id: z for z in (await session.scalars(select(Zone).where(Zone.id.in_(host_ids)))).all()} \
        if host_ids else {}
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = utcnow()
    for meeting in meetings:
        s = series[meeting.series_id]
        local = ZoneInfo(s.time_zone)
        kind_zh, kind_en = rules.KINDS[s.kind]
        host = zones[s.host_zone_id]
        event = icalendar.Event()
        event.add("uid", f"joint-meeting-{meeting.id}@ecozone")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at.astimezone(local))
        event.add("dtend", meeting.ends_at.astimezone(local))
        event.add("summary", f"{s.title_zh} / {s.title_en}")
        lines = [f"{kind_zh} / {kind_en}", f"主办 Host: {host.name_zh} {host.name_en}",
                 f"第 {meeting.sequence} 次 / meeting {meeting.sequence}"]
        if s.description:
            lines.append(s.description)
        if meeting.minutes_published_at is not None:
            lines.append("会议纪要已公开 / minutes published")
        event.add("description", "\n".join(lines))
        if s.location:
            event.add("location", s.location)
        if s.online_link:
            event.add("url", s.online_link)
        event.add("status", "CONFIRMED")
        event.add("categories", [s.kind.upper()])
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def staff_zone(roles: frozenset[str]) -> bool:
    from ecozone.authz.models import STAFF_ROLES
    return bool(roles & STAFF_ROLES)


__all__ = ["active_token", "build_ics", "feed_owner", "make_feed_token", "meetings_of_person",
           "meetings_of_zone", "revoke_feed_tokens", "token_hash"]
