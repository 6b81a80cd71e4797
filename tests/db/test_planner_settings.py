"""The planner settings the app's PostgreSQL connections carry (db/engine.py): sent in the
startup packet, so every pooled connection has them from its first statement, with no round trip.
random_page_cost is the operator's (ECOZONE_POSTGRESQL_RANDOM_PAGE_COST), or PostgreSQL's own."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import make_url, text

from ecozone.db.engine import postgresql_server_settings, create_engine, new_session
from ecozone.db.scoping import ANONYMOUS
from ecozone.settings import DEFAULT_RANDOM_PAGE_COST, load_settings
from tests.support.db import run_as_operator

SHOWN = text("SELECT setting, source FROM pg_settings WHERE name = 'random_page_cost'")


async def _shown(engine) -> tuple[str, str] | None:
    """random_page_cost as a new session of ``engine`` sees it, and where it came from
    (PostgreSQL only: None on SQLite, which has no such setting)."""
    async with new_session(engine, ANONYMOUS) as session:
        if engine.dialect.name != "postgresql":
            assert (await session.execute(text("SELECT 1"))).scalar_one() == 1  # it connects
            return None
        setting, source = (await session.execute(SHOWN)).one()
        assert (await session.execute(text("SHOW random_page_cost"))).scalar_one() == setting
        return setting, source


async def _shown_with(url: str, **engine_options) -> tuple[str, str] | None:
    engine = create_engine(url, **engine_options)
    try:
        return await _shown(engine)
    finally:
        await engine.dispose()


async def test_the_app_connections_price_index_lookups_as_in_memory(engine_kind, database):
    shown = await _shown_with(database.app_url)
    if engine_kind == "postgresql":
        # PostgreSQL's default (4) planned a page of standards' versions, zones, ballots and
        # comment counts as hashed scans of every standard instead of a primary-key lookup per row.
        assert shown == ("1.1", "client") and DEFAULT_RANDOM_PAGE_COST == 1.1


async def test_the_operator_sets_the_cost(engine_kind, database):
    shown = await _shown_with(database.app_url, random_page_cost=2.5)
    if engine_kind == "postgresql":
        assert shown == ("2.5", "client")


async def test_the_app_uses_the_settings_cost(engine_kind, database, settings):
    from ecozone.web.app import create_app

    app = create_app(dataclasses.replace(settings, postgresql_random_page_cost=4.0))
    try:
        shown = await _shown(app.state.ecozone.engine)
    finally:
        await app.state.ecozone.engine.dispose()
    if engine_kind == "postgresql":
        assert shown == ("4", "client")  # a deployment on spinning disks: PostgreSQL's default


async def test_sending_nothing_leaves_it_to_the_server(engine_kind, database):
    shown = await _shown_with(database.app_url, random_page_cost=None)
    if engine_kind == "sqlite":
        return
    setting, source = shown
    assert source != "client" and setting == "4"  # the test cluster leaves PostgreSQL's default
    # What sending nothing is for: the database's (or role's) setting now applies; a setting
    # sent at connection start would win over it.
    name = make_url(database.operator_url).database

    async def tune(session):
        await session.execute(text(f'ALTER DATABASE "{name}" SET random_page_cost = 3'))

    await run_as_operator(database.operator_url, tune)
    assert await _shown_with(database.app_url, random_page_cost=None) == ("3", "database")
    assert await _shown_with(database.app_url) == ("1.1", "client")


def test_only_asyncpg_is_given_server_settings():
    assert postgresql_server_settings("postgresql+asyncpg://u@h/db") == {
        "server_settings": {"random_page_cost": "1.1"}}
    assert postgresql_server_settings("postgresql+asyncpg://u@h/db", random_page_cost=4.0) == {
        "server_settings": {"random_page_cost": "4.0"}}
    assert postgresql_server_settings("postgresql+asyncpg://u@h/db", random_page_cost=None) == {
        "server_settings": {}}
    assert postgresql_server_settings("sqlite+aiosqlite:///x.sqlite3") == {}
    assert postgresql_server_settings("postgresql+psycopg://u@h/db") == {}


async def test_the_standby_engine_carries_the_same_settings(engine_kind, database):
    """The standby takes the anonymous reads the setting speeds up (web/response_cache.py); the
    primary stands in for it here (a standby is a server like any other to the setting)."""
    if engine_kind != "postgresql":
        pytest.skip("a standby is PostgreSQL's")
    from ecozone.db.replica import Replica

    for configured, expected in ((DEFAULT_RANDOM_PAGE_COST, ("1.1", "client")), (4.0, ("4", "client"))):
        replica = Replica.from_url(database.app_url, random_page_cost=configured)
        try:
            assert await _shown(replica.engine) == expected
        finally:
            await replica.engine.dispose()


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.delenv("ECOZONE_ENV", raising=False)
    monkeypatch.delenv("ECOZONE_POSTGRESQL_RANDOM_PAGE_COST", raising=False)
    monkeypatch.setenv("ECOZONE_SECRET", "x" * 40)
    monkeypatch.setenv("ECOZONE_VAR_DIR", str(tmp_path))
    return monkeypatch


@pytest.mark.parametrize(("raw", "loaded"), [
    (None, 1.1), ("", 1.1), ("  ", 1.1),  # unset or empty: the default, as every setting
    ("4", 4.0), ("2.5", 2.5), (" 1.1 ", 1.1), ("0.5", 0.5), (".5", 0.5),
    ("server", None), ("SERVER", None),  # nothing sent: the server's, database's or role's
])
def test_the_setting_is_read(env, raw, loaded):
    if raw is not None:
        env.setenv("ECOZONE_POSTGRESQL_RANDOM_PAGE_COST", raw)
    assert load_settings().postgresql_random_page_cost == loaded


@pytest.mark.parametrize("raw", ["-1", "0", "0.0", "fast", "NaN", "nan", "inf", "Infinity", "1e3",
                                 "1_0", "1,5", "9" * 400])
def test_a_cost_that_is_not_a_positive_number_is_refused_at_start(env, raw):
    env.setenv("ECOZONE_POSTGRESQL_RANDOM_PAGE_COST", raw)
    with pytest.raises(SystemExit, match=r"ECOZONE_POSTGRESQL_RANDOM_PAGE_COST must be a positive "
                                         r"decimal number .* or 'server' .*, got "):
        load_settings()


@pytest.mark.parametrize("url", ["sqlite+aiosqlite:///standby.sqlite3", "mysql://reader:s3cret@db.example/ecozone",
                                 "http://standby.example"])
def test_a_replica_url_that_is_not_postgresql_stops_the_app_in_both_languages(url):
    from ecozone.db.replica import Replica
    from ecozone.settings import SettingsInvalid

    with pytest.raises(SettingsInvalid) as refused:
        Replica.from_url(url)
    assert refused.value.english.startswith("ECOZONE_DATABASE_REPLICA_URL must be a PostgreSQL URL")
    assert "必须是 PostgreSQL 地址" in refused.value.chinese
    assert "s3cret" not in str(refused.value)  # a URL may hold a password: never repeated
