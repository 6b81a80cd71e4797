"""Events (exhibitions, lectures, exchanges, training days) and registration with a capacity
and a waiting list, the same seat rules as trainings (``ecozone.seats``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone import seats
from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.base import as_utc, utcnow
from ecozone.db.pagination import Page, paginate
from ecozone.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    raise_if_invalid,
)
from ecozone.events import facts, rules
from ecozone.events.models import Event, EventRegistration, Venue
from ecozone.notifications.service import Message, notify
from ecozone.tenancy.models import Zone
from ecozone.texts import text

EVENT = "event"


def now() -> dt.datetime:
    """The clock of registration deadlines; tests replace it."""
    return utcnow()


async def get_event(session: AsyncSession, event_id: int, *, lock: bool = False) -> Event:
    stmt = select(Event).where(Event.id == event_id)
    if lock:  # PostgreSQL row lock; SQLite serialises writers anyway
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    event = await session.scalar(stmt)
    if event is None:
        raise NotFound(f"event {event_id} not found", f"活动 {event_id} 不存在")
    return event


async def create_event(session: AsyncSession, actor: Actor, *, kind: str, audience: str, title_zh: str,
                       title_en: str, starts_at: dt.datetime, ends_at: dt.datetime, capacity: int,
                       registration_deadline: dt.datetime, description: str | None = None,
                       venue_id: int | None = None, place: str | None = None) -> Event:
    """The acting zone's staff announce an event it hosts (public as soon as created)."""
    require(actor, EVENT, "manage")
    errors: list[FieldError] = []
    values = dict(title_zh=text(errors, "titleZh", title_zh, 200, required=True),
                  title_en=text(errors, "titleEn", title_en, 300, required=True),
                  description=text(errors, "description", description, 10000, required=False),
                  place=text(errors, "place", place, 300, required=False))
    if kind not in rules.EVENT_KINDS:
        errors.append(FieldError("kind", "choice", "unknown kind of event", "未知的活动类型"))
    if audience not in rules.AUDIENCES:
        errors.append(FieldError("audience", "choice", "audience must be public or members",
                                 "参加范围须为 public 或 members"))
    errors += rules.period_errors(starts_at, ends_at)
    errors += seats.capacity_errors(capacity)
    if registration_deadline > starts_at:
        errors.append(FieldError("registrationDeadline", "order", "registration must close by the start",
                                 "报名截止时间不得晚于开始时间"))
    if venue_id is not None:
        venue = await session.get(Venue, venue_id)
        if venue is None or venue.zone_id != actor.zone_id:
            errors.append(FieldError("venueId", "zone", "the venue must be one of the host zone's",
                                     "场地须属于主办试验区"))
    elif not values["place"]:
        errors.append(FieldError("place", "required", "give a venue or a place", "请选择场地或填写地点"))
    raise_if_invalid(errors)
    event = Event(host_zone_id=actor.zone_id, kind=kind, audience=audience, starts_at=starts_at,
                  ends_at=ends_at, capacity=capacity, registration_deadline=registration_deadline,
                  venue_id=venue_id, enrolled_count=0, last_wait_seq=0, created_by_id=actor.user_id, **values)
    session.add(event)
    await session.flush()
    await record(session, actor, action="event.create", object_type="event", object_id=event.id,
                 after={**values, "kind": kind, "audience": audience, "startsAt": starts_at,
                        "endsAt": ends_at, "capacity": capacity, "venueId": venue_id})
    return event


async def list_events(session: AsyncSession, *, zone_slug: str | None = None, kind: str | None = None,
                      first: int = 20, after: str | None = None, max_page_size: int = 100) -> Page[Event]:
    stmt = select(Event)
    if zone_slug:  # filters the viewer asked for; events are public
        stmt = stmt.join(Zone, Zone.id == Event.host_zone_id).where(Zone.slug == zone_slug)
    if kind:
        stmt = stmt.where(Event.kind == kind)
    return await paginate(session, stmt, order=(Event.starts_at, Event.id), first=first, after=after,
                          max_page_size=max_page_size)


