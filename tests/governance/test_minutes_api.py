"""Minutes and their disclosure through the HTTP API, on both databases (章程 第二十一条, 第三十条):
draft minutes are edited until published; publishing discloses the discussion, the attendance at
opening and the counted resolutions (counts only) to anyone, anonymously and from any zone.
"""

from __future__ import annotations

import pytest

from tests.governance.council_client import (
    CLOSE,
    MEETING,
    call,
    notifications_of,
    opened_meeting,
    seed_council,
    today,  # noqa: F401 - the frozen-clock fixture
)
from tests.governance.test_motions_api import count, propose, record, voting_motion
from tests.support.api import gid

WRITE = """mutation($id: ID!, $text: String!) { writeCouncilMinutes(input: {meetingId: $id, discussion: $text}) {
  __typename ... on CouncilMinutes { id state discussion publishedAt }
  ... on ValidationFailed { fieldErrors { field code } }
  ... on Failure { code message messageZh } } }"""
PUBLICATION_FIELDS = """
  id kind titleZh titleEn meetsOn discussion publishedAt zone { slug }
  attendance { present members viceChairsPresent }
  resolutions { titleZh titleEn kind passed yes no abstain base needed ruleZh ruleEn }
"""
PUBLISH = """mutation($id: ID!) { publishCouncilMinutes(input: {meetingId: $id}) { __typename
  ... on CouncilPublication {""" + PUBLICATION_FIELDS + """} ... on Failure { code message messageZh } } }"""
PUBLICATIONS = """query($zone: String) { councilPublications(zone: $zone, first: 10) { __typename
  ... on CouncilPublicationConnection { totalCount edges { node {""" + PUBLICATION_FIELDS + """} } }
  ... on Failure { code } } }"""
NODE = """query($id: ID!) { node(id: $id) { __typename ... on CouncilPublication { titleZh resolutions { passed } } } }"""


@pytest.fixture
async def council(api, today):  # noqa: F811 - uses the imported fixture
    return await seed_council(api)


async def closed_meeting_with_two_resolutions(api, council) -> str:
    """Units 0–5 present (of 9); an ordinary resolution passes 5–1, a major matter fails 5–1 (needs 6)."""
    meeting_id = await opened_meeting(api, council, list(range(6)))
    for kind in ("ORDINARY", "MAJOR"):
        motion_id = await voting_motion(api, council, meeting_id, kind)
        await record(api, council, motion_id, {0: "YES", 1: "YES", 2: "YES", 3: "YES", 4: "YES", 5: "NO"})
        await count(api, council, motion_id)
    await propose(api, council, meeting_id)  # proposed, never voted: not a resolution
    closed = await api.gql(CLOSE, {"id": meeting_id}, user=council.secretary, zone=council.zone)
    assert closed["closeCouncilMeeting"]["state"] == "CLOSED"
    return meeting_id


async def write(api, council, meeting_id: str, text: str, user: str | None = None) -> dict:
    return (await api.gql(WRITE, {"id": meeting_id, "text": text}, user=user or council.secretary,
                          zone=council.zone))["writeCouncilMinutes"]


async def publish(api, council, meeting_id: str, user: str | None = None) -> dict:
    return (await api.gql(PUBLISH, {"id": meeting_id}, user=user or council.director,
                          zone=council.zone))["publishCouncilMinutes"]


