"""Migrations and row-level security on PostgreSQL 15 (the SQLite half is elsewhere).

Everything here talks to the database directly, as the app's login role through a plain
async SQLAlchemy engine, not through the app's session layer: the database itself must keep
zones apart even if the data layer forgot to.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from ecozone.db.base import Base, ZonePrivate
from ecozone.db.migrate import upgrade
from ecozone.settings import PROJECT_ROOT
from tests.support.postgres import APP_ROLE

pytestmark = pytest.mark.postgresql_only

DB = "rls_checks"
# Tables that carry a zone_id but are deliberately shared between zones: rows with an owning
# zone whose visibility is decided per viewer (DESIGN §2), and link tables. Every other table
# with a zone_id must be fenced by row-level security.
SHARED_TABLES_WITH_ZONE_ID: frozenset[str] = frozenset({
    "projects", "consultations", "consulted_documents", "standard_zones",
    # talent: public bases and calls; enrolments and certificates cross zones by design (a
    # member of one zone enrols in another zone's session, whose secretary keeps the roster)
    "talent_bases", "chief_expert_calls", "training_enrolments", "training_certificates",
    # council: only what the charter discloses (第三十条), copied at publication, public
    "council_publications",
    # issue 18: an event registration (the person registers from any zone, the host keeps the
    # roster) and a consulting request (answered by experts of any zone's registry)
    "event_registrations", "consulting_requests",
    # issue 19: trace records are public (their private indicators are filtered by the service) and
    # written only in the record's zone; the partitioned parent's policies (relkind 'p') are also on
    # each monthly partition (relkind 'r', checked above like any table)
    "trace_records",
})

SET_ZONE = text("SELECT set_config('ecozone.zone', :zone, true)")


def _rows(cluster, dbname: str, query: str, params=()) -> list[tuple]:
    with psycopg.connect(host=cluster.host, port=cluster.port, user="postgres", dbname=dbname,
                         autocommit=True) as conn:
        cursor = conn.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def _head() -> str:
    return ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_current_head()


@dataclass(frozen=True)
class Seeded:
    zone_a: int
    zone_b: int
    user_a: int
    user_b: int


@pytest.fixture(scope="module")
def rls_db(postgres_cluster):
    """A migrated database with two zones, their users, role assignments and audit rows."""
    cluster = postgres_cluster
    cluster.drop_database(DB)
    cluster.create_database(DB)
    upgrade(url=cluster.admin_url(DB), app_role=APP_ROLE)
    cluster.ensure_app_login()
    cluster.execute("""
        INSERT INTO zones (slug, name_zh, name_en, standard_code, admin_code, is_host, settings)
        VALUES ('za', '甲区', 'Zone A', 'ZA', '110000', true, '{}'),
               ('zb', '乙区', 'Zone B', 'ZB', '120000', false, '{}');
        INSERT INTO users (username, display_name, home_zone_id, is_active)
        SELECT 'user_' || slug, 'User ' || slug, id, true FROM zones;
        """, dbname=DB)
    ids = dict(_rows(cluster, DB, "SELECT slug, id FROM zones"))
    users = dict(_rows(cluster, DB, "SELECT username, id FROM users"))
    seeded = Seeded(ids["za"], ids["zb"], users["user_za"], users["user_zb"])
    cluster.execute(f"""
        INSERT INTO role_assignments (user_id, role, zone_id) VALUES
            ({seeded.user_a}, 'director', {seeded.zone_a}),
            ({seeded.user_b}, 'member', {seeded.zone_a}),
            ({seeded.user_b}, 'director', {seeded.zone_b});
        INSERT INTO audit_log (chain, seq, zone_id, action, object_type, outcome, created_at,
                               prev_hash, hash) VALUES
            ('za', 1, {seeded.zone_a}, 'test', 'zone', 'ok', now(), '', 'a1'),
            ('zb', 1, {seeded.zone_b}, 'test', 'zone', 'ok', now(), '', 'b1'),
            ('system', 1, NULL, 'test', 'system', 'ok', now(), '', 's1');
        """, dbname=DB)
    yield seeded
    cluster.drop_database(DB)


@pytest.fixture
async def app_engine(postgres_cluster, rls_db):
    engine = create_async_engine(postgres_cluster.app_url(DB))
    yield engine
    await engine.dispose()


async def test_upgrade_on_an_empty_database_inside_a_running_loop(postgres_cluster):
    postgres_cluster.drop_database("migrate_empty")
    postgres_cluster.create_database("migrate_empty")
    try:
        # A running event loop: upgrade() runs Alembic on a thread of its own.
        upgrade(url=postgres_cluster.admin_url("migrate_empty"), app_role=APP_ROLE)
        upgrade(url=postgres_cluster.admin_url("migrate_empty"), app_role=APP_ROLE)  # no-op
        postgres_cluster.ensure_app_login()
        assert _rows(postgres_cluster, "migrate_empty",
                     "SELECT version_num FROM alembic_version") == [(_head(),)]
    finally:
        postgres_cluster.drop_database("migrate_empty")


def test_upgrade_reaches_head(postgres_cluster, rls_db):
    assert _rows(postgres_cluster, DB, "SELECT version_num FROM alembic_version") == [(_head(),)]


def test_only_the_fair_use_counters_are_unlogged(postgres_cluster, rls_db):
    """The counters write no WAL (their commit waits for no disk flush, nothing of them goes to
    the standbys); every other table, the operators' raises included, is crash-safe."""
    persistence = dict(_rows(postgres_cluster, DB,
                             "SELECT relname, relpersistence FROM pg_class "
                             "WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')"))
    assert {name for name, kind in persistence.items() if kind == "u"} == {"rate_limit_windows"}
    assert persistence["rate_limit_raises"] == "p"


