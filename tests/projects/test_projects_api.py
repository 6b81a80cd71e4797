"""Proposal, visibility and every lifecycle refusal, through the HTTP API on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.projects.client import MUTATIONS, PROPOSAL, mutation
from tests.support.api import gid

LIST = """query($filter: ProjectFilterInput, $first: Int!, $after: String) {
  projects(filter: $filter, first: $first, after: $after) { __typename
    ... on ProjectConnection { totalCount pageInfo { hasNextPage endCursor }
                               edges { node { titleZh state zone { slug } } } }
    ... on ValidationFailed { fieldErrors { field code } } } }"""


async def listing(projects, user=None, zone=None, first=20, after=None, **filter_) -> dict:
    data = await projects.api.gql(LIST, {"filter": filter_ or None, "first": first,
                                         "after": after}, user=user, zone=zone)
    return data["projects"]


# ---------------------------------------------------------------------------- proposal

async def test_a_member_proposes_in_the_acting_zone(projects):
    project = await projects.propose(leadUnit="示例大学")
    assert project["__typename"] == "Project"
    assert project["state"] == "PROPOSED" and (project["stateNameZh"], project["stateNameEn"]) == ("已申报", "Proposed")
    assert (project["kindNameZh"], project["kindNameEn"]) == ("标准研制", "Standard development")
    assert project["zone"]["slug"] == "jiangxi" and project["year"] == 2026
    assert project["proposer"]["username"] == "jx-proposer"
    assert project["leadUnit"] == "示例大学" and project["nextActions"] == ["APPROVE", "REJECT"]
    mine = await projects.get(project["id"], "jx-proposer", "jiangxi",
                              "workingGroup { unitName role user { username } }")
    assert mine["workingGroup"] == [
        {"unitName": "示例大学", "role": "LEAD_UNIT", "user": None},
        {"unitName": PROPOSAL["proposerUnit"], "role": "LEADER", "user": {"username": "jx-proposer"}}]


async def test_lead_unit_defaults_to_the_proposer_unit(projects):
    project = await projects.propose(leadUnit=None)
    assert project["leadUnit"] == PROPOSAL["proposerUnit"]


@pytest.mark.parametrize(("user", "zone"), [
    (None, "jiangxi"),            # anonymous
    (None, None),
    ("jx-nobody", "jiangxi"),     # signed in, no role
    ("jx-secretary", "jiangxi"),  # staff are not member units
])
async def test_only_members_propose(projects, user, zone):
    result = await projects.propose(user, zone)
    assert result["__typename"] == "PermissionDenied"
    assert result["action"] == "project.propose"
    if user is None:
        assert "sign in" in result["message"] and "登录" in result["messageZh"]
    assert (await listing(projects, "jx-secretary", "jiangxi"))["totalCount"] == 0


async def test_a_member_of_another_zone_proposes_there(projects):
    project = await projects.propose("gz-member", "guizhou")
    assert project["zone"]["slug"] == "guizhou"


async def test_invalid_proposal_lists_every_problem(projects):
    result = await projects.propose(titleZh=" ", titleEn="", summary="x" * 5001, proposerUnit="")
    assert result["__typename"] == "ValidationFailed"
    assert {(e["field"], e["code"]) for e in result["fieldErrors"]} == {
        ("titleZh", "required"), ("titleEn", "required"), ("summary", "too_long"),
        ("proposerUnit", "required")}
    assert all(e["messageZh"] for e in result["fieldErrors"])


# ---------------------------------------------------------------------------- visibility

async def test_a_proposal_is_seen_by_its_proposer_and_its_zone_staff_only(projects):
    project = await projects.propose()
    pid = project["id"]
    for user, zone in [("jx-proposer", "jiangxi"), ("jx-proposer", None),
                       ("jx-secretary", "jiangxi"), ("jx-director", "jiangxi")]:
        assert (await projects.get(pid, user, zone))["__typename"] == "Project", (user, zone)
    for user, zone in [(None, None), ("jx-member", "jiangxi"), ("gz-secretary", "guizhou"),
                       ("fj-user", "fujian")]:
        assert (await projects.get(pid, user, zone))["__typename"] == "NotFound", (user, zone)
        assert (await listing(projects, user, zone))["totalCount"] == 0
    node = await projects.api.gql("query($id: ID!) { node(id: $id) { id } }", {"id": pid})
    assert node["node"] is None


async def test_from_approval_on_everyone_sees_it(projects):
    project = await projects.to_state("approved")
    assert (await projects.get(project["id"]))["state"] == "APPROVED"
    assert (await listing(projects))["totalCount"] == 1
    assert (await listing(projects, "gz-member", "guizhou"))["totalCount"] == 1


async def test_rejected_projects_stay_private(projects):
    project = await projects.to_state("rejected")
    assert (await projects.get(project["id"]))["__typename"] == "NotFound"
    assert (await projects.get(project["id"], "jx-proposer", "jiangxi"))["state"] == "REJECTED"


async def test_list_filters_and_pages(projects):
    await projects.to_state("approved")
    await projects.to_state("public_notice")
    other = await projects.propose("gz-member", "guizhou", kind="RESEARCH_TOPIC", titleZh="贵州茶园土壤研究",
                                  titleEn="Soils of Guizhou tea gardens")
    await projects.act("approve", other["id"], "gz-secretary", "guizhou")
    assert (await listing(projects))["totalCount"] == 3
    assert (await listing(projects, zone="guizhou"))["totalCount"] == 3  # X-Zone does not filter
    by_zone = await projects.api.gql(LIST, {"filter": {"zone": "guizhou"}, "first": 5})
    assert [e["node"]["titleZh"] for e in by_zone["projects"]["edges"]] == ["贵州茶园土壤研究"]
    by_state = await projects.api.gql(LIST, {"filter": {"state": "PUBLIC_NOTICE"}, "first": 5})
    assert by_state["projects"]["totalCount"] == 1
    by_kind = await projects.api.gql(LIST, {"filter": {"kind": "RESEARCH_TOPIC"}, "first": 5})
    assert by_kind["projects"]["totalCount"] == 1
    by_text = await projects.api.gql(LIST, {"filter": {"text": "TEA PRODUCTION"}, "first": 5})
    assert by_text["projects"]["totalCount"] == 2
    literal = await projects.api.gql(LIST, {"filter": {"text": "%_"}, "first": 5})
    assert literal["projects"]["totalCount"] == 0  # LIKE wildcards are taken literally
    too_long = await projects.api.gql(LIST, {"filter": {"text": "茶" * 101}, "first": 5})
    assert too_long["projects"]["__typename"] == "ValidationFailed"
    by_year = await projects.api.gql(LIST, {"filter": {"year": 2025}, "first": 5})
    assert by_year["projects"]["totalCount"] == 0
    first = await listing(projects, first=2)
    assert first["pageInfo"]["hasNextPage"] is True
    rest = await listing(projects, first=2, after=first["pageInfo"]["endCursor"])
    assert len(rest["edges"]) == 1 and rest["pageInfo"]["hasNextPage"] is False
    assert (await listing(projects, first=0))["__typename"] == "ValidationFailed"
    assert (await listing(projects, after="not-a-cursor"))["__typename"] == "ValidationFailed"


# ---------------------------------------------------------------------------- staff steps

async def test_approval_needs_the_staff_of_the_owning_zone(projects):
    pid = (await projects.propose())["id"]
    for user, zone, refusal in [
        (None, "jiangxi", "PermissionDenied"),
        ("jx-proposer", "jiangxi", "PermissionDenied"),
        ("jx-member", "jiangxi", "PermissionDenied"),
        ("gz-secretary", "guizhou", "NotFound"),          # cannot even see a Jiangxi proposal
    ]:
        result = await projects.act("approve", pid, user, zone)
        assert result["__typename"] == refusal, (user, zone, result)
    assert (await projects.act("approve", pid, "jx-director"))["state"] == "APPROVED"
    # once public, another zone's secretary sees it but may not run it
    result = await projects.act("open_notice", pid, "gz-secretary", "guizhou")
    assert result["__typename"] == "PermissionDenied"
    assert "project's zone" in result["message"] and "所属试验区" in result["messageZh"]


async def test_rejection_needs_a_reason_and_is_final(projects):
    pid = (await projects.propose())["id"]
    no_reason = await projects.act("reject", pid, "jx-secretary", reason="   ")
    assert no_reason["__typename"] == "ValidationFailed"
    assert no_reason["fieldErrors"][0]["field"] == "reason"
    rejected = await projects.act("reject", pid, "jx-secretary", reason="与年度计划重复")
    assert rejected["state"] == "REJECTED" and rejected["nextActions"] == []
    again = await projects.act("approve", pid, "jx-secretary")
    assert again["__typename"] == "Conflict" and again["code"] == "illegal_transition"
    assert "possible now: none" in again["message"]


async def test_the_notice_period_comes_from_the_zone(projects):
    await projects.set_notice_days("jiangxi", 10)
    project = await projects.to_state("public_notice")
    assert project["noticeEndsOn"] == "2026-03-12"  # 2026-03-02 + 10 days
    assert project["nextActions"] == ["START"]


async def test_start_is_refused_until_the_notice_has_passed(projects):
    project = await projects.to_state("public_notice")
    pid, ends_on = project["id"], dt.date.fromisoformat(project["noticeEndsOn"])
    assert ends_on == dt.date(2026, 3, 9)
    for today in (dt.date(2026, 3, 2), ends_on):
        projects.calendar.today = today
        refused = await projects.act("start", pid, "jx-secretary")
        assert refused["__typename"] == "Conflict"
        assert "2026-03-09" in refused["message"] and "2026-03-10" in refused["message"]
        assert "2026-03-09" in refused["messageZh"]
    projects.calendar.today = ends_on + dt.timedelta(days=1)
    assert (await projects.act("start", pid, "jx-member"))["__typename"] == "PermissionDenied"
    assert (await projects.act("start", pid, "jx-secretary"))["state"] == "IN_PROGRESS"


@pytest.mark.parametrize(("state", "action"), [
    ("proposed", "open_notice"), ("proposed", "start"), ("approved", "start"),
    ("approved", "approve"), ("public_notice", "terminate"), ("in_progress", "archive"),
    ("in_progress", "pass_closure"), ("in_progress", "approve_adjustment"),
    ("in_progress", "start"),
])
async def test_illegal_transitions_are_conflicts(projects, state, action):
    project = await projects.to_state(state)
    result = await projects.act(action, project["id"], "jx-secretary")
    assert result["__typename"] == "Conflict" and result["code"] == "illegal_transition"
    assert result["messageZh"]
    assert (await projects.get(project["id"], "jx-secretary", "jiangxi"))["state"] == project["state"]


@pytest.mark.parametrize("action", ["terminate", "refuse_adjustment", "return_closure",
                                    "request_adjustment"])
async def test_missing_reasons_are_refused(projects, action):
    project = await projects.to_state("in_progress")
    pid = project["id"]
    if action == "refuse_adjustment":
        await projects.act("request_adjustment", pid, "jx-proposer")
    if action == "return_closure":
        await projects.act("submit_closure", pid, "jx-proposer")
    user = "jx-proposer" if action == "request_adjustment" else "jx-secretary"
    result = await projects.act(action, pid, user, reason="")
    assert result["__typename"] == "ValidationFailed"
    assert [e["field"] for e in result["fieldErrors"]] == ["reason"]


async def test_a_closure_needs_its_report(projects):
    pid = (await projects.to_state("in_progress"))["id"]
    result = await projects.act("submit_closure", pid, "jx-proposer", closureReport=" ")
    assert result["__typename"] == "ValidationFailed"
    assert result["fieldErrors"][0]["field"] == "closureReport"


async def test_proposer_steps_are_for_the_proposer_or_a_leader(projects):
    pid = (await projects.to_state("in_progress"))["id"]
    for user, zone in [(None, "jiangxi"), ("jx-member", "jiangxi"), ("jx-secretary", "jiangxi"),
                       ("gz-member", "guizhou")]:
        for action in ("request_adjustment", "submit_closure"):
            result = await projects.act(action, pid, user, zone)
            assert result["__typename"] == "PermissionDenied", (user, action)
    # a leader named by the proposer may (acting from their own zone)
    added = await projects.add_member(pid, "LEADER", "示例检测中心", "jx-proposer",
                                      member=gid("User", projects.api.users["gz-member"]))
    assert added["role"] == "LEADER"
    result = await projects.act("request_adjustment", pid, "gz-member", "guizhou")
    assert result["state"] == "ADJUSTMENT_REQUESTED"


async def test_refusing_an_adjustment_terminates(projects):
    pid = (await projects.to_state("in_progress"))["id"]
    await projects.act("request_adjustment", pid, "jx-proposer", reason="延期半年")
    refused = await projects.act("refuse_adjustment", pid, "jx-director", reason="超出计划")
    assert refused["state"] == "TERMINATED" and refused["nextActions"] == []


async def test_termination(projects):
    pid = (await projects.to_state("in_progress"))["id"]
    assert (await projects.act("terminate", pid, "jx-proposer"))["__typename"] == "PermissionDenied"
    done = await projects.act("terminate", pid, "jx-secretary", reason="牵头单位无法继续承担")
    assert done["state"] == "TERMINATED"
    events = await projects.get(pid, "jx-secretary", "jiangxi",
                                "events { action reason actor { username } }")
    assert events["events"][-1] == {"action": "TERMINATE", "reason": "牵头单位无法继续承担",
                                    "actor": {"username": "jx-secretary"}}


async def test_wrong_id_type_is_not_found(projects):
    name, input_type = MUTATIONS["approve"]
    data = await projects.api.gql(mutation(name, input_type),
                                  {"input": {"id": gid("Zone", 1)}}, user="jx-secretary",
                                  zone="jiangxi")
    assert data[name]["__typename"] == "NotFound"
    missing = await projects.act("approve", gid("Project", 9999), "jx-secretary")
    assert missing["__typename"] == "NotFound"


async def test_denials_are_audited(projects):
    pid = (await projects.propose())["id"]
    await projects.act("approve", pid, "jx-member")
    denied = [e for e in await projects.audit() if e.outcome == "denied"]
    assert [(e.action, e.actor_id) for e in denied] == [
        ("project.approve", projects.api.users["jx-member"])]
