"""Fair use (issue 22): budgets of query cost per client and window, through HTTP, both databases."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from graphql import OperationDefinitionNode, parse
from sqlalchemy import event, func, select

from ecozone.audit.models import AuditEntry
from ecozone.authz.models import RoleAssignment
from ecozone.db.engine import create_engine
from ecozone.fairuse.budget import address_client, windows_of
from ecozone.fairuse.sqlite_counters import counters_path
from ecozone.fairuse.models import RateLimitWindow
from ecozone.graphql.schema import build_schema
from ecozone.settings import QueryLimits, RateLimits
from ecozone.web.app import create_app
from ecozone.web.limits import estimate_cost
from tests.support.api import gid

HOUR = 3600
T0 = 1_800_000_000 - 1_800_000_000 % HOUR  # the start of a window (2027-01-15T08:00:00Z)
GQL = "application/graphql-response+json"
EXPERTS = "{ experts(first: 7) { ... on ExpertConnection { totalCount edges { node { id nameZh } } } } }"
VIEWER = "{ viewer { rateLimit { limit remaining resetAt cost used } } }"
GRANT = """mutation($user: ID!) { grantRole(input: {userId: $user, role: SECRETARY}) {
  __typename ... on RoleAssignment { role } } }"""
ADDRESS = "203.0.113.7"


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def estimate(query: str) -> int:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return estimate_cost(document, operation, {}, QueryLimits(), build_schema()._schema).cost


def make_app(settings, engine, clock, **budgets):
    app = create_app(replace(settings, rate_limits=RateLimits(**budgets)), engine=engine)
    app.state.graphql_view.fair_use.clock = clock
    return app


async def post(app, query: str, variables: dict | None = None, *, token: str | None = None,
               address: str = ADDRESS, zone: str | None = None) -> httpx.Response:
    headers = {"Accept": GQL}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if zone:
        headers["X-Zone"] = zone
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://ecozone.test") as client:
        return await client.post("/graphql", json={"query": query, "variables": variables},
                                 headers=headers)


def budget(response: httpx.Response) -> dict[str, int]:
    return {name: int(response.headers[f"x-ratelimit-{name}"])
            for name in ("limit", "remaining", "used", "reset", "cost")}


async def test_every_answer_shows_the_budget_and_the_cost_is_the_limits_estimate(settings, app_engine):
    clock = Clock(T0 + 100)
    app = make_app(settings, app_engine, clock)
    response = await post(app, EXPERTS)
    assert response.status_code == 200 and "errors" not in response.json()
    cost = estimate(EXPERTS)
    assert cost > 7  # seven experts and their fields
    assert budget(response) == {"limit": RateLimits().anonymous, "used": cost,
                                "remaining": RateLimits().anonymous - cost, "reset": T0 + HOUR, "cost": cost}
    # viewer { rateLimit } says what the headers say, this request included
    response = await post(app, VIEWER)
    shown = response.json()["data"]["viewer"]["rateLimit"]
    headers = budget(response)
    assert headers["cost"] == estimate(VIEWER)
    assert shown == {"limit": headers["limit"], "remaining": headers["remaining"], "cost": headers["cost"],
                     "used": headers["used"], "resetAt": "2027-01-15T09:00:00+00:00"}
    assert headers["used"] == cost + headers["cost"]
    # introspection costs what it walks: every type, every field
    introspection = "{ __schema { types { name fields { name } } } }"
    response = await post(app, introspection)
    assert response.status_code == 200
    schema = build_schema()._schema
    assert budget(response)["cost"] == estimate(introspection) > len(schema.type_map) * 2


async def test_a_mutation_costs_its_estimate_plus_the_mutation_cost(api, settings, app_engine):
    await api.add_user("jx-director", "jiangxi", "director")
    newcomer = await api.add_user("newcomer", "jiangxi")
    app = make_app(settings, app_engine, Clock(T0), mutation_cost=100)
    response = await post(app, GRANT, {"user": gid("User", newcomer)}, token=api.token("jx-director"),
                          zone="jiangxi")
    assert response.json()["data"]["grantRole"]["role"] == "SECRETARY"
    assert budget(response)["cost"] == estimate(GRANT) + 100
    assert budget(response)["limit"] == RateLimits().user


async def test_the_budget_is_spent_and_whole_again_at_the_window_edge(settings, app_engine):
    cost = estimate(EXPERTS)
    clock = Clock(T0 + HOUR - 10)  # ten seconds before the edge
    app = make_app(settings, app_engine, clock, anonymous=3 * cost)
    for used in (cost, 2 * cost, 3 * cost):
        response = await post(app, EXPERTS)
        assert response.status_code == 200
        assert budget(response)["used"] == used
    refused = await post(app, EXPERTS)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "10"
    assert budget(refused) == {"limit": 3 * cost, "remaining": 0, "used": 3 * cost,
                               "reset": T0 + HOUR, "cost": cost}
    clock.now = T0 + HOUR - 0.5  # still this window: Retry-After rounds up
    assert (await post(app, EXPERTS)).headers["retry-after"] == "1"
    clock.now = T0 + HOUR  # the next window: the whole budget again
    response = await post(app, EXPERTS)
    assert response.status_code == 200
    assert budget(response) == {"limit": 3 * cost, "remaining": 2 * cost, "used": cost,
                                "reset": T0 + 2 * HOUR, "cost": cost}


async def test_two_app_instances_on_one_database_share_one_budget(settings, app_engine):
    cost = estimate(EXPERTS)
    clock = Clock(T0 + 5)
    other_engine = create_engine(settings.database_url)  # another worker: its own pool
    try:
        first = make_app(settings, app_engine, clock, anonymous=4 * cost)
        second = make_app(settings, other_engine, clock, anonymous=4 * cost)
        used = [budget(await post(app, EXPERTS))["used"] for app in (first, second, first, second)]
        assert used == [cost, 2 * cost, 3 * cost, 4 * cost]
        assert (await post(first, EXPERTS)).status_code == 429
        assert (await post(second, EXPERTS)).status_code == 429
    finally:
        await other_engine.dispose()


async def test_an_exhausted_budget_answers_429_and_runs_nothing(api, settings, app_engine):
    await api.add_user("jx-director", "jiangxi", "director")
    newcomer = await api.add_user("newcomer", "jiangxi")

    async def audit_rows() -> int:
        return await api.operator(lambda s: s.scalar(select(func.count()).select_from(AuditEntry)))

    async def secretaries() -> int:
        return await api.operator(lambda s: s.scalar(select(func.count()).select_from(RoleAssignment)
                                                     .where(RoleAssignment.role == "secretary")))

    audited, granted = await audit_rows(), await secretaries()
    clock = Clock(T0 + 3000)
    app = make_app(settings, app_engine, clock, user=60, mutation_cost=100)  # no mutation fits
    token = api.token("jx-director")
    response = await post(app, GRANT, {"user": gid("User", newcomer)}, token=token, zone="jiangxi")
    assert response.status_code == 429
    assert response.headers["content-type"].startswith(GQL)
    assert response.headers["retry-after"] == "600"
    body = response.json()
    assert "data" not in body
    error, = body["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    reset = dt.datetime.fromisoformat(error["extensions"]["resetAt"])
    assert reset.utcoffset() == dt.timedelta(hours=8) and reset.timestamp() == T0 + HOUR
    assert error["extensions"]["retryAfter"] == 600
    assert error["extensions"]["resetAt"] in error["message"]
    assert error["extensions"]["resetAt"] in error["extensions"]["messageZh"]
    assert "额度" in error["extensions"]["messageZh"]
    # nothing ran, nothing was written: no role, no audit row, nothing spent
    assert await secretaries() == granted and await audit_rows() == audited
    assert budget(response)["used"] == 0
    # a query that fits still runs: the refused mutation spent nothing
    response = await post(app, VIEWER, token=token, zone="jiangxi")
    assert response.status_code == 200 and budget(response)["used"] == estimate(VIEWER)


async def test_anonymous_exhaustion_leaves_signed_in_users_alone(api, settings, app_engine):
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    cost = estimate(EXPERTS)
    app = make_app(settings, app_engine, Clock(T0), anonymous=cost)
    assert (await post(app, EXPERTS)).status_code == 200
    assert (await post(app, EXPERTS)).status_code == 429
    # from the very same address, the signed-in secretary spends her own budget
    response = await post(app, EXPERTS, token=api.token("jx-secretary"), zone="jiangxi")
    assert response.status_code == 200
    assert budget(response)["limit"] == RateLimits().user and budget(response)["used"] == cost
    # and another address has its own
    assert (await post(app, EXPERTS, address="198.51.100.9")).status_code == 200


async def test_requests_refused_before_running_cost_one_and_show_the_budget(settings, app_engine):
    app = make_app(settings, app_engine, Clock(T0))
    response = await post(app, "{ nope }")
    assert response.status_code == 400
    assert budget(response)["cost"] == 1 and budget(response)["used"] == 1
    response = await post(app, EXPERTS, token="not-a-token")  # 401: the address pays
    assert response.status_code == 401
    assert budget(response)["used"] == 2


async def test_fair_use_off_sends_no_headers(settings, app_engine):
    app = make_app(settings, app_engine, Clock(T0), enabled=False)
    response = await post(app, VIEWER)
    assert response.json()["data"]["viewer"]["rateLimit"] is None
    assert not any(name.lower().startswith("x-ratelimit") for name in response.headers)


def test_clients_by_address():
    assert address_client("203.0.113.7").key == "ip:203.0.113.7"
    assert address_client("2001:db8:1:2:3:4:5:6").key == "ip:2001:db8:1:2::/64"
    assert address_client("::ffff:203.0.113.7").key == "ip:203.0.113.7"
    assert address_client(None).key == "ip:unknown"


async def test_an_operator_raises_one_clients_budget_from_the_cli(api, settings, app_engine, database,
                                                                  tmp_path):
    cost = estimate(EXPERTS)
    clock = Clock(T0 + 60)
    app = make_app(settings, app_engine, clock, anonymous=cost)
    assert (await post(app, EXPERTS)).status_code == 200
    assert (await post(app, EXPERTS)).status_code == 429
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECOZONE_")}
    env.update(ECOZONE_VAR_DIR=str(tmp_path), ECOZONE_DATABASE_URL=database.operator_url,
               ECOZONE_MIGRATION_DATABASE_URL=database.operator_url)
    ecozone = str(Path(sys.executable).parent / "ecozone")
    done = subprocess.run([ecozone, "rate-limit", "raise", f"ip:{ADDRESS}", str(10 * cost),
                           "--reason", "partner crawler, ticket 42"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    # at once, in the current window: the next request fits
    response = await post(app, EXPERTS)
    assert response.status_code == 200
    assert budget(response)["limit"] == 10 * cost and budget(response)["used"] == 2 * cost
    # other clients keep the default
    assert budget(await post(app, EXPERTS, address="198.51.100.9"))["limit"] == cost
    audit = await api.operator(lambda s: s.scalar(select(AuditEntry).where(
        AuditEntry.action == "rate_limit.raise")))
    assert audit.object_id == f"ip:{ADDRESS}" and audit.actor_id is None
    assert audit.after == {"budget": 10 * cost, "expiresAt": None, "reason": "partner crawler, ticket 42"}
    shown = subprocess.run([ecozone, "rate-limit", "show", f"ip:{ADDRESS}"], env=env, capture_output=True,
                           text=True, timeout=120)
    assert shown.returncode == 0 and f"raised to {10 * cost}" in shown.stdout
    assert f"{2 * cost} of {10 * cost} spent, 1 refused" in shown.stdout
    refused = subprocess.run([ecozone, "rate-limit", "raise", "alice", "5", "--reason", "x"], env=env,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "ip:" in refused.stderr
    windows = [await api.operator(lambda s, key=key: windows_of(s, key))
               for key in (f"ip:{ADDRESS}", "ip:198.51.100.9")]
    assert [len(w) for w in windows] == [1, 1]


async def test_the_spend_writes_nothing_to_the_database_and_takes_no_connection_of_its_own(
        settings, app_engine, database):
    """SQLite: the counters live in a file of their own (a write to the database would cost the
    other connections their page cache). PostgreSQL: the spend is sent on the request's own
    connection (one checkout per request), autocommitted before the request's transaction."""
    app = make_app(settings, app_engine, Clock(T0))
    await post(app, VIEWER)  # warm: pools, the counters' file
    if database.kind == "sqlite":
        path = app_engine.url.database
        watcher = sqlite3.connect(path)
        try:
            before = watcher.execute("PRAGMA data_version").fetchone()[0]
            response = await post(app, VIEWER)
            assert response.status_code == 200 and budget(response)["used"] == 2 * estimate(VIEWER)
            assert watcher.execute("PRAGMA data_version").fetchone()[0] == before
            assert watcher.execute("SELECT count(*) FROM rate_limit_windows").fetchone()[0] == 0
        finally:
            watcher.close()
        counters = sqlite3.connect(counters_path(path))
        try:
            assert counters.execute("SELECT client_key, spent FROM rate_limit_windows").fetchall() == [
                (f"ip:{ADDRESS}", 2 * estimate(VIEWER))]
        finally:
            counters.close()
        return
    checkouts = []

    def checkout(*_):
        checkouts.append(1)

    event.listen(app_engine.sync_engine, "checkout", checkout)
    try:
        response = await post(app, VIEWER)
    finally:
        event.remove(app_engine.sync_engine, "checkout", checkout)
    assert response.status_code == 200 and budget(response)["used"] == 2 * estimate(VIEWER)
    assert len(checkouts) == 1