async def test_minutes_are_drafted_edited_and_published_for_everyone(api, council):
    meeting_id = await closed_meeting_with_two_resolutions(api, council)
    draft = await write(api, council, meeting_id, "讨论了年度工作计划。")
    assert (draft["state"], draft["publishedAt"]) == ("DRAFT", None)
    edited = await write(api, council, meeting_id, "讨论了年度工作计划和章程修订。")
    assert (edited["id"], edited["discussion"]) == (draft["id"], "讨论了年度工作计划和章程修订。")

    published = await publish(api, council, meeting_id)
    assert published["discussion"] == "讨论了年度工作计划和章程修订。"
    assert published["attendance"] == {"present": 6, "members": 9, "viceChairsPresent": 5}
    ordinary, major = published["resolutions"]
    assert (ordinary["kind"], ordinary["passed"], ordinary["yes"], ordinary["no"], ordinary["base"],
            ordinary["needed"]) == ("ORDINARY", True, 5, 1, 6, 4)
    assert (major["kind"], major["passed"], major["base"], major["needed"]) == ("MAJOR", False, 9, 6)
    assert "第二十三条" in major["ruleZh"] and "1 yes vote short" in major["ruleEn"]
    assert published["zone"]["slug"] == "jiangxi"

    for user, zone in ((None, None), (None, "guizhou"), ("gz-secretary", "guizhou")):
        if user:
            await seed_council(api, zone="guizhou", prefix="gz", units=1, vice_chairs=0)
        listed = (await api.gql(PUBLICATIONS, {"zone": "jiangxi"}, user=user, zone=zone))["councilPublications"]
        assert listed["totalCount"] == 1
        assert listed["edges"][0]["node"] == {k: v for k, v in published.items() if k != "__typename"}
        node = (await api.gql(NODE, {"id": published["id"]}, user=user, zone=zone))["node"]
        assert node["titleZh"] == "2026年度理事大会" and [r["passed"] for r in node["resolutions"]] == [True, False]
    # the private meeting stays private
    other_zone = (await api.gql(MEETING, {"id": meeting_id}, user="gz-secretary", zone="guizhou"))["councilMeeting"]
    assert other_zone["__typename"] == "NotFound"
    assert (await api.gql(PUBLICATIONS, {"zone": "guizhou"}))["councilPublications"]["totalCount"] == 0


async def test_published_minutes_cannot_be_edited_or_published_again(api, council):
    meeting_id = await closed_meeting_with_two_resolutions(api, council)
    await write(api, council, meeting_id, "讨论内容。")
    await publish(api, council, meeting_id, user=council.secretary)
    edit = await write(api, council, meeting_id, "改写。")
    assert edit["__typename"] == "Conflict" and "第三十条" in edit["messageZh"]
    again = await publish(api, council, meeting_id)
    assert again["__typename"] == "Conflict" and again["code"] == "illegal_transition"
    minutes = await api.gql("""query($id: ID!) { councilMeeting(id: $id) { ... on CouncilMeeting {
        minutes { state discussion publishedAt } } } }""", {"id": meeting_id}, user=council.reps[3], zone="jiangxi")
    assert minutes["councilMeeting"]["minutes"]["state"] == "PUBLISHED"
    assert minutes["councilMeeting"]["minutes"]["discussion"] == "讨论内容。"


async def test_publishing_notifies_the_representatives(api, council):
    meeting_id = await closed_meeting_with_two_resolutions(api, council)
    await write(api, council, meeting_id, "讨论内容。")
    await publish(api, council, meeting_id)
    assert await notifications_of(api, "council_minutes.published") == {api.users[r] for r in council.reps}


async def test_minutes_refusals(api, council):
    called = await call(api, council)
    assert (await write(api, council, called["id"], "太早。"))["__typename"] == "Conflict"
    meeting_id = await closed_meeting_with_two_resolutions(api, council)
    assert (await publish(api, council, meeting_id))["__typename"] == "Conflict"  # nothing written yet
    assert (await write(api, council, meeting_id, "讨论。", user=council.reps[0]))["__typename"] == "PermissionDenied"
    assert (await write(api, council, meeting_id, "讨论。", user=council.director))["__typename"] == "PermissionDenied"
    blank = await write(api, council, meeting_id, "   ")
    assert blank["__typename"] == "ValidationFailed"
    await write(api, council, meeting_id, "讨论。")
    assert (await publish(api, council, meeting_id, user=council.reps[0]))["__typename"] == "PermissionDenied"
    anonymous = (await api.gql(PUBLISH, {"id": meeting_id}, zone="jiangxi"))["publishCouncilMinutes"]
    assert anonymous["__typename"] == "PermissionDenied"


async def test_minutes_of_a_meeting_in_session_wait_for_the_close_to_be_published(api, council):
    meeting_id = await opened_meeting(api, council, list(range(6)))
    assert (await write(api, council, meeting_id, "会议进行中的记录。"))["state"] == "DRAFT"
    refused = await publish(api, council, meeting_id)
    assert refused["__typename"] == "Conflict"


async def test_publication_list_refuses_an_unknown_zone_and_a_huge_page(api, council):
    unknown = (await api.gql(PUBLICATIONS, {"zone": "atlantis"}))["councilPublications"]
    assert unknown["__typename"] == "ValidationFailed"
    huge = await api.post("""{ councilPublications(first: 1000) { __typename } }""")
    assert huge.json()["errors"][0]["extensions"]["code"] == "PAGE_TOO_LARGE"
    missing = (await api.gql(NODE, {"id": gid("CouncilPublication", 999)}))["node"]
    assert missing is None
