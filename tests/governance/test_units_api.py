"""Council member units through the HTTP API, on both databases (章程 第十条, 第十一条, 第十四条)."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.governance import units
from ecozone.governance.models import Officer
from ecozone.notifications.models import Notification
from sqlalchemy import func, select

from tests.governance.units_client import (
    APPLICATION,
    APPLY,
    DECIDE,
    DELEGATE,
    EXIT,
    FOUND,
    HEAD,
    LIST,
    NODE,
    ONE,
    TODAY,
    add_motion,
    add_units,
    apply,
    decide,
    frozen_today,  # noqa: F401 - a fixture
    make_uscc,
    people,  # noqa: F401 - a fixture
    with_wrong_check,
    zone_id,
)
from tests.support.api import gid

# ---------------------------------------------------------------------------- applying (第十条)


async def test_a_signed_in_user_applies_and_the_secretariat_is_told(people):
    unit = await apply(people, uscc=" " + APPLICATION["uscc"][:9] + "-" + APPLICATION["uscc"][9:].lower())
    assert unit["__typename"] == "CouncilMemberUnit", unit
    assert unit["state"] == "APPLICANT" and unit["joinedOn"] is None
    assert unit["uscc"] == APPLICATION["uscc"]  # normalised
    assert unit["appliedOn"] == TODAY.isoformat()
    assert unit["representativeName"] == "林青"
    assert (unit["unitTypeNameZh"], unit["unitTypeNameEn"]) == ("企业", "Enterprise")

    async def secretary_inbox(session):
        return await session.scalar(select(func.count()).select_from(Notification).where(
            Notification.user_id == people.users["jx-secretary"], Notification.kind == "council_unit.applied"))
    assert await people.operator(secretary_inbox) == 1


async def test_anonymous_cannot_apply(people):
    result = (await people.post(APPLY, {"input": APPLICATION}, zone="jiangxi")).json()["data"]
    assert result["applyForCouncilMembership"]["__typename"] == "PermissionDenied"
    assert "登录" in result["applyForCouncilMembership"]["messageZh"]


async def test_a_wrong_check_character_is_refused_in_both_languages(people):
    result = await apply(people, uscc=with_wrong_check(APPLICATION["uscc"]), nameZh=" ", unitType="ENTERPRISE")
    assert result["__typename"] == "ValidationFailed"
    errors = {e["field"]: e for e in result["fieldErrors"]}
    assert errors["uscc"]["code"] == "checksum"
    assert APPLICATION["uscc"][-1] in errors["uscc"]["message"] and "校验码" in errors["uscc"]["messageZh"]
    assert errors["nameZh"]["code"] == "length"
    short = await apply(people, uscc="91360100")
    assert short["fieldErrors"][0]["code"] == "length"


async def test_a_code_already_on_record_in_the_zone_is_a_conflict_but_not_in_another_zone(people):
    assert (await apply(people))["__typename"] == "CouncilMemberUnit"
    again = await apply(people, user="jx-member", nameZh="另一家公司")
    assert again["__typename"] == "Conflict"
    assert APPLICATION["uscc"] in again["message"] and "赣江生态茶业" in again["messageZh"]
    elsewhere = await apply(people, user="gz-secretary", zone="guizhou")
    assert elsewhere["__typename"] == "CouncilMemberUnit"


# ---------------------------------------------------------------------------- founding units (bootstrap)


async def test_the_secretariat_registers_a_founding_unit(people):
    data = {**APPLICATION, "joinedOn": "2024-12-30"}
    unit = (await people.gql(FOUND, {"input": data}, user="jx-secretary", zone="jiangxi"))[
        "registerFoundingCouncilUnit"]
    assert unit["state"] == "ACTIVE" and unit["joinedOn"] == "2024-12-30" and unit["decisions"] == []
    for user in ("jx-member", "jx-director", "jx-applicant"):
        denied = (await people.gql(FOUND, {"input": {**data, "uscc": make_uscc(2)}}, user=user, zone="jiangxi"))
        assert denied["registerFoundingCouncilUnit"]["__typename"] == "PermissionDenied"
    future = (await people.gql(FOUND, {"input": {**data, "uscc": make_uscc(3), "joinedOn": "2025-06-03"}},
                               user="jx-secretary", zone="jiangxi"))["registerFoundingCouncilUnit"]
    assert future["__typename"] == "ValidationFailed" and future["fieldErrors"][0]["field"] == "joinedOn"


# ---------------------------------------------------------------------------- deciding (第十条)


async def test_the_general_meeting_admits_an_applicant_and_the_applicant_is_told(people):
    unit = await apply(people)
    motion = await add_motion(people, "jiangxi", meets_on=TODAY)
    admitted = await decide(people, unit["id"], motion)
    assert admitted["state"] == "ACTIVE" and admitted["joinedOn"] == TODAY.isoformat()
    assert admitted["decisions"] == [{"decision": "ADMIT", "decidedOn": TODAY.isoformat(), "reason": None,
                                      "motion": gid("CouncilMotion", motion)}]

    async def applicant_inbox(session):
        return (await session.scalars(select(Notification.kind).where(
            Notification.user_id == people.users["jx-applicant"]))).all()
    assert await people.operator(applicant_inbox) == ["council_unit.admit"]
    again = await decide(people, unit["id"], motion)
    assert again["__typename"] == "Conflict" and again["code"] == "illegal_transition"


async def test_the_general_meeting_rejects_an_applicant(people):
    unit = await apply(people)
    result = (await people.gql(DECIDE, {"input": {"unitId": unit["id"], "admit": False, "reason": "材料不全",
                                                  "motionId": gid("CouncilMotion", await add_motion(people, "jiangxi"))}},
                               user="jx-secretary", zone="jiangxi"))["decideCouncilApplication"]
    assert result["state"] == "REJECTED" and result["joinedOn"] is None
    # a unit turned down may apply again: the same record reopens, its history kept
    again = await apply(people, nameZh="赣江生态茶业（重新申请）")
    assert again["__typename"] == "CouncilMemberUnit" and again["id"] == result["id"]
    assert again["state"] == "APPLICANT" and again["nameZh"] == "赣江生态茶业（重新申请）"
    assert [d["decision"] for d in again["decisions"]] == ["REJECT"]
    pending = await apply(people)  # but not while the application is pending
    assert pending["__typename"] == "Conflict"
    assert result["decisions"][0]["decision"] == "REJECT" and result["decisions"][0]["reason"] == "材料不全"


@pytest.mark.parametrize(("motion_kind", "motion_state", "expected"), [
    ("general", "failed", "has not passed"),
    ("general", "voting", "has not passed"),
    ("ad_hoc", "passed", "general meeting"),
])
async def test_deciding_needs_a_passed_motion_of_a_general_meeting(people, motion_kind, motion_state, expected):
    unit = await apply(people)
    result = await decide(people, unit["id"], await add_motion(people, "jiangxi", kind=motion_kind,
                                                               state=motion_state))
    assert result["__typename"] == "Conflict" and expected in result["message"]
    still = (await people.gql(ONE, {"id": unit["id"]}, user="jx-secretary", zone="jiangxi"))["councilMemberUnit"]
    assert still["state"] == "APPLICANT" and still["decisions"] == []


async def test_deciding_refusals_wrong_role_other_zone_motion_other_zone_unit(people):
    unit = await apply(people)
    motion = await add_motion(people, "jiangxi")
    assert (await decide(people, unit["id"], motion, user="jx-member"))["__typename"] == "PermissionDenied"
    assert (await decide(people, unit["id"], motion, user="jx-director"))["__typename"] == "PermissionDenied"
    guizhou_motion = await add_motion(people, "guizhou")
    assert (await decide(people, unit["id"], guizhou_motion))["__typename"] == "NotFound"
    # Guizhou's secretary, with a Guizhou motion, cannot reach a Jiangxi unit.
    assert (await decide(people, unit["id"], guizhou_motion, user="gz-secretary", zone="guizhou")
            )["__typename"] == "NotFound"
    # a meeting held before the application cannot have decided it
    early = await add_motion(people, "jiangxi", meets_on=dt.date(2025, 1, 1))
    assert "before the application" in (await decide(people, unit["id"], early))["message"]
    bad_id = (await people.gql(DECIDE, {"input": {"unitId": gid("Expert", 1), "admit": True,
                                                  "motionId": gid("CouncilMotion", motion)}},
                               user="jx-secretary", zone="jiangxi"))["decideCouncilApplication"]
    assert bad_id["__typename"] == "NotFound" and bad_id["message"].startswith("unitId")


# ---------------------------------------------------------------------------- representative (第十一条)


async def test_the_representative_follows_the_head_and_a_delegation_lapses(people):
    [unit_id] = await add_units(people, "jiangxi", 1, head_user_id=None)
    unit = gid("CouncilMemberUnit", unit_id)
    delegated = (await people.gql(DELEGATE, {"input": {"unitId": unit, "delegateName": "副总经理王敏",
                                                       "delegateUserId": gid("User", people.users["jx-deputy"])}},
                                  user="jx-secretary", zone="jiangxi"))["delegateCouncilRepresentative"]
    assert delegated["representativeName"] == "副总经理王敏" and delegated["delegateName"] == "副总经理王敏"

    async def represented(user):
        return await people.operator(lambda s: units.represented_unit(s, people.users[user]))
    assert (await represented("jx-deputy")).id == unit_id

    changed = (await people.gql(HEAD, {"input": {"unitId": unit, "headName": "新任总经理赵强",
                                                 "headUserId": gid("User", people.users["jx-head"])}},
                                user="jx-secretary", zone="jiangxi"))["changeCouncilUnitHead"]
    assert changed["headName"] == "新任总经理赵强"
    assert changed["representativeName"] == "新任总经理赵强" and changed["delegateName"] is None
    assert (await represented("jx-head")).id == unit_id
    assert await represented("jx-deputy") is None

    # a delegation can be recorded again, and cleared
    await people.gql(DELEGATE, {"input": {"unitId": unit, "delegateName": "王敏"}}, user="jx-secretary",
                     zone="jiangxi")
    cleared = (await people.gql(DELEGATE, {"input": {"unitId": unit, "delegateName": None}},
                                user="jx-secretary", zone="jiangxi"))["delegateCouncilRepresentative"]
    assert cleared["representativeName"] == "新任总经理赵强" and cleared["delegateName"] is None


async def test_head_and_delegate_refusals(people):
    [unit_id] = await add_units(people, "jiangxi", 1)
    unit = gid("CouncilMemberUnit", unit_id)
    for user, zone, expected in (("jx-member", "jiangxi", "PermissionDenied"),
                                 ("gz-secretary", "guizhou", "NotFound")):
        result = await people.gql(HEAD, {"input": {"unitId": unit, "headName": "某人"}}, user=user, zone=zone)
        assert result["changeCouncilUnitHead"]["__typename"] == expected
    blank = await people.gql(HEAD, {"input": {"unitId": unit, "headName": "  "}}, user="jx-secretary", zone="jiangxi")
    assert blank["changeCouncilUnitHead"]["__typename"] == "ValidationFailed"
    nobody = await people.gql(DELEGATE, {"input": {"unitId": unit, "delegateName": "某人",
                                                   "delegateUserId": gid("User", 99999)}},
                              user="jx-secretary", zone="jiangxi")
    assert nobody["delegateCouncilRepresentative"]["fieldErrors"][0]["field"] == "delegateUserId"


# ---------------------------------------------------------------------------- exit (第十四条)

EXIT_DECISIONS = """query($id: ID!) { councilMemberUnit(id: $id) { ... on CouncilMemberUnit {
  decisions { decision exitReason exitReasonNameZh exitReasonNameEn exitNote } } } }"""


async def exit_decisions(api, unit: str) -> list[dict]:
    """The unit's decisions as a client shows an exit in either language: code, both names, note."""
    return (await api.gql(EXIT_DECISIONS, {"id": unit}, user="jx-member", zone="jiangxi"))[
        "councilMemberUnit"]["decisions"]