# Partner clients (issue 22 with issue 15): a registered client proves itself with its key
# (X-Ecozone-Client-Key: <client>.<secret>) and spends its own budget.

async def _register_partner(api, name: str) -> str:
    from ecozone.authz.actor import system_actor
    from ecozone.trusted.rules import Entry, document_id
    from ecozone.trusted.service import register
    text = "query PartnerZones { zones { totalCount } }"
    report = await api.operator(lambda s: register(s, system_actor(), client=name,
                                                   entries=[Entry(document_id(text), text)],
                                                   schema=build_schema()._schema, limits=QueryLimits()))
    return report.new_key


async def post_as(app, query: str, key: str, address: str = ADDRESS) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://ecozone.test") as client:
        return await client.post("/graphql", json={"query": query},
                                 headers={"Accept": GQL, "X-Ecozone-Client-Key": key})


async def test_a_registered_partner_client_spends_its_own_budget(api, settings, app_engine):
    key = await _register_partner(api, "guizhou-portal")
    assert key.startswith("guizhou-portal.")
    cost = estimate(EXPERTS)
    app = make_app(replace(settings, trusted_documents_recheck_seconds=0), app_engine, Clock(T0 + 10),
                   anonymous=cost, client=3 * cost)
    assert (await post(app, EXPERTS)).status_code == 200
    assert (await post(app, EXPERTS)).status_code == 429  # the address's budget is spent
    # the partner, from the very same address, spends its own: the client's kind of budget
    spent = [budget(await post_as(app, EXPERTS, key)) for _ in range(3)]
    assert [(b["limit"], b["used"]) for b in spent] == [(3 * cost, cost), (3 * cost, 2 * cost), (3 * cost, 3 * cost)]
    refused = await post_as(app, EXPERTS, key, address="198.51.100.9")  # its budget follows its key
    assert refused.status_code == 429 and refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    windows = await api.operator(lambda s: windows_of(s, "client:guizhou-portal"))
    assert [(w.spent, w.refused) for w in windows] == [(3 * cost, 1)]
    # the address's budget was not touched by the partner's requests
    assert budget(await post(app, EXPERTS))["used"] == cost


