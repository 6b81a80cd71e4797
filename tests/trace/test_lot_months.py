"""A GS1 Digital Link (``/01/{gtin}/10/{lot}``) finds its months in the batch directory as a code
does (``store.lot_key``), so that PostgreSQL reads only those monthly partitions; a lot stored
before the directory kept lots is still found (every partition searched)."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.trace.chain import lot_statement
from ecozone.trace.models import TraceBatchMonth
from ecozone.trace.store import lot_key
from sqlalchemy import delete, select, text

from tests.trace.support import GARDEN_A, load_story, post_ndjson, rec
from tests.trace.support import ndjson as as_ndjson

GTIN, LOT = "06901234567892", "WY2604A"
APRIL, MAY = dt.date(2026, 4, 1), dt.date(2026, 5, 1)


def test_lot_key_fits_the_directory_and_never_looks_like_a_batch():
    key = lot_key(GTIN, LOT)
    assert len(key) == 22 and key.startswith("L") and not key.isdigit()
    assert key == lot_key(GTIN, LOT) and key != lot_key(GTIN, "WY2604B") and key != lot_key("06901234567885", LOT)


async def _lot_months(api) -> set[tuple[dt.date, int]]:
    async def read(session):
        return {tuple(r) for r in (await session.execute(select(TraceBatchMonth.month, TraceBatchMonth.zone_id).where(
            TraceBatchMonth.batch == lot_key(GTIN, LOT)))).all()}
    return await api.operator(read)


async def _json(api, gtin: str = GTIN, lot: str = LOT):
    return await api.client.get(f"/01/{gtin}/10/{lot}", headers={"Accept": "application/json"})


async def _sell_the_lot_in_may(api) -> None:
    """The Nanchang shop sells garden A's lot in May, under the same GTIN + lot."""
    sale = dict(rec("S1-lot-may", "shop_1", GARDEN_A, "sale", day=1, data={"net_weight": 250},
                    gtin=GTIN, lot=LOT), time="2026-05-03T09:00:00+08:00")
    response = await post_ndjson(api, as_ndjson([sale]), "jx-shop-1", "jiangxi")
    assert response.status_code == 200 and response.json()["accepted"] == 1, response.text


async def test_the_directory_holds_the_lots_months_written_with_the_records(api):
    await load_story(api)
    april = await _lot_months(api)
    # the server's key (PostgreSQL: computed in SQL from the staged rows) is Python's
    assert {m for m, _ in april} == {APRIL}
    await _sell_the_lot_in_may(api)
    assert {m for m, _ in await _lot_months(api)} == {APRIL, MAY}
    found = await _json(api)
    assert found.status_code == 200 and found.json()["batch"] == GARDEN_A[:22]  # the lot's first record's code
    assert [e["recordId"] for e in found.json()["events"]][0] == "A-prod-1"
    # sent again: nothing added to the directory
    again = await post_ndjson(api, as_ndjson([dict(rec("S1-lot-may", "shop_1", GARDEN_A, "sale", day=1,
                                                       data={"net_weight": 250}, gtin=GTIN, lot=LOT),
                                                   time="2026-05-03T09:00:00+08:00")]), "jx-shop-1", "jiangxi")
    assert again.json()["unchanged"] == 1
    assert {m for m, _ in await _lot_months(api)} == {APRIL, MAY}


async def test_a_lot_without_directory_rows_is_still_found_and_an_unknown_one_is_404(api):
    await load_story(api)

    async def forget(session):  # as if the lot had been stored before the directory kept lots
        await session.execute(delete(TraceBatchMonth).where(TraceBatchMonth.batch == lot_key(GTIN, LOT)))
    await api.operator(forget)
    assert await _lot_months(api) == set()
    found = await _json(api)
    assert found.status_code == 200 and found.json()["batch"] == GARDEN_A[:22]
    missing = await _json(api, lot="WY2604Z")
    assert missing.status_code == 404 and missing.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # a GTIN written in 13 digits is the same GTIN
    assert (await _json(api, gtin=GTIN[1:])).json()["batch"] == GARDEN_A[:22]


async def test_postgresql_reads_only_the_lots_months(api):
    await load_story(api)
    await _sell_the_lot_in_may(api)

    async def plans(session):
        if (await session.connection()).dialect.name != "postgresql":
            return None
        months = sorted(m for m, _ in await _lot_months(api))
        explained = []
        for stmt in (lot_statement(GTIN, LOT, months), lot_statement(GTIN, LOT, None)):
            compiled = stmt.compile(session.bind, compile_kwargs={"literal_binds": True})
            explained.append("\n".join(r[0] for r in (await session.execute(text(f"EXPLAIN {compiled}"))).all()))
        return explained
    explained = await api.operator(plans)
    if explained is None:
        pytest.skip("SQLite has one table: nothing to prune")
    pruned, unpruned = explained
    assert "trace_records_y2026m04" in pruned and "trace_records_y2026m05" in pruned
    assert "trace_records_y2026m06" not in pruned and "trace_records_default" not in pruned
    # without the directory's months the same query reads every partition: the pruning is the months'
    assert "trace_records_y2026m06" in unpruned and "trace_records_default" in unpruned