async def test_removal_needs_the_councils_passed_motion_and_ends_the_units_offices(people):
    [unit_id] = await add_units(people, "jiangxi", 1)
    unit = gid("CouncilMemberUnit", unit_id)
    zid = await zone_id(people, "jiangxi")

    async def officer(session):
        row = Officer(zone_id=zid, member_unit_id=unit_id, person_name="常任理事甲", birth_date=dt.date(1970, 1, 1),
                      office="standing_director", term_start=dt.date(2024, 1, 10), term_end=dt.date(2027, 1, 9))
        session.add(row)
        await session.flush()
        return row.id
    officer_id = await people.operator(officer)

    missing = (await people.gql(EXIT, {"input": {"unitId": unit, "reason": "INACTIVE"}},
                                user="jx-secretary", zone="jiangxi"))["exitCouncilUnit"]
    assert missing["__typename"] == "ValidationFailed" and missing["fieldErrors"][0]["field"] == "motionId"
    failed = await add_motion(people, "jiangxi", state="failed", kind="ad_hoc")
    refused = (await people.gql(EXIT, {"input": {"unitId": unit, "reason": "MISCONDUCT",
                                                 "motionId": gid("CouncilMotion", failed)}},
                                user="jx-secretary", zone="jiangxi"))["exitCouncilUnit"]
    assert refused["__typename"] == "Conflict"
    denied = (await people.gql(EXIT, {"input": {"unitId": unit, "reason": "VOLUNTARY"}},
                               user="jx-director", zone="jiangxi"))["exitCouncilUnit"]
    assert denied["__typename"] == "PermissionDenied"

    passed = await add_motion(people, "jiangxi", kind="ad_hoc", meets_on=dt.date(2025, 5, 28))
    exited = (await people.gql(EXIT, {"input": {"unitId": unit, "reason": "INACTIVE", "note": "两年未参加活动",
                                                "motionId": gid("CouncilMotion", passed)}},
                               user="jx-secretary", zone="jiangxi"))["exitCouncilUnit"]
    assert exited["state"] == "EXITED" and exited["exitedOn"] == "2025-05-28"
    [decision] = exited["decisions"]
    assert decision["decision"] == "EXIT" and "Article 14(1)" in decision["reason"] and "两年" in decision["reason"]
    assert await exit_decisions(people, unit) == [{
        "decision": "EXIT", "exitReason": "INACTIVE", "exitNote": "两年未参加活动",
        "exitReasonNameZh": "不履行成员单位职责，一年内未参加理事会任何活动（章程第十四条(一)）",
        "exitReasonNameEn": "inactive for a year (Council Charter, Article 14(1))"}]

    async def officer_state(session):
        row = await session.get(Officer, officer_id)
        return row.state, row.ended_on
    assert await people.operator(officer_state) == ("ended", dt.date(2025, 5, 28))
    again = (await people.gql(EXIT, {"input": {"unitId": unit, "reason": "VOLUNTARY"}},
                              user="jx-secretary", zone="jiangxi"))["exitCouncilUnit"]
    assert again["__typename"] == "Conflict" and again["code"] == "illegal_transition"


