"""The expert registry end to end through the HTTP API, on both databases."""

from __future__ import annotations

import pytest

from tests.support.api import gid

CREATE = """
mutation($input: CreateExpertProfileInput!) {
  createExpertProfile(input: $input) {
    __typename
    ... on Expert { id nameZh namePinyin state email phone orcid fields
                    categories { code nameZh } homeZone { slug }
                    visibility { field visibility } }
    ... on ValidationFailed { fieldErrors { field code message messageZh } }
    ... on Failure { code message messageZh }
  }
}"""
UPDATE = """
mutation($input: UpdateExpertProfileInput!) {
  updateExpertProfile(input: $input) {
    __typename
    ... on Expert { id nameZh title phone email fields }
    ... on ValidationFailed { fieldErrors { field code } }
    ... on Failure { code message messageZh }
  }
}"""
STATE = """
mutation($id: ID!) {
  verifyExpert(input: {id: $id}) { __typename ... on Expert { state } ... on Failure { code message } }
}"""
EXPERT = """
query($id: ID!) {
  expert(id: $id) { __typename
    ... on Expert { nameZh title email phone orcid availability visibility { field } conflicts { unitName } }
    ... on Failure { code } }
}"""

PROFILE = {
    "nameZh": "曾晓明", "title": "研究员", "organisation": "江西省绿色农产品检测中心",
    "email": "xiaoming@example.org", "phone": "138 0000 1234", "orcid": "0000-0002-1825-0097",
    "fields": ["茶叶质量安全", "标准化管理"], "categories": ["TEA", "CITRUS"],
    "visibility": [{"field": "PHONE", "visibility": "PARTNERS"}],
}


async def create(api, user: str, zone: str, **overrides) -> dict:
    data = await api.gql(CREATE, {"input": {**PROFILE, **overrides}}, user=user, zone=zone)
    return data["createExpertProfile"]


@pytest.fixture
async def people(api):
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await api.add_user("gz-secretary", "guizhou", "secretary")
    await api.add_user("jx-expert", "jiangxi")
    await api.add_user("jx-other", "jiangxi")
    await api.add_user("gz-member", "guizhou", "member")
    return api


async def test_expert_creates_profile_pending_with_normalised_values(people):
    expert = await create(people, "jx-expert", "jiangxi")
    assert expert["__typename"] == "Expert"
    assert expert["state"] == "PENDING"
    assert expert["namePinyin"] == "Zeng Xiaoming"
    assert expert["phone"] == "+86 13800001234"
    assert expert["homeZone"]["slug"] == "jiangxi"
    assert [c["code"] for c in expert["categories"]] == ["CITRUS", "TEA"]
    assert {"field": "PHONE", "visibility": "PARTNERS"} in expert["visibility"]


async def test_second_profile_is_a_conflict(people):
    await create(people, "jx-expert", "jiangxi")
    again = await create(people, "jx-expert", "jiangxi")
    assert again["__typename"] == "Conflict"


async def test_invalid_input_lists_every_problem_in_both_languages(people):
    result = await create(people, "jx-expert", "jiangxi", orcid="0000-0002-1825-0098",
                          email="not-an-email", phone="12345", fields=["x"] * 2)
    assert result["__typename"] == "ValidationFailed"
    fields = {f["field"]: f for f in result["fieldErrors"]}
    assert set(fields) >= {"orcid", "email", "phone", "fields"}
    assert fields["orcid"]["code"] == "checksum"
    assert all(f["messageZh"] and f["message"] for f in result["fieldErrors"])
    # nothing was written: the user still has no profile
    data = await people.gql("{ viewer { expertProfile { id } } }", user="jx-expert", zone="jiangxi")
    assert data["viewer"]["expertProfile"] is None


async def test_anonymous_cannot_create_a_profile(people):
    response = await people.post(CREATE, {"input": PROFILE}, zone="jiangxi")
    result = response.json()["data"]["createExpertProfile"]
    assert result["__typename"] == "PermissionDenied"
    assert "sign in" in result["message"] and "登录" in result["messageZh"]


