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
"""

from __future__ import annotations

import asyncio
import glob
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

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


def _quiet(_message: str) -> None:
    pass


# --------------------------------------------------------------------------- common


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


def _corrupt(path: Path, detail: str) -> BackupError:
    return BackupError("BACKUP_FILE_CORRUPT", f"backup file {path} is damaged: {detail}",
                       f"备份文件 {path} 已损坏：{detail}")


def _unwritable(path: Path, exc: OSError) -> BackupError:
    return BackupError("BACKUP_FILE_UNWRITABLE", f"cannot write {path}: {exc.strerror or exc}",
                       f"无法写入 {path}：{exc.strerror or exc}")


def _check_destination(path: Path) -> None:
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


# --------------------------------------------------------------------------- SQLite


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
                  progress: Progress = _quiet) -> BackupReport:
    source_path = sqlite_path(url)
    if not source_path.is_file():
        raise BackupError("DATABASE_MISSING", f"database file {source_path} does not exist",
                          f"数据库文件 {source_path} 不存在")
    _check_destination(destination)
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
            raise _unwritable(destination, OSError(str(exc))) from exc
        try:
            source.backup(target, pages=max(1, step), progress=_pages(progress, "copied", pause))
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            check = target.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.OperationalError as exc:
            raise _unwritable(destination, OSError(str(exc))) from exc
        finally:
            target.close()
        source.execute("COMMIT")
    finally:
        source.close()
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise _corrupt(destination, check)
    try:
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, destination)
    except OSError as exc:
        raise _unwritable(destination, exc) from exc
    return BackupReport("sqlite", destination, destination.stat().st_size, counts, revision)


def _open_sqlite_backup(path: Path) -> sqlite3.Connection:
    """The backup file, read-only, checked: intact, and an ecozone database."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        check = connection.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise _corrupt(path, str(exc)) from exc
    if check != "ok":
        connection.close()
        raise _corrupt(path, check)
    if "alembic_version" not in _sqlite_tables(connection):
        connection.close()
        raise BackupError("BACKUP_FILE_CORRUPT",
                          f"{path} is a SQLite database but not an ecozone backup (no alembic_version)",
                          f"{path} 是 SQLite 数据库，但不是 ecozone 备份（没有 alembic_version 表）")
    return connection


def restore_sqlite(path: Path, url: str, *, force: bool = False, step: int = 4096,
                   progress: Progress = _quiet) -> None:
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
            raise _not_empty(str(target_path), len(existing))
        progress(f"restoring {path} into {target_path}")
        source.backup(target, pages=max(1, step), progress=_pages(progress, "restored", 0.0))
        target.execute("PRAGMA journal_mode=WAL")  # as the app runs it
    except sqlite3.Error as exc:
        raise BackupError("RESTORE_FAILED", f"restore into {target_path} failed: {exc}",
                          f"恢复到 {target_path} 失败：{exc}") from exc
    finally:
        target.close()
        source.close()


def _not_empty(where: str, tables: int) -> BackupError:
    return BackupError(
        "TARGET_NOT_EMPTY",
        f"the database {where} is not empty ({tables} tables): restore only into an empty "
        "database, or add --force to replace everything in it",
        f"数据库 {where} 不是空的（{tables} 张表）：只能恢复到空数据库；如要覆盖其中全部内容，请加 --force")


# --------------------------------------------------------------------------- PostgreSQL


def pg_tool(name: str) -> str:
    """``pg_dump`` / ``pg_restore``: ECOZONE_PG_BIN_DIR, the PATH, then Debian's layout."""
    directory = os.environ.get("ECOZONE_PG_BIN_DIR")
    if directory and os.access(Path(directory) / name, os.X_OK):
        return str(Path(directory) / name)
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                            key=lambda p: int(re.sub(r"\D", "", Path(p).parts[-3]) or 0),
                            reverse=True):
        if os.access(candidate, os.X_OK):
            return candidate
    raise BackupError("PG_TOOL_MISSING",
                      f"{name} not found: install the PostgreSQL client (postgresql-client-15) "
                      "or set ECOZONE_PG_BIN_DIR",
                      f"找不到 {name}：请安装 PostgreSQL 客户端（postgresql-client-15）或设置 ECOZONE_PG_BIN_DIR")


