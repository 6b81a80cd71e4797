"""What fair use's bookkeeping costs a cheap request (issue 22), on SQLite and PostgreSQL:

    .venv/bin/python bench/fair_use.py --engine both [--requests 300] [--rounds 7] [--concurrency 8]

For each engine: a throwaway database (an SQLite file; a PostgreSQL cluster started with
initdb/pg_ctl as bench/run.py does, the app connecting as a login bound by row-level security),
migrated, tenants synced, ``ecozone demo`` loaded. Then, in this process, two apps on one
engine, production settings, the garbage collector tuned as in production: one with fair use
(one upsert per request: on PostgreSQL on the request's own connection before its
transaction begins, on SQLite in the counters' file beside the database), one without
(ECOZONE_RATE_LIMITS=off). Requests are sent straight through the ASGI interface (``asgi_post``:
no network and no HTTP client library, whose parsing of the five extra response headers would
otherwise be counted as the server's bookkeeping), so that the bookkeeping is not hidden behind
a socket. Off, on, on without its statement and on with the least statement (below) take
turns request by request, the order turning each round, ``--rounds`` times ``--requests`` each,
and the medians are compared
(measured one after the other, as an earlier version did, a drift of the machine or of the
database between the phases showed as cost):

- per request, one at a time: wall time and CPU time, on and off; the share of the bookkeeping
  is (on − off) / on;
- on with the spend replaced by one that returns at once: what fair use costs outside its
  statement (finding the client, the headers, the wrappers; on PostgreSQL the checkout the
  spend is sent on, the request running on that connection);
- on with the least read and on with the least write: the spend's own path, its statement
  replaced by the least one that could be sent there: a SELECT of its parameters (no table: on
  PostgreSQL the round trip alone), and a bare upsert of the same counter row (no budget
  compared, no raise looked up: keeping any shared counter). The floors of any design that
  sends one statement per request, as the issue asks;
- the spend alone (``Budgets.spend``), timed directly;
- ``--concurrency`` clients at once, all from one address (one counter row, the hottest case):
  requests/s on and off (this shows whether requests queue behind the counter: on PostgreSQL
  the row is locked for the autocommitted statement only, on SQLite the counters' file has a
  turn of its own).

Then the same over HTTP, as a client on the machine sees a request: two ``ecozone serve``
servers on the one database (one worker each, production settings; fair use on, and off),
one keep-alive connection to each written and read by hand (bench/load.py's ``RawConnection``:
no client library's parsing in the figures), the two taking turns request by request: the
client's wall time per request, and the CPU each server's process spent per request
(/proc/<pid>/stat, before and after).

Cheap requests: ``viewer`` (who am I: anonymous, on PostgreSQL it sends no statement of its
own) and ``experts`` (a first page of ten experts); and ``experts ×50``, a fuller page with its
total, what a portal's list shows. Over HTTP each round's share is shown too (the spread within
one run). Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from load import RawConnection  # noqa: E402 - the bench folder is not a package
from procstat import children, cpu_seconds  # noqa: E402
from run import Postgres, ecozone, say  # noqa: E402
from servers import VENV_BIN, Server, free_port  # noqa: E402

NO_STATEMENT = "on, no statement"
LEAST_READ, LEAST_WRITE = "on, the least read", "on, the least write"
MODES = ("off", "on", NO_STATEMENT, LEAST_READ, LEAST_WRITE)
# The floors of "one statement per request" (issue 22): the spend's own path (the same checkout,
# driver call, locks, sweep and Spend), its statement replaced by the least one that could be
# sent there. The least read: a SELECT of the parameters, no table (PostgreSQL: the round trip
# alone). The least write: a bare upsert of the same counter row (the client's window in
# rate_limit_windows), no budget compared, no raise looked up: what keeping any shared counter
# costs, before the rules.
_BARE_UPSERT = ("INSERT INTO {table} AS w (client_key, window_start, budget, spent, accepted, refused) "
                "VALUES ({key}, {start}, {default}, {cost}, true, 0) "
                "ON CONFLICT (client_key, window_start) DO UPDATE SET spent = w.spent + excluded.spent "
                "RETURNING spent, budget, accepted")
LEAST_STATEMENTS = {
    LEAST_READ: {"SPEND_ASYNCPG": "SELECT $3::bigint AS spent, $5::bigint AS budget, true AS accepted, "
                                  "$1::text AS key, $2::bigint AS start, $4::bigint AS now",
                 "SPEND_SQLITE": "SELECT :cost, :default, 1"},
    LEAST_WRITE: {"SPEND_ASYNCPG": _BARE_UPSERT.format(
                      table="rate_limit_windows", key="$1::varchar", start="$2::bigint",
                      default="$5::bigint + 0 * $4::bigint", cost="$3::bigint"),
                  "SPEND_SQLITE": _BARE_UPSERT.format(
                      table="main.rate_limit_windows", key=":key", start=":start", default=":default",
                      cost=":cost")},
}
QUERIES = {
    "viewer": "{ viewer { roles } }",
    "experts": "{ experts(first: 10) { ... on ExpertConnection { edges { node { id nameZh nameEn } } } } }",
    # a fuller page, what a portal's list shows: where the share falls below 5 %
    "experts ×50": "{ experts(first: 50) { ... on ExpertConnection { totalCount edges { node { id nameZh "
                   "nameEn namePinyin title organisation } } } } }",
}


def prepare(kind: str, work: Path) -> tuple[dict[str, str], Postgres | None]:
    env = {**os.environ, "ECOZONE_VAR_DIR": str(work / "var"), "ECOZONE_ENV": "production",
           "ECOZONE_SECRET": "bench-" + "x" * 40,
           # every mode spends on the one address's row (the least write without a check): a
           # budget no run can reach, so that each request is the accepted, cheap one measured
           "ECOZONE_RATE_LIMIT_ANONYMOUS": str(10**12)}
    pg = None
    if kind == "postgresql":
        pg = Postgres(work)
        say(f"postgresql: starting a throwaway cluster on port {pg.port}")
        pg.start()
        env.update(ECOZONE_DATABASE_URL=pg.app_url, ECOZONE_MIGRATION_DATABASE_URL=pg.operator_url)
    else:
        url = f"sqlite+aiosqlite:///{work / 'ecozone.sqlite3'}"
        env.update(ECOZONE_DATABASE_URL=url, ECOZONE_MIGRATION_DATABASE_URL=url)
    ecozone(env, "db", "upgrade")
    if pg:
        pg.create_app_login()
    ecozone(env, "tenants", "sync")
    ecozone(env, "demo", capture=True)
    return env, pg


async def asgi_post(app, body: bytes, client: tuple[str, int] = ("192.0.2.10", 5000)
                    ) -> tuple[int, bytes, bytes]:
    """POST /graphql straight into the ASGI app, as a server hands it a parsed request: (status,
    the response's header names joined, body). No HTTP client library: only the server works."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/graphql", "raw_path": b"/graphql", "query_string": b"",
             "root_path": "", "client": client, "server": ("bench", 80),
             "headers": [(b"host", b"bench"), (b"content-type", b"application/json"),
                         (b"content-length", str(len(body)).encode())]}
    delivered = False

    async def receive() -> dict:
        nonlocal delivered
        if delivered:
            return {"type": "http.disconnect"}
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}
    status, names, chunks = 0, b"", []

    async def send(message: dict) -> None:
        nonlocal status, names
        if message["type"] == "http.response.start":
            status, names = message["status"], b" ".join(name for name, _ in message["headers"])
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
    await app(scope, receive, send)
    return status, names, b"".join(chunks)


