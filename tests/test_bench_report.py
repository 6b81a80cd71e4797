"""The benchmark's verdicts (bench/report.py): each target is judged as RESULTS.md states it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "bench_report", Path(__file__).resolve().parents[1] / "bench" / "report.py")
report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(report)


def _samples(*workers: list[float]) -> list[tuple[int, list[float]]]:
    return [(n * 10_000, [w[n] for w in workers]) for n in range(len(workers[0]))]


@pytest.mark.parametrize("rss, growth", [
    # before, then after every tenth: flat
    ([150, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200], 0),
    # the allocator gives memory back and takes it again: peaks stay put
    ([175, 192, 214, 211, 208, 199, 198, 211, 209, 216, 215], 2),
    # warm-up before the first tenth does not count
    ([100, 180, 181, 181, 181, 181, 181, 181, 181, 181, 181], 0),
    # a leak raises every peak: 3 MB a tenth
    ([100, 130, 133, 136, 139, 142, 145, 148, 151, 154, 157], 15),
])
def test_rss_growth_compares_the_peaks_of_the_two_halves(rss, growth):
    assert report.rss_growth(_samples(rss)) == pytest.approx(growth)


def test_the_worst_worker_decides():
    flat = [150, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]
    leaking = [100, 130, 133, 136, 139, 142, 145, 148, 151, 154, 157]
    assert report.rss_growth(_samples(flat, leaking)) == pytest.approx(15)


def _run(**overrides) -> dict:
    figures = {"rps": 50.0, "p50": 100.0, "p99": 200.0, "sql": 4.0, "authz": 0.0, "failures": 0}
    results = {name: dict(figures) for name in ("Q1", "Q2", "Q3", "Q4", "M1")}
    results.update({f"floor {n}": {"rps": 100.0, "p50": 50.0, "p99": 80.0, "failures": 0}
                    for n in ("Q2", "Q3", "Q4")})
    results["Q3"]["sql"] = 6.0
    results["M1"]["authz"] = 0.02
    for key, value in overrides.items():
        name, field = key.split("__")
        results[name][field] = value
    return {"results": results, "signed_in": {"sql": 11.0, "authz": 0.03}, "long": None}


@pytest.mark.parametrize("overrides, missed", [
    ({}, []),
    ({"Q3__sql": 7.0}, ["Q3 SQL statements ≤ 6"]),
    ({"Q2__rps": 49.9}, ["Q2 ≥ 0.5× floor req/s"]),  # 0.499× the floor
    ({"Q3__p99": 300.1}, ["Q3 p99 ≤ 3× p50"]),
    ({"Q4__p50": 150.1}, ["Q4 p50 ≤ 1.5× Q2 p50"]),
    ({"M1__authz": 0.101}, ["M1: permission checks ≤ 10 % of the request time"]),
])
def test_each_target_is_met_at_its_bound_and_missed_past_it(overrides, missed):
    lines = report.targets(_run(**overrides))
    assert [line.split(": ", 1)[1].rsplit(" (", 1)[0] for line in lines if "**missed**" in line] == missed
    exact = report.targets(_run(Q2__rps=50.0, Q3__p99=300.0, Q4__p50=150.0, M1__authz=0.10))
    assert not [line for line in exact if "**missed**" in line]  # the bounds themselves are met
