"""A throwaway PostgreSQL 15 cluster for the test suite, started once per session.

The process is run by pytest-postgresql's ``PostgreSQLExecutor`` (a mirakuru executor around
``pg_ctl``: initdb, start with ``-w``, status, ``stop -m fast``). PostgreSQL refuses to run as
root, and CI runs as root, so when the effective user is root the executor is given a small
``pg_ctl`` wrapper that re-executes the real one through ``runuser -u postgres --``, and the
cluster's directory (data, socket, log) is a fresh ``mkdtemp`` owned by ``postgres``: pytest's
own temp root is mode 0700 for root and cannot be entered by ``postgres``.

Server settings favour speed over durability (fsync, synchronous_commit and full_page_writes
off). It listens only on 127.0.0.1 and on a unix socket inside the temp directory.
Authentication: trust for everyone over the socket and 127.0.0.1, except the application
login ``APP_LOGIN``, which must give its password over TCP (scram-sha-256), like in production.

Register with ``pytest_plugins = ["tests.support.postgres"]`` (or ``-p tests.support.postgres``).
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql as pgsql
from sqlalchemy import URL

APP_ROLE = "ecozone_app"
APP_LOGIN = "ecozone_app_login"
APP_PASSWORD = "ecozone-test-app-password"

SUPERUSER = "postgres"
HOST = "127.0.0.1"
OS_USER = "postgres"  # runs the server when the tests run as root

SKIP_REASON = ("PostgreSQL tests skipped: no initdb/pg_ctl on PATH; install PostgreSQL 15 server "
               "(apt-get install postgresql-15) to run them")

SERVER_OPTIONS = " ".join(f"-c {setting}" for setting in (
    f"listen_addresses={HOST}",
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=200",
))

PG_HBA = f"""\
# Written by tests/support/postgres.py: a throwaway test cluster.
local   all  all                     trust
host    all  {APP_LOGIN}  {HOST}/32  scram-sha-256
host    all  all          {HOST}/32  trust
"""

_WRAPPER = """\
#!/bin/sh
# pg_ctl (and initdb, postgres) refuse to run as root: run it as the postgres OS user.
if [ "$(id -u)" = 0 ]; then
  cd /
  exec runuser -u {os_user} -- "{real}" "$@"
fi
exec "{real}" "$@"
"""


def _pg_bin_dir() -> Path | None:
    """The directory holding ``pg_ctl`` and ``initdb``: the PATH first, then Debian's layout."""
    candidates = []
    found = shutil.which("pg_ctl")
    if found:
        candidates.append(Path(found).resolve().parent)
    # /usr/lib/postgresql/<major>/bin, newest major first
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                    key=lambda p: int(re.sub(r"\D", "", Path(p).parent.name) or 0), reverse=True)
    candidates.extend(Path(p) for p in debian)
    for directory in candidates:
        if all(os.access(directory / exe, os.X_OK) for exe in ("pg_ctl", "initdb", "postgres")):
            return directory
    return None


def _os_user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def postgres_unavailable_reason() -> str | None:
    """``None`` when a cluster can be started here; otherwise one line saying how to enable it."""
    if _pg_bin_dir() is None:
        return SKIP_REASON
    if os.geteuid() == 0 and (shutil.which("runuser") is None or not _os_user_exists(OS_USER)):
        return ("PostgreSQL tests skipped: running as root needs runuser and a 'postgres' OS user; "
                "install PostgreSQL 15 server (apt-get install postgresql-15) to run them")
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class PostgresCluster:
    """A running cluster: URLs for SQLAlchemy and a few superuser operations."""

    def __init__(self, host: str, port: int, server: _Server | None = None) -> None:
        self.host = host
        self.port = port
        self._server = server

    def stop_server(self) -> None:
        """Stop the cluster (``pg_ctl stop -m fast``): sessions are terminated, their open
        transactions rolled back, as in a database restart (the fault tests)."""
        assert self._server is not None, "this cluster was not started by the fixture"
        self._server.executor.stop()

    def start_server(self) -> None:
        """Start the stopped cluster again, on the same port, with its data."""
        assert self._server is not None, "this cluster was not started by the fixture"
        self._server.resume()

    def url(self, dbname: str, *, user: str = SUPERUSER, password: str | None = None,
            driver: str = "asyncpg") -> str:
        return URL.create(f"postgresql+{driver}", username=user, password=password,
                          host=self.host, port=self.port,
                          database=dbname).render_as_string(hide_password=False)

    def admin_url(self, dbname: str) -> str:
        return self.url(dbname)

    def app_url(self, dbname: str) -> str:
        return self.url(dbname, user=APP_LOGIN, password=APP_PASSWORD)

    def _connect(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(host=self.host, port=self.port, user=SUPERUSER, dbname=dbname,
                               autocommit=True)

    def execute(self, sql: str, dbname: str = "postgres") -> None:
        """Run ``sql`` (one or several statements, no parameters) as the superuser."""
        with self._connect(dbname) as conn:
            conn.execute(sql)

    def create_database(self, name: str, template: str | None = None) -> None:
        with self._connect() as conn:
            statement = pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(name))
            if template is not None:
                # CREATE DATABASE … TEMPLATE fails while anyone is connected to the template
                # (e.g. a pooled connection left by the set-up): close those first.
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = %s AND pid <> pg_backend_pid()", (template,))
                statement += pgsql.SQL(" TEMPLATE {}").format(pgsql.Identifier(template))
            conn.execute(statement)

    def drop_database(self, name: str) -> None:
        with self._connect() as conn:
            conn.execute(pgsql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                         .format(pgsql.Identifier(name)))

    def ensure_app_login(self) -> None:
        with self._connect() as conn:
            conn.execute(f"""
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
                    CREATE ROLE {APP_ROLE} NOLOGIN;
                  END IF;
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_LOGIN}') THEN
                    CREATE ROLE {APP_LOGIN} LOGIN PASSWORD '{APP_PASSWORD}'
                      NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE IN ROLE {APP_ROLE};
                  END IF;
                END $$""")


