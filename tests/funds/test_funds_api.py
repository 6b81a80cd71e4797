"""The funds through HTTP on both databases: what a hostile or mistaken client sends (numbers for
money, negative amounts, a third decimal, foreign IDs, the wrong role) and 办法 第十四条."""

from __future__ import annotations

import pytest

from tests.annual.support import (
    ADD_ITEM,
    ADOPT_PLAN,
    BUDGET,
    ENTRIES,
    EXECUTION,
    INCOME,
    REVERSE,
    SPEND,
    SUBMIT_PLAN,
    draft_plan,
    meeting,
    motion,
    mutate,
    vote,
)
from tests.governance.council_client import seed_council, today  # noqa: F401 - the frozen-clock fixture
from tests.support.api import gid


@pytest.fixture
async def council(api, today):  # noqa: F811
    return await seed_council(api)


def spending(**changes) -> dict:
    return {"input": {"bookedOn": "2026-03-01", "amount": "100.00", "businessArea": "PROMOTION",
                      "nature": "PAYMENT_FOR_WORK", "payeeName": "某印刷厂", "description": "宣传册印制", **changes}}


@pytest.mark.parametrize(("amount", "code"), [
    (12.5, "format"), (100, "format"), ("-0.01", "negative"), ("-100", "negative"), ("0.001", "precision"),
    ("0.00", "zero"), ("1000000000000.00", "format"), ("1,000.00", "format"), ("NaN", "format")])
async def test_money_a_client_may_not_send(api, council, amount, code):
    bad = await mutate(api, SPEND, spending(amount=amount), council.secretary, council.zone)
    assert bad["__typename"] == "ValidationFailed", bad
    assert [(e["field"], e["code"]) for e in bad["fieldErrors"]] == [("amount", code)]


async def test_a_float_literal_in_the_document_is_refused_too(api, council):
    query = ("mutation { recordFundIncome(input: {bookedOn: \"2026-03-01\", amount: 0.1, source: HOST_UNIT, "
             "description: \"x\"}) { __typename ... on ValidationFailed { fieldErrors { field code } } } }")
    data = await api.gql(query, user=council.secretary, zone=council.zone)
    assert data["recordFundIncome"]["fieldErrors"] == [{"field": "amount", "code": "format"}]


async def test_article_14(api, council):
    z, sec = council.zone, council.secretary
    for changes in ({"nature": "DISTRIBUTION"},
                    {"nature": "DISTRIBUTION", "payeeMemberUnitId": council.unit(2)},
                    {"payeeMemberUnitId": council.unit(2)},                      # no plan item: a share-out
                    {"nature": "OPERATING", "payeeMemberUnitId": council.unit(2)},
                    {"payeeName": "测试成员单位3"},                               # the unit by its name
                    {"payeeName": "test member unit 3"}):
        refused = await mutate(api, SPEND, spending(**changes), sec, z)
        assert refused["__typename"] == "ArticleRefusal", (changes, refused)
        assert "第十四条" in refused["articleZh"] and "Article 14" in refused["articleEn"]
    assert (await api.gql(ENTRIES, {"year": 2026}, user=sec, zone=z))["fundEntries"]["totalCount"] == 0
    # paid for a task of the plan, a member unit is paid for work
    plan = await draft_plan(api, council)
    item = await mutate(api, ADD_ITEM, {"input": {"planId": plan["id"], "titleZh": "标准宣贯会", "titleEn": "Promotion"}},
                        sec, z)
    ok = await mutate(api, SPEND, spending(payeeMemberUnitId=council.unit(2), planItemId=item["id"]), sec, z)
    assert ok["__typename"] == "FundEntry" and ok["payeeMemberUnitId"] == council.unit(2)


async def test_foreign_and_forged_ids(api, council):
    z, sec = council.zone, council.secretary
    other = await seed_council(api, zone="guizhou", prefix="gz")
    # Guizhou's adopted plan is public, but its items are not Jiangxi's to pay for
    plan = await draft_plan(api, other)
    item = await mutate(api, ADD_ITEM, {"input": {"planId": plan["id"], "titleZh": "贵州任务", "titleEn": "Task"}},
                        other.secretary, other.zone)
    gz_motion = await motion(api, other, await meeting(api, other))
    await mutate(api, SUBMIT_PLAN, {"input": {"planId": plan["id"], "motionId": gz_motion}}, other.secretary, other.zone)
    await vote(api, other, gz_motion)
    assert (await mutate(api, ADOPT_PLAN, {"id": plan["id"]}, other.secretary, other.zone))["state"] == "ADOPTED"
    for changes in ({"planItemId": item["id"]}, {"payeeMemberUnitId": other.unit(0)},
                    {"planItemId": gid("AnnualPlanItem", 999999)}, {"payeeMemberUnitId": gid("AnnualPlan", 1)},
                    {"planItemId": "%%%"}):
        refused = await mutate(api, SPEND, spending(**changes), sec, z)
        assert refused["__typename"] == "NotFound", (changes, refused)
    income = await mutate(api, INCOME, {"input": {"bookedOn": "2026-03-01", "amount": "5.00", "source": "MEMBER_UNIT",
                                                  "payerMemberUnitId": other.unit(1), "description": "x"}}, sec, z)
    assert income["__typename"] == "NotFound"


