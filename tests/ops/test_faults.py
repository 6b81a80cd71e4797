"""Faults survived (issue 21), each bounded in time:

- PostgreSQL restarted while requests run: those in flight fail with a typed 503
  SERVICE_UNAVAILABLE and Retry-After (never a masked 500); new requests succeed once it is
  back, without restarting the app; no committed write is lost, none is half-written.
- A worker of ``ecozone serve --workers 2`` killed (SIGKILL) mid-mutation: its transaction is
  rolled back, the other worker keeps serving, the audit chains verify.
- SIGTERM: the server stops accepting, finishes the requests in flight, closes subscriptions
  with 1001 (going away) and exits 0.
- SQLite disk full (a size-limited tmpfs): a typed 503, the file intact (integrity_check).

Writes are held open before they commit with the test-only ``ECOZONE_TEST_WRITE_DELAY``
(``Settings.test_write_delay_seconds``: ``pg_sleep`` inside the transaction on PostgreSQL).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import psutil
import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from ecozone.audit.service import verify
from ecozone.projects.models import Project
from ecozone.settings import PROJECT_ROOT

PROPOSE = """mutation($input: ProposeProjectInput!) { proposeProject(input: $input) {
  __typename ... on Project { id titleEn } ... on Failure { code message } } }"""
ZONES = "{ zones { totalCount } }"
SUBSCRIPTION = "subscription { notifications { id kind } }"
START_TIMEOUT = 60.0


def proposal(title: str, summary: str = "测试") -> dict:
    return {"input": {"kind": "RESEARCH_TOPIC", "titleZh": "故障测试", "titleEn": title,
                      "summary": summary, "proposerUnit": "示例单位"}}


def postgresql_only(engine_kind: str) -> None:
    if engine_kind != "postgresql":
        pytest.skip("a PostgreSQL fault (the SQLite one is the disk-full test)")


async def _titles(api) -> set[str]:
    return set(await api.operator(lambda s: s.scalars(select(Project.title_en))))


async def _audit_intact(api) -> None:
    report = await api.operator(lambda s: verify(s))
    assert report.broken is None, report.broken


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["retry-after"]) > 0
    body = response.json()
    assert "data" not in body
    error = body["errors"][0]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE" and error["extensions"]["messageZh"]


# ------------------------------------------------------------ PostgreSQL restarted


async def test_postgresql_restart_while_requests_run(engine_kind, api, settings, app_engine,
                                                     request):
    postgresql_only(engine_kind)
    from ecozone.web.app import create_app
    cluster = request.getfixturevalue("postgres_cluster")
    await api.add_user("jx-proposer", "jiangxi", "member")
    headers = api.headers("jx-proposer", "jiangxi")
    app = create_app(dataclasses.replace(settings, test_write_delay_seconds=2.0), engine=app_engine)
    started = time.monotonic()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ecozone.test",
                                 timeout=30) as client:
        async def propose(title: str) -> httpx.Response:
            return await client.post("/graphql", json={"query": PROPOSE, "variables": proposal(title)},
                                     headers=headers)

        committed = await propose("before the restart")  # held 2 s, then committed
        assert committed.status_code == 200 and committed.json()["data"]["proposeProject"]["id"]
        in_flight = [asyncio.create_task(propose(f"in flight {i}")) for i in range(4)]
        queries = [asyncio.create_task(client.post("/graphql", json={"query": ZONES}, headers=headers))
                   for _ in range(2)]
        await asyncio.sleep(0.7)  # the mutations sit in pg_sleep, their rows not committed
        try:
            await asyncio.to_thread(cluster.stop_server)
            answers = await asyncio.gather(*in_flight)
            for answer in answers:  # every one in flight: 503, typed, never a 500
                _assert_unavailable(answer)
            for done in await asyncio.gather(*queries):
                assert done.status_code in (200, 503), done.text
            down = await client.post("/graphql", json={"query": ZONES}, headers=headers)
            _assert_unavailable(down)  # while it is down
            down_mutation = await propose("while down")
            _assert_unavailable(down_mutation)
            download = await client.get("/catalogs/tea/v1/schema.json")  # downloads too
            _assert_unavailable(download)
        finally:
            await asyncio.to_thread(cluster.start_server)
        # Back: the same app, the same engine, no restart; the pool replaces dead connections.
        deadline = time.monotonic() + 20
        while True:
            back = await client.post("/graphql", json={"query": ZONES}, headers=headers)
            if back.status_code == 200:
                break
            _assert_unavailable(back)
            assert time.monotonic() < deadline, "not back within 20 s"
            await asyncio.sleep(0.2)
        after = await propose("after the restart")
        assert after.status_code == 200, after.text
        assert after.json()["data"]["proposeProject"]["__typename"] == "Project"
    titles = await _titles(api)
    assert {"before the restart", "after the restart"} <= titles  # committed writes kept
    assert not {t for t in titles if t.startswith("in flight") or t == "while down"}  # none half-written
    await _audit_intact(api)
    assert time.monotonic() - started < 60


# ------------------------------------------------------------ real server processes


@dataclasses.dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def workers(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(settings, database, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "ECOZONE_DATABASE_URL": database.app_url,
            "ECOZONE_MIGRATION_DATABASE_URL": database.operator_url, "ECOZONE_SECRET": settings.secret,
            "ECOZONE_ENV": "test", "ECOZONE_VAR_DIR": str(tmp_path / "var"), **extra}


@contextlib.contextmanager
def serving(env: dict[str, str], tmp_path: Path, workers: int = 2):
    port = _free_port()
    log = tmp_path / f"serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(Path(sys.executable).parent / "ecozone"), "serve", "--host",
                                    "127.0.0.1", "--port", str(port), "--workers", str(workers)],
                                   env=env, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT)
    server = Server(process, port, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, f"serve exited with {process.returncode}:\n{server.tail()}"
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200 \
                        and (workers == 1 or len(server.workers()) >= workers):
                    break
            assert time.monotonic() < deadline, f"not up within {START_TIMEOUT} s:\n{server.tail()}"
            time.sleep(0.2)
        yield server
    finally:
        if process.poll() is None:
            children = server.workers()
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                for child in [*children, psutil.Process(process.pid)]:
                    with contextlib.suppress(psutil.Error):
                        child.kill()
                process.wait(timeout=10)


def _sleeping_backends(database) -> int:
    url = make_url(database.operator_url)
    with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname=url.database,
                         autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                            "AND query LIKE 'SELECT pg_sleep%%' AND state = 'active'",
                            (url.database,)).fetchone()[0]


def _open_backends(database) -> int:
    """Backends of the app's login still inside a transaction (active or idle in it)."""
    url = make_url(database.operator_url)
    with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname=url.database,
                         autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                            "AND usename = %s AND xact_start IS NOT NULL",
                            (url.database, make_url(database.app_url).username)).fetchone()[0]


