"""Events and venue bookings end to end through HTTP, on SQLite and PostgreSQL (issue 18)."""

from __future__ import annotations

import asyncio

import pytest

from tests.events.support import BOOKING, FAILURE, book, lecture, op, register, venue
from tests.support.api import gid

MINE = "{ myEventRegistrations { ... on EventRegistrationConnection { edges { node { id state waitPosition } } } } }"
ROSTER = """query($id: ID!) { eventRegistrations(eventId: $id) { __typename
    ... on EventRegistrationConnection { edges { node { state waitPosition zone { slug } } } } } }"""
EVENT = "query($id: ID!) { event(id: $id) { ... on Event { enrolledCount seatsLeft } } }"


@pytest.fixture
async def people(api):
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await api.add_user("gz-secretary", "guizhou", "secretary")
    await api.add_user("jx-member", "jiangxi", "member")
    await api.add_user("jx-member-2", "jiangxi", "member")
    await api.add_user("gz-member", "guizhou", "member")
    await api.add_user("fj-member", "fujian", "member")
    await api.add_user("hn-public", "hainan")  # signed in, no role anywhere


async def test_lecture_capacity_two_third_waits_cancellation_promotes(api, people):
    event = await lecture(api, capacity=2)
    assert event["__typename"] == "Event", event
    assert (event["kind"], event["audience"], event["hostZone"]["slug"]) == ("LECTURE", "PUBLIC", "jiangxi")
    first = await register(api, event["id"], "gz-member", "guizhou")
    second = await register(api, event["id"], "hn-public", "hainan")  # public: no role needed
    third = await register(api, event["id"], "fj-member", "fujian")
    assert [r["state"] for r in (first, second, third)] == ["ENROLLED", "ENROLLED", "WAITING"]
    assert third["waitPosition"] == 1
    assert (await api.gql(EVENT, {"id": event["id"]}))["event"] == {"enrolledCount": 2, "seatsLeft": 0}

    cancelled = await op(api, "cancelEventRegistration", {"id": first["id"]},
                         "__typename ... on EventRegistration { state }", "gz-member", "guizhou")
    assert cancelled == {"__typename": "EventRegistration", "state": "CANCELLED"}
    mine = (await api.gql(MINE, user="fj-member", zone="fujian"))["myEventRegistrations"]["edges"]
    assert [(m["node"]["state"], m["node"]["waitPosition"]) for m in mine] == [("ENROLLED", None)]
    inbox = await api.gql("{ inbox { ... on NotificationConnection { edges { node { kind } } } } }",
                          user="fj-member", zone="fujian")
    assert [n["node"]["kind"] for n in inbox["inbox"]["edges"]] == ["event.promoted"]
    assert (await api.gql(EVENT, {"id": event["id"]}))["event"] == {"enrolledCount": 2, "seatsLeft": 0}
    roster = (await api.gql(ROSTER, {"id": event["id"]}, user="jx-secretary", zone="jiangxi"))["eventRegistrations"]
    assert [(e["node"]["zone"]["slug"], e["node"]["state"]) for e in roster["edges"]] == [
        ("guizhou", "CANCELLED"), ("hainan", "ENROLLED"), ("fujian", "ENROLLED")]

    # A second cancellation frees a seat nobody waits for: the count goes down.
    await op(api, "cancelEventRegistration", {"id": second["id"]}, "__typename", "hn-public", "hainan")
    assert (await api.gql(EVENT, {"id": event["id"]}))["event"] == {"enrolledCount": 1, "seatsLeft": 1}


