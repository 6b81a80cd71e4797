"""Shared steps of the standard workflow tests, all through the HTTP API."""

from __future__ import annotations

from tests.support.api import Api

STANDARD_FIELDS = """__typename
  ... on Standard { id stage { code state } designations finalText versionNo
                    zones { zone { slug } decision }
                    ballot { round state cast yes passesNow needsEn needsZh myVote } }
  ... on Failure { code message messageZh }
  ... on ValidationFailed { fieldErrors { field code } }"""

LEAD_UNIT = "江西省绿色农业标准化研究所"


async def standard_op(api: Api, mutation: str, input_: dict, user: str, zone: str) -> dict:
    name = mutation[0].lower() + mutation[1:]
    query = f"mutation($input: {mutation[0].upper() + mutation[1:]}Input!) {{ {name}(input: $input) {{ {STANDARD_FIELDS} }} }}"
    return (await api.gql(query, {"input": input_}, user=user, zone=zone))[name]


async def op(api: Api, mutation: str, input_type: str, input_: dict, fields: str, user: str,
             zone: str) -> dict:
    query = f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {fields} }} }}"
    return (await api.gql(query, {"input": input_}, user=user, zone=zone))[mutation]


async def make_expert(api: Api, username: str, zone: str, secretary: str, *,
                      organisation: str = "某大学") -> str:
    await api.add_user(username, zone)
    created = await op(api, "createExpertProfile", "CreateExpertProfileInput",
                       {"nameZh": "专家" + username[-1], "organisation": organisation,
                        "fields": ["标准化管理"]},
                       "... on Expert { id }", username, zone)
    await op(api, "verifyExpert", "VerifyExpertInput", {"id": created["id"]},
             "__typename", secretary, zone)
    return created["id"]


async def approved_project(api: Api) -> str:
    """A standard-development project of Jiangxi, approved, with a drafter in its group."""
    proposed = await op(api, "proposeProject", "ProposeProjectInput", {
        "kind": "STANDARD_DEVELOPMENT", "titleZh": "赣湘黔闽茶叶追溯联合标准研制",
        "titleEn": "Joint tea traceability standard", "summary": "研制茶叶全链条追溯数据采集规范。",
        "proposerUnit": LEAD_UNIT}, "... on Project { id } ... on Failure { message }",
        "jx-member", "jiangxi")
    project_id = proposed["id"]
    await op(api, "approveProject", "ApproveProjectInput", {"id": project_id},
             "__typename", "jx-secretary", "jiangxi")
    added = await op(api, "addWorkingGroupMember", "AddWorkingGroupMemberInput", {
        "projectId": project_id, "role": "DRAFTER", "unitName": LEAD_UNIT,
        "userId": api_user_gid(api, "jx-drafter")}, "__typename", "jx-member", "jiangxi")
    assert added != {"__typename": "PermissionDenied"}, added
    return project_id


def api_user_gid(api: Api, username: str) -> str:
    from tests.support.api import gid
    return gid("User", api.users[username])


async def people(api: Api) -> None:
    for username, zone, roles in [
        ("jx-director", "jiangxi", ("director",)), ("jx-secretary", "jiangxi", ("secretary",)),
        ("jx-member", "jiangxi", ("member",)), ("jx-drafter", "jiangxi", ()),
        ("gz-director", "guizhou", ("director",)), ("gz-secretary", "guizhou", ("secretary",)),
        ("gz-member", "guizhou", ("member",)), ("fj-director", "fujian", ("director",)),
        ("hn-director", "hainan", ("director",)),
    ]:
        await api.add_user(username, zone, *roles)
