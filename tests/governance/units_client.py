"""The member-unit tests' queries, people and set-up (units, applications, inactivity)."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.governance.models import Meeting, MemberUnit, Motion
from ecozone.tenancy.models import Zone
from sqlalchemy import select
from stdnum.cn import uscc as stdnum_uscc

from tests.support.api import gid

TODAY = dt.date(2025, 6, 2)

UNIT_FIELDS = """id nameZh nameEn uscc unitType state headName delegateName representativeName
                 appliedOn joinedOn exitedOn lastActivityOn unitTypeNameZh unitTypeNameEn
                 decisions { decision decidedOn reason motion }"""
RESULT = f"""
    __typename
    ... on CouncilMemberUnit {{ {UNIT_FIELDS} }}
    ... on ValidationFailed {{ fieldErrors {{ field code message messageZh }} }}
    ... on Failure {{ code message messageZh }}"""
APPLY = f"mutation($input: ApplyForCouncilMembershipInput!) {{ applyForCouncilMembership(input: $input) {{ {RESULT} }} }}"
FOUND = f"mutation($input: RegisterFoundingCouncilUnitInput!) {{ registerFoundingCouncilUnit(input: $input) {{ {RESULT} }} }}"
DECIDE = f"mutation($input: DecideCouncilApplicationInput!) {{ decideCouncilApplication(input: $input) {{ {RESULT} }} }}"
HEAD = f"mutation($input: ChangeCouncilUnitHeadInput!) {{ changeCouncilUnitHead(input: $input) {{ {RESULT} }} }}"
DELEGATE = f"""mutation($input: DelegateCouncilRepresentativeInput!) {{
  delegateCouncilRepresentative(input: $input) {{ {RESULT} }} }}"""
EXIT = f"mutation($input: ExitCouncilUnitInput!) {{ exitCouncilUnit(input: $input) {{ {RESULT} }} }}"
LIST = """query($state: CouncilUnitState, $first: Int, $after: String) {
  councilMemberUnits(state: $state, first: $first, after: $after) { __typename
    ... on CouncilMemberUnitConnection { totalCount pageInfo { hasNextPage endCursor }
                                         edges { node { id nameZh state representativeName } } }
    ... on Failure { code message messageZh } } }"""
ONE = f"query($id: ID!) {{ councilMemberUnit(id: $id) {{ {RESULT} }} }}"
NODE = "query($id: ID!) { node(id: $id) { __typename ... on CouncilMemberUnit { nameZh } } }"
INACTIVE = """query($first: Int, $after: String) { inactiveCouncilUnits(first: $first, after: $after) { __typename
  ... on CouncilInactiveUnitConnection { totalCount pageInfo { hasNextPage endCursor }
                                         edges { node { lastActivityOn unit { nameZh } } } }
  ... on Failure { code message } } }"""


def make_uscc(n: int, region: str = "360100") -> str:
    """A made-up unified social credit code with a correct check character."""
    body = f"91{region}{n:09d}"
    return body + stdnum_uscc.calc_check_digit(body)


def with_wrong_check(code: str) -> str:
    wrong = next(c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != code[-1])
    return code[:-1] + wrong


APPLICATION = {"nameZh": "赣江生态茶业有限公司", "nameEn": "Ganjiang Eco Tea Co., Ltd.",
               "uscc": make_uscc(1), "unitType": "ENTERPRISE", "headName": "林青"}


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("ecozone.governance.clock.today", lambda: TODAY)
    return TODAY


@pytest.fixture
async def people(api):
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await api.add_user("jx-director", "jiangxi", "director")
    await api.add_user("jx-member", "jiangxi", "member")
    await api.add_user("jx-applicant", "jiangxi")
    await api.add_user("jx-head", "jiangxi", "member")
    await api.add_user("jx-deputy", "jiangxi", "member")
    await api.add_user("gz-secretary", "guizhou", "secretary")
    return api


async def zone_id(api, slug: str) -> int:
    async def work(session):
        return await session.scalar(select(Zone.id).where(Zone.slug == slug))
    return await api.operator(work)


async def add_units(api, slug: str, count: int, *, joined_on=dt.date(2024, 1, 10), start: int = 100,
                    **fields) -> list[int]:
    """Active member units written directly (fixture data, not the feature under test)."""
    zid = await zone_id(api, slug)

    async def work(session):
        rows = [MemberUnit(zone_id=zid, name_zh=f"成员单位{start + i}", name_en=f"Member unit {start + i}",
                           uscc=make_uscc(start + i), unit_type="enterprise", head_name=f"负责人{start + i}",
                           state="active", applied_on=joined_on, joined_on=joined_on, **fields)
                for i in range(count)]
        session.add_all(rows)
        await session.flush()
        return [r.id for r in rows]
    return await api.operator(work)


async def add_motion(api, slug: str, *, kind: str = "general", state: str = "passed",
                     meets_on: dt.date = TODAY) -> int:
    zid = await zone_id(api, slug)

    async def work(session):
        meeting = Meeting(zone_id=zid, kind=kind, title_zh="理事会会议", title_en="Council meeting",
                          meets_on=meets_on, state="closed")
        session.add(meeting)
        await session.flush()
        motion = Motion(zone_id=zid, meeting_id=meeting.id, title_zh="议案", title_en="Motion", kind="ordinary",
                        state=state)
        session.add(motion)
        await session.flush()
        return motion.id
    return await api.operator(work)


async def apply(api, user="jx-applicant", zone="jiangxi", **overrides) -> dict:
    return (await api.gql(APPLY, {"input": {**APPLICATION, **overrides}}, user=user, zone=zone))[
        "applyForCouncilMembership"]


async def decide(api, unit_id: str, motion_id: int, *, admit=True, user="jx-secretary", zone="jiangxi") -> dict:
    return (await api.gql(DECIDE, {"input": {"unitId": unit_id, "admit": admit,
                                             "motionId": gid("CouncilMotion", motion_id)}},
                          user=user, zone=zone))["decideCouncilApplication"]
