"""SQLite's fair-use counters (fairuse/budget.py, _SQLiteSpender): a spend runs on the event
loop when nobody holds the counters, and waits for its turn in a thread when somebody does
(another process's flock, or this process's thread) — never blocking the loop, never lost."""

from __future__ import annotations

import asyncio
import fcntl
import os
import time

import pytest

from ecozone.fairuse import budget as budget_module
from ecozone.fairuse.budget import Budgets, address_client, counters_path
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
