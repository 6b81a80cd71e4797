"""Resolutions carried out through the HTTP API, on both databases (章程 第九条(二), 第十三条(三),
第十四条(一), 第十六条(三)): a passed motion's tasks, reported done, overdue seen by the sitting chair and
secretary-general; yearly ratings feed the exit check."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.governance.models import Officer
from ecozone.tenancy.models import Zone
from sqlalchemy import select

from tests.governance.council_client import (
    decide,
    opened_meeting,
    seed_council,
    today,  # noqa: F401 - the frozen-clock fixture
)
from tests.support.api import gid

D = dt.date
TASK = """__typename
  ... on CouncilTask { id titleZh dueOn state doneOn report overdue daysOverdue motion { id state }
                       memberUnit { nameZh } officer { personName } }
  ... on ValidationFailed { fieldErrors { field code } }
  ... on Failure { code message messageZh }"""
ASSIGN = "mutation($input: AssignCouncilTaskInput!) { assignCouncilTask(input: $input) { " + TASK + " } }"
COMPLETE = "mutation($input: CompleteCouncilTaskInput!) { completeCouncilTask(input: $input) { " + TASK + " } }"
OVERDUE = """query { overdueCouncilTasks { __typename
  ... on CouncilTaskConnection { totalCount edges { node { titleZh daysOverdue } } }
  ... on Failure { code message messageZh } } }"""
TASKS = """query($state: CouncilTaskState) { councilTasks(state: $state) { __typename
  ... on CouncilTaskConnection { totalCount edges { node { titleZh state } } } ... on Failure { code } } }"""
RATE = """mutation($input: RateCouncilUnitInput!) { rateCouncilUnit(input: $input) { __typename
  ... on CouncilUnitRating { year rating ratingNameZh memberUnit { nameZh } }
  ... on ValidationFailed { fieldErrors { field code } } ... on Failure { code message } } }"""
INACTIVE = """query { inactiveCouncilUnits { __typename ... on CouncilInactiveUnitConnection {
  edges { node { unit { nameZh } inactive poorYears lastActivityOn } } } } }"""


@pytest.fixture
async def council(api, today):  # noqa: F811 - the imported fixture
    council = await seed_council(api, units=9)
    await api.add_user("jx-sg", "jiangxi", "member")

    async def secretary_general(session):  # the seed has a chair and vice-chairs; a secretary-general too
        zone_id = await session.scalar(select(Zone.id).where(Zone.slug == "jiangxi"))
        session.add(Officer(zone_id=zone_id, member_unit_id=council.units[6], person_name="秘书长丙",
                            user_id=api.users["jx-sg"], birth_date=D(1975, 1, 1), office="secretary_general",
                            term_start=D(2025, 1, 10), term_end=D(2028, 1, 9), state="serving"))
    await api.operator(secretary_general)
    return council


async def assign(api, council, motion, *, unit: int | None = None, due: D, title: str = "编制年度标准研制计划",
                 user: str | None = None, **extra) -> dict:
    data = {"motionId": motion, "titleZh": title, "titleEn": "Draft the year's standards plan", "dueOn": due.isoformat(),
            **({"memberUnitId": council.unit(unit)} if unit is not None else {}), **extra}
    return (await api.gql(ASSIGN, {"input": data}, user=user or council.secretary, zone=council.zone))[
        "assignCouncilTask"]


async def test_a_passed_motion_assigns_tasks_and_the_chair_sees_what_is_overdue(api, council, today):
    meeting = await opened_meeting(api, council, list(range(9)))  # 2026-03-20 is the meeting's date
    motion = await decide(api, council, meeting, "关于落实年度工作计划的决议")
    task = await assign(api, council, motion, unit=3, due=D(2026, 6, 30))
    assert (task["state"], task["memberUnit"]["nameZh"], task["motion"]["id"]) == ("OPEN", "测试成员单位4", motion)
    second = await assign(api, council, motion, unit=4, due=D(2026, 6, 30), title="组织标准宣贯培训")
    assert second["__typename"] == "CouncilTask"

    today.day = D(2026, 6, 30)  # the due date: in time
    assert (await api.gql(OVERDUE, user=council.chair, zone=council.zone))["overdueCouncilTasks"]["totalCount"] == 0
    today.day = D(2026, 7, 3)
    for watcher in (council.chair, "jx-sg", council.secretary):
        seen = (await api.gql(OVERDUE, user=watcher, zone=council.zone))["overdueCouncilTasks"]
        assert [(e["node"]["titleZh"], e["node"]["daysOverdue"]) for e in seen["edges"]] == [
            ("编制年度标准研制计划", 3), ("组织标准宣贯培训", 3)], watcher
    for outsider in (council.reps[3], council.director):  # a unit's representative, the zone's director
        refused = (await api.gql(OVERDUE, user=outsider, zone=council.zone))["overdueCouncilTasks"]
        assert refused["__typename"] == "PermissionDenied" and "第十六条(三)" in refused["messageZh"]

    # the unit's representative reports it done: no longer overdue, and it counts as the unit's activity
    wrong = (await api.gql(COMPLETE, {"input": {"taskId": task["id"], "report": "已完成"}}, user=council.reps[5],
                           zone=council.zone))["completeCouncilTask"]
    assert wrong["__typename"] == "PermissionDenied"
    done = (await api.gql(COMPLETE, {"input": {"taskId": task["id"], "report": "计划已编制并报秘书处"}},
                          user=council.reps[3], zone=council.zone))["completeCouncilTask"]
    assert (done["state"], done["doneOn"], done["overdue"]) == ("DONE", "2026-07-03", False)
    again = (await api.gql(COMPLETE, {"input": {"taskId": task["id"], "report": "再次"}}, user=council.reps[3],
                           zone=council.zone))["completeCouncilTask"]
    assert again["__typename"] == "Conflict"
    seen = (await api.gql(OVERDUE, user=council.chair, zone=council.zone))["overdueCouncilTasks"]
    assert seen["totalCount"] == 1
    listed = (await api.gql(TASKS, {"state": "DONE"}, user=council.reps[0], zone=council.zone))["councilTasks"]
    assert [e["node"]["titleZh"] for e in listed["edges"]] == ["编制年度标准研制计划"]


async def test_a_task_only_from_a_passed_motion_of_this_zone(api, council, today):
    meeting = await opened_meeting(api, council, list(range(9)))
    failed = await decide(api, council, meeting, "未通过的决议", passed=False)
    refused = await assign(api, council, failed, unit=1, due=D(2026, 5, 1))
    assert refused["__typename"] == "Conflict" and "has not passed" in refused["message"]
    passed = await decide(api, council, meeting, "通过的决议")
    guizhou = await seed_council(api, zone="guizhou", prefix="gz", units=9)
    foreign = await assign(api, guizhou, passed, unit=1, due=D(2026, 5, 1))
    assert foreign["__typename"] == "NotFound"  # another zone's motion is not found
    foreign_unit = await assign(api, council, passed, due=D(2026, 5, 1), memberUnitId=guizhou.unit(1))
    assert foreign_unit["__typename"] == "NotFound"
    member = await assign(api, council, passed, unit=1, due=D(2026, 5, 1), user=council.reps[1])
    assert member["__typename"] == "PermissionDenied"
    both = await assign(api, council, passed, unit=1, due=D(2026, 3, 1),
                        officerId=gid("CouncilOfficer", 1))
    assert both["__typename"] == "ValidationFailed"
    assert {(e["field"], e["code"]) for e in both["fieldErrors"]} == {("memberUnitId", "assignee"), ("dueOn", "past")}


async def test_two_years_rated_poor_lists_the_unit_for_exit(api, council, today):
    today.day = D(2026, 1, 5)  # the units joined on 2025-01-10: none is a year without activity yet
    for year, rating in ((2025, "POOR"), (2026, "POOR")):
        rated = (await api.gql(RATE, {"input": {"unitId": council.unit(8), "year": year, "rating": rating}},
                               user=council.secretary, zone=council.zone))["rateCouncilUnit"]
        assert (rated["year"], rated["ratingNameZh"]) == (year, "表现较差"), rated
    future = (await api.gql(RATE, {"input": {"unitId": council.unit(8), "year": 2027, "rating": "POOR"}},
                            user=council.secretary, zone=council.zone))["rateCouncilUnit"]
    assert future["__typename"] == "ValidationFailed"
    member = (await api.gql(RATE, {"input": {"unitId": council.unit(8), "year": 2025, "rating": "GOOD"}},
                            user=council.reps[0], zone=council.zone))["rateCouncilUnit"]
    assert member["__typename"] == "PermissionDenied"
    flagged = (await api.gql(INACTIVE, user=council.secretary, zone=council.zone))["inactiveCouncilUnits"]
    rows = {e["node"]["unit"]["nameZh"]: (e["node"]["inactive"], e["node"]["poorYears"]) for e in flagged["edges"]}
    assert rows == {"测试成员单位9": (False, [2025, 2026])}  # active within the year, but rated poor twice