def libpq_arguments(url: str) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore from a SQLAlchemy URL; the password goes
    through the environment, never the command line."""
    parsed = make_url(url)
    args = ["--no-password"]
    env = dict(os.environ)
    if parsed.host:
        args += ["--host", parsed.host]
    if parsed.port:
        args += ["--port", str(parsed.port)]
    if parsed.username:
        args += ["--username", parsed.username]
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    ssl = parsed.query.get("sslmode") or parsed.query.get("ssl")
    if isinstance(ssl, str):
        env["PGSSLMODE"] = {"true": "require"}.get(ssl, ssl)
    args += ["--dbname", parsed.database or "postgres"]
    return args, env


def _pg_engine(url: str, **kwargs):
    return create_async_engine(url, poolclass=NullPool, **kwargs)


async def _pg_tables(connection: AsyncConnection) -> list[str]:
    return list((await connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    ))).scalars())


async def _pg_counts(connection: AsyncConnection) -> dict[str, int]:
    counts = {}
    for name in await _pg_tables(connection):
        counts[name] = (await connection.execute(text(f'SELECT count(*) FROM public."{name}"'))
                        ).scalar_one()
    return counts


async def _revision(connection: AsyncConnection) -> str | None:
    try:
        async with connection.begin_nested():
            rows = (await connection.execute(text("SELECT version_num FROM alembic_version"))
                    ).scalars().all()
    except Exception:  # noqa: BLE001 - no such table: not an ecozone database (yet)
        return None
    return ",".join(sorted(rows)) or None


async def _run_tool(command: list[str], env: dict[str, str], on_line: Callable[[str], None]
                    ) -> tuple[int, list[str]]:
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT)
    lines: list[str] = []
    assert process.stdout is not None
    async for raw in process.stdout:
        line = raw.decode(errors="replace").rstrip()
        lines.append(line)
        on_line(line)
    return await process.wait(), lines


def _tool_failure(code: str, what_en: str, what_zh: str, lines: list[str]) -> BackupError:
    errors = [line for line in lines if "error" in line.lower() or "fatal" in line.lower()]
    detail = (errors or lines or ["no output"])[-1]
    return BackupError(code, f"{what_en}: {detail}", f"{what_zh}：{detail}")


TABLE_LINE = re.compile(r'(?:dumping contents of|processing data for) table "(?:public\.)?([^"]+)"')


async def backup_postgresql(url: str, destination: Path, *, progress: Progress = _quiet
                            ) -> BackupReport:
    _check_destination(destination)
    pg_dump = pg_tool("pg_dump")
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    args, env = libpq_arguments(url)
    engine = _pg_engine(url, isolation_level="REPEATABLE READ")
    try:
        async with engine.connect() as connection:
            # pg_dump works in this transaction's snapshot: the counts printed are the dump's.
            await connection.execute(text("SET TRANSACTION READ ONLY"))
            snapshot = (await connection.execute(text("SELECT pg_export_snapshot()"))).scalar_one()
            revision = await _revision(connection)
            counts = await _pg_counts(connection)
            progress(f"snapshot {snapshot}: {len(counts)} tables, {sum(counts.values())} rows")
            done = [0]

            def on_line(line: str) -> None:
                match = TABLE_LINE.search(line)
                if match:
                    done[0] += 1
                    progress(f"[{done[0]}/{len(counts)}] table {match.group(1)}")

            code, lines = await _run_tool(
                [pg_dump, "--format=custom", "--verbose", "--enable-row-security",
                 f"--snapshot={snapshot}", f"--file={partial}", *args], env, on_line)
            await connection.rollback()
    finally:
        await engine.dispose()
    if code != 0:
        partial.unlink(missing_ok=True)
        raise _tool_failure("BACKUP_FAILED", "pg_dump failed", "pg_dump 失败", lines)
    try:
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, destination)
    except OSError as exc:
        raise _unwritable(destination, exc) from exc
    return BackupReport("postgresql", destination, destination.stat().st_size, counts, revision)


async def _pg_archive_entries(path: Path) -> list[str]:
    """The archive's table of contents (``pg_restore --list``): refuses a damaged archive."""
    code, lines = await _run_tool([pg_tool("pg_restore"), "--list", str(path)], dict(os.environ),
                                  _quiet)
    if code != 0:
        detail = next((line for line in lines if line.strip()), "unreadable archive")
        raise _corrupt(path, detail)
    entries = [line for line in lines if line and not line.startswith(";")]
    # The table of contents comes first in the file: read it all (to nowhere), so that a
    # truncated or damaged archive is refused before anything in the target is touched.
    code, lines = await _run_tool([pg_tool("pg_restore"), "--file=/dev/null", str(path)],
                                  dict(os.environ), _quiet)
    if code != 0:
        raise _corrupt(path, next((line for line in reversed(lines) if line.strip()),
                                  "unreadable archive"))
    return entries


async def _pg_objects(connection: AsyncConnection) -> int:
    """Relations and functions in the public schema (extensions' members excepted)."""
    return (await connection.execute(text("""
        SELECT (SELECT count(*) FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r','p','v','m','S','f')
                  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                  AND d.objid = c.oid AND d.deptype = 'e'))
             + (SELECT count(*) FROM pg_proc p
                WHERE p.pronamespace = 'public'::regnamespace
                  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                  AND d.objid = p.oid AND d.deptype = 'e'))"""))).scalar_one()


