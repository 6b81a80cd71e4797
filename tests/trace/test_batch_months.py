"""The batch → months directory (migration 0022): written with the records, read by every lookup,
so that PostgreSQL reads only the monthly partitions a batch has records in."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.trace.chain import month_ranges, records_statement
from ecozone.trace.models import TraceBatchMonth
from ecozone.trace.store import month_of
from sqlalchemy import select, text

from tests.trace.support import (
    FACTORY,
    GARDEN_A,
    PACKED,
    load_story,
    post_ndjson,
    rec,
    trace,
)
from tests.trace.support import ndjson as as_ndjson


def d(month: str) -> dt.date:
    return dt.date.fromisoformat(month + "-01")


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day + "T00:00:00+00:00")


@pytest.mark.parametrize(("months", "ranges"), [
    ([], []),
    (["2026-04"], [("2026-04-01", "2026-05-01")]),
    (["2026-05", "2026-04", "2026-04"], [("2026-04-01", "2026-06-01")]),  # unsorted, repeated
    (["2026-01", "2026-03"], [("2026-01-01", "2026-02-01"), ("2026-03-01", "2026-04-01")]),  # a gap
    (["2025-12", "2026-01"], [("2025-12-01", "2026-02-01")]),  # across a year
    (["2024-02"], [("2024-02-01", "2024-03-01")]),  # leap February
])
def test_months_merge_into_ranges(months, ranges):
    assert month_ranges(d(m) for m in months) == [(at(low), at(high)) for low, high in ranges]


@pytest.mark.parametrize(("when", "month"), [
    ("2026-05-01T07:59:59+08:00", "2026-04"),  # still April in UTC: the partition's month
    ("2026-05-01T08:00:00+08:00", "2026-05"),
    ("2026-12-31T23:30:00-01:00", "2027-01"),
])
def test_an_events_month_is_its_utc_month(when, month):
    assert month_of(dt.datetime.fromisoformat(when)) == d(month)


async def _directory(api) -> set[tuple[str, dt.date, int]]:
    async def read(session):
        return {tuple(r) for r in (await session.execute(select(
            TraceBatchMonth.batch, TraceBatchMonth.month, TraceBatchMonth.zone_id))).all()}
    return await api.operator(read)


async def test_records_of_a_batch_in_several_months_are_all_found(api):
    await load_story(api)
    before = await _directory(api)
    assert {(b, m) for b, m, _ in before} >= {(GARDEN_A[:22], d("2026-04")), (FACTORY[:22], d("2026-04"))}
    # the Nanchang shop sells the same packed lot again in May, once at the UTC month's edge
    may = [dict(rec(key, "shop_1", PACKED[0], "sale", day=1, data={"net_weight": 250}), time=when)
           for key, when in (("S1-sale-2", "2026-05-02T09:00:00+08:00"), ("S1-sale-3", "2026-05-01T07:30:00+08:00"),
                             ("S1-sale-4", "2026-06-02T09:00:00+08:00"))]
    response = await post_ndjson(api, as_ndjson(may), "jx-shop-1", "jiangxi")
    assert response.status_code == 200 and response.json()["accepted"] == 3, response.text
    added = await _directory(api) - before
    assert {(b, m) for b, m, _ in added} == {(PACKED[0][:22], d("2026-05")), (PACKED[0][:22], d("2026-06"))}
    chain = await trace(api, PACKED[0])
    sales = [e["recordId"] for e in chain["events"] if e["eventType"] == "SALE"]
    assert sales == ["S1-sale-1", "S1-sale-3", "S1-sale-2", "S1-sale-4"]  # April (twice in UTC), May, June
    recall = await trace(api, FACTORY, field="traceRecall")
    assert {"S1-sale-2", "S1-sale-3", "S1-sale-4"} <= {e["recordId"] for e in recall["events"]}
    # sent again: nothing added, to the records or the directory
    again = await post_ndjson(api, as_ndjson(may), "jx-shop-1", "jiangxi")
    assert again.json()["unchanged"] == 3
    assert await _directory(api) == before | added


async def test_postgresql_reads_only_the_months_of_the_batch(api):
    await load_story(api)

    async def plan(session):
        if (await session.connection()).dialect.name != "postgresql":
            return None
        stmt = records_statement([GARDEN_A[:22]], [d("2026-04")], "postgresql")  # the lookup's own statement
        compiled = stmt.compile(session.bind, compile_kwargs={"literal_binds": True})
        return "\n".join(r[0] for r in (await session.execute(text(f"EXPLAIN {compiled}"))).all())
    explained = await api.operator(plan)
    if explained is None:
        pytest.skip("SQLite has one table: nothing to prune")
    assert "trace_records_y2026m04" in explained
    assert "trace_records_y2026m05" not in explained and "trace_records_default" not in explained
