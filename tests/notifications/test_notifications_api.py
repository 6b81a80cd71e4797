"""The inbox through the HTTP API, on both databases: recipients only, marking read, refusals."""

from __future__ import annotations

import pytest

from tests.notifications.support import notify_as_operator
from tests.support.api import gid

INBOX = """
query($unreadOnly: Boolean, $first: Int, $after: String) {
  inbox(unreadOnly: $unreadOnly, first: $first, after: $after) {
    __typename
    ... on NotificationConnection {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id kind titleZh titleEn bodyZh bodyEn subjectType subjectId createdAt readAt } }
    }
    ... on Failure { code message messageZh }
  }
}"""
COUNT = "{ unreadNotificationCount }"
MARK = """
mutation($ids: [ID!]) {
  markNotificationsRead(input: {ids: $ids}) {
    __typename
    ... on NotificationsMarkedRead { count unreadCount }
    ... on ValidationFailed { fieldErrors { field code } }
    ... on Failure { code message messageZh }
  }
}"""
MARK_ALL = """mutation { markNotificationsRead(input: {}) { __typename
  ... on NotificationsMarkedRead { count unreadCount } } }"""
NODE = """query($id: ID!) { node(id: $id) { __typename ... on Notification { titleEn readAt } } }"""


@pytest.fixture
async def people(api):
    for name, zone in (("proposer", "jiangxi"), ("neighbour", "jiangxi"), ("gz-member", "guizhou")):
        await api.add_user(name, zone, "member")
    return api


async def inbox(api, user: str, zone: str | None = None, **variables) -> dict:
    data = await api.gql(INBOX, variables, user=user, zone=zone)
    count = await api.gql(COUNT, user=user, zone=zone)
    return {**data["inbox"], "unread": count["unreadNotificationCount"]}


def node_ids(result: dict) -> list[str]:
    return [edge["node"]["id"] for edge in result["edges"]]


async def test_the_recipient_reads_their_notification_with_its_subject(people):
    [nid] = await notify_as_operator(people, [people.users["proposer"]])
    result = await inbox(people, "proposer")
    assert result["__typename"] == "NotificationConnection"
    assert result["totalCount"] == 1 and result["unread"] == 1
    node = result["edges"][0]["node"]
    assert node["id"] == gid("Notification", nid)
    assert node["titleZh"] == "《茶叶分级标准 1》进入征求意见阶段"
    assert node["titleEn"].startswith("Tea grading standard") and node["bodyZh"] and node["bodyEn"]
    assert node["kind"] == "standard.stage_changed" and node["subjectType"] == "standard"
    assert node["subjectId"] == gid("Standard", 42)  # opens with node(id:)
    assert node["createdAt"] and node["readAt"] is None
    found = await people.gql(NODE, {"id": gid("Notification", nid)}, user="proposer")
    assert found["node"] == {"__typename": "Notification", "titleEn": node["titleEn"], "readAt": None}


@pytest.mark.parametrize(("viewer", "zone"), [("neighbour", "jiangxi"), ("neighbour", None),
                                              ("gz-member", "guizhou"), ("gz-jx-expert", "jiangxi")])
async def test_nobody_else_sees_it_by_inbox_or_node(people, viewer, zone):
    await people.add_user("gz-jx-expert", "guizhou")
    await people.add_roles("gz-jx-expert", "jiangxi", "expert")  # may act in Jiangxi
    [nid] = await notify_as_operator(people, [people.users["proposer"]])
    result = await inbox(people, viewer, zone)
    assert result["edges"] == [] and result["totalCount"] == 0 and result["unread"] == 0
    found = await people.gql(NODE, {"id": gid("Notification", nid)}, user=viewer, zone=zone)
    assert found["node"] is None


async def test_the_recipient_sees_it_whatever_zone_they_act_in(people):
    await people.add_roles("gz-member", "jiangxi", "expert")  # may act in Jiangxi too
    await notify_as_operator(people, [people.users["gz-member"]])
    for zone in ("guizhou", "jiangxi", None):
        assert (await inbox(people, "gz-member", zone))["totalCount"] == 1


