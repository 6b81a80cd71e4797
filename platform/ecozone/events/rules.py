"""Pure rules of events and venue bookings: kinds, audiences, who may register, half-hour slots.

Seats and the waiting list are the shared rules of ``ecozone.seats`` (as for trainings).
"""

from __future__ import annotations

import datetime as dt

from ecozone.errors import FieldError

EVENT_KINDS = {  # kind -> (zh, en); 办法 第四条(六), 章程 第二十七至二十九条
    "exhibition": ("展览展示", "Exhibition"),
    "lecture": ("科普讲座", "Popular-science lecture"),
    "exchange": ("交流活动", "Exchange"),
    "training_day": ("专业培训日", "Training day"),
}
AUDIENCES = {"public": ("面向社会公众", "Open to the public"),
             "members": ("面向成员", "Members only")}
VENUE_KINDS = {"room": ("场地", "Room or hall"), "equipment": ("设施设备", "Equipment")}
# Roles that make a user a member of the base's network in the zone they act in.
MEMBER_ROLES = frozenset({"member", "expert", "secretary", "director"})

SLOT = dt.timedelta(minutes=30)
MAX_BOOKING = dt.timedelta(days=14)


def may_register(audience: str, roles: frozenset[str]) -> bool:
    """Anyone signed in registers for a public event; a members-only event needs a role
    (member, expert, secretary, director) in the zone the person acts in."""
    if audience == "public":
        return True
    if audience == "members":
        return bool(roles & MEMBER_ROLES)
    raise ValueError(f"unknown audience {audience!r}")


def period_errors(starts_at: dt.datetime, ends_at: dt.datetime, *, field: str = "endsAt") -> list[FieldError]:
    """An event or a booking ends after it starts."""
    if ends_at <= starts_at:
        return [FieldError(field, "order", "it must end after it starts", "结束时间必须晚于开始时间")]
    return []


def _aligned(value: dt.datetime) -> bool:
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    return (value - epoch) % SLOT == dt.timedelta(0)


def booking_errors(starts_at: dt.datetime, ends_at: dt.datetime) -> list[FieldError]:
    """A booking holds whole half hours (on the hour or half past, UTC), ends after it starts
    and lasts at most 14 days."""
    errors = period_errors(starts_at, ends_at)
    for name, value in (("startsAt", starts_at), ("endsAt", ends_at)):
        if not _aligned(value):
            errors.append(FieldError(name, "slot", "bookings start and end on the hour or half past",
                                     "预订须从整点或半点开始、到整点或半点结束"))
    if not errors and ends_at - starts_at > MAX_BOOKING:
        errors.append(FieldError("endsAt", "range", "a booking lasts at most 14 days", "单次预订最长 14 天"))
    return errors


def slots(starts_at: dt.datetime, ends_at: dt.datetime) -> list[dt.datetime]:
    """The half-hour slots a valid booking holds: [starts_at, ends_at) in steps of 30 minutes."""
    if booking_errors(starts_at, ends_at):
        raise ValueError("not a valid booking period")  # callers validate first
    starts_at = starts_at.astimezone(dt.UTC)
    count = (ends_at - starts_at) // SLOT
    return [starts_at + i * SLOT for i in range(count)]
