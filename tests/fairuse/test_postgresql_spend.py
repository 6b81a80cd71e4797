"""The spend on PostgreSQL travels with the request's BEGIN (fairuse/postgresql_spend.py): one
message, the spend committed on its own, the request's transaction left open for it, and the
outcome read from the function's notice. The pure parts first, then against the server."""

from __future__ import annotations

import asyncio
import re

import pytest
from sqlalchemy import text

from ecozone.db.engine import create_engine
from ecozone.fairuse.budget import ANONYMOUS, Budgets, Client, address_client, registered_client
from ecozone.fairuse.postgresql_spend import (SpendNotReported, _Begun, _foldable, parse_notice,
                                              spend_message)
from ecozone.settings import RateLimits

WINDOW = 3600
NOW = 1_796_392_800 + 5  # 5 s into a window


@pytest.mark.parametrize("detail, outcome", [
    ("0 100 t", (0, 100, True)),
    ("100 100 t", (100, 100, True)),          # exactly the budget: accepted
    ("100 100 f", (100, 100, False)),
    ("7 2000000 true", (7, 2_000_000, True)),
    ("0 0 false", (0, 0, False)),
])
def test_the_notice_is_read(detail, outcome):
    assert parse_notice(detail) == outcome


@pytest.mark.parametrize("detail", [None, "", "1 2", "1 2 t extra", "x 2 t", "1 2 yes", "1 2.5 t"])
def test_a_malformed_notice_is_refused(detail):
    with pytest.raises(ValueError):
        parse_notice(detail)


HOSTILE_KEYS = [
    "ip:203.0.113.7",
    "ip:x'); DROP TABLE rate_limit_windows; --",
    "user:o\\'brien\\",
    "sub:$$; COMMIT; SELECT 1; $$",
    "client:赣南脐橙-合作社 🍊",
    "ip:" + "9" * 196,
]


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_the_message_carries_the_key_as_hexadecimal_digits_only(key):
    message = spend_message({"key": key, "start": 3600, "cost": 5, "now": 3605, "default": 10},
                            "BEGIN", sweep=None)
    literal = re.search(r"decode\('([^']*)', 'hex'\)", message).group(1)
    assert re.fullmatch(r"[0-9a-f]+", literal) and bytes.fromhex(literal).decode() == key
    assert message.count("'") == 6  # the hex digits, 'hex' and 'UTF8': nothing else is quoted
    assert message.endswith("COMMIT; BEGIN")


def test_the_sweep_is_committed_with_the_spend():
    message = spend_message({"key": "ip:1", "start": 7200, "cost": 1, "now": 7201, "default": 9},
                            "BEGIN", sweep=3600)
    assert message.index("DELETE FROM rate_limit_windows WHERE window_start < 3600") < message.index("COMMIT")


def test_numbers_that_are_not_integers_are_refused_before_anything_is_sent():
    with pytest.raises((TypeError, ValueError)):
        spend_message({"key": "ip:1", "start": "3600; DROP TABLE x", "cost": 1, "now": 1, "default": 1}, "BEGIN")


class _Adapter:
    def __init__(self, **attributes):
        self._transaction, self.isolation_level, self.readonly, self.deferrable = None, None, False, False
        self.__dict__.update(attributes)


@pytest.mark.parametrize("attributes, begin", [
    ({}, "BEGIN"),
    ({"isolation_level": "read_committed"}, "BEGIN ISOLATION LEVEL READ COMMITTED"),
    ({"isolation_level": "repeatable_read"}, "BEGIN ISOLATION LEVEL REPEATABLE READ"),
    ({"isolation_level": "serializable"}, "BEGIN ISOLATION LEVEL SERIALIZABLE"),
    ({"isolation_level": "autocommit"}, None),       # no transaction wanted: spend alone
    ({"isolation_level": "read_uncommitted"}, None),  # not built here: spend alone
    ({"readonly": True}, None),
    ({"deferrable": True}, None),
    ({"_transaction": object()}, None),               # already in a transaction
])
def test_the_begin_is_the_one_the_adapter_would_have_sent(attributes, begin):
    assert _foldable(_Adapter(**attributes)) == begin


def test_an_adapter_that_is_not_asyncpgs_is_not_folded():
    assert _foldable(object()) is None


# Against the server.

@pytest.fixture
async def engine(engine_kind, database):
    if engine_kind != "postgresql":
        pytest.skip("the spend in the BEGIN's message is PostgreSQL's (SQLite: tests/fairuse/test_sqlite_counters.py)")
    engine = create_engine(database.app_url, pool_size=2)
    yield engine
    await engine.dispose()


def budgets(engine, budget=1000):
    return Budgets(engine, RateLimits(anonymous=budget, user=budget, client=budget, window_seconds=WINDOW),
                   clock=lambda: NOW)


async def spent_of(engine, key) -> list[tuple]:
    async with engine.connect() as other:
        return [tuple(row) for row in await other.execute(text(
            "SELECT spent, refused FROM rate_limit_windows WHERE client_key = :key"), {"key": key})]