async def test_bookings_checked(api, council):
    z, sec = council.zone, council.secretary
    future = await mutate(api, SPEND, spending(bookedOn="2026-03-03"), sec, z)  # the clock says 2 March 2026
    assert [(e["field"], e["code"]) for e in future["fieldErrors"]] == [("bookedOn", "future")]
    blank = await mutate(api, INCOME, {"input": {"bookedOn": "2026-03-01", "amount": "5", "source": "OTHER_LAWFUL",
                                                 "description": " "}}, sec, z)
    assert {(e["field"], e["code"]) for e in blank["fieldErrors"]} == {("description", "required"),
                                                                         ("payerName", "required")}
    member_money = await mutate(api, INCOME, {"input": {"bookedOn": "2026-03-01", "amount": "5", "source": "MEMBER_UNIT",
                                                        "description": "会费"}}, sec, z)
    assert [e["field"] for e in member_money["fieldErrors"]] == ["payerMemberUnitId"]
    both = await mutate(api, BUDGET, {"input": {"year": 2026, "amount": "5", "incomeSource": "HOST_UNIT",
                                                "businessArea": "TALENT"}}, sec, z)
    neither = await mutate(api, BUDGET, {"input": {"year": 2026, "amount": "5"}}, sec, z)
    assert both["__typename"] == neither["__typename"] == "ValidationFailed"
    negative = await mutate(api, BUDGET, {"input": {"year": 2026, "amount": "-5", "businessArea": "TALENT"}}, sec, z)
    assert negative["fieldErrors"][0]["code"] == "negative"


async def test_only_the_office_keeps_and_reads_the_books(api, council):
    z = council.zone
    await api.add_user("jx-expert", z, "expert")
    for user in (council.reps[0], "jx-expert", None):
        denied = await api.gql(INCOME, {"input": {"bookedOn": "2026-03-01", "amount": "5.00", "source": "HOST_UNIT",
                                                  "description": "x"}}, user=user, zone=z if user else None)
        assert denied["recordFundIncome"]["__typename"] == "PermissionDenied"
        for query in (EXECUTION, ENTRIES):
            data = await api.gql(query, {"year": 2026}, user=user, zone=z if user else None)
            assert next(iter(data.values()))["code"] == "permission_denied"
    await mutate(api, INCOME, {"input": {"bookedOn": "2026-03-01", "amount": "5.00", "source": "HOST_UNIT",
                                         "description": "x"}}, council.secretary, z)
    # another zone's office reads its own books: Jiangxi's entry is not in them
    await api.add_user("gz-director", "guizhou", "director")
    theirs = await api.gql(EXECUTION, {"year": 2026}, user="gz-director", zone="guizhou")
    assert theirs["fundExecution"]["entries"] == 0 and theirs["fundExecution"]["incomeTotal"] == "0.00"
    ours = await api.gql(EXECUTION, {"year": 2026}, user=council.director, zone=z)
    assert ours["fundExecution"]["incomeTotal"] == "5.00"



async def test_a_mistake_is_reversed_never_edited(api, council, today):  # noqa: F811
    import datetime as dt
    z, sec = council.zone, council.secretary
    wrong = await mutate(api, INCOME, {"input": {"bookedOn": "2026-02-01", "amount": "1000000.00", "source": "HOST_UNIT",
                                                 "description": "多记一个零"}}, sec, z)
    right = await mutate(api, INCOME, {"input": {"bookedOn": "2026-02-01", "amount": "100000.00", "source": "HOST_UNIT",
                                                 "description": "承担单位投入"}}, sec, z)
    blank = await mutate(api, REVERSE, {"id": wrong["id"], "reason": " "}, sec, z)
    assert blank["fieldErrors"] == [{"field": "reason", "code": "required"}]
    member = await mutate(api, REVERSE, {"id": wrong["id"], "reason": "多记"}, council.reps[0], z)
    assert member["__typename"] == "PermissionDenied"
    reversal = await mutate(api, REVERSE, {"id": wrong["id"], "reason": "金额多记一个零"}, sec, z)
    assert reversal["reversesEntryId"] == wrong["id"] and reversal["amount"] == "1000000.00"
    assert reversal["bookedOn"] == "2026-03-02" and reversal["year"] == 2026
    for target in (wrong["id"], reversal["id"]):  # once only; a reversal is not reversed
        again = await mutate(api, REVERSE, {"id": target, "reason": "再冲"}, sec, z)
        assert again["__typename"] == "Conflict", again
    execution = (await api.gql(EXECUTION, {"year": 2026}, user=sec, zone=z))["fundExecution"]
    assert execution["incomeTotal"] == right["amount"] == "100000.00" and execution["entries"] == 3
    other = await seed_council(api, zone="guizhou", prefix="gz")
    foreign = await mutate(api, REVERSE, {"id": right["id"], "reason": "跨区"}, other.secretary, other.zone)
    assert foreign["__typename"] == "NotFound"
    today.day = dt.date(2026, 3, 3)
    assert (await mutate(api, REVERSE, {"id": right["id"], "reason": "测试"}, sec, z))["bookedOn"] == "2026-03-03"
