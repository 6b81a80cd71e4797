"""A live subscription keeps being checked: its token's expiry, and who its user is now.

A connection signs in once, but its token expires and its user's standing changes while it
is open. At the token's expiry the server closes the connection (4401, with a timer per
connection, and checked again before each event); before each event it re-resolves the actor,
so a deactivated user or a user left with no role in the zone they act in is cut off (4403)
from the next event on, while a still-valid connection keeps receiving.
Same live server and client as test_subscriptions.py, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import time

import jwt
from sqlalchemy import update

from ecozone.auth.models import User
from ecozone.web import subscriptions
from tests.notifications.support import WAIT, notify_as_operator, wait_until
from tests.notifications.test_subscriptions import (  # noqa: F401 - fixtures
    nothing_arrives,
    people,
    receive,
    refusal,
    server,
    session,
    signed_in,
    subscribe,
)
from tests.support.api import gid

REVOKE = """mutation($user: ID!, $role: Role!) { revokeRole(input: {userId: $user, role: $role}) {
  __typename ... on Failure { code message } } }"""
EXPIRY_SLACK = 1.5  # seconds after the token's exp within which the connection must be closed


def _bilingual(reason: str) -> bool:
    return any(c.isascii() and c.isalpha() for c in reason) and any("\u4e00" <= c <= "\u9fff" for c in reason)


def _expiry_timers() -> list[asyncio.Task]:
    return [t for t in asyncio.all_tasks() if t.get_name() == subscriptions.EXPIRY_TIMER and not t.done()]


async def _delivered(ws, nid: int) -> None:
    event = await receive(ws)
    assert event["type"] == "next", event
    assert event["payload"]["data"]["notifications"]["id"] == gid("Notification", nid)


async def test_a_connection_is_closed_when_its_token_expires(server, people):
    proposer = people.users["proposer"]
    token = people.token("proposer", ttl_seconds=2)
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    async with session(server, {"Authorization": f"Bearer {token}"}) as ws:
        assert await receive(ws) == {"type": "connection_ack"}
        await subscribe(ws, server, proposer)
        [nid] = await notify_as_operator(people, [proposer])
        await _delivered(ws, nid)  # still valid: delivered
        assert len(_expiry_timers()) == 1

        # No event at all: the timer closes it, at the expiry and not long after.
        code, reason = await refusal(ws)
        closed_at = time.time()
    assert code == 4401, (code, reason)
    assert "expired" in reason and "过期" in reason and _bilingual(reason)
    assert exp <= closed_at <= exp + EXPIRY_SLACK, (exp, closed_at)
    await wait_until(lambda: server.broker.subscriber_count() == 0)
    assert _expiry_timers() == []
    # Written after the expiry: reaches nobody (the connection is gone).
    await notify_as_operator(people, [proposer], 2)


async def test_an_event_after_the_expiry_is_not_delivered_even_without_the_timer(
        server, people, monkeypatch):
    """Before each event the expiry is checked too (e.g. a timer that fired late)."""
    monkeypatch.setattr(subscriptions, "EXPIRY_TIMER_ENABLED", False)
    proposer = people.users["proposer"]
    token = people.token("proposer", ttl_seconds=1)
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    async with session(server, {"Authorization": f"Bearer {token}"}) as ws:
        assert await receive(ws) == {"type": "connection_ack"}
        await subscribe(ws, server, proposer)
        assert _expiry_timers() == []
        await asyncio.sleep(max(0.0, exp - time.time()) + 0.05)
        await notify_as_operator(people, [proposer])
        code, reason = await refusal(ws)  # a "next" message would fail here
    assert code == 4401 and "expired" in reason and _bilingual(reason)


async def test_a_revoked_role_stops_delivery_in_that_zone_and_closes_the_connection(server, people):
    await people.add_user("jx-director", "jiangxi", "director")
    visitor = await people.add_user("gz-expert", "guizhou", "member")
    await people.add_roles("gz-expert", "jiangxi", "expert")
    async with signed_in(server, people, "gz-expert", zone="jiangxi") as ws:
        await subscribe(ws, server, visitor)
        [first] = await notify_as_operator(people, [visitor])
        await _delivered(ws, first)  # acting in jiangxi through the expert role

        revoked = await people.gql(REVOKE, {"user": gid("User", visitor), "role": "EXPERT"},
                                   user="jx-director", zone="jiangxi")
        assert revoked["revokeRole"]["__typename"] == "RoleAssignment", revoked
        await notify_as_operator(people, [visitor], 2)
        code, reason = await refusal(ws)  # the event is not delivered: the connection closes
    assert code == 4403, (code, reason)
    assert "jiangxi" in reason and _bilingual(reason)
    await wait_until(lambda: server.broker.subscriber_count() == 0)
    assert _expiry_timers() == []


async def test_a_deactivated_user_is_cut_off_at_the_next_event(server, people):
    proposer = people.users["proposer"]
    async with signed_in(server, people, "proposer") as ws:
        await subscribe(ws, server, proposer)
        [first] = await notify_as_operator(people, [proposer])
        await _delivered(ws, first)

        await people.operator(lambda s: s.execute(
            update(User).where(User.id == proposer).values(is_active=False)))
        await notify_as_operator(people, [proposer], 2)
        code, reason = await refusal(ws)
    assert code == 4403, (code, reason)
    assert "deactivated" in reason and _bilingual(reason)


async def test_a_still_valid_connection_keeps_receiving_with_its_current_roles(server, people):
    """Roles changing without leaving the zone (here: the home zone) only change the rights."""
    director = await people.add_user("jx-director", "jiangxi", "director")
    await people.add_user("jx-director-2", "jiangxi", "director")
    async with signed_in(server, people, "jx-director", zone="jiangxi") as ws:
        await subscribe(ws, server, director)
        for n in (1, 2):
            [nid] = await notify_as_operator(people, [director], n)
            await _delivered(ws, nid)

        revoked = await people.gql(REVOKE, {"user": gid("User", director), "role": "DIRECTOR"},
                                   user="jx-director-2", zone="jiangxi")
        assert revoked["revokeRole"]["__typename"] == "RoleAssignment", revoked
        [nid] = await notify_as_operator(people, [director], 3)
        await _delivered(ws, nid)  # home zone: still theirs, now without the role
        await nothing_arrives(ws)

        # The connection is still open and usable.
        await ws.send(json.dumps({"type": "ping"}))
        assert await receive(ws, WAIT) == {"type": "pong"}
        assert len(_expiry_timers()) == 1
    await wait_until(lambda: not _expiry_timers())


def test_the_close_reasons_fit_a_close_frame_in_both_languages():
    for message_en, message_zh in (subscriptions.TOKEN_EXPIRED, subscriptions.USER_INACTIVE,
                                   subscriptions.no_role_in_zone("z" * 32)):
        reason = subscriptions.close_reason(message_en, message_zh)
        assert reason == f"{message_en} / {message_zh}"  # not cut
        assert _bilingual(reason)


async def test_each_event_is_loaded_in_the_scope_the_recheck_gives_it(app_engine, people):
    """The service side: the event's session starts unscoped, the recheck scopes it (as
    resolve_actor does), and what that scope does not show is not delivered; None ends it."""
    from ecozone.db.scoping import ANONYMOUS, Scope, apply_scope, get_scope
    from ecozone.notifications.service import _load_each
    from tests.notifications.support import user_actor, zone_ids

    proposer = people.users["proposer"]
    actor = user_actor(proposer, (await zone_ids(people))["jiangxi"])
    ids = await notify_as_operator(people, [proposer]) + await notify_as_operator(people, [proposer], 2)
    scopes = [Scope(zone_id=actor.zone_id), actor.scope]  # first: a scope that hides the row
    seen, closed = [], []

    async def recheck(session):
        seen.append(get_scope(session.sync_session))
        if not scopes:
            return None
        await apply_scope(session, scopes.pop(0))
        return actor

    async def events():
        try:
            for nid in [*ids, ids[0]]:
                yield nid
        finally:
            closed.append(True)

    delivered = [row.id async for row in _load_each(app_engine, actor, events(), recheck)]
    assert delivered == [ids[1]]          # the first was not visible in its recheck's scope
    assert seen == [ANONYMOUS] * 3 and closed == [True]  # the third recheck said stop
