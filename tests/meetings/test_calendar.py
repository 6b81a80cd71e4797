"""iCalendar feeds through HTTP on both databases, parsed back with the icalendar library: the
personal feed by its secret token (occurrences, offsets, revocation) and the public zone feed;
and the tokens a hostile client guesses, forges or replays."""

from __future__ import annotations

import datetime as dt
import hashlib

import icalendar
from ecozone.meetings.models import CalendarFeedToken
from sqlalchemy import select, text

from tests.meetings.support import MEETING, SERIES, op, people, user_id, yearly_series

MAKE = "mutation { makeCalendarFeedToken { __typename ... on CalendarFeed { url active createdAt } ... on Failure { code } } }"
REVOKE = "mutation { revokeCalendarFeedToken { __typename ... on CalendarFeed { active } } }"
STATUS = "{ myCalendarFeed { __typename ... on CalendarFeed { url active } ... on Failure { code } } }"
SHANGHAI = dt.timedelta(hours=8)


def path_of(url: str) -> str:
    return url.removeprefix("http://ecozone.test")


def events(body: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))


async def feed_url(api, user: str, zone: str) -> str:
    made = (await api.gql(MAKE, user=user, zone=zone))["makeCalendarFeedToken"]
    assert made["__typename"] == "CalendarFeed" and made["active"], made
    return made["url"]


async def test_a_persons_feed_lists_the_series_at_local_time(api):
    await people(api)
    series = await yearly_series(api)
    await op(api, "invitePersonToJointMeeting", {"seriesId": series["id"], "userId": user_id(api, "fj-head")},
             SERIES, "fj-director", "fujian")
    url = await feed_url(api, "fj-head", "fujian")
    assert "/calendar/me/ezc_" in url and url.endswith(".ics")
    response = await api.client.get(path_of(url))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["cache-control"] == "private, no-store"
    found = events(response.content)
    starts = [e.decoded("dtstart") for e in found]
    assert starts == [dt.datetime(y, 3, 10, 9, 0, tzinfo=starts[0].tzinfo) for y in (2025, 2026, 2027, 2028)]
    assert all(s.utcoffset() == SHANGHAI for s in starts)          # local time with its offset
    assert [s.astimezone(dt.UTC).hour for s in starts] == [1] * 4
    assert all(e.decoded("dtend") - e.decoded("dtstart") == dt.timedelta(hours=3) for e in found)
    assert len({str(e["UID"]) for e in found}) == 4
    assert "试验区标准化主管部门" in str(found[0]["SUMMARY"]) and str(found[0]["LOCATION"]) == "南昌市 某会议中心"
    assert icalendar.Calendar.from_ical(response.content).walk("VTIMEZONE")[0]["TZID"] == "Asia/Shanghai"

    # Fujian's director sees the zone's meetings in their own feed; a Hainan director's is empty.
    assert len(events((await api.client.get(path_of(await feed_url(api, "fj-director", "fujian")))).content)) == 4
    assert events((await api.client.get(path_of(await feed_url(api, "hn-director", "hainan")))).content) == []
    status = (await api.gql(STATUS, user="fj-head", zone="fujian"))["myCalendarFeed"]
    assert status == {"__typename": "CalendarFeed", "url": None, "active": True}


async def test_tokens_are_secret_revocable_and_never_guessed(api):
    await people(api)
    series = await yearly_series(api)
    await op(api, "invitePersonToJointMeeting", {"seriesId": series["id"], "userId": user_id(api, "fj-head")},
             SERIES, "fj-director", "fujian")
    first = await feed_url(api, "fj-head", "fujian")
    token = first.rsplit("/", 1)[1].removesuffix(".ics")

    async def stored(session):
        return (await session.scalars(select(CalendarFeedToken.token_hash))).all()
    hashes = await api.operator(stored)
    assert token not in hashes and hashlib.sha256(token.encode()).hexdigest() in hashes  # only the hash is kept

    guesses = ["ezc_" + "A" * 43, token[:-1] + ("B" if token[-1] != "B" else "C"), token.upper(), token + "x",
               "ezc_", "../../etc/passwd", "%00", token[4:], "ezc_" + "A" * 4000,
               hashlib.sha256(token.encode()).hexdigest()]          # the stored hash is not a token
    for guess in guesses:
        response = await api.client.get(f"/calendar/me/{guess}.ics")
        assert response.status_code == 404, (guess, response.status_code)
        if response.headers["content-type"].startswith("application/json"):  # the feed route answered
            assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # A new token replaces the old one; revoking closes the feed.
    second = await feed_url(api, "fj-head", "fujian")
    assert second != first
    assert (await api.client.get(path_of(first))).status_code == 404
    assert (await api.client.get(path_of(second))).status_code == 200
    assert (await api.gql(REVOKE, user="fj-head", zone="fujian"))["revokeCalendarFeedToken"]["active"] is False
    assert (await api.client.get(path_of(second))).status_code == 404
    # An answer that would be kept for replay (Idempotency-Key) never carries a secret.
    response = await api.client.post("/graphql", json={"query": MAKE}, headers={
        **api.headers("fj-head", "fujian"), "Idempotency-Key": "feed-1"})
    refused = response.json()["data"]["makeCalendarFeedToken"]
    assert refused["__typename"] == "ValidationFailed" and "ezc_" not in response.text

    async def kept(session):
        return (await session.execute(text("SELECT body FROM idempotency_keys"))).scalars().all()
    assert all("ezc_" not in body for body in await api.operator(kept))
    # Anonymous callers have no feed to make; the token is not accepted as a bearer token either.
    assert (await api.gql(MAKE))["makeCalendarFeedToken"]["code"] == "permission_denied"
    assert (await api.gql(STATUS))["myCalendarFeed"]["code"] == "permission_denied"
    response = await api.client.post("/graphql", json={"query": STATUS},
                                     headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


async def test_the_zone_calendar_shows_public_meetings_only(api):
    await people(api)
    series = await yearly_series(api)
    first = series["meetings"][0]["id"]
    for zone in ("jiangxi", "fujian", "hainan"):
        response = await api.client.get(f"/calendar/{zone}.ics")
        assert response.status_code == 200 and events(response.content) == []  # nothing public yet
    await op(api, "writeJointMeetingMinutes", {"meetingId": first, "summary": "纪要"}, MEETING, "jx-secretary", "jiangxi")
    await op(api, "publishJointMeetingMinutes", {"meetingId": first}, MEETING, "jx-secretary", "jiangxi")
    for zone, count in (("jiangxi", 1), ("fujian", 1), ("guizhou", 1), ("hainan", 0)):
        response = await api.client.get(f"/calendar/{zone}.ics")
        found = events(response.content)
        assert len(found) == count, zone
        if count:
            assert found[0].decoded("dtstart").astimezone(dt.UTC) == dt.datetime(2025, 3, 10, 1, tzinfo=dt.UTC)
            assert "纪要已公开" in str(found[0]["DESCRIPTION"])
    assert (await api.client.get("/calendar/atlantis.ics")).status_code == 404
    # A signed-in request gets the same public calendar: the route is not a way around visibility.
    response = await api.client.get("/calendar/hainan.ics", headers=api.headers("hn-director", "hainan"))
    assert events(response.content) == []
