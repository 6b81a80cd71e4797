"""The demo data set (``ecozone demo``'s loader), loaded once per engine into a template — a
SQLite file, or a PostgreSQL database used as ``TEMPLATE`` — and the app over a copy of it.

Each test module that asks for ``demo_api`` gets its own copy, so what one module writes (audit
rows of denied reads, for instance) never reaches another. Registered in tests/conftest.py for
every folder: the isolation tests, the portal's pages, the browser journeys.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from ecozone.db.engine import create_engine
from ecozone.demo import load_demo
from ecozone.settings import QueryLimits, Settings
from tests.conftest import TEMPLATE, TestDatabase
from tests.support.api import Api
from tests.support.db import run_as_operator

DEMO_TEMPLATE = "ecozone_demo_template"


@pytest.fixture(scope="session")
async def demo_template(engine_kind, template_database, tmp_path_factory):
    """The migrated, synced database with the demo loaded: a file or a template database."""
    if engine_kind == "sqlite":
        path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
        shutil.copyfile(template_database, path)
        await run_as_operator(f"sqlite+aiosqlite:///{path}", load_demo)
        return path
    cluster = template_database
    cluster.create_database(DEMO_TEMPLATE, template=TEMPLATE)
    await run_as_operator(cluster.admin_url(DEMO_TEMPLATE), load_demo)
    return cluster


@pytest.fixture(scope="module")
async def demo_database(engine_kind, demo_template, tmp_path_factory) -> AsyncIterator[TestDatabase]:
    if engine_kind == "sqlite":
        path = tmp_path_factory.mktemp("demo-copy") / "ecozone.sqlite3"
        shutil.copyfile(demo_template, path)
        url = f"sqlite+aiosqlite:///{path}"
        yield TestDatabase("sqlite", url, url)
        return
    cluster = demo_template
    name = f"demo_{uuid.uuid4().hex[:12]}"
    cluster.create_database(name, template=DEMO_TEMPLATE)
    yield TestDatabase("postgresql", cluster.app_url(name), cluster.admin_url(name))
    cluster.drop_database(name)


@pytest.fixture(scope="module")
async def demo_api(demo_database) -> AsyncIterator[Api]:
    """The app over the demo data, through HTTP (ASGI), as the ``api`` fixture is."""
    from ecozone.web.app import create_app
    settings = Settings(database_url=demo_database.app_url,
                        migration_database_url=demo_database.operator_url,
                        secret=f"test-{uuid.uuid4().hex}", env="test", limits=QueryLimits())
    engine = create_engine(settings.database_url)
    app = create_app(settings, engine=engine)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://ecozone.test") as client:
            api = Api(client=client, settings=settings, operator_url=demo_database.operator_url)
            yield api
            await api.close()
    finally:
        await engine.dispose()
