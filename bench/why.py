"""bench/run.py's "why" sections: for each missed target of issue 20, the profile of ecozone
answering that operation (bench/cpu_profile.py --layers, the same database, in the same run)
beside the CPU per request measured under load for ecozone and PostGraphile, and the arithmetic
of what it would take. Everything here is derived from the run's figures; nothing is typed in."""

from __future__ import annotations

import os

GROUPS = (("GraphQL", "GraphQL:"), ("SQLAlchemy", "SQLAlchemy"), ("driver (asyncpg)", "driver:"),
          ("JSON", "JSON"), ("ecozone's own code", "ecozone:"), ("asyncio", "asyncio"))


def _grouped(layers: list[dict]) -> list[tuple[str, float]]:
    totals: dict[str, float] = {}
    for row in layers:
        group = next((g for g, prefix in GROUPS if row["layer"].startswith(prefix)), "other")
        totals[group] = totals.get(group, 0.0) + row["ms"]
    return sorted(totals.items(), key=lambda kv: -kv[1])


def profile_lines(name: str, p: dict | None, top: int = 12) -> list[str]:
    """The profile of ``name`` as Markdown: per-request figures, the layers, the grouped layers."""
    if not p:
        return [f"(no profile of {name} in this run)", ""]
    if "error" in p:
        return [f"The profile of {name} failed in this run: `{p['error'][-400:]}`", ""]
    out = [(f"In-process profile of ecozone answering {name} (`bench/cpu_profile.py --layers`, same database, "
           f"servers stopped, {p['requests']} requests measured, then {p['requests']} under cProfile with a CPU "
           f"clock): {p['server_cpu_ms']:.1f} ms of the server's CPU per request (least {p['least_cpu_ms']:.1f} "
           f"incl. the in-process client), {p['waiting_ms']:.1f} ms waiting beyond it (PostgreSQL's work and "
           f"the round trips, one request at a time), {p['calls']:,.0f} function calls, "
           f"{len(p['statements'])} SQL statements."), "",
           "| layer | ms/request | share | calls/request |", "| --- | ---: | ---: | ---: |"]
    for row in p["layers"][:top]:
        out.append(f"| {row['layer']} | {row['ms']:.2f} | {row['share']:.0%} | {row['calls']:,.0f} |")
    rest = p["layers"][top:]
    if rest:
        out.append(f"| {len(rest)} smaller layers | {sum(r['ms'] for r in rest):.2f} | "
                   f"{sum(r['share'] for r in rest):.0%} | {sum(r['calls'] for r in rest):,.0f} |")
    out += ["", "By group: " + "; ".join(f"{g} {ms:.1f} ms" for g, ms in _grouped(p["layers"])) + ".", ""]
    return out


def _cut(p: dict, needed_ms: float) -> str:
    """Which of the largest layers would have to go entirely to save ``needed_ms`` in-process."""
    saved, names = 0.0, []
    for row in p["layers"]:
        if saved >= needed_ms:
            break
        saved += row["ms"]
        names.append(f"{row['layer']} ({row['ms']:.1f} ms)")
    if saved < needed_ms:
        return "more than every layer of the server's Python together"
    return f"the {len(names)} largest layer{'s' if len(names) > 1 else ''} removed entirely: " + ", ".join(names)


def versus_peer(name: str, f: dict, p: dict | None, cores: int, workers: int) -> list[str]:
    """Q2 or Q3 below PostGraphile's req/s: the CPU per request on both sides and what it would take."""
    e, g = f["ecozone"][name], f["postgraphile"][name]
    total_e = e["cpu_ms"] + e["db_ms"] + e["client_ms"]
    total_g = g["cpu_ms"] + g["db_ms"] + g["client_ms"]
    # Matching PostGraphile's rate: a worker (one thread) must not take longer than the rate
    # allows, and the machine's cores must fit the server, the database and the load generator.
    per_worker = workers * 1000 / g["rps"]
    per_machine = total_g - e["db_ms"] - e["client_ms"]
    needed = min(per_worker, per_machine)
    out = [f"#### Why {name} is at {e['rps'] / g['rps']:.2f}× PostGraphile", "",
           (f"Under load (from /proc, per request): ecozone's workers spend **{e['cpu_ms']:.1f} ms** of CPU, "
           f"PostgreSQL {e['db_ms']:.1f} ms, the load generator {e['client_ms']:.1f} ms; PostGraphile's workers "
           f"**{g['cpu_ms']:.1f} ms**, PostgreSQL {g['db_ms']:.1f} ms, the load generator {g['client_ms']:.1f} ms"
           + (f"; the hand-written floor's workers {f['floor'][name]['cpu_ms']:.1f} ms, PostgreSQL "
              f"{f['floor'][name]['db_ms']:.1f} ms (the floor ratio targets are missed or met by the same "
              "CPU)" if "floor" in f and name in f["floor"] else "") + ". "
           f"A request costs the machine {total_e:.1f} ms against {total_g:.1f} ms "
           f"({total_e / total_g:.2f}×), and the server alone {e['cpu_ms'] / g['cpu_ms']:.1f}× PostGraphile's."),
           "",
           (f"What it would take: PostGraphile's {g['rps']:.0f} req/s on {workers} workers and {cores} cores "
           f"allow a worker at most {per_worker:.1f} ms of CPU per request, and leave the server "
           f"{per_machine:.1f} ms of the {total_g:.1f} ms a request may cost the machine once ecozone's "
           f"database ({e['db_ms']:.1f}) and load generator ({e['client_ms']:.1f}) work is paid. So ecozone's "
           f"server must drop from {e['cpu_ms']:.1f} to **{max(needed, 0):.1f} ms** per request "
           f"({(needed - e['cpu_ms']) / e['cpu_ms']:+.0%}).")]
    if needed <= 0:
        out[-1] += " That is below zero: the database and load-generator work of ecozone's statements alone " \
                   "exceed what a PostGraphile request costs, so the SQL must change too (one statement " \
                   "building the JSON, as PostGraphile does)."
    if p and "layers" in p and p["server_cpu_ms"] > 0 and needed > 0:
        ratio = e["cpu_ms"] / p["server_cpu_ms"]  # under load / in-process (uvicorn's HTTP, contention)
        target = needed / ratio
        out[-1] += (f" In-process the same request takes {p['server_cpu_ms']:.1f} ms; a worker under load "
                    f"spent {ratio:.2f}× that (uvicorn's HTTP handling and the machine's contention make the "
                    "difference), so in-process it must "
                    f"fall to {target:.1f} ms, {p['server_cpu_ms'] - target:.1f} ms less: "
                    f"{_cut(p, p['server_cpu_ms'] - target)}. The largest layer is "
                    f"{p['layers'][0]['layer']} at {p['layers'][0]['ms']:.1f} ms.")
    return [*out, "", *profile_lines(name, p)]


