"""Verifying or suspending an expert tells the expert (inbox), and no one else; through HTTP."""

from __future__ import annotations

from tests.standards.workflow_support import make_expert, op

INBOX = """{ inbox { ... on NotificationConnection { edges { node {
  kind titleZh titleEn bodyZh subjectType subjectId } } } } }"""


async def _inbox(api, user: str, zone: str) -> list[dict]:
    return [e["node"] for e in (await api.gql(INBOX, user=user, zone=zone))["inbox"]["edges"]]


async def test_the_expert_hears_of_verification_and_suspension(api):
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    expert_id = await make_expert(api, "jx-expert1", "jiangxi", "jx-secretary")
    [verified] = await _inbox(api, "jx-expert1", "jiangxi")
    assert verified["kind"] == "expert.verified"
    assert verified["subjectType"] == "expert" and verified["subjectId"] == expert_id
    assert "审核" in verified["titleZh"] and "verified" in verified["titleEn"]
    suspended = await op(api, "suspendExpert", "SuspendExpertInput",
                         {"id": expert_id, "reason": "长期未参加评审"},
                         "__typename", "jx-secretary", "jiangxi")
    assert suspended == {"__typename": "Expert"}
    latest = (await _inbox(api, "jx-expert1", "jiangxi"))[0]
    assert (latest["kind"], latest["bodyZh"]) == ("expert.suspended", "长期未参加评审")
    assert await _inbox(api, "jx-secretary", "jiangxi") == []  # the actor is not told
