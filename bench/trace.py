"""The traceability platform at scale (issue 19), one command:

    .venv/bin/python bench/trace.py --engine postgresql --records 10000000
    .venv/bin/python bench/trace.py --engine sqlite --records 1000000

For each engine: a throwaway database (a PostgreSQL 15 cluster with initdb/pg_ctl, the app's
login role bound by row-level security; or an SQLite file), migrated, tenants synced, catalogs
loaded, one tea enterprise registered. Then:

1. ingest: ``--records`` NDJSON lines made in chunks of ``--chunk`` (making them is not timed),
   each chunk read and stored by the ingest the API uses (``trace.ndjson.lines`` → envelope and
   code checks → the catalog's RecordValidator → COPY on PostgreSQL) in one transaction of its
   own, as the app's role; records spread over 2024–2026 (36 monthly partitions). One Python
   process: the figure is records/s on one core (PostgreSQL's own work is on its own core).
2. ``trace(code:)``: ``--lookups`` GraphQL requests through the ASGI app (no network) for random
   codes of the loaded records, p50/p99.
3. recall: a batch with 1,000 batches downstream (10 blends × 100 packs, each sold) loaded with
   the rest; ``traceRecall(code:)`` timed ``--recalls`` times, p50/p99.
Prints the figures and, with ``--write``, appends them to bench/RESULTS.md's trace section.
Target: ingest ≥ 20,000 records/s with validation, trace p99 < 20 ms, recall < 200 ms at 10 M.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "platform"))
from ecozone.catalogs import codes

try:
    from servers import Postgres, ecozone, say  # the bench's shared helpers
except ImportError:  # before bench/servers.py was split out of bench/run.py
    from run import Postgres, ecozone, say

UNIT = "91361130MA0000001"
FIRST_DAY = dt.date(2024, 1, 1)
DAYS = 1060  # to 2026-11-25: no event in the future


def credit_code() -> str:
    from stdnum.cn import uscc
    return UNIT + uscc.calc_check_digit(UNIT)


def tea_code(producer: str, day: dt.date, batch: int, serial: int = 1) -> str:
    return codes.make_code(zone="36", category="tea", producer=producer, date=day, batch=batch, serial=serial)


def production(n: int, uscc: str) -> dict:
    """Record ``n``: a production event of its own batch (day, batch number) of the one enterprise."""
    day = FIRST_DAY + dt.timedelta(days=n % DAYS)
    batch = 1 + (n // DAYS) % 9999
    serial = 1 + (n // (DAYS * 9999)) % 9999
    code = tea_code("000101", day, batch, serial)
    return {"id": f"p{n}", "enterprise": uscc, "code": code, "event": "production",
            "time": f"{day.isoformat()}T08:00:00+08:00", "place": "江西省上饶市婺源县", "placeCode": "361130",
            "data": {"producer_name": "婺源示范茶园", "origin_county_code": "361130", "tea_type": "green",
                     "cultivar": "上梅洲", "garden_altitude": 300 + n % 900,
                     "picking_date": day.isoformat(), "leaf_grade": "one_bud_one_leaf"}}


def fan_out(uscc: str) -> tuple[str, list[dict]]:
    """A root batch, 10 blends made from it, 100 packs of each, each pack sold: 1,000 downstream."""
    day = dt.date(2026, 6, 1)
    root = tea_code("000101", day + dt.timedelta(days=400), 1)  # a day no production() uses
    recs = [{"id": "fan-root", "enterprise": uscc, "code": root, "event": "production",
             "time": "2026-06-01T08:00:00+08:00", "place": "婺源", "data": production(0, uscc)["data"]}]
    for blend in range(10):
        blend_code = tea_code("000101", day + dt.timedelta(days=401 + blend), 1)
        recs.append({"id": f"fan-b{blend}", "enterprise": uscc, "code": blend_code, "event": "processing",
                     "time": "2026-06-02T08:00:00+08:00", "place": "婺源", "inputs": [root],
                     "data": {"processing_steps": "拼配", "processing_date": "2026-06-02"}})
        for pack in range(100):
            pack_code = tea_code("000101", day + dt.timedelta(days=401 + blend), 2 + pack)
            recs.append({"id": f"fan-b{blend}-p{pack}", "enterprise": uscc, "code": pack_code,
                         "event": "processing", "time": "2026-06-03T08:00:00+08:00", "place": "婺源",
                         "inputs": [blend_code], "data": {"processing_steps": "分装", "processing_date": "2026-06-03"}})
            recs.append({"id": f"fan-b{blend}-s{pack}", "enterprise": uscc, "code": pack_code, "event": "sale",
                         "time": "2026-06-05T08:00:00+08:00", "place": "南昌", "data": {"net_weight": 250}})
    return root, recs


def ndjson_chunk(records: list[dict]) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)


async def setup(operator_url: str) -> None:
    from ecozone.authz.actor import system_actor
    from ecozone.catalogs.service import load_catalogs
    from ecozone.db.engine import create_engine, transaction
    from ecozone.db.scoping import Scope, apply_scope
    from ecozone.tenancy.models import Zone
    from ecozone.trace import enterprises
    from sqlalchemy import select
    engine = create_engine(operator_url)
    async with transaction(engine, Scope.system()) as session:
        await load_catalogs(session)
        zone = await session.scalar(select(Zone).where(Zone.slug == "jiangxi"))
        actor = system_actor(zone.id, zone.slug)
        await apply_scope(session, actor.scope)
        await enterprises.register(session, actor, name_zh="婺源示范茶园", name_en="Wuyuan Demonstration Tea Garden",
                                   uscc=credit_code(), producer_code="000101", kinds=["producer"])
    await engine.dispose()


async def ingest(app_url: str, total: int, chunk: int, extra: list[dict]) -> dict:
    from ecozone.authz.actor import Actor
    from ecozone.db.engine import create_engine, transaction, write_turn
    from ecozone.db.scoping import Scope
    from ecozone.tenancy.models import Zone
    from ecozone.trace import ndjson, service
    from sqlalchemy import select
    engine = create_engine(app_url)
    async with transaction(engine, Scope(), write=False) as session:
        zone = await session.scalar(select(Zone).where(Zone.slug == "jiangxi"))
    # the operator's CLI actor in the app's role (RLS on): what `ecozone trace load` does
    actor = Actor(username="system", zone_id=zone.id, zone_slug=zone.slug, roles=frozenset({"enterprise"}),
                  is_system=True)
    uscc = credit_code()
    timed, cpu, stored, refused, done = 0.0, 0.0, 0, 0, 0
    while done < total:
        count = min(chunk, total - done)
        body = ndjson_chunk([production(n, uscc) for n in range(done, done + count)])
        if done + count >= total:
            body += ndjson_chunk(extra)

        async def chunks(data=body):
            for start in range(0, len(data), 1 << 16):
                yield data[start:start + (1 << 16)]
        started, cpu_started = time.perf_counter(), time.process_time()
        async with write_turn(engine, True), transaction(engine, actor.scope) as session:
            report = await service.submit_stream(session, actor, ndjson.lines(chunks()), via="bench")
        timed += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
        stored, refused, done = stored + report.accepted, refused + report.rejected_count, done + count
        say(f"  {done:,} lines · {stored:,} stored · {refused} refused · {stored / timed:,.0f} records/s "
            f"(wall) · {stored / cpu:,.0f} records per CPU-second of this process")
    await engine.dispose()
    # On a shared machine the wall-clock rate measures the neighbours too; the rate per CPU-second
    # of the ingesting process is what one core of it does (PostgreSQL's work is not in it).
    return {"records": stored, "refused": refused, "seconds": timed, "rate": stored / timed,
            "cpu_rate": stored / cpu}


async def queries(app_url: str, operator_url: str, total: int, lookups: int, recalls: int, root: str) -> dict:
    import httpx
    from ecozone.db.engine import create_engine
    from ecozone.settings import load_settings
    from ecozone.web.app import create_app
    os.environ.update(ECOZONE_DATABASE_URL=app_url, ECOZONE_MIGRATION_DATABASE_URL=operator_url)
    settings = load_settings()
    engine = create_engine(app_url)
    app = create_app(settings, engine=engine)
    uscc, rng = credit_code(), random.Random(19)
    trace_q = "query($c: String!) { trace(code: $c) { ... on TraceChain { batch events { eventType indicators } } } }"
    recall_q = ("query($c: String!) { traceRecall(code: $c) { ... on TraceChain { batches "
                "sellers { nameZh } events { eventType } } } }")
    out = {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        async def time_one(query: str, code: str) -> float:
            started = time.perf_counter()
            response = await client.post("/graphql", json={"query": query, "variables": {"c": code}})
            elapsed = time.perf_counter() - started
            assert response.status_code == 200 and "errors" not in response.json(), response.text[:300]
            return elapsed
        for _ in range(20):  # warm-up
            await time_one(trace_q, production(rng.randrange(total), uscc)["code"])
        cpu = time.process_time()
        times = sorted([await time_one(trace_q, production(rng.randrange(total), uscc)["code"])
                        for _ in range(lookups)])
        # CPU of this process (client and app) per request: what a shared machine cannot inflate
        out["trace"] = {"n": lookups, "p50_ms": 1000 * statistics.median(times),
                        "p99_ms": 1000 * times[int(0.99 * (len(times) - 1))],
                        "cpu_ms": 1000 * (time.process_time() - cpu) / lookups}
        response = await client.post("/graphql", json={"query": recall_q, "variables": {"c": root}})
        chain = response.json()["data"]["traceRecall"]
        assert len(chain["batches"]) == 1011, len(chain["batches"])
        cpu = time.process_time()
        times = sorted([await time_one(recall_q, root) for _ in range(recalls)])
        out["recall"] = {"n": recalls, "batches_downstream": len(chain["batches"]) - 1,
                         "events": len(chain["events"]), "p50_ms": 1000 * statistics.median(times),
                         "p99_ms": 1000 * times[int(0.99 * (len(times) - 1))],
                         "cpu_ms": 1000 * (time.process_time() - cpu) / recalls}
    await engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--chunk", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--recalls", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="cProfile the ingest, print its 35 dearest functions")
    parser.add_argument("--write", action="store_true", help="append the figures to bench/RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="trace-bench-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "ECOZONE_VAR_DIR": str(work)}
        pg = None
        if args.engine == "postgresql":
            pg = Postgres(work)
            say(f"postgresql: starting a throwaway cluster on port {pg.port}")
            pg.start()
            app_url, operator_url = pg.app_url, pg.operator_url
        else:
            app_url = operator_url = f"sqlite+aiosqlite:///{work / 'ecozone.sqlite3'}"
        env.update(ECOZONE_DATABASE_URL=app_url, ECOZONE_MIGRATION_DATABASE_URL=operator_url)
        try:
            ecozone(env, "db", "upgrade")
            if pg:
                pg.create_app_login()
            ecozone(env, "tenants", "sync")
            asyncio.run(setup(operator_url))
            root, extra = fan_out(credit_code())
            say(f"{args.engine}: ingesting {args.records:,} records (+{len(extra):,} of the recall tree)")
            if args.profile:
                import cProfile
                import pstats
                profiler = cProfile.Profile()
                loaded = profiler.runcall(asyncio.run, ingest(app_url, args.records, args.chunk, extra))
                pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
            else:
                loaded = asyncio.run(ingest(app_url, args.records, args.chunk, extra))
            if pg:  # what autovacuum would have done by then: the planner's statistics of the load
                say("postgresql: ANALYZE")
                pg.psql("ANALYZE", db="ecozone")
            say("queries: trace(code:) and traceRecall(code:) through the ASGI app")
            figures = asyncio.run(queries(app_url, operator_url, args.records, args.lookups, args.recalls, root))
        finally:
            if pg:
                pg.stop()
    load = os.getloadavg()[0]
    trace, recall = figures["trace"], figures["recall"]
    line = (f"| {dt.date.today()} | {args.engine} | {loaded['records']:,} | {loaded['rate']:,.0f} wall, "
            f"{loaded['cpu_rate']:,.0f} per CPU-s (load {load:.1f}) | "
            f"{trace['p50_ms']:.1f} / {trace['p99_ms']:.1f} (CPU {trace['cpu_ms']:.1f}) | "
            f"{recall['batches_downstream']:,} batches, {recall['events']:,} events: "
            f"{recall['p50_ms']:.0f} / {recall['p99_ms']:.0f} (CPU {recall['cpu_ms']:.0f}) |")
    print(line)
    if args.write:
        results = ROOT / "bench" / "RESULTS.md"
        text = results.read_text(encoding="utf-8")
        if "## Traceability platform (issue 19)" not in text:
            text += ("\n## Traceability platform (issue 19)\n\n`bench/trace.py` (see its docstring). Ingest: records/s of one "
                     "Python process, validation and storage included (COPY on PostgreSQL). Lookups through the ASGI "
                     "app, p50 / p99 in ms.\n\n| date | engine | records loaded | ingest records/s | trace(code:) "
                     "p50 / p99 | traceRecall across the tree p50 / p99 |\n| --- | --- | --- | --- | --- | --- |\n")
        results.write_text(text + line + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
