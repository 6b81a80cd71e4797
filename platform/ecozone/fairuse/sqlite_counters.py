"""SQLite's fair-use counters: a file of their own beside the database (``counters_path``).

A write to the database itself would cost every other connection its page cache and take the
database's write turn (db/engine.py). The file holds the windows and a copy of the operators'
raises (``mirror_raises``); one connection per process, the processes taking turns with an
``flock`` (``SQLiteSpender``).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import sqlite3
import threading
import urllib.parse
import weakref

from ecozone.db.unavailable import DatabaseUnavailable
from ecozone.fairuse.statement import SPEND

def counters_path(database: str) -> str:
    """SQLite: the file of the fair-use counters, beside the database (``<db>.fairuse.sqlite3``)."""
    return f"{database}.fairuse.sqlite3"


# The counters' file has a schema of its own, created by the first spend (PRAGMA user_version):
# 1, the windows; 2, also the operator's raises, mirrored from the database (``_mirror_raises``).
COUNTERS_SCHEMA_VERSION = 2
COUNTERS_SCHEMA = ("""
CREATE TABLE IF NOT EXISTS rate_limit_windows (
    client_key VARCHAR(200) NOT NULL,
    window_start BIGINT NOT NULL,
    budget BIGINT NOT NULL,
    spent BIGINT NOT NULL,
    accepted BOOLEAN NOT NULL,
    refused INTEGER NOT NULL,
    PRIMARY KEY (client_key, window_start)
)""", """
CREATE TABLE IF NOT EXISTS rate_limit_raises (
    client_key VARCHAR(200) NOT NULL PRIMARY KEY,
    budget BIGINT NOT NULL,
    expires_at BIGINT
)""")
# In the counters' file: the windows and the mirror of the raises are both its own (main). The
# raises were read from the database attached read-only; that read cost a request ~0.1 ms (a read
# transaction on the database's file, beside the request's own connection: bench/fair_use.py,
# 2026-12-03), and the raises change only when an operator runs `ecozone rate-limit raise`.
SPEND_SQLITE = (SPEND.text.replace("INSERT INTO rate_limit_windows", "INSERT INTO main.rate_limit_windows")
                .replace("FROM rate_limit_raises", "FROM main.rate_limit_raises"))
# Spends between two checkpoints of the counters' WAL, run in the thread, never on the event loop.
CHECKPOINT_EVERY = 500


def _open_counters(database: str) -> sqlite3.Connection:
    """The counters' file (created and given its schema if new), its mirror of the raises made
    anew from the database's (a file lost or older than the database heals here)."""
    path = counters_path(database)
    connection = sqlite3.connect(f"file:{urllib.parse.quote(path)}", uri=True, isolation_level=None,
                                 check_same_thread=False)
    try:
        for pragma in ("busy_timeout=10000", "journal_mode=WAL", "synchronous=NORMAL",
                       "wal_autocheckpoint=0"):
            connection.execute(f"PRAGMA {pragma}")
        _mirror_raises(connection, database)
    except BaseException:
        connection.close()
        raise
    return connection


