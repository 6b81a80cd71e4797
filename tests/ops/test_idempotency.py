"""Retries never double a write: the Idempotency-Key header of mutations (issue 21), through
HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import sys
import time

import httpx
import pytest
from sqlalchemy import func, select, text

from ecozone.idempotency.models import IdempotencyKey
from ecozone.projects.models import Project
from ecozone.settings import PROJECT_ROOT
from ecozone.web import graphql_http

PROPOSE = """mutation($input: ProposeProjectInput!) { proposeProject(input: $input) {
  __typename ... on Project { id titleEn } ... on Failure { code message } } }"""


def proposal(title: str = "Retry-safe proposal") -> dict:
    return {"input": {"kind": "RESEARCH_TOPIC", "titleZh": "重试安全的立项", "titleEn": title,
                      "summary": "测试", "proposerUnit": "示例单位"}}


async def _post(client: httpx.AsyncClient, api, key: str | None, variables: dict, *,
                user: str | None = "jx-proposer", extra: dict | None = None) -> httpx.Response:
    headers = api.headers(user, "jiangxi" if user else None)
    if key is not None:
        headers["Idempotency-Key"] = key
    headers.update(extra or {})
    return await client.post("/graphql", json={"query": PROPOSE, "variables": variables},
                             headers=headers)


async def _projects(api) -> int:
    return await api.operator(lambda s: s.scalar(select(func.count()).select_from(Project)))


async def _keys(api) -> int:
    return await api.operator(lambda s: s.scalar(select(func.count()).select_from(IdempotencyKey)))


@pytest.fixture
async def proposer(api):
    await api.add_user("jx-proposer", "jiangxi", "member")
    await api.add_user("jx-other", "jiangxi", "member")
    return api


async def test_a_retry_gets_the_first_answer_without_running_again(proposer):
    api = proposer
    before = await _projects(api)
    first = await _post(api.client, api, "key-0001", proposal())
    assert first.status_code == 200, first.text
    assert first.json()["data"]["proposeProject"]["__typename"] == "Project"
    assert "idempotent-replayed" not in first.headers
    again = await _post(api.client, api, "key-0001", proposal())
    assert again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert await _projects(api) == before + 1
    # Another user's key of the same spelling is theirs: it runs.
    theirs = await _post(api.client, api, "key-0001", proposal(), user="jx-other")
    assert theirs.status_code == 200 and "idempotent-replayed" not in theirs.headers
    assert theirs.json()["data"]["proposeProject"]["id"] != first.json()["data"]["proposeProject"]["id"]
    # Without a key, each request is a write of its own, as before.
    await _post(api.client, api, None, proposal())
    await _post(api.client, api, None, proposal())
    assert await _projects(api) == before + 4
    # Queries ignore the header.
    query = await api.client.post("/graphql", json={"query": "{ zones { totalCount } }"},
                                  headers={**api.headers("jx-proposer"), "Idempotency-Key": "key-0001"})
    assert query.status_code == 200 and "idempotent-replayed" not in query.headers


async def test_the_same_key_for_another_request_is_refused(proposer):
    api = proposer
    first = await _post(api.client, api, "key-reused", proposal("first"))
    assert first.status_code == 200
    before = await _projects(api)
    for changed in ({"variables": proposal("second")}, {"zone": "guizhou"}):
        headers = {"X-Zone": changed["zone"]} if "zone" in changed else None
        response = await _post(api.client, api, "key-reused", changed.get("variables", proposal("first")),
                               extra=headers)
        if "zone" in changed and response.status_code == 403:
            continue  # not a member of that zone: refused before the key is looked at
        assert response.status_code == 422, response.text
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
        assert "Idempotency-Key" in error["message"] and "Idempotency-Key" in error["extensions"]["messageZh"]
        assert "in the last 24 hours" in error["message"] and "在 24 小时内" in error["extensions"]["messageZh"]
        assert "data" not in response.json()
    assert await _projects(api) == before


@pytest.mark.parametrize("key", ["", "x" * 256, "with space", "caf\xe9", "tab\there"])
async def test_a_malformed_key_is_a_typed_400(proposer, key):
    api = proposer
    before = await _projects(api)
    headers = {**api.headers("jx-proposer", "jiangxi"), "Content-Type": "application/json"}
    raw = [(k.encode(), v.encode()) for k, v in headers.items()] + [(b"idempotency-key", key.encode("latin-1"))]
    response = await api.client.post("/graphql", content=b'{"query": "mutation($input: ProposeProjectInput!) '
                                     b'{ proposeProject(input: $input) { __typename } }", "variables": '
                                     + __import__("json").dumps(proposal()).encode() + b"}",
                                     headers=raw)
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_INVALID"
    assert "255" in error["message"] and "255" in error["extensions"]["messageZh"]
    assert await _projects(api) == before


async def test_two_key_headers_and_anonymous_keys_are_refused(proposer):
    api = proposer
    headers = [(k.encode(), v.encode()) for k, v in api.headers("jx-proposer", "jiangxi").items()]
    response = await api.client.post("/graphql", json={"query": PROPOSE, "variables": proposal()},
                                     headers=headers + [(b"idempotency-key", b"a"), (b"idempotency-key", b"b")])
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_INVALID"
    anonymous = await _post(api.client, api, "anon-key", proposal(), user=None)
    assert anonymous.status_code == 400, anonymous.text
    error = anonymous.json()["errors"][0]
    assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_NEEDS_SIGN_IN"
    assert error["extensions"]["messageZh"]


async def test_a_rolled_back_mutation_leaves_no_answer(proposer, monkeypatch):
    api = proposer
    before = await _projects(api)

    async def broken(*_args, **_kwargs):
        raise RuntimeError("planted failure after the mutation ran, before commit")
    with monkeypatch.context() as patch:
        patch.setattr(graphql_http, "write_deferred", broken)
        with pytest.raises(RuntimeError, match="planted"):  # ASGITransport raises the app's 500
            await _post(api.client, api, "key-rolled-back", proposal())
    assert await _projects(api) == before and await _keys(api) == 0
    retry = await _post(api.client, api, "key-rolled-back", proposal())
    assert retry.status_code == 200 and "idempotent-replayed" not in retry.headers
    assert await _projects(api) == before + 1 and await _keys(api) == 1


async def test_keys_expire_after_their_lifetime_and_are_purged(proposer, database, tmp_path):
    api = proposer
    first = await _post(api.client, api, "key-old", proposal("yesterday"))
    assert first.status_code == 200
    day_ago = int(time.time()) - 24 * 3600 - 5

    async def age(session):
        await session.execute(text("UPDATE idempotency_keys SET stored_at = :t"), {"t": day_ago})
    await api.operator(age)
    # Expired: the key starts afresh, even for another request.
    again = await _post(api.client, api, "key-old", proposal("today"))
    assert again.status_code == 200 and "idempotent-replayed" not in again.headers
    assert again.json()["data"]["proposeProject"]["titleEn"] == "today"
    await _post(api.client, api, "key-other", proposal())
    await api.operator(age)
    assert await _keys(api) == 2
    env = {**os.environ, "ECOZONE_DATABASE_URL": database.app_url,
           "ECOZONE_MIGRATION_DATABASE_URL": database.operator_url, "ECOZONE_ENV": "test",
           "ECOZONE_SECRET": api.settings.secret, "ECOZONE_VAR_DIR": str(tmp_path / "var")}
    done = subprocess.run([sys.executable, "-m", "ecozone.cli", "idempotency", "purge"], env=env,
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "deleted 2 idempotency keys" in done.stdout and "已删除 2 个" in done.stdout
    assert await _keys(api) == 0


async def test_two_concurrent_requests_with_one_key_run_once(proposer, settings, app_engine):
    """One runs (held open 0.5 s before committing), the other waits and answers the same."""
    from ecozone.web.app import create_app
    api = proposer
    slow = dataclasses.replace(settings, test_write_delay_seconds=0.5)
    app = create_app(slow, engine=app_engine)
    before = await _projects(api)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://ecozone.test", timeout=30) as client:
        started = time.monotonic()
        first = asyncio.create_task(_post(client, api, "key-concurrent", proposal()))
        await asyncio.sleep(0.1)
        second = asyncio.create_task(_post(client, api, "key-concurrent", proposal()))
        answers = await asyncio.gather(first, second)
        elapsed = time.monotonic() - started
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    assert answers[0].json() == answers[1].json()
    # Which of the two claims the key first is the scheduler's choice on a loaded machine (the
    # 0.1 s head start is not a promise): exactly one ran, the other replayed its answer.
    replayed = sorted(a.headers.get("idempotent-replayed", "ran") for a in answers)
    assert replayed == ["ran", "true"], replayed
    assert await _projects(api) == before + 1
    assert elapsed < 10
