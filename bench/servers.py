"""The processes of a benchmark: a throwaway PostgreSQL cluster, the ``ecozone`` command, and
servers whose workers' CPU is read from /proc (bench/procstat.py)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from procstat import children, postmaster_pid

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"


def say(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Postgres:
    """A throwaway cluster (DESIGN §7): initdb and pg_ctl as the postgres OS user when root."""

    def __init__(self, base: Path):
        self.dir = base / "pg"
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def start(self) -> None:
        self.dir.mkdir(parents=True)
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(self.dir.parent, "postgres", "postgres")
        subprocess.run([*self.as_postgres, "initdb", "-D", str(self.dir), "-A", "trust", "-U", "postgres",
                        "--no-sync", "--encoding=UTF8"], check=True, stdout=subprocess.DEVNULL)
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c shared_buffers=256MB -c max_connections=200")
        subprocess.run([*self.as_postgres, "pg_ctl", "-D", str(self.dir), "-o", options, "-w", "-l",
                        str(self.dir / "log"), "start"], check=True, stdout=subprocess.DEVNULL)
        self.psql("CREATE DATABASE ecozone")

    def psql(self, sql: str, db: str = "postgres") -> None:
        import psycopg
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=db,
                             autocommit=True) as conn:
            conn.execute(sql)

    def stop(self) -> None:
        subprocess.run([*self.as_postgres, "pg_ctl", "-D", str(self.dir), "-m", "fast", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def processes(self) -> list[int]:
        """The cluster's backends and helpers (the postmaster's children)."""
        return children(postmaster_pid(self.dir))

    @property
    def operator_url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/ecozone"

    @property
    def app_url(self) -> str:
        return f"postgresql+asyncpg://ecozone_bench:bench-password@127.0.0.1:{self.port}/ecozone"

    @property
    def app_libpq_url(self) -> str:
        return f"postgres://ecozone_bench:bench-password@127.0.0.1:{self.port}/ecozone"

    def create_app_login(self) -> None:
        # The app's login role: a member of the role the migrations granted, bound by RLS.
        self.psql("CREATE ROLE ecozone_bench LOGIN PASSWORD 'bench-password' NOSUPERUSER NOBYPASSRLS "
                  "IN ROLE ecozone_app", "ecozone")


def ecozone(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run([str(VENV_BIN / "ecozone"), *args], env=env, cwd=ROOT, check=True,
                            stdout=subprocess.PIPE if capture else None, text=True)
    return result.stdout if capture else ""


class Server:
    """A server of ``workers`` processes: uvicorn's (spawned children) or a node cluster's."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], port: int, ready_path: str,
                 log: Path, *, pid_path: str, pid_kind: str = "text", node: bool = False):
        self.name, self.port, self.ready_path = name, port, ready_path
        self.pid_path, self.pid_kind, self.node = pid_path, pid_kind, node
        self.log = open(log, "w")
        self.proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait_ready(self, timeout: float = 90) -> None:
        import httpx
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}{self.ready_path}", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log.name}")
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} not ready after {timeout} s")

    def worker_pids(self) -> list[int]:
        import psutil
        if self.node:  # the cluster's primary forks the workers
            return sorted(children(self.proc.pid))
        return sorted(c.pid for c in psutil.Process(self.proc.pid).children(recursive=True)
                      if "spawn_main" in " ".join(c.cmdline()))

    def rss_mb(self) -> list[float]:
        import psutil
        return [round(psutil.Process(p).memory_info().rss / 2**20, 1) for p in self.worker_pids()]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()
