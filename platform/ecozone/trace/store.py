"""Storing checked trace records: one statement per table per chunk, in the caller's transaction.

PostgreSQL: ``COPY`` into a temporary table, then one ``INSERT … SELECT`` into the real table
(COPY cannot write a table under row-level security; the INSERT is checked by its policies). The
batch directory (``trace_batch_months``, migration 0022) is filled by the server from the same
staged rows, and so are its rows for GS1 GTIN + lot (:func:`lot_key`). SQLite: executemany.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

import orjson
from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.trace import rules
from ecozone.trace.models import BatchLink, TraceBatchMonth, TraceRecord, TraceRecordKey

RECORD_COLUMNS = ("occurred_at", "zone_id", "enterprise_id", "record_key", "code", "batch", "gtin", "lot",
                  "category", "catalog_version_id", "event_type", "place", "place_code", "reason",
                  "public_data", "private_data", "received_at")


def record_row(env: rules.Envelope, enterprise_id: int, zone_id: int, version_id: int, public: frozenset[str],
               now: dt.datetime) -> tuple:
    """A record's values in :data:`RECORD_COLUMNS` order (its indicators split public / private)."""
    public_data, private_data = rules.split_public(env.data, public)
    return (env.occurred_at, zone_id, enterprise_id, env.record_key, env.code, env.batch, env.gtin, env.lot,
            env.category, version_id, env.event_type, env.place, env.place_code, env.reason,
            public_data, private_data, now)


_PUBLIC, _PRIVATE = RECORD_COLUMNS.index("public_data"), RECORD_COLUMNS.index("private_data")
_BATCH, _GTIN, _LOT = RECORD_COLUMNS.index("batch"), RECORD_COLUMNS.index("gtin"), RECORD_COLUMNS.index("lot")
_RECORDS_STAGED = ("occurred_at timestamptz, zone_id integer, enterprise_id integer, record_key varchar(100), "
                   "code varchar(27), batch varchar(22), gtin varchar(14), lot varchar(20), category varchar(32), "
                   "catalog_version_id integer, event_type varchar(16), place varchar(200), place_code varchar(6), "
                   "reason varchar(500), public_data text, private_data text, received_at timestamptz")
# lot_key() in SQL: the same 21 hex digits of sha256(gtin|lot), computed by the server
_LOT_KEY_SQL = "'L' || left(encode(sha256(convert_to(gtin || '|' || lot, 'UTF8')), 'hex'), 21)"
_RECORDS_MOVED = (f"INSERT INTO trace_records ({', '.join(RECORD_COLUMNS)}) SELECT "
                  f"{', '.join(RECORD_COLUMNS).replace('public_data, private_data', 'public_data::json, private_data::json')} "
                  "FROM trace_records_incoming; "
                  # the directory from the same staged rows, by the server (no Python work per record)
                  "INSERT INTO trace_batch_months (batch, month, zone_id) SELECT DISTINCT batch, "
                  "date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date, zone_id "
                  "FROM trace_records_incoming ON CONFLICT DO NOTHING; "
                  f"INSERT INTO trace_batch_months (batch, month, zone_id) SELECT DISTINCT {_LOT_KEY_SQL}, "
                  "date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date, zone_id "
                  "FROM trace_records_incoming WHERE gtin IS NOT NULL ON CONFLICT DO NOTHING")
_KEYS_STAGED = "enterprise_id integer, record_key varchar(100), zone_id integer, content_hash varchar(64)"
_KEYS_MOVED = ("INSERT INTO trace_record_keys (enterprise_id, record_key, zone_id, content_hash) "
               "SELECT enterprise_id, record_key, zone_id, content_hash FROM trace_record_keys_incoming")
# staging table: (its columns, the INSERT … SELECT after the COPY); json travels as text, cast once
_STAGING = {
    "trace_records_incoming": (_RECORDS_STAGED, _RECORDS_MOVED),
    "trace_record_keys_incoming": (_KEYS_STAGED, _KEYS_MOVED),
}
KEY_COLUMNS = ("enterprise_id", "record_key", "zone_id", "content_hash")


async def _copy_in(session: AsyncSession, staging: str, columns: tuple[str, ...], records: list[tuple]) -> None:
    """PostgreSQL: COPY into a temporary table, then one INSERT … SELECT into the real one — COPY
    itself cannot write a table under row-level security, the INSERT is checked by its policies."""
    connection = await session.connection()
    raw = (await connection.get_raw_connection()).driver_connection
    definition, move = _STAGING[staging]
    await raw.execute(f"CREATE TEMP TABLE IF NOT EXISTS {staging} ({definition}) ON COMMIT DELETE ROWS")
    await raw.copy_records_to_table(staging, columns=columns, records=records)
    await raw.execute(f"{move}; TRUNCATE {staging}")


def month_of(when: dt.datetime) -> dt.date:
    """The UTC month of an event: its partition on PostgreSQL, its row in the batch directory."""
    return when.astimezone(dt.UTC).date().replace(day=1)


def lot_key(gtin: str, lot: str) -> str:
    """The batch directory's key for a GS1 GTIN (14 digits) + lot: the months of a Digital Link's
    records, so that its lookup prunes partitions as a lookup by code does. ``L`` and 21 hex
    digits of SHA-256 (the column holds 22 characters; a real batch is 22 digits, so a walk over
    batch links never meets one). Two lots sharing a key would only add months to look in: the
    lookup still asks for the GTIN and lot themselves."""
    return "L" + hashlib.sha256(f"{gtin}|{lot}".encode()).hexdigest()[:21]


async def store_keys(session: AsyncSession, keys: list[tuple[int, str, int, str]]) -> None:
    """Rows of ``trace_record_keys`` (enterprise, record id, zone, content hash)."""
    if (await session.connection()).dialect.name == "postgresql":
        await _copy_in(session, "trace_record_keys_incoming", KEY_COLUMNS, keys)
    else:
        await session.execute(insert(TraceRecordKey.__table__), [dict(zip(KEY_COLUMNS, k)) for k in keys])


async def store_records(session: AsyncSession, rows: list[tuple]) -> None:
    """The records (tuples of :func:`record_row`) and their batch directory rows
    (``trace_batch_months``: by batch, and by :func:`lot_key` for those with a GTIN + lot), in the
    caller's transaction."""
    if (await session.connection()).dialect.name == "postgresql":
        dumps = orjson.dumps
        await _copy_in(session, "trace_records_incoming", RECORD_COLUMNS, [
            (*r[:_PUBLIC], dumps(r[_PUBLIC]).decode(), dumps(r[_PRIVATE]).decode(), *r[_PRIVATE + 1:]) for r in rows])
        return
    await session.execute(insert(TraceRecord.__table__), [dict(zip(RECORD_COLUMNS, r)) for r in rows])
    months = {(r[_BATCH], month_of(r[0]), r[1]) for r in rows}
    months |= {(lot_key(r[_GTIN], r[_LOT]), month_of(r[0]), r[1]) for r in rows if r[_GTIN] is not None}
    await session.execute(sqlite_insert(TraceBatchMonth).on_conflict_do_nothing(), [
        {"batch": b, "month": m, "zone_id": z} for b, m, z in sorted(months)])


async def store_links(session: AsyncSession, links: Iterable[tuple[str, str, int]]) -> None:
    rows = [{"parent_batch": p, "child_batch": c, "zone_id": z} for p, c, z in sorted(links)]
    if not rows:
        return
    connection = await session.connection()
    dialect_insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    await session.execute(dialect_insert(BatchLink).on_conflict_do_nothing(
        index_elements=["parent_batch", "child_batch"]), rows)