async def measure(env: dict[str, str], args: argparse.Namespace) -> dict:
    from ecozone.db.engine import create_engine
    from ecozone.fairuse import budget as budget_module
    from ecozone.fairuse import sqlite_counters
    from ecozone.fairuse.budget import address_client
    from ecozone.settings import load_settings
    from ecozone.web.app import create_app, tune_garbage_collector

    os.environ.update(env)
    settings = load_settings()
    off_settings = replace(settings, rate_limits=replace(settings.rate_limits, enabled=False))
    engine = create_engine(settings.database_url)
    apps = {"on": create_app(settings, engine=engine), "off": create_app(off_settings, engine=engine)}
    tune_garbage_collector()
    budgets = apps["on"].state.graphql_view.fair_use.budgets
    # "on, no statement": the app with fair use, its spend replaced by one that answers at once
    # (the last real answer): fair use without its statement (the checkout it spends on kept)
    real_spend, answered = budgets.spend, await budgets.spend(address_client("192.0.2.2"), 1)

    async def no_statement(client, cost, connection=None):
        return answered
    # each statement where its spend reads it at call time
    homes = {"SPEND_ASYNCPG": budget_module, "SPEND_SQLITE": sqlite_counters}
    statements = {attribute: getattr(home, attribute) for attribute, home in homes.items()}

    def set_mode(name: str) -> None:
        budgets.spend = no_statement if name == NO_STATEMENT else real_spend
        for attribute, statement in LEAST_STATEMENTS.get(name, statements).items():
            setattr(homes[attribute], attribute, statement)
    figures: dict = {}
    try:
        for label, query in QUERIES.items():
            body = ('{"query": "%s"}' % query.replace('"', '\\"')).encode()

            async def one(name: str) -> tuple[float, float]:
                app = apps["off" if name == "off" else "on"]
                set_mode(name)
                wall, cpu = time.perf_counter(), time.process_time()
                status, headers, content = await asgi_post(app, body)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                assert status == 200 and b'"errors"' not in content, content[:300]
                assert (b"x-ratelimit-remaining" in headers) == (name != "off")
                return wall, cpu

            try:
                for name in MODES:  # warm: pools, caches, the counter's row
                    for _ in range(20):
                        await one(name)
                # The modes take turns request by request (the order turning each round), so
                # that a drift of the machine or the database (autovacuum of the counters'
                # table, another process) weighs on all of them alike.
                samples: dict[str, list[tuple[float, float]]] = {name: [] for name in MODES}
                for round_ in range(args.rounds):
                    turn = round_ % len(MODES)
                    order = MODES[turn:] + MODES[:turn]
                    for _ in range(args.requests):
                        for name in order:
                            samples[name].append(await one(name))
            finally:
                set_mode("on")
            wall = {n: statistics.median(w for w, _ in s) * 1000 for n, s in samples.items()}
            cpu = {n: statistics.median(c for _, c in s) * 1000 for n, s in samples.items()}

            async def burst(name: str) -> float:  # "on" or "off"
                remaining = args.requests * 2

                async def worker() -> None:
                    nonlocal remaining
                    while remaining > 0:
                        remaining -= 1
                        await one(name)
                started = time.perf_counter()
                await asyncio.gather(*(worker() for _ in range(args.concurrency)))
                return args.requests * 2 / (time.perf_counter() - started)

            rps: dict[str, list[float]] = {"on": [], "off": []}
            for round_ in range(3):
                for name in (("off", "on") if round_ % 2 == 0 else ("on", "off")):
                    rps[name].append(await burst(name))
            figures[label] = {"wall": wall, "cpu": cpu,
                              "rps": {n: statistics.median(v) for n, v in rps.items()}}
        # the spend alone: one upsert … RETURNING, committed; on PostgreSQL on a connection
        # already checked out, as a request sends it (web/fair_use.py)
        client = address_client("192.0.2.1")
        spends, spend_cpu = [], []
        async with engine.connect() as connection:
            held = None if budgets.sqlite else connection
            for _ in range(args.requests * 2):
                started, cpu_started = time.perf_counter(), time.process_time()
                await budgets.spend(client, 1, held)
                spends.append(time.perf_counter() - started)
                spend_cpu.append(time.process_time() - cpu_started)
        figures["spend_ms"] = statistics.median(spends) * 1000
        figures["spend_cpu_ms"] = sum(spend_cpu) / len(spend_cpu) * 1000  # process_time ticks coarsely: mean
    finally:
        await engine.dispose()
    return figures


