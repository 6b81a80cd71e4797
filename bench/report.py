"""The report of bench/run.py: machine, per-engine tables (ecozone, the peer, the floor, side by
side from the same rounds) and the targets met or missed."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
from pathlib import Path

LABELS = {"ecozone": "ecozone", "postgraphile": "PostGraphile", "floor": "the hand-written floor"}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))) / 2**20
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def combined(rounds: list[dict]) -> dict:
    """One operation's figures over its rounds: requests/s over the summed time, the median
    round's p50 and p99, CPU summed per worker, each worker's share of its server's CPU."""
    requests = sum(r["requests"] for r in rounds)
    wall = sum(r.get("wall", r["requests"] / r["rps"]) for r in rounds)
    workers: dict[str, float] = {}
    for r in rounds:
        for pid, seconds in r.get("worker_cpu", {}).items():
            workers[pid] = workers.get(pid, 0.0) + seconds
    server_cpu = sum(workers.values())
    return {"requests": requests, "rps": requests / wall if wall else float("nan"),
            "rounds_rps": [r["rps"] for r in rounds],
            "p50": statistics.median(r["p50"] for r in rounds), "p99": statistics.median(r["p99"] for r in rounds),
            "failures": sum(r["failures"] for r in rounds),
            "client_ms": sum(r.get("client_ms", 0) * r["requests"] for r in rounds) / requests,
            "cpu_ms": server_cpu / requests * 1000, "db_ms": sum(r.get("db_cpu", 0) for r in rounds) / requests * 1000,
            "shares": [s / server_cpu if server_cpu else 0.0 for s in workers.values()],
            "connections": ["/".join(str(c) for c in r.get("connections", {}).values()) for r in rounds]}


def figures(run: dict) -> dict[str, dict[str, dict]]:
    """{system: {operation: combined figures}}, with ecozone's statements and permission checks."""
    out = {system: {name: combined(rounds) for name, rounds in ops.items()} for system, ops in run["results"].items()}
    for name, counted in run.get("statements", {}).items():
        out["ecozone"][name].update(counted)
    return out


def _ratio(a: float, b: float | None) -> str:
    return f"{a / b:.2f}×" if b else ""