def cached(public: dict, p: dict | None, cores: int) -> list[str]:
    """Cached anonymous Q3 below 5× PostGraphile's req/s."""
    c, g = public["cached"], public["postgraphile"]
    total = c["cpu_ms"] + c["db_ms"] + c["client_ms"]
    goal = 5 * g["rps"]
    allowed = cores * 1000 / goal
    out = [("#### Why cached anonymous Q3 is at " f"{c['rps'] / g['rps']:.2f}× PostGraphile (target 5×)"), "",
           (f"5× PostGraphile's {g['rps']:.0f} req/s is {goal:.0f} req/s: on {cores} cores every request may "
           f"cost the machine at most {allowed:.2f} ms of CPU. A cached answer costs the workers "
           f"{c['cpu_ms']:.2f} ms, PostgreSQL {c['db_ms']:.2f} ms (fair use's spend, the data version's read) "
           f"and the load generator {c['client_ms']:.2f} ms: {total:.2f} ms, so this machine tops out near "
           f"{cores * 1000 / total:.0f} req/s (measured {c['rps']:.0f}).")]
    if c["client_ms"] >= allowed:
        out[-1] += (f" The load generator alone ({c['client_ms']:.2f} ms) exceeds {allowed:.2f} ms: with it on "
                    "the same cores the target cannot be shown here, whatever the server does; it takes the "
                    "load generator on cores of its own (another host) or a cheaper client.")
    else:
        out[-1] += (f" Within the {allowed:.2f} ms, after the load generator's {c['client_ms']:.2f} ms, the "
                    f"server and database may spend {allowed - c['client_ms']:.2f} ms together "
                    f"(now {c['cpu_ms'] + c['db_ms']:.2f}).")
    return [*out, "", *profile_lines("cached anonymous Q3", p, top=8)]


def statements(signed_in: dict, p: dict | None) -> list[str]:
    out = [f"#### Why Q3 signed in takes {signed_in['sql']:.1f} SQL statements (target ≤ 6)", ""]
    if p and p.get("statements"):
        out += [(f"The statements of one signed-in Q3 request, as the engine sent them "
                f"({len(p['statements'])}; {len(p['statements']) - 6} over the target):"), ""]
        out += [f"{i}. `{s[:150]}{'…' if len(s) > 150 else ''}`" for i, s in enumerate(p["statements"], 1)]
        out.append("")
    return out


def tail(name: str, x: dict, p: dict | None, concurrency: int, workers: int) -> list[str]:
    queue = concurrency / workers
    out = [f"#### Why {name}'s p99 is {x['p99'] / x['p50']:.2f}× its p50 (target ≤ 3×)", "",
           f"p50 {x['p50']:.1f} ms and p99 {x['p99']:.1f} ms (median round; per round: "
           + ", ".join(f"{r:.0f} req/s" for r in x["rounds_rps"]) + f"). The workers spend {x['cpu_ms']:.1f} ms "
           f"of CPU per request and PostgreSQL {x['db_ms']:.1f} ms; with {concurrency} connections on {workers} "
           f"workers a request shares its worker with {queue - 1:.0f} others, so about {queue * x['cpu_ms']:.0f} ms "
           "of a request's time is its worker's CPU queue. The tail beyond it is waiting that is not CPU "
           "(row locks, the database's own queue, the machine's other processes): a profile of CPU cannot "
           "show it; the in-process figures below show how much of one request, alone, is waiting."]
    return [*out, "", *profile_lines(name, p, top=8)]


def sections(run: dict, f: dict, public: dict | None, args) -> list[str]:
    """Every "why" section this run calls for (missed targets only)."""
    cores, workers = os.cpu_count() or 1, args.workers
    profiles = run.get("profiles") or {}
    out: list[str] = []
    if "postgraphile" in f:
        for name in ("Q2", "Q3"):
            if f["ecozone"][name]["rps"] < f["postgraphile"][name]["rps"]:
                out += versus_peer(name, f, profiles.get(name), cores, workers)
    if round(run["signed_in"]["sql"], 2) > 6:
        out += statements(run["signed_in"], profiles.get("Q3 signed in"))
    if public and "postgraphile" in public and public["cached"]["rps"] < 5 * public["postgraphile"]["rps"]:
        out += cached(public, profiles.get("Q3 cached"), cores)
    m1 = f["ecozone"]["M1"]
    if m1["p99"] > 3 * m1["p50"]:
        out += tail("M1", m1, profiles.get("M1"), args.concurrency, workers)
    if not out:
        return []
    return ["### Why: the profiles of the missed targets (generated in this run)", "", *out]
