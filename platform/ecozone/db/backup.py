"""``ecozone backup FILE`` and ``ecozone restore FILE`` on both engines.

SQLite: the online backup API (``sqlite3.Connection.backup``), page by page, while the app
serves. The source connection holds one read transaction for the whole copy, so the copy is the
database as it was when the backup began (WAL readers do not block writers) and writes made
meanwhile by other connections never restart it. The file is a plain SQLite database (rollback
journal mode, no ``-wal`` beside it).

PostgreSQL: ``pg_dump`` in custom format, in a snapshot exported by a REPEATABLE READ
transaction in which the row counts are taken too; ``pg_restore`` in one transaction, without
owners (the restoring role, the migration role, owns what it restores, as after ``db upgrade``)
but with privileges: the app role's grants, the row-level-security policies and the
``SECURITY DEFINER`` functions come back with the tables. Roles belong to the cluster, not to a
dump: the app role is created (``NOLOGIN``) when missing, as the first migration does.

A restore is declared done only once verified: every audit chain checked and the rows of every
table counted. Every refusal is a :class:`BackupError`: a code, an English and a Chinese message.

This module runs and verifies; the engines' work is in ``backup_sqlite`` and ``backup_postgresql``,
what they share (the refusal, the reports, the file checks) in ``backup_common``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from ecozone.db.backup_common import (
    BackupError,
    BackupReport,
    Progress,
    RestoreReport,
    alembic_revision,
    engine_of,
    file_kind,
    migration_head,
    quiet,
)
from ecozone.db.backup_postgresql import (
    backup_postgresql,
    pg_counts,
    restore_postgresql,
)
from ecozone.db.backup_sqlite import backup_sqlite, restore_sqlite


async def verify_database(url: str, progress: Progress = quiet) -> RestoreReport:
    """Audit chains checked and rows counted, as the operator (tables' owner)."""
    from ecozone.audit.service import verify
    from ecozone.db.engine import create_engine, transaction
    from ecozone.db.scoping import Scope

    kind = engine_of(url)
    engine = create_engine(url)
    try:
        async with transaction(engine, Scope.system(), write=False) as session:
            connection = await session.connection()
            revision = await alembic_revision(connection)
            if kind == "sqlite":
                names = list((await connection.execute(text(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                    "ORDER BY name"))).scalars())
                counts = {name: (await connection.execute(
                    text(f'SELECT count(*) FROM "{name}"'))).scalar_one() for name in names}
            else:
                counts = await pg_counts(connection)
            report = await verify(session, progress=lambda chain, n: progress(
                f"audit chain {chain}: {n} entries verified"))
    finally:
        await engine.dispose()
    return RestoreReport(kind, counts, revision, migration_head(), report.chains, report.entries,
                         report.broken)


async def backup(url: str, destination: Path, *, step: int = 4096, pause: float = 0.0,
                 progress: Progress = quiet) -> BackupReport:
    if engine_of(url) == "sqlite":
        return await asyncio.to_thread(backup_sqlite, url, destination, step=step, pause=pause,
                                       progress=progress)
    return await backup_postgresql(url, destination, progress=progress)


async def restore(path: Path, url: str, *, app_role: str, force: bool = False, step: int = 4096,
                  progress: Progress = quiet) -> RestoreReport:
    kind = engine_of(url)
    found = file_kind(path)
    if found != kind:
        raise BackupError("WRONG_ENGINE",
                          f"{path} is a {found} backup; the configured database is {kind}",
                          f"{path} 是 {found} 备份，而配置的数据库是 {kind}")
    if kind == "sqlite":
        await asyncio.to_thread(restore_sqlite, path, url, force=force, step=step,
                                progress=progress)
    else:
        await restore_postgresql(path, url, app_role=app_role, force=force, progress=progress)
    return await verify_database(url, progress)