def driver_of(connection):
    return connection.sync_connection.connection.driver_connection


async def test_one_message_spends_commits_and_begins_the_requests_transaction(engine):
    client = address_client("203.0.113.7")
    sent: list[str] = []
    async with engine.connect() as connection:
        driver = driver_of(connection)
        driver.add_query_logger(lambda logged: sent.append(logged.query))
        spend = await budgets(engine).spend(client, 40, connection, begin=True)
        await asyncio.sleep(0)  # asyncpg calls its query loggers soon after, not at once
        assert (spend.accepted, spend.used, spend.limit, spend.remaining) == (True, 40, 1000, 960)
        assert len(sent) == 1 and sent[0].startswith("BEGIN; SELECT ecozone_fair_use_spend(")
        assert driver.is_in_transaction()
        # the spend is committed already: another connection sees it while the request runs
        assert await spent_of(engine, client.key) == [(40, 0)]
        # the request's statements run in the transaction the message began (its start is the
        # one the server showed before any of them), with no BEGIN of their own
        async with engine.connect() as other:
            begun_at = (await other.execute(text("SELECT xact_start FROM pg_stat_activity WHERE pid = :pid"),
                                            {"pid": driver.get_server_pid()})).scalar_one()
        assert begun_at is not None
        assert (await connection.execute(text("SELECT transaction_timestamp()"))).scalar_one() == begun_at
        assert isinstance(connection.sync_connection.connection.dbapi_connection._transaction, _Begun)
        await connection.rollback()  # the request fails: the spend stays paid
        assert not driver.is_in_transaction()
    assert await spent_of(engine, client.key) == [(40, 0)]


async def test_the_requests_transaction_commits_its_writes(engine):
    async with engine.connect() as connection:
        await budgets(engine).spend(registered_client("partner"), 1, connection, begin=True)
        # a write the request makes, committed by SQLAlchemy's commit on the begun transaction
        await connection.execute(text("DELETE FROM rate_limit_windows WHERE client_key = 'nobody'"))
        await connection.execute(text(
            "INSERT INTO rate_limit_windows (client_key, window_start, budget, spent, accepted, refused) "
            "VALUES ('written-in-the-request', 0, 1, 1, true, 0)"))
        await connection.commit()
    assert await spent_of(engine, "written-in-the-request") == [(1, 0)]


@pytest.mark.parametrize("key", HOSTILE_KEYS)
async def test_a_hostile_key_is_spent_as_itself(engine, key):
    async with engine.connect() as connection:
        spend = await budgets(engine).spend(Client(ANONYMOUS, key), 3, connection, begin=True)
        assert spend.used == 3
        await connection.rollback()
    assert await spent_of(engine, key) == [(3, 0)]
    async with engine.connect() as connection:  # the table is whole
        assert (await connection.execute(text("SELECT count(*) FROM rate_limit_windows"))).scalar_one() >= 1


async def test_a_refused_spend_counts_the_refusal_and_leaves_a_clean_connection(engine):
    client = address_client("198.51.100.4")
    small = budgets(engine, budget=10)
    async with engine.connect() as connection:
        assert (await small.spend(client, 10, connection, begin=True)).accepted  # 10 of 10: exactly
        await connection.rollback()
    async with engine.connect() as connection:
        refused = await small.spend(client, 1, connection, begin=True)
        assert not refused.accepted and refused.remaining == 0
    assert await spent_of(engine, client.key) == [(10, 1)]
    for _ in range(2):  # both pooled connections: back idle, usable
        async with engine.connect() as connection:
            assert not driver_of(connection).is_in_transaction()
            assert (await connection.execute(text("SELECT 1"))).scalar_one() == 1
            await connection.rollback()


async def test_a_connection_already_in_a_transaction_spends_alone(engine):
    client = address_client("192.0.2.77")
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))  # the adapter has begun
        sent: list[str] = []
        driver_of(connection).add_query_logger(lambda logged: sent.append(logged.query))
        assert (await budgets(engine).spend(client, 2, connection, begin=True)).used == 2
        await asyncio.sleep(0)
        # the prepared upsert (and this process's first sweep of old windows), no BEGIN
        assert "INSERT INTO rate_limit_windows" in sent[0] and not any("BEGIN" in query for query in sent)
        await connection.commit()
    assert await spent_of(engine, client.key) == [(2, 0)]


async def test_hidden_notices_are_an_error_not_a_free_request(engine):
    client = address_client("192.0.2.78")
    async with engine.connect() as connection:
        await driver_of(connection).execute("SET client_min_messages = warning")
        try:
            with pytest.raises(SpendNotReported):
                await budgets(engine).spend(client, 2, connection, begin=True)
        finally:
            await driver_of(connection).execute("RESET client_min_messages")
    async with engine.connect() as connection:  # rolled back when the pool took it back
        assert not driver_of(connection).is_in_transaction()