async def test_expert_edits_own_profile_but_not_anothers(people):
    mine = await create(people, "jx-expert", "jiangxi")
    updated = (await people.gql(UPDATE, {"input": {"id": mine["id"], "title": "教授",
                                                   "fields": ["柑橘病虫害绿色防控"]}},
                                user="jx-expert", zone="jiangxi"))["updateExpertProfile"]
    assert updated["title"] == "教授" and updated["fields"] == ["柑橘病虫害绿色防控"]
    assert updated["email"] == PROFILE["email"]  # fields not sent are kept
    others = (await people.gql(UPDATE, {"input": {"id": mine["id"], "title": "hacked"}},
                               user="jx-other", zone="jiangxi"))["updateExpertProfile"]
    # a pending profile is invisible to other users: they cannot even find it
    assert others["__typename"] in {"PermissionDenied", "NotFound"}
    await verify(people, mine["id"])
    others = (await people.gql(UPDATE, {"input": {"id": mine["id"], "title": "hacked"}},
                               user="jx-other", zone="jiangxi"))["updateExpertProfile"]
    assert others["__typename"] == "PermissionDenied"
    assert (await people.gql(EXPERT, {"id": mine["id"]}))["expert"]["title"] == "教授"


async def test_clearing_a_field_with_null(people):
    mine = await create(people, "jx-expert", "jiangxi")
    updated = (await people.gql(UPDATE, {"input": {"id": mine["id"], "phone": None}},
                                user="jx-expert", zone="jiangxi"))["updateExpertProfile"]
    assert updated["phone"] is None


async def verify(api, expert_id: str, user: str = "jx-secretary", zone: str = "jiangxi") -> dict:
    return (await api.gql(STATE, {"id": expert_id}, user=user, zone=zone))["verifyExpert"]


async def test_only_home_zone_staff_verify(people):
    mine = await create(people, "jx-expert", "jiangxi")
    assert (await verify(people, mine["id"], "gz-secretary", "guizhou"))["__typename"] in {
        "PermissionDenied", "NotFound"}
    assert (await verify(people, mine["id"], "jx-expert", "jiangxi"))["__typename"] == "PermissionDenied"
    # the Guizhou secretary holds no role in Jiangxi: may not act there (tests/auth/test_acting_zone.py)
    assert (await verify(people, mine["id"]))["state"] == "VERIFIED"
    again = await verify(people, mine["id"])
    assert again["__typename"] == "Conflict"
    # verification grants the expert role in the home zone
    data = await people.gql("{ viewer { roles } }", user="jx-expert", zone="jiangxi")
    assert data["viewer"]["roles"] == ["EXPERT"]


async def test_field_visibility_by_viewer(people):
    mine = await create(people, "jx-expert", "jiangxi")
    await verify(people, mine["id"])
    anonymous = (await people.gql(EXPERT, {"id": mine["id"]}))["expert"]
    assert anonymous["nameZh"] == "曾晓明" and anonymous["title"] == "研究员"
    assert anonymous["email"] is None and anonymous["phone"] is None  # partners-only
    assert anonymous["visibility"] is None and anonymous["conflicts"] is None
    partner = (await people.gql(EXPERT, {"id": mine["id"]}, user="gz-member", zone="guizhou"))["expert"]
    assert partner["email"] == PROFILE["email"] and partner["phone"] == "+86 13800001234"
    assert partner["visibility"] is None
    await people.gql(UPDATE, {"input": {"id": mine["id"], "visibility": [
        {"field": "PHONE", "visibility": "PRIVATE"}, {"field": "TITLE", "visibility": "PRIVATE"}]}},
        user="jx-expert", zone="jiangxi")
    partner = (await people.gql(EXPERT, {"id": mine["id"]}, user="gz-member", zone="guizhou"))["expert"]
    assert partner["phone"] is None and partner["title"] is None
    staff = (await people.gql(EXPERT, {"id": mine["id"]}, user="jx-secretary", zone="jiangxi"))["expert"]
    assert staff["phone"] and staff["title"] == "研究员" and staff["visibility"]
    other_staff = (await people.gql(EXPERT, {"id": mine["id"]}, user="gz-secretary", zone="guizhou"))["expert"]
    assert other_staff["phone"] is None and other_staff["visibility"] is None


