"""The load generator of bench/run.py, a process of its own: ``python bench/load.py SPEC_JSON``.

It opens ``concurrency`` keep-alive connections one at a time, ``stagger`` seconds apart, and
asks each which worker answered it (``pid_path``): a connection landing on a worker that
already has its share is closed and opened again, so the connections end up spread evenly
over the workers. Opened at once, uvicorn's workers do not share them: the first worker to
wake accepts every pending connection (bench/RESULTS.md, issue 20: 0.01 s and 4.99 s of CPU).
Then every connection sends requests in turn until ``requests`` are done; prints its figures
as JSON, with the connections each worker got. ``"client": "raw"`` uses hand-written HTTP/1.1
connections (``RawConnection``) instead of httpx's, for rates where httpx's CPU would bound them.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time

import httpx

METRICS_PID = re.compile(r"^ecozone_worker_pid (\S+)$", re.MULTILINE)


def pid_of(answer: str, kind: str) -> int:
    """The worker's pid in ``answer``: the API's /metrics, or a bare number (floor, peer)."""
    if kind == "metrics":
        found = METRICS_PID.search(answer)
        return int(float(found.group(1))) if found else 0
    return int(answer.strip())


class RawResponse:
    def __init__(self, status_code: int, content: bytes):
        self.status_code, self.content = status_code, content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


class RawConnection:
    """One keep-alive HTTP/1.1 connection written and read by hand (``"client": "raw"``): a
    request is prebuilt bytes, an answer is read by its Content-Length (or chunks). About a
    tenth of httpx's CPU per request, for rates where httpx's own CPU on the shared cores would
    bound what is measured (the response cache's). Errors are httpx's, as the callers expect."""

    def __init__(self, base: str):
        host_port = base.split("://", 1)[1].rstrip("/")
        self.host, port = host_port.rsplit(":", 1)
        self.port = int(port)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self._built: dict[tuple, bytes] = {}

    async def _connect(self) -> None:
        try:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        except OSError as exc:
            raise httpx.ConnectError(str(exc)) from exc

    def _request(self, method: str, path: str, body: bytes, headers: dict | None) -> bytes:
        key = (method, path, body, tuple(sorted((headers or {}).items())))
        built = self._built.get(key)
        if built is None:
            lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: keep-alive",
                     *(f"{k}: {v}" for k, v in (headers or {}).items())]
            if method != "GET" or body:
                lines.append(f"Content-Length: {len(body)}")
            built = self._built[key] = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        return built

    async def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> RawResponse:
        if self.writer is None or self.reader is None or self.reader.at_eof() or self.writer.is_closing():
            await self._connect()  # new, or closed by the server while idle (as httpx's pool does)
        try:
            self.writer.write(self._request(method, path, body, headers))
            head = await self.reader.readuntil(b"\r\n\r\n")
            status_line, *header_lines = head.decode("latin-1").split("\r\n")
            status = int(status_line.split(" ", 2)[1])
            fields = {}
            for line in header_lines:
                if ":" in line:
                    name, value = line.split(":", 1)
                    fields[name.strip().lower()] = value.strip()
            if "content-length" in fields:
                content = await self.reader.readexactly(int(fields["content-length"]))
            elif fields.get("transfer-encoding", "").lower() == "chunked":
                parts = []
                while True:
                    size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
                    if size == 0:
                        await self.reader.readuntil(b"\r\n")  # no trailers are sent
                        break
                    parts.append(await self.reader.readexactly(size))
                    await self.reader.readexactly(2)
                content = b"".join(parts)
            else:
                content = await self.reader.read()  # until the server closes
            if fields.get("connection", "").lower() == "close":
                await self.aclose()
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            await self.aclose()
            raise httpx.ReadError(f"{type(exc).__name__}: {exc}") from exc
        return RawResponse(status, content)

    async def get(self, path: str, headers: dict | None = None) -> RawResponse:
        return await self.request("GET", path, b"", headers)

    async def post(self, path: str, content: str | bytes = b"", headers: dict | None = None) -> RawResponse:
        return await self.request("POST", path, content.encode() if isinstance(content, str) else content, headers)

    async def aclose(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None


async def _worker_of(client: httpx.AsyncClient, spec: dict) -> int:
    answer = await client.get(spec["pid_path"])
    return pid_of(answer.text, spec.get("pid_kind", "text"))


async def open_spread(spec: dict) -> tuple[list[httpx.AsyncClient], dict[int, int]]:
    """``concurrency`` clients of one connection each, spread over ``workers`` workers.

    A connection left idle past the server's keep-alive timeout while the others open is
    closed by the server, and httpx silently opens a new one, maybe to the other worker: so
    idle ones are touched as the others open, and every connection is asked its worker again
    just before the requests start, the extra ones on a worker replaced until the spread holds."""
    concurrency, workers = spec["concurrency"], max(1, spec.get("workers", 1))
    share = -(-concurrency // workers)  # ceil: 8 connections over 2 workers, 4 each

    def new_client() -> httpx.AsyncClient | RawConnection:
        if spec.get("client") == "raw":
            return RawConnection(spec["base"])
        return httpx.AsyncClient(base_url=spec["base"], timeout=60,
                                 limits=httpx.Limits(max_connections=1, max_keepalive_connections=1))

    if not spec.get("pid_path"):
        return [new_client() for _ in range(concurrency)], {}
    clients: dict[httpx.AsyncClient, int] = {}
    touched: dict[httpx.AsyncClient, float] = {}
    attempts = 0
    while True:
        while len(clients) < concurrency:
            client = new_client()
            pid = await _worker_of(client, spec)
            attempts += 1
            if list(clients.values()).count(pid) >= share and attempts < 20 * concurrency:
                await client.aclose()  # this worker has its share: open another connection
            else:
                clients[client], touched[client] = pid, time.monotonic()
            await asyncio.sleep(spec.get("stagger", 0.1))
            for other, at in list(touched.items()):  # keep the opened ones alive meanwhile
                if time.monotonic() - at > 1.0:
                    clients[other], touched[other] = await _worker_of(other, spec), time.monotonic()
        pids = await asyncio.gather(*(_worker_of(c, spec) for c in clients))  # where they are now
        clients = dict(zip(clients, pids))
        surplus = []
        for pid in set(clients.values()):
            surplus += [c for c, p in clients.items() if p == pid][share:]
        if not surplus or attempts >= 20 * concurrency:
            break
        for client in surplus:
            del clients[client], touched[client]
            await client.aclose()
    per_worker: dict[int, int] = {}
    for pid in clients.values():
        per_worker[pid] = per_worker.get(pid, 0) + 1
    return list(clients), per_worker


async def run(spec: dict) -> dict:
    latencies: list[float] = []
    failures = 0
    remaining = spec["requests"]
    clients, per_worker = await open_spread(spec)

    reopened = 0

    async def send(client: httpx.AsyncClient) -> None:
        nonlocal remaining, failures, reopened
        first = True
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            try:
                if spec["method"] == "GET":
                    response = await client.get(spec["path"], headers=spec["headers"])
                else:
                    response = await client.post(spec["path"], content=spec["body"], headers=spec["headers"])
            except httpx.TransportError as exc:
                if first:  # idle while the others opened, the server closed it: open it again
                    first, remaining, reopened = False, remaining + 1, reopened + 1
                    continue
                failures += 1  # counted, not fatal: the figures say how many
                if failures == 1:
                    print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
                continue
            first = False
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200 or b'"errors"' in response.content:
                failures += 1
                if failures == 1:
                    print(response.text[:500], file=sys.stderr)

    try:
        started, cpu_started = time.perf_counter(), time.process_time()
        await asyncio.gather(*(send(c) for c in clients))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    finally:
        for client in clients:
            await client.aclose()
    latencies.sort()
    n = len(latencies)
    if n == 0:
        raise SystemExit(f"no request succeeded ({failures} failures)")
    # The load generator's own CPU per request: on a 2-core machine it competes with the
    # servers, and it is what bounds the floor's requests/s.
    return {"requests": n, "failures": failures, "rps": n / wall, "wall": wall, "client_ms": cpu / n * 1000,
            "p50": latencies[n // 2] * 1000, "p99": latencies[min(n - 1, int(n * 0.99))] * 1000,
            "connections": {str(pid): count for pid, count in sorted(per_worker.items())},
            "reopened": reopened}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(json.loads(sys.argv[1])))))