def _mirror_raises(connection: sqlite3.Connection, database: str) -> None:
    """The database's raises copied into the counters' file, in one transaction that holds the
    file's write lock while it reads them: whoever mirrors last read the latest raise committed
    (a process opening the counters while `ecozone rate-limit raise` commits cannot put back an
    older copy after the command's own)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        if connection.execute("PRAGMA user_version").fetchone()[0] < COUNTERS_SCHEMA_VERSION:
            for statement in COUNTERS_SCHEMA:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version={COUNTERS_SCHEMA_VERSION}")
        source = sqlite3.connect(f"file:{urllib.parse.quote(database)}?mode=ro", uri=True)
        try:
            raises = source.execute("SELECT client_key, budget, expires_at FROM rate_limit_raises").fetchall()
        finally:
            source.close()
        connection.execute("DELETE FROM main.rate_limit_raises")
        connection.executemany("INSERT INTO main.rate_limit_raises (client_key, budget, expires_at) "
                               "VALUES (?, ?, ?)", raises)
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:  # not when BEGIN itself failed: its error is the one to see
            connection.execute("ROLLBACK")
        raise


def mirror_raises(url: str) -> None:
    """After an operator's raise has committed (``ecozone rate-limit raise``): on an SQLite file
    database, the counters' file gets the raises at once, for every process's next spend. Nothing
    to do elsewhere: PostgreSQL's spend reads the raises where they are written."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" \
            or database.startswith("file:"):
        return
    lock = os.open(f"{counters_path(database)}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the processes' turn at the counters (SQLiteSpender)
        _open_counters(database).close()
    finally:
        os.close(lock)  # releases the flock


class SQLiteSpender:
    """The spend on SQLite, in a file of its own beside the database (``counters_path``).

    Every write to a SQLite database makes the other connections drop their page cache at their
    next transaction; counters written by every request, in the database itself, cost each
    request's reads their cache. In their own file, the counters' writes leave the database's
    connections (and its write turn, ``db/engine.py``) alone. One connection per process (the
    stdlib driver); the processes take turns with an ``flock`` on ``<counters>.lock``. A spend
    runs on the event loop when the turn is free at once (``_spend_now``: the statement takes
    ~25 µs, a trip to a thread and back ~100–150 µs, bench/fair_use.py), else it waits for
    the turn in a thread, as the first spend (opening the file) does. The counters' WAL is
    checkpointed in that thread every ``CHECKPOINT_EVERY`` spends (passive: it never waits
    for a reader)."""

    def __init__(self, database: str):
        self.database = database
        self.connection: sqlite3.Connection | None = None  # opened by the first spend
        # Opened by the first spend too: the app must start (and answer /healthz, /readyz 503)
        # while the database's folder is missing or unwritable.
        self.fd: int | None = None
        self.lock = threading.Lock()
        self.spends = 0
        self._finalizer: weakref.finalize | None = None

    async def spend(self, params: dict, sweep_before: int | None) -> tuple:
        self.spends += 1
        checkpoint = not self.spends % CHECKPOINT_EVERY
        if not checkpoint and self.connection is not None:
            row = self._spend_now(params, sweep_before)
            if row is not None:
                return row
        return await asyncio.to_thread(self.run, params, sweep_before, checkpoint=checkpoint)

    def _spend_now(self, params: dict, sweep_before: int | None) -> tuple | None:
        """The spend on the event loop, when nobody holds the counters: the statement takes tens
        of microseconds, a trip to a thread and back several times that. None when this process's
        thread or another process has the counters' turn: the caller waits for it in a thread."""
        if not self.lock.acquire(blocking=False):
            return None
        try:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return None
            try:
                return self._spend(params, sweep_before)
            finally:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.lock.release()

    def _lock_file(self) -> int:
        if self.fd is None:
            try:
                self.fd = os.open(f"{counters_path(self.database)}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as error:  # the database's folder is gone or read-only: an outage
                raise DatabaseUnavailable(f"cannot open the rate-limit counters: {error}") from error
            self._finalizer = weakref.finalize(self, os.close, self.fd)
        return self.fd

    def run(self, params: dict, sweep_before: int | None, checkpoint: bool = False) -> tuple:
        with self.lock:
            fcntl.flock(self._lock_file(), fcntl.LOCK_EX)
            try:
                row = self._spend(params, sweep_before)
            finally:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            if checkpoint:
                self.connection.execute("PRAGMA main.wal_checkpoint(PASSIVE)")
        return row

    def _spend(self, params: dict, sweep_before: int | None) -> tuple:
        """One autocommitted statement (its own implicit transaction); the sweep another."""
        if self.connection is None:
            self.connection = _open_counters(self.database)
            if self._finalizer is not None:
                self._finalizer.detach()
            self._finalizer = weakref.finalize(self, _close, self.connection, self.fd)
        row = self.connection.execute(SPEND_SQLITE, params).fetchone()
        if sweep_before is not None:
            self.connection.execute("DELETE FROM main.rate_limit_windows WHERE window_start < ?",
                                    (sweep_before,))
        return row


def _close(connection: sqlite3.Connection, fd: int) -> None:
    connection.close()
    os.close(fd)



def read_windows(database: str, client_key: str) -> list[tuple]:
    connection = sqlite3.connect(f"file:{urllib.parse.quote(counters_path(database))}?mode=ro", uri=True)
    try:
        return connection.execute(
            "SELECT client_key, window_start, budget, spent, accepted, refused FROM rate_limit_windows "
            "WHERE client_key = ? ORDER BY window_start DESC", (client_key,)).fetchall()
    finally:
        connection.close()
