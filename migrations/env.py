"""Alembic environment (async): runs as the database role that owns the tables."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from ecozone.models import Base
from ecozone.settings import get_settings

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().migration_database_url


def _configure(connection=None, url: str | None = None) -> None:
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place: batch mode copies the table.
        render_as_batch=True,
        compare_type=True,
        include_name=_is_a_model_table,
    )


def _is_a_model_table(name, type_, parent_names) -> bool:
    """Autogenerate leaves alone the SQLite FTS5 table of standards search (and its shadow
    tables), which migration 0012 creates by hand with the triggers that keep it current.
    A batch (copy-the-table) migration of ``standards`` on SQLite drops those triggers: it must
    create them again (tests/standards/test_search.py checks they exist)."""
    return not (type_ == "table" and name is not None and name.startswith("standards_fts"))


def run_migrations_offline() -> None:
    _configure(url=_url())
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
        _let_the_app_read_the_revision(connection)


def _let_the_app_read_the_revision(connection) -> None:
    """``/readyz`` compares ``alembic_version`` with the code's heads, as the app role: that
    role may read this one table (not a migration: every ``db upgrade`` grants it again)."""
    if connection.dialect.name != "postgresql":
        return
    from sqlalchemy import text
    role = config.get_main_option("app_role") or get_settings().app_db_role
    connection.execute(text(f"""
        DO $$ BEGIN
          IF to_regclass('public.alembic_version') IS NOT NULL
             AND EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
            GRANT SELECT ON public.alembic_version TO {role};
          END IF;
        END $$"""))


async def run_migrations_online() -> None:
    engine = create_async_engine(_url(), poolclass=NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_run_sync)
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run_sync(connectable)
    else:
        asyncio.run(run_migrations_online())
