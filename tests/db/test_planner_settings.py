"""The planner settings the app's PostgreSQL connections carry (db/engine.py): sent in the
startup packet, so every pooled connection has them from its first statement, with no round trip."""

from __future__ import annotations

from sqlalchemy import text

from ecozone.db.engine import POSTGRESQL_SERVER_SETTINGS, _server_settings, create_engine, new_session
from ecozone.db.scoping import ANONYMOUS


async def test_the_app_connections_price_index_lookups_as_in_memory(engine_kind, database):
    engine = create_engine(database.app_url)
    try:
        async with new_session(engine, ANONYMOUS) as session:
            shown = (await session.execute(text("SHOW random_page_cost"))).scalar_one() \
                if engine_kind == "postgresql" else None
    finally:
        await engine.dispose()
    if engine_kind == "postgresql":
        # PostgreSQL's default (4) planned a page of standards' versions, zones, ballots and
        # comment counts as hashed scans of every standard instead of a primary-key lookup per row.
        assert shown == POSTGRESQL_SERVER_SETTINGS["random_page_cost"] == "1.1"


def test_only_asyncpg_is_given_server_settings():
    assert _server_settings("postgresql+asyncpg://u@h/db") == {"server_settings": {"random_page_cost": "1.1"}}
    assert _server_settings("sqlite+aiosqlite:///x.sqlite3") == {}
    assert _server_settings("postgresql+psycopg://u@h/db") == {}
