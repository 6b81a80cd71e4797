"""The performance machinery of the HTTP layer: SQL statement counter, document cache, orjson."""

from __future__ import annotations

import re

from ecozone.web import graphql_prepare
from ecozone.web.app import create_app

ZONES = "{ zones { edges { node { slug } } } }"


def _metric(text: str, name: str) -> float:
    return sum(float(m.group(1)) for m in re.finditer(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.MULTILINE))


async def test_metrics_count_sql_statements_and_requests(api):
    before = (await api.client.get("/metrics")).text
    await api.gql(ZONES)
    after = (await api.client.get("/metrics")).text
    assert _metric(after, "ecozone_sql_statements_total") > _metric(before, "ecozone_sql_statements_total")
    assert _metric(after, "ecozone_graphql_requests_total") == _metric(before, "ecozone_graphql_requests_total") + 1
    assert "process_resident_memory_bytes" in after and "ecozone_worker_pid" in after


async def test_metrics_time_the_permission_checks_of_a_signed_in_request(api):
    await api.add_user("timed-member", "jiangxi", "member")

    def authz(text: str, part: str) -> float:
        return _metric(text, rf'ecozone_authz_seconds_total{{part="{part}"}}')
    before = (await api.client.get("/metrics")).text
    await api.gql(ZONES)  # anonymous: no roles to load
    middle = (await api.client.get("/metrics")).text
    assert authz(middle, "roles") == authz(before, "roles")
    await api.gql("mutation { markNotificationsRead(input: {}) { __typename } }", user="timed-member")
    after = (await api.client.get("/metrics")).text
    assert authz(after, "roles") > authz(middle, "roles")
    assert authz(after, "decision") > authz(middle, "decision")


async def test_a_repeated_document_is_parsed_and_validated_once(api, monkeypatch):
    calls = []
    real_parse = graphql_prepare.parse
    monkeypatch.setattr(graphql_prepare, "parse", lambda *a, **k: calls.append(1) or real_parse(*a, **k))
    query = "{ zones { edges { node { slug nameZh } } } }"
    first = await api.gql(query)
    assert await api.gql(query) == first
    assert len(calls) == 1


async def test_invalid_documents_are_not_cached_and_still_refused(api, monkeypatch):
    calls = []
    real_parse = graphql_prepare.parse
    monkeypatch.setattr(graphql_prepare, "parse", lambda *a, **k: calls.append(1) or real_parse(*a, **k))
    for _ in range(2):
        response = await api.post("{ zones { edges { node { noSuchField } } } }")
        assert response.status_code == 400 and "data" not in response.json()
    for _ in range(2):
        response = await api.post("{ zones { slug ")
        assert response.status_code == 400
    assert len(calls) == 4


async def test_the_document_cache_is_bounded(api, monkeypatch):
    monkeypatch.setattr(graphql_prepare, "DOCUMENT_CACHE_SIZE", 3)
    for n in range(5):
        await api.gql(f"{{ zones {{ edges {{ node {{ a{n}: slug }} }} }} }}")
    view = next(r.endpoint.__self__ for r in _app_routes(api) if getattr(r, "path", "") == "/graphql"
                and hasattr(r, "endpoint") and hasattr(r.endpoint, "__self__"))
    assert len(view.preparation.documents) == 3


def _app_routes(api):
    return api.client._transport.app.routes


async def test_responses_are_compact_utf8_json(api):
    response = await api.post("{ zones { edges { node { nameZh } } } }")
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    raw = response.content
    assert "江西".encode() in raw and b'": ' not in raw


def test_create_app_counts_statements_of_the_engine_once(settings):
    from ecozone.db.engine import create_engine
    from ecozone.web.metrics import _count_statement
    from sqlalchemy import event
    engine = create_engine(settings.database_url)
    create_app(settings, engine=engine)
    create_app(settings, engine=engine)
    assert event.contains(engine.sync_engine, "before_cursor_execute", _count_statement)


async def test_the_zone_setting_is_sent_once_per_change(api, app_engine, database):
    """PostgreSQL: an anonymous transaction sends no settings (unset reads as anonymous under
    row-level security); a signed-in one sets its zone and user once, in the statement that
    reads the account and its roles (issue 20: three statements fewer)."""
    if database.kind != "postgresql":
        return
    from sqlalchemy import event
    await api.add_user("scope-secretary", "jiangxi", "secretary")
    sent: list[str] = []

    def watch(_conn, _cursor, statement, *_args):
        if "set_config(" in statement:
            sent.append(statement)
    event.listen(app_engine.sync_engine, "before_cursor_execute", watch)
    try:
        await api.gql(ZONES)
        assert sent == []
        await api.gql(ZONES, user="scope-secretary")
        assert len(sent) == 1 and "FROM users JOIN zones" in sent[0]  # the account's own statement
    finally:
        event.remove(app_engine.sync_engine, "before_cursor_execute", watch)