async def test_pages_newest_first_and_unread_only(people):
    proposer = people.users["proposer"]
    ids = [(await notify_as_operator(people, [proposer], n))[0] for n in range(3)]
    first = await inbox(people, "proposer", first=2)
    assert node_ids(first) == [gid("Notification", ids[2]), gid("Notification", ids[1])]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = await inbox(people, "proposer", first=2, after=first["pageInfo"]["endCursor"])
    assert node_ids(rest) == [gid("Notification", ids[0])] and rest["pageInfo"]["hasNextPage"] is False
    marked = await people.gql(MARK, {"ids": [gid("Notification", ids[1])]}, user="proposer")
    assert marked["markNotificationsRead"] == {"__typename": "NotificationsMarkedRead",
                                               "count": 1, "unreadCount": 2}
    unread = await inbox(people, "proposer", unreadOnly=True)
    assert node_ids(unread) == [gid("Notification", ids[2]), gid("Notification", ids[0])]
    assert unread["unread"] == 2
    everything = await inbox(people, "proposer")
    read_at = {e["node"]["id"]: e["node"]["readAt"] for e in everything["edges"]}
    assert read_at[gid("Notification", ids[1])] is not None
    assert read_at[gid("Notification", ids[0])] is None


async def test_mark_all_read(people):
    await notify_as_operator(people, [people.users["proposer"], people.users["neighbour"]], 1)
    await notify_as_operator(people, [people.users["proposer"]], 2)
    result = (await people.gql(MARK_ALL, user="proposer"))["markNotificationsRead"]
    assert result == {"__typename": "NotificationsMarkedRead", "count": 2, "unreadCount": 0}
    assert (await inbox(people, "proposer"))["unread"] == 0
    assert (await inbox(people, "neighbour"))["unread"] == 1  # someone else's stays unread
    again = (await people.gql(MARK_ALL, user="proposer"))["markNotificationsRead"]
    assert again["count"] == 0


async def test_marking_someone_elses_notification_is_not_found_and_marks_nothing(people):
    [theirs] = await notify_as_operator(people, [people.users["proposer"]])
    [mine] = await notify_as_operator(people, [people.users["neighbour"]])
    result = (await people.gql(MARK, {"ids": [gid("Notification", mine), gid("Notification", theirs)]},
                               user="neighbour"))["markNotificationsRead"]
    assert result["__typename"] == "NotFound"
    assert result["message"] and result["messageZh"]
    assert (await inbox(people, "neighbour"))["unread"] == 1  # the whole request was undone
    assert (await inbox(people, "proposer"))["unread"] == 1


async def test_an_id_of_another_type_is_not_found(people):
    result = (await people.gql(MARK, {"ids": [gid("Expert", 1)]}, user="proposer"))["markNotificationsRead"]
    assert result["__typename"] == "NotFound"
    assert result["message"] and result["messageZh"]


async def test_too_many_ids_at_once_is_invalid_input(people):
    ids = [gid("Notification", n) for n in range(1, 102)]
    result = (await people.gql(MARK, {"ids": ids}, user="proposer"))["markNotificationsRead"]
    assert result["__typename"] == "ValidationFailed"
    assert result["fieldErrors"] == [{"field": "ids", "code": "length"}]
    assert "100" in result["message"] and "100" in result["messageZh"]


@pytest.mark.parametrize("variables", [{"first": 0}, {"first": 101}, {"after": "garbage"}])
async def test_bad_page_arguments_are_refused(people, variables):
    response = await people.post(INBOX, variables, user="proposer")
    body = response.json()
    if response.status_code == 400:  # the page-size limit refuses `first: 101` before running
        assert body["errors"][0]["extensions"]["code"] == "PAGE_TOO_LARGE"
        return
    assert body["data"]["inbox"]["__typename"] == "ValidationFailed"


async def test_anonymous_is_refused_the_inbox_and_marking(people):
    await notify_as_operator(people, [people.users["proposer"]])
    for zone in (None, "jiangxi"):
        response = await people.post(INBOX, zone=zone)
        data = response.json()["data"]
        assert data["inbox"]["__typename"] == "PermissionDenied"
        assert "sign in" in data["inbox"]["message"] and "登录" in data["inbox"]["messageZh"]
        assert (await people.gql(COUNT, zone=zone))["unreadNotificationCount"] == 0
        marked = (await people.post(MARK_ALL, zone=zone)).json()["data"]["markNotificationsRead"]
        assert marked["__typename"] == "PermissionDenied"
    assert (await inbox(people, "proposer"))["unread"] == 1


async def test_subscriptions_are_refused_over_http(people):
    response = await people.post("subscription { notifications { id } }", user="proposer")
    assert response.status_code == 400
    assert "WebSocket" in response.json()["errors"][0]["message"]
