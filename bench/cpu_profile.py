"""Profile one bench operation in-process: where a request's CPU goes, without the network.

    ECOZONE_DATABASE_URL=... .venv/bin/python bench/cpu_profile.py Q2 [--floor] [--requests 50] [--top 30]
        [--calls] [--uncompiled] [--signed-in TOKEN] [--compare]
        [--layers --json] [--variables JSON] [--document-id ID]

Runs the production app (GC tuned as in production) on an already loaded database, sends the
operation through the ASGI interface, prints the median and least CPU per request (the least is the
steadiest figure on a shared machine) and, with ``--top``, the
functions with the largest own time (cProfile); ``--calls`` counts the function calls per
request (cProfile's count over the measured requests: the steadiest figure on a busy machine);
``--uncompiled`` executes without the compiled plans (web/compiled_execution.py), to compare
before and after on the same data; ``--compare`` alternates the two request by request in one
process, so that both see the same load on a shared machine. ``--layers`` measures the CPU and
wall time per request without the profiler, then profiles as many requests and sums the CPU by
layer (bench/profile_layers.py), lists the SQL statements of one request, and with ``--json``
prints it all as JSON (bench/run.py's "why" sections); ``--document-id`` sends
``GET /graphql?documentId=…`` (a trusted document: the response cache's path) instead. The database must hold ``ecozone demo --scale N``
data (bench/run.py builds one; any migrated, demo-loaded database does).
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def bench_documents() -> dict[str, str]:
    """The bench's documents (Q1, Q2, Q3… as bench/run.py defines them), read from its source
    without importing it: run.py's imports are the harness's, not needed here."""
    tree = ast.parse((ROOT / "bench" / "run.py").read_text())
    return {node.targets[0].id: node.value.value for node in tree.body
            if isinstance(node, ast.Assign) and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str) and node.targets[0].id[:1] in "QM"}


_DOCUMENTS = bench_documents()
OPERATIONS = {"Q1": (_DOCUMENTS["Q1"], {"number": 1}), "Q2": (_DOCUMENTS["Q2"], {}),
              "Q3": (_DOCUMENTS["Q3"], {}), "M1": (_DOCUMENTS["M1"], {})}


async def _measure(operation: str, requests: int, profile: cProfile.Profile | None,
                   floor: bool, uncompiled: bool = False, token: str | None = None,
                   compare: dict | None = None) -> tuple[float, float]:
    import httpx
    from ecozone.web.app import create_app, tune_garbage_collector

    if floor:
        import floor as floor_module
        app = floor_module.create_app()
        path, method, body, headers = f"/{operation.lower()}", "GET", None, {}
    else:
        app = create_app()
        if uncompiled:  # the plain leaves and direct resolvers stay: only the compiled plans go
            from ecozone.web.execution import executor_for
            view = app.state.graphql_view
            view.executor_class = executor_for(view.schema, compiled=False)
        query, variables = OPERATIONS[operation]
        path, method = "/graphql", "POST"
        body = json.dumps({"query": query, "variables": variables})
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
    async with app.router.lifespan_context(app):
        tune_garbage_collector()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for _ in range(5):  # warm: caches, pools, first compilation of statements
                response = await client.request(method, path, content=body, headers=headers)
                assert response.status_code == 200 and b'"errors"' not in response.content, response.text[:500]
            if compare is not None:
                await _alternate(client, app, (method, path, body, headers), requests, compare)
                return 0.0, 0.0
            if profile:
                profile.enable()
            spent = []
            for _ in range(requests):
                started = time.process_time()
                response = await client.request(method, path, content=body, headers=headers)
                spent.append(time.process_time() - started)
                assert response.status_code == 200, response.text[:300]  # e.g. fair use's 429
            if profile:
                profile.disable()
    return statistics.median(spent), min(spent)


async def _alternate(client, app, request: tuple, requests: int, results: dict) -> None:
    """CPU per request with and without the compiled plans, alternating request by request."""
    from ecozone.web.execution import executor_for
    method, path, body, headers = request
    view = app.state.graphql_view
    classes = {"compiled": view.executor_class, "uncompiled": executor_for(view.schema, compiled=False)}
    answers = {}
    for name, executor_class in classes.items():
        view.executor_class = executor_class
        answers[name] = (await client.request(method, path, content=body, headers=headers)).content
        results[name] = []
    assert answers["compiled"] == answers["uncompiled"], "the two paths answered differently"
    for _ in range(requests):
        for name, executor_class in classes.items():
            view.executor_class = executor_class
            started = time.process_time()
            response = await client.request(method, path, content=body, headers=headers)
            results[name].append(time.process_time() - started)
            assert response.status_code == 200 and b'"errors"' not in response.content, response.text[:300]


async def _layers(operation: str, requests: int, token: str | None, variables: dict | None,
                  document: str | None) -> dict:
    """CPU and wall per request without the profiler, the profile's CPU by layer, one request's SQL."""
    import httpx
    import profile_layers
    from ecozone.web.app import create_app, tune_garbage_collector
    from sqlalchemy import event

    app = create_app()
    query, default_variables = OPERATIONS[operation]
    headers = {"Content-Type": "application/json", "Accept": "application/graphql-response+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if document:
        method, path, body = "GET", f"/graphql?documentId={document}", None
        headers = {"Accept": "application/graphql-response+json"}
    else:
        method, path = "POST", "/graphql"
        body = json.dumps({"query": query, "variables": variables or default_variables})
    statements: list[str] = []
    recording = False

    def record(_conn, _cursor, statement, *_args) -> None:
        if recording:
            statements.append(" ".join(str(statement).split()))

    async with app.router.lifespan_context(app):
        tune_garbage_collector()
        engine = app.state.ecozone.engine.sync_engine
        event.listen(engine, "before_cursor_execute", record)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            async def send() -> None:
                response = await client.request(method, path, content=body, headers=headers)
                assert response.status_code == 200 and b'"errors"' not in response.content, response.text[:500]

            for _ in range(5):  # warm: caches, pools, first compilation of statements, the response cache
                await send()
            recording = True
            await send()
            recording = False
            cpu, wall = [], []
            for _ in range(requests):
                started, started_cpu = time.perf_counter(), time.process_time()
                await send()
                cpu.append(time.process_time() - started_cpu)
                wall.append(time.perf_counter() - started)
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            for _ in range(requests):
                await send()
            profile.disable()
    stats = pstats.Stats(profile)
    measured_ms = statistics.median(cpu) * 1000
    server_ms = measured_ms * (1 - profile_layers.client_share(stats))
    return {"operation": operation, "signed_in": bool(token), "document_id": document, "requests": requests,
            "cpu_ms": measured_ms, "server_cpu_ms": server_ms, "least_cpu_ms": min(cpu) * 1000,
            "wall_ms": statistics.median(wall) * 1000,
            "waiting_ms": statistics.median(w - c for w, c in zip(wall, cpu)) * 1000,
            "calls": stats.total_calls / requests, "statements": statements,
            "layers": profile_layers.summary(stats, requests, server_ms)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("operation", choices=sorted(OPERATIONS))
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--floor", action="store_true", help="the hand-written floor (Q2, Q3)")
    parser.add_argument("--top", type=int, default=0, help="print the N functions with most own time")
    parser.add_argument("--calls", action="store_true", help="count function calls per request (cProfile)")
    parser.add_argument("--uncompiled", action="store_true",
                        help="execute without the compiled plans (web/compiled_execution.py)")
    parser.add_argument("--signed-in", metavar="TOKEN", help="send the requests with this bearer token")
    parser.add_argument("--compare", action="store_true",
                        help="alternate compiled and uncompiled request by request (same answer checked)")
    parser.add_argument("--layers", action="store_true",
                        help="CPU by layer (bench/profile_layers.py), waiting, one request's SQL statements")
    parser.add_argument("--json", action="store_true", help="with --layers: print JSON")
    parser.add_argument("--variables", help="the operation's variables, as JSON")
    parser.add_argument("--document-id", help="GET /graphql?documentId=ID (a registered trusted document)")
    args = parser.parse_args()
    # Fair use still spends on every request, from a budget that hundreds of profiled pages an
    # hour do not exhaust (a 429 costs nothing and would pass for a fast request).
    os.environ.setdefault("ECOZONE_RATE_LIMIT_ANONYMOUS", str(10**12))
    os.environ.setdefault("ECOZONE_RATE_LIMIT_USER", str(10**12))
    if args.layers:
        found = asyncio.run(_layers(args.operation, args.requests, args.signed_in,
                                    json.loads(args.variables) if args.variables else None, args.document_id))
        if args.json:
            print(json.dumps(found))
            return
        print(f"{args.operation}: CPU {found['cpu_ms']:.1f} ms/request (server {found['server_cpu_ms']:.1f}), "
              f"waiting {found['waiting_ms']:.1f} ms, {found['calls']:,.0f} calls, "
              f"{len(found['statements'])} SQL statements")
        for row in found["layers"]:
            print(f"  {row['ms']:6.2f} ms {row['share']:6.1%} {row['calls']:8,.0f} calls  {row['layer']}")
        for statement in found["statements"]:
            print(f"  SQL: {statement[:160]}")
        return
    if args.compare:
        results: dict[str, list[float]] = {}
        asyncio.run(_measure(args.operation, args.requests, None, False, token=args.signed_in,
                             compare=results))
        for name, spent in results.items():
            print(f"{args.operation} {name}: CPU per request {statistics.median(spent) * 1000:.1f} ms median, "
                  f"{min(spent) * 1000:.1f} ms least, over {len(spent)} requests (alternating)")
        return
    profile = cProfile.Profile() if args.top or args.calls else None
    median, least = asyncio.run(_measure(args.operation, args.requests, profile, args.floor,
                                         args.uncompiled, args.signed_in))
    label = ("floor " if args.floor else "") + args.operation + (" uncompiled" if args.uncompiled else "")
    print(f"{label}: CPU per request {median * 1000:.1f} ms median, "
          f"{least * 1000:.1f} ms least, over {args.requests} requests"
          + (" (under cProfile)" if profile else ""))
    if profile:
        stats = pstats.Stats(profile)
        print(f"{label}: {stats.total_calls / args.requests:,.0f} function calls per request")
        if args.top:
            stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
