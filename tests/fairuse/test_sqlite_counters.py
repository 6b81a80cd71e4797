"""SQLite's fair-use counters (fairuse/sqlite_counters.py, SQLiteSpender): a spend runs on the event
loop when nobody holds the counters, and waits for its turn in a thread when somebody does
(another process's flock, or this process's thread) — never blocking the loop, never lost."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import sqlite3
import time

import pytest

from ecozone.fairuse import budget as budget_module
from ecozone.fairuse import sqlite_counters
from ecozone.fairuse.budget import Budgets, address_client
from ecozone.fairuse.sqlite_counters import counters_path
from ecozone.settings import RateLimits

HOUR = 3600
T0 = 1_800_000_000 - 1_800_000_000 % HOUR


@pytest.fixture
def sqlite_budgets(app_engine, database):
    if database.kind != "sqlite":
        pytest.skip("the counters' own file is SQLite's (PostgreSQL: tests/web/test_rate_limits.py)")
    return Budgets(app_engine, RateLimits(anonymous=1000), clock=lambda: T0 + 10)


@pytest.fixture
def threads(monkeypatch):
    """How many spends went to a thread."""
    sent = []
    real = asyncio.to_thread

    async def counted(function, *args, **kwargs):
        sent.append(function)
        return await real(function, *args, **kwargs)
    monkeypatch.setattr(budget_module.asyncio, "to_thread", counted)
    return sent


async def test_an_uncontended_spend_runs_on_the_event_loop(sqlite_budgets, threads):
    client = address_client("192.0.2.30")
    first = await sqlite_budgets.spend(client, 5)  # opens the counters' file: in a thread
    assert len(threads) == 1
    second = await sqlite_budgets.spend(client, 7)
    assert len(threads) == 1  # no trip to a thread
    assert (first.used, second.used, second.remaining) == (5, 12, 988)


async def test_a_spend_waits_in_a_thread_while_another_process_holds_the_counters(
        sqlite_budgets, threads, app_engine):
    client = address_client("192.0.2.31")
    await sqlite_budgets.spend(client, 5)
    other = os.open(f"{counters_path(app_engine.url.database)}.lock", os.O_RDWR)
    try:
        fcntl.flock(other, fcntl.LOCK_EX)  # another worker's turn
        pending = asyncio.ensure_future(sqlite_budgets.spend(client, 7))
        started = time.monotonic()
        ticks = 0
        while time.monotonic() - started < 0.3:  # the loop keeps running meanwhile
            await asyncio.sleep(0.01)
            ticks += 1
        assert not pending.done() and ticks >= 10
        assert len(threads) == 2  # it waits for its turn in a thread, not on the loop
    finally:
        fcntl.flock(other, fcntl.LOCK_UN)
        os.close(other)
    spent = await asyncio.wait_for(pending, 5)
    assert spent.used == 12 and spent.accepted


async def test_spends_at_once_from_the_loop_and_the_thread_are_all_counted(sqlite_budgets):
    client = address_client("192.0.2.32")
    await sqlite_budgets.spend(client, 1)
    spends = await asyncio.gather(*(sqlite_budgets.spend(client, 1) for _ in range(600)))  # a checkpoint among them
    assert sorted(s.used for s in spends) == list(range(2, 602))


def _raise_in_the_database(database: str, client_key: str, budget: int, expires_at: int | None = None) -> None:
    """An operator's raise as `ecozone rate-limit raise` commits it (the audited row), written
    straight into the database's file: the mirror must come from there."""
    with sqlite3.connect(database) as connection:
        connection.execute("INSERT INTO rate_limit_raises (client_key, budget, expires_at, reason, created_at) "
                           "VALUES (?, ?, ?, 'ticket 7', '2026-12-03 00:00:00.000000')",
                           (client_key, budget, expires_at))
    connection.close()