def test_every_zone_private_table_forces_row_level_security(postgres_cluster, rls_db):
    with_zone_id = {name for (name,) in _rows(
        postgres_cluster, DB,
        "SELECT table_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND column_name = 'zone_id'")}
    zone_private_models = {mapper.class_.__tablename__ for mapper in Base.registry.mappers
                           if issubclass(mapper.class_, ZonePrivate)}
    fenced = with_zone_id - SHARED_TABLES_WITH_ZONE_ID
    assert zone_private_models <= fenced
    assert {"role_assignments", "audit_log"} <= fenced
    flags = dict((name, (rls, force)) for name, rls, force in _rows(
        postgres_cluster, DB,
        "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
        "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"))
    assert {name: flags[name] for name in fenced} == {name: (True, True) for name in fenced}
    policies = {name for (name,) in _rows(
        postgres_cluster, DB,
        "SELECT tablename FROM pg_policies WHERE schemaname = 'public' AND %s = ANY (roles)",
        (APP_ROLE,))}
    assert fenced <= policies


async def test_app_login_sees_only_the_rows_of_the_zone_it_set(app_engine, rls_db):
    async with app_engine.begin() as conn:
        await conn.execute(SET_ZONE, {"zone": str(rls_db.zone_a)})
        assignments = (await conn.execute(text("SELECT * FROM role_assignments"))).mappings().all()
        audit = (await conn.execute(text("SELECT zone_id FROM audit_log"))).scalars().all()
    assert sorted((r["user_id"], r["role"], r["zone_id"]) for r in assignments) == sorted([
        (rls_db.user_a, "director", rls_db.zone_a), (rls_db.user_b, "member", rls_db.zone_a)])
    assert audit == [rls_db.zone_a]

    async with app_engine.begin() as conn:
        await conn.execute(SET_ZONE, {"zone": str(rls_db.zone_b)})
        zones = (await conn.execute(text("SELECT zone_id FROM role_assignments"))).scalars().all()
    assert zones == [rls_db.zone_b]


async def test_app_login_without_a_zone_sees_no_zone_rows(app_engine, rls_db):
    async with app_engine.begin() as conn:
        assert (await conn.execute(text("SELECT * FROM role_assignments"))).all() == []
        # audit_log allows a NULL zone: system entries are what is left without a zone.
        audit = (await conn.execute(text("SELECT chain, zone_id FROM audit_log"))).all()
    assert [tuple(row) for row in audit] == [("system", None)]


async def test_app_login_cannot_write_into_another_zone(app_engine, rls_db):
    insert = text("INSERT INTO role_assignments (user_id, role, zone_id) "
                  "VALUES (:user, 'secretary', :zone)")
    with pytest.raises(DBAPIError, match="row-level security"):
        async with app_engine.begin() as conn:
            await conn.execute(SET_ZONE, {"zone": str(rls_db.zone_a)})
            await conn.execute(insert, {"user": rls_db.user_b, "zone": rls_db.zone_b})
    with pytest.raises(DBAPIError, match="row-level security"):
        async with app_engine.begin() as conn:
            await conn.execute(SET_ZONE, {"zone": str(rls_db.zone_a)})
            await conn.execute(text("UPDATE role_assignments SET zone_id = :b"),
                               {"b": rls_db.zone_b})
    # The same insert into its own zone works (rolled back so the seed stays as it is).
    async with app_engine.connect() as conn:
        async with conn.begin() as transaction:
            await conn.execute(SET_ZONE, {"zone": str(rls_db.zone_a)})
            await conn.execute(insert, {"user": rls_db.user_b, "zone": rls_db.zone_a})
            await transaction.rollback()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET outcome = 'forged'",
    "DELETE FROM audit_log",
    "TRUNCATE audit_log",
])
async def test_app_login_cannot_rewrite_the_audit_log(app_engine, rls_db, statement):
    with pytest.raises(DBAPIError, match="permission denied for table audit_log"):
        async with app_engine.begin() as conn:
            await conn.execute(SET_ZONE, {"zone": str(rls_db.zone_a)})
            await conn.execute(text(statement))


@pytest.mark.parametrize("statement", [
    "ALTER TABLE role_assignments DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE role_assignments ADD COLUMN note text",
    "DROP TABLE role_assignments",
    "DROP TABLE audit_log",
    "DROP POLICY zone_isolation ON role_assignments",
])
async def test_app_login_cannot_alter_or_drop_tables(app_engine, rls_db, statement):
    with pytest.raises(DBAPIError, match="must be owner"):
        async with app_engine.begin() as conn:
            await conn.execute(text(statement))


async def test_zone_does_not_leak_between_pooled_connections(postgres_cluster, rls_db):
    engine = create_async_engine(postgres_cluster.app_url(DB), pool_size=1, max_overflow=0)
    try:
        async with engine.begin() as conn:
            first_pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar()
            await conn.execute(SET_ZONE, {"zone": str(rls_db.zone_a)})
            seen = (await conn.execute(text("SELECT zone_id FROM role_assignments"))).scalars()
            assert set(seen.all()) == {rls_db.zone_a}
        async with engine.begin() as conn:
            assert (await conn.execute(text("SELECT pg_backend_pid()"))).scalar() == first_pid
            assert (await conn.execute(text("SHOW ecozone.zone"))).scalar() == ""
            assert (await conn.execute(
                text("SELECT current_setting('ecozone.zone', true)"))).scalar() in ("", None)
            assert (await conn.execute(text("SELECT * FROM role_assignments"))).all() == []
    finally:
        await engine.dispose()