def _executor_class():
    from pytest_postgresql.executors import PostgreSQLExecutor

    class Executor(PostgreSQLExecutor):
        def _format_initdb_options(self, initdb_options: list[str]) -> str:
            # A throwaway cluster needs no fsync at initdb: saves ~0.6 s of the ~1.3 s start.
            return super()._format_initdb_options([*initdb_options, "--no-sync",
                                                   "--encoding=UTF8"])

    return Executor


class _Server:
    """Starts and stops one cluster with pytest-postgresql's executor."""

    def __init__(self, base: Path) -> None:
        bin_dir = _pg_bin_dir()
        assert bin_dir is not None
        self.base = base
        self.port = _free_port()
        pg_ctl = bin_dir / "pg_ctl"
        if os.geteuid() == 0:
            pg_ctl = base / "pg_ctl"
            pg_ctl.write_text(_WRAPPER.format(os_user=OS_USER, real=bin_dir / "pg_ctl"))
            pg_ctl.chmod(0o755)
        socket_dir = base / "socket"
        socket_dir.mkdir()
        if os.geteuid() == 0:
            entry = pwd.getpwnam(OS_USER)
            for path in (base, socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
            base.chmod(stat.S_IRWXU)
        self.executor = _executor_class()(
            executable=str(pg_ctl),
            host=HOST,
            port=self.port,
            datadir=str(base / "data"),
            unixsocketdir=str(socket_dir),
            logfile=str(base / "postgresql.log"),
            startparams="-w -t 60",
            dbname="postgres",
            user=SUPERUSER,
            postgres_options=SERVER_OPTIONS,
            timeout=60,
        )

    def start(self) -> None:
        self.executor.init_directory()  # initdb, then our pg_hba.conf before the first start
        (Path(self.executor.datadir) / "pg_hba.conf").write_text(PG_HBA)
        self.executor.start()
        # mirakuru returns once the port answers; let `pg_ctl start -w` finish too, so the
        # server is fully up and no launcher is left to be killed half-way at stop.
        launcher = self.executor.process
        if launcher is not None and launcher.wait(timeout=60) != 0:
            raise RuntimeError(f"pg_ctl start exited with {launcher.returncode}")

    def resume(self) -> None:
        """Start again after ``executor.stop()``: same data directory, port and settings."""
        self.executor.start()
        launcher = self.executor.process
        if launcher is not None and launcher.wait(timeout=60) != 0:
            raise RuntimeError(f"pg_ctl start exited with {launcher.returncode}")

    def stop(self) -> None:
        try:
            if self.executor.running():
                self.executor.stop()  # pg_ctl stop -m fast
            elif self.executor.process is not None:
                self.executor.kill()  # a launcher left by a failed start
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = Path(self.executor.logfile).read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def pytest_report_header(config: pytest.Config) -> str:
    """One line at the top of the run: whether the PostgreSQL half runs, or how to enable it."""
    reason = postgres_unavailable_reason()
    if reason is not None:
        return reason
    return f"postgresql: throwaway cluster from {_pg_bin_dir()} (pytest-postgresql executor)"


@pytest.fixture(scope="session")
def postgres_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresCluster]:
    reason = postgres_unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    if os.geteuid() == 0:
        # The postgres OS user cannot enter pytest's 0700 root-owned temp root.
        base = Path(tempfile.mkdtemp(prefix="ecozone-pg-"))
    else:
        base = tmp_path_factory.mktemp("postgres")
    server = None
    try:
        server = _Server(base)
        try:
            server.start()
        except Exception as exc:
            raise RuntimeError(f"PostgreSQL test cluster did not start: {exc}\n"
                               f"{server.log_tail()}") from exc
        yield PostgresCluster(HOST, server.port, server)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(base, ignore_errors=True)
