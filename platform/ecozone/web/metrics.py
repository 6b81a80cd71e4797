"""Prometheus metrics of the process (GET /metrics)."""

from __future__ import annotations

import os

from prometheus_client import (CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, ProcessCollector,
                               generate_latest)
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response

from ecozone.observability import REGISTRY

REQUESTS = Counter("ecozone_graphql_requests_total", "GraphQL HTTP requests",
                   ["method", "status"], registry=REGISTRY)
LATENCY = Histogram("ecozone_graphql_request_seconds", "GraphQL HTTP request duration",
                    ["method"], registry=REGISTRY)
# Statements sent to the database by this process: divided by the requests, the SQL cost of
# a request (the benchmark reads the deltas; a jump after a change is an N+1 coming back).
SQL_STATEMENTS = Counter("ecozone_sql_statements_total", "SQL statements sent to the database",
                         registry=REGISTRY)
# process_resident_memory_bytes; the pid tells apart the workers behind one port.
ProcessCollector(registry=REGISTRY)
Gauge("ecozone_worker_pid", "Process id of the worker answering", registry=REGISTRY).set(os.getpid())


def _count_statement(*_args) -> None:
    SQL_STATEMENTS.inc()


def count_statements(engine: AsyncEngine) -> None:
    """Count every statement ``engine`` executes in ``ecozone_sql_statements_total``."""
    target = engine.sync_engine
    if not event.contains(target, "before_cursor_execute", _count_statement):
        event.listen(target, "before_cursor_execute", _count_statement)


def observe(method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method=method, status=str(status)).inc()
    LATENCY.labels(method=method).observe(seconds)


async def metrics_endpoint(_request: Request) -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
