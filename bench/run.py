"""The API benchmark (issue 8), one command:

    .venv/bin/python bench/run.py --engine both --scale 1 --requests 2000 [--long 100000]

For each engine: a throwaway database (a PostgreSQL cluster started with initdb/pg_ctl, or an
SQLite file), migrated, tenants synced, ``ecozone demo --scale``; then the API as in
production (``ecozone serve --workers 2``, ECOZONE_ENV=production, the app's login role bound
by row-level security, a secret) and the hand-written floor (bench/floor.py, 2 workers); then
a load generator in a separate process on loopback sends a bounded number of requests at a
fixed concurrency for each operation. Per operation: requests/s, p50, p99, SQL statements per
request (deltas of ``ecozone_sql_statements_total`` over the requests counter, summed over the
workers) and the ratio to the floor; the workers' RSS before and after. Writes bench/RESULTS.md
(--output) unless --no-write.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from report import report  # noqa: E402 - the bench folder is not a package
VENV_BIN = ROOT / ".venv" / "bin"
PY = str(VENV_BIN / "python")

Q1 = """query Q1($number: Int!) { standards(first: 1, filter: {number: $number, kind: JOINT_LOCAL}) {
  ... on StandardConnection { edges { node { id number year titleZh titleEn designations
    stage { code nameZh nameEn } zones { isLead decision zone { slug nameZh nameEn } }
    latestVersion { number changeNote } commentCount } } } } }"""
Q2 = """query Q2($after: String) { experts(first: 100, after: $after) { ... on ExpertConnection {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id nameZh nameEn namePinyin isChief fields categories { code nameZh nameEn } } } } } }"""
Q3 = """query Q3 { standards(first: 50) { ... on StandardConnection {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id number titleZh titleEn stage { code nameZh nameEn }
    zones { isLead decision zone { slug nameZh nameEn } }
    latestVersion { number changeNote }
    ballot { round state panelSize cast yes no abstain passesNow }
    commentCount } } } } }"""
M1 = """mutation M1($input: PostCommentInput!) { postComment(input: $input) {
  __typename ... on ConsultationComment { id seq } } }"""
OPEN_CONSULTATION = """{ standards(first: 1, filter: {state: CONSULTATION}) { ... on StandardConnection {
  edges { node { consultation { id acceptingComments } } } } } }"""
PUBLISHED = """{ standards(first: 1, filter: {state: PUBLISHED, kind: JOINT_LOCAL}) {
  ... on StandardConnection { edges { node { number } } } } }"""


def say(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------- databases

class Postgres:
    """A throwaway cluster (DESIGN §7): initdb and pg_ctl as the postgres OS user when root."""

    def __init__(self, base: Path):
        self.dir = base / "pg"
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def start(self) -> None:
        self.dir.mkdir(parents=True)
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(self.dir.parent, "postgres", "postgres")
        subprocess.run([*self.as_postgres, "initdb", "-D", str(self.dir), "-A", "trust", "-U", "postgres",
                        "--no-sync", "--encoding=UTF8"], check=True, stdout=subprocess.DEVNULL)
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c shared_buffers=256MB -c max_connections=200")
        subprocess.run([*self.as_postgres, "pg_ctl", "-D", str(self.dir), "-o", options, "-w", "-l",
                        str(self.dir / "log"), "start"], check=True, stdout=subprocess.DEVNULL)
        self.psql("CREATE DATABASE ecozone")

    def psql(self, sql: str, db: str = "postgres") -> None:
        import psycopg
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=db,
                             autocommit=True) as conn:
            conn.execute(sql)

    def stop(self) -> None:
        subprocess.run([*self.as_postgres, "pg_ctl", "-D", str(self.dir), "-m", "fast", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    @property
    def operator_url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/ecozone"

    @property
    def app_url(self) -> str:
        return f"postgresql+asyncpg://ecozone_bench:bench-password@127.0.0.1:{self.port}/ecozone"

    def create_app_login(self) -> None:
        # The app's login role: a member of the role the migrations granted, bound by RLS.
        self.psql("CREATE ROLE ecozone_bench LOGIN PASSWORD 'bench-password' NOSUPERUSER NOBYPASSRLS "
                  "IN ROLE ecozone_app", "ecozone")


def ecozone(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run([str(VENV_BIN / "ecozone"), *args], env=env, cwd=ROOT, check=True,
                            stdout=subprocess.PIPE if capture else None, text=True)
    return result.stdout if capture else ""


# ---------------------------------------------------------------------------- servers

class Server:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], port: int, ready_path: str,
                 log: Path):
        self.name, self.port, self.ready_path = name, port, ready_path
        self.log = open(log, "w")
        self.proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait_ready(self, timeout: float = 60) -> None:
        import httpx
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}{self.ready_path}", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log.name}")
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} not ready after {timeout} s")

    def worker_pids(self) -> list[int]:
        import psutil
        return [c.pid for c in psutil.Process(self.proc.pid).children(recursive=True)
                if "spawn_main" in " ".join(c.cmdline())]

    def rss_mb(self) -> list[float]:
        import psutil
        return [round(psutil.Process(p).memory_info().rss / 2**20, 1) for p in self.worker_pids()]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


# ---------------------------------------------------------------------------- load generator

def load_main(argv: list[str]) -> None:
    """``run.py load SPEC_JSON``: the separate load-generator process; prints its figures."""
    spec = json.loads(argv[0])
    import httpx

    async def go() -> dict:
        latencies: list[float] = []
        failures = 0
        remaining = spec["requests"]
        limits = httpx.Limits(max_connections=spec["concurrency"], max_keepalive_connections=spec["concurrency"])
        async with httpx.AsyncClient(base_url=spec["base"], limits=limits, timeout=60) as client:
            async def worker() -> None:
                nonlocal remaining, failures
                while remaining > 0:
                    remaining -= 1
                    started = time.perf_counter()
                    if spec["method"] == "GET":
                        response = await client.get(spec["path"], headers=spec["headers"])
                    else:
                        response = await client.post(spec["path"], content=spec["body"],
                                                     headers=spec["headers"])
                    latencies.append(time.perf_counter() - started)
                    if response.status_code != 200 or b'"errors"' in response.content:
                        failures += 1
                        if failures == 1:
                            print(response.text[:500], file=sys.stderr)
            started, cpu_started = time.perf_counter(), time.process_time()
            await asyncio.gather(*(worker() for _ in range(spec["concurrency"])))
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        latencies.sort()
        n = len(latencies)
        # The load generator's own CPU per request: on a 2-core machine it competes with the
        # servers, and it is what bounds the floor's requests/s.
        return {"requests": n, "failures": failures, "rps": n / wall, "client_ms": cpu / n * 1000,
                "p50": latencies[n // 2] * 1000, "p99": latencies[min(n - 1, int(n * 0.99))] * 1000}

    print(json.dumps(asyncio.run(go())))


def run_load(spec: dict) -> dict:
    out = subprocess.run([PY, __file__, "load", json.dumps(spec)], check=True, capture_output=True,
                         text=True)
    if out.stderr.strip():
        say(f"load generator: {out.stderr.strip()[:300]}")
    return json.loads(out.stdout)


# ---------------------------------------------------------------------------- metrics

COUNTERS = ("statements", "requests", "request_seconds", "authz_seconds")


def scrape(port: int) -> dict[int, dict[str, float]]:
    """{worker pid: counters} of the worker that answered."""
    import httpx
    text_ = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    counters = dict.fromkeys(COUNTERS, 0.0)
    pid = 0
    for line in text_.splitlines():
        value = line.split()[-1] if line and not line.startswith("#") else "0"
        if line.startswith("ecozone_sql_statements_total "):
            counters["statements"] = float(value)
        elif line.startswith("ecozone_graphql_requests_total{"):
            counters["requests"] += float(value)
        elif line.startswith("ecozone_graphql_request_seconds_sum{"):
            counters["request_seconds"] += float(value)
        elif line.startswith("ecozone_authz_seconds_total{"):  # roles loaded + Casbin decisions
            counters["authz_seconds"] += float(value)
        elif line.startswith("ecozone_worker_pid "):
            pid = int(float(value))
    return {pid: counters}


def scrape_all(port: int, workers: int) -> dict[int, dict[str, float]]:
    seen: dict[int, dict[str, float]] = {}
    for _ in range(200):
        seen.update(scrape(port))
        if len(seen) >= workers:
            break
    return seen


def per_request(port: int, spec: dict, workers: int, samples: int = 40) -> dict[str, float]:
    """SQL statements per request and the share of request time spent on permission checks,
    from the workers' counters around ``samples`` sequential requests."""
    before = scrape_all(port, workers)
    run_load({**spec, "requests": samples, "concurrency": 1})
    after = scrape_all(port, workers)
    empty = dict.fromkeys(COUNTERS, 0.0)
    delta = {c: sum(after[p][c] - before.get(p, empty)[c] for p in after) for c in COUNTERS}
    nan = float("nan")
    return {"sql": delta["statements"] / delta["requests"] if delta["requests"] else nan,
            "authz": delta["authz_seconds"] / delta["request_seconds"] if delta["request_seconds"] else nan}