async def register(session: AsyncSession, actor: Actor, *, event_id: int) -> EventRegistration:
    """A seat while one is free, else the next place in the queue (first come, first served)."""
    require(actor, EVENT, "register", object_id=event_id)
    event = await get_event(session, event_id)
    if not rules.may_register(event.audience, actor.roles):
        raise PermissionDenied("this event is for members: act in a zone where you hold a role",
                               "该活动仅面向成员：请在您担任角色的试验区操作", action="event.register",
                               object_type=EVENT, object_id=str(event_id))
    if not seats.registration_open(now(), as_utc(event.registration_deadline)):
        raise Conflict("registration for this event has closed", "该活动报名已截止")
    if await session.scalar(select(EventRegistration.id).where(
            EventRegistration.event_id == event_id, EventRegistration.user_id == actor.user_id)):
        raise Conflict("you have already registered for this event", "您已报名该活动")
    # One conditional UPDATE takes the seat: racing requests queue on the row lock.
    seated = (await session.execute(
        update(Event).where(Event.id == event_id, Event.enrolled_count < Event.capacity)
        .values(enrolled_count=Event.enrolled_count + 1).returning(Event.enrolled_count)
        .execution_options(synchronize_session=False))).scalar()
    position = None
    if seated is None:
        position = (await session.execute(
            update(Event).where(Event.id == event_id).values(last_wait_seq=Event.last_wait_seq + 1)
            .returning(Event.last_wait_seq).execution_options(synchronize_session=False))).scalar_one()
    registration = EventRegistration(event_id=event_id, user_id=actor.user_id, zone_id=actor.zone_id,
                                     state="enrolled" if seated is not None else "waiting",
                                     wait_position=position)
    try:
        async with session.begin_nested():
            session.add(registration)
            await session.flush()
    except IntegrityError as exc:  # the same person registering twice at once
        raise Conflict("you have already registered for this event", "您已报名该活动") from exc
    await record(session, actor, action="event.register", object_type="event_registration",
                 object_id=registration.id, after={"eventId": event_id, "state": registration.state,
                                                   "waitPosition": position})
    return registration


async def cancel_registration(session: AsyncSession, actor: Actor, *, registration_id: int) -> EventRegistration:
    """The person cancels; a freed seat goes to the first in the queue, who is told."""
    require(actor, EVENT, "cancel_registration", object_id=registration_id)
    registration = await session.get(EventRegistration, registration_id)
    # The host's staff see it too, but only the person cancels: anyone else is told it is not theirs.
    if registration is None or registration.user_id != actor.user_id:
        raise NotFound(f"registration {registration_id} not found among yours",
                       f"您的报名中没有 {registration_id}")
    if registration.state == "cancelled":
        raise Conflict("the registration is already cancelled", "该报名已取消")
    event = await get_event(session, registration.event_id, lock=True)
    was = registration.state
    registration.state, registration.wait_position, registration.changed_at = "cancelled", None, utcnow()
    await session.flush()
    promoted = None
    if was == "enrolled":
        promoted = await facts.pass_seat_to_first_waiting(session, event.id)
        if promoted is None:
            await session.execute(update(Event).where(Event.id == event.id)
                                  .values(enrolled_count=Event.enrolled_count - 1)
                                  .execution_options(synchronize_session=False))
    await record(session, actor, action="event.cancel_registration", object_type="event_registration",
                 object_id=registration.id, before={"state": was},
                 after={"state": "cancelled", "promotedId": promoted.registration_id if promoted else None})
    if promoted is not None:
        await notify(session, actor, [promoted.user_id], Message(
            kind="event.promoted", subject_type="event", subject_id=event.id,
            title_en=f"A seat is yours: {event.title_en}", title_zh=f"候补转正：{event.title_zh}"))
    return registration


async def my_registrations(session: AsyncSession, actor: Actor, *, first: int = 20, after: str | None = None,
                           max_page_size: int = 100) -> Page[EventRegistration]:
    if not actor.signed_in:
        raise PermissionDenied("sign in first", "请先登录", action="event.register", object_type=EVENT)
    # "Mine" is the question asked; EventRegistration.visible_to is applied by the data layer.
    stmt = select(EventRegistration).where(EventRegistration.user_id == actor.user_id)
    return await paginate(session, stmt, order=(EventRegistration.id,), first=first, after=after,
                          max_page_size=max_page_size)


async def event_registrations(session: AsyncSession, actor: Actor, *, event_id: int, first: int = 20,
                              after: str | None = None, max_page_size: int = 100) -> Page[EventRegistration]:
    """Everyone registered or waiting: the host zone's staff."""
    require(actor, EVENT, "manage", object_id=event_id)
    event = await get_event(session, event_id)
    if event.host_zone_id != actor.zone_id:
        raise PermissionDenied("only the host zone's staff see the registrations",
                               "只有主办试验区的工作人员可以查看报名名单", action="event.manage",
                               object_type=EVENT, object_id=str(event_id))
    stmt = select(EventRegistration).where(EventRegistration.event_id == event_id)
    return await paginate(session, stmt, order=(EventRegistration.id,), first=first, after=after,
                          max_page_size=max_page_size)
