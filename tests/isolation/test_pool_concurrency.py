"""50 concurrent requests alternating the four zones on ONE small connection pool.

Each pooled connection serves requests of several zones in turn; row-level security reads the
zone from a transaction-local setting (``set_config(..., true)``) and the data layer adds its
own zone criterion. If either leaked from one request to the next on the same connection, a
zone would see another's role assignments (zone-private) or audit entries.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest
from sqlalchemy import event

from ecozone.db.engine import create_engine
from tests.support.api import Api, gid

ZONES = ("jiangxi", "guizhou", "fujian", "hainan")
REQUESTS = 50
ROUNDS = 4
POOL_SIZE = 5  # create_engine allows as many again as overflow: at most 10 connections

QUERY = """{
  viewer { zone { slug } }
  roleAssignments(first: 100) {
    __typename
    ... on RoleAssignmentConnection { totalCount edges { node { id zone { slug } user { username } } } }
    ... on Failure { code message }
  }
  auditLog(first: 100) {
    __typename
    ... on AuditEntryConnection { edges { node { chain action } } }
    ... on Failure { code message }
  }
}"""
GRANT = """mutation($input: GrantRoleInput!) { grantRole(input: $input) {
  __typename ... on Failure { code message } } }"""


@pytest.fixture
async def small_pool_api(engine_kind, settings, database):
    if engine_kind != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no connection pool shared across zones nor "
                    "row-level security; its zone rule is the ORM scoping, tested elsewhere")
    from ecozone.web.app import create_app
    engine = create_engine(settings.database_url, pool_size=POOL_SIZE)
    checkouts: list[int] = []
    event.listen(engine.sync_engine, "checkout",
                 lambda dbapi_connection, _record, _proxy: checkouts.append(id(dbapi_connection)))
    app = create_app(settings, engine=engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://ecozone.test") as client:
        api = Api(client=client, settings=settings, operator_url=database.operator_url)
        api.checkouts = checkouts
        yield api
        await api.close()
    await engine.dispose()


async def _zone_data(api) -> dict[str, set[str]]:
    """Per zone: a director, three members, and one role granted through the API (audited)."""
    expected = {}
    for zone in ZONES:
        await api.add_user(f"{zone}-director", zone, "director")
        members = [f"{zone}-member{k}" for k in range(3)]
        for name in members:
            await api.add_user(name, zone, "member")
        newcomer = await api.add_user(f"{zone}-newcomer", zone)
        data = await api.gql(GRANT, {"input": {"userId": gid("User", newcomer), "role": "EXPERT"}},
                             user=f"{zone}-director", zone=zone)
        assert data["grantRole"]["__typename"] == "RoleAssignment", data
        expected[zone] = {f"{zone}-director", *members, f"{zone}-newcomer"}
    return expected


async def test_concurrent_requests_of_four_zones_never_see_each_other(small_pool_api):
    api = small_pool_api
    expected = await _zone_data(api)
    api.checkouts.clear()
    for round_ in range(ROUNDS):
        zones = [ZONES[i % len(ZONES)] for i in range(REQUESTS)]
        responses = await asyncio.gather(*(api.post(QUERY, user=f"{zone}-director", zone=zone)
                                           for zone in zones))
        for zone, response in zip(zones, responses):
            assert response.status_code == 200, response.text
            body = response.json()
            assert "errors" not in body, body
            data = body["data"]
            assert data["viewer"]["zone"]["slug"] == zone
            roles = data["roleAssignments"]
            assert roles["__typename"] == "RoleAssignmentConnection", (round_, zone, roles)
            nodes = [edge["node"] for edge in roles["edges"]]
            assert {n["zone"]["slug"] for n in nodes} == {zone}, (round_, zone, nodes)
            assert {n["user"]["username"] for n in nodes} == expected[zone], (round_, zone, nodes)
            assert roles["totalCount"] == len(expected[zone])
            audit = data["auditLog"]
            assert audit["__typename"] == "AuditEntryConnection", (round_, zone, audit)
            chains = Counter(edge["node"]["chain"] for edge in audit["edges"])
            assert set(chains) == {zone}, (round_, zone, chains)
            assert any(edge["node"]["action"] == "role.grant" for edge in audit["edges"])
    # The pool really was shared: connections were checked out again and again (overflow
    # connections beyond POOL_SIZE are closed on return, so more than 10 distinct may appear).
    assert len(api.checkouts) >= REQUESTS * ROUNDS
    assert len(set(api.checkouts)) < len(api.checkouts) // 2
