"""The traceability platform at scale (issue 19): one command, or a load phase and a measure phase.

    .venv/bin/python bench/trace.py --engine postgresql --records 10000000
    .venv/bin/python bench/trace.py --engine sqlite --records 1000000

For each engine: a throwaway database (a PostgreSQL 15 cluster with initdb/pg_ctl, the app's
login role bound by row-level security; or an SQLite file), migrated, tenants synced, catalogs
loaded, one tea enterprise registered. Then:

1. ingest: ``--records`` NDJSON lines made in chunks of ``--chunk`` (making them is not timed),
   each chunk read and stored by the ingest the API uses (``trace.ndjson.lines`` → envelope and
   code checks → the catalog's RecordValidator → COPY on PostgreSQL) in one transaction of its
   own, as the app's role; records spread over 2024–2026 (36 monthly partitions). One Python
   process: the figure is records per CPU-second of that process (what one core of it does,
   whatever the neighbours; PostgreSQL's own work is in its own processes) and per wall second.
   A progress line per chunk: lines done, rate, ETA. On PostgreSQL also records per CPU-second
   of the whole cluster (from /proc): the ingest stores a chunk while it checks the next, so on
   an idle machine of 2 cores the wall rate is about the lower of the two. Then ANALYZE.
2. ``trace(code:)``: ``--lookups`` GraphQL requests through the ASGI app (no network) for random
   codes of the loaded records (after ``--warmup`` untimed ones), p50/p99 and CPU per request.
3. recall: a batch with 1,000 batches downstream (10 blends × 100 packs, each sold) loaded with
   the rest; ``traceRecall(code:)`` timed ``--recalls`` times, p50/p99.
The load average (1 minute, sampled every 5 s) is reported for the ingest and for the
measurements apart: the wall-clock figures mean something only where it was low.

Two phases, so that a long load can run on a busy machine and the timed lookups on an idle one:

    .venv/bin/python bench/trace.py --engine postgresql --records 10000000 --keep /var/tmp/trace-pg
    .venv/bin/python bench/trace.py --reuse /var/tmp/trace-pg

``--keep DIR`` (DIR new or empty) runs step 1 only, with the cluster (``DIR/pg``) or the SQLite
file (``DIR/ecozone.sqlite3``) kept in DIR, stopped, and ``DIR/loaded.json`` saying what was
loaded: engine, record count, the ingest figures and load average, the recall's root code and a
sample of codes to look up. ``--reuse DIR`` starts the kept cluster (on a free port), skips the
ingest and runs steps 2–3 with what loaded.json says; run it as often as wanted (a cluster
just started reads from disk: ``--warmup`` sets how many untimed lookups come first). Delete DIR
afterwards. Without either option both phases run in a temporary directory, deleted at the end.
Prints the figures (the RESULTS.md row) and, with ``--write``, appends them to bench/RESULTS.md.
Target: ingest ≥ 20,000 records/s with validation, trace p99 < 20 ms, recall < 200 ms at 10 M.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Self

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "platform"))
from procstat import TICKS, children, cpu_seconds, postmaster_pid
from servers import Postgres, ecozone, say  # the bench's shared helpers
from trace_data import credit_code, fan_out, lookup_codes, ndjson_chunk, production


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


class LoadAverage:
    """The 1-minute load average sampled every ``every`` seconds while a phase runs (a thread)."""

    def __init__(self, every: float = 5.0):
        self.every, self.samples = every, [os.getloadavg()[0]]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.samples.append(os.getloadavg()[0])

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict:
        return {"mean": statistics.fmean(self.samples), "max": max(self.samples)}


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 600 else f"{seconds / 60:.1f} min"


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
    began = time.perf_counter()  # the ETA counts the untimed making of the lines too
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
        elapsed = time.perf_counter() - began
        say(f"  {done:,} / {total:,} lines ({100 * done / total:.0f} %) · {stored:,} stored · {refused} refused · "
            f"{stored / timed:,.0f} records/s wall, {stored / cpu:,.0f} per CPU-second · "
            f"load {os.getloadavg()[0]:.1f} · ETA {minutes(elapsed * (total - done) / done)}")
    await engine.dispose()
    # On a shared machine the wall-clock rate measures the neighbours too; the rate per CPU-second
    # of the ingesting process is what one core of it does (PostgreSQL's work is not in it).
    return {"records": stored, "refused": refused, "seconds": timed, "rate": stored / timed,
            "cpu_rate": stored / cpu, "elapsed_s": time.perf_counter() - began}


async def queries(app_url: str, operator_url: str, sample: list[str], warmup: int, recalls: int,
                  root: str) -> dict:
    import httpx
    from ecozone.db.engine import create_engine
    from ecozone.settings import load_settings
    from ecozone.web.app import create_app
    os.environ.update(ECOZONE_DATABASE_URL=app_url, ECOZONE_MIGRATION_DATABASE_URL=operator_url)
    settings = load_settings()
    engine = create_engine(app_url)
    app = create_app(settings, engine=engine)
    trace_q = "query($c: String!) { trace(code: $c) { ... on TraceChain { batch events { eventType indicators } } } }"
    recall_q = ("query($c: String!) { traceRecall(code: $c) { ... on TraceChain { batches "
                "sellers { nameZh } events { eventType } } } }")
    out = {}
    # The app as `ecozone serve` runs it: its lifespan starts (httpx's ASGI transport does not run
    # it), and with it the production garbage collector's tuning (web/app.py); without it a
    # recall's 2,011 events met the default thresholds' full collections (p99 3-4x the median).
    async with app.router.lifespan_context(app), \
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        async def time_one(query: str, code: str) -> float:
            started = time.perf_counter()
            response = await client.post("/graphql", json={"query": query, "variables": {"c": code}})
            elapsed = time.perf_counter() - started
            answer = response.json()
            # a typed refusal (NotFound …) is a 200 without "errors": the chain's events must be there
            assert response.status_code == 200 and "errors" not in answer, response.text[:300]
            assert all(chain.get("events") for chain in answer["data"].values()), response.text[:300]
            return elapsed
        for code in sample[:warmup]:  # untimed: a cluster just started reads from disk
            await time_one(trace_q, code)
        timed = sample[warmup:]
        cpu = time.process_time()
        times = sorted([await time_one(trace_q, code) for code in timed])
        # CPU of this process (client and app) per request: what a shared machine cannot inflate
        out["trace"] = {"n": len(timed), "p50_ms": 1000 * statistics.median(times),
                        "p99_ms": 1000 * times[int(0.99 * (len(times) - 1))],
                        "cpu_ms": 1000 * (time.process_time() - cpu) / len(timed)}
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


class KeptPostgres(Postgres):
    """The cluster a ``--keep`` run left in ``base/pg``: started again on a free port, no initdb."""

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c shared_buffers=256MB -c max_connections=200")
        subprocess.run([*self.as_postgres, "pg_ctl", "-D", str(self.dir), "-o", options, "-w", "-l",
                        str(self.dir / "log"), "start"], check=True, stdout=subprocess.DEVNULL)


def cluster_cpu(pg: Postgres) -> float:
    """CPU seconds of the whole cluster so far: the postmaster, its ended children (reaped: its
    cutime and cstime) and the living ones."""
    postmaster = postmaster_pid(pg.dir)
    stat = Path(f"/proc/{postmaster}/stat").read_text()
    own_and_reaped = sum(int(f) for f in stat[stat.rindex(")") + 2:].split()[11:15]) / TICKS
    return own_and_reaped + sum(cpu_seconds(child) for child in children(postmaster))


def disk_usage(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def load_phase(args, work: Path) -> dict:
    """Create, migrate and fill the database in ``work``; what was loaded (the loaded.json)."""
    env = {**os.environ, "ECOZONE_VAR_DIR": str(work)}
    pg = None
    if args.engine == "postgresql":
        pg = Postgres(work)
        say(f"postgresql: starting a throwaway cluster on port {pg.port} in {pg.dir}")
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
        server_cpu = cluster_cpu(pg) if pg else 0.0
        with LoadAverage() as load:
            if args.profile:
                import cProfile
                import pstats
                profiler = cProfile.Profile()
                loaded = profiler.runcall(asyncio.run, ingest(app_url, args.records, args.chunk, extra))
                pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
            else:
                loaded = asyncio.run(ingest(app_url, args.records, args.chunk, extra))
        if pg:  # PostgreSQL's share, on its own core(s): with the ingest's, what an idle machine's wall rate is
            loaded["server_cpu_rate"] = loaded["records"] / (cluster_cpu(pg) - server_cpu)
            say(f"postgresql: {loaded['server_cpu_rate']:,.0f} records per CPU-second of the cluster")
        if pg:  # what autovacuum would have done by then: the planner's statistics of the load
            say("postgresql: ANALYZE")
            started = time.perf_counter()
            pg.psql("ANALYZE", db="ecozone")
            say(f"postgresql: ANALYZE took {time.perf_counter() - started:.0f} s")
    finally:
        if pg:
            pg.stop()
    return {"engine": args.engine, "records": args.records, "date": dt.date.today().isoformat(),
            "ingest": loaded, "ingest_load": load.summary(), "recall_root": root,
            "codes": lookup_codes(args.records, args.warmup + args.lookups),
            "disk_bytes": disk_usage(work)}


def measure_phase(args, work: Path, loaded: dict) -> dict:
    """Start the database in ``work`` (kept or just loaded) and time lookups and recalls."""
    pg = None
    if loaded["engine"] == "postgresql":
        pg = KeptPostgres(work)
        say(f"postgresql: starting the cluster in {pg.dir} on port {pg.port}")
        pg.start()
        app_url, operator_url = pg.app_url, pg.operator_url
    else:
        app_url = operator_url = f"sqlite+aiosqlite:///{work / 'ecozone.sqlite3'}"
    sample = loaded["codes"]
    if len(sample) < args.warmup + args.lookups:  # a kept sample smaller than asked: more of the same kind
        sample = lookup_codes(loaded["records"], args.warmup + args.lookups)
    try:
        say(f"queries: {args.warmup} untimed, {args.lookups} trace(code:) and {args.recalls} traceRecall(code:) "
            "through the ASGI app")
        with LoadAverage() as load:
            figures = asyncio.run(queries(app_url, operator_url, sample[:args.warmup + args.lookups], args.warmup,
                                          args.recalls, loaded["recall_root"]))
    finally:
        if pg:
            pg.stop()
    return {**figures, "load": load.summary()}


def row(loaded: dict, figures: dict) -> str:
    """The bench/RESULTS.md row: ingest and queries, each with the load average while it ran."""
    ingest_, trace, recall = loaded["ingest"], figures["trace"], figures["recall"]
    ingest_load, query_load = loaded["ingest_load"], figures["load"]
    return (f"| {loaded['date']} | {loaded['engine']} | {ingest_['records']:,} | {ingest_['rate']:,.0f} wall, "
            f"{ingest_['cpu_rate']:,.0f} per CPU-s (load {ingest_load['mean']:.1f}, max {ingest_load['max']:.1f}) | "
            f"{trace['p50_ms']:.1f} / {trace['p99_ms']:.1f} (CPU {trace['cpu_ms']:.1f}) | "
            f"{recall['batches_downstream']:,} batches, {recall['events']:,} events: "
            f"{recall['p50_ms']:.0f} / {recall['p99_ms']:.0f} (CPU {recall['cpu_ms']:.0f}); "
            f"queries at load {query_load['mean']:.1f}, max {query_load['max']:.1f} |")


def write_row(line: str) -> None:
    """Add the row under the last one of the table in RESULTS.md's trace section."""
    results = ROOT / "bench" / "RESULTS.md"
    lines = results.read_text(encoding="utf-8").split("\n")
    section = lines.index("## Traceability platform (issue 19)")
    header = next(n for n in range(section, len(lines)) if lines[n].startswith("| date | engine |"))
    last = next(n for n in range(header, len(lines)) if not lines[n + 1].startswith("|"))
    results.write_text("\n".join([*lines[:last + 1], line, *lines[last + 1:]]), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--chunk", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100,
                        help="untimed lookups (other codes) before the timed ones")
    parser.add_argument("--recalls", type=int, default=50)
    phases = parser.add_mutually_exclusive_group()
    phases.add_argument("--keep", type=Path, metavar="DIR",
                        help="load only, keep the database in DIR (new or empty) with DIR/loaded.json")
    phases.add_argument("--reuse", type=Path, metavar="DIR",
                        help="measure only, on the database a --keep run left in DIR (--engine and --records ignored)")
    parser.add_argument("--profile", action="store_true", help="cProfile the ingest, print its 35 dearest functions")
    parser.add_argument("--write", action="store_true", help="add the figures to bench/RESULTS.md's trace table")
    args = parser.parse_args()
    if args.reuse:
        kept = args.reuse.resolve()
        loaded = json.loads((kept / "loaded.json").read_text(encoding="utf-8"))
        say(f"{loaded['engine']}: {loaded['ingest']['records']:,} records loaded {loaded['date']} in {kept} "
            f"({loaded['disk_bytes'] / 1e9:.2f} GB)")
        line = row(loaded, measure_phase(args, kept, loaded))
    elif args.keep:
        kept = args.keep.resolve()
        if kept.exists() and any(kept.iterdir()):
            parser.error(f"--keep {kept}: not empty (delete it, or --reuse it)")
        kept.mkdir(parents=True, exist_ok=True)
        loaded = load_phase(args, kept)
        (kept / "loaded.json").write_text(json.dumps(loaded, indent=1), encoding="utf-8")
        ingest_ = loaded["ingest"]
        say(f"kept in {kept}: {ingest_['records']:,} records, {ingest_['rate']:,.0f} records/s wall, "
            f"{ingest_['cpu_rate']:,.0f} per CPU-second (load {loaded['ingest_load']['mean']:.1f}), "
            f"{minutes(ingest_['elapsed_s'])}, {loaded['disk_bytes'] / 1e9:.2f} GB; "
            f"measure with: .venv/bin/python bench/trace.py --reuse {kept}")
        return
    else:
        with tempfile.TemporaryDirectory(prefix="trace-bench-") as tmp:
            loaded = load_phase(args, Path(tmp))
            line = row(loaded, measure_phase(args, Path(tmp), loaded))
    print(line)
    if args.write:
        write_row(line)


if __name__ == "__main__":
    main()
