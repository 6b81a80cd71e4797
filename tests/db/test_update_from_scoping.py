"""An UPDATE that reads another zone's rows through a second table (``UPDATE … FROM``) changes
nothing from the wrong zone, on both engines.

SQLAlchemy's loader criteria reach an UPDATE's own table only; scoping.py adds the other scoped
tables' criteria to its WHERE (db/dml_tables.py). On PostgreSQL row-level security would hold
anyway (the app's role is bound by it); on SQLite these statements were unscoped before.
"""

from __future__ import annotations

import pytest
from ecozone.authz.models import RoleAssignment
from ecozone.db.engine import create_engine, new_session
from ecozone.db.scoping import Scope
from ecozone.tenancy.models import Zone
from sqlalchemy import delete, select, update
from sqlalchemy.orm import aliased

OTHER_ROLE = aliased(RoleAssignment, name="other_role")


def _rename_by_role(holder_id: int, *, through_alias: bool):
    """Rename the zones where ``holder_id`` holds a role: Zone is unscoped, the role rows (in
    the holder's zone only) decide which zone rows match."""
    role = OTHER_ROLE if through_alias else RoleAssignment
    return (update(Zone).where(Zone.id == role.zone_id, role.user_id == holder_id)
            .values(name_en="renamed through a role"))


def _rename_to_role(holder_id: int):
    """The same, with the new value read from the role row (SET reads the other table)."""
    return (update(Zone).where(Zone.id == RoleAssignment.zone_id,
                               RoleAssignment.user_id == holder_id)
            .values(name_en=RoleAssignment.role))


@pytest.fixture
async def zones(api):
    gz_director = await api.add_user("gz-director", "guizhou", "director")
    await api.add_user("jx-director", "jiangxi", "director")
    rows = dict((await api.operator(lambda s: s.execute(select(Zone.slug, Zone.id)))).all())
    return rows["jiangxi"], rows["guizhou"], gz_director


async def _names(api) -> dict[int, str]:
    return dict((await api.operator(lambda s: s.execute(select(Zone.id, Zone.name_en)))).all())


# shape -> (the statement for a holder, the zone's new name)
STATEMENTS = {
    "plain": (lambda holder: _rename_by_role(holder, through_alias=False), "renamed through a role"),
    "aliased": (lambda holder: _rename_by_role(holder, through_alias=True), "renamed through a role"),
    "SET from the other table": (_rename_to_role, "director"),
}


@pytest.mark.parametrize("shape", list(STATEMENTS))
async def test_another_zone_s_rows_never_decide_an_update(app_engine, api, zones, shape):
    jx, gz, gz_director = zones
    build, new_name = STATEMENTS[shape]
    statement = build(gz_director)
    before = await _names(api)
    for scope in (Scope(zone_id=jx), Scope()):  # another zone, and no zone at all
        async with new_session(app_engine, scope, write=True) as session:
            async with session.begin():
                assert (await session.execute(statement)).rowcount == 0, scope
    assert await _names(api) == before

    async with new_session(app_engine, Scope(zone_id=gz), write=True) as session:
        async with session.begin():
            assert (await session.execute(statement)).rowcount == 1
    assert await _names(api) == {**before, gz: new_name}


@pytest.fixture
async def owner_engine(database):
    """The tables' owner: row-level security does not bind it, so only the data layer guards."""
    engine = create_engine(database.operator_url)
    yield engine
    await engine.dispose()


async def test_the_data_layer_alone_holds_on_postgresql_too(owner_engine, api, zones):
    jx, gz, gz_director = zones
    statement = _rename_by_role(gz_director, through_alias=False)
    for zone, renamed in ((jx, 0), (gz, 1)):
        async with new_session(owner_engine, Scope(zone_id=zone), write=True) as session:
            async with session.begin():
                assert (await session.execute(statement)).rowcount == renamed, zone


async def test_a_delete_using_another_zone_s_rows_deletes_nothing(engine_kind, owner_engine, api,
                                                                   zones):
    """``DELETE … USING`` (PostgreSQL: SQLite has no multi-table DELETE): a role row of zone A is
    deleted only if the same user's zone-B role is visible, which it never is from zone A."""
    if engine_kind != "postgresql":
        pytest.skip("SQLite has no DELETE … USING (SQLAlchemy refuses to compile it)")
    jx, gz, _gz_director = zones
    both = await api.add_user("both-zones", "jiangxi", "member")
    await api.add_roles("both-zones", "guizhou", "member")
    statement = delete(RoleAssignment).where(RoleAssignment.user_id == OTHER_ROLE.user_id,
                                             OTHER_ROLE.user_id == both, OTHER_ROLE.zone_id == gz)
    async with new_session(owner_engine, Scope(zone_id=jx), write=True) as session:
        async with session.begin():
            assert (await session.execute(statement)).rowcount == 0
    async with new_session(owner_engine, Scope(zone_id=gz), write=True) as session:
        async with session.begin():
            assert (await session.execute(statement)).rowcount == 1
    left = await api.operator(lambda s: s.scalars(
        select(RoleAssignment.zone_id).where(RoleAssignment.user_id == both)))
    assert left.all() == [jx]
