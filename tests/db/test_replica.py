"""Reads from a PostgreSQL hot standby (issue 20): a primary and a standby streaming from it on
loopback (``tests/support/replication.py``, ``pg_basebackup -R``); the app with
``database_replica_url`` set. Anonymous queries are answered by the standby, signed-in reads
and mutations by the primary; a standby that lags or is down sends reads to the primary.

Which server answered is proved by the data itself: a change written on the primary behind the
app's back (no data version bump) while the standby's replay is paused is seen by the primary's
answers only.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

import httpx
import pytest
from ecozone.db.migrate import upgrade
from ecozone.db.replica import FALLBACKS, READS
from ecozone.settings import PROJECT_ROOT, QueryLimits, Settings
from ecozone.web.app import create_app

from tests.support.api import Api
from tests.support.db import run_as_operator
from tests.support.replication import replicated_postgres  # noqa: F401 - the fixture

DB = "ecozone_replica"
GQL = "application/graphql-response+json"
ZONE = 'query { zone(slug: "hainan") { nameEn } }'
DRAFT = """mutation($input: DraftNewsArticleInput!) { draftNewsArticle(input: $input) {
  __typename ... on NewsArticle { id } } }"""
NEWS = "query { newsArticles { ... on NewsArticleConnection { totalCount } } }"
TEXTS = {"kind": "NEWS", "titleZh": "备库测试", "titleEn": "Standby test", "bodyZh": "正文。", "bodyEn": "Body."}


@pytest.fixture(scope="module")
async def replicated_database(replicated_postgres):  # noqa: F811 - the fixture imported above
    pair = replicated_postgres
    pair.primary.ensure_app_login()
    pair.primary.create_database(DB)
    upgrade(url=pair.primary.admin_url(DB), app_role="ecozone_app")

    async def sync(session):
        from ecozone.tenancy.service import sync_tenants
        await sync_tenants(session, PROJECT_ROOT / "tenants")

    await run_as_operator(pair.primary.admin_url(DB), sync)
    pair.wait_replayed()
    return pair


@pytest.fixture
async def api(replicated_database):
    pair = replicated_database
    settings = Settings(database_url=pair.primary.app_url(DB), migration_database_url=pair.primary.admin_url(DB),
                        secret=f"test-{uuid.uuid4().hex}", env="test", limits=QueryLimits(),
                        database_replica_url=pair.standby.app_url(DB), response_cache_bytes=0)
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ecozone.test") as client:
        api = Api(client=client, settings=settings, operator_url=pair.primary.admin_url(DB))
        api.app = app
        yield api
        await api.close()
    await app.state.graphql_view.public_reads.stop()
    await app.state.ecozone.engine.dispose()


def count(counter, **labels) -> float:
    return counter.labels(**labels)._value.get()


async def name_of_hainan(api, user: str | None = None) -> str:
    headers = {"Accept": GQL}
    if user:
        headers["Authorization"] = f"Bearer {api.token(user)}"
    response = await api.client.get("/graphql", params={"query": ZONE}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["data"]["zone"]["nameEn"]


def rename_behind_the_apps_back(pair, name: str) -> None:
    """A write on the primary outside the app (no data version bump): the standby, its replay
    paused, keeps the old name, so an answer with the new one came from the primary."""
    with pair.primary_node.connect(DB) as connection:
        connection.execute("UPDATE zones SET name_en = %s WHERE slug = 'hainan'", (name,))


async def test_anonymous_reads_go_to_the_standby_the_rest_to_the_primary(api, replicated_database):
    pair = replicated_database
    user = f"reader-{uuid.uuid4().hex[:6]}"
    await api.add_user(user, "hainan", "member")
    original = await name_of_hainan(api)
    pair.wait_replayed()  # the new user's bump too: else the paused standby is behind, rightly skipped
    pair.pause_replay()
    try:
        rename_behind_the_apps_back(pair, "Hainan (primary only)")
        standby_reads = count(READS, server="standby")
        assert await name_of_hainan(api) == original  # the standby answered
        assert count(READS, server="standby") == standby_reads + 1
        assert await name_of_hainan(api, user) == "Hainan (primary only)"  # signed in: the primary
        assert count(READS, server="standby") == standby_reads + 1
        # A mutation runs on the primary (the standby would refuse any write).
        secretary = f"secretary-{uuid.uuid4().hex[:6]}"
        await api.add_user(secretary, "hainan", "secretary")
        data = await api.gql(DRAFT, {"input": TEXTS}, user=secretary, zone="hainan")
        assert data["draftNewsArticle"]["__typename"] == "NewsArticle"
    finally:
        rename_behind_the_apps_back(pair, original)
        pair.resume_replay()
        pair.wait_replayed()
    with pair.standby_node.connect(DB) as connection:  # the standby is what it says it is
        assert connection.execute("SELECT pg_is_in_recovery()").fetchone()[0]


async def test_a_lagging_standby_sends_reads_to_the_primary(api, replicated_database):
    pair = replicated_database
    secretary = f"secretary-{uuid.uuid4().hex[:6]}"
    await api.add_user(secretary, "hainan", "secretary")
    pair.wait_replayed()
    published_before = (await api.gql(NEWS))["newsArticles"]["totalCount"]
    pair.pause_replay()
    try:
        draft = (await api.gql(DRAFT, {"input": TEXTS}, user=secretary, zone="hainan"))["draftNewsArticle"]
        publish = "mutation($input: PublishNewsArticleInput!) { publishNewsArticle(input: $input) { __typename } }"
        await api.gql(publish, {"input": {"id": draft["id"]}}, user=secretary, zone="hainan")
        behind = count(FALLBACKS, reason="behind")
        # The standby has not replayed the publication: the primary answers, with it.
        assert (await api.gql(NEWS))["newsArticles"]["totalCount"] == published_before + 1
        assert count(FALLBACKS, reason="behind") == behind + 1
    finally:
        pair.resume_replay()
    pair.wait_replayed()
    standby_reads = count(READS, server="standby")
    assert (await api.gql(NEWS))["newsArticles"]["totalCount"] == published_before + 1
    assert count(READS, server="standby") == standby_reads + 1  # caught up: the standby again


async def test_a_standby_that_is_down_sends_reads_to_the_primary(api, replicated_database):
    pair = replicated_database
    replica = api.app.state.graphql_view.public_reads.replica
    original = await name_of_hainan(api)
    pair.stop_standby()
    try:
        unavailable = count(FALLBACKS, reason="unavailable")
        assert await name_of_hainan(api) == original  # answered, by the primary
        assert count(FALLBACKS, reason="unavailable") == unavailable + 1 and not replica.available
        primary_reads = count(READS, server="primary")
        assert await name_of_hainan(api) == original  # not tried again for a while
        assert count(FALLBACKS, reason="unavailable") == unavailable + 1
        assert count(READS, server="primary") == primary_reads + 1
    finally:
        pair.start_standby()
    pair.wait_replayed()
    replica.clock = lambda: float("inf")  # the retry time has passed
    standby_reads = count(READS, server="standby")
    assert await name_of_hainan(api) == original
    assert count(READS, server="standby") == standby_reads + 1


async def test_without_a_replica_setting_everything_runs_on_the_primary(api):
    app = create_app(replace(api.settings, database_replica_url=None))
    try:
        assert app.state.graphql_view.public_reads.replica is None
    finally:
        await app.state.ecozone.engine.dispose()


async def test_a_read_cancelled_by_a_recovery_conflict_counts_as_the_standby_being_away(replicated_database):
    """A standby cancels a running read when replaying the primary's WAL needs what the read
    holds (here an ACCESS EXCLUSIVE lock, after ``max_standby_streaming_delay``). That is the
    standby away for a moment, not a bug: ``database_unavailable`` says so, so a public read
    cancelled this way runs again on the primary (``PublicRead.run``) instead of answering an
    internal error."""
    import threading

    import psycopg
    from ecozone.db.unavailable import database_unavailable

    pair = replicated_database
    with pair.primary_node.connect(DB) as primary:
        primary.execute("CREATE TABLE IF NOT EXISTS recovery_conflict_probe (x int)")
        primary.execute("INSERT INTO recovery_conflict_probe VALUES (1)")
    pair.wait_replayed()
    with pair.standby_node.connect() as standby:
        standby.execute("ALTER SYSTEM SET max_standby_streaming_delay = 0")
        standby.execute("SELECT pg_reload_conf()")
    failures: list[BaseException] = []
    reading = threading.Event()

    def long_read() -> None:
        with pair.standby_node.connect(DB) as standby:
            try:
                reading.set()
                standby.execute("SELECT pg_sleep(20) FROM recovery_conflict_probe")
            except psycopg.Error as exc:
                failures.append(exc)
    reader = threading.Thread(target=long_read)
    try:
        reader.start()
        reading.wait(10)
        with pair.standby_node.connect(DB) as watcher:  # until the read holds its lock
            for _ in range(200):
                if watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE query LIKE "
                                   "'SELECT pg_sleep(20)%' AND state = 'active'").fetchone()[0]:
                    break
                threading.Event().wait(0.05)
        with pair.primary_node.connect(DB) as primary, primary.transaction():
            primary.execute("LOCK TABLE recovery_conflict_probe IN ACCESS EXCLUSIVE MODE")
        reader.join(30)
    finally:
        with pair.standby_node.connect() as standby:
            standby.execute("ALTER SYSTEM RESET max_standby_streaming_delay")
            standby.execute("SELECT pg_reload_conf()")
    assert not reader.is_alive()
    assert len(failures) == 1, "replay did not cancel the read"
    conflict = failures[0]
    assert conflict.sqlstate == "40001" and "conflict with recovery" in str(conflict), conflict
    assert database_unavailable(conflict)