async def test_a_unit_leaving_of_its_own_accord_needs_no_motion(people):
    [unit_id] = await add_units(people, "jiangxi", 1)
    exited = (await people.gql(EXIT, {"input": {"unitId": gid("CouncilMemberUnit", unit_id), "reason": "VOLUNTARY"}},
                               user="jx-secretary", zone="jiangxi"))["exitCouncilUnit"]
    assert exited["state"] == "EXITED" and exited["exitedOn"] == TODAY.isoformat()
    assert exited["decisions"][0]["motion"] is None
    assert await exit_decisions(people, gid("CouncilMemberUnit", unit_id)) == [{
        "decision": "EXIT", "exitReason": "VOLUNTARY", "exitNote": None,
        "exitReasonNameZh": "主动提出退出（章程第十四条(三)）",
        "exitReasonNameEn": "left of its own accord (Council Charter, Article 14(3))"}]


async def test_only_an_exit_has_an_exit_reason(people):
    """An admission's free-text reason that reads like an exit's is still not one."""
    unit = await apply(people)
    admitted = (await people.gql(DECIDE, {"input": {"unitId": unit["id"], "admit": True, "reason": "inactive: no",
                                                    "motionId": gid("CouncilMotion", await add_motion(people, "jiangxi"))}},
                                 user="jx-secretary", zone="jiangxi"))["decideCouncilApplication"]
    assert admitted["state"] == "ACTIVE"
    assert await exit_decisions(people, unit["id"]) == [{"decision": "ADMIT", "exitReason": None, "exitNote": None,
                                                         "exitReasonNameZh": None, "exitReasonNameEn": None}]