@pytest.mark.parametrize("forged", ["guizhou-portal.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                    "hainan-portal.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                    "guizhou-portal", "garbage", "", "portal.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"])
async def test_a_forged_client_key_is_refused_and_runs_nothing(api, settings, app_engine, forged):
    key = await _register_partner(api, "guizhou-portal")
    app = make_app(settings, app_engine, Clock(T0 + 20))
    response = await post_as(app, EXPERTS, forged)
    assert response.status_code == 401, response.text
    body = response.json()
    assert "data" not in body and body["errors"][0]["extensions"]["code"] == "INVALID_CLIENT_KEY"
    assert "密钥" in body["errors"][0]["extensions"]["messageZh"]
    assert budget(response)["limit"] == RateLimits().anonymous  # answered on the address's budget
    # the real key still works, with another secret's half it does not
    assert budget(await post_as(app, EXPERTS, key))["limit"] == RateLimits().client
    name, secret = key.split(".", 1)
    assert (await post_as(app, EXPERTS, f"{name}.{secret[:-2]}xx")).status_code == 401


async def test_a_revoked_client_key_stops_proving_anything(api, settings, app_engine):
    from ecozone.authz.actor import system_actor
    from ecozone.trusted.service import revoke_client
    key = await _register_partner(api, "fujian-portal")
    app = make_app(replace(settings, trusted_documents_recheck_seconds=0), app_engine, Clock(T0 + 30))
    assert (await post_as(app, EXPERTS, key)).status_code == 200
    await api.operator(lambda s: revoke_client(s, system_actor(), client="fujian-portal"))
    assert (await post_as(app, EXPERTS, key)).status_code == 401
