"""Is this exception the database being away (restarting, unreachable, full), not a bug?

Such a failure is answered ``503 SERVICE_UNAVAILABLE`` with ``Retry-After`` (graphql_http.py,
web/unavailable.py), never a masked 500: the request did nothing (its transaction is rolled
back with its connection) and may be sent again once the database is back. The pool
replaces connections the server closed at their next checkout, without a round trip, and a
session retries once a first connection that proves dead (db/engine.py), so workers recover
by themselves, without a restart.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import exc as sa_exc

# SQLSTATE classes of a connection that is gone or about to go: 08 connection exception,
# 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up or
# shutting down), 53300 too many connections, 40P01 is NOT here (a deadlock is a bug to see).
_UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")
# 40001 is also how a hot standby cancels a read that conflicts with its replay (a lock, a
# removed row version): the standby away for a moment, not a bug, unlike a serialization failure.
_SERIALIZATION_FAILURE, _RECOVERY_CONFLICT = "40001", "conflict with recovery"
# Driver exceptions met without SQLAlchemy's wrapping (raised while connecting, or by
# asyncpg's pool at checkout), by class name so that neither driver must be installed.
_UNAVAILABLE_NAMES = {"ConnectionDoesNotExistError", "InterfaceError", "CannotConnectNowError",
                      "ConnectionFailureError", "AdminShutdownError", "CrashShutdownError",
                      "PostgresConnectionError", "ClientCannotConnectError",
                      "TooManyConnectionsError", "InternalClientError"}
# SQLite: "database or disk is full", "disk I/O error", "unable to open database file",
# "database is locked" (a writer held it past busy_timeout): all an outage, not a bug.
_SQLITE_MESSAGES = ("database or disk is full", "disk i/o error", "unable to open database",
                    "database is locked", "readonly database")

RETRY_AFTER_SECONDS = 5
MESSAGE_EN = "The database is unavailable for a moment; nothing was changed. Try again shortly."
MESSAGE_ZH = "数据库暂时不可用，本次请求未做任何更改，请稍后重试。"
CODE = "SERVICE_UNAVAILABLE"


class DatabaseUnavailable(Exception):
    """Raised by the GraphQL view when a field failed because the database went away."""


def _sqlstate(error: BaseException) -> str | None:
    for attribute in ("sqlstate", "pgcode"):
        value = getattr(error, attribute, None)
        if isinstance(value, str):
            return value
    return None


def _one(error: BaseException) -> bool:
    if isinstance(error, DatabaseUnavailable):
        return True
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:
            return True
        if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError)):
            if error.orig is not None and type(error.orig).__module__.startswith(("sqlite3", "aiosqlite")):
                return any(m in str(error.orig).lower() for m in _SQLITE_MESSAGES)
            return True
    if isinstance(error, (sa_exc.TimeoutError, sa_exc.DisconnectionError)):
        return True  # the pool had no connection to give, or could not make one
    if type(error).__module__.startswith(("sqlite3", "aiosqlite")):  # the driver's own, unwrapped
        return any(m in str(error).lower() for m in _SQLITE_MESSAGES)
    state = _sqlstate(error)
    if state is not None and state.startswith(_UNAVAILABLE_SQLSTATES):
        return True
    if state == _SERIALIZATION_FAILURE and _RECOVERY_CONFLICT in str(error):
        return True  # a hot standby cancelled a read that its replay of the primary's WAL needed
    if type(error).__name__ in _UNAVAILABLE_NAMES and type(error).__module__.startswith(
            ("asyncpg", "sqlalchemy", "psycopg")):
        return True
    if isinstance(error, (ConnectionError, asyncio.TimeoutError, TimeoutError)):
        return True  # refused or reset while (re)connecting
    if isinstance(error, OSError) and error.errno is not None and type(error) is OSError:
        return True  # e.g. "Connect call failed", "No space left on device"
    return False


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error``, or what caused it, says the database is away."""
    seen = 0
    while error is not None and seen < 10:
        if _one(error):
            return True
        orig = getattr(error, "orig", None)
        if isinstance(orig, BaseException) and orig is not error and _one(orig):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def unavailable_error() -> dict:
    """The typed, bilingual error of a 503."""
    return {"message": MESSAGE_EN, "extensions": {"code": CODE, "messageZh": MESSAGE_ZH,
                                                   "retryAfter": RETRY_AFTER_SECONDS}}


def unavailable_headers() -> dict[str, str]:
    return {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