async def test_the_spend_reads_nothing_of_the_database(sqlite_budgets):
    """The raises are the counters' file's own copy: no read transaction on the database's file."""
    await sqlite_budgets.spend(address_client("192.0.2.33"), 1)
    attached = [row[1] for row in sqlite_budgets._sqlite.connection.execute("PRAGMA database_list")]
    assert attached == ["main"]


async def test_a_raise_made_before_the_counters_open_is_mirrored_when_they_do(app_engine, sqlite_budgets):
    database = app_engine.url.database
    _raise_in_the_database(database, "ip:192.0.2.34", 5000)
    _raise_in_the_database(database, "ip:192.0.2.35", 6000, expires_at=T0 + 5)  # expired at T0 + 10
    raised = await sqlite_budgets.spend(address_client("192.0.2.34"), 1)
    expired = await sqlite_budgets.spend(address_client("192.0.2.35"), 1)
    plain = await sqlite_budgets.spend(address_client("192.0.2.36"), 1)
    assert (raised.limit, expired.limit, plain.limit) == (5000, 1000, 1000)


async def test_a_raise_reaches_a_process_whose_counters_are_open_at_once(app_engine, sqlite_budgets):
    client = address_client("192.0.2.37")
    assert (await sqlite_budgets.spend(client, 1)).limit == 1000  # the counters are open
    _raise_in_the_database(app_engine.url.database, client.key, 7000)
    assert (await sqlite_budgets.spend(client, 1)).limit == 1000  # not mirrored yet: the copy is the file's
    sqlite_counters.mirror_raises(str(app_engine.url))  # what the CLI does after its commit
    spent = await sqlite_budgets.spend(client, 1)
    assert (spent.limit, spent.used) == (7000, 3)
    # a lowered or removed raise too: the mirror is the database's whole table
    with sqlite3.connect(app_engine.url.database) as connection:
        connection.execute("DELETE FROM rate_limit_raises WHERE client_key = ?", (client.key,))
    connection.close()
    sqlite_counters.mirror_raises(str(app_engine.url))
    assert (await sqlite_budgets.spend(client, 1)).limit == 1000


async def test_a_lost_counters_file_heals_with_the_raises(app_engine, sqlite_budgets):
    database = app_engine.url.database
    _raise_in_the_database(database, "ip:192.0.2.38", 9000)
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(counters_path(database) + suffix)
    fresh = Budgets(app_engine, RateLimits(anonymous=1000), clock=lambda: T0 + 10)  # a process starting
    assert (await fresh.spend(address_client("192.0.2.38"), 1)).limit == 9000


async def test_a_counters_file_of_the_first_schema_gets_the_raises_table(app_engine, sqlite_budgets):
    """A file written before the mirror (user_version 1: windows only) keeps its windows."""
    database = app_engine.url.database
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(counters_path(database) + suffix)
    with sqlite3.connect(counters_path(database)) as old:
        old.execute(sqlite_counters.COUNTERS_SCHEMA[0])
        old.execute("INSERT INTO rate_limit_windows VALUES ('ip:192.0.2.39', ?, 1000, 40, 1, 0)", (T0,))
        old.execute("PRAGMA user_version=1")
    old.close()
    _raise_in_the_database(database, "ip:192.0.2.39", 2000)
    fresh = Budgets(app_engine, RateLimits(anonymous=1000), clock=lambda: T0 + 10)
    spent = await fresh.spend(address_client("192.0.2.39"), 2)
    assert (spent.limit, spent.used) == (2000, 42)
    with sqlite3.connect(counters_path(database)) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == sqlite_counters.COUNTERS_SCHEMA_VERSION
    check.close()


def test_mirroring_is_nothing_to_do_off_an_sqlite_file():
    for url in ("postgresql+asyncpg://app@127.0.0.1:1/ecozone", "sqlite+aiosqlite:///:memory:",
                "sqlite+aiosqlite:///file:shared?mode=memory&cache=shared&uri=true"):
        sqlite_counters.mirror_raises(url)  # no file is created, nothing is connected to