async def test_pending_profiles_are_hidden_from_the_public(people):
    mine = await create(people, "jx-expert", "jiangxi")
    assert (await people.gql(EXPERT, {"id": mine["id"]}))["expert"]["__typename"] == "NotFound"
    listing = await people.gql("{ experts { ... on ExpertConnection { totalCount } } }")
    assert listing["experts"]["totalCount"] == 0
    staff = await people.gql('{ experts(filter: {state: PENDING}) { ... on ExpertConnection { totalCount } } }',
                             user="jx-secretary", zone="jiangxi")
    assert staff["experts"]["totalCount"] == 1


SUSPEND = """mutation($id: ID!, $reason: String!) { suspendExpert(input: {id: $id, reason: $reason}) {
  __typename ... on Expert { state isChief } ... on ValidationFailed { fieldErrors { field } } } }"""
CHIEF = """mutation($id: ID!, $chief: Boolean!) { designateChiefExpert(input: {id: $id, chief: $chief}) {
  __typename ... on Expert { isChief } ... on Failure { code } } }"""


async def test_chief_and_suspension(people):
    mine = await create(people, "jx-expert", "jiangxi")
    chief = (await people.gql(CHIEF, {"id": mine["id"], "chief": True}, user="jx-secretary",
                              zone="jiangxi"))["designateChiefExpert"]
    assert chief["__typename"] == "Conflict"  # not verified yet
    await verify(people, mine["id"])
    chief = (await people.gql(CHIEF, {"id": mine["id"], "chief": True}, user="jx-secretary",
                              zone="jiangxi"))["designateChiefExpert"]
    assert chief["isChief"] is True
    no_reason = (await people.gql(SUSPEND, {"id": mine["id"], "reason": "  "}, user="jx-secretary",
                                  zone="jiangxi"))["suspendExpert"]
    assert no_reason["__typename"] == "ValidationFailed"
    suspended = (await people.gql(SUSPEND, {"id": mine["id"], "reason": "长期未履职"},
                                  user="jx-secretary", zone="jiangxi"))["suspendExpert"]
    assert suspended == {"__typename": "Expert", "state": "SUSPENDED", "isChief": False}
    data = await people.gql("{ viewer { roles } }", user="jx-expert", zone="jiangxi")
    assert data["viewer"]["roles"] == []


CONFLICT = """mutation($input: DeclareConflictInput!) { declareConflict(input: $input) {
  __typename ... on ConflictDeclaration { id unitName relation } ... on Failure { code } } }"""


async def test_conflict_declarations(people):
    no_profile = (await people.gql(CONFLICT, {"input": {"unitName": "某检测中心", "relation": "EMPLOYER"}},
                                   user="jx-expert", zone="jiangxi"))["declareConflict"]
    assert no_profile["__typename"] == "NotFound"
    mine = await create(people, "jx-expert", "jiangxi")
    declared = (await people.gql(CONFLICT, {"input": {"unitName": "江西某茶业有限公司",
                                                      "relation": "COLLABORATOR"}},
                                 user="jx-expert", zone="jiangxi"))["declareConflict"]
    assert declared["relation"] == "COLLABORATOR"
    staff = (await people.gql(EXPERT, {"id": mine["id"]}, user="jx-secretary", zone="jiangxi"))["expert"]
    assert [c["unitName"] for c in staff["conflicts"]] == ["江西某茶业有限公司"]
    withdraw = """mutation($id: ID!) { withdrawConflict(input: {id: $id}) { __typename
                  ... on ConflictDeclaration { withdrawnAt } } }"""
    other = await people.gql(withdraw, {"id": declared["id"]}, user="jx-other", zone="jiangxi")
    assert other["withdrawConflict"]["__typename"] == "NotFound"
    done = await people.gql(withdraw, {"id": declared["id"]}, user="jx-expert", zone="jiangxi")
    assert done["withdrawConflict"]["withdrawnAt"]
    staff = (await people.gql(EXPERT, {"id": mine["id"]}, user="jx-secretary", zone="jiangxi"))["expert"]
    assert staff["conflicts"] == []


async def test_wrong_global_id_type_is_not_found(people):
    result = (await people.gql(STATE, {"id": gid("Zone", 1)}, user="jx-secretary",
                               zone="jiangxi"))["verifyExpert"]
    assert result["__typename"] == "NotFound"
