"""The API's own counters (/metrics), per worker: SQL statements and permission-check time per request."""

from __future__ import annotations

COUNTERS = ("statements", "requests", "request_seconds", "authz_seconds")


def parse(text_: str) -> dict[int, dict[str, float]]:
    """{worker pid: counters} of the worker that answered with ``text_``."""
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
    """Every worker's counters: asked on fresh connections until each worker has answered."""
    import httpx
    seen: dict[int, dict[str, float]] = {}
    for _ in range(200):
        seen.update(parse(httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text))
        if len(seen) >= workers:
            break
    return seen


def per_request(port: int, spec: dict, workers: int, run_load, samples: int = 40) -> dict[str, float]:
    """SQL statements per request and the share of request time spent on permission checks,
    from the workers' counters around ``samples`` sequential requests."""
    before = scrape_all(port, workers)
    run_load({**spec, "requests": samples, "concurrency": 1, "workers": 1, "stagger": 0.0})
    after = scrape_all(port, workers)
    empty = dict.fromkeys(COUNTERS, 0.0)
    delta = {c: sum(after[p][c] - before.get(p, empty)[c] for p in after) for c in COUNTERS}
    nan = float("nan")
    return {"sql": delta["statements"] / delta["requests"] if delta["requests"] else nan,
            "authz": delta["authz_seconds"] / delta["request_seconds"] if delta["request_seconds"] else nan}