def _raw_post(port: int, body: dict, headers: dict[str, str]) -> socket.socket:
    """Send a POST /graphql on a socket of our own (its local port names its worker)."""
    payload = json.dumps(body).encode()
    lines = [f"POST /graphql HTTP/1.1", f"Host: 127.0.0.1:{port}", "Content-Type: application/json",
             f"Content-Length: {len(payload)}", "Connection: close",
             *(f"{k}: {v}" for k, v in headers.items())]
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
    return sock


def _worker_holding(server: Server, client_port: int) -> psutil.Process:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for worker in server.workers():
            with contextlib.suppress(psutil.Error):
                if any(c.raddr and c.raddr.port == client_port and c.laddr.port == server.port
                       for c in worker.net_connections(kind="tcp")):
                    return worker
        time.sleep(0.05)
    raise AssertionError("no worker holds the connection")


async def _poll(check, within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not await asyncio.to_thread(check):
        assert time.monotonic() < deadline, f"{what}: not within {within} s"
        await asyncio.sleep(0.1)


async def test_a_worker_killed_mid_mutation(engine_kind, api, settings, database, tmp_path):
    postgresql_only(engine_kind)
    await api.add_user("jx-proposer", "jiangxi", "member")
    headers = api.headers("jx-proposer", "jiangxi")
    env = _env(settings, database, tmp_path, ECOZONE_TEST_WRITE_DELAY="3")
    with serving(env, tmp_path) as server:
        started = time.monotonic()
        sock = _raw_post(server.port, {"query": PROPOSE, "variables": proposal("killed mid-mutation")},
                         headers)
        victim = _worker_holding(server, sock.getsockname()[1])
        await _poll(lambda: _sleeping_backends(database) >= 1, 15, "the mutation reaches pg_sleep")
        victim.send_signal(signal.SIGKILL)
        # The client hears the connection end without an answer (a retry with the same
        # Idempotency-Key would run it, since nothing was stored).
        received = b""
        with contextlib.suppress(ConnectionResetError):
            received = sock.recv(65536)
        assert received == b"", received
        sock.close()
        # The other worker keeps serving, right away: queries and mutations.
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            for _ in range(3):
                answer = await client.post("/graphql", json={"query": ZONES}, headers=headers)
                assert answer.status_code == 200, answer.text
            kept = await client.post("/graphql", json={"query": PROPOSE,
                                                        "variables": proposal("served by the other")},
                                     headers=headers)
            assert kept.status_code == 200, kept.text
            assert kept.json()["data"]["proposeProject"]["__typename"] == "Project"
        # The killed worker's transaction is rolled back by PostgreSQL (its connection is gone).
        await _poll(lambda: _open_backends(database) == 0, 15, "the killed worker's transaction ends")
        assert time.monotonic() - started < 60
        assert server.process.poll() is None  # the supervisor lives on (and replaces the worker)
    titles = await _titles(api)
    assert "served by the other" in titles and "killed mid-mutation" not in titles
    done = subprocess.run([str(Path(sys.executable).parent / "ecozone"), "audit", "verify"], env=env,
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "audit log intact" in done.stdout


@pytest.mark.parametrize("workers", [2, 1])
async def test_sigterm_finishes_in_flight_requests_and_closes_subscriptions(engine_kind, api, settings,
                                                                          database, tmp_path, workers):
    postgresql_only(engine_kind)
    await api.add_user("jx-proposer", "jiangxi", "member")
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    headers = api.headers("jx-proposer", "jiangxi")
    env = _env(settings, database, tmp_path, ECOZONE_TEST_WRITE_DELAY="4", ECOZONE_SHUTDOWN_TIMEOUT="15")
    with serving(env, tmp_path, workers) as server:
        init = {"type": "connection_init", "payload": {
            "Authorization": f"Bearer {api.token('jx-secretary')}", "X-Zone": "jiangxi"}}
        async with connect(f"ws://127.0.0.1:{server.port}/graphql", subprotocols=["graphql-transport-ws"],
                           open_timeout=10) as ws:
            await ws.send(json.dumps(init))
            assert json.loads(await asyncio.wait_for(ws.recv(), 10)) == {"type": "connection_ack"}
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}))
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
                in_flight = asyncio.create_task(client.post(
                    "/graphql", json={"query": PROPOSE, "variables": proposal("finished at SIGTERM")},
                    headers=headers))
                await _poll(lambda: _sleeping_backends(database) >= 1, 15, "the mutation is running")
                stopped_at = time.monotonic()
                server.process.send_signal(signal.SIGTERM)
                # The subscription is closed with 1001, going away.
                with pytest.raises(ConnectionClosed) as closed:
                    await asyncio.wait_for(ws.recv(), 15)
                assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001, closed.value
                # New connections are refused while the request in flight (4 s) still runs.
                refused = False
                while not refused and not in_flight.done():
                    try:
                        socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
                    except OSError:
                        refused = True
                    else:
                        await asyncio.sleep(0.1)
                assert refused and not in_flight.done(), "still accepting while finishing"
                answer = await in_flight
        assert answer.status_code == 200, answer.text
        assert answer.json()["data"]["proposeProject"]["__typename"] == "Project"
        assert server.process.wait(timeout=30) == 0, server.tail()
        assert time.monotonic() - stopped_at < 30
    assert "finished at SIGTERM" in await _titles(api)


