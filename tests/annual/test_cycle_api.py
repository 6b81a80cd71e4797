"""The base's year through HTTP on both databases: a plan drafted, an approved project joining
it, adopted by a passed motion of the general meeting; funds budgeted and booked (amounts past
GraphQL's 32-bit Int, exact to the fen); both reports adopted and then publicly readable."""

from __future__ import annotations

import pytest

from tests.annual.support import (
    ADD_ITEM,
    ADOPT_PLAN,
    ADOPT_REPORT,
    APPROVE_PROJECT,
    BUDGET,
    DISCLOSURES,
    DRAFT_REPORT,
    ENTRIES,
    EXECUTION,
    INCOME,
    PLANS,
    REPORTS,
    SPEND,
    SUBMIT_PLAN,
    SUBMIT_REPORT,
    draft_plan,
    meeting,
    motion,
    mutate,
    proposed_project,
    vote,
)
from tests.governance.council_client import seed_council, today  # noqa: F401 - the frozen-clock fixture


@pytest.fixture
async def council(api, today):  # noqa: F811
    return await seed_council(api)


async def test_the_year_end_to_end(api, council):
    z, sec = council.zone, council.secretary
    plan = await draft_plan(api, council)
    assert plan["state"] == "DRAFT" and plan["titleZh"] == "2026年度工作计划"
    item = await mutate(api, ADD_ITEM, {"input": {"planId": plan["id"], "titleZh": "召开生态文明标准化专题会议",
                                                  "titleEn": "Standardisation meeting", "businessArea": "COORDINATION",
                                                  "budget": "150000.5"}}, sec, z)
    assert item["budget"] == "150000.50" and item["seq"] == 1 and item["source"] == "OFFICE"

    # 办法 第十条(二)(三): the approved project joins the plan when it is approved
    project_id = await proposed_project(api, z, council.reps[1])
    approved = await mutate(api, APPROVE_PROJECT, {"id": project_id}, council.director, z)
    assert approved["state"] == "APPROVED", approved

    meeting_id = await meeting(api, council)
    plan_motion = await motion(api, council, meeting_id, "关于2026年度工作计划的决议")
    submitted = await mutate(api, SUBMIT_PLAN, {"input": {"planId": plan["id"], "motionId": plan_motion}}, sec, z)
    assert submitted["state"] == "SUBMITTED" and submitted["motionId"] == plan_motion
    items = [e["node"] for e in submitted["items"]["edges"]]
    assert [(i["seq"], i["source"]) for i in items] == [(1, "OFFICE"), (2, "PROJECT")]
    assert items[1]["project"] == {"id": project_id, "state": "APPROVED"} and items[1]["progress"] == "NOT_STARTED"

    # before the vote, the plan is the office's: not public
    assert (await api.gql(PLANS, {"zone": z}))["annualPlans"]["totalCount"] == 0
    early = await mutate(api, ADOPT_PLAN, {"id": plan["id"]}, sec, z)
    assert early["__typename"] == "Conflict" and "未获通过" in early["messageZh"]
    await vote(api, council, plan_motion)
    adopted = await mutate(api, ADOPT_PLAN, {"id": plan["id"]}, sec, z)
    assert adopted["state"] == "ADOPTED", adopted
    public = (await api.gql(PLANS, {"zone": z, "year": 2026}))["annualPlans"]
    assert public["totalCount"] == 1
    assert [e["node"]["source"] for e in public["edges"][0]["node"]["items"]["edges"]] == ["OFFICE", "PROJECT"]

    # a project approved after adoption still joins the (adopted) plan
    later = await proposed_project(api, z, council.reps[2], "生猪溯源编码规则")
    await mutate(api, APPROVE_PROJECT, {"id": later}, sec, z)
    public = (await api.gql(PLANS, {"zone": z, "year": 2026}))["annualPlans"]
    assert len(public["edges"][0]["node"]["items"]["edges"]) == 3

    # funds: budget, income past 2^31 fen, spending against the plan item
    for line in ({"incomeSource": "HOST_UNIT", "amount": "30000000.00"},
                 {"incomeSource": "MEMBER_UNIT", "amount": "25000000"},
                 {"businessArea": "COORDINATION", "amount": "200000.00"}):
        set_line = await mutate(api, BUDGET, {"input": {"year": 2026, **line}}, sec, z)
        assert set_line["__typename"] == "FundBudgetLine", set_line
    host = await mutate(api, INCOME, {"input": {"bookedOn": "2026-02-10", "amount": "21474836.48",
                                                "source": "HOST_UNIT", "description": "承担单位年度投入"}}, sec, z)
    assert host["amount"] == "21474836.48" and host["year"] == 2026, host
    member = await mutate(api, INCOME, {"input": {"bookedOn": "2026-02-11", "amount": "0.01", "source": "MEMBER_UNIT",
                                                  "payerMemberUnitId": council.unit(3), "description": "会员单位投入"}},
                          sec, z)
    assert member["payerMemberUnitId"] == council.unit(3)
    paid = await mutate(api, SPEND, {"input": {
        "bookedOn": "2026-03-01", "amount": "12345.67", "businessArea": "COORDINATION", "nature": "PAYMENT_FOR_WORK",
        "planItemId": item["id"], "payeeMemberUnitId": council.unit(4), "description": "专题会议会务（成员单位承办）"}},
        sec, z)
    assert paid["__typename"] == "FundEntry" and paid["planItemId"] == item["id"], paid
    execution = (await api.gql(EXECUTION, {"year": 2026}, user=council.director, zone=z))["fundExecution"]
    assert execution["incomeTotal"] == "21474836.49" and execution["spendingTotal"] == "12345.67"
    assert execution["balance"] == "21462490.82" and execution["incomeBudget"] == "55000000.00"
    assert execution["income"][0] == {"incomeSource": "HOST_UNIT", "nameZh": "创新基地承担单位投入的经费",
                                      "budget": "30000000.00", "actual": "21474836.48", "perMille": 715}
    assert execution["spending"][0] == {"businessArea": "COORDINATION", "budget": "200000.00",
                                        "actual": "12345.67", "perMille": 61}
    assert execution["items"][0] == {"planItemId": item["id"], "seq": 1, "spent": "12345.67", "budget": "150000.50"}
    first = (await api.gql(ENTRIES, {"year": 2026}, user=sec, zone=z))["fundEntries"]
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"]
    rest = (await api.gql(ENTRIES, {"year": 2026, "after": first["pageInfo"]["endCursor"]}, user=sec, zone=z))
    assert [e["node"]["amount"] for e in rest["fundEntries"]["edges"]] == ["12345.67"]

    # both reports: drafted, put to motions, adopted, disclosed
    work = await mutate(api, DRAFT_REPORT, {"input": {"year": 2026, "kind": "WORK", "textZh": "本年度工作总结。",
                                                      "textEn": "The year's work."}}, sec, z)
    money = await mutate(api, DRAFT_REPORT, {"input": {"year": 2026, "kind": "FINANCIAL", "textZh": "本年度财务情况。",
                                                       "textEn": "The year's finances."}}, sec, z)
    assert work["workFigures"]["planItems"] == 3 and money["financialFigures"]["incomeTotal"] == "21474836.49"
    assert (await api.gql(DISCLOSURES, {"zone": z}))["annualDisclosures"]["totalCount"] == 0
    assert (await api.gql(REPORTS))["annualReports"]["totalCount"] == 0  # drafts are the office's
    work_motion = await motion(api, council, meeting_id, "审议年度工作报告")
    money_motion = await motion(api, council, meeting_id, "审议年度财务报告")
    for report, motion_id in ((work, work_motion), (money, money_motion)):
        sent = await mutate(api, SUBMIT_REPORT, {"input": {"reportId": report["id"], "motionId": motion_id}}, sec, z)
        assert sent["state"] == "SUBMITTED", sent
        await vote(api, council, motion_id)
        done = await mutate(api, ADOPT_REPORT, {"id": report["id"]}, council.director, z)
        assert done["state"] == "ADOPTED", done
    # the books of 2026 closed with the financial report
    closed = await mutate(api, INCOME, {"input": {"bookedOn": "2026-03-01", "amount": "1.00", "source": "HOST_UNIT",
                                                  "description": "补记"}}, sec, z)
    assert closed["__typename"] == "Conflict" and "结账" in closed["messageZh"]

    disclosed = (await api.gql(DISCLOSURES, {"zone": z, "year": 2026}))["annualDisclosures"]
    assert disclosed["totalCount"] == 2
    by_kind = {e["node"]["kind"]: e["node"] for e in disclosed["edges"]}
    assert by_kind["WORK"]["workFigures"]["councilGeneralMeetings"] == 1
    assert by_kind["WORK"]["workFigures"]["motionsPassed"] == 1  # counted when submitted: the plan's motion
    assert by_kind["WORK"]["workFigures"]["projectsTotal"] == 2
    assert by_kind["FINANCIAL"]["financialFigures"]["incomeTotal"] == "21474836.49"
    assert by_kind["FINANCIAL"]["financialFigures"]["items"][0]["spent"] == "12345.67"
    assert by_kind["FINANCIAL"]["textEn"] == "The year's finances."
    # another zone's member reads the disclosures too
    await api.add_user("gz-member", "guizhou", "member")
    other = (await api.gql(DISCLOSURES, {"zone": z}, user="gz-member", zone="guizhou"))["annualDisclosures"]
    assert other["totalCount"] == 2
