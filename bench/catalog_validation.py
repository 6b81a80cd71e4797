"""Batch validation of trace records against a catalog, in records per second on one core.

    .venv/bin/python bench/catalog_validation.py [--category tea] [--records 200000]

Validates generated valid records (plus a tenth with a planted error, so the error path is
timed too) with the same compiled validator the API and the CLI use; no database.
Target (issue 6): at least 20,000 records per second for a typical catalog.
"""

from __future__ import annotations

import argparse
import time

from ecozone.catalogs import rules, samples, service


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--category", default="tea")
    parser.add_argument("--records", type=int, default=200_000)
    args = parser.parse_args()
    indicators = service.starter_catalog(args.category)["indicators"]
    records = [samples.sample_record(indicators, args.category, n) for n in range(args.records)]
    for record in records[::10]:
        record["picking_date" if "picking_date" in record else "net_weight"] = "2026-02-30"
    validator = rules.RecordValidator(indicators)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        invalid = sum(1 for r in records if validator.validate(r))
        best = min(best, time.perf_counter() - started)
    rate = args.records / best
    print(f"{args.category}: {len(indicators)} indicators, {args.records} records "
          f"({invalid} invalid) in {best:.3f} s = {rate:,.0f} records/s on one core "
          f"(target 20,000: {'met' if rate >= 20_000 else 'NOT met'})")


if __name__ == "__main__":
    main()
