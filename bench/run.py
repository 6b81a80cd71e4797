"""The API benchmark (issues 8 and 20), one command:

    .venv/bin/python bench/run.py --engine postgresql --peer postgraphile --scale 1 --requests 500

For each engine: a throwaway database (a PostgreSQL cluster started with initdb/pg_ctl, or an
SQLite file), migrated, tenants synced, ``ecozone demo --scale``; then the API as in
production (``ecozone serve --workers 2``, ECOZONE_ENV=production, the app's login role bound
by row-level security, a secret), the hand-written floor (bench/floor.py, 2 workers) and, with
``--peer postgraphile`` on PostgreSQL, PostGraphile (bench/peer_postgraphile.py: 2 cluster
workers, the app's login role, the same per-transaction settings, the same database). Before
anything is timed, the peer's Q2 and Q3 answers are compared with the API's: the same rows in
the same order, or the run stops.

Then ``--rounds`` rounds (4): in each, every operation of every system, the systems in a turning
order (ecozone, peer, floor; then peer, floor, ecozone; …), by a load generator in its own
process (bench/load.py) whose connections are spread over each server's workers. Per operation:
requests/s, p50, p99, each worker's CPU (/proc/<pid>/stat) and the database's, SQL statements
per request (deltas of ``ecozone_sql_statements_total`` over the requests counter, summed over
the workers), the ratios to the peer and the floor; the workers' RSS before and after.

On PostgreSQL, then: anonymous Q3 as a registered trusted document (``GET ?documentId=``) from
a second API with the response cache off and from the API of the rounds (cache on), beside
PostGraphile's Q3, in the same turning order; with the servers stopped, in-process profiles by
layer (bench/cpu_profile.py --layers) of Q2, Q3, Q3 signed in, M1 and cached Q3 on the same
database, which the report turns into a "why" section for each missed target (bench/why.py);
and, unless --no-standby, bench/cache_and_replica.py (its own primary and hot standby). Writes
bench/RESULTS.md (--output; before the older one-worker sections) unless --no-write.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import peer_postgraphile as peer
from metrics import per_request
from procstat import snapshot, spent
from report import report
from servers import VENV_BIN, Postgres, Server, ecozone, free_port, say

PY = str(VENV_BIN / "python")

Q1 = """query Q1($number: Int!) { standards(first: 1, filter: {number: $number, kind: JOINT_LOCAL}) {
  ... on StandardConnection { edges { node { id number year titleZh titleEn designations
    stage { code nameZh nameEn } zones { isLead decision zone { slug nameZh nameEn } }
    latestVersion { number changeNote } commentCount } } } } }"""
Q2 = """query Q2($after: String) { experts(first: 100, after: $after) { ... on ExpertConnection {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id nameZh nameEn namePinyin isChief fields categories { code nameZh nameEn } } } } } }"""
Q3 = """query Q3 { standards(first: 50) { ... on StandardConnection {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id number titleZh titleEn stage { code nameZh nameEn }
    zones { isLead decision zone { slug nameZh nameEn } }
    latestVersion { number changeNote }
    ballot { round state panelSize cast yes no abstain passesNow }
    commentCount } } } } }"""
M1 = """mutation M1($input: PostCommentInput!) { postComment(input: $input) {
  __typename ... on ConsultationComment { id seq } } }"""
OPEN_CONSULTATION = """{ standards(first: 1, filter: {state: CONSULTATION}) { ... on StandardConnection {
  edges { node { consultation { id acceptingComments } } } } } }"""
PUBLISHED = """{ standards(first: 1, filter: {state: PUBLISHED, kind: JOINT_LOCAL}) {
  ... on StandardConnection { edges { node { number } } } } }"""
SYSTEMS = ("ecozone", "postgraphile", "floor")
# Q3 as a registered trusted document: the response cache's path (anonymous GET by documentId).
# Another operation name, so that Q3's own text stays unregistered and the rounds run it uncached.
Q3_PUBLIC = Q3.replace("query Q3 ", "query Q3Public ", 1)
PUBLIC_READS = ("uncached", "cached", "postgraphile")
OLDER_SECTIONS = "\n## Issue 8's harness and figures"  # RESULTS.md: a new run goes before them


def run_load(spec: dict) -> dict:
    out = subprocess.run([PY, str(ROOT / "bench" / "load.py"), json.dumps(spec)], check=False,
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"the load generator failed on {spec['base']}{spec['path']}:\n{out.stderr[-3000:]}")
    if out.stderr.strip():
        say(f"load generator: {out.stderr.strip()[:300]}")
    return json.loads(out.stdout)


def measured(server: Server, spec: dict, pg: Postgres | None) -> dict:
    """``run_load`` with each worker's CPU and the database's, from /proc, around it."""
    workers, database = server.worker_pids(), pg.processes() if pg else []
    before, db_before = snapshot(workers), snapshot(database)
    figures = run_load(spec)
    after, db_after = snapshot(workers), snapshot(pg.processes() if pg else [])
    figures["worker_cpu"] = {str(pid): s for pid, s in spent(before, after).items()}
    figures["db_cpu"] = sum(spent(db_before, db_after).values())
    return figures


def gql_spec(server: Server, query: str, variables: dict | None = None, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json", "Accept": "application/graphql-response+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return {"base": f"http://127.0.0.1:{server.port}", "method": "POST", "path": "/graphql", "headers": headers,
            "body": json.dumps({"query": query, "variables": variables or {}}),
            "pid_path": server.pid_path, "pid_kind": server.pid_kind}


def gql(server: Server, query: str, variables: dict | None = None, token: str | None = None) -> dict:
    import httpx
    spec = gql_spec(server, query, variables, token)
    body = httpx.post(spec["base"] + "/graphql", content=spec["body"], headers=spec["headers"], timeout=120).json()
    if "errors" in body:
        raise RuntimeError(body["errors"])
    return body["data"]


def same_rows(api: Server, postgraphile: Server) -> dict[str, str]:
    """The peer's Q2 and Q3 against the API's: the same rows in the same order, or stop."""
    from ecozone.standards.rules import STAGE_CODES
    checks = {"Q2": peer.differences(peer.experts_of_api(gql(api, Q2)),
                                     peer.experts_of_peer(gql(postgraphile, peer.Q2))),
              "Q3": peer.differences(peer.standards_of_api(gql(api, Q3)),
                                     peer.standards_of_peer(gql(postgraphile, peer.Q3), STAGE_CODES))}
    for name, found in checks.items():
        if found:
            raise RuntimeError(f"PostGraphile's {name} differs from ecozone's: " + "; ".join(found))
    q2, q3 = gql(api, Q2)["experts"], gql(api, Q3)["standards"]
    return {"Q2": f"{len(q2['edges'])} experts of {q2['totalCount']}",
            "Q3": f"{len(q3['edges'])} standards of {q3['totalCount']}"}


def production(env: dict) -> dict:
    # Fair use stays on (its bookkeeping is part of a request's cost), with budgets the bench's
    # thousands of requests from one address cannot spend (2,000,000 an hour is ~1,200 Q3s).
    return {**env, "ECOZONE_ENV": "production", "ECOZONE_RATE_LIMIT_ANONYMOUS": "2000000000",
            "ECOZONE_RATE_LIMIT_USER": "2000000000"}


def api_server(name: str, env: dict, args: argparse.Namespace, log: Path) -> Server:
    port = free_port()
    return Server(name, [str(VENV_BIN / "ecozone"), "serve", "--workers", str(args.workers), "--port", str(port)],
                  env, port, "/healthz", log, pid_path="/metrics", pid_kind="metrics")


def start_servers(kind: str, args: argparse.Namespace, work: Path, env: dict, pg: Postgres | None) -> dict:
    prod = production(env)
    servers: dict[str, Server] = {}
    servers["ecozone"] = api_server("api", prod, args, work / f"api-{kind}.log")
    port = free_port()
    servers["floor"] = Server("floor", [str(VENV_BIN / "uvicorn"), "--factory", "floor:create_app",
                                        "--app-dir", str(ROOT / "bench"), "--workers", str(args.workers),
                                        "--port", str(port), "--log-level", "info",
                                        "--timeout-worker-healthcheck", "60"],
                              prod, port, "/q2?first=1", work / f"floor-{kind}.log", pid_path="/pid")
    if pg and args.peer == "postgraphile":
        folder = peer.install()
        peer.prepare(pg.psql)
        port = free_port()
        servers["postgraphile"] = Server(
            f"PostGraphile {peer.version(folder)}", peer.server_argv(folder),
            peer.server_env(folder, pg.app_libpq_url, port, args.workers), port, "/pid",
            work / f"postgraphile-{kind}.log", pid_path="/pid", node=True)
    for server in servers.values():
        server.wait_ready()
    if "postgraphile" in servers:  # PostGraphile answers /pid before its schema is built
        deadline = time.time() + 120
        while True:
            try:
                gql(servers["postgraphile"], "{ __typename }")
                break
            except Exception:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
    return servers


def operations(servers: dict[str, Server], token: str) -> tuple[dict, int]:
    """{system: {operation: load spec}}, and the number of Q2's pages."""
    api, floor = servers["ecozone"], servers["floor"]
    cursor, pages = None, 0  # Q4's cursor: walk Q2's pages to the one before the last
    while True:
        page = gql(api, Q2, {"after": cursor})["experts"]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        cursor = page["pageInfo"]["endCursor"]
    number = gql(api, PUBLISHED)["standards"]["edges"][0]["node"]["number"]
    consultation = gql(api, OPEN_CONSULTATION)["standards"]["edges"][0]["node"]["consultation"]["id"]
    comment = {"input": {"consultationId": consultation, "clause": "5.1",
                         "text": "建议补充抽样方法。", "proposerUnit": "基准测试单位"}}
    floor_base = {"base": f"http://127.0.0.1:{floor.port}", "method": "GET", "headers": {}, "body": "",
                  "pid_path": "/pid", "pid_kind": "text"}
    ops = {"ecozone": {"Q1": gql_spec(api, Q1, {"number": number}), "Q2": gql_spec(api, Q2),
                       "Q3": gql_spec(api, Q3), "Q4": gql_spec(api, Q2, {"after": cursor}),
                       "M1": gql_spec(api, M1, comment, token)},
           "floor": {"Q2": {**floor_base, "path": "/q2"}, "Q3": {**floor_base, "path": "/q3"},
                     "Q4": {**floor_base, "path": f"/q2?after={cursor}"}}}
    if "postgraphile" in servers:
        ops["postgraphile"] = {"Q2": gql_spec(servers["postgraphile"], peer.Q2),
                               "Q3": gql_spec(servers["postgraphile"], peer.Q3)}
    return ops, pages


