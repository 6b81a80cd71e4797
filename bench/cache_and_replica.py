"""Anonymous Q3 by trusted document: uncached, from the response cache, and from a hot standby
(issue 20). Not a test; not part of ``make test``.

    .venv/bin/python bench/cache_and_replica.py --scale 1 --requests 400 --rounds 2

A PostgreSQL primary and its streaming standby on loopback (``tests/support/replication.py``:
``pg_basebackup -R``), migrated, tenants synced, ``ecozone demo --scale``, Q3 (bench/run.py's)
registered as a trusted document. Then, one at a time so that they never share the cores, the
API as in production (``ecozone serve --workers 2``, production settings, the app's login role)
in three configurations, each sent the same ``GET /graphql?documentId=…`` by bench/load.py
(connections spread over both workers):

- ``uncached``: ``ECOZONE_RESPONSE_CACHE_BYTES=0``, everything on the primary;
- ``cached``: the response cache (default size), everything on the primary;
- ``standby``: no cache, anonymous reads on the standby (``ECOZONE_DATABASE_REPLICA_URL``).

Per configuration and round: requests/s, p50, p99 and the workers' CPU per request; the cached
figures next to the uncached ones, never one for the other. Fair use stays on (its budget
raised so that the run is not refused): a cached answer spends like any other.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
from procstat import children, postmaster_pid, snapshot, spent
from run import Q3, run_load
from servers import VENV_BIN, Server, ecozone, free_port, say

from tests.support.replication import _give_to_postgres, start_pair

CONFIGURATIONS = ("uncached", "cached", "standby")


def serve(name: str, env: dict, work: Path, workers: int) -> Server:
    port = free_port()
    server = Server(name, [str(VENV_BIN / "ecozone"), "serve", "--workers", str(workers), "--port", str(port)],
                    env, port, "/healthz", work / f"api-{name}.log", pid_path="/metrics", pid_kind="metrics")
    server.wait_ready()
    return server


def database_processes(pair) -> dict[str, list[int]]:
    return {name: children(postmaster_pid(node.data))
            for name, node in (("primary", pair.primary_node), ("standby", pair.standby_node))}


def measure(server: Server, spec: dict, pair) -> dict:
    """The load's figures, with the CPU per request of the workers, the primary and the standby."""
    pids = server.worker_pids()
    before, db_before = snapshot(pids), {k: snapshot(v) for k, v in database_processes(pair).items()}
    figures = run_load(spec)
    cpu = sum(spent(before, snapshot(pids)).values())
    figures["cpu_ms"] = cpu / figures["requests"] * 1000
    for name, processes in database_processes(pair).items():
        used = sum(spent(db_before[name], snapshot(processes)).values())
        figures[f"{name}_ms"] = used / figures["requests"] * 1000
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--client", choices=["httpx", "raw"], default="raw",
                        help="the load generator's HTTP client (bench/load.py; raw: ~0.1 ms a request)")
    parser.add_argument("--json", help="also write the medians and every round's figures to this file "
                                       "(bench/run.py puts them in its report)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ecozone-bench-cache-"))
    _give_to_postgres(work)
    nodes: list = []
    try:
        pair = start_pair(work, nodes)
        say(f"primary on {pair.primary.port}, standby on {pair.standby.port}")
        pair.primary.ensure_app_login()
        pair.primary.create_database("ecozone")
        env = {**os.environ, "ECOZONE_VAR_DIR": str(work / "var"), "ECOZONE_SECRET": secrets.token_urlsafe(48),
               "ECOZONE_DATABASE_URL": pair.primary.app_url("ecozone"),
               "ECOZONE_MIGRATION_DATABASE_URL": pair.primary.admin_url("ecozone"),
               "ECOZONE_RATE_LIMIT_ANONYMOUS": str(10**12)}
        ecozone(env, "db", "upgrade")
        ecozone(env, "tenants", "sync")
        started = time.perf_counter()
        ecozone(env, "demo", "--scale", str(args.scale), capture=True)
        say(f"demo --scale {args.scale} loaded in {time.perf_counter() - started:.0f} s")
        q3 = work / "q3.graphql"
        q3.write_text(Q3)
        ecozone(env, "documents", "register", "--client", "bench", str(q3), capture=True)
        from ecozone.trusted.rules import document_id
        pair.wait_replayed(timeout=300)
        configurations = {
            "uncached": {"ECOZONE_RESPONSE_CACHE_BYTES": "0"},
            "cached": {},
            "standby": {"ECOZONE_RESPONSE_CACHE_BYTES": "0",
                        "ECOZONE_DATABASE_REPLICA_URL": pair.standby.app_url("ecozone")},
        }
        results: dict[str, list[dict]] = {name: [] for name in configurations}
        for round_ in range(args.rounds):
            order = CONFIGURATIONS[round_ % 3:] + CONFIGURATIONS[:round_ % 3]
            for name in order:
                server = serve(name, {**env, "ECOZONE_ENV": "production", **configurations[name]}, work, args.workers)
                try:
                    spec = {"base": f"http://127.0.0.1:{server.port}", "method": "GET",
                            "path": f"/graphql?documentId={document_id(Q3)}",
                            "headers": {"Accept": "application/graphql-response+json"}, "body": "",
                            "pid_path": server.pid_path, "pid_kind": server.pid_kind,
                            "concurrency": args.concurrency, "workers": args.workers, "stagger": 0.05,
                            "client": args.client}
                    run_load({**spec, "requests": 40})  # warm up (and fill the cache)
                    figures = measure(server, {**spec, "requests": args.requests}, pair)
                finally:
                    server.stop()
                results[name].append(figures)
                say(f"round {round_ + 1} {name}: {figures['rps']:.0f} req/s, p50 {figures['p50']:.1f} ms, "
                    f"p99 {figures['p99']:.1f} ms, CPU ms/req: workers {figures['cpu_ms']:.2f}, "
                    f"primary {figures['primary_ms']:.2f}, standby {figures['standby_ms']:.2f}; "
                    f"connections {figures['connections']}")
        print(f"\nAnonymous Q3 by documentId, PostgreSQL, scale {args.scale}, {args.workers} workers, "
              f"{args.concurrency} connections, {args.requests} requests × {args.rounds} rounds (medians):\n")
        print("| configuration | req/s | p50 ms | p99 ms | CPU ms/req: workers | primary | standby "
              "| × uncached req/s |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        keys = ("rps", "p50", "p99", "cpu_ms", "primary_ms", "standby_ms")
        medians = {name: {k: statistics.median(r[k] for r in rows) for k in keys}
                   for name, rows in results.items()}
        for name, m in medians.items():
            print(f"| {name} | {m['rps']:.0f} | {m['p50']:.1f} | {m['p99']:.1f} | {m['cpu_ms']:.2f} | "
                  f"{m['primary_ms']:.2f} | {m['standby_ms']:.2f} | {m['rps'] / medians['uncached']['rps']:.2f} |")
        say(f"figures per round: {json.dumps(results)}")
        if args.json:
            Path(args.json).write_text(json.dumps({"scale": args.scale, "requests": args.requests,
                                                   "rounds": args.rounds, "medians": medians,
                                                   "results": results}))
    finally:
        for node in nodes:
            try:
                node.stop()
            except Exception as exc:  # noqa: BLE001 - stop what can be stopped
                say(f"could not stop {node.name}: {exc}")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
