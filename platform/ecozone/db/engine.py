"""Engines and sessions for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson
from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from ecozone.db.scoping import Scope, ScopedSession

# Execution option that makes SQLite take the write lock at BEGIN: a deferred transaction
# that reads first and writes later fails with SQLITE_BUSY when another writer got in between.
WRITE_INTENT = "ecozone_write_intent"


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the driver, emit BEGIN, so SAVEPOINTs work (SQLAlchemy docs,
        # "Serializable isolation / Savepoints / Transactional DDL" for pysqlite/aiosqlite).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection) -> None:
        write = connection.get_execution_options().get(WRITE_INTENT, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def create_engine(url: str, *, echo: bool = False, pool_size: int = 10) -> AsyncEngine:
    # JSON columns (zone settings, catalog indicators, minutes) are read far more often than
    # written: orjson parses them several times faster than the standard library.
    if url.startswith("sqlite"):
        engine = create_async_engine(url, echo=echo, json_deserializer=orjson.loads)
        _configure_sqlite(engine)
        return engine
    return create_async_engine(url, echo=echo, pool_size=pool_size, max_overflow=pool_size,
                               pool_pre_ping=True, json_deserializer=orjson.loads)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=ScopedSession,
                              autoflush=True)


def new_session(engine: AsyncEngine, scope: Scope, *, write: bool = False) -> AsyncSession:
    bind = engine.execution_options(**{WRITE_INTENT: True}) if write else engine
    session = AsyncSession(bind=bind, expire_on_commit=False, sync_session_class=ScopedSession)
    session.info["scope"] = scope
    return session


@asynccontextmanager
async def transaction(engine: AsyncEngine, scope: Scope, *, write: bool = True
                      ) -> AsyncIterator[AsyncSession]:
    """One unit of work: commits when the block ends normally, rolls back otherwise."""
    async with new_session(engine, scope, write=write) as session:
        async with session.begin():
            yield session
