"""One year of a zone's council, end to end through the HTTP API (issue 5's "done when").

Admit a unit, elect officers, call the general meeting, submit agenda items (one refused as
late across the National Day holiday), record attendance, fail quorum once and reach it,
pass an ordinary and a major resolution and fail one by exactly one vote, publish the
minutes — then read them anonymously and from another zone, which still sees nothing private.
Runs on SQLite and PostgreSQL (the ``api`` fixture).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from stdnum.cn import uscc as stdnum_uscc

from ecozone.governance import clock

FOUNDING_UNITS = 21  # 7 leaders (chair, 5 vice-chairs, secretary-general) need ≥ 21 units (办法 第七条)
MEETING_DAY = dt.date(2026, 10, 13)  # a Tuesday after the 2026 National Day holiday
LAST_AGENDA_DAY = dt.date(2026, 9, 30)  # 5 working days before: 10-12, 10-10 (make-up Sat), 10-09, 10-08, 09-30

FAILURE = """... on ValidationFailed { message messageZh fieldErrors { field message messageZh } }
             ... on Failure { code message messageZh }"""


def _uscc(n: int) -> str:
    body = f"91360100{n:09d}"
    return body + stdnum_uscc.calc_check_digit(body)


class Council:
    """The secretariat, the chair and the units' heads of Jiangxi's council, talking HTTP."""

    def __init__(self, api, monkeypatch):
        self.api = api
        self.today = dt.date(2026, 9, 1)
        monkeypatch.setattr(clock, "today", lambda: self.today)

    async def mutate(self, name: str, input_type: str, variables: dict[str, Any], fields: str, *,
                     user: str = "sec", zone: str = "jiangxi", expect: str | None = None) -> dict[str, Any]:
        query = f"""mutation($input: {input_type}!) {{ {name}(input: $input) {{
            __typename ... on {expect or 'Node'} {{ {fields} }} {FAILURE} }} }}"""
        result = (await self.api.gql(query, {"input": variables}, user=user, zone=zone))[name]
        return result

    async def ok(self, name: str, input_type: str, typename: str, variables: dict[str, Any], fields: str,
                 **kw) -> dict[str, Any]:
        result = await self.mutate(name, input_type, variables, fields, expect=typename, **kw)
        assert result["__typename"] == typename, result
        return result


@pytest.fixture
async def council(api, monkeypatch) -> Council:
    await api.add_user("sec", "jiangxi", "secretary")
    await api.add_user("dir", "jiangxi", "director")
    await api.add_user("gz-dir", "guizhou", "director")
    for n in range(1, FOUNDING_UNITS + 2):
        await api.add_user(f"head{n:02d}", "jiangxi", "member")
    return Council(api, monkeypatch)


UNIT = "id nameZh state joinedOn representativeName"
MEETING = "id state kind meetsOn presentAtOpening membersAtOpening viceChairsAtOpening"
MOTION = "id state kind"
TALLY = "passed yes no abstain present members base needed shortBy ruleZh ruleEn motion { id state }"


async def test_a_year_of_the_council(council, api):
    from tests.support.api import gid

    # -- the founding units, recorded once by the secretariat; each is represented by its head
    units = []
    for n in range(1, FOUNDING_UNITS + 1):
        unit = await council.ok("registerFoundingCouncilUnit", "RegisterFoundingCouncilUnitInput",
                                "CouncilMemberUnit", {
                                    "nameZh": f"创始成员单位{n:02d}", "nameEn": f"Founding unit {n:02d}",
                                    "uscc": _uscc(n), "unitType": "ENTERPRISE", "headName": f"负责人{n:02d}",
                                    "headUserId": gid("User", api.users[f"head{n:02d}"]),
                                    "joinedOn": "2025-01-06"}, UNIT)
        assert unit["state"] == "ACTIVE"
        units.append(unit["id"])

    # -- a unit applies to the secretariat (第十条)
    applicant_head = f"head{FOUNDING_UNITS + 1:02d}"
    bad = await council.mutate("applyForCouncilMembership", "ApplyForCouncilMembershipInput", {
        "nameZh": "申请单位", "nameEn": "Applicant", "uscc": _uscc(99)[:-1] + "0", "unitType": "INSTITUTION",
        "headName": "申请人"}, UNIT, user=applicant_head, expect="CouncilMemberUnit")
    assert bad["__typename"] == "ValidationFailed"  # the check character is wrong
    applicant = await council.ok("applyForCouncilMembership", "ApplyForCouncilMembershipInput",
                                 "CouncilMemberUnit", {
                                     "nameZh": "申请单位", "nameEn": "Applicant", "uscc": _uscc(99),
                                     "unitType": "INSTITUTION", "headName": "申请人",
                                     "headUserId": gid("User", api.users[applicant_head])},
                                 UNIT, user=applicant_head)
    assert applicant["state"] == "APPLICANT"

    # -- officers: chair, five vice-chairs, secretary-general (第五条); 3-year terms (第七条)
    await api.add_user("chair", "jiangxi", "member")
    offices = [("CHAIR", 0, "chair")] + [("VICE_CHAIR", i, None) for i in range(1, 6)] + \
              [("SECRETARY_GENERAL", 6, None)]
    for office, unit_index, user in offices:
        elected = await council.ok("electCouncilOfficer", "ElectCouncilOfficerInput", "CouncilOfficer", {
            "memberUnitId": units[unit_index], "personName": f"{office}-person", "birthDate": "1968-05-04",
            "office": office, "termStart": "2026-01-01",
            **({"userId": gid("User", api.users[user])} if user else {})}, "id termEnd office")
        assert elected["termEnd"] == "2028-12-31"
    refused = await council.mutate("electCouncilOfficer", "ElectCouncilOfficerInput", {
        "memberUnitId": units[7], "personName": "多余副理事长", "birthDate": "1970-01-01",
        "office": "VICE_CHAIR", "termStart": "2026-01-01"}, "id", expect="CouncilOfficer")
    assert refused["__typename"] in ("ValidationFailed", "Conflict")  # a sixth vice-chair

    # -- the general meeting (第十八条), called a month ahead
    meeting = await council.ok("callCouncilMeeting", "CallCouncilMeetingInput", "CouncilMeeting", {
        "kind": "GENERAL", "titleZh": "2026年度理事大会", "titleEn": "General meeting 2026",
        "meetsOn": MEETING_DAY.isoformat(), "venue": "南昌"}, MEETING)
    meeting_id = meeting["id"]

    # -- agenda items: on the last allowed day, and one a working day too late (第二十一条)
    council.today = LAST_AGENDA_DAY
    on_time = await council.ok("submitCouncilAgendaItem", "SubmitCouncilAgendaItemInput", "CouncilAgendaItem", {
        "meetingId": meeting_id, "titleZh": "2027年工作计划", "titleEn": "Work plan 2027",
        "memberUnitId": units[3]}, "id", user="head04")
    assert on_time["id"]
    council.today = dt.date(2026, 10, 8)  # the first working day after the holiday
    late = await council.mutate("submitCouncilAgendaItem", "SubmitCouncilAgendaItemInput", {
        "meetingId": meeting_id, "titleZh": "临时动议", "titleEn": "Late item",
        "memberUnitId": units[4]}, "id", user="head05", expect="CouncilAgendaItem")
    assert late["__typename"] == "CouncilAgendaDeadlinePassed", late
    assert "2026-09-30" in late["message"] and "2026-09-30" in late["messageZh"]

    # -- attendance; quorum fails with 13 of 21 (needs 14: 3 × 14 ≥ 2 × 21), then is reached
    council.today = MEETING_DAY
    present = list(range(13))  # includes the chair's unit and the five vice-chairs' units
    await council.ok("recordCouncilAttendance", "RecordCouncilAttendanceInput", "CouncilMeeting", {
        "meetingId": meeting_id, "entries": [{"memberUnitId": units[i], "present": i in present,
                                              "attendeeName": f"代表{i:02d}"} for i in range(FOUNDING_UNITS)]},
        MEETING)
    not_yet = await council.mutate("openCouncilMeeting", "OpenCouncilMeetingInput", {"meetingId": meeting_id},
                                   MEETING, expect="CouncilMeeting")
    assert not_yet["__typename"] == "Conflict" and "13" in not_yet["message"] and "14" in not_yet["message"]
    present.append(13)
    await council.ok("recordCouncilAttendance", "RecordCouncilAttendanceInput", "CouncilMeeting", {
        "meetingId": meeting_id, "entries": [{"memberUnitId": units[13], "present": True}]}, MEETING)
    opened = await council.ok("openCouncilMeeting", "OpenCouncilMeetingInput", "CouncilMeeting",
                              {"meetingId": meeting_id}, MEETING)
    assert opened["state"] == "IN_SESSION"
    assert (opened["presentAtOpening"], opened["membersAtOpening"], opened["viceChairsAtOpening"]) == (14, 21, 5)

    async def vote(title: str, kind: str, yes: int, no: int) -> dict[str, Any]:
        motion = await council.ok("proposeCouncilMotion", "ProposeCouncilMotionInput", "CouncilMotion", {
            "meetingId": meeting_id, "titleZh": title, "titleEn": title, "kind": kind}, MOTION)
        await council.ok("startCouncilVote", "StartCouncilVoteInput", "CouncilMotion",
                         {"motionId": motion["id"]}, MOTION)
        choices = ["YES"] * yes + ["NO"] * no + ["ABSTAIN"] * (len(present) - yes - no)
        await council.ok("recordCouncilVotes", "RecordCouncilVotesInput", "CouncilMotion", {
            "motionId": motion["id"], "votes": [{"memberUnitId": units[i], "choice": c}
                                                for i, c in zip(present, choices, strict=True)]}, MOTION)
        return await council.ok("countCouncilVotes", "CountCouncilVotesInput", "CouncilTally",
                                {"motionId": motion["id"]}, TALLY)

    # ordinary: 2/3 of the 14 present → 10 (3 × 10 ≥ 28) passes; 9 fails one short (第二十二条)
    admission = await vote("接纳申请单位为成员单位", "ORDINARY", yes=10, no=2)
    assert (admission["passed"], admission["needed"], admission["base"]) == (True, 10, 14)
    assert "第二十二条" in admission["ruleZh"]
    short = await vote("调整会费标准", "ORDINARY", yes=9, no=3)
    assert (short["passed"], short["shortBy"], short["needed"]) == (False, 1, 10)
    # major: 2/3 of all 21 members → 14, every unit present must say yes (第二十三条)
    plan = await vote("审议创新基地发展规划", "MAJOR", yes=14, no=0)
    assert (plan["passed"], plan["needed"], plan["base"], plan["members"]) == (True, 14, 21, 21)
    assert "第二十三条" in plan["ruleZh"]

    # -- the general meeting's decision admits the applicant (第十条)
    admitted = await council.ok("decideCouncilApplication", "DecideCouncilApplicationInput", "CouncilMemberUnit", {
        "unitId": applicant["id"], "admit": True, "motionId": admission["motion"]["id"]}, UNIT)
    assert admitted["state"] == "ACTIVE" and admitted["joinedOn"] == MEETING_DAY.isoformat()

    # -- close, minute, publish (第二十一条, 第三十条)
    closed = await council.ok("closeCouncilMeeting", "CloseCouncilMeetingInput", "CouncilMeeting",
                              {"meetingId": meeting_id}, MEETING)
    assert closed["state"] == "CLOSED"
    await council.ok("writeCouncilMinutes", "WriteCouncilMinutesInput", "CouncilMinutes", {
        "meetingId": meeting_id, "discussion": "会议审议了2027年工作计划和发展规划。"}, "id state")
    await council.ok("publishCouncilMinutes", "PublishCouncilMinutesInput", "CouncilPublication",
                     {"meetingId": meeting_id}, "id", user="dir")

    public = """{ councilPublications(zone: "jiangxi") { ... on CouncilPublicationConnection {
        edges { node { titleZh meetsOn discussion attendance { present members viceChairsPresent }
                       resolutions { titleZh kind passed yes no abstain base needed ruleZh } } } } } }"""
    for reader in ({}, {"user": "gz-dir", "zone": "guizhou"}):
        edges = (await api.gql(public, **reader))["councilPublications"]["edges"]
        assert len(edges) == 1
        published = edges[0]["node"]
        assert published["attendance"] == {"present": 14, "members": 21, "viceChairsPresent": 5}
        assert [(r["passed"], r["yes"], r["needed"]) for r in published["resolutions"]] == \
            [(True, 10, 10), (False, 9, 10), (True, 14, 14)]
    # the private record stays private: another zone finds no such meeting
    hidden = await api.gql("""query($id: ID!) { councilMeeting(id: $id) { __typename } }""",
                           {"id": meeting_id}, user="gz-dir", zone="guizhou")
    assert hidden["councilMeeting"]["__typename"] in ("NotFound", "PermissionDenied")
    units_seen = await api.gql("{ councilMemberUnits { ... on CouncilMemberUnitConnection { totalCount } } }",
                               user="gz-dir", zone="guizhou")
    assert units_seen["councilMemberUnits"]["totalCount"] == 0
    mine = await api.gql("{ councilMemberUnits(state: ACTIVE) { ... on CouncilMemberUnitConnection { totalCount } } }",
                         user="dir", zone="jiangxi")
    assert mine["councilMemberUnits"]["totalCount"] == FOUNDING_UNITS + 1
