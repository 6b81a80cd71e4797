"""On SQLite a process's write transactions take turns, first come first served (db/engine.py)."""

from __future__ import annotations

import asyncio
import fcntl
import os

import pytest

from ecozone.db.engine import write_turn

MUTATION = """mutation($input: CreateExpertProfileInput!) { createExpertProfile(input: $input) {
  __typename ... on Expert { nameZh } } }"""


async def test_writers_take_turns_in_arrival_order_and_readers_do_not_wait(app_engine, database):
    events: list[tuple[str, int]] = []
    release = asyncio.Event()

    async def writer(n: int) -> None:
        async with write_turn(app_engine, True):
            events.append(("in", n))
            if n == 0:
                await release.wait()  # the first writer holds its turn until told
            await asyncio.sleep(0)
            events.append(("out", n))

    async def reader() -> None:
        async with write_turn(app_engine, False):
            events.append(("read", -1))

    writers = [asyncio.create_task(writer(n)) for n in range(5)]
    for _ in range(1000):  # until the first writer holds its turn (slow on a loaded machine)
        if ("in", 0) in events:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.01)  # the others reach the queue behind it
    await reader()  # never queued behind writers
    release.set()
    await asyncio.gather(*writers)
    if database.kind == "sqlite":
        assert events[:2] == [("in", 0), ("read", -1)]
        assert events[2:] == [step for n in range(5) for step in (("in", n), ("out", n))][1:]
    else:  # PostgreSQL: no turn, every writer is in at once
        assert [e for e in events[:6] if e[0] == "in"] == [("in", n) for n in range(5)]


async def test_concurrent_writes_through_the_api_all_land(api):
    for n in range(12):
        await api.add_user(f"turn-writer-{n}", "jiangxi", "member")
    responses = await asyncio.gather(*(
        api.post(MUTATION, {"input": {"nameZh": f"专家{n}"}}, user=f"turn-writer-{n}") for n in range(12)))
    names = sorted(r.json()["data"]["createExpertProfile"]["nameZh"] for r in responses)
    assert names == sorted(f"专家{n}" for n in range(12))


def _try_lock(path: str) -> bool:
    """Whether another holder (another open file, as another process would have) gets the lock."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing releases it
    return True


async def test_the_turn_is_held_across_processes_and_given_back_when_cancelled(app_engine, database):
    if database.kind != "sqlite":
        pytest.skip("PostgreSQL writers take no turn")
    path = f"{app_engine.url.database}.write-lock"
    async with write_turn(app_engine, True):
        assert not _try_lock(path)  # another worker process would wait here
    assert _try_lock(path)

    # A writer cancelled while it waits for another process must not keep the lock for ever.
    other = os.open(path, os.O_RDWR)
    fcntl.flock(other, fcntl.LOCK_EX)
    waiting = asyncio.create_task(writer_that_never_runs(app_engine))
    await asyncio.sleep(0.05)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    fcntl.flock(other, fcntl.LOCK_UN)
    os.close(other)
    for _ in range(100):  # the thread takes the lock once free, then gives it back
        await asyncio.sleep(0.01)
        if _try_lock(path):
            break
    else:
        pytest.fail("the cancelled writer kept the lock")
    async with write_turn(app_engine, True):  # and the process still gets its turns
        pass


async def writer_that_never_runs(engine) -> None:
    async with write_turn(engine, True):
        raise AssertionError("cancelled before its turn")
