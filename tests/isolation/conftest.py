"""Fixtures of the isolation tests: the demo data set, loaded once per engine, and its people.

The demo (``ecozone.demo.load_demo``, the same loader as ``ecozone demo``) is loaded once per
engine into a template: a SQLite file, or a PostgreSQL database used as ``TEMPLATE``. Each test
module that asks for ``demo_api`` gets its own copy, so what one module writes (audit rows of
denied reads, for instance) never reaches another.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select

from ecozone.auth.models import User
from ecozone.authz.models import STAFF_ROLES, RoleAssignment
from ecozone.db.engine import create_engine
from ecozone.db.scoping import Scope
from ecozone.demo import load_demo
from ecozone.settings import QueryLimits, Settings
from ecozone.tenancy.models import Zone
from tests.conftest import TEMPLATE, TestDatabase
from tests.support.api import Api
from tests.support.db import run_as_operator

DEMO_TEMPLATE = "ecozone_demo_template"
# Demo usernames are "<prefix>-director", "<prefix>-secretary", "<prefix>-member1".
ZONE_PREFIXES = {"jiangxi": "jx", "guizhou": "gz", "fujian": "fj", "hainan": "hn"}
ROLES = ("director", "secretary", "expert", "member")


@dataclass(frozen=True)
class Identity:
    """Who sends a request: a demo user acting in a zone, or an anonymous visitor."""

    label: str
    username: str | None
    zone_slug: str | None
    scope: Scope  # what the app derives for this identity (zone, user, staff)


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


@pytest.fixture(scope="module")
async def identities(demo_api) -> list[Identity]:
    """The 16 identities (4 zones × director, secretary, expert, member) and anonymous."""
    async def work(session):
        zones = {z.slug: z.id for z in (await session.scalars(select(Zone))).all()}
        held = (await session.execute(select(RoleAssignment.zone_id, RoleAssignment.role, User.id,
                                             User.username)
                                      .join(User, User.id == RoleAssignment.user_id)
                                      .order_by(User.id))).all()
        return zones, held

    zones, held = await demo_api.operator(work)
    found = []
    for slug, prefix in ZONE_PREFIXES.items():
        zone_id = zones[slug]
        in_zone = [row for row in held if row.zone_id == zone_id]
        for role in ROLES:
            wanted = {"director": f"{prefix}-director", "secretary": f"{prefix}-secretary",
                      "member": f"{prefix}-member1"}.get(role)
            # The demo's experts are users holding the expert role: take the first of the zone.
            row = next(r for r in in_zone if r.role == role and (wanted is None or r.username == wanted))
            roles = frozenset(r.role for r in in_zone if r.id == row.id)
            found.append(Identity(f"{slug}/{role}", row.username, slug,
                                  Scope(zone_id=zone_id, user_id=row.id,
                                        zone_staff=bool(roles & STAFF_ROLES))))
    found.append(Identity("anonymous", None, None, Scope()))
    return found


# X-Zone values a hostile client sends: every zone, an unknown one, none.
ZONE_HEADERS: tuple[str | None, ...] = (*ZONE_PREFIXES, "atlantis", None)


def acting_as(identity: Identity, zone_header: str | None) -> Scope | int:
    """What the app must make of ``identity`` sending ``zone_header``: the scope it acts with,
    or the HTTP status of the refusal (400 unknown zone, 403 a zone the user may not act in).

    The demo's users hold roles in their home zone only, so a signed-in identity acts in its
    own zone (with or without the header) and is refused in every other; an anonymous
    visitor's known X-Zone changes nothing of what it may see.
    """
    if zone_header is not None and zone_header not in ZONE_PREFIXES:
        return 400
    if identity.username is None:
        return Scope()
    if zone_header in (None, identity.zone_slug):
        return identity.scope
    return 403
