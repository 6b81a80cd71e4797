"""Telling subscribers about new notifications, across app workers.

App workers hold no state, so an event written by one worker must reach a subscriber connected
to another. On PostgreSQL the event travels through ``LISTEN/NOTIFY``: :func:`announce` sends
``pg_notify`` inside the writing transaction, so PostgreSQL delivers it only if (and when) the
transaction commits, and each worker's :class:`PostgresBroker` listens on one dedicated
connection and hands the ids to its local subscribers. On SQLite (one process, development)
:func:`announce` stashes the rows in the session and an ``after_commit`` event of the session
class hands them to the process's :class:`InProcessBroker` — a session event rather than the
HTTP view, so that every committing path (API, CLI, tests' operator transactions) publishes.

Subscribers receive notification ids only; they load the row through their own scoped session,
so that the recipient rule (and row-level security) decides what they see.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session

from ecozone.db.listener import ChannelListener, asyncpg_dsn
from ecozone.db.scoping import ScopedSession

log = logging.getLogger("ecozone.notifications")

CHANNEL = "ecozone_notifications"
# Rows written in a SQLite transaction, handed to the in-process broker after the commit.
PENDING = "notifications_to_publish"
_CLOSED = object()  # queued to end every subscription when the broker stops

PG_NOTIFY = text("SELECT pg_notify(:channel, payload) "
                 "FROM unnest(CAST(:payloads AS text[])) AS payload")


def payload(user_id: int, notification_id: int) -> str:
    return json.dumps({"user_id": user_id, "id": notification_id}, separators=(",", ":"))


def parse_payload(raw: str) -> tuple[int, int] | None:
    try:
        data = json.loads(raw)
        user_id, notification_id = data["user_id"], data["id"]
    except (ValueError, TypeError, KeyError):
        return None
    if not (isinstance(user_id, int) and isinstance(notification_id, int)):
        return None
    return user_id, notification_id


class Fanout:
    """This process's subscribers: one bounded queue per open subscription, by user."""

    def __init__(self, max_queued: int = 1000):
        self.max_queued = max_queued
        self._queues: dict[int, set[asyncio.Queue]] = defaultdict(set)
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def deliver(self, user_id: int, notification_id: int) -> None:
        """Queue an id for the user's subscriptions; callable from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._deliver(user_id, notification_id)
        else:
            loop.call_soon_threadsafe(self._deliver, user_id, notification_id)

    def _deliver(self, user_id: int, notification_id: int) -> None:
        for queue in list(self._queues.get(user_id, ())):
            try:
                queue.put_nowait(notification_id)
            except asyncio.QueueFull:
                # A stalled client misses live events; its inbox still has every notification.
                log.warning("subscriber of user %s is %s events behind: dropping notification %s",
                            user_id, queue.qsize(), notification_id)

    async def listen(self, user_id: int) -> AsyncIterator[int]:
        queue: asyncio.Queue = asyncio.Queue(self.max_queued)
        self._queues[user_id].add(queue)
        try:
            while True:
                item = await queue.get()
                if item is _CLOSED:
                    return
                yield item
        finally:
            queues = self._queues.get(user_id)
            if queues is not None:
                queues.discard(queue)
                if not queues:
                    del self._queues[user_id]

    def close(self) -> None:
        for queues in list(self._queues.values()):
            for queue in list(queues):
                with contextlib.suppress(asyncio.QueueEmpty):
                    if queue.full():
                        queue.get_nowait()
                queue.put_nowait(_CLOSED)

    def subscriber_count(self, user_id: int | None = None) -> int:
        if user_id is not None:
            return len(self._queues.get(user_id, ()))
        return sum(len(q) for q in self._queues.values())


class Broker(ABC):
    """``publish(user_id, id)`` reaches every ``subscribe(user_id)`` of every worker."""

    def __init__(self) -> None:
        self.fanout = Fanout()

    async def start(self) -> None:
        self.fanout.bind(asyncio.get_running_loop())

    async def stop(self) -> None:
        self.fanout.close()

    @abstractmethod
    async def publish(self, user_id: int, notification_id: int) -> None:
        """Announce a committed notification (writers inside a transaction use :func:`announce`)."""

    def subscribe(self, user_id: int) -> AsyncIterator[int]:
        """Ids of the user's new notifications, as they are committed, until the broker stops."""
        return self.fanout.listen(user_id)

    def subscriber_count(self, user_id: int | None = None) -> int:
        return self.fanout.subscriber_count(user_id)


