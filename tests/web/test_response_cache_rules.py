"""The response cache's pure parts (issue 20): least recently used out by bytes, the age bound,
the entries too large to keep, which documents answer per client, canonical variables, which
statements count as a write of data, and a data version that goes back (a restore)."""

from __future__ import annotations

import sqlite3

import pytest
from ecozone.db.data_version import NOT_DATA, DataVersions, written_table
from ecozone.web.response_cache import (
    ENTRY_OVERHEAD,
    ResponseCache,
    canonical_variables,
    selects_per_client_field,
)
from graphql import parse
from sqlalchemy.ext.asyncio import create_async_engine


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def cache(max_bytes: int, max_age: float = 60) -> tuple[ResponseCache, Clock]:
    clock = Clock()
    return ResponseCache(max_bytes, max_age, clock), clock


def test_least_recently_used_out_first_by_bytes():
    slot = 100 + ENTRY_OVERHEAD
    entries, _ = cache(16 * slot)  # room for 16 bodies of 100 bytes
    for key in range(16):
        entries.put((key,), bytes(100), version=1)
    assert len(entries) == 16 and entries.bytes == 16 * slot
    assert entries.get((0,)) is not None  # used: now the most recent
    entries.put((16,), bytes(100), version=1)
    assert entries.get((1,)) is None and entries.get((0,)) is not None and entries.get((16,)) is not None
    entries.put((17,), bytes(2 * slot - ENTRY_OVERHEAD), version=1)  # two slots' worth pushes out two
    assert entries.bytes <= entries.max_bytes
    assert [entries.get((k,)) is not None for k in (2, 3, 4)] == [False, False, True]


@pytest.mark.parametrize("size, kept", [(8000 // 8 - ENTRY_OVERHEAD, True), (8000 // 8 - ENTRY_OVERHEAD + 1, False)])
def test_an_answer_larger_than_an_eighth_is_not_kept(size, kept):
    entries, _ = cache(8000)
    assert (entries.put(("k",), bytes(size), version=1) is not None) is kept


def test_an_entry_is_trusted_for_max_age_only():
    entries, clock = cache(10_000, max_age=60)
    entries.put(("k",), b"{}", version=3)
    clock.now = 59.9
    assert entries.get(("k",)).version == 3
    clock.now = 60.0
    assert entries.get(("k",)) is None and entries.bytes == 0


def test_storing_a_key_again_replaces_it():
    entries, _ = cache(10_000)
    entries.put(("k",), b"old", version=1)
    entries.put(("k",), b"new!", version=1)
    assert entries.get(("k",)).body == b"new!" and entries.bytes == 4 + ENTRY_OVERHEAD
    entries.clear()
    assert len(entries) == 0 and entries.bytes == 0


def test_the_etag_is_the_bodys_hash():
    from ecozone.web.http_cache import etag_for
    entries, _ = cache(10_000)
    assert entries.put(("k",), b'{"data":1}', version=1).etag == etag_for(b'{"data":1}')


@pytest.mark.parametrize("document, per_client", [
    ("{ viewer { rateLimit { remaining } } }", True),
    ("query Q { zones { totalCount } viewer { rateLimit { cost } } }", True),
    ("fragment F on Viewer { rateLimit { used } } { viewer { ...F } }", True),
    ("{ zones { totalCount } }", False),
    ("{ viewer { roles } }", False),
])
def test_documents_answering_per_client(document, per_client):
    assert selects_per_client_field(parse(document)) is per_client


def test_variables_in_any_order_are_one_key():
    assert canonical_variables({"b": 1, "a": {"y": 2, "x": 1}}) == canonical_variables({"a": {"x": 1, "y": 2}, "b": 1})
    assert canonical_variables(None) == canonical_variables({}) == b"{}"
    assert canonical_variables({"a": 1}) != canonical_variables({"a": "1"})


@pytest.mark.parametrize("statement, table", [
    ("INSERT INTO news_articles (zone_id) VALUES (?)", "news_articles"),
    ('UPDATE "zones" SET name_en = ?', "zones"),
    ("  delete from comments where id = 1", "comments"),
    ("INSERT OR IGNORE INTO standard_zones VALUES (1, 2)", "standard_zones"),
    ("SELECT * FROM zones", None),
    ("SELECT set_config('ecozone.zone', '1', true)", None),
    ("WITH x AS (SELECT 1) SELECT * FROM x", None),
])
def test_which_statements_write_a_table(statement, table):
    assert written_table(statement, None) == table


def test_bookkeeping_tables_are_not_data():
    assert {"rate_limit_windows", "audit_log", "data_versions", "idempotency_keys"} <= NOT_DATA
    assert not NOT_DATA & {"zones", "news_articles", "standards", "comments", "trusted_documents"}


async def test_a_version_that_goes_back_empties_the_cache(tmp_path):
    path = tmp_path / "versions.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE data_versions (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)")
        connection.execute("INSERT INTO data_versions VALUES (1, 7)")
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
    versions = DataVersions(engine)
    cleared = []
    versions.on_change(cleared.append)
    try:
        assert await versions.current() == 7 and cleared == [7]
        assert await versions.current() == 7 and cleared == [7]  # unchanged: nothing dropped
        with sqlite3.connect(path) as connection:  # a restore of an older copy
            connection.execute("UPDATE data_versions SET version = 5")
        assert await versions.current() == 5 and cleared == [7, 5] and versions.latest == 5
    finally:
        versions.close()
        await engine.dispose()
