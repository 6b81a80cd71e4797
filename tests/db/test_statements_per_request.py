"""What a request costs in SQL statements (issue 20), counted as bench/run.py counts them
(``ecozone_sql_statements_total``): the bench's Q3 anonymous and signed in, and the statement
that resolves a signed-in actor (account, acting zone, roles and, on PostgreSQL, the
transaction's zone and user, all at once)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import text

from ecozone.auth.service import ZoneRefused, resolve_actor
from ecozone.auth.tokens import Claims
from ecozone.db.engine import create_engine, new_session
from ecozone.db.scoping import ANONYMOUS, get_scope
from ecozone.demo.scale import load_scale

_spec = importlib.util.spec_from_file_location("bench_queries", Path(__file__).resolve().parents[2] / "bench" / "run.py")
_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench)
Q3 = _bench.Q3  # the benchmark's own document
SETTINGS = text("SELECT current_setting('ecozone.zone', true), current_setting('ecozone.user', true)")


async def _cost(api, **who) -> float:
    before = await api.sql_statements()
    data = await api.gql(Q3, **who)
    assert data["standards"]["edges"]
    return await api.sql_statements() - before


async def test_q3_anonymous_and_signed_in(api, database):
    engine = create_engine(database.operator_url, pool_size=2)
    try:
        await load_scale(engine, 0.004, progress=lambda _line: None)
    finally:
        await engine.dispose()
    await api.add_user("counted-member", "jiangxi", "member")
    await _cost(api)  # warm: the zones' rows and documents cached like any later request
    anonymous = await _cost(api)
    signed_in = await _cost(api, user="counted-member")
    # count + page, zones with their zone rows, versions, latest ballots with votes, comment
    # counts; SQLite adds its BEGIN, PostgreSQL sends nothing for an anonymous viewer's
    # settings (unset reads as anonymous under row-level security)
    assert anonymous <= (5 if database.kind == "postgresql" else 6), anonymous
    # + the actor's one statement and the viewer's expert profile (for their own vote on a
    # ballot); before issue 20: + the anonymous settings, user, zone, roles, the user's settings
    assert signed_in <= anonymous + 2, (anonymous, signed_in)


async def test_the_actors_statement_sets_the_transactions_zone_and_user(api, database, app_engine):
    user_id = await api.add_user("set-member", "jiangxi", "member")
    await api.add_user("stranger", "fujian")
    async with new_session(app_engine, ANONYMOUS) as session, session.begin():
        actor = await resolve_actor(session, Claims(subject="set-member", external=False), None)
        assert actor.zone_slug == "jiangxi" and actor.roles == frozenset({"member"})
        assert get_scope(session.sync_session) == actor.scope
        if database.kind == "postgresql":
            zone, user = (await session.execute(SETTINGS)).one()
            assert (zone, user) == (str(actor.zone_id), str(user_id))
    # A zone where the user holds no role: refused, and nothing was set on the way.
    async with new_session(app_engine, ANONYMOUS) as session, session.begin():
        with pytest.raises(ZoneRefused):
            await resolve_actor(session, Claims(subject="stranger", external=False), "jiangxi")
        assert get_scope(session.sync_session) == ANONYMOUS
        if database.kind == "postgresql":
            assert set((await session.execute(SETTINGS)).one()) <= {"", None}
