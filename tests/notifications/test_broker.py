"""The broker: committed notifications reach subscribers of every worker, uncommitted never."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from sqlalchemy import text

from ecozone.authz.actor import system_actor
from ecozone.db.engine import create_engine, transaction
from ecozone.db.listener import asyncpg_dsn
from ecozone.db.scoping import Scope
from ecozone.notifications import broker as broker_module
from ecozone.notifications.broker import (
    Fanout,
    InProcessBroker,
    PostgresBroker,
    make_broker,
    parse_payload,
    payload,
)
from ecozone.notifications.service import notify
from tests.notifications.support import message, next_id, notify_as_operator, wait_until

QUIET = 0.3  # how long "nothing arrives" is watched for


@pytest.fixture
async def started(app_engine):
    broker = make_broker(app_engine)
    await broker.start()
    yield broker
    await broker.stop()


@pytest.fixture
async def two(api):
    return await api.add_user("proposer", "jiangxi"), await api.add_user("drafter", "guizhou")


async def subscribed(broker, user_id: int):
    events = broker.subscribe(user_id)
    first = asyncio.ensure_future(anext(events))
    await wait_until(lambda: broker.subscriber_count(user_id) == 1)
    return events, first


async def nothing_arrives(pending: asyncio.Future) -> None:
    await asyncio.sleep(QUIET)
    assert not pending.done(), pending.result()


async def stop_waiting(pending: asyncio.Future, events) -> None:
    pending.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await pending
    await events.aclose()


def test_make_broker_picks_the_engine_of_the_database(database, app_engine):
    expected = PostgresBroker if database.kind == "postgresql" else InProcessBroker
    assert type(make_broker(app_engine)) is expected


async def test_a_committed_notification_reaches_its_recipient_only(started, two, api):
    proposer, drafter = two
    events, first = await subscribed(started, proposer)
    others, other_first = await subscribed(started, drafter)
    [nid] = await notify_as_operator(api, [proposer])
    assert await asyncio.wait_for(first, 10) == nid
    await nothing_arrives(other_first)
    [theirs] = await notify_as_operator(api, [drafter])
    assert await asyncio.wait_for(other_first, 10) == theirs
    await events.aclose()
    await others.aclose()
    assert started.subscriber_count() == 0


async def test_a_rolled_back_notification_is_never_announced(started, two, database):
    proposer, _ = two
    events, first = await subscribed(started, proposer)
    engine = create_engine(database.operator_url)
    try:
        with pytest.raises(RuntimeError, match="undo"):
            async with transaction(engine, Scope.system()) as session:
                await notify(session, system_actor(), [proposer], message())
                raise RuntimeError("undo")
        # A savepoint rolled back inside a committed transaction: its rows are not announced,
        # the enclosing transaction's are.
        async with transaction(engine, Scope.system()) as session:
            with pytest.raises(RuntimeError):
                async with session.begin_nested():
                    await notify(session, system_actor(), [proposer], message(2))
                    raise RuntimeError("undo the savepoint only")
            async with session.begin_nested():
                kept = await notify(session, system_actor(), [proposer], message(3))
    finally:
        await engine.dispose()
    assert await asyncio.wait_for(first, 10) == kept[0].id
    pending = asyncio.ensure_future(anext(events))
    await nothing_arrives(pending)
    await stop_waiting(pending, events)


async def test_notifications_of_another_database_are_not_announced(started, two, tmp_path, database):
    if database.kind != "sqlite":
        pytest.skip("the in-process broker serves SQLite")
    import sqlite3
    other = tmp_path / "other.sqlite3"
    # A copy with the same users (the backup API includes what is still in the WAL).
    with sqlite3.connect(database.operator_url.removeprefix("sqlite+aiosqlite:///")) as source, \
            sqlite3.connect(other) as target:
        source.backup(target)
    proposer, _ = two
    events, first = await subscribed(started, proposer)
    engine = create_engine(f"sqlite+aiosqlite:///{other}")
    try:
        async with transaction(engine, Scope.system()) as session:
            await notify(session, system_actor(), [proposer], message())
    finally:
        await engine.dispose()
    await nothing_arrives(first)
    await stop_waiting(first, events)


async def test_every_worker_hears_a_commit_through_listen_notify(database, settings, two, api):
    if database.kind != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    proposer, _ = two
    workers = [PostgresBroker(asyncpg_dsn(settings.database_url)) for _ in range(2)]
    for worker in workers:
        await worker.start()
        assert worker.listening
    try:
        streams = [await subscribed(worker, proposer) for worker in workers]
        [nid] = await notify_as_operator(api, [proposer])
        assert [await asyncio.wait_for(first, 10) for _, first in streams] == [nid, nid]
        # publish() outside a transaction goes the same way
        await workers[0].publish(proposer, 999)
        assert [await next_id(events) for events, _ in streams] == [999, 999]
        for events, _ in streams:
            await events.aclose()
    finally:
        for worker in workers:
            await worker.stop()


async def test_the_listener_reconnects_after_losing_its_connection(database, settings, two, api):
    if database.kind != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    proposer, _ = two
    worker = PostgresBroker(asyncpg_dsn(settings.database_url))
    await worker.start()
    try:
        events, first = await subscribed(worker, proposer)
        backend = await worker._connection.fetchval("SELECT pg_backend_pid()")
        await api.operator(lambda s: s.execute(text("SELECT pg_terminate_backend(:pid)"),
                                               {"pid": backend}))
        await wait_until(lambda: not worker.listening)
        await wait_until(lambda: worker.listening)
        [nid] = await notify_as_operator(api, [proposer])
        assert await asyncio.wait_for(first, 10) == nid
        await events.aclose()
    finally:
        await worker.stop()


async def test_stopping_the_broker_ends_the_subscriptions():
    broker = InProcessBroker()
    await broker.start()
    events = broker.subscribe(7)
    pending = asyncio.ensure_future(anext(events))
    await wait_until(lambda: broker.subscriber_count(7) == 1)
    await broker.publish(7, 1)
    assert await asyncio.wait_for(pending, 1) == 1
    await broker.stop()
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(anext(events), 1)
    assert broker.subscriber_count() == 0


async def test_a_stalled_subscriber_loses_the_overflow_not_the_others():
    fanout = Fanout(max_queued=2)
    fanout.bind(asyncio.get_running_loop())
    slow, fast = fanout.listen(1), fanout.listen(1)
    slow_first = asyncio.ensure_future(anext(slow))
    fast_first = asyncio.ensure_future(anext(fast))
    await wait_until(lambda: fanout.subscriber_count(1) == 2)
    for nid in range(1, 6):
        fanout.deliver(1, nid)
        if nid == 1:
            assert await fast_first == 1
        else:
            assert await next_id(fast, 1) == nid
    assert await slow_first == 1
    assert [await next_id(slow, 1), await next_id(slow, 1)] == [2, 3]  # 4 and 5 overflowed
    await slow.aclose()
    await fast.aclose()


async def test_delivery_from_another_thread_lands_on_the_brokers_loop():
    fanout = Fanout()
    fanout.bind(asyncio.get_running_loop())
    events = fanout.listen(3)
    pending = asyncio.ensure_future(anext(events))
    await wait_until(lambda: fanout.subscriber_count(3) == 1)
    await asyncio.to_thread(fanout.deliver, 3, 12)
    assert await asyncio.wait_for(pending, 1) == 12
    await events.aclose()


def test_payload_round_trip_and_malformed_payloads():
    assert parse_payload(payload(4, 17)) == (4, 17)
    for raw in ("", "nope", "[]", '{"user_id": 1}', '{"user_id": "1", "id": 2}', '{"user_id": 1, "id": null}'):
        assert parse_payload(raw) is None


@pytest.mark.parametrize(("url", "dsn"), [
    ("postgresql+asyncpg://app:s%40cret@db.example:5433/ecozone",
     "postgresql://app:s%40cret@db.example:5433/ecozone"),
    ("postgresql+asyncpg://app@db/ecozone?ssl=require&prepared_statement_cache_size=0",
     "postgresql://app@db/ecozone?sslmode=require"),
])
def test_the_listener_uses_the_apps_url_as_an_asyncpg_dsn(url, dsn):
    assert asyncpg_dsn(url) == dsn


def test_sqlite_urls_of_one_file_are_one_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert broker_module._database_key("sqlite+aiosqlite:///x.sqlite3") == \
        broker_module._database_key(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert broker_module._database_key("sqlite+aiosqlite://") is None
