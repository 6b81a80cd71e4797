"""Keys of retried mutations: claim a key in the mutation's transaction, store its answer there.

A client sends ``Idempotency-Key: <1–255 visible ASCII characters>`` with a mutation (a fresh
random value per intended write, e.g. a UUID, reused for every retry of it). For 24 hours
(``ECOZONE_IDEMPOTENCY_TTL_SECONDS``) the same user sending the same key:

- with the same request (document, variables, operation name of each operation, and X-Zone:
  ``fingerprint``) gets the first answer again, status and body, without anything running;
  the answer says so with ``Idempotent-Replayed: true``;
- with another request is refused: 422 ``IDEMPOTENCY_KEY_REUSED``.

How it holds under concurrency: the view claims the key by inserting its row first thing in the
mutation's own transaction (``INSERT … ON CONFLICT DO NOTHING``), and fills in the answer in
the same transaction just before committing. On PostgreSQL a second request with the key waits
on the first one's uncommitted row (the primary key), then finds the committed answer and
replays it; if the first rolled back, the second's insert goes through and it runs. On SQLite
the write turn (db/engine.py) already runs writers one after another, across processes too, so
the second claims after the first committed. A mutation rolled back leaves no key behind: its
retry runs.

Anonymous requests cannot use a key (400 ``IDEMPOTENCY_KEY_NEEDS_SIGN_IN``): keys are kept per
user, every mutation needs a signed-in user anyway, and an address is shared by a whole office
behind NAT. Queries ignore the header (they write nothing).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_LENGTH = 255
DEFAULT_TTL_SECONDS = 24 * 3600
# How often (per process) a keyed mutation also deletes every expired key; `ecozone idempotency
# purge` does it on demand.
PURGE_EVERY_SECONDS = 600

_DELETE_EXPIRED_KEY = text("DELETE FROM idempotency_keys WHERE user_id = :user "
                           "AND idempotency_key = :key AND stored_at < :cutoff")
_CLAIM = text("INSERT INTO idempotency_keys (user_id, idempotency_key, fingerprint, status, body, stored_at) "
              "VALUES (:user, :key, :fingerprint, 0, '', :now) "
              "ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING user_id")
_READ = text("SELECT fingerprint, status, body FROM idempotency_keys "
             "WHERE user_id = :user AND idempotency_key = :key")
_STORE = text("UPDATE idempotency_keys SET status = :status, body = :body "
              "WHERE user_id = :user AND idempotency_key = :key")
_PURGE = text("DELETE FROM idempotency_keys WHERE stored_at < :cutoff")


class KeyProblem(Exception):
    """The header cannot be used: ``status``, ``code`` and the message in both languages."""

    def __init__(self, status: int, code: str, message_en: str, message_zh: str,
                 headers: dict[str, str] | None = None):
        super().__init__(message_en)
        self.status, self.code = status, code
        self.message_en, self.message_zh = message_en, message_zh
        self.headers = headers or {}


class Replay(Exception):
    """The key's first answer, to send again as it was."""

    def __init__(self, status: int, body: Any):
        super().__init__("idempotent replay")
        self.status, self.body = status, body


def valid_key(value: str) -> bool:
    return 1 <= len(value) <= MAX_LENGTH and all(0x21 <= ord(c) <= 0x7E for c in value)


