"""The portal's pages: server time per page, p50 and p99, on the demo data (issue 15).

    .venv/bin/python bench/portal.py --engine both [--requests 200] [--warmup 20]

For each engine: a throwaway database (an SQLite file, or a PostgreSQL 15 cluster started with
initdb/pg_ctl as bench/run.py does, the app connecting as a login bound by row-level security),
migrated, tenants synced, ``ecozone demo`` loaded; then ``ecozone serve`` (one worker,
``ECOZONE_ENV=production``, fair use on with a budget no benchmark exhausts) on a loopback port.
One client (httpx, keep-alive, this process) asks each page ``--requests`` times in turn, after
``--warmup`` untimed requests, and times each answer from the request sent to the last byte read:
that is the server's time plus a loopback round trip, which ``/healthz`` (the cheapest route,
measured the same way) shows.

Three paths per page:
- ``200``: the full page, as a first visit gets it;
- ``304``: the same with ``If-None-Match`` of the page's ETag, as a returning browser or a cache
  asks (the page's tag is its bytes' hash, so the page is still made: this shows what it costs);
- for the portal's trusted documents, ``GET /graphql?documentId=sha256:…`` and its ``304``, when
  the API answers them (the trusted-documents work of issue 15).
Prints Markdown tables (milliseconds); paste them into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT), str(ROOT / "platform")]
from run import Postgres, ecozone, free_port, say  # noqa: E402 - the bench folder is not a package

VENV_BIN = ROOT / ".venv" / "bin"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
           "Accept-Encoding": "gzip, br"}
PAGES = ["/", "/?lang=en", "/standards", "/standards?q=%E8%8C%B6", "/standards?zone=fujian&stage=PUBLISHED",
         "/standards/{standard}", "/notices", "/projects/{project}", "/statistics", "/council",
         "/experts", "/experts?q=zh", "/certificates?code={code}", "/catalogs", "/catalogs/{category}",
         "/jiangxi/", "/guizhou/standards"]
FIRST = """{ standards(first: 1, filter: {state: PUBLISHED}) { ... on StandardConnection { edges { node { id } } } }
  projects(first: 1) { ... on ProjectConnection { edges { node { id } } } }
  catalogVersions(first: 1) { ... on CatalogVersionConnection { edges { node { category { code } } } } } }"""
# Trusted documents timed over GET, with their variables.
DOCUMENTS = {"zones": {}, "home": {"year": 2026, "zone": None}}


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def timed(client, path: str, n: int, headers: dict[str, str]) -> tuple[list[float], int]:
    samples, status = [], 0
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        response.read()
        samples.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return samples, status


def measure(client, path: str, args, headers: dict[str, str]) -> dict:
    first = client.get(path, headers=headers)
    row = {"path": path, "status": first.status_code, "bytes": len(first.content)}
    if first.status_code != 200:
        return row
    timed(client, path, args.warmup, headers)
    samples, _ = timed(client, path, args.requests, headers)
    row.update(p50=statistics.median(samples), p99=percentile(samples, 99))
    etag = first.headers.get("etag")
    if etag:
        conditional = {**headers, "If-None-Match": etag}
        timed(client, path, args.warmup, conditional)
        samples, status = timed(client, path, args.requests, conditional)
        if status == 304:
            row.update(p50_304=statistics.median(samples), p99_304=percentile(samples, 99))
    return row


def targets(client, operator_url: str) -> dict[str, str]:
    import asyncio

    from sqlalchemy import select

    from ecozone.talent.models import Certificate
    from tests.support.db import run_as_operator
    data = client.post("/graphql", json={"query": FIRST}).json()["data"]

    async def first_code(session):
        return await session.scalar(select(Certificate.code).order_by(Certificate.id).limit(1))
    return {"standard": data["standards"]["edges"][0]["node"]["id"],
            "project": data["projects"]["edges"][0]["node"]["id"],
            "category": data["catalogVersions"]["edges"][0]["node"]["category"]["code"].lower(),
            "code": asyncio.run(run_as_operator(operator_url, first_code)) or "NONE"}


def document_paths() -> dict[str, str]:
    from urllib.parse import urlencode

    from ecozone.portal.client import load_documents
    documents = load_documents()
    return {name: "/graphql?" + urlencode({"documentId": documents[name].document_id,
                                           "variables": json.dumps(variables)})
            for name, variables in DOCUMENTS.items() if name in documents}


def bench_engine(kind: str, args, work: Path) -> dict:
    import httpx
    env = {**os.environ, "ECOZONE_VAR_DIR": str(work / "var"), "ECOZONE_SECRET": secrets.token_urlsafe(48)}
    pg = None
    if kind == "postgresql":
        pg = Postgres(work)
        say(f"postgresql: starting a throwaway cluster on port {pg.port}")
        pg.start()
        env.update(ECOZONE_DATABASE_URL=pg.app_url, ECOZONE_MIGRATION_DATABASE_URL=pg.operator_url)
        operator_url = pg.operator_url
    else:
        operator_url = f"sqlite+aiosqlite:///{work / 'ecozone.sqlite3'}"
        env.update(ECOZONE_DATABASE_URL=operator_url, ECOZONE_MIGRATION_DATABASE_URL=operator_url)
    server = None
    try:
        ecozone(env, "db", "upgrade")
        if pg:
            pg.create_app_login()
        ecozone(env, "tenants", "sync")
        ecozone(env, "demo", capture=True)
        port = free_port()
        production = {**env, "ECOZONE_ENV": "production", "ECOZONE_RATE_LIMIT_ANONYMOUS": str(10**12)}
        log = work / f"portal-{kind}.log"
        with log.open("w") as out:  # the child keeps its own copy of the descriptor
            server = subprocess.Popen([str(VENV_BIN / "ecozone"), "serve", "--port", str(port)],
                                      env=production, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError(f"ecozone serve did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.2)
        say(f"{kind}: serving the demo on {base}")
        with httpx.Client(base_url=base, timeout=30) as client:
            found = targets(client, operator_url)
            rows = [measure(client, "/healthz", args, {})]
            for template in PAGES:
                rows.append(measure(client, template.format(**found), args, BROWSER))
                say(f"{kind}: {rows[-1]['path']} {rows[-1].get('p50', rows[-1]['status'])}")
            documents = [measure(client, path, args, {"Accept": "application/graphql-response+json"})
                         | {"path": f"{name} (documentId)"} for name, path in document_paths().items()]
        return {"pages": rows, "documents": documents}
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait(15)
        if pg:
            pg.stop()


def table(kind: str, result: dict, args) -> str:
    def ms(row, key):
        return f"{row[key]:.1f}" if key in row else "—"
    lines = [f"### {kind} ({args.requests} requests per path, one client, keep-alive)", "",
             "| path | status | KB | p50 ms | p99 ms | 304 p50 ms | 304 p99 ms |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for row in result["pages"] + result["documents"]:
        lines.append(f"| `{row['path'][:60]}` | {row['status']} | {row['bytes'] / 1024:.1f} | "
                     f"{ms(row, 'p50')} | {ms(row, 'p99')} | {ms(row, 'p50_304')} | {ms(row, 'p99_304')} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    outputs = []
    for kind in engines:
        with tempfile.TemporaryDirectory(prefix=f"ecozone-portal-bench-{kind}-") as work:
            outputs.append(table(kind, bench_engine(kind, args, Path(work)), args))
    print(f"\nRun of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs\n")
    print("\n\n".join(outputs))


if __name__ == "__main__":
    main()
