"""The expert committee (办法 第九条; 章程 第九条(五)): terms at their bounds, and through HTTP on both
databases: verified experts appointed and dismissed by passed motions, opinions on a project by the
members on the committee that day; hostile inputs refused."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.committee import rules
from ecozone.experts.models import ExpertProfile
from ecozone.projects.models import Project
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


@pytest.mark.parametrize(("start", "end", "codes"), [
    (D(2026, 3, 20), D(2029, 3, 19), []),              # three years: the day before the third anniversary
    (D(2026, 3, 20), D(2029, 3, 20), ["range"]),
    (D(2026, 3, 19), D(2027, 3, 19), ["range"]),       # before the decision
    (D(2026, 4, 1), D(2026, 3, 31), ["range"]),        # ends before it begins
])
def test_term_errors(start, end, codes):
    assert [e.code for e in rules.term_errors(term_start=start, term_end=end, decided_on=D(2026, 3, 20))] == codes


@pytest.mark.parametrize(("state", "dismissed_on", "day", "member"), [
    ("appointed", None, D(2026, 4, 1), True), ("appointed", None, D(2026, 3, 31), False),
    ("appointed", None, D(2029, 3, 31), True), ("appointed", None, D(2029, 4, 1), False),
    ("dismissed", D(2027, 6, 30), D(2027, 6, 30), True), ("dismissed", D(2027, 6, 30), D(2027, 7, 1), False),
])
def test_is_member_on(state, dismissed_on, day, member):
    assert rules.is_member_on(state=state, term_start=D(2026, 4, 1), term_end=D(2029, 3, 31),
                              dismissed_on=dismissed_on, day=day) is member


MEMBER = """__typename ... on CouncilCommitteeMember { id state termStart termEnd dismissedOn appointedByMotion
  dismissedByMotion expert { nameZh } }
  ... on ValidationFailed { fieldErrors { field code } } ... on Failure { code message messageZh }"""
APPOINT = ("mutation($input: AppointCouncilCommitteeMemberInput!) { appointCouncilCommitteeMember(input: $input) { "
           + MEMBER + " } }")
DISMISS = ("mutation($input: DismissCouncilCommitteeMemberInput!) { dismissCouncilCommitteeMember(input: $input) { "
           + MEMBER + " } }")
OPINION = """mutation($input: RecordCouncilCommitteeOpinionInput!) { recordCouncilCommitteeOpinion(input: $input) {
  __typename ... on CouncilCommitteeOpinion { id subjectType subjectId givenOn members { id } }
  ... on ValidationFailed { fieldErrors { field code } } ... on Failure { code message } } }"""
MEMBERS = """query($on: Date) { councilCommitteeMembers(on: $on) { __typename
  ... on CouncilCommitteeMemberConnection { totalCount edges { node { expert { nameZh } } } } ... on Failure { code } } }"""
OPINIONS = """query($subject: ID) { councilCommitteeOpinions(subjectId: $subject) { __typename
  ... on CouncilCommitteeOpinionConnection { totalCount } ... on Failure { code } } }"""


@pytest.fixture
async def council(api, today):  # noqa: F811 - the imported fixture
    return await seed_council(api, units=9)


async def experts(api) -> dict[str, str]:
    for name in ("expert-a", "expert-b", "expert-c"):
        await api.add_user(name, "jiangxi", "expert")

    async def work(session):
        zone_id = await session.scalar(select(Zone.id).where(Zone.slug == "jiangxi"))
        rows = {name: ExpertProfile(user_id=api.users[user], home_zone_id=zone_id, name_zh=name, name_pinyin=pinyin,
                                    state=state)
                for name, user, pinyin, state in (("专家甲", "expert-a", "zhuan jia jia", "verified"),
                                                  ("专家乙", "expert-b", "zhuan jia yi", "verified"),
                                                  ("专家丙", "expert-c", "zhuan jia bing", "pending"))}
        session.add_all(rows.values())
        project = Project(zone_id=zone_id, kind="standard_development", title_zh="茶叶追溯标准研究",
                          title_en="Tea traceability", summary="研制茶叶追溯标准", proposer_id=api.users["expert-a"],
                          proposer_unit="测试成员单位1", lead_unit="测试成员单位1", state="proposed", year=2026)
        session.add(project)
        await session.flush()
        return {**{name: gid("Expert", row.id) for name, row in rows.items()}, "project": gid("Project", project.id)}
    return await api.operator(work)


async def appoint(api, council, expert: str, motion: str, start: D, end: D, user: str | None = None) -> dict:
    return (await api.gql(APPOINT, {"input": {"expertId": expert, "motionId": motion, "termStart": start.isoformat(),
                                              "termEnd": end.isoformat()}},
                          user=user or council.secretary, zone=council.zone))["appointCouncilCommitteeMember"]


async def test_the_council_appoints_and_dismisses_and_the_committee_gives_opinions(api, council, today):
    people = await experts(api)
    meeting = await opened_meeting(api, council, list(range(9)))  # 2026-03-20
    motion = await decide(api, council, meeting, "成立专家委员会并聘任委员")
    failed = await decide(api, council, meeting, "聘任（未通过）", passed=False)
    start, end = D(2026, 4, 1), D(2029, 3, 31)

    assert (await appoint(api, council, people["专家丙"], motion, start, end))["__typename"] == "Conflict"  # not verified
    assert (await appoint(api, council, people["专家甲"], failed, start, end))["__typename"] == "Conflict"
    assert (await appoint(api, council, people["专家甲"], gid("CouncilMotion", 999999), start, end))[
        "__typename"] == "NotFound"
    assert (await appoint(api, council, people["专家甲"], motion, start, end, user=council.reps[0]))[
        "__typename"] == "PermissionDenied"
    too_long = await appoint(api, council, people["专家甲"], motion, start, D(2029, 4, 1))
    assert too_long["__typename"] == "ValidationFailed"
    a = await appoint(api, council, people["专家甲"], motion, start, end)
    b = await appoint(api, council, people["专家乙"], motion, start, end)
    assert (a["state"], a["expert"]["nameZh"], a["appointedByMotion"]) == ("APPOINTED", "专家甲", motion), a
    twice = await appoint(api, council, people["专家甲"], motion, D(2027, 1, 1), D(2027, 12, 31))
    assert twice["__typename"] == "Conflict"

    today.day = D(2026, 5, 8)
    opinion = (await api.gql(OPINION, {"input": {"subjectId": people["project"], "givenOn": "2026-05-08",
                                                 "text": "建议补充茶园产地环境指标。", "memberIds": [a["id"], b["id"]]}},
                             user=council.secretary, zone=council.zone))["recordCouncilCommitteeOpinion"]
    assert (opinion["subjectType"], opinion["subjectId"], len(opinion["members"])) == ("PROJECT", people["project"], 2)
    early = (await api.gql(OPINION, {"input": {"subjectId": people["project"], "givenOn": "2026-03-31",
                                               "text": "聘期前的意见", "memberIds": [a["id"]]}},
                           user=council.secretary, zone=council.zone))["recordCouncilCommitteeOpinion"]
    assert early["__typename"] == "ValidationFailed" and early["fieldErrors"][0]["code"] == "not_member"
    forged = (await api.gql(OPINION, {"input": {"subjectId": gid("Project", 999999), "givenOn": "2026-05-08",
                                                "text": "x", "memberIds": [a["id"]]}},
                            user=council.secretary, zone=council.zone))["recordCouncilCommitteeOpinion"]
    assert forged["__typename"] == "NotFound"

    # dismissal (解聘) by a passed motion; the member is off the committee after the last day
    removal_meeting = await opened_meeting(api, council, list(range(9)), meets_on=D(2026, 6, 12))
    removal = await decide(api, council, removal_meeting, "解聘专家乙")
    today.day = D(2026, 6, 12)
    dismissed = (await api.gql(DISMISS, {"input": {"memberId": b["id"], "motionId": removal, "dismissedOn": "2026-06-30",
                                                   "reason": "工作调动，本人申请"}},
                               user=council.secretary, zone=council.zone))["dismissCouncilCommitteeMember"]
    assert (dismissed["state"], dismissed["dismissedOn"], dismissed["dismissedByMotion"]) == (
        "DISMISSED", "2026-06-30", removal)
    on_july = (await api.gql(MEMBERS, {"on": "2026-07-01"}, user=council.reps[0], zone=council.zone))[
        "councilCommitteeMembers"]
    assert [e["node"]["expert"]["nameZh"] for e in on_july["edges"]] == ["专家甲"]
    assert (await api.gql(OPINIONS, {"subject": people["project"]}, user=council.director, zone=council.zone))[
        "councilCommitteeOpinions"]["totalCount"] == 1
    await api.add_user("gz-secretary", "guizhou", "secretary")
    guizhou = (await api.gql(MEMBERS, {}, user="gz-secretary", zone="guizhou"))["councilCommitteeMembers"]
    assert guizhou["totalCount"] == 0  # zone-private: another zone's council has its own committee
    foreign = (await api.gql(DISMISS, {"input": {"memberId": a["id"], "motionId": removal, "dismissedOn": "2026-06-30",
                                                 "reason": "x"}}, user="gz-secretary", zone="guizhou"))
    assert foreign["dismissCouncilCommitteeMember"]["__typename"] == "NotFound"
