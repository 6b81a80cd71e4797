"""Prometheus metrics of the process (GET /metrics)."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter("ecozone_graphql_requests_total", "GraphQL HTTP requests",
                   ["method", "status"], registry=REGISTRY)
LATENCY = Histogram("ecozone_graphql_request_seconds", "GraphQL HTTP request duration",
                    ["method"], registry=REGISTRY)


def observe(method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method=method, status=str(status)).inc()
    LATENCY.labels(method=method).observe(seconds)


async def metrics_endpoint(_request: Request) -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
