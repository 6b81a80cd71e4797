"""The process's metrics registry and the measurements the domain layers take.

GET /metrics (web/metrics.py) publishes this registry. Layers below the web (authorisation,
the data layer) add to it here, so they need not import the web package.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import CollectorRegistry, Counter

REGISTRY = CollectorRegistry(auto_describe=True)

# Time spent deciding permissions: loading the actor's roles (once per request) and the
# Casbin decisions. Divided by the request time it is the share the benchmark's target
# (at most 10 %) is about.
AUTHZ_SECONDS = Counter("ecozone_authz_seconds_total", "Time spent on permission checks",
                        ["part"], registry=REGISTRY)
_ROLES = AUTHZ_SECONDS.labels(part="roles")
_DECISION = AUTHZ_SECONDS.labels(part="decision")


@contextmanager
def timing_roles() -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        _ROLES.inc(time.perf_counter() - started)


def add_decision_time(seconds: float) -> None:
    _DECISION.inc(seconds)