async def test_event_refusals(api, people):
    members_only = await lecture(api, audience="MEMBERS", capacity=5)
    assert (await register(api, members_only["id"], "hn-public", "hainan"))["__typename"] == "PermissionDenied"
    assert (await register(api, members_only["id"], None, None))["__typename"] == "PermissionDenied"
    ok = await register(api, members_only["id"], "gz-member", "guizhou")
    assert ok["state"] == "ENROLLED"
    assert (await register(api, members_only["id"], "gz-member", "guizhou"))["__typename"] == "Conflict"
    # Someone else's registration: not theirs to cancel, nor to see in a roster of another zone.
    other = await op(api, "cancelEventRegistration", {"id": ok["id"]}, f"__typename {FAILURE}", "fj-member", "fujian")
    assert other["__typename"] == "NotFound"
    roster = await api.gql(ROSTER, {"id": members_only["id"]}, user="gz-secretary", zone="guizhou")
    assert roster["eventRegistrations"]["__typename"] == "PermissionDenied"
    # Members create nothing; capacity 0 and negative; ends before it starts; a forged ID.
    assert (await lecture(api, user="jx-member"))["__typename"] == "PermissionDenied"
    for capacity in (0, -1, 10001):
        refused = await lecture(api, capacity=capacity)
        assert refused["__typename"] == "ValidationFailed"
        assert {"field": "capacity", "code": "range"} in refused["fieldErrors"]
    assert (await lecture(api, capacity=1))["__typename"] == "Event"
    assert (await lecture(api, capacity=10000))["__typename"] == "Event"
    backwards = await lecture(api, endsAt="2099-04-22T00:00:00Z")
    assert {"field": "endsAt", "code": "order"} in backwards["fieldErrors"]
    forged = await register(api, gid("Venue", 1), "gz-member", "guizhou")
    assert forged["__typename"] == "NotFound"
    # Another zone's venue cannot host this zone's event.
    gz_hall = await venue(api, user="gz-secretary", zone="guizhou")
    foreign = await lecture(api, venueId=gz_hall["id"])
    assert {"field": "venueId", "code": "zone"} in foreign["fieldErrors"]


async def test_booking_refusals_and_cancellation(api, people):
    hall = await venue(api)
    assert hall["__typename"] == "Venue" and hall["zone"]["slug"] == "jiangxi"
    backwards = await book(api, hall["id"], "2099-04-22T03:00:00Z", "2099-04-22T01:00:00Z", "jx-member")
    assert {"field": "endsAt", "code": "order"} in backwards["fieldErrors"]
    empty = await book(api, hall["id"], "2099-04-22T03:00:00Z", "2099-04-22T03:00:00Z", "jx-member")
    assert {"field": "endsAt", "code": "order"} in empty["fieldErrors"]
    odd = await book(api, hall["id"], "2099-04-22T03:10:00Z", "2099-04-22T04:00:00Z", "jx-member")
    assert {"field": "startsAt", "code": "slot"} in odd["fieldErrors"]
    # People of another zone neither book it nor see its calendar.
    foreign = await book(api, hall["id"], "2099-04-22T01:00:00Z", "2099-04-22T02:00:00Z", "gz-member", "guizhou")
    assert foreign["__typename"] == "PermissionDenied"
    held = await book(api, hall["id"], "2099-04-22T01:00:00+08:00", "2099-04-22T03:30:00+08:00", "jx-member")
    assert held["__typename"] == "VenueBooking", held
    assert held["startsAt"].startswith("2099-04-21T17:00:00")
    overlapping = await book(api, hall["id"], "2099-04-21T19:00:00Z", "2099-04-21T20:00:00Z", "jx-member-2")
    assert overlapping["__typename"] == "Conflict"
    adjacent = await book(api, hall["id"], "2099-04-21T19:30:00Z", "2099-04-21T20:00:00Z", "jx-member-2")
    assert adjacent["__typename"] == "VenueBooking"  # the first booking ends at 19:30: no overlap
    calendar = """query($id: ID!) { venueBookings(venueId: $id) { ... on VenueBookingConnection { totalCount } } }"""
    assert (await api.gql(calendar, {"id": hall["id"]}, user="gz-secretary", zone="guizhou")
            )["venueBookings"]["totalCount"] == 0
    assert (await api.gql(calendar, {"id": hall["id"]}, user="jx-member", zone="jiangxi")
            )["venueBookings"]["totalCount"] == 2
    gz_cancel = await op(api, "cancelVenueBooking", {"id": held["id"]}, f"__typename {FAILURE}", "gz-secretary",
                         "guizhou")
    assert gz_cancel["__typename"] == "NotFound"  # another zone's booking is not there to cancel
    not_booker = await op(api, "cancelVenueBooking", {"id": held["id"]}, "__typename", "jx-member-2", "jiangxi")
    assert not_booker["__typename"] == "PermissionDenied"
    freed = await op(api, "cancelVenueBooking", {"id": held["id"]}, BOOKING, "jx-member", "jiangxi")
    assert freed["cancelled"] is True
    again = await op(api, "cancelVenueBooking", {"id": held["id"]}, "__typename", "jx-member", "jiangxi")
    assert again["__typename"] == "Conflict"
    rebooked = await book(api, hall["id"], "2099-04-21T18:00:00Z", "2099-04-21T19:00:00Z", "jx-member-2")
    assert rebooked["__typename"] == "VenueBooking"