@pytest.mark.parametrize(("stored", "read"), [
    (units.exit_reason_text("misconduct", " 以成员单位名义收费 — 两次 "), ("misconduct", "以成员单位名义收费 — 两次")),
    (units.exit_reason_text("unsuitable", None), ("unsuitable", None)),
    ("unsuitable: an older label (Council Charter, Article 14(3)) — 说明", (
        "unsuitable", "an older label (Council Charter, Article 14(3)) — 说明")),  # a reworded label: kept, not lost
    ("left: not a code", None), ("", None), (None, None),
])
def test_the_stored_exit_reason_reads_back_as_its_code_and_note(stored, read):
    assert units.split_exit_reason(stored) == read


# ---------------------------------------------------------------------------- reading, and zone isolation


async def test_the_zones_council_reads_its_units_page_by_page(people):
    await add_units(people, "jiangxi", 3)
    await apply(people)
    for user in ("jx-secretary", "jx-director", "jx-member"):
        data = (await people.gql(LIST, {"first": 2}, user=user, zone="jiangxi"))["councilMemberUnits"]
        assert data["totalCount"] == 4 and data["pageInfo"]["hasNextPage"]
    active = (await people.gql(LIST, {"state": "ACTIVE", "first": 2}, user="jx-member", zone="jiangxi"))[
        "councilMemberUnits"]
    nxt = (await people.gql(LIST, {"state": "ACTIVE", "first": 2, "after": active["pageInfo"]["endCursor"]},
                            user="jx-member", zone="jiangxi"))["councilMemberUnits"]
    names = [e["node"]["nameZh"] for e in active["edges"] + nxt["edges"]]
    assert names == ["成员单位100", "成员单位101", "成员单位102"]
    empty = (await people.gql(LIST, {"first": 0}, user="jx-member", zone="jiangxi"))["councilMemberUnits"]
    assert empty["__typename"] == "ValidationFailed"
    for user in ("jx-applicant", None):
        response = (await people.post(LIST, user=user, zone="jiangxi")).json()["data"]
        assert response["councilMemberUnits"]["__typename"] == "PermissionDenied"