def rounds(servers: dict[str, Server], ops: dict, args: argparse.Namespace, pg: Postgres | None,
           kind: str) -> dict:
    """{system: {operation: [figures of each round]}}: the systems take turns going first."""
    results: dict[str, dict[str, list]] = {s: {name: [] for name in ops[s]} for s in ops}
    present = [s for s in SYSTEMS if s in ops]
    for number in range(args.rounds):
        order = present[number % len(present):] + present[:number % len(present)]
        for name in ("Q2", "Q3", "Q4", "Q1", "M1"):
            for system in order:
                if name not in ops[system]:
                    continue
                requests = args.requests if name != "M1" else max(50, args.requests // 4)
                spec = {**ops[system][name], "requests": requests, "concurrency": args.concurrency,
                        "workers": args.workers, "stagger": args.stagger, "client": args.client}
                figures = measured(servers[system], spec, pg)
                results[system][name].append(figures)
                cpu = figures["worker_cpu"]
                say(f"{kind} round {number + 1}: {system:<12} {name} {figures['rps']:7.1f} req/s  "
                    f"p50 {figures['p50']:6.1f} ms  p99 {figures['p99']:6.1f} ms  worker CPU "
                    f"{'/'.join(f'{s:.1f}' for s in cpu.values())} s  connections "
                    f"{'/'.join(str(c) for c in figures['connections'].values())}  "
                    f"failures {figures['failures']}")
    return results


def doc_spec(server: Server, document: str) -> dict:
    """An anonymous ``GET /graphql?documentId=…``: a trusted document, the response cache's path."""
    return {"base": f"http://127.0.0.1:{server.port}", "method": "GET", "path": f"/graphql?documentId={document}",
            "headers": {"Accept": "application/graphql-response+json"}, "body": "",
            "pid_path": server.pid_path, "pid_kind": server.pid_kind}


def public_reads(servers: dict[str, Server], args: argparse.Namespace, work: Path, env: dict,
                 pg: Postgres, document: str, kind: str) -> dict[str, list]:
    """Anonymous Q3 by trusted document uncached (a second API, the response cache off) and
    cached (the API of the rounds, cache on by default), beside PostGraphile's Q3, in the same
    turning order over ``--rounds`` rounds. No write happens meanwhile: the cache holds."""
    nocache = api_server("api (response cache off)", {**production(env), "ECOZONE_RESPONSE_CACHE_BYTES": "0"},
                         args, work / f"api-nocache-{kind}.log")
    try:
        nocache.wait_ready()
        specs = {"uncached": (nocache, doc_spec(nocache, document)),
                 "cached": (servers["ecozone"], doc_spec(servers["ecozone"], document))}
        if "postgraphile" in servers:
            specs["postgraphile"] = (servers["postgraphile"], gql_spec(servers["postgraphile"], peer.Q3))
        for _server, spec in specs.values():  # warm up; the cached one fills its workers' caches
            run_load({**spec, "requests": 40, "concurrency": args.concurrency, "workers": args.workers,
                      "stagger": 0.05, "client": args.public_client})
        present = [name for name in PUBLIC_READS if name in specs]
        results: dict[str, list] = {name: [] for name in present}
        for number in range(args.rounds):
            for name in present[number % len(present):] + present[:number % len(present)]:
                server, spec = specs[name]
                requests = args.requests * (4 if name == "cached" else 1)  # fast: more for a steady figure
                figures = measured(server, {**spec, "requests": requests, "concurrency": args.concurrency,
                                            "workers": args.workers, "stagger": args.stagger,
                                            "client": args.public_client}, pg)
                results[name].append(figures)
                say(f"{kind} public reads round {number + 1}: {name:<12} {figures['rps']:7.1f} req/s  "
                    f"p50 {figures['p50']:6.1f} ms  p99 {figures['p99']:6.1f} ms  worker CPU "
                    f"{'/'.join(f'{s:.2f}' for s in figures['worker_cpu'].values())} s  "
                    f"failures {figures['failures']}")
        return results
    finally:
        nocache.stop()


def profiles(args: argparse.Namespace, env: dict, token: str, comment: dict, document: str | None,
             kind: str) -> dict[str, dict]:
    """In-process profiles by layer (bench/cpu_profile.py --layers) of the operations with a
    target, on the same database, after the servers stopped (nothing else of the bench runs)."""
    jobs = {"Q2": ["Q2"], "Q3": ["Q3"], "Q3 signed in": ["Q3", "--signed-in", token],
            "M1": ["M1", "--signed-in", token, "--variables", json.dumps(comment)]}
    if document:
        jobs["Q3 cached"] = ["Q3", "--document-id", document]
    found: dict[str, dict] = {}
    for name, argv in jobs.items():
        say(f"{kind}: profiling {name} in-process ({args.profile_requests} requests, then as many under cProfile)")
        out = subprocess.run([PY, str(ROOT / "bench" / "cpu_profile.py"), *argv, "--layers", "--json",
                              "--requests", str(args.profile_requests)], env=production(env), cwd=ROOT,
                             capture_output=True, text=True, timeout=900, check=False)
        if out.returncode != 0:
            found[name] = {"error": out.stderr.strip()[-1500:]}
            say(f"{kind}: the profile of {name} failed: {out.stderr.strip()[-300:]}")
        else:
            found[name] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


def bench_engine(kind: str, args: argparse.Namespace, work: Path) -> dict:
    secret = secrets.token_urlsafe(48)
    env = {**os.environ, "ECOZONE_VAR_DIR": str(work / "var"), "ECOZONE_SECRET": secret}
    pg = None
    if kind == "postgresql":
        pg = Postgres(work)
        say(f"postgresql: starting a throwaway cluster on port {pg.port}")
        pg.start()
        env.update(ECOZONE_DATABASE_URL=pg.app_url, ECOZONE_MIGRATION_DATABASE_URL=pg.operator_url)
    else:
        url = f"sqlite+aiosqlite:///{work / 'ecozone.sqlite3'}"
        env.update(ECOZONE_DATABASE_URL=url, ECOZONE_MIGRATION_DATABASE_URL=url)
    servers: dict[str, Server] = {}
    try:
        ecozone(env, "db", "upgrade")
        if pg:
            pg.create_app_login()
        ecozone(env, "tenants", "sync")
        started = time.perf_counter()
        ecozone(env, "demo", "--scale", str(args.scale), capture=True)
        load_seconds = time.perf_counter() - started
        say(f"{kind}: demo + scale {args.scale} loaded in {load_seconds:.0f} s")
        ecozone(env, "grant", "bench-member", "member", "jiangxi", "--create")
        token = ecozone(env, "token", "bench-member", capture=True).strip()
        document = None
        if pg:  # before the servers start: they read the trusted documents at start-up
            from ecozone.trusted.rules import document_id
            (work / "q3-public.graphql").write_text(Q3_PUBLIC)
            ecozone(env, "documents", "register", "--client", "bench", str(work / "q3-public.graphql"),
                    capture=True)
            document = document_id(Q3_PUBLIC)
        servers = start_servers(kind, args, work, env, pg)
        api = servers["ecozone"]
        ops, pages = operations(servers, token)
        equivalence = same_rows(api, servers["postgraphile"]) if "postgraphile" in servers else None
        if equivalence:
            say(f"{kind}: PostGraphile answers the same rows in the same order: {equivalence}")
        say(f"{kind}: Q2 has {pages} pages; warming up")
        for specs in ops.values():
            for name, spec in specs.items():
                run_load({**spec, "requests": 30 if name != "M1" else 5, "concurrency": 2,
                          "workers": args.workers, "stagger": 0.0})
        rss_before = {s: server.rss_mb() for s, server in servers.items()}
        results = rounds(servers, ops, args, pg, kind)
        statements = {name: per_request(api.port, spec, args.workers, run_load)
                      for name, spec in ops["ecozone"].items()}
        # A signed-in read: roles are loaded and checked (anonymous reads check nothing).
        signed_in = per_request(api.port, gql_spec(api, Q3, token=token), args.workers, run_load)
        say(f"{kind}: Q3 signed in: sql/req {signed_in['sql']:.2f}, permission checks "
            f"{signed_in['authz']:.1%} of the request time")
        rss_after = {s: server.rss_mb() for s, server in servers.items()}
        public = None
        if document:
            try:
                public = public_reads(servers, args, work, env, pg, document, kind)
            except Exception as exc:  # noqa: BLE001 - the rounds' figures stand; the report says what failed
                say(f"{kind}: the public reads failed: {exc!r}")
                public = {"error": repr(exc)[-1500:]}
        long_run = long_rss_run(api, ops["ecozone"], args, kind) if args.long else None
        for server in servers.values():  # the profiles run alone
            server.stop()
        found = (profiles(args, env, token, json.loads(ops["ecozone"]["M1"]["body"])["variables"], document, kind)
                 if args.profile_requests else {})
        return {"public": public, "profiles": found,"engine": kind, "load_seconds": load_seconds, "results": results, "statements": statements,
                "signed_in": signed_in, "rss_before": rss_before, "rss_after": rss_after, "long": long_run,
                "q2_pages": pages, "equivalence": equivalence,
                "names": {s: server.name for s, server in servers.items()}}
    finally:
        for server in servers.values():
            server.stop()
        if pg:
            pg.stop()


def long_rss_run(api: Server, ops: dict, args: argparse.Namespace, kind: str) -> dict:
    """``--long N``: N more requests in chunks of Q1, Q2 and Q3 in turn, with the workers' RSS
    after every tenth of the run, to see whether memory stays flat."""
    chunk = max(1, args.long // 30)
    samples = [(0, api.rss_mb())]
    done, failures, seconds = 0, 0, 0.0
    while done < args.long:
        name = ("Q1", "Q2", "Q3")[(done // chunk) % 3]
        figures = run_load({**ops[name], "requests": min(chunk, args.long - done),
                            "concurrency": args.concurrency, "workers": args.workers, "stagger": args.stagger})
        done += figures["requests"]
        failures += figures["failures"]
        seconds += figures["requests"] / figures["rps"]
        if done % (3 * chunk) == 0 or done >= args.long:
            samples.append((done, api.rss_mb()))
            say(f"{kind}: long run {done:,}/{args.long:,} requests, RSS {samples[-1][1]} MB")
    return {"requests": done, "failures": failures, "rps": done / seconds, "samples": samples}


def run_standby(args: argparse.Namespace, work: Path) -> dict:
    """bench/cache_and_replica.py in a process of its own (its own primary and hot standby, its own
    demo data): anonymous Q3 by trusted document uncached, cached and on the standby. A failure
    is reported, not fatal: the rest of the run stands."""
    rounds = max(1, min(2, args.rounds))
    argv = [PY, str(ROOT / "bench" / "cache_and_replica.py"), "--scale", str(args.scale), "--requests",
            str(args.requests), "--rounds", str(rounds), "--workers", str(args.workers),
            "--concurrency", str(args.concurrency), "--client", args.public_client,
            "--json", str(work / "standby.json")]
    command = " ".join([".venv/bin/python", "bench/cache_and_replica.py", *argv[2:-2]])
    say(f"standby: {command}")
    out = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=None, text=True, check=False)
    if out.returncode != 0 or not (work / "standby.json").exists():
        return {"command": command, "error": f"exit status {out.returncode}; see its output above"}
    return {"command": command, **json.loads((work / "standby.json").read_text())}


def main() -> None:
    parser = argparse.ArgumentParser(description="API benchmark against a peer and a hand-written floor")
    parser.add_argument("--engine", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--peer", choices=["postgraphile", "none"], default="none",
                        help="PostGraphile 4.14 (PostgreSQL only), installed from npm into ~/.cache")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=500, help="per operation and round")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--stagger", type=float, default=0.1,
                        help="seconds between the opening of the load generator's connections")
    parser.add_argument("--client", choices=["httpx", "raw"], default="httpx",
                        help="the load generator's HTTP client in the rounds (httpx: as the issue's table)")
    parser.add_argument("--public-client", choices=["httpx", "raw"], default="raw",
                        help="its client for the public reads (raw: hand-written HTTP/1.1, ~0.1 ms a "
                             "request, so that the cache's rate is not bounded by httpx's CPU)")
    parser.add_argument("--profile-requests", type=int, default=60,
                        help="requests per in-process profile of the \"why\" sections (0: none)")
    parser.add_argument("--no-standby", action="store_true",
                        help="skip bench/cache_and_replica.py (a primary and a hot standby; PostgreSQL only)")
    parser.add_argument("--long", type=int, default=0, help="then N more requests to watch RSS")
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    command = " ".join([".venv/bin/python", "bench/run.py", *sys.argv[1:]])
    work = Path(tempfile.mkdtemp(prefix="ecozone-bench-"))
    os.chmod(work, 0o755)
    engines = ["postgresql", "sqlite"] if args.engine == "both" else [args.engine]
    try:
        runs = []
        for kind in engines:
            (work / kind).mkdir(parents=True)
            runs.append(bench_engine(kind, args, work / kind))
        standby = None
        if "postgresql" in engines and not args.no_standby:
            standby = run_standby(args, work)
        text_ = report(runs, args, command, standby)
        print(text_)
        (work.parent / f"{work.name}.json").write_text(json.dumps(runs, default=str))
        if not args.no_write:
            path = Path(args.output)
            previous = path.read_text() if path.exists() else "# Benchmark results\n\n"
            # Beside issue 20's other figures, before the older (one-worker) sections, if they are there.
            head, marker, rest = previous.partition(OLDER_SECTIONS)
            if marker:
                path.write_text(head.rstrip() + "\n\n" + text_ + "\n" + marker + rest)
            else:
                path.write_text(previous.rstrip() + "\n\n" + text_ + "\n")
            say(f"written to {path}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
