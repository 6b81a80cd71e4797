"""A pooled connection that died unnoticed, met by a request's first statement, is replaced
and the request answered, anonymous or signed in, with fair use on (the spend is the first
statement: web/fair_use.py) or off (the session's BEGIN is: db/engine.py). PostgreSQL only:
SQLite's connections are files."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest
from sqlalchemy import event, text

from ecozone.db.engine import create_engine
from ecozone.settings import RateLimits
from ecozone.web.app import create_app
from tests.db.test_disconnects import invalidations, terminate

EXPERTS = "{ experts(first: 3) { ... on ExpertConnection { totalCount } } }"


@pytest.fixture
def postgresql(engine_kind, database):
    if engine_kind != "postgresql":
        pytest.skip("PostgreSQL's pool (SQLite's connections are files)")
    return database


async def post(app, token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://ecozone.test") as client:
        return await client.post("/graphql", json={"query": EXPERTS}, headers=headers)


@pytest.mark.parametrize("fair_use", ["on", "off"])
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
async def test_a_request_whose_pooled_connection_died_is_answered_on_a_fresh_one(
        postgresql, settings, api, fair_use, signed_in):
    token = None
    if signed_in:
        await api.add_user("fu-retry", "jiangxi", "member")
        token = api.token("fu-retry")
    engine = create_engine(postgresql.app_url, pool_size=1)
    app = create_app(replace(settings, rate_limits=RateLimits(enabled=fair_use == "on")), engine=engine)
    seen = invalidations(engine)
    try:
        assert (await post(app, token)).status_code == 200  # warm: the one pooled connection
        async with engine.connect() as connection:
            old = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        killed: list[int] = []

        def die_after_the_check(_dbapi_connection, _record, _proxy) -> None:
            if not killed:  # the server goes between the checkout's check and the first statement
                killed.append(old)
                terminate(postgresql, old)

        event.listen(engine.sync_engine, "checkout", die_after_the_check)
        response = await post(app, token)
        assert killed
        assert response.status_code == 200, response.text
        assert response.json()["data"]["experts"]["totalCount"] >= 0
        # The first statement met the dead connection (not the checkout's check), once.
        assert len(seen) == 1 and "DisconnectionError" not in type(seen[0]).__name__
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one() != old
    finally:
        await engine.dispose()