# ---------------------------------------------------------------------------- one engine

def gql_spec(port: int, query: str, variables: dict | None = None, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json", "Accept": "application/graphql-response+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return {"base": f"http://127.0.0.1:{port}", "method": "POST", "path": "/graphql", "headers": headers,
            "body": json.dumps({"query": query, "variables": variables or {}})}


def gql(port: int, query: str, variables: dict | None = None, token: str | None = None) -> dict:
    import httpx
    spec = gql_spec(port, query, variables, token)
    body = httpx.post(spec["base"] + "/graphql", content=spec["body"], headers=spec["headers"], timeout=120).json()
    if "errors" in body:
        raise RuntimeError(body["errors"])
    return body["data"]


def bench_engine(kind: str, args: argparse.Namespace, work: Path) -> dict:
    secret = secrets.token_urlsafe(48)
    env = {**os.environ, "ECOZONE_VAR_DIR": str(work / "var"), "ECOZONE_SECRET": secret}
    pg = None
    if kind == "postgresql":
        pg = Postgres(work)
        say(f"postgresql: starting a throwaway cluster on port {pg.port}")
        pg.start()
        env.update(ECOZONE_DATABASE_URL=pg.app_url, ECOZONE_MIGRATION_DATABASE_URL=pg.operator_url)
    else:
        url = f"sqlite+aiosqlite:///{work / 'ecozone.sqlite3'}"
        env.update(ECOZONE_DATABASE_URL=url, ECOZONE_MIGRATION_DATABASE_URL=url)
    servers: list[Server] = []
    try:
        ecozone(env, "db", "upgrade")
        if pg:
            pg.create_app_login()
        ecozone(env, "tenants", "sync")
        started = time.perf_counter()
        ecozone(env, "demo", "--scale", str(args.scale), capture=True)
        load_seconds = time.perf_counter() - started
        say(f"{kind}: demo + scale {args.scale} loaded in {load_seconds:.0f} s")
        ecozone(env, "grant", "bench-member", "member", "jiangxi", "--create")
        token = ecozone(env, "token", "bench-member", capture=True).strip()

        app_port, floor_port = free_port(), free_port()
        prod = {**env, "ECOZONE_ENV": "production"}
        servers.append(Server("api", [str(VENV_BIN / "ecozone"), "serve", "--workers", str(args.workers),
                                      "--port", str(app_port)], prod, app_port, "/healthz",
                              work / f"api-{kind}.log"))
        servers.append(Server("floor", [str(VENV_BIN / "uvicorn"), "--factory", "floor:create_app",
                                        "--app-dir", str(ROOT / "bench"), "--workers", str(args.workers),
                                        "--port", str(floor_port), "--log-level", "info",
                                        "--timeout-worker-healthcheck", "60"],
                              prod, floor_port, "/q2?first=1", work / f"floor-{kind}.log"))
        for server in servers:
            server.wait_ready()
        api, floor = servers

        # Q4's cursor: walk Q2's pages to the one before the last.
        cursor, last_cursor, pages = None, None, 0
        while True:
            page = gql(app_port, Q2, {"after": cursor})["experts"]
            pages += 1
            if not page["pageInfo"]["hasNextPage"]:
                break
            last_cursor, cursor = cursor, page["pageInfo"]["endCursor"]
        last_cursor = cursor  # the cursor that leads to the last page
        number = gql(app_port, PUBLISHED)["standards"]["edges"][0]["node"]["number"]
        consultation = gql(app_port, OPEN_CONSULTATION)["standards"]["edges"][0]["node"]["consultation"]["id"]
        comment = {"input": {"consultationId": consultation, "clause": "5.1",
                             "text": "建议补充抽样方法。", "proposerUnit": "基准测试单位"}}
        floor_base = {"base": f"http://127.0.0.1:{floor_port}", "method": "GET", "headers": {}, "body": ""}
        ops = {
            "Q1": gql_spec(app_port, Q1, {"number": number}),
            "Q2": gql_spec(app_port, Q2),
            "Q3": gql_spec(app_port, Q3),
            "Q4": gql_spec(app_port, Q2, {"after": last_cursor}),
            "M1": gql_spec(app_port, M1, comment, token),
            "floor Q2": {**floor_base, "path": "/q2"},
            "floor Q3": {**floor_base, "path": "/q3"},
            "floor Q4": {**floor_base, "path": f"/q2?after={last_cursor}"},
        }
        say(f"{kind}: Q2 has {pages} pages; warming up")
        for name, spec in ops.items():
            run_load({**spec, "requests": 30 if name != "M1" else 5, "concurrency": 2})
        rss_before = {"api": api.rss_mb(), "floor": floor.rss_mb()}
        results = {}
        for name, spec in ops.items():
            requests = args.requests if name != "M1" else max(100, args.requests // 4)
            figures = run_load({**spec, "requests": requests, "concurrency": args.concurrency})
            if not name.startswith("floor"):
                figures.update(per_request(app_port, spec, args.workers))
            results[name] = figures
            say(f"{kind}: {name:<9} {figures['rps']:8.1f} req/s  p50 {figures['p50']:7.1f} ms  "
                f"p99 {figures['p99']:7.1f} ms  sql/req {figures.get('sql', float('nan')):5.2f}  "
                f"failures {figures['failures']}")
        # A signed-in read: roles are loaded and checked (anonymous reads check nothing).
        signed_in = per_request(app_port, gql_spec(app_port, Q3, token=token), args.workers)
        say(f"{kind}: Q3 signed in: sql/req {signed_in['sql']:.2f}, permission checks "
            f"{signed_in['authz']:.1%} of the request time")
        rss_after = {"api": api.rss_mb(), "floor": floor.rss_mb()}
        long_run = None
        if args.long:
            long_run = long_rss_run(api, ops, args, kind)
        return {"engine": kind, "load_seconds": load_seconds, "results": results, "signed_in": signed_in,
                "rss_before": rss_before, "rss_after": rss_after, "long": long_run,
                "q2_pages": pages}
    finally:
        for server in servers:
            server.stop()
        if pg:
            pg.stop()


def long_rss_run(api: Server, ops: dict, args: argparse.Namespace, kind: str) -> dict:
    """``--long N``: N more requests in chunks of Q1, Q2 and Q3 in turn, with the workers' RSS
    after every tenth of the run, to see whether memory stays flat."""
    chunk = max(1, args.long // 30)
    samples = [(0, api.rss_mb())]
    done, failures, seconds = 0, 0, 0.0
    while done < args.long:
        name = ("Q1", "Q2", "Q3")[(done // chunk) % 3]
        figures = run_load({**ops[name], "requests": min(chunk, args.long - done),
                            "concurrency": args.concurrency})
        done += figures["requests"]
        failures += figures["failures"]
        seconds += figures["requests"] / figures["rps"]
        if done % (3 * chunk) == 0 or done >= args.long:
            samples.append((done, api.rss_mb()))
            say(f"{kind}: long run {done:,}/{args.long:,} requests, RSS {samples[-1][1]} MB")
    return {"requests": done, "failures": failures, "rps": done / seconds, "samples": samples}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "load":
        load_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description="API benchmark against a hand-written floor")
    parser.add_argument("--engine", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=2000, help="per operation")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--long", type=int, default=0, help="then N more requests to watch RSS")
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    command = " ".join([".venv/bin/python", "bench/run.py", *sys.argv[1:]])
    work = Path(tempfile.mkdtemp(prefix="ecozone-bench-"))
    os.chmod(work, 0o755)
    engines = ["postgresql", "sqlite"] if args.engine == "both" else [args.engine]
    try:
        runs = []
        for kind in engines:
            (work / kind).mkdir(parents=True)
            runs.append(bench_engine(kind, args, work / kind))
        text_ = report(runs, args, command)
        print(text_)
        if not args.no_write:
            path = Path(args.output)
            previous = path.read_text() if path.exists() else "# Benchmark results\n\n"
            path.write_text(previous.rstrip() + "\n\n" + text_ + "\n")
            say(f"appended to {path}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
