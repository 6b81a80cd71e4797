"""What the SQLite and PostgreSQL backups share: the refusal, the reports, the checks of a
file and of a destination, and the schema revision (``ecozone.db.backup`` runs them)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"

Progress = Callable[[str], None]


class BackupError(Exception):
    """A refusal explained to the operator in both languages; ``code`` says which."""

    def __init__(self, code: str, message_en: str, message_zh: str):
        super().__init__(f"{message_en} / {message_zh}")
        self.code = code
        self.message_en = message_en
        self.message_zh = message_zh


@dataclass(frozen=True)
class BackupReport:
    engine: str
    path: Path
    size: int
    counts: dict[str, int]   # rows per table, in the backup's snapshot
    revision: str | None


@dataclass(frozen=True)
class RestoreReport:
    engine: str
    counts: dict[str, int]
    revision: str | None
    head: str | None
    chains: int
    audit_entries: int
    broken: object | None  # ecozone.audit.chain.Break

    @property
    def at_head(self) -> bool:
        return self.revision == self.head


def quiet(_message: str) -> None:
    pass


def engine_of(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in {"sqlite", "postgresql"}:
        raise BackupError("UNSUPPORTED_ENGINE", f"unsupported database engine {name!r}",
                          f"不支持的数据库引擎 {name!r}")
    return name


def file_kind(path: Path) -> str:
    """``sqlite`` or ``postgresql`` from the file's first bytes; refuses anything else."""
    if not path.exists():
        raise BackupError("BACKUP_FILE_MISSING", f"backup file {path} does not exist",
                          f"备份文件 {path} 不存在")
    if not path.is_file():
        raise BackupError("BACKUP_FILE_MISSING", f"{path} is not a file", f"{path} 不是文件")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError("BACKUP_FILE_UNREADABLE", f"cannot read {path}: {exc.strerror}",
                          f"无法读取 {path}：{exc.strerror}") from exc
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError("BACKUP_FILE_CORRUPT",
                      f"{path} is not an ecozone backup (neither a SQLite database nor a pg_dump "
                      "custom-format archive)",
                      f"{path} 不是 ecozone 备份文件（既不是 SQLite 数据库，也不是 pg_dump 自定义格式归档）")


def corrupt_error(path: Path, detail: str) -> BackupError:
    return BackupError("BACKUP_FILE_CORRUPT", f"backup file {path} is damaged: {detail}",
                       f"备份文件 {path} 已损坏：{detail}")


def unwritable_error(path: Path, exc: OSError) -> BackupError:
    return BackupError("BACKUP_FILE_UNWRITABLE", f"cannot write {path}: {exc.strerror or exc}",
                       f"无法写入 {path}：{exc.strerror or exc}")


def move_into_place(partial: Path, destination: Path) -> int:
    """The finished backup, synced to disk, renamed over ``destination`` at once; its size."""
    try:
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, destination)
    except OSError as exc:
        raise unwritable_error(destination, exc) from exc
    return destination.stat().st_size


def check_destination(path: Path) -> None:
    if path.exists() and path.is_dir():
        raise BackupError("BACKUP_FILE_UNWRITABLE", f"{path} is a directory", f"{path} 是目录")
    if not path.parent.is_dir():
        raise BackupError("BACKUP_FILE_UNWRITABLE", f"directory {path.parent} does not exist",
                          f"目录 {path.parent} 不存在")


def migration_head() -> str | None:
    from alembic.script import ScriptDirectory

    from ecozone.settings import PROJECT_ROOT
    heads = ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_heads()
    return heads[0] if len(heads) == 1 else ",".join(sorted(heads))


def not_empty_error(where: str, tables: int) -> BackupError:
    return BackupError(
        "TARGET_NOT_EMPTY",
        f"the database {where} is not empty ({tables} tables): restore only into an empty "
        "database, or add --force to replace everything in it",
        f"数据库 {where} 不是空的（{tables} 张表）：只能恢复到空数据库；如要覆盖其中全部内容，请加 --force")


async def alembic_revision(connection: AsyncConnection) -> str | None:
    try:
        async with connection.begin_nested():
            rows = (await connection.execute(text("SELECT version_num FROM alembic_version"))
                    ).scalars().all()
    except Exception:  # noqa: BLE001 - no such table: not an ecozone database (yet)
        return None
    return ",".join(sorted(rows)) or None

