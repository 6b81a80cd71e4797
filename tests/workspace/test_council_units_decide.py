"""An application decided on the unit's page (章程 第十条), on the demo data, both engines: a unit
applies (through the API), a general meeting passes the motion admitting it, and the secretariat
records the decision on the applicant's page, citing that motion from those offered; a made-up
decision is named beside its field, a motion of a meeting before the application is the API's
Conflict above the form (zh and en, the reason kept), a forged motion answers 404, a member sees no form."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from ecozone.governance import clock
from stdnum.cn import uscc as stdnum_uscc

from tests.workspace.conftest import Browser

UNITS = """query($state: CouncilUnitState) { councilMemberUnits(state: $state, first: 100) {
  ... on CouncilMemberUnitConnection { edges { node { id nameZh state joinedOn } } } } }"""
MOTIONS = """{ councilMeetings(first: 10) { ... on CouncilMeetingConnection {
  edges { node { motions { id titleZh state } } } } } }"""
STEPS = {
    "callCouncilMeeting": "CallCouncilMeetingInput", "recordCouncilAttendance": "RecordCouncilAttendanceInput",
    "openCouncilMeeting": "OpenCouncilMeetingInput", "proposeCouncilMotion": "ProposeCouncilMotionInput",
    "startCouncilVote": "StartCouncilVoteInput", "recordCouncilVotes": "RecordCouncilVotesInput",
    "countCouncilVotes": "CountCouncilVotesInput",
}


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 6, 1))


async def step(demo_api, mutation: str, input_: dict) -> dict:
    selected = "... on CouncilTally { passed }" if mutation == "countCouncilVotes" else "... on Node { id }"
    query = (f"mutation($input: {STEPS[mutation]}!) {{ {mutation}(input: $input) {{ __typename "
             f"{selected} ... on Failure {{ message }} }} }}")
    answer = (await demo_api.gql(query, {"input": input_}, user="jx-secretary"))[mutation]
    assert "message" not in answer, (mutation, answer)
    return answer


async def applicant_and_motion(demo_api, name: str, number: int) -> tuple[str, str]:
    """(the applicant's ID, the passed motion of a general meeting after its application): the API's steps."""
    body = f"91360100MA{number:07d}"
    applied = await demo_api.gql("""mutation($input: ApplyForCouncilMembershipInput!) {
        applyForCouncilMembership(input: $input) { ... on CouncilMemberUnit { id } ... on Failure { message } } }""",
                                 {"input": {"nameZh": name, "nameEn": "Applicant (test)", "headName": "测试负责人",
                                            "uscc": body + stdnum_uscc.calc_check_digit(body), "unitType": "ENTERPRISE"}},
                                 user="jx-expert02", zone="jiangxi")
    unit_id = applied["applyForCouncilMembership"]["id"]
    meeting = await step(demo_api, "callCouncilMeeting", {
        "kind": "GENERAL", "titleZh": f"审议{name}", "titleEn": "Admissions (test)", "meetsOn": "2026-06-30",
        "votingMode": "IN_PERSON", "proposedByCouncil": False, "proposingUnitIds": []})
    units = [e["node"]["id"] for e in (await demo_api.gql(UNITS, {"state": "ACTIVE"}, user="jx-secretary"))
             ["councilMemberUnits"]["edges"]]
    await step(demo_api, "recordCouncilAttendance", {
        "meetingId": meeting["id"], "entries": [{"memberUnitId": u, "present": True} for u in units]})
    await step(demo_api, "openCouncilMeeting", {"meetingId": meeting["id"]})
    motion = await step(demo_api, "proposeCouncilMotion", {
        "meetingId": meeting["id"], "titleZh": f"接纳{name}", "titleEn": "Admit the applicant", "kind": "ORDINARY"})
    await step(demo_api, "startCouncilVote", {"motionId": motion["id"]})
    await step(demo_api, "recordCouncilVotes", {
        "motionId": motion["id"], "votes": [{"memberUnitId": u, "choice": "YES"} for u in units]})
    assert (await step(demo_api, "countCouncilVotes", {"motionId": motion["id"]}))["passed"] is True
    return unit_id, motion["id"]


async def state_of(demo_api, unit_id: str) -> str:
    edges = (await demo_api.gql(UNITS, user="jx-secretary"))["councilMemberUnits"]["edges"]
    return next(e["node"]["state"] for e in edges if e["node"]["id"] == unit_id)


@pytest.mark.parametrize("language, too_early", [("zh", "早于申请日期"), ("en", "was before the application")])
async def test_the_secretariat_decides_an_application_on_the_units_page(demo_api, sign_in, language, too_early):
    suffix = "?lang=en" if language == "en" else ""
    name = f"江西某山泉水公司（{language}）"
    unit_id, motion = await applicant_and_motion(demo_api, name, 9300001 if language == "zh" else 9300002)
    old_motion = next(m["id"] for e in (await demo_api.gql(MOTIONS, user="jx-secretary"))["councilMeetings"]["edges"]
                      for m in e["node"]["motions"] if "发展规划" in m["titleZh"])
    path = f"/workspace/council/units/{unit_id}"
    member = await sign_in("jx-member1")
    assert 'name="do"' not in (await member.get(path)).text.split("</nav>")[1]
    secretary = await sign_in("jx-secretary")
    page = await secretary.get(path + suffix)
    assert 'name="do" value="decide"' in page.text and f'<option value="{motion}">' in page.text
    form = {"csrf": Browser.csrf(page.text), "do": "decide", "decision": "maybe", "motionId": motion, "reason": "材料齐全"}
    made_up = await secretary.post(path + suffix, form)
    assert made_up.status_code == 400 and 'id="e-decide-decision"' in made_up.text and "材料齐全</textarea>" in made_up.text
    early = await secretary.post(path + suffix, dict(form, decision="admit", motionId=old_motion))
    assert early.status_code == 409 and "材料齐全</textarea>" in early.text
    above = re.search(r'<h2 id="h-decide">[^<]*</h2>\s*<p class="error" role="alert">([^<]+)</p>', early.text)
    assert above and too_early in above.group(1)
    forged = await secretary.post(path + suffix, dict(form, decision="admit", motionId="Q291bmNpbE1vdGlvbjo5OTk5OTk="))
    assert forged.status_code == 404
    assert await state_of(demo_api, unit_id) == "APPLICANT"
    admitted = await secretary.post(path + suffix, dict(form, decision="admit"))
    assert admitted.status_code == 303 and "done=decide" in admitted.headers["location"]
    shown = await secretary.get(admitted.headers["location"])
    assert ("入会申请的决定已登记" if language == "zh" else "The decision on the application is recorded") in shown.text
    assert 'name="do" value="decide"' not in shown.text and 'name="do" value="elect"' in shown.text  # now active
    assert await state_of(demo_api, unit_id) == "ACTIVE"
