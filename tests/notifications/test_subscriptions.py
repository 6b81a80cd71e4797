"""The `notifications` subscription end to end: a real server, a real WebSocket client.

uvicorn serves ``create_app`` on a free port of 127.0.0.1 (in this event loop, so the test can
watch the app's broker); the client speaks graphql-transport-ws with the `websockets` library.
Notifications are written in an operator transaction, as a CLI command would: on PostgreSQL they
reach the server only through pg_notify, on SQLite through the after-commit hand-over.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from ecozone.web.app import create_app
from tests.notifications.support import WAIT, notify_as_operator, wait_until
from tests.support.api import gid

PROTOCOL = "graphql-transport-ws"
SUBSCRIPTION = """subscription { notifications {
  id kind titleZh titleEn bodyZh subjectType subjectId createdAt readAt } }"""
QUIET = 0.3


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self):
        yield  # leave Ctrl-C to pytest


@dataclass
class LiveServer:
    port: int
    app: Any

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    @property
    def broker(self):
        return self.app.state.notifications_broker


@contextlib.asynccontextmanager
async def live_server(settings, engine) -> AsyncIterator[LiveServer]:
    app = create_app(settings, engine=engine)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, lifespan="on", ws="websockets-sansio", log_level="warning")
    uvicorn_server = _Server(config)
    task = asyncio.create_task(uvicorn_server.serve(sockets=[sock]))
    try:
        await wait_until(lambda: uvicorn_server.started or task.done())
        assert not task.done(), task.exception()
        yield LiveServer(sock.getsockname()[1], app)
    finally:
        uvicorn_server.should_exit = True
        await asyncio.wait_for(task, 15)
        sock.close()


@pytest.fixture
async def server(settings, app_engine) -> AsyncIterator[LiveServer]:
    async with live_server(settings, app_engine) as running:
        yield running


@pytest.fixture
async def people(api):
    for name, zone in (("proposer", "jiangxi"), ("neighbour", "jiangxi"), ("gz-member", "guizhou")):
        await api.add_user(name, zone, "member")
    return api


async def receive(ws: ClientConnection, timeout: float = WAIT) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def nothing_arrives(ws: ClientConnection) -> None:
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(ws.recv(), QUIET)


@contextlib.asynccontextmanager
async def session(server: LiveServer, payload: dict[str, Any] | None = None,
                  headers: dict[str, str] | None = None) -> AsyncIterator[ClientConnection]:
    """A connection that sent connection_init (not yet checked for the ack)."""
    async with connect(server.ws_url, subprotocols=[PROTOCOL], additional_headers=headers or {},
                       open_timeout=WAIT) as ws:
        assert ws.subprotocol == PROTOCOL
        await ws.send(json.dumps({"type": "connection_init", "payload": payload or {}}))
        yield ws


@contextlib.asynccontextmanager
async def signed_in(server: LiveServer, api, user: str, zone: str | None = None
                    ) -> AsyncIterator[ClientConnection]:
    payload = {"Authorization": f"Bearer {api.token(user)}"}
    if zone:
        payload["X-Zone"] = zone
    async with session(server, payload) as ws:
        assert await receive(ws) == {"type": "connection_ack"}
        yield ws


async def subscribe(ws: ClientConnection, server: LiveServer, user_id: int, op_id: str = "1") -> None:
    await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": {"query": SUBSCRIPTION}}))
    # The server starts listening asynchronously: wait until it does before causing events.
    await wait_until(lambda: server.broker.subscriber_count(user_id) == 1)


async def refusal(ws: ClientConnection) -> tuple[int, str]:
    with pytest.raises(ConnectionClosed) as closed:
        await receive(ws)
    return closed.value.rcvd.code, closed.value.rcvd.reason


async def test_the_recipient_receives_their_new_notification_and_nobody_else(server, people):
    proposer, neighbour = people.users["proposer"], people.users["neighbour"]
    async with signed_in(server, people, "proposer") as mine, \
            signed_in(server, people, "neighbour", zone="jiangxi") as theirs:
        await subscribe(mine, server, proposer)
        await subscribe(theirs, server, neighbour)

        [nid] = await notify_as_operator(people, [proposer])
        event = await receive(mine)
        assert event["type"] == "next" and event["id"] == "1"
        notification = event["payload"]["data"]["notifications"]
        assert notification["id"] == gid("Notification", nid)
        assert notification["titleZh"] == "《茶叶分级标准 1》进入征求意见阶段"
        assert notification["subjectId"] == gid("Standard", 42) and notification["readAt"] is None

        [other] = await notify_as_operator(people, [neighbour], 2)
        event = await receive(theirs)
        assert event["payload"]["data"]["notifications"]["id"] == gid("Notification", other)
        await nothing_arrives(mine)    # not the neighbour's, though in the same zone
        await nothing_arrives(theirs)  # and the neighbour never got the proposer's

        # The same path still answers HTTP: the notification is in the inbox.
        async with httpx.AsyncClient() as client:
            response = await client.post(server.http_url, json={
                "query": "{ inbox { ... on NotificationConnection { totalCount } } }"},
                headers={"Authorization": f"Bearer {people.token('proposer')}"})
        assert response.json()["data"] == {"inbox": {"totalCount": 1}}

        await mine.send(json.dumps({"id": "1", "type": "complete"}))
        await wait_until(lambda: server.broker.subscriber_count(proposer) == 0)


async def test_a_user_acting_in_another_zone_still_gets_their_notifications(server, people):
    member = people.users["gz-member"]
    await people.add_roles("gz-member", "jiangxi", "expert")  # may act in Jiangxi
    async with signed_in(server, people, "gz-member", zone="jiangxi") as ws:
        await subscribe(ws, server, member)
        [nid] = await notify_as_operator(people, [member])
        event = await receive(ws)
        assert event["payload"]["data"]["notifications"]["id"] == gid("Notification", nid)


async def test_the_upgrade_requests_authorization_header_is_accepted(server, people):
    proposer = people.users["proposer"]
    headers = {"Authorization": f"Bearer {people.token('proposer')}"}
    async with session(server, headers=headers) as ws:
        assert await receive(ws) == {"type": "connection_ack"}
        await subscribe(ws, server, proposer)
        [nid] = await notify_as_operator(people, [proposer])
        assert (await receive(ws))["payload"]["data"]["notifications"]["id"] == gid("Notification", nid)


async def test_an_anonymous_connection_is_refused_with_a_clear_reason(server, people):
    async with session(server) as ws:
        code, reason = await refusal(ws)
    assert code == 4403
    assert "sign in" in reason and "Authorization" in reason and "登录" in reason
    assert server.broker.subscriber_count() == 0


@pytest.mark.parametrize(("authorization", "expected"), [
    ("Basic dXNlcjpwYXNz", "Bearer"),
    ("Bearer not-a-token", "malformed"),
    ("Bearer {expired}", "expired"),
    ("Bearer {unknown}", "unknown"),
])
async def test_a_bad_token_is_refused(server, people, authorization, expected):
    authorization = authorization.format(expired=people.token("proposer", ttl_seconds=-60),
                                         unknown=people.token("nobody"))
    async with session(server, {"Authorization": authorization}) as ws:
        code, reason = await refusal(ws)
    assert code == 4403 and expected in reason


async def test_an_unknown_zone_is_refused(server, people):
    async with session(server, {"Authorization": f"Bearer {people.token('proposer')}",
                                "X-Zone": "atlantis"}) as ws:
        code, reason = await refusal(ws)
    assert code == 4400 and "atlantis" in reason


@pytest.mark.parametrize(("query", "code"), [
    ("{ unreadNotificationCount }", "BAD_REQUEST"),
    ("mutation { markNotificationsRead(input: {}) { __typename } }", "BAD_REQUEST"),
    ("subscription { " + " ".join(f"a{i}: notifications {{ id }}" for i in range(16)) + " }",
     "TOO_MANY_ALIASES"),
    ("subscription { notifications { nope } }", "GRAPHQL_VALIDATION_FAILED"),
    ("subscription {", "GRAPHQL_PARSE_FAILED"),
])
async def test_documents_are_held_to_the_apis_rules(server, people, query, code):
    async with signed_in(server, people, "proposer") as ws:
        await ws.send(json.dumps({"id": "7", "type": "subscribe", "payload": {"query": query}}))
        message = await receive(ws)
        assert message["type"] == "error" and message["id"] == "7"
        assert code in [e["extensions"]["code"] for e in message["payload"]]
        assert server.broker.subscriber_count() == 0
        # The connection stays usable.
        await subscribe(ws, server, people.users["proposer"], op_id="8")


async def test_a_malformed_subscribe_message_closes_the_connection(server, people):
    async with signed_in(server, people, "proposer") as ws:
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": 42}}))
        code, reason = await refusal(ws)
    assert code == 4400 and "query" in reason


@pytest.mark.parametrize("env", ["production", "development"])
async def test_unexpected_errors_are_masked_in_production_and_development(settings, app_engine, people,
                                                                         monkeypatch, env):
    from ecozone.notifications import service

    def broken(*_args, **_kwargs):
        raise RuntimeError("connection string postgresql://secret@db")
    monkeypatch.setattr(service, "watch", broken)
    production = dataclasses.replace(settings, env=env, introspection=False)
    async with live_server(production, app_engine) as running, \
            signed_in(running, people, "proposer") as ws:
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}))
        message = await receive(ws)
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert [(e["message"], e["extensions"]["code"]) for e in errors] == [
        ("Internal server error", "INTERNAL_SERVER_ERROR")]
