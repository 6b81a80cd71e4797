"""The pool without pre-ping (issue 20): no round trip at checkout; a connection the server
closed is replaced at checkout, one that died unnoticed is retried once on a fresh connection,
and connections are recycled by age. A whole restart is tests/ops/test_faults.py."""

from __future__ import annotations

import asyncio
import time

import psycopg
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from ecozone.db.engine import POOL_RECYCLE_SECONDS, create_engine, new_session
from ecozone.db.scoping import ANONYMOUS, Scope
from ecozone.db.unavailable import database_unavailable

BACKEND = text("SELECT pg_backend_pid()")


@pytest.fixture
def postgresql(engine_kind, database):
    if engine_kind != "postgresql":
        pytest.skip("PostgreSQL's pool (SQLite's connections are files)")
    return database


def terminate(database, pid: int) -> None:
    """pg_terminate_backend as the operator, from a blocking connection of its own: the event
    loop does not run meanwhile, so the app's asyncpg connection has not seen its socket close."""
    url = make_url(database.operator_url)
    with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname=url.database,
                         autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
    time.sleep(0.3)  # the backend has exited and closed its socket


async def backend_pid(engine) -> int:
    async with new_session(engine, ANONYMOUS) as session:
        return (await session.execute(BACKEND)).scalar_one()


def invalidations(engine) -> list[BaseException | None]:
    seen: list[BaseException | None] = []
    event.listen(engine.sync_engine, "invalidate", lambda _c, _r, error: seen.append(error))
    return seen


async def test_no_ping_at_checkout_and_connections_recycled_by_age(postgresql):
    engine = create_engine(postgresql.app_url)
    try:
        assert engine.pool._pre_ping is False  # no BEGIN; ; ROLLBACK before every request
        assert engine.pool._recycle == POOL_RECYCLE_SECONDS
        first = await backend_pid(engine)
        assert await backend_pid(engine) == first  # the pooled connection is reused
    finally:
        await engine.dispose()


async def test_a_connection_the_server_closed_is_replaced_at_checkout(postgresql):
    engine = create_engine(postgresql.app_url, pool_size=1)
    seen = invalidations(engine)
    try:
        old = await backend_pid(engine)
        terminate(postgresql, old)
        await asyncio.sleep(0.1)  # the loop runs: asyncpg reads the closed socket
        new = await backend_pid(engine)
        assert new != old
        # Replaced by the checkout's check, before any statement failed.
        assert len(seen) == 1 and "DisconnectionError" in type(seen[0]).__name__
    finally:
        await engine.dispose()


async def test_a_connection_closed_before_the_loop_ran_is_replaced_at_checkout(postgresql):
    engine = create_engine(postgresql.app_url, pool_size=1)
    seen = invalidations(engine)
    try:
        old = await backend_pid(engine)
        terminate(postgresql, old)  # the loop has not run: asyncpg's flag still says open
        new = await backend_pid(engine)  # the socket's hang-up says closed
        assert new != old
        assert len(seen) == 1 and "DisconnectionError" in type(seen[0]).__name__
    finally:
        await engine.dispose()


@pytest.mark.parametrize("scope", [Scope(zone_id=1, user_id=1), ANONYMOUS], ids=["signed-in", "anonymous"])
async def test_a_connection_that_dies_at_checkout_is_retried_once_on_a_fresh_one(postgresql, scope):
    engine = create_engine(postgresql.app_url, pool_size=1)
    seen = invalidations(engine)
    old = await backend_pid(engine)
    killed: list[int] = []

    def die_after_the_check(_dbapi_connection, _record, _proxy) -> None:
        if not killed:  # the server goes between the checkout's check and the first statement
            killed.append(old)
            terminate(postgresql, old)

    event.listen(engine.sync_engine, "checkout", die_after_the_check)
    try:
        # The first statement fails on the dead one and is retried: signed in, the zone's
        # set_config at connection(); anonymous, the BEGIN sent before the first query.
        async with new_session(engine, scope) as session:
            await session.begin()
            await session.connection()
            new = (await session.execute(BACKEND)).scalar_one()
            await session.commit()
        assert killed and new != old
        # The first statement failed (not the checkout's check), once.
        assert len(seen) == 1 and "DisconnectionError" not in type(seen[0]).__name__
    finally:
        await engine.dispose()


async def test_a_connection_lost_after_the_first_statement_is_not_retried(postgresql):
    """Something ran on it: the request fails (a 503 upstream), it is never sent twice."""
    engine = create_engine(postgresql.app_url, pool_size=1)
    try:
        pid = 0
        with pytest.raises(Exception) as raised:
            async with new_session(engine, ANONYMOUS) as session:
                await session.begin()
                await session.connection()
                pid = (await session.execute(BACKEND)).scalar_one()
                terminate(postgresql, pid)
                await session.execute(text("SELECT 1"))
        assert database_unavailable(raised.value)  # what the view answers 503
        assert await backend_pid(engine) != pid  # and the pool recovered
    finally:
        await engine.dispose()


async def test_the_pool_hands_out_the_connection_given_back_last(postgresql):
    """Last in, first out: the most recently used server process serves the next request
    (first in, first out woke the least recently used one each time)."""
    engine = create_engine(postgresql.app_url, pool_size=3)
    try:
        first, second = await engine.connect(), await engine.connect()
        pids = [(await c.execute(BACKEND)).scalar_one() for c in (first, second)]
        await first.close()
        await second.close()  # given back last
        for _ in range(3):
            async with engine.connect() as again:
                assert (await again.execute(BACKEND)).scalar_one() == pids[1]
    finally:
        await engine.dispose()
