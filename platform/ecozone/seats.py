"""Seats and a waiting list: the pure rules shared by every registration with a capacity.

Training sessions (``ecozone.talent``) and events (``ecozone.events``) both give a seat while one
is free, queue everyone after that first come first served, pass a freed seat to the first in
the queue, and close at a deadline instant. One truth, tested once (tests/events/test_seats.py,
tests/talent/test_rules.py); each domain keeps its own counters and row locks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ecozone.errors import FieldError

MIN_CAPACITY, MAX_CAPACITY = 1, 10000


def seat_for(capacity: int, enrolled: int) -> str:
    """``enrolled`` while a seat is free, else ``waiting``."""
    return "enrolled" if enrolled < capacity else "waiting"


def next_promoted(waiting: Sequence[tuple[int, int]]) -> int | None:
    """The registration to promote when a seat frees: the lowest wait position (FIFO).

    ``waiting`` holds (wait_position, registration_id) pairs; None when nobody waits.
    """
    return min(waiting)[1] if waiting else None


def registration_open(now: dt.datetime, deadline: dt.datetime) -> bool:
    """Registration is open up to and including the deadline instant."""
    return now <= deadline


def capacity_errors(capacity: int, field: str = "capacity") -> list[FieldError]:
    """A capacity is a whole number of seats, 1–10000 (0 or less would be a waiting list only)."""
    if not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
        return [FieldError(field, "range", f"capacity must be {MIN_CAPACITY}–{MAX_CAPACITY}",
                           f"名额须为 {MIN_CAPACITY}–{MAX_CAPACITY}")]
    return []
