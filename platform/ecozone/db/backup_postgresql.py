"""PostgreSQL backup and restore with pg_dump / pg_restore (see ``ecozone.db.backup``)."""

from __future__ import annotations

import asyncio
import glob
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from ecozone.db.backup_common import (
    BackupError,
    BackupReport,
    Progress,
    move_into_place,
    alembic_revision,
    check_destination,
    corrupt_error,
    not_empty_error,
    quiet,
)


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


async def pg_counts(connection: AsyncConnection) -> dict[str, int]:
    counts = {}
    for name in await _pg_tables(connection):
        counts[name] = (await connection.execute(text(f'SELECT count(*) FROM public."{name}"'))
                        ).scalar_one()
    return counts


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


async def backup_postgresql(url: str, destination: Path, *, progress: Progress = quiet
                            ) -> BackupReport:
    check_destination(destination)
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
            revision = await alembic_revision(connection)
            counts = await pg_counts(connection)
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
    return BackupReport("postgresql", destination, move_into_place(partial, destination), counts, revision)


async def _pg_archive_entries(path: Path) -> list[str]:
    """The archive's table of contents (``pg_restore --list``): refuses a damaged archive."""
    code, lines = await _run_tool([pg_tool("pg_restore"), "--list", str(path)], dict(os.environ),
                                  quiet)
    if code != 0:
        detail = next((line for line in lines if line.strip()), "unreadable archive")
        raise corrupt_error(path, detail)
    entries = [line for line in lines if line and not line.startswith(";")]
    # The table of contents comes first in the file: read it all (to nowhere), so that a
    # truncated or damaged archive is refused before anything in the target is touched.
    code, lines = await _run_tool([pg_tool("pg_restore"), "--file=/dev/null", str(path)],
                                  dict(os.environ), quiet)
    if code != 0:
        raise corrupt_error(path, next((line for line in reversed(lines) if line.strip()),
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
                             progress: Progress = quiet) -> None:
    entries = await _pg_archive_entries(path)
    total = sum(1 for line in entries if " TABLE DATA " in line)
    where = make_url(url).database or "postgres"
    engine = _pg_engine(url)
    try:
        async with engine.begin() as connection:
            objects = await _pg_objects(connection)
            if objects and not force:
                raise not_empty_error(where, objects)
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

