"""Row-level security of the base's year on PostgreSQL (migration 0018), talking to the
database directly as the app's login role: a zone's draft plans, their items and its books
are its own even if the data layer forgot; adopted plans are readable from any zone, and
nothing is written into another zone."""

from __future__ import annotations

import psycopg
import pytest
from ecozone.db.migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support.postgres import APP_ROLE

pytestmark = pytest.mark.postgresql_only
DB = "rls_annual"
SET_ZONE = text("SELECT set_config('ecozone.zone', :zone, true)")


def _rows(cluster, query: str) -> list[tuple]:
    with psycopg.connect(host=cluster.host, port=cluster.port, user="postgres", dbname=DB, autocommit=True) as conn:
        cursor = conn.execute(query)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture(scope="module")
def zones(postgres_cluster) -> dict[str, int]:
    cluster = postgres_cluster
    cluster.drop_database(DB)
    cluster.create_database(DB)
    upgrade(url=cluster.admin_url(DB), app_role=APP_ROLE)
    cluster.ensure_app_login()
    cluster.execute("""
        INSERT INTO zones (slug, name_zh, name_en, standard_code, admin_code, is_host, settings)
        VALUES ('za', '甲区', 'Zone A', 'ZA', '110000', true, '{}'), ('zb', '乙区', 'Zone B', 'ZB', '120000', false, '{}');
        INSERT INTO annual_plans (zone_id, year, title_zh, title_en, state)
        SELECT id, 2026, slug || ' 草稿', slug || ' draft', 'draft' FROM zones;
        INSERT INTO annual_plans (zone_id, year, title_zh, title_en, state)
        SELECT id, 2025, slug || ' 已通过', slug || ' adopted', 'adopted' FROM zones;
        INSERT INTO annual_plan_items (zone_id, plan_id, seq, source, title_zh, title_en, progress, joined_on)
        SELECT zone_id, id, 1, 'office', title_zh, title_en, 'not_started', '2026-01-05' FROM annual_plans;
        INSERT INTO fund_entries (zone_id, year, booked_on, direction, amount_fen, source, description, recorded_at)
        SELECT id, 2026, '2026-02-01', 'income', 2147483648, 'host_unit', slug, now() FROM zones;
        """, dbname=DB)
    return dict(_rows(cluster, "SELECT slug, id FROM zones"))


@pytest.fixture
async def app(postgres_cluster, zones):
    engine = create_async_engine(postgres_cluster.app_url(DB))
    yield engine
    await engine.dispose()


async def _seen(app, zone_id: int | None, query: str) -> list:
    async with app.begin() as conn:
        if zone_id is not None:
            await conn.execute(SET_ZONE, {"zone": str(zone_id)})
        return [tuple(r) for r in (await conn.execute(text(query))).all()]


async def test_drafts_and_books_stay_in_their_zone(app, zones):
    za, zb = zones["za"], zones["zb"]
    plans = await _seen(app, za, "SELECT title_en FROM annual_plans ORDER BY title_en")
    assert plans == [("za adopted",), ("za draft",), ("zb adopted",)]
    items = await _seen(app, za, "SELECT title_en FROM annual_plan_items ORDER BY title_en")
    assert items == [("za adopted",), ("za draft",), ("zb adopted",)]
    assert await _seen(app, za, "SELECT description, amount_fen FROM fund_entries") == [("za", 2147483648)]
    assert await _seen(app, None, "SELECT title_en FROM annual_plans ORDER BY title_en") == [
        ("za adopted",), ("zb adopted",)]
    assert await _seen(app, None, "SELECT id FROM fund_entries") == []
    assert await _seen(app, zb, "SELECT title_en FROM annual_plan_items WHERE title_en LIKE 'za%'") == [
        ("za adopted",)]


@pytest.mark.parametrize("statement", [
    "INSERT INTO annual_plans (zone_id, year, title_zh, title_en, state) VALUES (:other, 2027, 'x', 'x', 'draft')",
    ("INSERT INTO fund_entries (zone_id, year, booked_on, direction, amount_fen, source, description, recorded_at) "
    "VALUES (:other, 2026, '2026-02-01', 'income', 1, 'host_unit', 'x', now())"),
    "INSERT INTO annual_reports (zone_id, year, kind, text_zh, text_en, state) VALUES (:other, 2026, 'work', 'x', 'x', 'draft')",
])
async def test_nothing_is_written_into_another_zone(app, zones, statement):
    with pytest.raises(DBAPIError, match="row-level security"):
        async with app.begin() as conn:
            await conn.execute(SET_ZONE, {"zone": str(zones["za"])})
            await conn.execute(text(statement), {"other": zones["zb"]})


async def test_another_zones_adopted_plan_is_read_only_to_the_database(app, zones):
    async with app.begin() as conn:
        await conn.execute(SET_ZONE, {"zone": str(zones["za"])})
        changed = await conn.execute(text("UPDATE annual_plans SET title_en = 'hijacked' WHERE zone_id = :other"),
                                     {"other": zones["zb"]})
        assert changed.rowcount == 0
        negative = text("INSERT INTO fund_entries (zone_id, year, booked_on, direction, amount_fen, source, "
                        "description, recorded_at) VALUES (:zone, 2026, '2026-02-01', 'income', -1, 'host_unit', 'x', now())")
    with pytest.raises(DBAPIError, match="positive_amount"):
        async with app.begin() as conn:
            await conn.execute(SET_ZONE, {"zone": str(zones["za"])})
            await conn.execute(negative, {"zone": zones["za"]})
