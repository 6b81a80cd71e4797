"""Granting and revoking roles through the API; the enforcer sees changes at once."""

from __future__ import annotations

from tests.support.api import gid

GRANT = """mutation($user: ID!, $role: Role!) { grantRole(input: {userId: $user, role: $role}) {
  __typename ... on RoleAssignment { role user { username } zone { slug } } ... on Failure { code message } } }"""
REVOKE = """mutation($user: ID!, $role: Role!) { revokeRole(input: {userId: $user, role: $role}) {
  __typename ... on Failure { code message } } }"""
LIST = """{ roleAssignments { __typename ... on RoleAssignmentConnection { totalCount
  edges { node { role user { username } zone { slug } } } } } }"""


async def test_director_grants_secretary_and_it_takes_effect_on_next_request(api):
    await api.add_user("jx-director", "jiangxi", "director")
    newcomer = await api.add_user("newcomer", "jiangxi")
    before = await api.gql(LIST, user="newcomer", zone="jiangxi")
    assert before["roleAssignments"]["__typename"] == "PermissionDenied"
    granted = await api.gql(GRANT, {"user": gid("User", newcomer), "role": "SECRETARY"},
                            user="jx-director", zone="jiangxi")
    assert granted["grantRole"] == {"__typename": "RoleAssignment", "role": "SECRETARY",
                                    "user": {"username": "newcomer"}, "zone": {"slug": "jiangxi"}}
    after = await api.gql(LIST, user="newcomer", zone="jiangxi")
    assert after["roleAssignments"]["totalCount"] == 2
    revoked = await api.gql(REVOKE, {"user": gid("User", newcomer), "role": "SECRETARY"},
                            user="jx-director", zone="jiangxi")
    assert revoked["revokeRole"]["__typename"] == "RoleAssignment"
    again = await api.gql(LIST, user="newcomer", zone="jiangxi")
    assert again["roleAssignments"]["__typename"] == "PermissionDenied"


async def test_secretary_cannot_make_directors_and_members_cannot_grant(api):
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await api.add_user("jx-member", "jiangxi", "member")
    target = await api.add_user("target", "jiangxi")
    denied = await api.gql(GRANT, {"user": gid("User", target), "role": "DIRECTOR"},
                           user="jx-secretary", zone="jiangxi")
    assert denied["grantRole"]["__typename"] == "PermissionDenied"
    ok = await api.gql(GRANT, {"user": gid("User", target), "role": "MEMBER"},
                       user="jx-secretary", zone="jiangxi")
    assert ok["grantRole"]["__typename"] == "RoleAssignment"
    twice = await api.gql(GRANT, {"user": gid("User", target), "role": "MEMBER"},
                          user="jx-secretary", zone="jiangxi")
    assert twice["grantRole"]["__typename"] == "Conflict"
    member = await api.gql(GRANT, {"user": gid("User", target), "role": "EXPERT"},
                           user="jx-member", zone="jiangxi")
    assert member["grantRole"]["__typename"] == "PermissionDenied"


async def test_director_of_one_zone_cannot_grant_in_another(api):
    await api.add_user("gz-director", "guizhou", "director")
    target = await api.add_user("target", "jiangxi")
    await api.zone_refused(GRANT, {"user": gid("User", target), "role": "MEMBER"},
                           user="gz-director", zone="jiangxi")


async def test_director_cannot_revoke_own_director_role(api):
    me = await api.add_user("jx-director", "jiangxi", "director")
    result = await api.gql(REVOKE, {"user": gid("User", me), "role": "DIRECTOR"},
                           user="jx-director", zone="jiangxi")
    assert result["revokeRole"]["__typename"] == "Conflict"


async def test_guizhou_member_sees_no_jiangxi_role_rows(api):
    await api.add_user("jx-director", "jiangxi", "director")
    await api.add_user("gz-director", "guizhou", "director")
    # Guizhou's director lists the acting zone's rows only: never Jiangxi's
    data = await api.gql(LIST, user="gz-director", zone="guizhou")
    slugs = {e["node"]["zone"]["slug"] for e in data["roleAssignments"]["edges"]}
    assert slugs == {"guizhou"}
    # and through the node interface, a Jiangxi row resolves to nothing
    node = await api.gql("query($id: ID!) { node(id: $id) { __typename } }",
                         {"id": gid("RoleAssignment", 1)}, user="gz-director", zone="guizhou")
    assert node["node"] is None
