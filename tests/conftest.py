"""Every test that touches the database runs twice: on SQLite and on PostgreSQL 15.

A migrated template database with the four zones is built once per engine; each test gets a
fresh copy (a file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL).
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass

import httpx
import pytest

from ecozone.db.engine import create_engine
from ecozone.db.migrate import upgrade
from ecozone.settings import PROJECT_ROOT, QueryLimits, Settings
from tests.support.api import Api
from tests.support.db import run_as_operator

# The PostgreSQL cluster; the demo data set and the app over it (demo_api), for every folder.
pytest_plugins = ["tests.support.postgres", "tests.support.demo_fixtures"]

TEMPLATE = "ecozone_template"


@dataclass(frozen=True)
class TestDatabase:
    kind: str
    app_url: str       # what the app connects with (on PostgreSQL: a role bound by RLS)
    operator_url: str  # the tables' owner: migrations, CLI, test set-up


async def _sync_tenants(url: str) -> None:
    from ecozone.tenancy.service import sync_tenants
    await run_as_operator(url, lambda s: sync_tenants(s, PROJECT_ROOT / "tenants"))


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine_kind(request) -> str:
    return request.param


@pytest.fixture(scope="session")
async def template_database(engine_kind, tmp_path_factory, request):
    if engine_kind == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url=url)
        await _sync_tenants(url)
        return path
    cluster = request.getfixturevalue("postgres_cluster")
    cluster.create_database(TEMPLATE)
    upgrade(url=cluster.admin_url(TEMPLATE), app_role="ecozone_app")
    cluster.ensure_app_login()
    await _sync_tenants(cluster.admin_url(TEMPLATE))
    return cluster


@pytest.fixture
async def database(engine_kind, template_database, tmp_path) -> TestDatabase:
    if engine_kind == "sqlite":
        path = tmp_path / "ecozone.sqlite3"
        shutil.copyfile(template_database, path)
        url = f"sqlite+aiosqlite:///{path}"
        yield TestDatabase("sqlite", url, url)
        return
    cluster = template_database
    name = f"t_{uuid.uuid4().hex[:12]}"
    cluster.create_database(name, template=TEMPLATE)
    yield TestDatabase("postgresql", cluster.app_url(name), cluster.admin_url(name))
    cluster.drop_database(name)


@pytest.fixture
def settings(database: TestDatabase) -> Settings:
    return Settings(database_url=database.app_url, migration_database_url=database.operator_url,
                    secret=f"test-{uuid.uuid4().hex}", env="test", limits=QueryLimits())


@pytest.fixture
async def app_engine(settings):
    engine = create_engine(settings.database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def api(settings, app_engine, database) -> Api:
    from ecozone.web.app import create_app
    app = create_app(settings, engine=app_engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://ecozone.test") as client:
        api = Api(client=client, settings=settings, operator_url=database.operator_url)
        yield api
        await api.close()
