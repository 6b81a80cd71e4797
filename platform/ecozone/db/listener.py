"""One dedicated PostgreSQL connection LISTENing on a channel, re-opened with back-off.

Both users of LISTEN/NOTIFY (the notification broker and the data version that keys the
response cache) keep a connection of their own in each worker; what they do with a message
differs, keeping it open does not. The connection is the app's own role: LISTEN needs no
privilege.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.engine import URL, make_url

log = logging.getLogger(__name__)

FIRST_DELAY, LONGEST_DELAY = 0.5, 30.0


def asyncpg_dsn(url: URL | str) -> str:
    """A libpq-style DSN for asyncpg from the app's SQLAlchemy URL (same role, same database)."""
    url = make_url(url)
    query = {k: v for k, v in url.query.items()
             if k not in {"prepared_statement_cache_size", "async_fallback", "ssl"}}
    if "ssl" in url.query and "sslmode" not in query:
        query["sslmode"] = url.query["ssl"]
    return url.set(drivername="postgresql", query=query).render_as_string(hide_password=False)


class ChannelListener:
    """Calls ``on_message(payload)`` for each NOTIFY on ``channel``.

    ``on_connected(connection)`` runs each time a connection starts listening (to catch up on
    what was missed while it was down). ``connection`` is the open one, or None between two.
    """

    def __init__(self, dsn: str, channel: str, on_message: Callable[[str], None], *, name: str,
                 on_connected: Callable[[Any], Awaitable[None]] | None = None,
                 health_check_seconds: float = 30.0):
        self.dsn, self.channel, self.name = dsn, channel, name
        self.on_message, self.on_connected = on_message, on_connected
        self.health_check_seconds = health_check_seconds
        self.connection: Any = None
        self.listening = asyncio.Event()
        self._task: asyncio.Task | None = None

    async def start(self, timeout: float = 10.0) -> bool:
        """Start listening; whether it listens within ``timeout`` (it keeps trying after)."""
        self._task = asyncio.create_task(self._supervise(), name=f"ecozone-{self.name}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.listening.wait(), timeout)
        return self.listening.is_set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _deliver(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        self.on_message(payload)

    async def _supervise(self) -> None:
        import asyncpg

        delay = FIRST_DELAY
        while True:
            connection = None
            try:
                connection = await asyncpg.connect(self.dsn)
                lost = asyncio.Event()
                connection.add_termination_listener(lambda _c, lost=lost: lost.set())
                await connection.add_listener(self.channel, self._deliver)
                if self.on_connected is not None:
                    await self.on_connected(connection)
                self.connection = connection
                self.listening.set()
                delay = FIRST_DELAY
                while not lost.is_set():
                    try:
                        await asyncio.wait_for(lost.wait(), self.health_check_seconds)
                    except TimeoutError:
                        # An idle connection can die without a word: ask it something.
                        await connection.fetchval("SELECT 1", timeout=self.health_check_seconds)
                log.warning("%s: the connection closed; reconnecting", self.name)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - any failure: log, wait, reconnect
                log.warning("%s: %s; reconnecting in %.1f s", self.name, exc, delay)
            finally:
                self.listening.clear()
                self.connection = None
                if connection is not None and not connection.is_closed():
                    with contextlib.suppress(Exception):
                        await connection.close(timeout=2)
            await asyncio.sleep(delay)
            delay = min(delay * 2, LONGEST_DELAY)
