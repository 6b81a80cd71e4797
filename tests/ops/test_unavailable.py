"""Which failures are the database being away (503), and a field that lost its connection
makes the whole response a 503 (issue 21). The real outages are in test_faults.py."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import exc as sa_exc

from ecozone.db.unavailable import DatabaseUnavailable, database_unavailable
from ecozone.graphql import zones as zones_module


class ConnectionDoesNotExistError(Exception):  # asyncpg's name, without asyncpg
    __module__ = "asyncpg.exceptions"


class AdminShutdown(Exception):
    __module__ = "asyncpg.exceptions"
    sqlstate = "57P01"


class SerializationError(Exception):
    __module__ = "asyncpg.exceptions"
    sqlstate = "40001"


class UniqueViolation(Exception):
    __module__ = "asyncpg.exceptions"
    sqlstate = "23505"


def _wrapped(error: Exception, cls=sa_exc.DBAPIError, invalidated: bool = False) -> Exception:
    return cls("SELECT 1", {}, error, connection_invalidated=invalidated)


@pytest.mark.parametrize("error, unavailable", [
    (_wrapped(ConnectionDoesNotExistError("connection was closed in the middle of operation"),
              invalidated=True), True),
    (_wrapped(AdminShutdown("terminating connection due to administrator command")), True),
    (_wrapped(ConnectionDoesNotExistError("closed"), cls=sa_exc.InterfaceError), True),
    (_wrapped(sqlite3.OperationalError("database or disk is full"), cls=sa_exc.OperationalError), True),
    (_wrapped(sqlite3.OperationalError("disk I/O error"), cls=sa_exc.OperationalError), True),
    (ConnectionRefusedError(111, "Connect call failed"), True),
    (sqlite3.OperationalError("database or disk is full"), True),  # a stdlib connection's own
    (sqlite3.OperationalError("no such column: x"), False),
    (sa_exc.TimeoutError("QueuePool limit reached"), True),
    (DatabaseUnavailable("lost"), True),
    # a hot standby cancelling a read for its replay (the real one: tests/db/test_replica.py)
    (_wrapped(SerializationError("canceling statement due to conflict with recovery")), True),
    (_wrapped(SerializationError("could not serialize access due to concurrent update")), False),
    # bugs and expected failures stay what they are
    (_wrapped(UniqueViolation("duplicate key"), cls=sa_exc.IntegrityError), False),
    (_wrapped(sqlite3.OperationalError("no such table: nothing"), cls=sa_exc.OperationalError), False),
    (ValueError("a bug"), False),
    (KeyError("x"), False),
])
def test_what_counts_as_the_database_being_away(error, unavailable):
    assert database_unavailable(error) is unavailable


def test_a_cause_further_down_counts():
    try:
        try:
            raise _wrapped(ConnectionDoesNotExistError("gone"), invalidated=True)
        except sa_exc.DBAPIError as inner:
            raise RuntimeError("while loading a page") from inner
    except RuntimeError as outer:
        assert database_unavailable(outer)


async def test_a_field_that_lost_its_connection_makes_the_response_a_503(api, monkeypatch):
    async def lost(*_args, **_kwargs):
        raise _wrapped(ConnectionDoesNotExistError("connection was closed"), invalidated=True)
    monkeypatch.setattr(zones_module, "paginate", lost)
    response = await api.post("{ zones { totalCount } }")
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert body["errors"][0]["extensions"]["messageZh"]
    # A legacy application/json client gets the 503 as well (not a 200: it is no GraphQL error).
    legacy = await api.client.post("/graphql", json={"query": "{ zones { totalCount } }"},
                                   headers={"Accept": "application/json"})
    assert legacy.status_code == 503 and legacy.headers["content-type"].startswith("application/json")


async def test_a_bug_in_a_field_is_still_a_masked_field_error(api, monkeypatch):
    async def bug(*_args, **_kwargs):
        raise ValueError("a bug")
    monkeypatch.setattr(zones_module, "paginate", bug)
    response = await api.post("{ zones { totalCount } }")
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
