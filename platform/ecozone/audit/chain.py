"""Pure hash-chain arithmetic: what a row's hash is, and where a chain breaks."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def plain_json(value: Any) -> Any:
    """The value as it comes back from a JSON column (dates as ISO text, tuples as lists)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def canonical_time(value: dt.datetime) -> str:
    """UTC without offset: SQLite returns naive datetimes, PostgreSQL aware ones."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def entry_hash(*, chain: str, seq: int, prev_hash: str, zone_id: int | None,
               actor_id: int | None, action: str, object_type: str, object_id: str | None,
               outcome: str, before: Any, after: Any, created_at: dt.datetime) -> str:
    payload = [chain, seq, prev_hash, zone_id, actor_id, action, object_type, object_id,
               outcome, before, after, canonical_time(created_at)]
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Break:
    chain: str
    seq: int
    entry_id: int | None
    reason: str
    reason_zh: str  # the same, as precisely, for the Chinese half of `audit verify` and `restore`


def first_break(chain: str, entries: Iterable[Any], head_seq: int | None,
                head_hash: str | None) -> Break | None:
    """Walk one chain in ``seq`` order; return the first entry that does not link up."""
    prev_hash, expected_seq = GENESIS, 1
    for entry in entries:
        if entry.seq != expected_seq:
            return Break(chain, expected_seq, entry.id,
                         f"entry {expected_seq} is missing (found {entry.seq} next)",
                         f"第 {expected_seq} 条缺失（其后见到的是第 {entry.seq} 条）")
        if entry.prev_hash != prev_hash:
            return Break(chain, entry.seq, entry.id, "prev_hash does not match the entry before",
                         "prev_hash 与前一条的哈希不符")
        recomputed = entry_hash(chain=entry.chain, seq=entry.seq, prev_hash=entry.prev_hash,
                                zone_id=entry.zone_id, actor_id=entry.actor_id,
                                action=entry.action, object_type=entry.object_type,
                                object_id=entry.object_id, outcome=entry.outcome,
                                before=entry.before, after=entry.after,
                                created_at=entry.created_at)
        if recomputed != entry.hash:
            return Break(chain, entry.seq, entry.id, "content was changed after it was written",
                         "内容在写入后被改动")
        prev_hash, expected_seq = entry.hash, expected_seq + 1
    if head_seq is not None and head_seq != expected_seq - 1:
        return Break(chain, expected_seq, None,
                     f"chain head says {head_seq} entries but {expected_seq - 1} were found",
                     f"链头记录为 {head_seq} 条，实际找到 {expected_seq - 1} 条")
    if head_hash is not None and head_seq and head_hash != prev_hash:
        return Break(chain, expected_seq - 1, None, "chain head hash does not match the last entry",
                     "链头哈希与最后一条不符")
    return None
