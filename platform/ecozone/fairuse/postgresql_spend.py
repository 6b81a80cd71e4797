"""The spend on PostgreSQL: on the request's own connection, in the round trip of its BEGIN.

A request used to send its spend (an autocommitted upsert … RETURNING) and then, at its first
statement, its ``BEGIN``: two round trips before any data. Here both go in one simple-protocol
message (``spend_and_begin``):

    BEGIN; SELECT ecozone_fair_use_spend(…); COMMIT; BEGIN [ISOLATION LEVEL …]

- The spend commits by itself, in a transaction of its own: the counter's row is locked for
  that statement only, and a request that later fails or rolls back has still paid.
- The request's transaction is open when the message returns. It is handed to SQLAlchemy's
  asyncpg adapter as begun (``_Begun``), so the adapter sends no BEGIN of its own; its commit
  and rollback are the adapter's as before.
- The simple protocol carries no parameters and returns no rows to asyncpg. So the values go
  in as literals that need no quoting (integers; the client's key as hexadecimal digits), and
  the outcome comes back as the function's NOTICE (migration 0024: SQLSTATE ``EZ001``, detail
  ``<spent> <budget> <t|f>``). asyncpg hands a notice to its listeners before it wakes the
  statement's caller.

A request on a connection already in a transaction, or with settings this module does not
build (a savepoint, another isolation level), spends with ``spend_alone``: the same upsert as
a prepared statement, its own round trip.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

# The notice the function raises (migration 0024), and its detail's form.
NOTICE_SQLSTATE = "EZ001"
_BEGIN = {None: "BEGIN", "read_committed": "BEGIN ISOLATION LEVEL READ COMMITTED",
          "repeatable_read": "BEGIN ISOLATION LEVEL REPEATABLE READ",
          "serializable": "BEGIN ISOLATION LEVEL SERIALIZABLE"}


class SpendNotReported(RuntimeError):
    """The function answered without its notice: the database lacks migration 0024, or
    ``client_min_messages`` hides notices (the app's connections set it, db/engine.py)."""


class _Begun:
    """The request's transaction, begun by the spend's message: what SQLAlchemy's asyncpg
    adapter keeps as its transaction (``start``, ``commit``, ``rollback``)."""

    __slots__ = ("driver",)

    def __init__(self, driver: Any):
        self.driver = driver

    async def start(self) -> None:  # the adapter never starts a transaction it already has
        raise RuntimeError("the request's transaction was begun with its spend")

    async def commit(self) -> None:
        await self.driver.execute("COMMIT")

    async def rollback(self) -> None:
        await self.driver.execute("ROLLBACK")


def _literal_key(key: str) -> str:
    """The client's key as an SQL expression of hexadecimal digits only: nothing a hostile
    address, subject or client name holds can end the literal, whatever the server's settings
    (``standard_conforming_strings``) say about quotes and backslashes."""
    return f"convert_from(decode('{key.encode('utf-8').hex()}', 'hex'), 'UTF8')"


def spend_message(params: dict, begin: str, sweep: int | None = None) -> str:
    """The one message: the spend (and, once per window and process, the deletion of old
    windows) committed, then the request's BEGIN."""
    numbers = [int(params[name]) for name in ("start", "cost", "now", "default")]
    arguments = ", ".join([_literal_key(params["key"]), *map(str, numbers)])
    delete = "" if sweep is None else f" DELETE FROM rate_limit_windows WHERE window_start < {int(sweep)};"
    return f"BEGIN; SELECT ecozone_fair_use_spend({arguments});{delete} COMMIT; {begin}"


def parse_notice(detail: str | None) -> tuple[int, int, bool]:
    """``<spent> <budget> <t|f>`` (PostgreSQL's text form of a boolean)."""
    spent, budget, accepted = (detail or "").split()
    if accepted not in ("t", "f", "true", "false"):
        raise ValueError(f"not a boolean: {accepted!r}")
    return int(spent), int(budget), accepted in ("t", "true")


def _foldable(adapter: Any) -> str | None:
    """The BEGIN the adapter would have sent, or None when the spend cannot carry it: not
    asyncpg's adapter, already in a transaction, read-only or deferrable, or an isolation level
    this module does not build."""
    if getattr(adapter, "_transaction", True) is not None:
        return None
    if getattr(adapter, "readonly", False) or getattr(adapter, "deferrable", False):
        return None
    return _BEGIN.get(getattr(adapter, "isolation_level", "unknown"))


async def spend_and_begin(connection: AsyncConnection, params: dict, sweep: int | None) -> tuple:
    """Spend on ``connection`` (checked out, not in a transaction) and leave its request's
    transaction begun, in one round trip; (spent, budget, accepted). Falls back to
    ``spend_alone`` where the BEGIN cannot be carried."""
    adapter = connection.sync_connection.connection.dbapi_connection
    begin = _foldable(adapter)
    if begin is None:
        return await spend_alone(connection, params, sweep)
    driver = adapter.driver_connection
    notices: list = []

    def heard(_connection: Any, message: Any) -> None:
        if getattr(message, "sqlstate", None) == NOTICE_SQLSTATE:
            notices.append(message.detail)
    driver.add_log_listener(heard)
    # Installed first: whatever happens to the message, SQLAlchemy's rollback (at the latest
    # when the pool takes the connection back) ends what it left open.
    adapter._transaction = _Begun(driver)
    try:
        await driver.execute(spend_message(params, begin, sweep))
        if not notices:  # asyncpg schedules listeners before it wakes us; once more to be sure
            await asyncio.sleep(0)
    except BaseException:
        if driver.is_closed() or not driver.is_in_transaction():
            adapter._transaction = None  # nothing is open on the server: nothing to roll back
        raise
    finally:
        driver.remove_log_listener(heard)
    if not notices:
        raise SpendNotReported("ecozone_fair_use_spend answered without its notice")
    return parse_notice(notices[-1])


async def spend_alone(connection: AsyncConnection, params: dict, sweep: int | None) -> tuple:
    """On the driver's connection, autocommitted if outside a transaction: one round trip,
    prepared once per connection (asyncpg's statement cache)."""
    from ecozone.fairuse.budget import SPEND_ASYNCPG, SPEND_ORDER  # budget.py imports this module
    # checked out already: the driver's connection is at hand, without get_raw_connection's
    # hop through a greenlet (a fifth of the spend's CPU, bench/fair_use.py's spend alone)
    raw = connection.sync_connection.connection.driver_connection
    row = await raw.fetchrow(SPEND_ASYNCPG, *(params[name] for name in SPEND_ORDER))
    if sweep is not None:
        await raw.execute("DELETE FROM rate_limit_windows WHERE window_start < $1", sweep)
    return row["spent"], row["budget"], row["accepted"]
