"""Two real server processes (two workers) over one database: they share nothing but it.

``ecozone serve`` is started twice, on two free loopback ports, with the same database URL
(the app's login), the same secret and ``ECOZONE_ENV=test``:

(a) a role granted through worker A is enforced by worker B within a second, and revoked
    through B is refused by A within a second: roles are read from the database per request,
    so no watcher is needed (both engines);
(b) a subscriber on A receives a notification raised by a mutation through B: PostgreSQL
    LISTEN/NOTIFY carries it (PostgreSQL only: SQLite's broker is in-process by design).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from ecozone.settings import PROJECT_ROOT
from tests.support.api import gid

ENFORCED_WITHIN = 1.0  # seconds
START_TIMEOUT = 30.0
WAIT = 10.0
PROTOCOL = "graphql-transport-ws"

ROLE_LIST = """{ roleAssignments(first: 10) { __typename
  ... on RoleAssignmentConnection { totalCount } ... on Failure { code } } }"""
GRANT = """mutation($input: GrantRoleInput!) { grantRole(input: $input) {
  __typename ... on RoleAssignment { id role } ... on Failure { code message } } }"""
REVOKE = """mutation($input: RevokeRoleInput!) { revokeRole(input: $input) {
  __typename ... on RoleAssignment { id } ... on Failure { code message } } }"""
PROPOSE = """mutation($input: ProposeProjectInput!) { proposeProject(input: $input) {
  __typename ... on Project { id } ... on Failure { code message } } }"""
SUBSCRIPTION = "subscription { notifications { id kind subjectType subjectId titleEn } }"


@dataclass
class Worker:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(name: str, env: dict[str, str], directory: Path) -> Worker:
    port = _free_port()
    log = directory / f"worker-{name}.log"
    executable = Path(sys.executable).parent / "ecozone"
    with log.open("wb") as out:
        process = subprocess.Popen([str(executable), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                   env=env, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT)
    return Worker(name, port, process, log)


def _wait_healthy(worker: Worker) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            raise RuntimeError(f"worker {worker.name} exited with {worker.process.returncode}:\n"
                               f"{worker.log_tail()}")
        with contextlib.suppress(httpx.HTTPError):
            response = httpx.get(f"{worker.url}/healthz", timeout=2)
            if response.status_code == 200 and response.json().get("status") == "ok":
                return
        time.sleep(0.1)
    raise RuntimeError(f"worker {worker.name} not healthy after {START_TIMEOUT} s:\n{worker.log_tail()}")


def _stop(worker: Worker) -> None:
    if worker.process.poll() is None:
        worker.process.terminate()  # uvicorn shuts down gracefully on SIGTERM
        try:
            worker.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait(timeout=5)


@pytest.fixture
def workers(settings, database, tmp_path) -> Iterator[tuple[Worker, Worker]]:
    env = {**os.environ,
           "ECOZONE_DATABASE_URL": database.app_url,
           "ECOZONE_MIGRATION_DATABASE_URL": database.operator_url,
           "ECOZONE_SECRET": settings.secret,
           "ECOZONE_ENV": "test",
           "ECOZONE_VAR_DIR": str(tmp_path / "var")}
    started: list[Worker] = []
    try:
        for name in ("A", "B"):
            started.append(_start(name, env, tmp_path))
        for worker in started:
            _wait_healthy(worker)
        yield started[0], started[1]
    finally:
        for worker in started:
            _stop(worker)


async def _post(api, worker: Worker, query: str, variables: dict | None = None, *, user: str,
                zone: str = "jiangxi") -> dict:
    async with httpx.AsyncClient(base_url=worker.url, timeout=10) as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables},
                                     headers=api.headers(user, zone))
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, (worker.name, body)
    return body["data"]


async def _poll(check, within: float) -> float:
    """Seconds until ``check()`` is true; fails after ``within`` seconds."""
    started = time.monotonic()
    while True:
        if await check():
            return time.monotonic() - started
        if time.monotonic() - started > within:
            raise AssertionError(f"not true within {within} s")
        await asyncio.sleep(0.05)


async def test_a_role_granted_on_one_worker_is_enforced_by_the_other(api, workers):
    a, b = workers
    await api.add_user("jx-director", "jiangxi", "director")
    candidate = await api.add_user("jx-candidate", "jiangxi")

    async def lists_roles_on(worker: Worker) -> bool:
        data = await _post(api, worker, ROLE_LIST, user="jx-candidate")
        return data["roleAssignments"]["__typename"] == "RoleAssignmentConnection"

    assert not await lists_roles_on(b)  # listing role assignments needs director or secretary
    granted = await _post(api, a, GRANT, {"input": {"userId": gid("User", candidate),
                                                    "role": "SECRETARY"}}, user="jx-director")
    assert granted["grantRole"]["__typename"] == "RoleAssignment", granted
    await _poll(lambda: lists_roles_on(b), ENFORCED_WITHIN)

    revoked = await _post(api, b, REVOKE, {"input": {"userId": gid("User", candidate),
                                                     "role": "SECRETARY"}}, user="jx-director")
    assert revoked["revokeRole"]["__typename"] == "RoleAssignment", revoked

    async def refused_on_a() -> bool:
        return not await lists_roles_on(a)
    await _poll(refused_on_a, ENFORCED_WITHIN)


async def test_a_subscriber_on_one_worker_hears_a_mutation_on_the_other(engine_kind, api, workers):
    if engine_kind != "postgresql":
        pytest.skip("PostgreSQL only: on SQLite (one process, development) notifications travel "
                    "through an in-process broker; across processes they need LISTEN/NOTIFY")
    a, b = workers
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await api.add_user("jx-proposer", "jiangxi", "member")
    init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {api.token('jx-secretary')}",
                                                   "X-Zone": "jiangxi"}}
    async with connect(a.ws_url, subprotocols=[PROTOCOL], open_timeout=WAIT) as ws:
        await ws.send(json.dumps(init))
        assert json.loads(await asyncio.wait_for(ws.recv(), WAIT)) == {"type": "connection_ack"}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}))
        # Worker A registers the subscription asynchronously and says nothing until an event:
        # propose again (each proposal notifies the zone's staff) until one arrives.
        proposed: set[str] = set()
        event = None
        for attempt in range(5):
            data = await _post(api, b, PROPOSE, {"input": {
                "kind": "RESEARCH_TOPIC", "titleZh": f"多进程通知测试 {attempt}",
                "titleEn": f"Cross-worker notification {attempt}", "summary": "测试",
                "proposerUnit": "示例单位"}}, user="jx-proposer")
            assert data["proposeProject"]["__typename"] == "Project", data
            proposed.add(data["proposeProject"]["id"])
            with contextlib.suppress(TimeoutError):
                event = json.loads(await asyncio.wait_for(ws.recv(), 2.0))
                break
        assert event is not None, f"no notification reached worker A:\n{a.log_tail()}"
        assert event["type"] == "next" and event["id"] == "1", event
        notification = event["payload"]["data"]["notifications"]
        assert notification["kind"] == "project.proposed"
        assert notification["subjectId"] in proposed  # the project's global ID