# ------------------------------------------------------------ SQLite disk full


async def test_sqlite_disk_full_is_a_503_and_the_file_stays_intact(engine_kind, api, settings, database,
                                                                  tmp_path):
    if engine_kind != "sqlite":
        pytest.skip("SQLite only")
    from ecozone.db.engine import create_engine
    from ecozone.web.app import create_app
    source = Path(make_url(database.app_url).database)
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    size_kb = source.stat().st_size // 1024 + 384
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a size-limited tmpfs here (root needed): {mounted.stderr.strip()}")
    try:
        await api.add_user("jx-proposer", "jiangxi", "member")
        path = mount_point / "ecozone.sqlite3"
        with sqlite3.connect(source) as src, sqlite3.connect(path) as dst:
            src.backup(dst)
        url = f"sqlite+aiosqlite:///{path}"
        engine = create_engine(url)
        app = create_app(dataclasses.replace(settings, database_url=url, migration_database_url=url),
                         engine=engine)
        headers = api.headers("jx-proposer", "jiangxi")
        committed: list[str] = []
        full = None
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ecozone.test",
                                     timeout=30) as client:
            for i in range(400):
                title = f"until the disk is full {i}"
                answer = await client.post("/graphql", json={"query": PROPOSE, "variables": proposal(
                    title, "填满磁盘" * 1200)}, headers=headers)
                if answer.status_code != 200:
                    full = answer
                    break
                assert answer.json()["data"]["proposeProject"]["__typename"] == "Project", answer.text
                committed.append(title)
            assert full is not None, "the disk never filled"
            _assert_unavailable(full)
            # Reads still answer; the file is intact and holds every committed write.
            read = await client.post("/graphql", json={"query": ZONES}, headers=headers)
            assert read.status_code in (200, 503)
        await engine.dispose()
        with sqlite3.connect(path) as check:
            assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            titles = {t for (t,) in check.execute("SELECT title_en FROM projects")}
        assert set(committed) <= titles and len(committed) >= 1
        assert f"until the disk is full {len(committed)}" not in titles  # the failed one: not half-written
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)
