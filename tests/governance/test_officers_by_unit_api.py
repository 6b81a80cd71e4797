"""councilOfficers(memberUnitId:): a member unit's own officers, on both databases — a page at a time,
with the other filters; an ID that names none of the zone's units (malformed, another type's, out of
range, another zone's) is the typed NotFound, never an empty page nor a server error."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from tests.governance.test_officers_api import (
    add_units,
    elect,
    frozen_today,  # noqa: F401 - a fixture
    people,  # noqa: F401 - a fixture
)
from tests.support.api import gid

BY_UNIT = """query($unit: ID, $state: CouncilOfficerState, $office: CouncilOffice, $first: Int, $after: String) {
  councilOfficers(memberUnitId: $unit, state: $state, office: $office, first: $first, after: $after) { __typename
    ... on CouncilOfficerConnection { totalCount pageInfo { hasNextPage endCursor }
                                      edges { node { personName office memberUnit { nameZh } } } }
    ... on Failure { code message messageZh } } }"""
END = """mutation($input: EndCouncilOfficeInput!) { endCouncilOffice(input: $input) { __typename } }"""


def raw_global_id(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


async def officers_of(api, unit: str | None, user: str = "jx-member", zone: str = "jiangxi", **variables) -> dict:
    response = await api.post(BY_UNIT, {"unit": unit, **variables}, user=user, zone=zone)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["councilOfficers"]


async def test_a_units_officers_and_only_theirs_a_page_at_a_time(people):
    units = await add_units(people, 9)
    await elect(people, units[0], "CHAIR", name="理事长甲")
    await elect(people, units[1], "VICE_CHAIR", name="副理事长乙")
    for i in range(3):
        await elect(people, units[2], "STANDING_DIRECTOR", name=f"常任理事{i}",
                    start=dt.date(2028, 6, 1) if i == 2 else dt.date(2025, 6, 1))
    ours = await officers_of(people, units[2], state=None)
    assert ours["totalCount"] == 3
    assert {e["node"]["memberUnit"]["nameZh"] for e in ours["edges"]} == {"成员单位3"}
    first = await officers_of(people, units[2], state=None, first=2)
    rest = await officers_of(people, units[2], state=None, first=2, after=first["pageInfo"]["endCursor"])
    assert first["pageInfo"]["hasNextPage"] and not rest["pageInfo"]["hasNextPage"]
    assert [e["node"]["personName"] for e in first["edges"] + rest["edges"]] == ["常任理事0", "常任理事1", "常任理事2"]
    # with the other filters: serving today (the default) leaves out the one elected for the next term
    assert (await officers_of(people, units[2]))["totalCount"] == 2
    assert (await officers_of(people, units[2], state="ELECT"))["totalCount"] == 1
    assert (await officers_of(people, units[2], office="CHAIR", state=None))["totalCount"] == 0
    assert [e["node"]["personName"] for e in (await officers_of(people, units[0]))["edges"]] == ["理事长甲"]
    assert (await officers_of(people, units[3], state=None))["totalCount"] == 0  # a unit with none: empty
    assert (await officers_of(people, None, state=None))["totalCount"] == 5  # no filter: the zone's all


async def test_an_ended_office_stays_on_its_units_list(people):
    from tests.governance.test_officers_api import add_motion
    unit, *_ = await add_units(people, 3)
    officer = await elect(people, unit, "SECRETARY_GENERAL", name="秘书长丙")
    ended = await people.gql(END, {"input": {"officerId": officer["id"], "endedOn": "2025-06-02", "reason": "调任",
                                             "motionId": await add_motion(people)}}, user="jx-secretary",
                             zone="jiangxi")
    assert ended["endCouncilOffice"]["__typename"] == "CouncilOfficer"
    assert (await officers_of(people, unit, state="ENDED"))["totalCount"] == 1
    assert (await officers_of(people, unit, state=None))["totalCount"] == 1


@pytest.mark.parametrize("hostile", [
    "not-an-id", "", "Q291bmNpbE1lbWJlclVuaXQ6",  # malformed, empty, a type with no id
    raw_global_id("CouncilMemberUnit:99999"),  # a canonical id that is no unit
    raw_global_id("CouncilMemberUnit:01"), raw_global_id("CouncilMemberUnit:-1"),
    raw_global_id("CouncilMemberUnit:2147483648"), raw_global_id("CouncilMemberUnit:１"),
    raw_global_id("CouncilMemberUnit:1 OR 1=1"), raw_global_id("CouncilMemberUnit:" + "9" * 40),
    "x" * 5000,
])
async def test_an_id_that_names_no_unit_is_not_found_in_both_languages(people, hostile):
    await add_units(people, 1)
    refused = await officers_of(people, hostile)
    assert refused["__typename"] == "NotFound" and refused["code"] == "not_found"
    assert refused["message"] and refused["messageZh"] != refused["message"]


async def test_another_zones_unit_or_another_types_id_is_not_found(people):
    jiangxi_unit, *_ = await add_units(people, 3)
    guizhou_unit, *_ = await add_units(people, 3, slug="guizhou", start=70)
    officer = await elect(people, jiangxi_unit, "CHAIR", name="理事长甲")
    guizhou_chair = await elect(people, guizhou_unit, "CHAIR", name="贵州理事长", user="gz-secretary", zone="guizhou")
    assert guizhou_chair["__typename"] == "CouncilOfficer", guizhou_chair
    # Guizhou's unit named in Jiangxi, and Jiangxi's in Guizhou: not found, not an empty page
    assert (await officers_of(people, guizhou_unit))["__typename"] == "NotFound"
    assert (await officers_of(people, jiangxi_unit, user="gz-secretary", zone="guizhou"))["__typename"] == "NotFound"
    assert (await officers_of(people, officer["id"]))["__typename"] == "NotFound"  # an officer's ID, not a unit's
    assert (await officers_of(people, gid("CouncilMotion", 1)))["__typename"] == "NotFound"
    mine = await officers_of(people, guizhou_unit, user="gz-secretary", zone="guizhou")
    assert [e["node"]["personName"] for e in mine["edges"]] == ["贵州理事长"]


async def test_who_may_not_read_the_council_is_refused(people):
    unit, *_ = await add_units(people, 3)
    denied = await officers_of(people, unit, user="jx-officer")
    assert denied["__typename"] == "PermissionDenied"
    anonymous = (await people.post(BY_UNIT, {"unit": unit}, zone="jiangxi")).json()["data"]["councilOfficers"]
    assert anonymous["__typename"] == "PermissionDenied"
