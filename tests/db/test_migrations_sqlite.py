"""Migrations upgrade an empty SQLite database (the PostgreSQL half: test_migrations_postgres)."""

import sqlite3

from alembic.script import ScriptDirectory

from ecozone.db.migrate import alembic_config, upgrade
from ecozone.models import Base


def test_upgrade_empty_sqlite_database(tmp_path):
    path = tmp_path / "empty.sqlite3"
    upgrade(url=f"sqlite+aiosqlite:///{path}")
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        versions = {row[0] for row in connection.execute("SELECT version_num FROM alembic_version")}
    assert set(Base.metadata.tables) <= tables
    assert versions == set(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_upgrade_is_idempotent(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'twice.sqlite3'}"
    upgrade(url=url)
    upgrade(url=url)


def test_models_and_migrations_agree(tmp_path):
    """Autogenerate finds nothing to do: a model change without its migration fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    path = tmp_path / "compare.sqlite3"
    upgrade(url=f"sqlite+aiosqlite:///{path}")
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={
            "compare_type": True, "include_name": _not_the_search_index}), Base.metadata)
    engine.dispose()
    assert diff == []


def _not_the_search_index(name, type_, parent_names) -> bool:
    """The FTS5 table of standards search and its shadow tables are SQLite's, not models."""
    from ecozone.standards.search import FTS_TABLE
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))


def test_downgrade_to_base_and_back(tmp_path):
    from alembic import command

    url = f"sqlite+aiosqlite:///{tmp_path / 'down.sqlite3'}"
    upgrade(url=url)
    command.downgrade(alembic_config(url), "base")
    upgrade(url=url)