def _database_key(url: URL | str) -> tuple[str, str] | None:
    """Which SQLite file a URL names, however it is spelled (driver, relative path)."""
    url = make_url(url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return ("sqlite", os.path.realpath(url.database))


# The started in-process brokers of this process, by database: a commit is announced only to
# the brokers of the database it was made in.
_LOCAL_BROKERS: dict[tuple[str, str], set[InProcessBroker]] = defaultdict(set)


class InProcessBroker(Broker):
    """One process (SQLite, development): publish straight to the local subscribers."""

    def __init__(self, database_url: URL | str | None = None):
        super().__init__()
        self.database_key = _database_key(database_url) if database_url is not None else None

    async def start(self) -> None:
        await super().start()
        if self.database_key is not None:
            _LOCAL_BROKERS[self.database_key].add(self)

    async def stop(self) -> None:
        if self.database_key is not None:
            _LOCAL_BROKERS[self.database_key].discard(self)
        await super().stop()

    async def publish(self, user_id: int, notification_id: int) -> None:
        self.fanout.deliver(user_id, notification_id)


class PostgresBroker(Broker):
    """Each worker LISTENs on one dedicated connection and fans events out to its subscribers.

    The connection is the app's own role: LISTEN needs no privilege. When it drops, it is
    re-opened with back-off; events sent meanwhile are missed live but stay in the inboxes.
    """

    def __init__(self, dsn: str, *, health_check_seconds: float = 30.0, start_timeout: float = 10.0):
        super().__init__()
        self.start_timeout = start_timeout
        self._listener = ChannelListener(dsn, CHANNEL, self._on_notification, name="notifications-listener",
                                         health_check_seconds=health_check_seconds)

    @property
    def listening(self) -> bool:
        return self._listener.listening.is_set()

    @property
    def _connection(self) -> Any:
        return self._listener.connection

    async def start(self) -> None:
        await super().start()
        if not await self._listener.start(self.start_timeout):
            log.error("not listening for notifications yet; subscriptions get events once the "
                      "database answers (retrying)")

    async def stop(self) -> None:
        await self._listener.stop()
        await super().stop()

    async def publish(self, user_id: int, notification_id: int) -> None:
        connection = self._connection
        if connection is None:
            raise RuntimeError("the notification broker is not connected")
        await connection.execute("SELECT pg_notify($1, $2)", CHANNEL, payload(user_id, notification_id))

    def _on_notification(self, raw: str) -> None:
        parsed = parse_payload(raw)
        if parsed is None:
            log.warning("ignoring a malformed notification event: %r", raw[:200])
            return
        self.fanout.deliver(*parsed)


def make_broker(engine: AsyncEngine) -> Broker:
    """The broker for the app's database: LISTEN/NOTIFY on PostgreSQL, in-process otherwise."""
    if engine.dialect.name == "postgresql":
        return PostgresBroker(asyncpg_dsn(engine.url))
    return InProcessBroker(engine.url)


async def announce(session: AsyncSession, rows: Iterable[Any]) -> None:
    """Make new notification rows reach subscribers once their transaction commits."""
    rows = list(rows)
    if not rows:
        return
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        # Inside the transaction (and its savepoint): delivered only if it commits.
        await session.execute(PG_NOTIFY, {"channel": CHANNEL,
                                          "payloads": [payload(r.user_id, r.id) for r in rows]})
    else:
        session.info.setdefault(PENDING, []).extend(rows)


@event.listens_for(ScopedSession, "after_commit")
def _publish_committed(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released: the enclosing transaction may still roll back
    rows = session.info.pop(PENDING, None)
    if not rows:
        return
    bind = session.get_bind()
    key = _database_key(getattr(bind, "engine", bind).url)
    brokers = list(_LOCAL_BROKERS.get(key, ())) if key is not None else []
    for row in rows:
        # A row added inside a SAVEPOINT that was rolled back is transient again: not committed.
        if not inspect(row).persistent:
            continue
        for broker in brokers:
            broker.fanout.deliver(row.user_id, row.id)


@event.listens_for(ScopedSession, "after_transaction_end")
def _forget_uncommitted(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)
