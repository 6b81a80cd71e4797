"""The audit log: written in the request's transaction, hash-chained, tamper-evident."""

from __future__ import annotations

import asyncio

from sqlalchemy import delete, func, select, text, update

from ecozone.audit.models import AuditEntry
from ecozone.audit.service import verify
from tests.experts.test_experts_api import CREATE, PROFILE
from tests.support.api import gid

GRANT = """mutation($user: ID!) { grantRole(input: {userId: $user, role: MEMBER}) { __typename } }"""


async def entries(api) -> list[AuditEntry]:
    return await api.operator(lambda s: _all(s))


async def _all(session):
    return list((await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all())


async def test_write_and_denial_are_recorded_and_rejected_input_is_not(api):
    await api.add_user("jx-expert", "jiangxi")
    await api.gql(CREATE, {"input": PROFILE}, user="jx-expert", zone="jiangxi")
    await api.gql(CREATE, {"input": {**PROFILE, "email": "bad"}}, user="jx-expert", zone="jiangxi")
    await api.gql(GRANT, {"user": gid("User", 1)}, user="jx-expert", zone="jiangxi")
    rows = await entries(api)
    assert [(r.chain, r.action, r.outcome) for r in rows] == [
        ("jiangxi", "expert.create", "ok"),
        ("jiangxi", "role.member.grant", "denied"),
    ]
    created = rows[0]
    assert created.actor_id == api.users["jx-expert"]
    assert created.after["nameZh"] == PROFILE["nameZh"] and created.before is None
    report = await api.operator(verify)
    assert report.broken is None and report.entries == 2


async def test_anonymous_denials_go_to_the_global_chain(api):
    response = await api.post(CREATE, {"input": PROFILE})
    assert response.json()["data"]["createExpertProfile"]["__typename"] == "PermissionDenied"
    rows = await entries(api)
    assert [(r.chain, r.zone_id, r.actor_id, r.outcome) for r in rows] == [
        ("global", None, None, "denied")]


async def _tamper(api, statement) -> None:
    async def work(session):
        if session.bind.dialect.name == "postgresql":
            # The operator owns the table; the app role has no UPDATE or DELETE on it at all.
            await session.execute(text("SET LOCAL session_replication_role = replica"))
        await session.execute(statement)
    await api.operator(work)


async def _three_writes(api) -> None:
    await api.add_user("jx-director", "jiangxi", "director")
    for name in ("a", "b", "c"):
        user_id = await api.add_user(name, "jiangxi")
        await api.gql(GRANT, {"user": gid("User", user_id)}, user="jx-director", zone="jiangxi")


async def test_changed_content_is_detected_at_that_entry(api):
    await _three_writes(api)
    await _tamper(api, update(AuditEntry).where(AuditEntry.seq == 2)
                  .values(after={"user_id": 999, "role": "member"}))
    report = await api.operator(verify)
    assert (report.broken.chain, report.broken.seq) == ("jiangxi", 2)
    assert "changed" in report.broken.reason and "改动" in report.broken.reason_zh


async def test_deleted_entry_is_detected(api):
    await _three_writes(api)
    await _tamper(api, delete(AuditEntry).where(AuditEntry.seq == 2))
    report = await api.operator(verify)
    assert (report.broken.seq, report.broken.reason) == (2, "entry 2 is missing (found 3 next)")
    assert report.broken.reason_zh == "第 2 条缺失（其后见到的是第 3 条）"


async def test_truncated_tail_is_detected_by_the_head(api):
    await _three_writes(api)
    await _tamper(api, delete(AuditEntry).where(AuditEntry.seq == 3))
    report = await api.operator(verify)
    assert report.broken is not None and "head" in report.broken.reason and "链头" in report.broken.reason_zh


async def test_concurrent_writers_keep_one_unbroken_chain(api):
    await api.add_user("jx-director", "jiangxi", "director")
    ids = [await api.add_user(f"user{i}", "jiangxi") for i in range(8)]
    results = await asyncio.gather(*(
        api.post(GRANT, {"user": gid("User", i)}, user="jx-director", zone="jiangxi") for i in ids))
    assert all(r.status_code == 200 and "errors" not in r.json() for r in results)
    report = await api.operator(verify)
    assert report.broken is None
    count = await api.operator(lambda s: s.scalar(select(func.count()).select_from(AuditEntry)))
    assert count == 8


AUDIT = """{ auditLog(first: 10) { __typename ... on AuditEntryConnection { totalCount
  edges { node { chain seq action outcome actor { username } } } } } }"""


async def test_director_reads_own_zones_log_only(api):
    await _three_writes(api)
    await api.add_user("gz-director", "guizhou", "director")
    jx = (await api.gql(AUDIT, user="jx-director", zone="jiangxi"))["auditLog"]
    assert jx["totalCount"] == 3
    assert {(e["node"]["chain"], e["node"]["action"]) for e in jx["edges"]} == {("jiangxi", "role.grant")}
    gz = (await api.gql(AUDIT, user="gz-director", zone="guizhou"))["auditLog"]
    assert gz["totalCount"] == 0
    # the Guizhou director cannot even act in Jiangxi: no role there
    await api.zone_refused(AUDIT, user="gz-director", zone="jiangxi")