def fingerprint(operations: list[tuple[str, Any, str | None]], zone: str | None, batch: bool) -> str:
    canonical = orjson.dumps({"operations": [list(op) for op in operations], "zone": zone,
                              "batch": batch}, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()


@dataclass
class KeyedRequest:
    key: str
    fingerprint: str
    batch: bool
    ttl_seconds: int = DEFAULT_TTL_SECONDS
    user_id: int | None = None  # set once claimed


def keyed_request(headers: Any, operations: list[tuple[str, Any, str | None]], batch: bool,
                  ttl_seconds: int = DEFAULT_TTL_SECONDS) -> KeyedRequest | None:
    """The request's key, checked (a ``KeyProblem`` 400 if malformed), or None without one."""
    values = headers.getlist(HEADER.lower()) if hasattr(headers, "getlist") else \
        [v for v in [headers.get(HEADER.lower())] if v is not None]
    if not values:
        return None
    if len(values) > 1 or not valid_key(values[0]):
        raise KeyProblem(400, "IDEMPOTENCY_KEY_INVALID",
                         f"send one {HEADER} header of 1 to {MAX_LENGTH} visible ASCII characters "
                         "(e.g. a UUID), the same for every retry of one write",
                         f"{HEADER} 请求头须只有一个，由 1 至 {MAX_LENGTH} 个可见 ASCII 字符组成（例如 UUID），"
                         "同一次写操作的每次重试使用相同的值")
    return KeyedRequest(values[0], fingerprint(operations, headers.get("x-zone") or None, batch),
                        batch, ttl_seconds)


_last_purge = 0.0


async def claim(session: AsyncSession, keyed: KeyedRequest, user_id: int | None,
                now: float | None = None) -> None:
    """Claim the key in the session's (the mutation's) transaction, or raise ``Replay`` with the
    first answer, or a ``KeyProblem`` (anonymous, reused for another request)."""
    global _last_purge
    if user_id is None:
        raise KeyProblem(400, "IDEMPOTENCY_KEY_NEEDS_SIGN_IN",
                         f"{HEADER} is kept per user: sign in (Authorization: Bearer …) or send the "
                         "request without it",
                         f"{HEADER} 按用户保存：请先登录（Authorization: Bearer …），或不带此请求头发送")
    now = time.time() if now is None else now
    cutoff = int(now) - keyed.ttl_seconds
    if now - _last_purge >= PURGE_EVERY_SECONDS:
        _last_purge = now
        await session.execute(_PURGE, {"cutoff": cutoff})
    params = {"user": user_id, "key": keyed.key}
    await session.execute(_DELETE_EXPIRED_KEY, {**params, "cutoff": cutoff})
    # PostgreSQL: waits here while another transaction holds an uncommitted row of the key.
    claimed = (await session.execute(_CLAIM, {**params, "fingerprint": keyed.fingerprint,
                                               "now": int(now)})).first()
    if claimed is not None:
        keyed.user_id = user_id
        return
    row = (await session.execute(_READ, params)).first()
    if row is None or row.status == 0:  # cannot be seen committed half-way; say "try again"
        raise KeyProblem(409, "IDEMPOTENCY_KEY_IN_USE",
                         f"a request with this {HEADER} is still running: try again in a moment",
                         f"使用此 {HEADER} 的请求仍在处理中，请稍后重试", {"Retry-After": "1"})
    if row.fingerprint != keyed.fingerprint:
        within_en, within_zh = kept_for(keyed.ttl_seconds)
        raise KeyProblem(422, "IDEMPOTENCY_KEY_REUSED",
                         f"this {HEADER} was used for another request in the last "
                         f"{within_en}: send a new key for a new write",
                         f"此 {HEADER} 在{within_zh}内已用于另一个请求：新的写操作请使用新的键")
    raise Replay(row.status, orjson.loads(row.body))


def kept_for(seconds: int) -> tuple[str, str]:
    """How long a key is kept, in English and Chinese, in the largest unit that says it exactly
    (ECOZONE_IDEMPOTENCY_TTL_SECONDS may be any number of seconds: 1800 is "30 minutes", not "0 hours")."""
    for size, en, zh in ((3600, "hour", "小时"), (60, "minute", "分钟")):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {en}{'' if count == 1 else 's'}", f" {count} {zh}"
    return f"{seconds} second{'' if seconds == 1 else 's'}", f" {seconds} 秒"


async def store(session: AsyncSession, keyed: KeyedRequest, status: int, body: Any) -> None:
    """Keep the answer under the claimed key, in the same transaction as the mutation."""
    if keyed.user_id is None:
        return
    await session.execute(_STORE, {"user": keyed.user_id, "key": keyed.key, "status": status,
                                   "body": orjson.dumps(body).decode()})


async def purge(session: AsyncSession, ttl_seconds: int = DEFAULT_TTL_SECONDS,
                now: float | None = None) -> int:
    """Delete the keys older than ``ttl_seconds``; how many were deleted."""
    now = time.time() if now is None else now
    result = await session.execute(_PURGE, {"cutoff": int(now) - ttl_seconds})
    return result.rowcount or 0
