"""Join requests during the public notice and working-group management, through HTTP."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.api import gid

# The display name (tests' users are called by their username): the sign-in name is only for
# the user and their home zone's staff.
GROUP = "workingGroup { id unitName role user { displayName } }"
REQUESTS = "joinRequests { unitName status user { displayName } }"


def group_of(project: dict) -> list[tuple[str, str, str | None]]:
    return [(m["role"], m["unitName"], m["user"]["displayName"] if m["user"] else None)
            for m in project["workingGroup"]]


# ---------------------------------------------------------------------------- join requests

async def test_anyone_signed_in_from_any_zone_asks_and_the_proposer_accepts(projects):
    pid = (await projects.to_state("public_notice"))["id"]
    asked = await projects.ask_to_join(pid, "gz-member", "guizhou", unit="示例贵州茶叶检测站")
    assert asked["__typename"] == "JoinRequest" and asked["status"] == "PENDING"
    from_fujian = await projects.ask_to_join(pid, "fj-user", "fujian", unit="示例福建茶研所")
    assert from_fujian["status"] == "PENDING"
    accepted = await projects.decide(True, asked["id"], "jx-proposer")
    assert accepted["status"] == "ACCEPTED" and accepted["decidedBy"] == {"username": "jx-proposer"}
    declined = await projects.decide(False, from_fujian["id"], "jx-proposer")
    assert declined["status"] == "DECLINED"
    project = await projects.get(pid, "jx-proposer", "jiangxi", GROUP)
    assert group_of(project)[2:] == [("PARTICIPATING_UNIT", "示例贵州茶叶检测站", None),
                                     ("MEMBER", "示例贵州茶叶检测站", "gz-member")]
    # the group is public, its people's accounts are not
    assert group_of(await projects.get(pid, extra=GROUP))[2:] == [
        ("PARTICIPATING_UNIT", "示例贵州茶叶检测站", None), ("MEMBER", "示例贵州茶叶检测站", None)]
    # each requester is told the answer; the proposer was told of each request
    assert [n.kind for n in await projects.notifications("gz-member")] == ["project.join_decided"]
    told = [n.kind for n in await projects.notifications("jx-proposer")]
    assert told.count("project.join_requested") == 2
    actions = [e.action for e in await projects.audit()]
    assert {"project.request_join", "project.accept_join", "project.decline_join"} <= set(actions)


async def test_joining_is_open_during_the_notice_and_the_work_only(projects):
    approved = await projects.to_state("approved")
    result = await projects.ask_to_join(approved["id"], "gz-member", "guizhou")
    assert result["__typename"] == "Conflict" and "公示" in result["messageZh"]
    running = await projects.to_state("in_progress")
    assert (await projects.ask_to_join(running["id"], "gz-member", "guizhou"))["status"] == "PENDING"
    proposed = await projects.propose()
    hidden = await projects.ask_to_join(proposed["id"], "gz-member", "guizhou")
    assert hidden["__typename"] == "NotFound"


async def test_join_request_refusals(projects):
    pid = (await projects.to_state("public_notice"))["id"]
    anonymous = await projects.ask_to_join(pid, None, "jiangxi")
    assert anonymous["__typename"] == "PermissionDenied"
    own = await projects.ask_to_join(pid, "jx-proposer", "jiangxi")
    assert own["__typename"] == "Conflict"
    blank = await projects.ask_to_join(pid, "gz-member", "guizhou", unit=" ")
    assert blank["__typename"] == "ValidationFailed"
    first = await projects.ask_to_join(pid, "gz-member", "guizhou")
    assert first["status"] == "PENDING"
    duplicate = await projects.ask_to_join(pid, "gz-member", "guizhou", unit="另一个单位")
    assert duplicate["__typename"] == "Conflict" and "等待" in duplicate["messageZh"]
    # once declined, the user may ask again
    await projects.decide(False, first["id"], "jx-proposer")
    again = await projects.ask_to_join(pid, "gz-member", "guizhou")
    assert again["status"] == "PENDING"
    await projects.decide(True, again["id"], "jx-proposer")
    member = await projects.ask_to_join(pid, "gz-member", "guizhou")
    assert member["__typename"] == "Conflict" and "工作组" in member["messageZh"]


async def test_racing_duplicate_requests_leave_one_pending(projects):
    pid = (await projects.to_state("public_notice"))["id"]
    results = await asyncio.gather(*(projects.ask_to_join(pid, "gz-member", "guizhou", unit=f"单位{i}")
                                     for i in range(4)))
    assert sorted(r["__typename"] for r in results) == ["Conflict"] * 3 + ["JoinRequest"]
    seen = await projects.get(pid, "jx-proposer", "jiangxi", REQUESTS)
    assert len(seen["joinRequests"]) == 1


async def test_only_the_proposer_decides(projects):
    pid = (await projects.to_state("public_notice"))["id"]
    request_id = (await projects.ask_to_join(pid, "gz-member", "guizhou"))["id"]
    for user, zone, refusal in [
        (None, "jiangxi", "PermissionDenied"),
        ("jx-secretary", "jiangxi", "PermissionDenied"),  # staff see the request but do not decide
        ("jx-member", "jiangxi", "NotFound"),             # others do not even see it
        ("gz-member", "guizhou", "PermissionDenied"),     # nor does the requester decide
    ]:
        for accept in (True, False):
            result = await projects.decide(accept, request_id, user, zone)
            assert result["__typename"] == refusal, (user, accept, result)
    assert (await projects.decide(True, request_id, "jx-proposer"))["status"] == "ACCEPTED"
    twice = await projects.decide(False, request_id, "jx-proposer")
    assert twice["__typename"] == "Conflict"
    wrong_type = await projects.decide(True, pid, "jx-proposer")
    assert wrong_type["__typename"] == "NotFound"


async def test_join_requests_are_shown_to_the_proposer_and_staff_only(projects):
    pid = (await projects.to_state("public_notice"))["id"]
    await projects.ask_to_join(pid, "gz-member", "guizhou")
    for user, zone in [("jx-proposer", "jiangxi"), ("jx-secretary", "jiangxi")]:
        seen = await projects.get(pid, user, zone, REQUESTS)
        assert seen["joinRequests"] == [{"unitName": "示例检测中心", "status": "PENDING",
                                         "user": {"displayName": "gz-member"}}]
    for user, zone in [(None, None), ("gz-member", "guizhou"), ("gz-secretary", "guizhou"),
                       ("jx-member", "jiangxi")]:
        assert (await projects.get(pid, user, zone, REQUESTS))["joinRequests"] is None


# ---------------------------------------------------------------------------- working group

async def test_proposer_and_staff_manage_the_working_group(projects):
    pid = (await projects.to_state("in_progress"))["id"]
    drafter = gid("User", projects.api.users["jx-member"])
    added = await projects.add_member(pid, "DRAFTER", "示例茶业科学研究所", "jx-proposer", member=drafter)
    assert added["__typename"] == "WorkingGroupMember" and added["roleNameZh"] == "主要起草人"
    unit = await projects.add_member(pid, "PARTICIPATING_UNIT", "示例大学", "jx-secretary")
    assert unit["user"] is None
    project = await projects.get(pid, extra=GROUP)
    assert [m[0] for m in group_of(project)] == ["LEAD_UNIT", "LEADER", "DRAFTER", "PARTICIPATING_UNIT"]
    assert [n.kind for n in await projects.notifications("jx-member")] == ["project.working_group"]
    removed = await projects.remove_member(added["id"], "jx-proposer")
    assert removed["__typename"] == "WorkingGroupMember"
    assert len((await projects.get(pid, extra=GROUP))["workingGroup"]) == 3
    actions = [e.action for e in await projects.audit()]
    assert actions.count("project.add_member") == 2 and actions.count("project.remove_member") == 1


@pytest.mark.parametrize(("user", "zone"), [
    (None, "jiangxi"), ("jx-member", "jiangxi"), ("gz-secretary", "guizhou"),
])
async def test_others_cannot_manage_the_working_group(projects, user, zone):
    project = await projects.to_state("in_progress")
    pid = project["id"]
    result = await projects.add_member(pid, "PARTICIPATING_UNIT", "示例大学", user, zone)
    assert result["__typename"] == "PermissionDenied"
    leader_row = (await projects.get(pid, extra=GROUP))["workingGroup"][1]
    result = await projects.remove_member(leader_row["id"], user, zone)
    assert result["__typename"] == "PermissionDenied"


async def test_working_group_refusals(projects):
    pid = (await projects.to_state("in_progress"))["id"]
    member = gid("User", projects.api.users["jx-member"])
    lead = await projects.add_member(pid, "LEAD_UNIT", "另一个单位", "jx-proposer")
    assert lead["__typename"] == "Conflict"
    no_person = await projects.add_member(pid, "DRAFTER", "示例大学", "jx-proposer")
    assert no_person["__typename"] == "ValidationFailed"
    unit_with_person = await projects.add_member(pid, "PARTICIPATING_UNIT", "示例大学", "jx-proposer",
                                                 member=member)
    assert unit_with_person["__typename"] == "ValidationFailed"
    nobody = await projects.add_member(pid, "MEMBER", "示例大学", "jx-proposer",
                                       member=gid("User", 9999))
    assert nobody["__typename"] == "NotFound"
    assert (await projects.add_member(pid, "MEMBER", "示例大学", "jx-proposer", member=member)
            )["role"] == "MEMBER"
    twice = await projects.add_member(pid, "MEMBER", "示例大学", "jx-proposer", member=member)
    assert twice["__typename"] == "Conflict"
    lead_row = (await projects.get(pid, extra=GROUP))["workingGroup"][0]
    assert lead_row["role"] == "LEAD_UNIT"
    assert (await projects.remove_member(lead_row["id"], "jx-proposer"))["__typename"] == "Conflict"
    await projects.act("terminate", pid, "jx-secretary", reason="经费终止")
    closed = await projects.add_member(pid, "PARTICIPATING_UNIT", "示例大学", "jx-proposer")
    assert closed["__typename"] == "Conflict"


async def test_the_proposal_working_group_is_private_with_its_project(projects):
    project = await projects.propose()
    leader = (await projects.get(project["id"], "jx-proposer", "jiangxi", GROUP))["workingGroup"][1]
    node = "query($id: ID!) { node(id: $id) { id } }"
    assert (await projects.api.gql(node, {"id": leader["id"]}))["node"] is None
    seen = await projects.api.gql(node, {"id": leader["id"]}, user="jx-secretary", zone="jiangxi")
    assert seen["node"] == {"id": leader["id"]}