DROP_PUBLIC = """
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT c.relname, c.relkind FROM pg_class c
           WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r','p','v','m','f')
             AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                             AND d.objid = c.oid AND d.deptype = 'e') LOOP
    EXECUTE format(CASE r.relkind WHEN 'v' THEN 'DROP VIEW IF EXISTS public.%I CASCADE'
                                  WHEN 'm' THEN 'DROP MATERIALIZED VIEW IF EXISTS public.%I CASCADE'
                                  WHEN 'f' THEN 'DROP FOREIGN TABLE IF EXISTS public.%I CASCADE'
                                  ELSE 'DROP TABLE IF EXISTS public.%I CASCADE' END, r.relname);
  END LOOP;
  FOR r IN SELECT c.relname FROM pg_class c
           WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'S' LOOP
    EXECUTE format('DROP SEQUENCE IF EXISTS public.%I CASCADE', r.relname);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
           WHERE p.pronamespace = 'public'::regnamespace
             AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                             AND d.objid = p.oid AND d.deptype = 'e') LOOP
    EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', r.signature);
  END LOOP;
END $$"""


def _ensure_role_sql(role: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_$]*", role):
        raise BackupError("BAD_SETTING", f"ECOZONE_APP_DB_ROLE {role!r} is not a plain role name",
                          f"ECOZONE_APP_DB_ROLE {role!r} 不是合法的角色名")
    return f"""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
            CREATE ROLE {role} NOLOGIN;
          END IF;
        END $$"""


async def restore_postgresql(path: Path, url: str, *, app_role: str, force: bool = False,
                             progress: Progress = _quiet) -> None:
    entries = await _pg_archive_entries(path)
    total = sum(1 for line in entries if " TABLE DATA " in line)
    where = make_url(url).database or "postgres"
    engine = _pg_engine(url)
    try:
        async with engine.begin() as connection:
            objects = await _pg_objects(connection)
            if objects and not force:
                raise _not_empty(where, objects)
            if objects:
                progress(f"--force: dropping {objects} objects of schema public in {where}")
                await connection.execute(text(DROP_PUBLIC))
            await connection.execute(text(_ensure_role_sql(app_role)))
    finally:
        await engine.dispose()
    args, env = libpq_arguments(url)
    done = [0]

    def on_line(line: str) -> None:
        match = TABLE_LINE.search(line)
        if match:
            done[0] += 1
            progress(f"[{done[0]}/{total}] table {match.group(1)}")

    code, lines = await _run_tool(
        [pg_tool("pg_restore"), "--verbose", "--no-owner", "--single-transaction",
         "--exit-on-error", *args, str(path)], env, on_line)
    if code != 0:
        raise _tool_failure("RESTORE_FAILED", f"pg_restore into {where} failed (nothing restored)",
                            f"pg_restore 恢复到 {where} 失败（未恢复任何内容）", lines)


# --------------------------------------------------------------------------- verification


async def verify_database(url: str, progress: Progress = _quiet) -> RestoreReport:
    """Audit chains checked and rows counted, as the operator (tables' owner)."""
    from ecozone.audit.service import verify
    from ecozone.db.engine import create_engine, transaction
    from ecozone.db.scoping import Scope

    kind = engine_of(url)
    engine = create_engine(url)
    try:
        async with transaction(engine, Scope.system(), write=False) as session:
            connection = await session.connection()
            revision = await _revision(connection)
            if kind == "sqlite":
                names = list((await connection.execute(text(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                    "ORDER BY name"))).scalars())
                counts = {name: (await connection.execute(
                    text(f'SELECT count(*) FROM "{name}"'))).scalar_one() for name in names}
            else:
                counts = await _pg_counts(connection)
            report = await verify(session, progress=lambda chain, n: progress(
                f"audit chain {chain}: {n} entries verified"))
    finally:
        await engine.dispose()
    return RestoreReport(kind, counts, revision, migration_head(), report.chains, report.entries,
                         report.broken)


async def backup(url: str, destination: Path, *, step: int = 4096, pause: float = 0.0,
                 progress: Progress = _quiet) -> BackupReport:
    if engine_of(url) == "sqlite":
        return await asyncio.to_thread(backup_sqlite, url, destination, step=step, pause=pause,
                                       progress=progress)
    return await backup_postgresql(url, destination, progress=progress)


async def restore(path: Path, url: str, *, app_role: str, force: bool = False, step: int = 4096,
                  progress: Progress = _quiet) -> RestoreReport:
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
