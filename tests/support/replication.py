"""A PostgreSQL primary and a hot standby streaming from it, on loopback, for the replica tests.

The primary is a fresh ``initdb`` cluster whose ``pg_hba.conf`` also lets ``replication``
connections in from 127.0.0.1; the standby is a copy of it made by ``pg_basebackup -R -X
stream`` (``-R`` writes ``standby.signal`` and ``primary_conninfo``), started on another port
with ``hot_standby_feedback`` on. As root (CI), every PostgreSQL program runs as the
``postgres`` OS user through ``runuser -u postgres --``, in a ``mkdtemp`` directory it owns,
as in ``tests/support/postgres.py``, whose skip rule and URLs this reuses.

Speed over durability where replication allows it: ``fsync`` and ``synchronous_commit`` off,
but ``full_page_writes`` stays on (an online base backup needs it).
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.support.postgres import (
    APP_LOGIN,
    HOST,
    OS_USER,
    SUPERUSER,
    PostgresCluster,
    _free_port,
    _pg_bin_dir,
    postgres_unavailable_reason,
)

PG_HBA = f"""\
# Written by tests/support/replication.py: a throwaway primary and its standby.
local   all          all                     trust
host    replication  {SUPERUSER}  {HOST}/32  trust
host    all          {APP_LOGIN}  {HOST}/32  scram-sha-256
host    all          all          {HOST}/32  trust
"""
SETTINGS = ("fsync=off", "synchronous_commit=off", "max_connections=100", "wal_level=replica",
            "max_wal_senders=4", "hot_standby=on", "hot_standby_feedback=on")


class Node:
    """One server of the pair: its data directory, port and ``pg_ctl``."""

    def __init__(self, base: Path, name: str, bin_dir: Path):
        self.bin_dir, self.name = bin_dir, name
        self.data = base / name
        self.socket = base / f"{name}-socket"
        self.log = base / f"{name}.log"
        self.port = _free_port()
        self.socket.mkdir()
        _give_to_postgres(self.socket)

    def run(self, program: str, *args: str, timeout: float = 120) -> None:
        command = [str(self.bin_dir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", OS_USER, "--", *command]
        done = subprocess.run(command, cwd="/", capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr.strip()}\n{self.log_tail()}")

    def start(self) -> None:
        options = " ".join(f"-c {s}" for s in (*SETTINGS, f"listen_addresses={HOST}", f"port={self.port}",
                                                 f"unix_socket_directories={self.socket}"))
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def cluster(self) -> PostgresCluster:
        return PostgresCluster(HOST, self.port)

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(host=HOST, port=self.port, user=SUPERUSER, dbname=dbname, autocommit=True)

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _give_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam(OS_USER)
        os.chown(path, entry.pw_uid, entry.pw_gid)


class ReplicatedPair:
    """A running primary and standby: URLs, and the operations the tests need on them."""

    def __init__(self, primary: Node, standby: Node):
        self.primary_node, self.standby_node = primary, standby
        self.primary, self.standby = primary.cluster(), standby.cluster()

    def wait_replayed(self, timeout: float = 30) -> None:
        """Until the standby has replayed everything the primary has written so far."""
        with self.primary_node.connect() as primary:
            target = primary.execute("SELECT pg_current_wal_insert_lsn()").fetchone()[0]
        deadline = time.monotonic() + timeout
        with self.standby_node.connect() as standby:
            while True:
                caught_up = standby.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn",
                                            (str(target),)).fetchone()[0]
                if caught_up:
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the standby did not replay {target}\n{self.standby_node.log_tail()}")
                time.sleep(0.05)

    def pause_replay(self) -> None:
        with self.standby_node.connect() as standby:
            standby.execute("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        with self.standby_node.connect() as standby:
            standby.execute("SELECT pg_wal_replay_resume()")

    def stop_standby(self) -> None:
        self.standby_node.stop()

    def start_standby(self) -> None:
        self.standby_node.start()


def start_pair(base: Path, nodes: list[Node]) -> ReplicatedPair:
    """Start the pair in ``base``; ``nodes`` gets each node as it is made (to stop on failure)."""
    bin_dir = _pg_bin_dir()
    assert bin_dir is not None
    primary, standby = Node(base, "primary", bin_dir), Node(base, "standby", bin_dir)
    nodes.extend((standby, primary))
    primary.run("initdb", "-D", str(primary.data), "-U", SUPERUSER, "--auth=trust", "--no-sync",
                "--encoding=UTF8")
    (primary.data / "pg_hba.conf").write_text(PG_HBA)
    _give_to_postgres(primary.data / "pg_hba.conf")
    primary.start()
    # -R: standby.signal and primary_conninfo; -X stream: the WAL of the copy streamed alongside.
    primary.run("pg_basebackup", "-h", HOST, "-p", str(primary.port), "-U", SUPERUSER, "-D", str(standby.data),
                "-R", "-X", "stream", "-c", "fast", "--no-sync")
    standby.start()
    pair = ReplicatedPair(primary, standby)
    with standby.connect() as connection:
        assert connection.execute("SELECT pg_is_in_recovery()").fetchone()[0], "the copy is not a standby"
    return pair


@pytest.fixture(scope="session")
def replicated_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplicatedPair]:
    """A primary and its streaming hot standby, for the session."""
    reason = postgres_unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    if shutil.which("runuser") is None and os.geteuid() == 0:
        pytest.skip("running as root needs runuser")
    if os.geteuid() == 0:
        base = Path(tempfile.mkdtemp(prefix="ecozone-replication-"))
        _give_to_postgres(base)
        base.chmod(stat.S_IRWXU)
    else:
        base = tmp_path_factory.mktemp("replication")
    nodes: list[Node] = []
    try:
        yield start_pair(base, nodes)
    finally:
        for node in nodes:
            try:
                node.stop()
            except Exception as exc:  # noqa: BLE001 - stop what can be stopped, then remove
                print(f"could not stop the {node.name}: {exc}")
        shutil.rmtree(base, ignore_errors=True)
