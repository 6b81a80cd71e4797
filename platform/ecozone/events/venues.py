"""Venues and equipment of a zone's base, booked by the half hour without double booking
(办法 第四条(六): 提供展览展示、科普讲座等服务所需场地、设施设备)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.base import utcnow
from ecozone.db.pagination import Page, paginate
from ecozone.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    raise_if_invalid,
)
from ecozone.events import rules
from ecozone.events.models import Event, Venue, VenueBooking, VenueBookingSlot
from ecozone.tenancy.models import Zone
from ecozone.texts import text

VENUE = "venue"


async def get_venue(session: AsyncSession, venue_id: int) -> Venue:
    venue = await session.get(Venue, venue_id)
    if venue is None:
        raise NotFound(f"venue {venue_id} not found", f"场地或设备 {venue_id} 不存在")
    return venue


async def create_venue(session: AsyncSession, actor: Actor, *, kind: str, name_zh: str, name_en: str,
                       location: str | None = None, seats: int | None = None) -> Venue:
    """The acting zone's staff register a room or a piece of equipment of their base."""
    require(actor, VENUE, "manage")
    errors: list[FieldError] = []
    values = dict(name_zh=text(errors, "nameZh", name_zh, 200, required=True),
                  name_en=text(errors, "nameEn", name_en, 300, required=True),
                  location=text(errors, "location", location, 300, required=False))
    if kind not in rules.VENUE_KINDS:
        errors.append(FieldError("kind", "choice", "kind must be room or equipment", "类型须为 room 或 equipment"))
    if seats is not None and not 1 <= seats <= 100000:
        errors.append(FieldError("seats", "range", "seats must be 1–100000", "座位数须为 1–100000"))
    raise_if_invalid(errors)
    venue = Venue(zone_id=actor.zone_id, kind=kind, seats=seats, created_by_id=actor.user_id, **values)
    session.add(venue)
    await session.flush()
    await record(session, actor, action="venue.create", object_type="venue", object_id=venue.id,
                 after={**values, "kind": kind, "seats": seats})
    return venue


async def list_venues(session: AsyncSession, *, zone_slug: str | None = None, first: int = 20,
                      after: str | None = None, max_page_size: int = 100) -> Page[Venue]:
    stmt = select(Venue)
    if zone_slug:  # a filter the viewer asked for; venues are public
        stmt = stmt.join(Zone, Zone.id == Venue.zone_id).where(Zone.slug == zone_slug)
    return await paginate(session, stmt, order=(Venue.id,), first=first, after=after, max_page_size=max_page_size)


async def book_venue(session: AsyncSession, actor: Actor, *, venue_id: int, starts_at: dt.datetime,
                     ends_at: dt.datetime, purpose: str, event_id: int | None = None) -> VenueBooking:
    """People of the venue's zone book whole half hours of it. Two bookings of one slot never
    both commit: the slots' unique key decides, and the loser gets a Conflict."""
    require(actor, VENUE, "book", object_id=venue_id)
    venue = await get_venue(session, venue_id)
    if venue.zone_id != actor.zone_id:
        raise PermissionDenied("only people of the venue's zone book it, acting in that zone",
                               "只有场地所属试验区的人员（在该区操作时）可以预订", action="venue.book",
                               object_type=VENUE, object_id=str(venue_id))
    errors: list[FieldError] = []
    purpose_text = text(errors, "purpose", purpose, 300, required=True)
    errors += rules.booking_errors(starts_at, ends_at)
    if event_id is not None:
        event = await session.get(Event, event_id)
        if event is None or event.host_zone_id != venue.zone_id:
            errors.append(FieldError("eventId", "zone", "the event must be hosted by the venue's zone",
                                     "活动须由场地所属试验区主办"))
    raise_if_invalid(errors)
    booking = VenueBooking(zone_id=venue.zone_id, venue_id=venue.id, event_id=event_id, purpose=purpose_text,
                           starts_at=starts_at, ends_at=ends_at, state="booked", booked_by_id=actor.user_id)
    try:
        async with session.begin_nested():
            session.add(booking)
            await session.flush()
            session.add_all(VenueBookingSlot(zone_id=venue.zone_id, venue_id=venue.id, booking_id=booking.id,
                                             slot_start=slot) for slot in rules.slots(starts_at, ends_at))
            await session.flush()
    except IntegrityError as exc:  # UNIQUE (venue_id, slot_start): another booking holds a slot
        raise Conflict("the venue is already booked for part of this time",
                       "该场地在此时段内已有预订（部分或全部时段冲突）") from exc
    await record(session, actor, action="venue.book", object_type="venue_booking", object_id=booking.id,
                 after={"venueId": venue.id, "startsAt": starts_at, "endsAt": ends_at,
                        "purpose": purpose_text, "eventId": event_id})
    return booking


async def cancel_booking(session: AsyncSession, actor: Actor, *, booking_id: int) -> VenueBooking:
    """The person who booked, or the zone's staff, cancel; the slots are free again at once."""
    require(actor, VENUE, "book", object_id=booking_id)
    booking = await session.get(VenueBooking, booking_id)  # another zone's booking: not found
    if booking is None:
        raise NotFound(f"venue booking {booking_id} not found", f"场地预订 {booking_id} 不存在")
    if booking.booked_by_id != actor.user_id and not actor.zone_staff:
        raise PermissionDenied("only the person who booked or the zone's staff cancel a booking",
                               "只有预订人或本试验区工作人员可以取消预订", action="venue.cancel",
                               object_type=VENUE, object_id=str(booking_id))
    if booking.state == "cancelled":
        raise Conflict("the booking is already cancelled", "该预订已取消")
    booking.state, booking.cancelled_at = "cancelled", utcnow()
    await session.execute(delete(VenueBookingSlot).where(VenueBookingSlot.booking_id == booking.id)
                          .execution_options(synchronize_session=False))
    await session.flush()
    await record(session, actor, action="venue.cancel_booking", object_type="venue_booking",
                 object_id=booking.id, before={"state": "booked"}, after={"state": "cancelled"})
    return booking


async def venue_bookings(session: AsyncSession, actor: Actor, *, venue_id: int, first: int = 20,
                         after: str | None = None, max_page_size: int = 100) -> Page[VenueBooking]:
    """The venue's calendar, for the people of its zone (bookings are the zone's)."""
    if not actor.signed_in:
        raise PermissionDenied("sign in first", "请先登录", action="venue.book", object_type=VENUE)
    await get_venue(session, venue_id)
    stmt = select(VenueBooking).where(VenueBooking.venue_id == venue_id, VenueBooking.state == "booked")
    return await paginate(session, stmt, order=(VenueBooking.starts_at, VenueBooking.id), first=first,
                          after=after, max_page_size=max_page_size)