async def test_two_concurrent_bookings_of_one_slot_one_wins(api, people):
    hall = await venue(api)
    results = await asyncio.gather(
        book(api, hall["id"], "2099-05-01T01:00:00Z", "2099-05-01T03:00:00Z", "jx-member"),
        book(api, hall["id"], "2099-05-01T02:30:00Z", "2099-05-01T04:00:00Z", "jx-member-2"))
    assert sorted(r["__typename"] for r in results) == ["Conflict", "VenueBooking"], results
    loser = next(r for r in results if r["__typename"] == "Conflict")
    assert loser["code"] == "conflict" and "已有预订" in loser["messageZh"]
    calendar = """query($id: ID!) { venueBookings(venueId: $id) { ... on VenueBookingConnection { totalCount } } }"""
    assert (await api.gql(calendar, {"id": hall["id"]}, user="jx-secretary", zone="jiangxi")
            )["venueBookings"]["totalCount"] == 1


LIST = """query($zone: String, $kind: EventKind, $after: String) {
  events(zone: $zone, kind: $kind, first: 1, after: $after) { __typename
    ... on EventConnection { totalCount pageInfo { hasNextPage endCursor } edges { node { titleEn hostZone { slug } } } }
    ... on Failure { code } } }"""


async def test_lists_filters_pages_and_the_deadline(api, people, monkeypatch):
    from ecozone.events import service
    await lecture(api, titleEn="First")
    await lecture(api, titleEn="Second", startsAt="2099-04-23T01:00:00Z", endsAt="2099-04-23T02:00:00Z")
    await lecture(api, kind="EXHIBITION", titleEn="Guizhou show", user="gz-secretary", zone="guizhou")
    first = (await api.gql(LIST, {"zone": "jiangxi", "kind": "LECTURE"}))["events"]
    assert (first["totalCount"], first["pageInfo"]["hasNextPage"]) == (2, True)
    assert first["edges"][0]["node"] == {"titleEn": "First", "hostZone": {"slug": "jiangxi"}}
    second = (await api.gql(LIST, {"zone": "jiangxi", "kind": "LECTURE", "after": first["pageInfo"]["endCursor"]})
              )["events"]
    assert [e["node"]["titleEn"] for e in second["edges"]] == ["Second"] and not second["pageInfo"]["hasNextPage"]
    assert (await api.gql(LIST, {"kind": "EXHIBITION"}))["events"]["totalCount"] == 1
    forged_cursor = (await api.gql(LIST, {"after": "not-a-cursor"}))["events"]
    assert forged_cursor["__typename"] == "ValidationFailed"
    too_many = await api.post("{ events(first: 101) { __typename } }")
    assert too_many.status_code == 400 and too_many.json()["errors"][0]["extensions"]["code"] == "PAGE_TOO_LARGE"

    # The deadline instant itself is still open; a microsecond later registration is closed.
    import datetime as dt
    event = await lecture(api, capacity=5)
    deadline = dt.datetime(2099, 4, 21, 16, tzinfo=dt.UTC)
    monkeypatch.setattr(service, "now", lambda: deadline)
    assert (await register(api, event["id"], "gz-member", "guizhou"))["state"] == "ENROLLED"
    monkeypatch.setattr(service, "now", lambda: deadline + dt.timedelta(microseconds=1))
    late = await register(api, event["id"], "fj-member", "fujian")
    assert late["__typename"] == "Conflict" and "截止" in late["messageZh"]
