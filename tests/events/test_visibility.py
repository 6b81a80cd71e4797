"""README "The four zones together: events, expert consulting, standard uptake" visibility table,
cell by cell, through HTTP on both databases.

Jiangxi hosts a public lecture in its hall and receives a question; "the person" (a Jiangxi member)
registers, books the hall and asks; a third Jiangxi member does the same, so that "own" is seen to
exclude the other's rows; a Guizhou expert is assigned to the person's question and answers it; the
Jiangxi tea standard has a pilot site. Every identity then asks for every object.
"""

from __future__ import annotations

import pytest

from tests.events.support import book, lecture, op, register, venue
from tests.standards.search_support import catalogue
from tests.support.readme_tables import (
    NO,
    OWN,
    YES,
    Identity,
    check_table_shape,
    readme_table,
)
from tests.talent.support import make_expert

ANCHOR = "Checked cell by cell through HTTP on both databases by `tests/events/test_visibility.py`"
NODE = "query($id: ID!) { node(id: $id) { __typename } }"
PUBLIC = """query($event: ID!, $standard: ID!) { event(id: $event) { __typename }
  venues { ... on VenueConnection { totalCount } }
  standardUptake(standardId: $standard) { ... on UptakeRecordConnection { totalCount } } }"""
STATISTICS = """{ consultingStatistics(year: 2030) { __typename } uptakeStatistics { __typename } }"""
REQUEST = """query($id: ID!) { consultingRequest(id: $id) { __typename
  ... on ConsultingRequest { experts { nameZh } answers { body } } } }"""

IDENTITIES = [
    Identity("anonymous", None, None),
    Identity("signed-in outsider (Hainan)", "hn-outsider", "hainan"),
    Identity("member of the zone", "jx-member", "jiangxi"),
    Identity("zone staff", "jx-secretary", "jiangxi"),
    Identity("the person", "jx-person", "jiangxi"),
    Identity("assigned expert (Guizhou)", "gz-expert", "guizhou"),
]


async def _public_row(api, world, user, zone, row) -> bool:
    data = await api.gql(PUBLIC, {"event": world["event"], "standard": world["tea"]}, user=user, zone=zone)
    if row == "event and venue":
        return data["event"]["__typename"] == "Event" and data["venues"]["totalCount"] == 1
    return data["standardUptake"]["totalCount"] == 1


async def _statistics(api, world, user, zone, row) -> bool:
    data = await api.gql(STATISTICS, user=user, zone=zone)
    return (data["consultingStatistics"]["__typename"], data["uptakeStatistics"]["__typename"]) == (
        "ConsultingStatistics", "UptakeStatistics")


async def _node(api, node_id, type_name, user, zone) -> bool:
    found = (await api.gql(NODE, {"id": node_id}, user=user, zone=zone))["node"]
    return found is not None and found["__typename"] == type_name


def _rows(key: str, type_name: str):
    async def probe(api, world, user, zone, row) -> tuple[bool, bool]:
        """(sees the person's row, sees the other member's row)"""
        return (await _node(api, world[key][0], type_name, user, zone),
                await _node(api, world[key][1], type_name, user, zone))
    return probe


async def _requests(api, world, user, zone, row) -> tuple[bool, bool]:
    seen = []
    for request_id in world["requests"]:
        data = (await api.gql(REQUEST, {"id": request_id}, user=user, zone=zone))["consultingRequest"]
        seen.append(data["__typename"] == "ConsultingRequest")
        if data["__typename"] == "ConsultingRequest" and request_id == world["requests"][0]:
            assert data["experts"] == [{"nameZh": "龙文静"}] and len(data["answers"]) == 1
    return seen[0], seen[1]


PROBES = {
    "event and venue": _public_row,
    "venue booking": _rows("bookings", "VenueBooking"),
    "event registration": _rows("registrations", "EventRegistration"),
    "consulting request, its experts and answers": _requests,
    "uptake record of a published standard": _public_row,
    "consulting and uptake statistics": _statistics,
}


def test_the_table_names_every_identity_and_object():
    check_table_shape(*readme_table(ANCHOR, "cooperation object"), IDENTITIES, PROBES)


@pytest.fixture
async def world(api) -> dict:
    standards = await catalogue(api)  # jx-secretary, jx-member, gz-secretary … and published standards
    await api.add_user("hn-outsider", "hainan")
    await api.add_user("jx-person", "jiangxi", "member")
    await api.add_user("jx-other", "jiangxi", "member")  # the other member whose rows "own" excludes
    expert = await make_expert(api, "gz-expert", "guizhou", "gz-secretary", "龙文静")
    hall = await venue(api)
    event = await lecture(api, capacity=5, venueId=hall["id"])
    registrations = [(await register(api, event["id"], u, "jiangxi"))["id"] for u in ("jx-person", "jx-other")]
    bookings = [(await book(api, hall["id"], start, end, u))["id"] for u, start, end in (
        ("jx-person", "2099-04-22T00:00:00Z", "2099-04-22T01:00:00Z"),
        ("jx-other", "2099-04-23T00:00:00Z", "2099-04-23T01:00:00Z"))]
    requests = []
    for user in ("jx-person", "jx-other"):
        asked = await op(api, "askExpertTeam", {"requestingUnit": "赣南某脐橙合作社", "field": "柑橘", "title": "果园记录",
                                                "question": "采摘记录保存多久？"}, "... on ConsultingRequest { id }",
                         user, "jiangxi")
        requests.append(asked["id"])
    await op(api, "assignConsultingExpert", {"requestId": requests[0], "expertId": expert}, "__typename",
             "jx-secretary", "jiangxi")
    await op(api, "answerConsultingRequest", {"requestId": requests[0], "body": "不少于两年。"}, "__typename",
             "gz-expert", "guizhou")
    pilot = await op(api, "recordStandardUptake", {
        "standardId": standards["tea"], "kind": "PILOT", "subjectKind": "PLACE", "subjectName": "某茶园示范基地",
        "startsOn": "2026-04-01", "endsOn": "2027-03-31"}, "__typename", "jx-secretary", "jiangxi")
    assert pilot == {"__typename": "UptakeRecord"}
    return {"event": event["id"], "tea": standards["tea"], "registrations": registrations, "bookings": bookings,
            "requests": requests}


async def test_every_cell(api, world):
    _, table = readme_table(ANCHOR, "cooperation object")
    for row, probe in PROBES.items():
        for identity in IDENTITIES:
            expected = table[row][identity.column]
            seen = await probe(api, world, identity.user, identity.zone, row)
            if isinstance(seen, tuple):  # (the person's row, the other member's row)
                expected_pair = {YES: (True, True), NO: (False, False), OWN: (True, False)}[expected]
                # The assigned expert sees the person's request only (the one assigned to them).
                if identity.column.startswith("assigned expert") and expected == YES and row.startswith("consulting"):
                    expected_pair = (True, False)
                assert seen == expected_pair, (row, identity.column, seen)
            else:
                assert seen is (expected == YES), (row, identity.column, seen)
