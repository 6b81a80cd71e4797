"""The operator's backup and restore commands (``ecozone backup``, ``ecozone restore``):
progress on stderr, the summary and row counts on stdout, refusals in both languages.
The work itself is in ecozone/db/backup.py."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from ecozone.settings import get_settings


def _backup_progress(message: str) -> None:
    """Backup/restore progress on stderr, so stdout keeps the summary alone."""
    try:
        print(f"  {message}", file=sys.stderr, flush=True)
    except BrokenPipeError:
        pass


def _print_counts(counts: dict[str, int]) -> None:
    width = max((len(name) for name in counts), default=0)
    for name, rows in counts.items():
        print(f"  {name:<{width}}  {rows:>10}")
    print(f"  {'total':<{width}}  {sum(counts.values()):>10}  ({len(counts)} tables)")


def _backup_refusal(exc: Exception) -> Exception:
    """Any database or file-system failure of backup/restore, said in both languages."""
    from sqlalchemy.exc import DBAPIError

    from ecozone.cli import CliError  # here: ecozone.cli imports this module
    from ecozone.db.backup_common import BackupError
    if isinstance(exc, BackupError):
        return CliError(f"{exc.message_en} / {exc.message_zh} ({exc.code})")
    if isinstance(exc, DBAPIError):
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return CliError(f"database unavailable: {detail} / 数据库不可用：{detail} (DATABASE_UNAVAILABLE)")
    detail = str(exc) or type(exc).__name__
    return CliError(f"failed: {detail} / 失败：{detail} (FAILED)")


def cmd_backup(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError

    from ecozone.db.backup import backup
    from ecozone.db.backup_common import BackupError
    settings = get_settings()
    destination = Path(args.file).absolute()
    _backup_progress(f"backing up to {destination}")
    try:
        report = asyncio.run(backup(settings.migration_database_url, destination, step=args.step,
                                    pause=args.pause / 1000, progress=_backup_progress))
    except (BackupError, DBAPIError, OSError) as exc:
        raise _backup_refusal(exc) from exc
    print(f"backup written: {report.path} ({report.size} bytes, {report.engine}, "
          f"migration {report.revision or 'none'})")
    print("rows per table at the backup's snapshot:")
    _print_counts(report.counts)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError

    from ecozone.db.backup import restore
    from ecozone.db.backup_common import BackupError
    settings = get_settings()
    source = Path(args.file).absolute()
    _backup_progress(f"restoring from {source}")
    try:
        report = asyncio.run(restore(source, settings.migration_database_url,
                                     app_role=settings.app_db_role, force=args.force,
                                     step=args.step, progress=_backup_progress))
    except (BackupError, DBAPIError, OSError) as exc:
        raise _backup_refusal(exc) from exc
    print(f"restored from {source} ({report.engine}, migration {report.revision or 'none'})")
    print("rows per table:")
    _print_counts(report.counts)
    if report.broken is not None:
        b = report.broken
        print(f"BROKEN: audit chain {b.chain}, entry {b.seq}: {b.reason} / "
              f"审计链 {b.chain} 第 {b.seq} 条断裂：{b.reason_zh}")
        print("restore NOT verified / 恢复未通过校验")
        return 1
    print(f"audit log intact: {report.audit_entries} entries in {report.chains} chains")
    if not report.at_head:
        print(f"note: the database is at migration {report.revision}, the code's head is "
              f"{report.head}: run `ecozone db upgrade` before serving / "
              f"注意：数据库迁移版本为 {report.revision}，代码为 {report.head}，启动服务前请运行 `ecozone db upgrade`")
    print("restore verified / 恢复已校验")
    return 0


def add_backup_commands(sub) -> None:
    """``ecozone backup FILE`` and ``ecozone restore FILE``, on the CLI's subcommands."""
    p = sub.add_parser("backup", help="back up the database to FILE while the app serves "
                       "(SQLite: online backup API; PostgreSQL: pg_dump custom format)")
    p.add_argument("file", help="the backup file to write")
    p.add_argument("--step", type=int, default=4096, help="SQLite: pages copied per step")
    p.add_argument("--pause", type=float, default=0.0,
                   help="SQLite: milliseconds to rest between steps (spares a busy disk)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore FILE into an empty database, then verify the "
                       "audit chains and count the rows")
    p.add_argument("file", help="a file written by `ecozone backup`")
    p.add_argument("--force", action="store_true",
                   help="replace everything in a database that is not empty")
    p.add_argument("--step", type=int, default=4096, help="SQLite: pages copied per step")
    p.set_defaults(func=cmd_restore)
