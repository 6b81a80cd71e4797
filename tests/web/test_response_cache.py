"""The response cache of anonymous public reads (issue 20) through HTTP on both databases: a
cached answer is served without touching the data; a committed mutation is seen by the very
next read on another app (another worker on the same database); a rolled-back write changes
nothing; workers share invalidation; fair use spends on cached answers as on others; signed-in
and per-client answers are never cached."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import httpx
import pytest
from ecozone.authz.actor import system_actor
from ecozone.db.data_version import DataVersions
from ecozone.db.engine import create_engine
from ecozone.graphql.schema import build_schema
from ecozone.settings import QueryLimits
from ecozone.trusted.rules import Entry, document_id
from ecozone.trusted.service import register
from ecozone.web import metrics
from ecozone.web.app import create_app
from sqlalchemy import text

GQL = "application/graphql-response+json"
NEWS = "query News { newsArticles { ... on NewsArticleConnection { totalCount } } }"
ZONE = "query Zone($slug: String!) { zone(slug: $slug) { slug nameEn } }"
BUDGET = "query Budget { viewer { rateLimit { remaining } } }"
ARTICLE = "__typename ... on NewsArticle { id state } ... on Failure { code }"
TEXTS = {"kind": "ANNOUNCEMENT", "titleZh": "缓存测试通知", "titleEn": "A notice for the cache test",
         "bodyZh": "正文。", "bodyEn": "Body."}


async def register_documents(api, *texts: str) -> None:
    entries = [Entry(document_id(t), t) for t in texts]
    await api.operator(lambda session: register(session, system_actor(), client="cache-test", entries=entries,
                                                schema=build_schema()._schema, limits=QueryLimits()))


@pytest.fixture
async def worker(settings):
    """``worker()``: another app on the same database with an engine of its own, as a second
    worker process would have (its own pool, its own cache)."""
    made = []

    async def make(**changes):
        engine = create_engine(settings.database_url)
        app = create_app(replace(settings, **changes), engine=engine)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ecozone.test")
        made.append((client, engine, app))
        return client, app

    yield make
    for client, engine, app in made:
        await client.aclose()
        await app.state.graphql_view.public_reads.stop()
        await engine.dispose()


def statements() -> float:
    return metrics.SQL_STATEMENTS._value.get()


async def get(client, key: str, variables: dict | None = None, headers: dict | None = None) -> httpx.Response:
    params = {"documentId": key}
    if variables is not None:
        params["variables"] = json.dumps(variables)
    return await client.get("/graphql", params=params, headers={"Accept": GQL, **(headers or {})})


async def news_count(client) -> int:
    response = await get(client, document_id(NEWS))
    assert response.status_code == 200, response.text
    return response.json()["data"]["newsArticles"]["totalCount"]


async def publish(api, client, user: str = "jx-secretary") -> None:
    headers = {"Accept": GQL, "Authorization": f"Bearer {api.token(user)}", "X-Zone": "jiangxi"}
    body = {"query": f"mutation($input: DraftNewsArticleInput!) {{ draftNewsArticle(input: $input) {{ {ARTICLE} }} }}",
            "variables": {"input": TEXTS}}
    draft = (await client.post("/graphql", json=body, headers=headers)).json()["data"]["draftNewsArticle"]
    body = {"query": f"mutation($input: PublishNewsArticleInput!) {{ publishNewsArticle(input: $input) {{ {ARTICLE} }} }}",
            "variables": {"input": {"id": draft["id"]}}}
    published = (await client.post("/graphql", json=body, headers=headers)).json()["data"]["publishNewsArticle"]
    assert published["state"] == "PUBLISHED", published


async def test_a_cached_answer_is_served_without_touching_the_data(api):
    await register_documents(api, NEWS, ZONE)
    before = statements()
    first = await get(api.client, document_id(ZONE), {"slug": "hainan"})
    assert first.status_code == 200 and statements() > before
    before = statements()
    second = await get(api.client, document_id(ZONE), {"slug": "hainan"})
    assert statements() == before  # no SQL through the app's engine: the cache answered
    assert second.content == first.content and second.headers["etag"] == first.headers["etag"]
    assert second.headers["content-type"] == first.headers["content-type"]
    assert second.headers["cache-control"].startswith("public")
    # Another variable, another zone header, another media type: each its own entry.
    other = await get(api.client, document_id(ZONE), {"slug": "guizhou"})
    assert other.json()["data"]["zone"]["slug"] == "guizhou"
    as_json = await api.client.get("/graphql", params={"documentId": document_id(ZONE), "variables": '{"slug":"hainan"}'},
                                   headers={"Accept": "application/json"})
    assert as_json.headers["content-type"].startswith("application/json") and as_json.json() == first.json()
    # Acting in a zone is another key: run, never the zone-less answer (nor another zone's).
    before = statements()
    zoned = await get(api.client, document_id(ZONE), {"slug": "hainan"}, {"X-Zone": "jiangxi"})
    assert zoned.status_code == 200 and statements() > before
    # A made-up zone: refused every time, nothing kept.
    for _ in range(2):
        refused = await get(api.client, document_id(ZONE), {"slug": "hainan"}, {"X-Zone": "atlantis"})
        assert refused.status_code == 400 and refused.json()["errors"][0]["extensions"]["code"] == "UNKNOWN_ZONE"
    # The client's copy: 304 from the cache, nothing run.
    before = statements()
    again = await get(api.client, document_id(ZONE), {"slug": "hainan"}, {"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and statements() == before


async def test_a_committed_mutation_is_seen_by_the_next_read_on_another_worker(api, worker):
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await register_documents(api, NEWS)
    writer, _ = await worker()
    reader, _ = await worker()
    assert await news_count(writer) == 0 and await news_count(reader) == 0
    before = statements()
    assert await news_count(reader) == 0 and statements() == before  # cached on the reader
    await publish(api, writer)
    assert await news_count(reader) == 1  # the very next read, on the other worker
    assert await news_count(writer) == 1
    before = statements()
    assert await news_count(reader) == 1 and statements() == before  # and cached again


async def test_a_rolled_back_write_does_not_bump_the_version(api, database):
    await register_documents(api, NEWS)
    engine = create_engine(database.app_url)
    versions = DataVersions(engine)
    try:
        start = await versions.current()
        await news_count(api.client)

        async def write_then_fail(session):
            await session.execute(text("UPDATE zones SET name_en = name_en || ' (renamed)'"))
            raise RuntimeError("changed my mind")

        with pytest.raises(RuntimeError):
            await api.operator(write_then_fail)
        assert await versions.current() == start
        before = statements()
        await news_count(api.client)
        assert statements() == before  # still the cached answer
        # A refused mutation writes only its denial to the audit log: not a change of data.
        refused = await api.client.post("/graphql", headers={"Accept": GQL}, json={
            "query": f"mutation($input: DraftNewsArticleInput!) {{ draftNewsArticle(input: $input) {{ {ARTICLE} }} }}",
            "variables": {"input": TEXTS}})
        assert refused.json()["data"]["draftNewsArticle"]["__typename"] == "PermissionDenied"
        assert await versions.current() == start
        # A committed write of the operator (the CLI's path) bumps it by one.
        await api.operator(lambda session: session.execute(text("UPDATE zones SET name_en = name_en")))
        assert await versions.current() == start + 1
    finally:
        versions.close()
        await engine.dispose()


async def test_workers_share_invalidation(api, worker, engine_kind):
    """PostgreSQL: a bump is NOTIFYed at commit and every worker's listener drops its entries
    without being asked; SQLite: the next request of any worker reads the new version."""
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await register_documents(api, NEWS)
    writer, _ = await worker()
    reader, reader_app = await worker()
    reads = reader_app.state.graphql_view.public_reads
    await reads.start()  # what the app's lifespan does in a server
    await news_count(reader)
    assert len(reads.cache) == 1
    seen = reads.versions.latest
    await publish(api, writer)
    if engine_kind == "postgresql":
        for _ in range(100):
            if reads.versions.latest > seen:
                break
            await asyncio.sleep(0.05)
        assert reads.versions.latest > seen and len(reads.cache) == 0  # told, not asked
    else:
        assert reads.listener is None and len(reads.cache) == 1
    assert await news_count(reader) == 1 and reads.versions.latest > seen


async def test_fair_use_spends_on_a_cached_answer_as_on_any_other(api):
    await register_documents(api, NEWS)
    first = await get(api.client, document_id(NEWS))
    before = statements()
    second = await get(api.client, document_id(NEWS))
    assert statements() == before
    assert second.headers["x-ratelimit-cost"] == first.headers["x-ratelimit-cost"]
    spent = int(first.headers["x-ratelimit-cost"])
    assert int(second.headers["x-ratelimit-used"]) == int(first.headers["x-ratelimit-used"]) + spent


async def test_signed_in_and_per_client_answers_are_never_cached(api):
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await api.add_user("jx-director", "jiangxi", "director")
    await register_documents(api, NEWS, BUDGET)
    headers = {"Authorization": f"Bearer {api.token('jx-secretary')}", "X-Zone": "jiangxi"}
    body = {"query": f"mutation($input: DraftNewsArticleInput!) {{ draftNewsArticle(input: $input) {{ {ARTICLE} }} }}",
            "variables": {"input": TEXTS}}
    await api.client.post("/graphql", json=body, headers={"Accept": GQL, **headers})
    assert await news_count(api.client) == 0  # anonymous: the draft is not public; now cached
    director = {"Authorization": f"Bearer {api.token('jx-director')}", "X-Zone": "jiangxi"}
    for _ in range(2):
        before = statements()
        response = await get(api.client, document_id(NEWS), headers=director)
        assert response.json()["data"]["newsArticles"]["totalCount"] == 1  # the director sees the draft
        assert statements() > before and response.headers["cache-control"] == "private, no-store"
    # The budget's remaining points differ per request and per client: run every time.
    remaining = []
    for _ in range(2):
        before = statements()
        response = await get(api.client, document_id(BUDGET))
        remaining.append(response.json()["data"]["viewer"]["rateLimit"]["remaining"])
    assert remaining[1] < remaining[0]
    # Unregistered text is run, never cached.
    for _ in range(2):
        before = statements()
        response = await api.client.get("/graphql", params={"query": "{ zones { totalCount } }"},
                                        headers={"Accept": GQL})
        assert response.status_code == 200 and statements() > before


async def test_an_answer_with_errors_is_not_cached(api):
    await register_documents(api, ZONE)
    for _ in range(2):
        before = statements()
        response = await get(api.client, document_id(ZONE), {"slug": "atlantis"})
        body = response.json()
        assert response.status_code == 200 and (body.get("errors") or body["data"]["zone"] is None)
        if body.get("errors"):
            assert statements() > before


async def test_today_is_part_of_the_key(api, monkeypatch):
    import datetime as dt

    from ecozone.consultation import service
    await register_documents(api, NEWS)
    await news_count(api.client)
    before = statements()
    await news_count(api.client)
    assert statements() == before
    tomorrow = service.today() + dt.timedelta(days=1)
    monkeypatch.setattr(service, "today", lambda: tomorrow)
    await news_count(api.client)
    assert statements() > before  # a new day: what stands "today" may have changed


async def test_the_cache_can_be_turned_off(api, worker):
    await register_documents(api, NEWS)
    client, app = await worker(response_cache_bytes=0)
    for _ in range(2):
        before = statements()
        await news_count(client)
        assert statements() > before
    assert not app.state.graphql_view.public_reads.caching


async def test_the_portals_pages_read_through_the_cache(api):
    """The portal's pages run their documents as anonymous GETs of registered documents do."""
    from tests.news.test_news_api import project_on_notice
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await api.add_user("jx-member", "jiangxi", "member")
    pages = []
    for _ in range(2):
        before = statements()
        page = await api.client.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 200, page.text[:300]
        pages.append((page.text, statements() - before))
    assert pages[0][1] > 0 and pages[1][1] == 0 and pages[1][0] == pages[0][0]
    await project_on_notice(api)  # a project on public notice: on the home page at once
    page = await api.client.get("/", headers={"Accept": "text/html"})
    assert "绿色生态标准体系研究" in page.text and "绿色生态标准体系研究" not in pages[0][0]
