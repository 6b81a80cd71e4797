"""The report of bench/run.py: machine, per-engine tables and the targets met or missed."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
from pathlib import Path


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))) / 2**20
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def table(run: dict) -> str:
    r = run["results"]
    floor = {"Q2": r["floor Q2"]["rps"], "Q3": r["floor Q3"]["rps"], "Q4": r["floor Q4"]["rps"]}
    lines = ["| operation | req/s | p50 ms | p99 ms | p99/p50 | SQL/request | permission checks | "
             "× floor req/s | load generator CPU ms/request | failures |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, f in r.items():
        ratio = f"{f['rps'] / floor[name]:.2f}" if name in floor else ""
        sql = f"{f['sql']:.1f}" if "sql" in f else ""
        authz = f"{f['authz']:.1%}" if "authz" in f else ""
        lines.append(f"| {name} | {f['rps']:.0f} | {f['p50']:.1f} | {f['p99']:.1f} | "
                     f"{f['p99'] / f['p50']:.1f} | {sql} | {authz} | {ratio} | "
                     f"{f.get('client_ms', float('nan')):.1f} | {f['failures']} |")
    return "\n".join(lines)


def targets(run: dict) -> list[str]:
    r = run["results"]
    checks = [
        ("Q3 SQL statements ≤ 6", r["Q3"]["sql"] <= 6, f"{r['Q3']['sql']:.1f}"),
        ("Q2 ≥ 0.5× floor req/s", r["Q2"]["rps"] >= 0.5 * r["floor Q2"]["rps"],
         f"{r['Q2']['rps'] / r['floor Q2']['rps']:.2f}×"),
        ("Q3 ≥ 0.5× floor req/s", r["Q3"]["rps"] >= 0.5 * r["floor Q3"]["rps"],
         f"{r['Q3']['rps'] / r['floor Q3']['rps']:.2f}×"),
        ("Q4 p50 ≤ 1.5× Q2 p50", r["Q4"]["p50"] <= 1.5 * r["Q2"]["p50"],
         f"{r['Q4']['p50'] / r['Q2']['p50']:.2f}×"),
    ]
    for name in ("Q1", "Q2", "Q3", "Q4", "M1"):
        checks.append((f"{name} p99 ≤ 3× p50", r[name]["p99"] <= 3 * r[name]["p50"],
                       f"{r[name]['p99'] / r[name]['p50']:.1f}×"))
    authz = {"M1": r["M1"]["authz"], "Q3 signed in": run["signed_in"]["authz"]}
    for name, share in authz.items():
        checks.append((f"{name}: permission checks ≤ 10 % of the request time", share <= 0.10,
                       f"{share:.1%}"))
    if run["long"]:
        growth = rss_growth(run["long"]["samples"])
        checks.append(("RSS flat over the long run (per worker, the highest RSS of the second half "
                       "at most 10 MB above that of the first, after the first tenth)", growth <= 10,
                       f"{growth:+.1f} MB"))
    return [f"- {'met' if ok else '**missed**'}: {label} ({value})" for label, ok, value in checks]


def rss_growth(samples: list[tuple[int, list[float]]]) -> float:
    """The worst worker's growth between the halves of a long run, warm-up (the first tenth)
    left out. Peaks, not single samples: the allocator gives memory back and takes it again
    from one sample to the next, while a leak raises every peak."""
    warm = samples[1:]  # samples[0] is before the run, samples[1] after its first tenth
    half = len(warm) // 2
    first, second = warm[:half], warm[half:]
    return max(max(s[1][w] for s in second) - max(s[1][w] for s in first)
               for w in range(len(samples[0][1])))


def report(runs: list[dict], args: argparse.Namespace, command: str) -> str:
    out = [f"## Run of {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC", "",
           f"- command: `{command}`", f"- machine: {machine()}",
           f"- the expert-order index is migration 0009; "
           f"load average at the end {os.getloadavg()[0]:.1f} (other work shares the machine)",
           f"- {args.requests} requests per query operation (M1: {max(100, args.requests // 4)}), "
           f"concurrency {args.concurrency}, {args.workers} workers each for the API and the floor; "
           "load generator (httpx) in its own process on loopback, sharing the cores", ""]
    for run in runs:
        out += [f"### {run['engine']} (scale {args.scale}, loaded in {run['load_seconds']:.0f} s; "
                f"Q2 has {run['q2_pages']} pages)", "", table(run), "",
                f"RSS of the API workers (MB): {run['rss_before']['api']} before, {run['rss_after']['api']} after; "
                f"floor: {run['rss_before']['floor']} → {run['rss_after']['floor']}", ""]
        s = run["signed_in"]
        out += [f"Q3 signed in (a member's token: roles loaded, permission checks): "
                f"{s['sql']:.1f} SQL statements per request, permission checks {s['authz']:.1%} of the "
                "request time", ""]
        if run["long"]:
            lr = run["long"]
            out += [f"Long run, {lr['requests']:,} requests (Q1, Q2 and Q3 in chunks, in turn), "
                    f"{lr['rps']:.0f} req/s, failures {lr['failures']}; RSS of the API workers (MB) "
                    "after N requests:", "",
                    "| requests | " + " | ".join(f"worker {i + 1}" for i in range(len(lr["samples"][0][1])))
                    + " |", "| ---: |" + " ---: |" * len(lr["samples"][0][1]),
                    *(f"| {n:,} | " + " | ".join(f"{mb:.1f}" for mb in rss) + " |" for n, rss in lr["samples"]),
                    ""]
        out += ["Targets:", "", *targets(run), ""]
    return "\n".join(out)
