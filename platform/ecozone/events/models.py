"""Events open to the public or to members, their registrations, the venues and their bookings
(办法 第四条(六): 展览展示、科普讲座所需场地、设施设备; 章程 第二十七至二十九条).

- public: events (announced when created), venues and equipment (the portals list them);
- people: a registration is seen by its person and by the staff acting in the event's host zone;
- zone-private: a venue booking and the slots it holds belong to the venue's zone (the office
  runs the calendar), fenced by the data layer and again by row-level security (migration 0017).

No double booking is a database fact: each booking holds one row per half-hour slot in
``venue_booking_slots`` with ``UNIQUE (venue_id, slot_start)``, the same constraint on SQLite and
PostgreSQL, so of two bookings racing for one slot the database lets exactly one commit.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ViewerScoped, ZonePrivate, utcnow


class _Public(ViewerScoped):
    """Seen by everyone, anonymous callers included."""

    @classmethod
    def visible_to(cls, scope):
        return true()


class Venue(_Public, Timestamped, Base):
    """A room, hall or piece of equipment of a zone's base, booked by the half hour."""

    __tablename__ = "venues"
    __table_args__ = (Index("ix_venues_zone_id_kind", "zone_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    kind: Mapped[str] = mapped_column(String(16))  # room | equipment
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(300))
    seats: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class VenueBooking(ZonePrivate, Base):
    __tablename__ = "venue_bookings"
    __table_args__ = (Index("ix_venue_bookings_zone_id_venue_id_starts_at", "zone_id", "venue_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    purpose: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    state: Mapped[str] = mapped_column(String(16), default="booked")  # booked | cancelled
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    booked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[dt.datetime | None]


class VenueBookingSlot(ZonePrivate, Base):
    """One half hour of a venue held by a booking: the unique key is the no-double-booking rule."""

    __tablename__ = "venue_booking_slots"
    __table_args__ = (UniqueConstraint("venue_id", "slot_start"),
                      Index("ix_venue_booking_slots_zone_id_booking_id", "zone_id", "booking_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"))
    booking_id: Mapped[int] = mapped_column(ForeignKey("venue_bookings.id", ondelete="CASCADE"))
    slot_start: Mapped[dt.datetime]


class Event(_Public, Timestamped, Base):
    """An exhibition, lecture (科普讲座), exchange or training day hosted by one zone."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_host_zone_id_starts_at", "host_zone_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    host_zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    kind: Mapped[str] = mapped_column(String(16))  # exhibition | lecture | exchange | training_day
    audience: Mapped[str] = mapped_column(String(16))  # public | members
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"))
    place: Mapped[str | None] = mapped_column(String(300))
    capacity: Mapped[int]
    registration_deadline: Mapped[dt.datetime]
    # Counters changed by conditional UPDATEs: the row lock makes the last seat race-safe.
    enrolled_count: Mapped[int] = mapped_column(default=0)
    last_wait_seq: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class EventRegistration(ViewerScoped, Base):
    __tablename__ = "event_registrations"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),
                      Index("ix_event_registrations_event_id_state_wait_position",
                            "event_id", "state", "wait_position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))  # registered from; statistics only
    state: Mapped[str] = mapped_column(String(16))  # enrolled | waiting | cancelled
    wait_position: Mapped[int | None]
    registered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @classmethod
    def visible_to(cls, scope):
        """A seat or a place in the queue names a person: seen by that person and by the staff
        acting in the event's host zone. The seat counts are the event's, public."""
        if scope.bypass:
            return true()
        clauses = []
        if scope.user_id is not None:
            clauses.append(cls.user_id == scope.user_id)
        if scope.zone_staff and scope.zone_id is not None:
            events = Event.__table__.alias("hosted_event")
            clauses.append(cls.event_id.in_(select(events.c.id).where(events.c.host_zone_id == scope.zone_id)))
        return or_(*clauses) if clauses else false()