def summary(run: dict, f: dict) -> str:
    """The issue's table: Q2 and Q3 of every system, with its ratios to the peer and the floor."""
    peer, floor = f.get("postgraphile", {}), f["floor"]
    lines = [("| | Q2 req/s | Q3 req/s | × PostGraphile Q2 / Q3 | × floor Q2 / Q3 | "
             "server CPU ms/request Q2 / Q3 | database CPU ms/request Q2 / Q3 |"),
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for system in ("ecozone", "postgraphile", "floor"):
        if system not in f:
            continue
        q2, q3 = f[system]["Q2"], f[system]["Q3"]
        to_peer = (f"{_ratio(q2['rps'], peer['Q2']['rps'])} / {_ratio(q3['rps'], peer['Q3']['rps'])}"
                   if peer else "")
        label = run["names"][system] if system == "postgraphile" else LABELS[system]
        lines.append(f"| {label} | {q2['rps']:.0f} | {q3['rps']:.0f} | "
                     f"{to_peer} | {_ratio(q2['rps'], floor['Q2']['rps'])} / {_ratio(q3['rps'], floor['Q3']['rps'])} | "
                     f"{q2['cpu_ms']:.1f} / {q3['cpu_ms']:.1f} | {q2['db_ms']:.1f} / {q3['db_ms']:.1f} |")
    return "\n".join(lines)


def table(run: dict, f: dict) -> str:
    lines = [("| system | operation | req/s | req/s per round | p50 ms | p99 ms | p99/p50 | SQL/request | "
             "permission checks | server CPU ms/request | database CPU ms/request | CPU share per worker | "
             "connections per worker, per round | load generator CPU ms/request | failures |"),
             "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |"]
    for system, ops in f.items():
        for name, x in ops.items():
            sql = f"{x['sql']:.1f}" if "sql" in x else ""
            authz = f"{x['authz']:.1%}" if "authz" in x else ""
            lines.append(
                f"| {LABELS[system]} | {name} | {x['rps']:.0f} | {', '.join(f'{r:.0f}' for r in x['rounds_rps'])} | "
                f"{x['p50']:.1f} | {x['p99']:.1f} | {x['p99'] / x['p50']:.1f} | {sql} | {authz} | "
                f"{x['cpu_ms']:.1f} | {x['db_ms']:.1f} | {' / '.join(f'{s:.0%}' for s in x['shares'])} | "
                f"{', '.join(x['connections'])} | {x['client_ms']:.1f} | {x['failures']} |")
    return "\n".join(lines)


def targets(run: dict, f: dict | None = None) -> list[str]:
    f = f or figures(run)
    r, floor, peer = f["ecozone"], f["floor"], f.get("postgraphile")
    checks = []
    if peer:
        for name in ("Q2", "Q3"):
            checks.append((f"{name} ≥ 1.0× PostGraphile req/s", r[name]["rps"] >= peer[name]["rps"],
                           f"{r[name]['rps'] / peer[name]['rps']:.2f}×"))
    checks += [
        ("Q3 SQL statements ≤ 6", round(r["Q3"]["sql"], 2) <= 6, f"{r['Q3']['sql']:.1f}"),
        ("Q3 signed in SQL statements ≤ 6", round(run["signed_in"]["sql"], 2) <= 6,
         f"{run['signed_in']['sql']:.1f}"),
        ("Q2 ≥ 0.5× floor req/s", r["Q2"]["rps"] >= 0.5 * floor["Q2"]["rps"],
         f"{r['Q2']['rps'] / floor['Q2']['rps']:.2f}×"),
        ("Q3 ≥ 0.5× floor req/s", r["Q3"]["rps"] >= 0.5 * floor["Q3"]["rps"],
         f"{r['Q3']['rps'] / floor['Q3']['rps']:.2f}×"),
        ("Q4 p50 ≤ 1.5× Q2 p50", r["Q4"]["p50"] <= 1.5 * r["Q2"]["p50"],
         f"{r['Q4']['p50'] / r['Q2']['p50']:.2f}×"),
    ]
    for name in ("Q1", "Q2", "Q3", "Q4", "M1"):
        checks.append((f"{name} p99 ≤ 3× p50", r[name]["p99"] <= 3 * r[name]["p50"],
                       f"{r[name]['p99'] / r[name]['p50']:.2f}×; p50 {r[name]['p50']:.1f} ms, p99 {r[name]['p99']:.1f} ms"))
    # Both workers busy: every worker of every server did at least 30 % of its server's work
    # on every operation (an even spread over 2 workers is 50 %).
    least = min(((min(x["shares"]), f"{LABELS[s]} {n}") for s, ops in f.items() for n, x in ops.items()
                 if x["shares"]), default=None)
    if least:
        workers = max(len(x["shares"]) for ops in f.values() for x in ops.values())
        checks.append((f"every worker busy (each ≥ {0.6 / workers:.0%} of its server's CPU, every operation)",
                       least[0] >= 0.6 / workers, f"least: {least[0]:.0%}, {least[1]}"))
    public = public_figures(run)
    if public and "postgraphile" in public:
        ratio = public["cached"]["rps"] / public["postgraphile"]["rps"]
        checks.append(("anonymous Q3 from the response cache ≥ 5× PostGraphile req/s", ratio >= 5,
                       f"{ratio:.2f}×; uncached {public['uncached']['rps'] / public['postgraphile']['rps']:.2f}×"))
    elif (run.get("public") or {}).get("error"):
        checks.append(("anonymous Q3 from the response cache ≥ 5× PostGraphile req/s", False,
                       "not measured: the public reads failed in this run"))
    failed = sum(x["failures"] for ops in f.values() for x in ops.values())
    failed += sum(x["failures"] for x in (public or {}).values())
    checks.append(("every request answered (no failure on any system)", failed == 0, f"{failed} failures"))
    authz = {"M1": r["M1"]["authz"], "Q3 signed in": run["signed_in"]["authz"]}
    for name, share in authz.items():
        checks.append((f"{name}: permission checks ≤ 10 % of the request time", share <= 0.10,
                       f"{share:.1%}"))
    if run["long"]:
        growth = rss_growth(run["long"]["samples"])
        checks.append((("RSS flat over the long run (per worker, the highest RSS of the second half "
                       "at most 10 MB above that of the first, after the first tenth)"), growth <= 10,
                       f"{growth:+.1f} MB"))
    return [f"- {'met' if ok else '**missed**'}: {label} ({value})" for label, ok, value in checks]


def public_figures(run: dict) -> dict | None:
    """The public reads' rounds (bench/run.py ``public_reads``) combined as the others are."""
    public = run.get("public")
    if not public or "error" in public:
        return None
    return {name: combined(rounds) for name, rounds in public.items() if rounds}


CLIENTS = {"httpx": "httpx", "raw": "hand-written HTTP/1.1 keep-alive connections (bench/load.py RawConnection)"}
PUBLIC_LABELS = {"uncached": "ecozone, trusted document, response cache off",
                 "cached": "ecozone, trusted document, response cache on",
                 "postgraphile": "PostGraphile, Q3 (it has no response cache)"}


def public_table(public: dict) -> str:
    peer, uncached = public.get("postgraphile"), public["uncached"]
    lines = [("| anonymous Q3 | req/s | req/s per round | × PostGraphile | × uncached | p50 ms | p99 ms | "
             "server CPU ms/request | database CPU ms/request | load generator CPU ms/request | "
             "CPU share per worker | failures |"),
             "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"]
    for name, x in public.items():
        lines.append(f"| {PUBLIC_LABELS[name]} | {x['rps']:.0f} | {', '.join(f'{r:.0f}' for r in x['rounds_rps'])} | "
                     f"{_ratio(x['rps'], peer['rps']) if peer else ''} | {_ratio(x['rps'], uncached['rps'])} | "
                     f"{x['p50']:.1f} | {x['p99']:.1f} | {x['cpu_ms']:.2f} | {x['db_ms']:.2f} | {x['client_ms']:.2f} | "
                     f"{' / '.join(f'{s:.0%}' for s in x['shares'])} | {x['failures']} |")
    return "\n".join(lines)


def standby_lines(standby: dict | None, args: argparse.Namespace) -> list[str]:
    how = (f"`.venv/bin/python bench/cache_and_replica.py --scale {args.scale} --requests {args.requests} "
           "--rounds 2`")
    if standby is None:
        return ["### A hot standby for anonymous reads", "",
                f"Not run (`--no-standby`, or no PostgreSQL engine); to measure it: {how}.", ""]
    if "error" in standby:
        return ["### A hot standby for anonymous reads", "",
                f"`{standby['command']}` failed in this run ({standby['error']}); run it alone: {how}.", ""]
    m = standby["medians"]
    out = ["### A hot standby for anonymous reads (bench/cache_and_replica.py, in this run)", "",
           (f"`{standby['command']}`: its own primary and a streaming standby (`pg_basebackup -R`), "
           f"`demo --scale {standby['scale']}`, the API with 2 workers in one configuration at a time, "
           f"anonymous Q3 by trusted document, {standby['requests']} requests × {standby['rounds']} rounds "
           "(medians):"), "",
           "| configuration | req/s | p50 ms | p99 ms | CPU ms/request: workers | primary | standby | × uncached |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, x in m.items():
        out.append(f"| {name} | {x['rps']:.0f} | {x['p50']:.1f} | {x['p99']:.1f} | {x['cpu_ms']:.2f} | "
                   f"{x['primary_ms']:.2f} | {x['standby_ms']:.2f} | {x['rps'] / m['uncached']['rps']:.2f}× |")
    out += ["", ("On one machine the standby shares the cores with the primary: it moves the database's work "
            "(the standby column) off the primary rather than adding capacity; on a host of its own it adds it."), ""]
    return out


def rss_growth(samples: list[tuple[int, list[float]]]) -> float:
    """The worst worker's growth between the halves of a long run, warm-up (the first tenth)
    left out. Peaks, not single samples: the allocator gives memory back and takes it again
    from one sample to the next, while a leak raises every peak."""
    warm = samples[1:]  # samples[0] is before the run, samples[1] after its first tenth
    half = len(warm) // 2
    first, second = warm[:half], warm[half:]
    return max(max(s[1][w] for s in second) - max(s[1][w] for s in first)
               for w in range(len(samples[0][1])))


def report(runs: list[dict], args: argparse.Namespace, command: str, standby: dict | None = None) -> str:
    import why  # bench/why.py (bench/ is on the path of bench/run.py)

    m1 = max(50, args.requests // 4)
    out = [f"## Run of {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC (issue 20 harness: both workers busy)", "",
           f"- command: `{command}`", f"- machine: {machine()}",
           f"- load average at the end {os.getloadavg()[0]:.1f} (other work shares the machine)",
           (f"- {args.rounds} round{'s' if args.rounds != 1 else ''}; in each, {args.requests} requests per query operation (M1: {m1}) per "
           f"system, the systems in a turning order (ecozone, peer, floor; then peer, floor, ecozone; …); "
           f"concurrency {args.concurrency}, {args.workers} workers per server; the load generator "
           f"({CLIENTS[getattr(args, 'client', 'httpx')]}, bench/load.py) in its own process on loopback, sharing the cores, opens its "
           f"connections {args.stagger:g} s apart and spreads them evenly over each server's workers "
           "(asking each connection's worker its pid)"),
           ("- req/s over the rounds' summed time; p50 and p99 of the median round; CPU from "
           "/proc/<pid>/stat of each worker (server) and of every PostgreSQL process (database), "
           "per request"), ""]
    for run in runs:
        f = figures(run)
        out += [(f"### {run['engine']} (scale {args.scale}, loaded in {run['load_seconds']:.0f} s; "
                f"Q2 has {run['q2_pages']} pages)"), "", summary(run, f), ""]
        if run.get("equivalence"):
            e = run["equivalence"]
            out += [(f"Before timing, the harness compared PostGraphile's answers with ecozone's: the same "
                    f"rows in the same order (Q2: {e['Q2']}; Q3: {e['Q3']}; every field read from the "
                    "database, row by row)."), ""]
        out += [table(run, f), "",
                "RSS of the workers (MB), before → after: " + "; ".join(
                    f"{LABELS[s]} {run['rss_before'][s]} → {run['rss_after'][s]}" for s in run["rss_before"]), ""]
        s = run["signed_in"]
        out += [(f"Q3 signed in (a member's token: roles loaded, permission checks): "
                f"{s['sql']:.1f} SQL statements per request, permission checks {s['authz']:.1%} of the "
                "request time"), ""]
        if run["long"]:
            lr = run["long"]
            out += [(f"Long run, {lr['requests']:,} requests (Q1, Q2 and Q3 in chunks, in turn), "
                    f"{lr['rps']:.0f} req/s, failures {lr['failures']}; RSS of the API workers (MB) "
                    "after N requests:"), "",
                    "| requests | " + " | ".join(f"worker {i + 1}" for i in range(len(lr["samples"][0][1])))
                    + " |", "| ---: |" + " ---: |" * len(lr["samples"][0][1]),
                    *(f"| {n:,} | " + " | ".join(f"{mb:.1f}" for mb in rss) + " |" for n, rss in lr["samples"]),
                    ""]
        public = public_figures(run)
        if (run.get("public") or {}).get("error"):
            out += [f"Anonymous public reads (cached and uncached): failed in this run: `{run['public']['error']}`", ""]
        if public:
            out += [("Anonymous public reads, cached and uncached side by side (Q3 registered as a trusted "
                    "document, `GET /graphql?documentId=…`; the uncached one from a second API with "
                    "`ECOZONE_RESPONSE_CACHE_BYTES=0`, the cached one from the API of the rounds; PostGraphile's "
                    f"Q3 measured again in the same turning order; {args.rounds} round{'s' if args.rounds != 1 else ''} of {args.requests} "
                    f"requests, the cached one {4 * args.requests}; no write meanwhile; the load generator's client: "
                    f"{CLIENTS[getattr(args, 'public_client', 'httpx')]}):"), "", public_table(public), ""]
        out += ["Targets:", "", *targets(run, f), ""]
        out += why.sections(run, f, public, args)
    if any(run["engine"] == "postgresql" for run in runs):
        out += standby_lines(standby, args)
    return "\n".join(out)
