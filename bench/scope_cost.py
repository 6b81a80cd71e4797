"""What the zone-scoping mechanism (db/scoping.py) costs a request, measured in one process.

    ECOZONE_DATABASE_URL=... .venv/bin/python bench/scope_cost.py Q3 [--requests 200] [--signed-in TOKEN]

Alternates, request by request on the same app (so that both see the same load on a shared
machine), the ways scoping.py can choose a statement's criteria:

- ``touched``: the production path, the criteria of the scoped models the statement touches;
- ``all``: every scoped model's criteria on every statement (the former mechanism);
- ``none``: no criteria at all — wrong answers' cost floor, for measuring the share only.

Prints CPU per request (median and least, ``time.process_time``) per mode, and checks that
``touched`` and ``all`` answer byte for byte the same. The database must hold demo data (``ecozone
demo --scale N``; anonymous requests see the same rows either way only because the demo's public
rows are public).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cpu_profile import OPERATIONS


def _modes():
    from ecozone.db import scoping

    def all_options(scope, statement, state):
        return scoping.all_scope_options(scope)

    def no_options(scope, statement, state):
        return ()

    return {"touched": scoping.options_for_statement, "all": all_options, "none": no_options}


async def _run(operation: str, requests: int, token: str | None) -> dict[str, list[float]]:
    import httpx
    from ecozone.db import scoping
    from ecozone.web.app import create_app, tune_garbage_collector

    app = create_app()
    query, variables = OPERATIONS[operation]
    body = json.dumps({"query": query, "variables": variables})
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    modes = _modes()
    production = scoping.options_for_statement
    spent: dict[str, list[float]] = {name: [] for name in modes}
    answers = {}
    try:
        async with app.router.lifespan_context(app):
            tune_garbage_collector()
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                for name, choose in modes.items():
                    scoping.options_for_statement = choose
                    for _ in range(5):  # warm each mode's statement caches
                        response = await client.post("/graphql", content=body, headers=headers)
                    answers[name] = response.content
                    assert response.status_code == 200 and b'"errors"' not in response.content, \
                        response.text[:500]
                assert answers["touched"] == answers["all"], "touched and all answered differently"
                for _ in range(requests):
                    for name, choose in modes.items():
                        scoping.options_for_statement = choose
                        started = time.process_time()
                        response = await client.post("/graphql", content=body, headers=headers)
                        spent[name].append(time.process_time() - started)
                        assert response.status_code == 200, response.text[:300]
    finally:
        scoping.options_for_statement = production
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("operation", choices=sorted(OPERATIONS))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--signed-in", metavar="TOKEN")
    args = parser.parse_args()
    os.environ.setdefault("ECOZONE_RATE_LIMIT_ANONYMOUS", str(10**12))
    os.environ.setdefault("ECOZONE_RATE_LIMIT_USER", str(10**12))
    spent = asyncio.run(_run(args.operation, args.requests, args.signed_in))
    for name, values in spent.items():
        print(f"{args.operation} {name:>7}: CPU per request {statistics.median(values) * 1000:6.2f} ms "
              f"median, {min(values) * 1000:6.2f} ms least, over {len(values)} requests (alternating)")


if __name__ == "__main__":
    main()
