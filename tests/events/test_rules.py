"""Pure rules of events and bookings, and the shared seat rules, table-driven at their bounds."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone import seats
from ecozone.events import rules

T0 = dt.datetime(2099, 4, 22, 1, tzinfo=dt.UTC)
HALF = dt.timedelta(minutes=30)


@pytest.mark.parametrize(("capacity", "errors"), [
    (-1, ["range"]), (0, ["range"]), (1, []), (2, []), (10000, []), (10001, ["range"])])
def test_capacity_bounds(capacity, errors):
    assert [e.code for e in seats.capacity_errors(capacity)] == errors


@pytest.mark.parametrize(("capacity", "enrolled", "seat"), [
    (1, 0, "enrolled"), (2, 1, "enrolled"), (2, 2, "waiting"), (2, 3, "waiting")])
def test_seat_for(capacity, enrolled, seat):
    assert seats.seat_for(capacity, enrolled) == seat


@pytest.mark.parametrize(("waiting", "promoted"), [([], None), ([(2, 5), (1, 9)], 9), ([(7, 1)], 1)])
def test_next_promoted_is_first_in_queue(waiting, promoted):
    assert seats.next_promoted(waiting) == promoted


@pytest.mark.parametrize(("at", "open_"), [
    (T0 - HALF, True), (T0, True), (T0 + dt.timedelta(microseconds=1), False)])
def test_registration_open_up_to_the_deadline_instant(at, open_):
    assert seats.registration_open(at, T0) is open_


@pytest.mark.parametrize(("audience", "roles", "may"), [
    ("public", frozenset(), True), ("public", frozenset({"member"}), True),
    ("members", frozenset(), False), ("members", frozenset({"member"}), True),
    ("members", frozenset({"expert"}), True), ("members", frozenset({"secretary"}), True),
    ("members", frozenset({"enterprise"}), False)])
def test_may_register(audience, roles, may):
    assert rules.may_register(audience, roles) is may


def test_unknown_audience_is_a_bug():
    with pytest.raises(ValueError):
        rules.may_register("everyone", frozenset())


@pytest.mark.parametrize(("starts", "ends", "errors"), [
    (T0, T0 + HALF, []),
    (T0, T0, [("endsAt", "order")]),                      # empty
    (T0, T0 - HALF, [("endsAt", "order")]),               # end before start
    (T0 + dt.timedelta(minutes=1), T0 + HALF, [("startsAt", "slot")]),
    (T0, T0 + dt.timedelta(minutes=45), [("endsAt", "slot")]),
    (T0, T0 + dt.timedelta(days=14), []),                 # the longest booking
    (T0, T0 + dt.timedelta(days=14) + HALF, [("endsAt", "range")]),
    (T0.astimezone(dt.timezone(dt.timedelta(hours=8))), T0 + HALF, []),  # offsets do not matter
])
def test_booking_errors(starts, ends, errors):
    assert [(e.field, e.code) for e in rules.booking_errors(starts, ends)] == errors


def test_slots_cover_the_half_open_period():
    assert rules.slots(T0, T0 + 3 * HALF) == [T0, T0 + HALF, T0 + 2 * HALF]
    assert len(rules.slots(T0, T0 + dt.timedelta(days=14))) == 14 * 48
    with pytest.raises(ValueError):
        rules.slots(T0, T0)