def serve(name: str, env: dict[str, str], work: Path) -> Server:
    port = free_port()
    server = Server(name, [str(VENV_BIN / "ecozone"), "serve", "--workers", "1", "--port", str(port)],
                    env, port, "/healthz", work / f"{name}.log", pid_path="/metrics")
    server.wait_ready()
    return server


def server_cpu(server: Server) -> float:
    """CPU seconds of the server's processes (uvicorn and any worker it spawned)."""
    return sum(cpu_seconds(pid) for pid in [server.proc.pid, *children(server.proc.pid)])


async def measure_http(env: dict[str, str], work: Path, args: argparse.Namespace) -> dict:
    """Fair use on and off, each in a server of its own, taking turns request by request."""
    servers = {"on": serve("fair-use-on", env, work),
               "off": serve("fair-use-off", {**env, "ECOZONE_RATE_LIMITS": "off"}, work)}
    figures: dict = {}
    try:
        clients = {name: RawConnection(f"http://127.0.0.1:{server.port}") for name, server in servers.items()}
        headers = {"Content-Type": "application/json"}
        for label, query in QUERIES.items():
            body = ('{"query": "%s"}' % query.replace('"', '\\"')).encode()

            async def one(name: str) -> float:
                started = time.perf_counter()
                answer = await clients[name].post("/graphql", body, headers)
                wall = time.perf_counter() - started
                assert answer.status_code == 200 and b'"errors"' not in answer.content, answer.content[:300]
                return wall
            for name in ("off", "on"):
                for _ in range(50):  # warm: pools, caches, the counter's row
                    await one(name)
            walls: dict[str, list[float]] = {"on": [], "off": []}
            cpu = {name: 0.0 for name in servers}
            round_shares = []  # each round's share of the client's wall: the spread within a run
            for round_ in range(args.rounds):
                order = ("off", "on") if round_ % 2 == 0 else ("on", "off")
                before = {name: server_cpu(server) for name, server in servers.items()}
                this_round: dict[str, list[float]] = {"on": [], "off": []}
                for _ in range(args.requests):
                    for name in order:
                        this_round[name].append(await one(name))
                for name, server in servers.items():
                    cpu[name] += server_cpu(server) - before[name]
                    walls[name] += this_round[name]
                on, off = statistics.median(this_round["on"]), statistics.median(this_round["off"])
                round_shares.append((on - off) / on * 100)
            count = args.rounds * args.requests
            figures[label] = {"wall": {n: statistics.median(w) * 1000 for n, w in walls.items()},
                              "cpu": {n: c / count * 1000 for n, c in cpu.items()},
                              "round_shares": round_shares}
        for client in clients.values():
            await client.aclose()
    finally:
        for server in servers.values():
            server.stop()
    return figures


