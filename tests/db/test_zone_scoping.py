"""One mechanism scopes every query by zone; PostgreSQL row-level security enforces it again."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from ecozone.authz.models import RoleAssignment
from ecozone.db.engine import create_engine, new_session
from ecozone.db.scoping import Scope, apply_scope
from ecozone.tenancy.models import Zone


@pytest.fixture
async def two_zones(api):
    await api.add_user("jx-director", "jiangxi", "director", "secretary")
    await api.add_user("gz-director", "guizhou", "director")
    zones = await api.operator(lambda s: s.execute(select(Zone.slug, Zone.id)))
    return dict(zones.all())


async def roles_seen(engine, scope: Scope) -> list[str]:
    async with new_session(engine, scope) as session, session.begin():
        rows = await session.scalars(select(RoleAssignment))
        return sorted(f"{r.zone_id}:{r.role}" for r in rows)


async def test_orm_queries_see_the_acting_zone_only(app_engine, two_zones):
    jx, gz = two_zones["jiangxi"], two_zones["guizhou"]
    assert await roles_seen(app_engine, Scope(zone_id=gz)) == [f"{gz}:director"]
    assert await roles_seen(app_engine, Scope(zone_id=jx)) == [f"{jx}:director", f"{jx}:secretary"]
    assert await roles_seen(app_engine, Scope()) == []  # anonymous, no zone: nothing private


async def test_writing_a_row_of_another_zone_is_refused(app_engine, two_zones, api):
    async with new_session(app_engine, Scope(zone_id=two_zones["guizhou"])) as session:
        await session.begin()
        session.add(RoleAssignment(zone_id=two_zones["jiangxi"], role="member",
                                   user_id=api.users["gz-director"]))
        with pytest.raises(PermissionError, match="acting in zone"):
            await session.flush()
        await session.rollback()


async def test_raw_sql_through_the_apps_connection_is_bound_by_rls(app_engine, two_zones, database):
    if database.kind != "postgresql":
        pytest.skip("SQLite has no row-level security: the ORM scoping is its only guard")
    gz = two_zones["guizhou"]
    async with new_session(app_engine, Scope(zone_id=gz)) as session, session.begin():
        zones = (await session.execute(text("SELECT DISTINCT zone_id FROM role_assignments"))).scalars().all()
    assert zones == [gz]


async def test_zone_does_not_leak_to_the_next_user_of_a_pooled_connection(settings, two_zones, database):
    if database.kind != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no per-transaction setting")
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with new_session(engine, Scope()) as session, session.begin():
            await apply_scope(session, Scope(zone_id=two_zones["jiangxi"]))
            first = (await session.execute(text("SELECT count(*) FROM role_assignments"))).scalar()
        async with new_session(engine, Scope()) as session, session.begin():
            setting = (await session.execute(text("SELECT current_setting('ecozone.zone', true)"))).scalar()
            second = (await session.execute(text("SELECT count(*) FROM role_assignments"))).scalar()
    finally:
        await engine.dispose()
    assert first == 2 and second == 0 and not setting
