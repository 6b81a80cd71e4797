"""Oversight (章程 第二十四至二十六条): evaluation rules at their bounds, and through HTTP on both databases:
a supervisor reads the council, its overdue tasks, the funds and the audit log and writes nothing; an
officer's yearly evaluation with its outcome; a third-party evaluation reported at a council meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.oversight import rules

from tests.governance.council_client import (
    decide,
    opened_meeting,
    seed_council,
    today,  # noqa: F401 - the frozen-clock fixture
)
from tests.support.api import gid

D = dt.date


@pytest.mark.parametrize(("year", "evaluated_on", "last_day", "codes"), [
    (2025, D(2026, 1, 15), None, []),
    (2026, D(2026, 3, 2), None, []),                     # the current year, begun
    (2027, D(2026, 3, 2), None, ["future", "range"]),  # and dated before the year
    (2024, D(2026, 1, 15), None, ["range"]),             # before the term (began 2025-01-10)
    (2025, D(2024, 12, 31), None, ["range"]),            # dated before the year
    (2025, D(2026, 3, 3), None, ["range"]),              # dated in the future
    (2026, D(2026, 3, 2), D(2025, 12, 31), ["range"]),   # left office before the year
])
def test_evaluation_errors(year, evaluated_on, last_day, codes):
    errors = rules.evaluation_errors(year=year, outcome="competent", evaluated_on=evaluated_on, today=D(2026, 3, 2),
                                     term_start=D(2025, 1, 10), last_day=last_day or D(2028, 1, 9))
    assert [e.code for e in errors] == codes


@pytest.mark.parametrize(("meets_on", "state", "codes"), [
    (D(2026, 3, 20), "closed", []), (D(2026, 3, 20), "in_session", []), (D(2026, 3, 19), "closed", ["before"]),
    (D(2026, 3, 20), "called", ["not_held"]), (D(2026, 3, 20), "cancelled", ["not_held"])])
def test_report_errors(meets_on, state, codes):
    assert [e.code for e in rules.report_errors(delivered_on=D(2026, 3, 20), meets_on=meets_on,
                                                meeting_state=state)] == codes


EVALUATE = """mutation($input: EvaluateCouncilOfficerInput!) { evaluateCouncilOfficer(input: $input) { __typename
  ... on CouncilOfficerEvaluation { id year outcome outcomeNameZh officer { personName } }
  ... on ValidationFailed { fieldErrors { field code } } ... on Failure { code message messageZh } } }"""
THIRD = """mutation($input: RecordCouncilThirdPartyEvaluationInput!) { recordCouncilThirdPartyEvaluation(input: $input) {
  __typename ... on CouncilThirdPartyEvaluation { id evaluator reportedAt { id meetsOn } }
  ... on ValidationFailed { fieldErrors { field code } } ... on Failure { code message } } }"""
REPORT = """mutation($input: ReportCouncilThirdPartyEvaluationInput!) { reportCouncilThirdPartyEvaluation(input: $input) {
  __typename ... on CouncilThirdPartyEvaluation { id reportedAt { id meetsOn } }
  ... on ValidationFailed { fieldErrors { field code } } ... on Failure { code message } } }"""
READS = """query { councilOfficers { __typename ... on CouncilOfficerConnection { totalCount } }
  overdueCouncilTasks { __typename ... on CouncilTaskConnection { totalCount } ... on Failure { code } }
  fundEntries(year: 2026) { __typename ... on Failure { code } }
  auditLog { __typename ... on Failure { code } }
  councilOfficerEvaluations { __typename ... on CouncilOfficerEvaluationConnection { totalCount } ... on Failure { code } }
  councilThirdPartyEvaluations { __typename ... on CouncilThirdPartyEvaluationConnection {
    edges { node { evaluator reportedAt { meetsOn } } } } ... on Failure { code } } }"""
OFFICERS = """query { councilOfficers(office: CHAIR) { ... on CouncilOfficerConnection { edges { node { id } } } } }"""
GRANT = """mutation($user: ID!) { grantRole(input: {userId: $user, role: SUPERVISOR}) { __typename } }"""


@pytest.fixture
async def council(api, today):  # noqa: F811 - the imported fixture
    council = await seed_council(api, units=9)
    await api.add_user("jx-supervisor", "jiangxi")
    return council


async def test_evaluations_recorded_and_the_supervisor_reads_without_writing(api, council, today):
    # the director names the supervisor; a secretary may not
    assert (await api.gql(GRANT, {"user": gid("User", api.users["jx-supervisor"])}, user=council.secretary,
                          zone=council.zone))["grantRole"]["__typename"] == "PermissionDenied"
    assert (await api.gql(GRANT, {"user": gid("User", api.users["jx-supervisor"])}, user=council.director,
                          zone=council.zone))["grantRole"]["__typename"] == "RoleAssignment"
    chair = (await api.gql(OFFICERS, user=council.secretary, zone=council.zone))["councilOfficers"]["edges"][0]["node"]["id"]

    today.day = D(2026, 1, 15)
    evaluation = {"officerId": chair, "year": 2025, "outcome": "COMMENDED", "summary": "组织召开理事大会，推动标准立项。",
                  "evaluatedOn": "2026-01-15"}
    for who in ("jx-supervisor", council.reps[1]):
        refused = (await api.gql(EVALUATE, {"input": evaluation}, user=who, zone=council.zone))["evaluateCouncilOfficer"]
        assert refused["__typename"] == "PermissionDenied", who
    done = (await api.gql(EVALUATE, {"input": evaluation}, user=council.secretary, zone=council.zone))[
        "evaluateCouncilOfficer"]
    assert (done["year"], done["outcome"], done["outcomeNameZh"], done["officer"]["personName"]) == (
        2025, "COMMENDED", "优秀，予以通报表彰", "理事长甲")
    again = (await api.gql(EVALUATE, {"input": evaluation}, user=council.secretary, zone=council.zone))
    assert again["evaluateCouncilOfficer"]["__typename"] == "Conflict"
    forged = (await api.gql(EVALUATE, {"input": {**evaluation, "officerId": gid("CouncilOfficer", 99999)}},
                            user=council.secretary, zone=council.zone))["evaluateCouncilOfficer"]
    assert forged["__typename"] == "NotFound"

    # a third-party evaluation, delivered, then reported at the general meeting (第二十六条)
    today.day = D(2026, 3, 2)
    third = (await api.gql(THIRD, {"input": {"evaluator": "某标准化评估咨询机构（虚构）", "periodStart": "2025-01-01",
                                             "periodEnd": "2025-12-31", "deliveredOn": "2026-02-27",
                                             "findings": "项目管理规范，建议加强成果转化。"}},
                           user=council.director, zone=council.zone))["recordCouncilThirdPartyEvaluation"]
    assert third["reportedAt"] is None, third
    called_only = (await api.gql("""mutation($input: CallCouncilMeetingInput!) { callCouncilMeeting(input: $input) {
        ... on CouncilMeeting { id } } }""", {"input": {"kind": "GENERAL", "titleZh": "未召开", "titleEn": "Not held",
                                                         "meetsOn": "2026-04-20"}}, user=council.secretary,
                                 zone=council.zone))["callCouncilMeeting"]
    not_held = (await api.gql(REPORT, {"input": {"evaluationId": third["id"], "meetingId": called_only["id"]}},
                              user=council.secretary, zone=council.zone))["reportCouncilThirdPartyEvaluation"]
    assert not_held["__typename"] == "ValidationFailed" and not_held["fieldErrors"][0]["code"] == "not_held"
    meeting = await opened_meeting(api, council, list(range(9)))  # 2026-03-20
    await decide(api, council, meeting, "听取第三方评估报告")
    reported = (await api.gql(REPORT, {"input": {"evaluationId": third["id"], "meetingId": meeting}},
                              user=council.secretary, zone=council.zone))["reportCouncilThirdPartyEvaluation"]
    assert reported["reportedAt"] == {"id": meeting, "meetsOn": "2026-03-20"}

    # the supervisor reads the council, overdue tasks, the funds, the audit log and the evaluations
    seen = await api.gql(READS, user="jx-supervisor", zone=council.zone)
    assert seen["councilOfficers"]["totalCount"] == 6
    assert seen["overdueCouncilTasks"]["totalCount"] == 0
    assert seen["fundEntries"]["__typename"] == "FundEntryConnection"
    assert seen["auditLog"]["__typename"] == "AuditEntryConnection"
    assert seen["councilOfficerEvaluations"]["totalCount"] == 1
    assert seen["councilThirdPartyEvaluations"]["edges"][0]["node"]["reportedAt"] == {"meetsOn": "2026-03-20"}
    member_view = await api.gql(READS, user=council.reps[2], zone=council.zone)
    assert member_view["auditLog"]["__typename"] == "PermissionDenied"
    assert member_view["councilOfficerEvaluations"]["__typename"] == "PermissionDenied"

    # … and writes nothing
    motion = await decide(api, council, meeting, "分配任务")
    writes = [
        ("""mutation($input: AssignCouncilTaskInput!) { assignCouncilTask(input: $input) { __typename } }""",
         {"input": {"motionId": motion, "titleZh": "x", "titleEn": "x", "dueOn": "2026-06-30",
                    "memberUnitId": council.unit(1)}}, "assignCouncilTask"),
        ("""mutation($input: ElectCouncilOfficerInput!) { electCouncilOfficer(input: $input) { __typename } }""",
         {"input": {"memberUnitId": council.unit(7), "personName": "x", "birthDate": "1970-01-01",
                    "office": "STANDING_DIRECTOR", "termStart": "2026-04-01", "motionId": motion}}, "electCouncilOfficer"),
        ("""mutation($input: RateCouncilUnitInput!) { rateCouncilUnit(input: $input) { __typename } }""",
         {"input": {"unitId": council.unit(1), "year": 2026, "rating": "POOR"}}, "rateCouncilUnit"),
        ("""mutation($input: ReportCouncilThirdPartyEvaluationInput!) { reportCouncilThirdPartyEvaluation(input: $input) {
            __typename } }""", {"input": {"evaluationId": third["id"], "meetingId": meeting}},
         "reportCouncilThirdPartyEvaluation"),
    ]
    for query, variables, field in writes:
        result = (await api.gql(query, variables, user="jx-supervisor", zone=council.zone))[field]
        assert result["__typename"] == "PermissionDenied", field
