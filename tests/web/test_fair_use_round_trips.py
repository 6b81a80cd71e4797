"""On PostgreSQL a request's spend travels in the message that begins its transaction
(fairuse/postgresql_spend.py): the messages each request sends, as asyncpg logs them, show one
message for both and no BEGIN of its own; a request that reads nothing spends alone and begins
nothing. SQLite has no such message (its counters are a file of their own)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import event

from ecozone.db.engine import create_engine
from ecozone.settings import RateLimits
from ecozone.web.app import create_app

EXPERTS = "{ experts(first: 3) { ... on ExpertConnection { totalCount } } }"
VIEWER = "{ viewer { roles rateLimit { remaining } } }"


@pytest.fixture
def postgresql(engine_kind, database):
    if engine_kind != "postgresql":
        pytest.skip("the spend's message is PostgreSQL's")
    return database


@pytest.fixture
async def logged(postgresql, settings):
    """An app on a pool of one connection whose every message asyncpg logs (its query logger:
    the driver's own record of what it sent, not a stand-in for the server)."""
    engine = create_engine(postgresql.app_url, pool_size=1)
    sent: list[str] = []

    @event.listens_for(engine.sync_engine, "connect")
    def _log(dbapi_connection, _record) -> None:
        dbapi_connection.driver_connection.add_query_logger(lambda record: sent.append(record.query))
    app = create_app(replace(settings, rate_limits=RateLimits(enabled=True)), engine=engine)
    yield app, sent
    await engine.dispose()


async def post(app, query: str, token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    transport = httpx.ASGITransport(app=app, client=("203.0.113.41", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://ecozone.test") as client:
        response = await client.post("/graphql", json={"query": query}, headers=headers)
    await asyncio.sleep(0)  # asyncpg calls its query loggers soon after a message, not at once
    return response


def begins(sent: list[str]) -> list[str]:
    return [query for query in sent if query.lstrip().upper().startswith(("BEGIN", "ROLLBACK"))]


async def test_an_anonymous_read_spends_in_the_message_that_begins_it(logged):
    app, sent = logged
    await post(app, EXPERTS)  # warm: the pool's connection, its first sweep
    sent.clear()
    response = await post(app, EXPERTS)
    assert response.status_code == 200 and "X-RateLimit-Remaining" in response.headers
    assert begins(sent) == [sent[0]] and sent[0].startswith("BEGIN; SELECT ecozone_fair_use_spend(")
    assert sent[0].endswith("COMMIT; BEGIN")


async def test_a_request_that_reads_nothing_spends_alone_and_begins_nothing(logged):
    app, sent = logged
    await post(app, VIEWER)
    sent.clear()
    response = await post(app, VIEWER)
    assert response.status_code == 200 and response.json()["data"]["viewer"]["roles"] == []
    assert len(sent) == 1 and "INSERT INTO rate_limit_windows" in sent[0]
    assert begins(sent) == []  # no transaction begun, none rolled back


async def test_a_signed_in_request_spends_in_the_message_that_begins_it(logged, api):
    app, sent = logged
    await api.add_user("fu-message", "jiangxi", "member")
    token = api.token("fu-message")
    await post(app, VIEWER, token)
    sent.clear()
    response = await post(app, VIEWER, token)
    assert response.status_code == 200 and response.json()["data"]["viewer"]["roles"] == ["MEMBER"]
    assert begins(sent) == [sent[0]] and sent[0].startswith("BEGIN; SELECT ecozone_fair_use_spend(")


async def test_a_refused_request_runs_nothing_and_leaves_the_connection_idle(logged):
    app, sent = logged
    fair_use = app.state.graphql_view.fair_use
    fair_use.limits = replace(fair_use.limits, anonymous=1)
    fair_use.budgets.limits = fair_use.limits
    response = await post(app, EXPERTS)
    assert response.status_code == 429 and response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert [query for query in sent if "experts" in query.lower()] == []
    # the one connection went back rolled back: the next request is answered on it
    fair_use.limits = replace(fair_use.limits, anonymous=10_000_000)
    fair_use.budgets.limits = fair_use.limits
    assert (await post(app, EXPERTS)).status_code == 200


async def test_a_cached_answers_spend_begins_nothing(logged, api):
    """The response cache answers without the primary's transaction: the spend goes alone, the
    data version is read outside any transaction, and nothing is begun or rolled back."""
    from tests.web.test_response_cache import NEWS, register_documents

    app, sent = logged
    await register_documents(api, NEWS)
    first = await post(app, NEWS)
    assert first.status_code == 200 and "errors" not in first.json()
    sent.clear()
    hit = await post(app, NEWS)
    assert hit.json() == first.json() and "X-RateLimit-Remaining" in hit.headers
    assert begins(sent) == [] and "INSERT INTO rate_limit_windows" in sent[0]
    assert len(sent) == 2  # the spend, the data version: nothing else reached the database


def _prepared(query: str):
    from graphql import get_operation_ast, parse

    from ecozone.web.graphql_prepare import Prepared
    document = parse(query)
    return Prepared(document, get_operation_ast(document), None)


@pytest.mark.parametrize("queries, signed_in, expected", [
    (["{ viewer { roles } }"], False, False),
    (["{ __typename }"], False, False),
    (["{ __schema { queryType { name } } }"], False, False),
    (["{ viewer { rateLimit { remaining } } __typename }"], False, False),
    (["{ viewer { roles } }"], True, True),                       # the scope's settings are a statement
    ([EXPERTS], False, True),
    (["{ viewer { roles } experts(first: 1) { __typename } }"], False, True),
    (["{ viewer { roles } }", EXPERTS], False, True),             # a batch: any operation
    (["{ ...F } fragment F on Query { viewer { roles } }"], False, True),  # a spread: not looked into
    (["mutation { __typename }"], False, True),                   # a mutation always writes its audit
])
def test_which_requests_the_spend_begins(queries, signed_in, expected):
    from ecozone.fairuse.budget import address_client, user_client
    from ecozone.web.fair_use import sends_statements

    client = user_client("someone") if signed_in else address_client("192.0.2.5")
    assert sends_statements([_prepared(query) for query in queries], client) is expected
