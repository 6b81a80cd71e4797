"""A cProfile of ecozone answering one operation, summed by layer (issue 20's "why" sections).

Each function's own time goes to the layer its source file belongs to (graphql-core, Strawberry,
SQLAlchemy by part, asyncpg, JSON, Starlette, asyncio, ecozone's own code…). A built-in function
(``len``, ``dict.get``, a C method) has no file: it goes to the layer named in it when there is one
(``orjson.dumps``, asyncpg's protocol methods, greenlet's switch), otherwise to its callers' layers
in proportion to the time each caller spent in it. The in-process client (httpx driving the ASGI
app) is a layer of its own, left out of the server's figures.

The profiler's timer is the process's CPU clock, so time spent waiting (the event loop polling
for PostgreSQL's answers) is not in any layer; it is measured without the profiler as the
wall time a sequential request takes beyond its CPU time.
"""

from __future__ import annotations

import pstats

CLIENT = "in-process client (httpx; not the server's)"
WAITING = "event loop polling (waiting; ~0 CPU)"

# (substring of the file path, layer); the first that matches wins.
FILE_LAYERS = (
    ("/httpx/", CLIENT), ("/httpcore/", CLIENT), ("/h11/", CLIENT),
    ("/site-packages/graphql/", "GraphQL: graphql-core (parse, validate, execute)"),
    ("/site-packages/strawberry/", "GraphQL: Strawberry (types, resolvers, DataLoader)"),
    ("/sqlalchemy/sql/compiler.py", "SQLAlchemy: SQL compilation"),
    ("/sqlalchemy/sql/cache_key.py", "SQLAlchemy: statement cache keys"),
    ("/sqlalchemy/sql/traversals.py", "SQLAlchemy: statement cache keys"),
    ("/sqlalchemy/orm/loading.py", "SQLAlchemy ORM: rows → objects"),
    ("/sqlalchemy/orm/strategies.py", "SQLAlchemy ORM: rows → objects"),
    ("/sqlalchemy/orm/attributes.py", "SQLAlchemy ORM: rows → objects"),
    ("/sqlalchemy/orm/state.py", "SQLAlchemy ORM: rows → objects"),
    ("/sqlalchemy/orm/identity.py", "SQLAlchemy ORM: rows → objects"),
    ("/sqlalchemy/orm/instrumentation.py", "SQLAlchemy ORM: rows → objects"),
    ("/sqlalchemy/engine/result.py", "SQLAlchemy: result rows"),
    ("/sqlalchemy/engine/cursor.py", "SQLAlchemy: result rows"),
    ("/sqlalchemy/engine/row.py", "SQLAlchemy: result rows"),
    ("/sqlalchemy/orm/context.py", "SQLAlchemy ORM: statement set-up, loader criteria"),
    ("/sqlalchemy/orm/util.py", "SQLAlchemy ORM: statement set-up, loader criteria"),
    ("/sqlalchemy/orm/query.py", "SQLAlchemy ORM: statement set-up, loader criteria"),
    ("/sqlalchemy/orm/", "SQLAlchemy ORM: session, other"),
    ("/sqlalchemy/sql/", "SQLAlchemy Core: statement construction"),
    ("/sqlalchemy/dialects/postgresql/asyncpg.py", "SQLAlchemy asyncio bridge + asyncpg adapter"),
    ("/sqlalchemy/util/_concurrency", "SQLAlchemy asyncio bridge + asyncpg adapter"),
    ("/sqlalchemy/ext/asyncio/", "SQLAlchemy asyncio bridge + asyncpg adapter"),
    ("/sqlalchemy/", "SQLAlchemy: engine, pool, other"),
    ("/asyncpg/", "driver: asyncpg"),
    ("/orjson", "JSON"), ("/json/", "JSON"),
    ("/starlette/", "HTTP: Starlette, anyio (in-process ASGI)"), ("/anyio/", "HTTP: Starlette, anyio (in-process ASGI)"),
    ("/casbin/", "permissions: Casbin"),
    ("/prometheus_client/", "metrics: prometheus_client"),
    ("/asyncio/", "asyncio event loop"),
    ("/ecozone/web/compiled_execution.py", "GraphQL: ecozone's compiled execution plans (web/)"),
    ("/ecozone/web/execution.py", "GraphQL: ecozone's compiled execution plans (web/)"),
    ("/ecozone/web/", "ecozone: web (HTTP handling, fair use, response cache)"),
    ("/ecozone/graphql/", "ecozone: GraphQL types, resolvers, loaders"),
    ("/ecozone/db/", "ecozone: data layer (scoping, pagination)"),
    ("/ecozone/", "ecozone: services, rules, auth"),
)
BUILTIN_LAYERS = (
    ("asyncpg", "driver: asyncpg"), ("orjson", "JSON"), ("_json", "JSON"),
    ("greenlet", "SQLAlchemy asyncio bridge + asyncpg adapter"),
    ("select.epoll", WAITING), ("'poll'", WAITING), ("select.select", WAITING),
    ("sqlalchemy", "SQLAlchemy: engine, pool, other"),
)
OTHER = "Python standard library, other libraries"


