"""What bench/trace.py loads: production records of one tea enterprise spread over 2024–2026,
and a recall tree of 1,010 batches below one root; the codes its lookups ask for."""

from __future__ import annotations

import datetime as dt
import json
import random

from ecozone.catalogs import codes

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


def lookup_codes(total: int, count: int) -> list[str]:
    """``count`` random codes of the loaded production records (seeded: the same for a size)."""
    uscc, rng = credit_code(), random.Random(19)
    return [production(rng.randrange(total), uscc)["code"] for _ in range(count)]