def http_table(results: dict[str, dict], args: argparse.Namespace) -> str:
    lines = ["Over HTTP (a client on the machine, one keep-alive connection per server, the two "
             f"servers taking turns; {args.rounds} × {args.requests} requests each):", "",
             "| engine | request | client's wall off → on (ms) | share of wall | the rounds' shares "
             "| server CPU off → on (ms) | share of CPU |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for kind, figures in results.items():
        for label in QUERIES:
            wall, cpu = figures[label]["wall"], figures[label]["cpu"]
            rounds = ", ".join(f"{share:.1f}" for share in figures[label]["round_shares"])
            lines.append(f"| {kind} | {label} | {wall['off']:.2f} → {wall['on']:.2f} | "
                         f"{(wall['on'] - wall['off']) / wall['on'] * 100:.1f} % | {rounds} | "
                         f"{cpu['off']:.2f} → {cpu['on']:.2f} | {(cpu['on'] - cpu['off']) / cpu['on'] * 100:.1f} % |")
    return "\n".join(lines)


def table(results: dict[str, dict], args: argparse.Namespace, load: tuple[float, ...]) -> str:
    lines = [f"`bench/fair_use.py --requests {args.requests} --rounds {args.rounds} "
             f"--concurrency {args.concurrency}` ({time.strftime('%Y-%m-%d %H:%M')} UTC, "
             f"{os.cpu_count()} cores, load average before / after {load[0]:.2f} / {os.getloadavg()[0]:.2f})",
             "",
             "| engine | request | wall off → on (ms) | share of wall | CPU off → on (ms) | share of CPU "
             "| on without the statement: wall, CPU (ms) | on with the least read: wall (ms), share of wall "
             "| on with the least write: wall (ms), share of wall | req/s ×" f"{args.concurrency} off → on "
             "| spend alone: wall, CPU (ms) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for kind, figures in results.items():
        for label in QUERIES:
            f = figures[label]
            wall, cpu, rps = f["wall"], f["cpu"], f["rps"]
            lines.append(
                f"| {kind} | {label} | {wall['off']:.2f} → {wall['on']:.2f} | "
                f"{(wall['on'] - wall['off']) / wall['on'] * 100:.1f} % | {cpu['off']:.2f} → {cpu['on']:.2f} | "
                f"{(cpu['on'] - cpu['off']) / cpu['on'] * 100:.1f} % | "
                f"{wall[NO_STATEMENT]:.2f}, {cpu[NO_STATEMENT]:.2f} | "
                f"{wall[LEAST_READ]:.2f}, {(wall[LEAST_READ] - wall['off']) / wall[LEAST_READ] * 100:.1f} % | "
                f"{wall[LEAST_WRITE]:.2f}, {(wall[LEAST_WRITE] - wall['off']) / wall[LEAST_WRITE] * 100:.1f} % | "
                f"{rps['off']:.0f} → {rps['on']:.0f} | {figures['spend_ms']:.3f}, {figures['spend_cpu_ms']:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=300, help="requests per app per round")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--no-http", action="store_true", help="only the in-process measurement")
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    results, over_http = {}, {}
    load = os.getloadavg()
    for kind in kinds:
        with tempfile.TemporaryDirectory(prefix=f"fairuse-{kind}-") as tmp:
            work = Path(tmp)
            env, pg = prepare(kind, work)
            try:
                say(f"{kind}: measuring in the process")
                results[kind] = asyncio.run(measure(env, args))
                if not args.no_http:
                    say(f"{kind}: measuring over HTTP")
                    over_http[kind] = asyncio.run(measure_http(env, work, args))
            finally:
                if pg:
                    pg.stop()
    print(table(results, args, load))
    if over_http:
        print()
        print(http_table(over_http, args))


if __name__ == "__main__":
    main()