def layer_of_file(filename: str) -> str | None:
    path = filename.replace("\\", "/")
    for part, layer in FILE_LAYERS:
        if part in path:
            return layer
    return None


def _layer_of(func: tuple) -> str | None:
    filename, _line, name = func
    if filename == "~" or filename.startswith("<"):
        for part, layer in BUILTIN_LAYERS:
            if part in name:
                return layer
        return None  # a plain built-in: its callers' layers
    return layer_of_file(filename) or OTHER


def by_layer(stats: pstats.Stats) -> dict[str, dict[str, float]]:
    """{layer: {"seconds": own time, "calls": calls}} over the whole profile."""
    raw = stats.stats  # {func: (primitive calls, calls, own time, cumulative, {caller: (…, own time, …)})}
    out: dict[str, dict[str, float]] = {}

    def add(layer: str, seconds: float, calls: float) -> None:
        entry = out.setdefault(layer, {"seconds": 0.0, "calls": 0.0})
        entry["seconds"] += seconds
        entry["calls"] += calls

    for func, (_cc, calls, own, _cum, callers) in raw.items():
        layer = _layer_of(func)
        if layer is not None:
            add(layer, own, calls)
            continue
        caller_time = {c: v[2] for c, v in callers.items()}
        total = sum(caller_time.values())
        if not total:
            add(OTHER, own, calls)
            continue
        for caller, seconds in caller_time.items():
            part = seconds / total
            add(_layer_of(caller) or OTHER, own * part, calls * part)
    return out


def summary(stats: pstats.Stats, requests: int, server_cpu_ms: float) -> list[dict]:
    """The server's layers per request, largest first: the profile's shares of the server's
    CPU (the client's and the waiting left out) applied to ``server_cpu_ms``, measured without
    the profiler (cProfile slows small Python calls more than C calls: the shares lean towards
    the layers of many small calls)."""
    layers = by_layer(stats)
    server = {k: v for k, v in layers.items() if k not in (CLIENT, WAITING)}
    total = sum(v["seconds"] for v in server.values()) or 1.0
    rows = [{"layer": k, "share": v["seconds"] / total, "ms": v["seconds"] / total * server_cpu_ms,
             "calls": v["calls"] / requests} for k, v in server.items()]
    return sorted(rows, key=lambda r: -r["ms"])


def client_share(stats: pstats.Stats) -> float:
    """The in-process client's share of the profiled CPU (to take it out of the measured CPU)."""
    layers = by_layer(stats)
    total = sum(v["seconds"] for k, v in layers.items() if k != WAITING) or 1.0
    return layers.get(CLIENT, {"seconds": 0.0})["seconds"] / total
