"""The pure hash-chain rules, table-driven."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pytest

from ecozone.audit.chain import GENESIS, canonical_time, entry_hash, first_break

T0 = dt.datetime(2026, 11, 25, 8, 0, 0, 123456, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Row:
    id: int
    chain: str
    seq: int
    prev_hash: str
    hash: str
    zone_id: int | None = 1
    actor_id: int | None = 7
    action: str = "expert.create"
    object_type: str = "expert"
    object_id: str | None = "1"
    outcome: str = "ok"
    before: dict | None = None
    after: dict | None = None
    created_at: dt.datetime = T0


def chain_of(n: int) -> list[Row]:
    rows, prev = [], GENESIS
    for seq in range(1, n + 1):
        row = Row(id=seq, chain="jiangxi", seq=seq, prev_hash=prev, hash="", after={"n": seq})
        row = replace(row, hash=entry_hash(**{k: getattr(row, k) for k in (
            "chain", "seq", "prev_hash", "zone_id", "actor_id", "action", "object_type",
            "object_id", "outcome", "before", "after", "created_at")}))
        rows.append(row)
        prev = row.hash
    return rows


def test_intact_chain():
    rows = chain_of(4)
    assert first_break("jiangxi", rows, 4, rows[-1].hash) is None


def test_empty_chain_with_empty_head():
    assert first_break("jiangxi", [], 0, GENESIS) is None


@pytest.mark.parametrize(("mutate", "seq", "reason"), [
    (lambda r: r[:1] + r[2:], 2, "entry 2 is missing"),
    (lambda r: [r[0], replace(r[1], after={"n": 99}), *r[2:]], 2, "changed"),
    (lambda r: [r[0], replace(r[1], actor_id=8), *r[2:]], 2, "changed"),
    (lambda r: [r[0], replace(r[1], created_at=T0 + dt.timedelta(microseconds=1)), *r[2:]], 2, "changed"),
    (lambda r: [r[0], r[1], replace(r[2], prev_hash="f" * 64), r[3]], 3, "prev_hash"),
    (lambda r: r[1:], 1, "entry 1 is missing"),
], ids=["deleted", "after changed", "actor changed", "time changed", "relinked", "first deleted"])
def test_breaks(mutate, seq, reason):
    rows = chain_of(4)
    broken = first_break("jiangxi", mutate(rows), 4, rows[-1].hash)
    assert broken is not None and broken.seq == seq and reason in broken.reason


def test_head_disagrees_with_tail():
    rows = chain_of(3)
    assert "head" in first_break("jiangxi", rows[:2], 3, rows[-1].hash).reason


def test_time_is_compared_in_utc_whatever_the_driver_returns():
    naive = T0.replace(tzinfo=None)
    shanghai = T0.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert canonical_time(naive) == canonical_time(T0) == canonical_time(shanghai)
