"""``/healthz`` (alive) and ``/readyz`` (database answers, migrations at head), issue 21."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

from ecozone.db.engine import create_engine
from ecozone.settings import QueryLimits, Settings
from ecozone.web.app import create_app
from ecozone.web.readiness import code_heads


@pytest.fixture
async def served(settings, app_engine):
    app = create_app(settings, engine=app_engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://ecozone.test") as client:
        yield app, client


async def test_ready_when_the_database_answers_at_head(served):
    # On PostgreSQL this runs as the app's login: it may read alembic_version (migrations/env.py).
    _app, client = served
    response = await client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    heads = sorted(code_heads())
    assert response.json() == {"status": "ready", "database": "ok",
                               "migrations": {"current": heads, "head": heads, "atHead": True}}


async def test_not_ready_behind_head_and_the_answer_is_cached_briefly(served, api):
    app, client = served
    assert (await client.get("/readyz")).status_code == 200

    async def behind(session):
        await session.execute(text("UPDATE alembic_version SET version_num = '0009'"))
    await api.operator(behind)
    # cached: probes arriving within the TTL cost the database nothing
    assert (await client.get("/readyz")).status_code == 200
    app.state.readiness.ttl = 0
    response = await client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["database"] == "ok"
    assert body["migrations"]["current"] == ["0009"] and body["migrations"]["atHead"] is False
    assert "ecozone db upgrade" in body["migrations"]["hint"]
    # alive all the same
    assert (await client.get("/healthz")).json() == {"status": "ok"}

    # A newer release migrated (a revision this code does not know): old workers keep serving
    # until they are restarted one by one (README, Upgrading).
    async def ahead(session):
        await session.execute(text("UPDATE alembic_version SET version_num = '9999_newer'"))
    await api.operator(ahead)
    response = await client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["migrations"] == {"current": ["9999_newer"], "head": sorted(code_heads()),
                                             "atHead": False, "databaseAhead": True}


async def test_database_down_is_not_ready_but_alive(engine_kind, tmp_path, request):
    if engine_kind == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'ecozone.sqlite3'}"
    else:
        import socket
        with socket.socket() as sock:  # a port nothing listens on
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        url = f"postgresql+asyncpg://nobody:nothing@127.0.0.1:{port}/ecozone"
    settings = Settings(database_url=url, migration_database_url=url, secret="x" * 40, env="test",
                        limits=QueryLimits())
    engine = create_engine(url)
    try:
        app = create_app(settings, engine=engine)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://ecozone.test") as client:
            ready = await client.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["database"] == "unreachable"
            alive = await client.get("/healthz")
            assert alive.status_code == 200 and alive.json() == {"status": "ok"}
    finally:
        await engine.dispose()


async def test_no_migrations_is_not_ready(engine_kind, tmp_path):
    if engine_kind != "sqlite":
        pytest.skip("the empty-database case is the same on both engines; SQLite is enough")
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"
    settings = Settings(database_url=url, migration_database_url=url, secret="x" * 40, env="test",
                        limits=QueryLimits())
    engine = create_engine(url)
    try:
        app = create_app(settings, engine=engine)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://ecozone.test") as client:
            ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["database"] == "ok"
        assert ready.json()["migrations"]["current"] is None
    finally:
        await engine.dispose()
