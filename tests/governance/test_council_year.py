"""One year of the council's own business through HTTP, on both databases (issue 17, the council's
half): a general meeting elects the base director, removes an officer by vote, amends the Charter
after its consultation and assigns a task; the task runs late and the chair sees it overdue; at the
year's end the office evaluates the chair and a third-party evaluation is reported to the council;
the supervisor follows all of it and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.governance.council_client import (
    decide,
    opened_meeting,
    seed_council,
    today,  # noqa: F401 - the frozen-clock fixture
)
from tests.governance.test_offices_api import ELECT, END, add_active_units, officers
from tests.governance.test_oversight import EVALUATE, REPORT, THIRD
from tests.governance.test_rulebook import ADOPT, CHARTER_2024, CHARTER_2026, IN_FORCE, REGISTER, consultation
from tests.governance.test_tasks_api import ASSIGN, OVERDUE
from tests.support.api import gid

D = dt.date


@pytest.fixture
async def council(api, today):  # noqa: F811 - the imported fixture
    council = await seed_council(api, units=21)  # chair and five vice-chairs since 2025-01-10
    await add_active_units(api, council, 3, start=100)  # 24 units: room for the eighth leader
    await api.add_user("jx-supervisor", "jiangxi")
    grant = await api.gql("mutation($u: ID!) { grantRole(input: {userId: $u, role: SUPERVISOR}) { __typename } }",
                          {"u": gid("User", api.users["jx-supervisor"])}, user=council.director, zone=council.zone)
    assert grant["grantRole"]["__typename"] == "RoleAssignment"
    return council


async def test_a_year_of_the_council(api, council, today):
    secretary = {"user": council.secretary, "zone": council.zone}
    today.day = D(2026, 1, 5)
    charter = (await api.gql(REGISTER, {"input": {"key": "charter", "titleZh": "理事会章程", "titleEn": "Council Charter",
                                                  "text": CHARTER_2024, "adoptedOn": "2024-12-30",
                                                  "effectiveFrom": "2024-12-30"}}, **secretary))[
        "registerCouncilRuleDocument"]
    draft = await consultation(api, council, close_on=D(2026, 3, 10))
    sg = (await api.gql(ELECT, {"input": {"memberUnitId": council.unit(6), "personName": "秘书长丙", "birthDate": "1975-01-01",
                                          "office": "SECRETARY_GENERAL", "termStart": "2025-01-10",
                                          "userId": gid("User", api.users[council.reps[6]])}}, **secretary))[
        "electCouncilOfficer"]
    assert sg["state"] == "SERVING", sg  # the founding council, before any meeting opened

    # -- the general meeting of 20 March: quorum, four resolutions
    today.day = D(2026, 3, 2)
    meeting = await opened_meeting(api, council, list(range(21)))
    today.day = D(2026, 3, 20)
    director_motion = await decide(api, council, meeting, "选举创新基地主任", present=list(range(21)))
    removal_motion = await decide(api, council, meeting, "罢免秘书长", present=list(range(21)))
    charter_motion = await decide(api, council, meeting, "审议通过章程修订案", kind="MAJOR", present=list(range(21)))
    task_motion = await decide(api, council, meeting, "关于落实年度计划的决议", present=list(range(21)))

    director = (await api.gql(ELECT, {"input": {"memberUnitId": council.unit(9), "personName": "主任戊",
                                                "birthDate": "1972-02-02", "office": "BASE_DIRECTOR",
                                                "termStart": "2026-04-01", "motionId": director_motion}}, **secretary))[
        "electCouncilOfficer"]
    assert (director["state"], director["appointedBy"]["personName"]) == ("ELECT", "理事长甲"), director
    removed = (await api.gql(END, {"input": {"officerId": sg["id"], "endedOn": "2026-03-20", "reason": "理事大会表决罢免",
                                             "motionId": removal_motion}}, **secretary))["endCouncilOffice"]
    assert (removed["state"], removed["endedByMotion"]) == ("ENDED", removal_motion)
    amended = (await api.gql(ADOPT, {"input": {"documentId": charter["id"], "motionId": charter_motion,
                                               "consultationId": draft, "text": CHARTER_2026,
                                               "effectiveFrom": "2026-07-01"}}, **secretary))["adoptCouncilRuleVersion"]
    assert amended["number"] == 2, amended
    task = (await api.gql(ASSIGN, {"input": {"motionId": task_motion, "titleZh": "编制年度标准研制计划",
                                             "titleEn": "Draft the standards plan", "dueOn": "2026-06-30",
                                             "memberUnitId": council.unit(3)}}, **secretary))["assignCouncilTask"]
    assert task["state"] == "OPEN"

    # -- spring and summer: the director takes office, the Charter's new text takes effect, the task runs late
    today.day = D(2026, 4, 1)
    assert await officers(api, council, "SERVING", "BASE_DIRECTOR") == [("主任戊", "SERVING")]
    today.day = D(2026, 7, 6)
    assert (await api.gql(IN_FORCE, {"zone": "jiangxi", "key": "charter"}))["councilRuleInForce"]["number"] == 2
    late = (await api.gql(OVERDUE, user=council.chair, zone=council.zone))["overdueCouncilTasks"]
    assert [(e["node"]["titleZh"], e["node"]["daysOverdue"]) for e in late["edges"]] == [("编制年度标准研制计划", 6)]
    assert (await api.gql(OVERDUE, user="jx-supervisor", zone=council.zone))["overdueCouncilTasks"]["totalCount"] == 1

    # -- the year's end: the chair evaluated (第二十五条), a third-party evaluation reported (第二十六条)
    today.day = D(2026, 12, 10)
    chair_id = (await api.gql("query { councilOfficers(office: CHAIR) { ... on CouncilOfficerConnection { edges { node { id } } } } }",
                              **secretary))["councilOfficers"]["edges"][0]["node"]["id"]
    evaluation = (await api.gql(EVALUATE, {"input": {"officerId": chair_id, "year": 2026, "outcome": "COMPETENT",
                                                     "summary": "按期召开理事大会。", "evaluatedOn": "2026-12-10"}},
                                **secretary))["evaluateCouncilOfficer"]
    assert evaluation["outcome"] == "COMPETENT", evaluation
    third = (await api.gql(THIRD, {"input": {"evaluator": "某第三方评估机构（虚构）", "periodStart": "2026-01-01",
                                             "periodEnd": "2026-11-30", "deliveredOn": "2026-12-08",
                                             "findings": "任务落实总体较好，个别任务逾期。"}}, **secretary))[
        "recordCouncilThirdPartyEvaluation"]
    year_end = await opened_meeting(api, council, list(range(21)), meets_on=D(2026, 12, 10))
    reported = (await api.gql(REPORT, {"input": {"evaluationId": third["id"], "meetingId": year_end}}, **secretary))[
        "reportCouncilThirdPartyEvaluation"]
    assert reported["reportedAt"]["meetsOn"] == "2026-12-10"
    refused = (await api.gql(EVALUATE, {"input": {"officerId": chair_id, "year": 2026, "outcome": "COMMENDED",
                                                  "summary": "x", "evaluatedOn": "2026-12-10"}},
                             user="jx-supervisor", zone=council.zone))["evaluateCouncilOfficer"]
    assert refused["__typename"] == "PermissionDenied"
