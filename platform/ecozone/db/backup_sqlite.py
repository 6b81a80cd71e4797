"""SQLite backup and restore through the online backup API (see ``ecozone.db.backup``)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from ecozone.db.backup_common import (
    BackupError,
    BackupReport,
    Progress,
    move_into_place,
    check_destination,
    corrupt_error,
    not_empty_error,
    quiet,
    unwritable_error,
)


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("UNSUPPORTED_ENGINE", "an in-memory SQLite database cannot be backed up",
                          "内存中的 SQLite 数据库无法备份")
    return Path(database)


def _sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    return [name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]


def _sqlite_counts(connection: sqlite3.Connection) -> dict[str, int]:
    return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in _sqlite_tables(connection)}


def _sqlite_revision(connection: sqlite3.Connection) -> str | None:
    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError:
        return None
    return ",".join(sorted(r[0] for r in rows)) or None


def _pages(progress: Progress, verb: str, pause: float):
    """A ``Connection.backup`` progress callback: one line per tenth, and the optional pause."""
    shown = [-1]

    def callback(_status: int, remaining: int, total: int) -> None:
        done = total - remaining
        tenth = done * 10 // total if total else 10
        if tenth != shown[0]:
            shown[0] = tenth
            progress(f"{verb} {done}/{total} pages ({tenth * 10}%)")
        if pause and remaining:
            time.sleep(pause)
    return callback


def backup_sqlite(url: str, destination: Path, *, step: int = 4096, pause: float = 0.0,
                  progress: Progress = quiet) -> BackupReport:
    source_path = sqlite_path(url)
    if not source_path.is_file():
        raise BackupError("DATABASE_MISSING", f"database file {source_path} does not exist",
                          f"数据库文件 {source_path} 不存在")
    check_destination(destination)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(source_path, isolation_level=None)
    try:
        source.execute("PRAGMA busy_timeout=10000")
        # One read transaction for the whole copy: its snapshot is the backup.
        source.execute("BEGIN")
        counts = _sqlite_counts(source)
        revision = _sqlite_revision(source)
        progress(f"snapshot taken: {len(counts)} tables, {sum(counts.values())} rows")
        try:
            target = sqlite3.connect(partial, isolation_level=None)
        except sqlite3.Error as exc:
            raise unwritable_error(destination, OSError(str(exc))) from exc
        try:
            source.backup(target, pages=max(1, step), progress=_pages(progress, "copied", pause))
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            check = target.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.OperationalError as exc:
            raise unwritable_error(destination, OSError(str(exc))) from exc
        finally:
            target.close()
        source.execute("COMMIT")
    finally:
        source.close()
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise corrupt_error(destination, check)
    return BackupReport("sqlite", destination, move_into_place(partial, destination), counts, revision)


def _open_sqlite_backup(path: Path) -> sqlite3.Connection:
    """The backup file, read-only, checked: intact, and an ecozone database."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        check = connection.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise corrupt_error(path, str(exc)) from exc
    if check != "ok":
        connection.close()
        raise corrupt_error(path, check)
    if "alembic_version" not in _sqlite_tables(connection):
        connection.close()
        raise BackupError("BACKUP_FILE_CORRUPT",
                          f"{path} is a SQLite database but not an ecozone backup (no alembic_version)",
                          f"{path} 是 SQLite 数据库，但不是 ecozone 备份（没有 alembic_version 表）")
    return connection


def restore_sqlite(path: Path, url: str, *, force: bool = False, step: int = 4096,
                   progress: Progress = quiet) -> None:
    source = _open_sqlite_backup(path)
    target_path = sqlite_path(url)
    try:
        target_path.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(target_path, isolation_level=None)
        target.execute("PRAGMA busy_timeout=10000")
        existing = _sqlite_tables(target)
    except (OSError, sqlite3.Error) as exc:
        source.close()
        raise BackupError("DATABASE_UNAVAILABLE", f"cannot open database {target_path}: {exc}",
                          f"无法打开数据库 {target_path}：{exc}") from exc
    try:
        if existing and not force:
            raise not_empty_error(str(target_path), len(existing))
        progress(f"restoring {path} into {target_path}")
        source.backup(target, pages=max(1, step), progress=_pages(progress, "restored", 0.0))
        target.execute("PRAGMA journal_mode=WAL")  # as the app runs it
    except sqlite3.Error as exc:
        raise BackupError("RESTORE_FAILED", f"restore into {target_path} failed: {exc}",
                          f"恢复到 {target_path} 失败：{exc}") from exc
    finally:
        target.close()
        source.close()

