"""No audit row is ever lost (issue 13, DESIGN §3.7): a denial, like a write, takes its turn.

Found by a hostile client: 80 parallel `{ auditLog { __typename } }` requests as a Guizhou
member over 8 connections on SQLite answered 70 "database is locked" (the audit chain's head
was updated inside a read transaction that had not taken the write turn) and recorded 10.
Now every denial of a query waits in the session and is written after the read, in a write
transaction that takes its turn. Run against a real server (uvicorn) over 8 HTTP connections.
"""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import select

from ecozone.audit.models import AuditEntry
from ecozone.audit.service import verify
from tests.experts.test_experts_api import CREATE, PROFILE
from tests.notifications.test_subscriptions import live_server

DENIED = "{ auditLog { __typename ... on Failure { code } } }"
CONNECTIONS = 8


async def _post(client: httpx.AsyncClient, api, query: str, variables=None, *, user: str) -> dict:
    response = await client.post("/graphql", json={"query": query, "variables": variables},
                                 headers=api.headers(user))
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def _entries(api) -> list[AuditEntry]:
    async def work(s):
        return list((await s.scalars(select(AuditEntry).order_by(AuditEntry.chain, AuditEntry.seq))).all())
    return await api.operator(work)


async def _burst(api, settings, app_engine, calls) -> list[dict]:
    async with live_server(settings, app_engine) as server, httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{server.port}", limits=httpx.Limits(max_connections=CONNECTIONS),
            timeout=60) as client:
        return await asyncio.gather(*(call(client) for call in calls))


async def test_eighty_parallel_denials_give_eighty_answers_and_eighty_rows(api, settings, app_engine):
    await api.add_user("gz-member", "guizhou", "member")
    answers = await _burst(api, settings, app_engine, [
        lambda c: _post(c, api, DENIED, user="gz-member") for _ in range(80)])
    assert [a["auditLog"]["code"] for a in answers] == ["permission_denied"] * 80
    rows = await _entries(api)
    assert len(rows) == 80
    assert {(r.chain, r.action, r.outcome, r.actor_id) for r in rows} == {
        ("guizhou", "audit.read", "denied", api.users["gz-member"])}
    assert [r.seq for r in rows] == list(range(1, 81))
    report = await api.operator(verify)
    assert report.broken is None and report.entries == 80


async def test_writes_and_denials_interleaved_lose_nothing(api, settings, app_engine):
    writers = [f"gz-writer{i}" for i in range(20)]
    for name in writers:
        await api.add_user(name, "guizhou", "member")
    calls = []
    for i, name in enumerate(writers):
        profile = {**PROFILE, "nameZh": f"专家{i}", "orcid": None}
        calls.append(lambda c, name=name, profile=profile: _post(
            c, api, CREATE, {"input": profile}, user=name))
        calls.extend(lambda c, name=name: _post(c, api, DENIED, user=name) for _ in range(3))
    answers = await _burst(api, settings, app_engine, calls)
    created = [a for a in answers if "createExpertProfile" in a]
    assert [a["createExpertProfile"]["__typename"] for a in created] == ["Expert"] * 20
    rows = await _entries(api)
    assert sorted((r.action, r.outcome) for r in rows).count(("expert.create", "ok")) == 20
    assert [(r.action, r.outcome) for r in rows].count(("audit.read", "denied")) == 60
    assert len(rows) == 80
    report = await api.operator(verify)
    assert report.broken is None and report.entries == 80
