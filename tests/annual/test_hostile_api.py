"""Hostile and mistaken inputs to the plan and the reports, through HTTP on both databases: a
foreign zone's plan or motion, a motion of an ad hoc meeting, one not passed or already counted
or already used, the wrong role, and a past year's plan at the year's edge in China."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.annual.support import (
    ADD_ITEM,
    ADOPT_PLAN,
    APPROVE_PROJECT,
    DRAFT_PLAN,
    DRAFT_REPORT,
    PROGRESS,
    SUBMIT_PLAN,
    SUBMIT_REPORT,
    WITHDRAW_PLAN,
    draft_plan,
    meeting,
    motion,
    mutate,
    proposed_project,
    vote,
)
from tests.governance.council_client import seed_council, today  # noqa: F401 - the frozen-clock fixture
from tests.support.api import gid


@pytest.fixture
async def council(api, today):  # noqa: F811
    return await seed_council(api)


def item_input(plan_id: str, **extra) -> dict:
    return {"input": {"planId": plan_id, "titleZh": "标准宣贯", "titleEn": "Promotion", **extra}}


async def test_motions_that_do_not_adopt(api, council):
    z, sec = council.zone, council.secretary
    plan = await draft_plan(api, council)
    other = await seed_council(api, zone="guizhou", prefix="gz")
    foreign = await motion(api, other, await meeting(api, other))
    refused = await mutate(api, SUBMIT_PLAN, {"input": {"planId": plan["id"], "motionId": foreign}}, sec, z)
    assert refused["__typename"] == "NotFound", refused
    for forged in (gid("CouncilMotion", 2**31), gid("AnnualPlan", 1), "not-an-id"):
        forged_result = await mutate(api, SUBMIT_PLAN, {"input": {"planId": plan["id"], "motionId": forged}}, sec, z)
        assert forged_result["__typename"] == "NotFound", forged_result

    ad_hoc = await motion(api, council, await meeting(api, council, kind="AD_HOC"))
    article = await mutate(api, SUBMIT_PLAN, {"input": {"planId": plan["id"], "motionId": ad_hoc}}, sec, z)
    assert article["__typename"] == "ArticleRefusal" and "第十八条" in article["articleZh"], article

    general = await meeting(api, council)
    failing = await motion(api, council, general)
    sent = await mutate(api, SUBMIT_PLAN, {"input": {"planId": plan["id"], "motionId": failing}}, sec, z)
    assert sent["state"] == "SUBMITTED"
    frozen = await mutate(api, ADD_ITEM, item_input(plan["id"]), sec, z)
    assert frozen["__typename"] == "Conflict", frozen
    # one motion, one document
    report = await mutate(api, DRAFT_REPORT, {"input": {"year": 2026, "kind": "WORK", "textZh": "正文", "textEn": "Text"}},
                          sec, z)
    taken = await mutate(api, SUBMIT_REPORT, {"input": {"reportId": report["id"], "motionId": failing}}, sec, z)
    assert taken["__typename"] == "Conflict" and "一项议案只审议一份文件" in taken["messageZh"]
    await vote(api, council, failing, passes=False)
    not_passed = await mutate(api, ADOPT_PLAN, {"id": plan["id"]}, sec, z)
    assert not_passed["__typename"] == "Conflict" and "未获通过" in not_passed["messageZh"], not_passed
    # a motion already counted cannot take a document any more
    counted = await mutate(api, SUBMIT_REPORT, {"input": {"reportId": report["id"], "motionId": failing}}, sec, z)
    assert counted["__typename"] == "Conflict"
    back = await mutate(api, WITHDRAW_PLAN, {"id": plan["id"]}, sec, z)
    assert back["state"] == "DRAFT" and back["motionId"] is None
    again = await motion(api, council, general)
    await mutate(api, SUBMIT_PLAN, {"input": {"planId": plan["id"], "motionId": again}}, sec, z)
    await vote(api, council, again)
    assert (await mutate(api, ADOPT_PLAN, {"id": plan["id"]}, sec, z))["state"] == "ADOPTED"
    # adopted is adopted: no second adoption, no withdrawal
    assert (await mutate(api, WITHDRAW_PLAN, {"id": plan["id"]}, sec, z))["__typename"] == "Conflict"

    # Guizhou's office sees Jiangxi's adopted plan, and cannot touch it
    foreign_write = await mutate(api, ADOPT_PLAN, {"id": plan["id"]}, other.secretary, other.zone)
    assert foreign_write["__typename"] == "NotFound", foreign_write
    item = await mutate(api, ADD_ITEM, item_input(plan["id"]), other.secretary, other.zone)
    assert item["__typename"] == "NotFound"


async def test_who_may_draw_up_the_plan(api, council):
    z = council.zone
    for user in (council.reps[0], council.chair):
        denied = await mutate(api, DRAFT_PLAN, {"input": {"year": 2026}}, user, z)
        assert denied["__typename"] == "PermissionDenied" and denied["messageZh"].startswith("无权编制年度工作计划")
    anonymous = (await api.gql(DRAFT_PLAN, {"input": {"year": 2026}}))["draftAnnualPlan"]
    assert anonymous["__typename"] == "PermissionDenied"
    for year, code in ((2025, "range"), (2028, "range"), (1999, "range")):
        wrong = await mutate(api, DRAFT_PLAN, {"input": {"year": year}}, council.director, z)
        assert [e["code"] for e in wrong["fieldErrors"]] == [code]
    await draft_plan(api, council)
    twice = await mutate(api, DRAFT_PLAN, {"input": {"year": 2026}}, council.director, z)
    assert twice["__typename"] == "Conflict"


@pytest.mark.parametrize(("amount", "code"), [(12.5, "format"), (150000, "format"), ("-3.00", "negative"),
                                               ("1.005", "precision"), ("0", "zero"), ("1e6", "format")])
async def test_bad_item_budgets(api, council, amount, code):
    plan = await draft_plan(api, council)
    bad = await mutate(api, ADD_ITEM, item_input(plan["id"], budget=amount), council.secretary, council.zone)
    assert bad["__typename"] == "ValidationFailed" and [(e["field"], e["code"]) for e in bad["fieldErrors"]] == [
        ("budget", code)], bad


async def test_a_past_years_plan_is_read_only_from_midnight_in_china(api, council, today):  # noqa: F811
    z, sec = council.zone, council.secretary
    today.day = dt.date(2026, 12, 31)       # 23:59 on 31 December in Beijing is still 2026
    plan = await draft_plan(api, council)
    item = await mutate(api, ADD_ITEM, item_input(plan["id"]), sec, z)
    assert item["__typename"] == "AnnualPlanItem"
    done = await mutate(api, PROGRESS, {"input": {"itemId": item["id"], "progress": "DONE"}}, sec, z)
    assert done["progress"] == "DONE"
    today.day = dt.date(2027, 1, 1)         # 00:00 in Beijing: the 2026 plan is closed
    for query, variables in ((ADD_ITEM, item_input(plan["id"])),
                             (PROGRESS, {"input": {"itemId": item["id"], "progress": "DROPPED"}})):
        refused = await mutate(api, query, variables, sec, z)
        assert refused["__typename"] == "ArticleRefusal", refused
        assert "2026" in refused["messageZh"] and "第六条" in refused["articleZh"]
    general = await meeting(api, council, meets_on=dt.date(2027, 1, 20))
    late = await mutate(api, SUBMIT_PLAN, {"input": {"planId": plan["id"], "motionId": await motion(api, council, general)}},
                        sec, z)
    assert late["__typename"] == "ArticleRefusal"
    # a project approved now joins 2027's plan (a new draft), never the closed 2026 one
    project = await proposed_project(api, z, council.reps[1])
    await mutate(api, APPROVE_PROJECT, {"id": project}, sec, z)
    new = await mutate(api, DRAFT_PLAN, {"input": {"year": 2027}}, sec, z)
    assert new["__typename"] == "Conflict"  # the approval already created it


async def test_a_projects_item_follows_the_project(api, council):
    z, sec = council.zone, council.secretary
    project = await proposed_project(api, z, council.reps[1])
    await mutate(api, APPROVE_PROJECT, {"id": project}, sec, z)
    from tests.annual.support import PLANS
    plans = (await api.gql(PLANS, {"zone": z}, user=sec, zone=z))["annualPlans"]
    plan = plans["edges"][0]["node"]
    assert plan["state"] == "DRAFT" and plan["items"]["edges"][0]["node"]["source"] == "PROJECT"
    item_id = await _first_item_id(api, sec, z)
    refused = await mutate(api, PROGRESS, {"input": {"itemId": item_id, "progress": "DONE"}}, sec, z)
    assert refused["__typename"] == "Conflict" and "项目" in refused["messageZh"]


async def _first_item_id(api, user: str, zone: str) -> str:
    data = await api.gql("{ annualPlans { ... on AnnualPlanConnection { edges { node { items { edges { node { id } } } } } } } }",
                         user=user, zone=zone)
    return data["annualPlans"]["edges"][0]["node"]["items"]["edges"][0]["node"]["id"]
