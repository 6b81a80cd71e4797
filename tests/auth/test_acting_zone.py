"""The acting zone is earned (issue 13, DESIGN §2): a signed-in user acts in their home zone or
in a zone where they hold a role; any other X-Zone is refused before anything runs — 403, a
typed bilingual error, and an audit row in the refused zone's chain — over HTTP, WebSocket and
downloads. An anonymous X-Zone only says whose public data comes first."""

from __future__ import annotations

from sqlalchemy import select

from ecozone.audit.models import AuditEntry
from ecozone.audit.service import verify
from ecozone.authz.models import RoleAssignment
from tests.notifications.test_subscriptions import refusal, server, session  # noqa: F401
from tests.support.api import gid

VIEWER = "{ viewer { user { username } zone { slug } roles } }"
COUNCIL = "{ councilMemberUnits { __typename ... on Failure { code } } }"
GRANT = """mutation($user: ID!) { grantRole(input: {userId: $user, role: MEMBER}) {
  __typename ... on Failure { code } } }"""


async def _audit(api) -> list[AuditEntry]:
    async def work(s):
        return list((await s.scalars(select(AuditEntry).order_by(AuditEntry.id))).all())
    return await api.operator(work)


async def _people(api) -> None:
    await api.add_user("hn-nobody", "hainan")             # signed in, no role anywhere
    await api.add_user("jx-director", "jiangxi", "director")
    await api.add_user("hn-expert", "hainan")
    await api.add_roles("hn-expert", "jiangxi", "expert")  # a role in Jiangxi: may act there


async def test_a_foreign_x_zone_is_refused_before_anything_runs(api):
    await _people(api)
    for query in (VIEWER, COUNCIL):
        response = await api.post(query, user="hn-nobody", zone="jiangxi")
        assert response.status_code == 403
        body = response.json()
        assert "data" not in body
        [error] = body["errors"]
        assert error["extensions"]["code"] == "ZONE_FORBIDDEN"
        assert "hainan" in error["message"] and "jiangxi" in error["message"]
        assert "jiangxi" in error["extensions"]["messageZh"] and "角色" in error["extensions"]["messageZh"]
    rows = await _audit(api)
    assert [(r.chain, r.action, r.object_type, r.object_id, r.outcome, r.actor_id) for r in rows] == [
        ("jiangxi", "zone.act", "zone", "jiangxi", "denied", api.users["hn-nobody"])] * 2
    assert (await api.operator(verify)).broken is None


async def test_a_refused_mutation_changes_nothing(api):
    await _people(api)
    target = await api.add_user("jx-target", "jiangxi")
    response = await api.post(GRANT, {"user": gid("User", target)}, user="hn-nobody", zone="jiangxi")
    assert response.status_code == 403
    roles = await api.operator(lambda s: s.scalars(select(RoleAssignment).where(
        RoleAssignment.user_id == target)))
    assert roles.all() == []


async def test_the_refused_zones_director_reads_the_attempt(api):
    await _people(api)
    await api.post(VIEWER, user="hn-nobody", zone="jiangxi")
    data = await api.gql("""{ auditLog(first: 10) { ... on AuditEntryConnection {
        edges { node { action outcome objectId } } } } }""", user="jx-director", zone="jiangxi")
    nodes = [e["node"] for e in data["auditLog"]["edges"]]
    assert {"action": "zone.act", "outcome": "denied", "objectId": "jiangxi"} in nodes


async def test_home_zone_and_zones_with_a_role_are_allowed(api):
    await _people(api)
    home = await api.gql(VIEWER, user="hn-nobody")
    assert home["viewer"]["zone"]["slug"] == "hainan"
    explicit = await api.gql(VIEWER, user="hn-nobody", zone="hainan")
    assert explicit["viewer"]["zone"]["slug"] == "hainan"
    abroad = await api.gql(VIEWER, user="hn-expert", zone="jiangxi")
    assert abroad["viewer"] == {"user": {"username": "hn-expert"}, "zone": {"slug": "jiangxi"},
                                "roles": ["EXPERT"]}
    # ... and no further: a role in Jiangxi opens Jiangxi, not Fujian
    response = await api.post(VIEWER, user="hn-expert", zone="fujian")
    assert response.status_code == 403


async def test_the_zone_is_decided_on_every_request(api):
    """A role revoked between two requests closes the zone from the next one."""
    await _people(api)
    assert (await api.post(VIEWER, user="hn-expert", zone="jiangxi")).status_code == 200

    async def revoke(s):
        row = await s.scalar(select(RoleAssignment).where(
            RoleAssignment.user_id == api.users["hn-expert"]))
        await s.delete(row)
    await api.operator(revoke)
    assert (await api.post(VIEWER, user="hn-expert", zone="jiangxi")).status_code == 403


async def test_an_anonymous_x_zone_only_chooses_whose_public_data_comes_first(api):
    data = await api.gql(VIEWER, zone="jiangxi")
    assert data["viewer"] == {"user": None, "zone": {"slug": "jiangxi"}, "roles": []}
    denied = await api.gql(COUNCIL, zone="jiangxi")
    assert denied["councilMemberUnits"]["code"] == "permission_denied"
    # the denial is the anonymous caller's: the global chain, never the zone's
    rows = await _audit(api)
    assert [(r.chain, r.zone_id, r.outcome) for r in rows] == [("global", None, "denied")]


async def test_an_unknown_zone_is_a_request_error(api):
    await _people(api)
    for user in (None, "hn-nobody"):
        response = await api.post(VIEWER, user=user, zone="atlantis")
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "UNKNOWN_ZONE"


async def test_downloads_refuse_a_foreign_zone(api):
    await _people(api)
    headers = {"Authorization": f"Bearer {api.token('hn-nobody')}", "X-Zone": "jiangxi"}
    response = await api.client.get("/exports/consultations/1/comments.csv", headers=headers)
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "ZONE_FORBIDDEN"
    rows = await _audit(api)
    assert [(r.chain, r.action) for r in rows] == [("jiangxi", "zone.act")]


async def test_subscriptions_refuse_a_foreign_zone(server, api):  # noqa: F811
    await _people(api)
    payload = {"Authorization": f"Bearer {api.token('hn-nobody')}", "X-Zone": "jiangxi"}
    async with session(server, payload) as ws:
        code, reason = await refusal(ws)
    assert code == 4403 and "X-Zone" in reason
    rows = await _audit(api)
    assert [(r.chain, r.action, r.outcome) for r in rows] == [("jiangxi", "zone.act", "denied")]
