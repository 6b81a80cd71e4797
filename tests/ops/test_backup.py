"""``ecozone backup`` / ``ecozone restore`` on both engines (issue 21).

The backup runs as a separate process (the CLI) while the app, in this process, keeps posting
mutations; the restore goes into an empty database, is verified (audit chains, row counts),
and an app built on the restored database answers a query and a mutation (on PostgreSQL as the
app's login role, bound by row-level security).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy import insert, select
from sqlalchemy.engine import make_url

from ecozone import cli
from ecozone.audit.models import AuditEntry
from ecozone.auth.models import User
from ecozone.db.backup import restore, verify_database
from ecozone.db.backup_common import BackupError, file_kind
from ecozone.db.engine import create_engine
from ecozone.experts.models import ExpertProfile
from ecozone.settings import PROJECT_ROOT, QueryLimits, Settings, get_settings
from ecozone.tenancy.models import Zone
from tests.conftest import TestDatabase as Database
from tests.experts.test_experts_api import CREATE, PROFILE
from tests.support.api import Api
from tests.support.db import run_as_operator

WRITERS = 400
ZONES = "{ zones { totalCount } }"


# ------------------------------------------------------------------ helpers


@pytest.fixture
async def empty_target(engine_kind, tmp_path, request) -> Database:
    """An empty database to restore into: a new SQLite path, or CREATE DATABASE."""
    if engine_kind == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'restored' / 'ecozone.sqlite3'}"
        yield Database("sqlite", url, url)
        return
    cluster = request.getfixturevalue("postgres_cluster")
    name = f"r_{uuid.uuid4().hex[:12]}"
    cluster.create_database(name)
    yield Database("postgresql", cluster.app_url(name), cluster.admin_url(name))
    cluster.drop_database(name)


def cli_env(database: Database, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "ECOZONE_DATABASE_URL": database.app_url,
            "ECOZONE_MIGRATION_DATABASE_URL": database.operator_url,
            "ECOZONE_SECRET": "backup-test-secret-" + "x" * 32, "ECOZONE_ENV": "test",
            "ECOZONE_VAR_DIR": str(tmp_path / "var"),
            "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT / "platform"), str(PROJECT_ROOT)])}


async def run_cli(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ecozone.cli", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode, out.decode(), err.decode()


def counts_block(stdout: str, title: str) -> list[str]:
    """The per-table row counts the CLI printed after ``title``."""
    lines = stdout.splitlines()
    start = lines.index(title) + 1
    block = []
    for line in lines[start:]:
        block.append(line)
        if line.strip().startswith("total "):
            return block
    raise AssertionError(f"no counts after {title!r} in:\n{stdout}")


async def add_writers(api: Api, count: int) -> list[str]:
    """``count`` users of Jiangxi, in one operator transaction; each will create a profile."""
    names = [f"writer{i:03d}" for i in range(count)]

    async def work(session):
        zone_id = await session.scalar(select(Zone.id).where(Zone.slug == "jiangxi"))
        await session.execute(insert(User), [
            {"username": name, "display_name": name, "home_zone_id": zone_id, "is_active": True}
            for name in names])
    await api.operator(work)
    return names


async def app_on(database: Database, secret: str):
    from ecozone.web.app import create_app
    settings = Settings(database_url=database.app_url, migration_database_url=database.operator_url,
                        secret=secret, env="test", limits=QueryLimits())
    engine = create_engine(settings.database_url)
    app = create_app(settings, engine=engine)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ecozone.test")
    return Api(client=client, settings=settings, operator_url=database.operator_url), engine


def _rows(url: str, query: str) -> list[tuple]:
    parsed = make_url(url)
    with psycopg.connect(host=parsed.host, port=parsed.port, user=parsed.username,
                         dbname=parsed.database, autocommit=True) as conn:
        return sorted(tuple(str(v) for v in row) for row in conn.execute(query).fetchall())


PRIVILEGES = {
    "table grants": "SELECT table_name, grantee, privilege_type FROM information_schema.role_table_grants "
                    "WHERE table_schema = 'public' AND grantee <> table_catalog AND grantee NOT IN "
                    "(SELECT tableowner FROM pg_tables WHERE schemaname = 'public')",
    "policies": "SELECT tablename, policyname, roles::text, cmd, qual, with_check FROM pg_policies "
                "WHERE schemaname = 'public'",
    "row security": "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                    "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'",
    "functions": "SELECT proname, prosecdef, proacl::text, pg_get_userbyid(proowner) FROM pg_proc "
                 "WHERE pronamespace = 'public'::regnamespace",
    "sequences": "SELECT relname, relacl::text FROM pg_class "
                 "WHERE relnamespace = 'public'::regnamespace AND relkind = 'S'",
    "schema": "SELECT nspname, nspacl::text FROM pg_namespace WHERE nspname = 'public'",
    "owners": "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'",
}


# ------------------------------------------------------------------ while writes run


async def test_backup_while_writing_then_restore_into_an_empty_database(
        api, database, empty_target, tmp_path):
    writers = await add_writers(api, WRITERS)
    stop = asyncio.Event()
    done: list[tuple[str, float]] = []

    async def write():
        for i, name in enumerate(writers[:-5]):  # the last five write on the restored copy
            if stop.is_set():
                return
            data = await api.gql(CREATE, {"input": {**PROFILE, "email": f"w{i}@example.org"}},
                                 user=name, zone="jiangxi")
            assert data["createExpertProfile"]["__typename"] == "Expert", data
            done.append((name, time.monotonic()))

    writing = asyncio.create_task(write())
    while len(done) < 5:
        await asyncio.sleep(0.01)
        assert not writing.done(), writing.exception()
    backup_file = tmp_path / "ecozone.backup"
    began = time.monotonic()
    # SQLite: a page at a time with a rest between, so that the copy overlaps the writes.
    rc, backup_out, backup_err = await run_cli(cli_env(database, tmp_path), "backup",
                                               str(backup_file), "--step", "2", "--pause", "5")
    ended = time.monotonic()
    stop.set()
    await writing
    assert rc == 0, backup_err
    assert "Traceback" not in backup_err
    committed_before = {name for name, at in done if at < began}
    assert len(committed_before) >= 5
    assert any(began < at < ended for _, at in done), "no write ran during the backup"
    assert file_kind(backup_file) == database.kind
    # progress was shown
    assert ("pages" in backup_err) if database.kind == "sqlite" else ("table audit_log" in backup_err)

    rc, restore_out, restore_err = await run_cli(cli_env(empty_target, tmp_path), "restore",
                                                 str(backup_file))
    assert rc == 0, restore_out + restore_err
    assert "restore verified / 恢复已校验" in restore_out
    assert "audit log intact" in restore_out
    assert "audit chain jiangxi" in restore_err
    # the rows counted in the backup's snapshot are the rows restored
    assert (counts_block(restore_out, "rows per table:")
            == counts_block(backup_out, "rows per table at the backup's snapshot:"))

    async def restored(session):
        experts = set((await session.scalars(
            select(User.username).join(ExpertProfile, ExpertProfile.user_id == User.id))).all())
        audited = set((await session.scalars(
            select(User.username).join(AuditEntry, AuditEntry.actor_id == User.id)
            .where(AuditEntry.action == "expert.create"))).all())
        return experts, audited
    experts, audited = await run_as_operator(empty_target.operator_url, restored)
    assert committed_before <= experts
    assert committed_before <= audited
    assert experts == audited
    report = await verify_database(empty_target.operator_url)
    assert report.broken is None and report.audit_entries >= len(committed_before)
    assert report.at_head

    # The app on the restored database (PostgreSQL: the app's login, bound by RLS) serves.
    restored_api, engine = await app_on(empty_target, api.settings.secret)
    try:
        assert (await restored_api.gql(ZONES))["zones"]["totalCount"] == 4
        data = await restored_api.gql(CREATE, {"input": {**PROFILE, "email": "after@example.org"}},
                                      user=writers[-1], zone="jiangxi")
        assert data["createExpertProfile"]["__typename"] == "Expert", data
        ready = await restored_api.client.get("/readyz")
        assert ready.status_code == 200, ready.text
    finally:
        await restored_api.client.aclose()
        await restored_api.close()
        await engine.dispose()
    report = await verify_database(empty_target.operator_url)
    assert report.broken is None

    if database.kind == "postgresql":
        # Grants, policies, SECURITY DEFINER functions: as `ecozone db upgrade` left them.
        for what, query in PRIVILEGES.items():
            assert _rows(empty_target.operator_url, query) == _rows(database.operator_url, query), what


# ------------------------------------------------------------------ refusals through the CLI


@pytest.fixture
def use_database(monkeypatch):
    """Point the in-process CLI at a database (settings come from the environment)."""
    def point(database: Database, tmp_path: Path) -> None:
        for key, value in cli_env(database, tmp_path).items():
            if key.startswith("ECOZONE_"):
                monkeypatch.setenv(key, value)
        get_settings.cache_clear()
    yield point
    monkeypatch.undo()
    get_settings.cache_clear()


def run_main(capsys, *args: str) -> tuple[int, str, str]:
    rc = cli.main(list(args))
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def assert_refused(result: tuple[int, str, str], code: str, en: str, zh: str) -> None:
    rc, out, err = result
    assert rc == 2, (out, err)
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, err
    assert en in errors[0] and zh in errors[0] and errors[0].endswith(f"({code})"), err


def test_refusals_are_typed_and_bilingual(database, empty_target, tmp_path, use_database, capsys):
    use_database(database, tmp_path)
    backup_file = tmp_path / "good.backup"
    assert run_main(capsys, "backup", str(backup_file))[0] == 0
    assert_refused(run_main(capsys, "backup", str(tmp_path / "no" / "such" / "dir.backup")),
                   "BACKUP_FILE_UNWRITABLE", "does not exist", "不存在")

    # The database it came from is not empty: refused, then replaced with --force.
    assert_refused(run_main(capsys, "restore", str(backup_file)), "TARGET_NOT_EMPTY",
                   "is not empty", "不是空的")
    rc, out, err = run_main(capsys, "restore", str(backup_file), "--force")
    assert rc == 0, err
    assert "restore verified" in out

    use_database(empty_target, tmp_path)
    assert_refused(run_main(capsys, "restore", str(tmp_path / "missing.backup")),
                   "BACKUP_FILE_MISSING", "does not exist", "不存在")
    garbage = tmp_path / "garbage.backup"
    garbage.write_bytes(b"this is not a backup\n" * 100)
    assert_refused(run_main(capsys, "restore", str(garbage)), "BACKUP_FILE_CORRUPT",
                   "not an ecozone backup", "不是 ecozone 备份文件")
    truncated = tmp_path / "truncated.backup"
    data = backup_file.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    assert_refused(run_main(capsys, "restore", str(truncated)), "BACKUP_FILE_CORRUPT",
                   "is damaged", "已损坏")
    other = "postgresql" if database.kind == "sqlite" else "sqlite"
    wrong = tmp_path / "wrong.backup"
    wrong.write_bytes((b"SQLite format 3\x00" if other == "sqlite" else b"PGDMP") + b"\x00" * 200)
    assert_refused(run_main(capsys, "restore", str(wrong)), "WRONG_ENGINE",
                   f"is a {other} backup", f"是 {other} 备份")

    # Nothing was written into the empty target by the refused restores...
    async def tables():
        with pytest.raises(BackupError) as refused:
            await restore(tmp_path / "missing.backup", empty_target.operator_url, app_role="ecozone_app")
        assert refused.value.code == "BACKUP_FILE_MISSING"
        if empty_target.kind == "sqlite":
            return Path(make_url(empty_target.operator_url).database).exists()
        return _rows(empty_target.operator_url,
                     "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    assert not asyncio.run(tables())
    # ... and the good file restores into it.
    rc, out, err = run_main(capsys, "restore", str(backup_file))
    assert rc == 0, err
    assert "restore verified" in out


async def test_a_restored_chain_that_does_not_verify_is_not_declared_done(
        api, database, empty_target, tmp_path):
    writer = (await add_writers(api, 1))[0]
    await api.gql(CREATE, {"input": PROFILE}, user=writer, zone="jiangxi")

    async def tamper(session):
        from sqlalchemy import text, update
        if session.bind.dialect.name == "postgresql":
            await session.execute(text("SET LOCAL session_replication_role = replica"))
        await session.execute(update(AuditEntry).values(outcome="forged"))
    await api.operator(tamper)
    backup_file = tmp_path / "tampered.backup"
    assert (await run_cli(cli_env(database, tmp_path), "backup", str(backup_file)))[0] == 0
    rc, out, err = await run_cli(cli_env(empty_target, tmp_path), "restore", str(backup_file))
    assert rc == 1, out + err
    assert "BROKEN: audit chain jiangxi" in out and "内容在写入后被改动" in out  # the reason in both halves
    assert "restore NOT verified / 恢复未通过校验" in out
    assert "Traceback" not in err