async def test_another_zone_never_sees_the_units(people):
    [unit_id] = await add_units(people, "jiangxi", 1)
    unit = gid("CouncilMemberUnit", unit_id)
    assert (await people.gql(NODE, {"id": unit}, user="jx-member", zone="jiangxi"))["node"]["nameZh"] == "成员单位100"
    listed = (await people.gql(LIST, user="gz-secretary", zone="guizhou"))["councilMemberUnits"]
    assert listed["totalCount"] == 0
    assert (await people.gql(NODE, {"id": unit}, user="gz-secretary", zone="guizhou"))["node"] is None
    assert (await people.gql(ONE, {"id": unit}, user="gz-secretary", zone="guizhou"))["councilMemberUnit"][
        "__typename"] == "NotFound"
    # Jiangxi's secretary holds no role in Guizhou: may not act there at all
    await people.zone_refused(LIST, user="jx-secretary", zone="guizhou")
    assert (await people.gql(NODE, {"id": unit}))["node"] is None  # anonymous
    assert (await people.gql(NODE, {"id": unit}, user="jx-applicant", zone="jiangxi"))["node"] is None


async def test_several_refused_council_lists_in_one_request(people):
    """Each denial is audited in the request's transaction, even when the fields resolve together."""
    query = """{ councilMemberUnits { __typename } councilOfficers { __typename }
                 inactiveCouncilUnits { __typename } expiringCouncilOfficers { __typename } }"""
    for user in ("jx-applicant", None):
        data = await people.gql(query, user=user, zone="jiangxi")
        assert {v["__typename"] for v in data.values()} == {"PermissionDenied"}
