"""A unit's application decided in the workspace, on the demo data, both engines: a unit applies
(through the API), the general meeting passes the motion admitting it, and the secretariat records
the decision on the meeting page by that motion (章程 第十条); the unit is then an active member.
A made-up decision is named, not sent; a forged motion answers 404; a forged token changes nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from ecozone.governance import clock
from stdnum.cn import uscc as stdnum_uscc

from tests.workspace.conftest import Browser, signed_in

UNITS = """query($state: CouncilUnitState) { councilMemberUnits(state: $state, first: 20) {
  ... on CouncilMemberUnitConnection { edges { node { id nameZh state } } } } }"""
STEPS = {
    "call": """mutation($input: CallCouncilMeetingInput!) { callCouncilMeeting(input: $input) {
        __typename ... on CouncilMeeting { id } ... on Failure { message } } }""",
    "attendance": """mutation($input: RecordCouncilAttendanceInput!) { recordCouncilAttendance(input: $input) {
        __typename ... on Failure { message } } }""",
    "open": """mutation($input: OpenCouncilMeetingInput!) { openCouncilMeeting(input: $input) {
        __typename ... on Failure { message } } }""",
    "motion": """mutation($input: ProposeCouncilMotionInput!) { proposeCouncilMotion(input: $input) {
        __typename ... on CouncilMotion { id } ... on Failure { message } } }""",
    "start": """mutation($input: StartCouncilVoteInput!) { startCouncilVote(input: $input) {
        __typename ... on Failure { message } } }""",
    "votes": """mutation($input: RecordCouncilVotesInput!) { recordCouncilVotes(input: $input) {
        __typename ... on Failure { message } } }""",
    "count": """mutation($input: CountCouncilVotesInput!) { countCouncilVotes(input: $input) {
        __typename ... on CouncilTally { passed } ... on Failure { message } } }""",
}
APPLICANT = "江西某高山茶种植合作社（测试）"


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 6, 1))


async def step(demo_api, name: str, field: str, input_: dict) -> dict:
    answer = (await demo_api.gql(STEPS[name], {"input": input_}, user="jx-secretary"))[field]
    assert "message" not in answer, (name, answer)
    return answer


async def passed_admission(demo_api) -> tuple[str, str, str]:
    """(meeting ID, passed motion ID, applicant unit ID): the API's own steps, as the secretariat."""
    body = "91360100MA9999901"
    applied = await demo_api.gql("""mutation($input: ApplyForCouncilMembershipInput!) {
        applyForCouncilMembership(input: $input) { ... on CouncilMemberUnit { id } ... on Failure { message } } }""",
                                 {"input": {"nameZh": APPLICANT, "nameEn": "Jiangxi Highland Tea Cooperative (test)",
                                            "uscc": body + stdnum_uscc.calc_check_digit(body), "unitType": "ENTERPRISE",
                                            "headName": "测试负责人"}}, user="jx-expert02", zone="jiangxi")
    unit_id = applied["applyForCouncilMembership"]["id"]
    meeting = await step(demo_api, "call", "callCouncilMeeting", {
        "kind": "GENERAL", "titleZh": "审议入会申请的大会（测试）", "titleEn": "Admissions (test)", "meetsOn": "2026-06-30",
        "votingMode": "IN_PERSON", "proposedByCouncil": False, "proposingUnitIds": []})
    units = [e["node"]["id"] for e in (await demo_api.gql(UNITS, {"state": "ACTIVE"}, user="jx-secretary"))
             ["councilMemberUnits"]["edges"]]
    await step(demo_api, "attendance", "recordCouncilAttendance", {
        "meetingId": meeting["id"], "entries": [{"memberUnitId": u, "present": True} for u in units]})
    await step(demo_api, "open", "openCouncilMeeting", {"meetingId": meeting["id"]})
    motion = await step(demo_api, "motion", "proposeCouncilMotion", {
        "meetingId": meeting["id"], "titleZh": f"接纳{APPLICANT}", "titleEn": "Admit the cooperative", "kind": "ORDINARY"})
    await step(demo_api, "start", "startCouncilVote", {"motionId": motion["id"]})
    await step(demo_api, "votes", "recordCouncilVotes", {
        "motionId": motion["id"], "votes": [{"memberUnitId": u, "choice": "YES"} for u in units]})
    assert (await step(demo_api, "count", "countCouncilVotes", {"motionId": motion["id"]}))["passed"] is True
    return meeting["id"], motion["id"], unit_id


async def unit_state(demo_api, unit_id: str) -> str:
    found = await demo_api.gql("""query($id: ID!) { councilMemberUnit(id: $id) { ... on CouncilMemberUnit { state } } }""",
                               {"id": unit_id}, user="jx-secretary")
    return found["councilMemberUnit"]["state"]


async def test_the_secretariat_admits_an_applicant_by_the_passed_motion(demo_api):
    meeting_id, motion_id, unit_id = await passed_admission(demo_api)
    path = f"/workspace/council/meetings/{meeting_id}"
    async with signed_in(demo_api, "jx-secretary") as secretary:
        page = await secretary.get(path)
        assert page.status_code == 200 and APPLICANT in page.text
        csrf = Browser.csrf(page.text)
        base = {"do": "decide", "motion": motion_id, "unit": unit_id, "reason": "材料齐全"}
        for forged in ("", "q" * 43):
            assert (await secretary.post(path, {**base, "csrf": forged, "decision": "admit"})).status_code == 403
        made_up = await secretary.post(path + "?lang=en", {**base, "csrf": csrf, "decision": "maybe"})
        assert made_up.status_code == 400 and "is not one of the choices" in made_up.text
        assert 'value="材料齐全"' in made_up.text
        forged_motion = await secretary.post(path, {**base, "csrf": csrf, "decision": "admit",
                                                    "motion": "Q291bmNpbE1vdGlvbjo5OTk5OTk="})
        assert forged_motion.status_code == 404
        assert await unit_state(demo_api, unit_id) == "APPLICANT"
        admitted = await secretary.post(path, {**base, "csrf": csrf, "decision": "admit"})
        assert admitted.status_code == 303 and admitted.headers["location"] == f"{path}?done=decide"
        shown = await secretary.get(admitted.headers["location"])
        assert "入会申请的决定已登记" in shown.text and not re.search(r'name="do" value="decide"', shown.text)
    assert await unit_state(demo_api, unit_id) == "ACTIVE"
