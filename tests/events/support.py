"""Shared steps of the events tests, all through the HTTP API."""

from __future__ import annotations

from tests.support.api import Api

FAILURE = "... on Failure { code message messageZh } ... on ValidationFailed { fieldErrors { field code } }"
REGISTRATION = f"__typename ... on EventRegistration {{ id state waitPosition zone {{ slug }} }} {FAILURE}"
BOOKING = f"__typename ... on VenueBooking {{ id startsAt endsAt cancelled venue {{ nameZh }} }} {FAILURE}"


async def op(api: Api, mutation: str, input_: dict, fields: str, user: str | None, zone: str | None) -> dict:
    input_type = mutation[0].upper() + mutation[1:] + "Input"
    query = f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {fields} }} }}"
    return (await api.gql(query, {"input": input_}, user=user, zone=zone))[mutation]


async def venue(api: Api, user: str = "jx-secretary", zone: str = "jiangxi", **overrides) -> dict:
    return await op(api, "createVenue", {"kind": "ROOM", "nameZh": "数字标准馆报告厅", "nameEn": "Digital Standards Hall",
                                         "location": "南昌市 某园区 3 号楼", "seats": 120, **overrides},
                    f"__typename ... on Venue {{ id kind seats zone {{ slug }} }} {FAILURE}", user, zone)


async def lecture(api: Api, *, capacity: int = 2, user: str = "jx-secretary", zone: str = "jiangxi",
                  **overrides) -> dict:
    return await op(api, "createEvent", {
        "kind": "LECTURE", "audience": "PUBLIC", "titleZh": "绿色生态标准科普讲座",
        "titleEn": "Green ecology standards: a public lecture", "startsAt": "2099-04-22T01:00:00Z",
        "endsAt": "2099-04-22T03:00:00Z", "capacity": capacity, "registrationDeadline": "2099-04-21T16:00:00Z",
        "place": "南昌市 某中学礼堂", **overrides},
        f"__typename ... on Event {{ id kind audience capacity seatsLeft enrolledCount hostZone {{ slug }} }} {FAILURE}",
        user, zone)


async def register(api: Api, event_id: str, user: str | None, zone: str | None) -> dict:
    return await op(api, "registerForEvent", {"eventId": event_id}, REGISTRATION, user, zone)


async def book(api: Api, venue_id: str, starts: str, ends: str, user: str, zone: str = "jiangxi") -> dict:
    return await op(api, "bookVenue", {"venueId": venue_id, "startsAt": starts, "endsAt": ends,
                                       "purpose": "科普讲座"}, BOOKING, user, zone)
