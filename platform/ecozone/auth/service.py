"""From a request's token and ``X-Zone`` header to its :class:`Actor`: the one place that
decides where a request acts, for GraphQL over HTTP, WebSocket subscriptions and downloads."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, and_, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from ecozone.audit.service import record
from ecozone.auth.models import User
from ecozone.auth.tokens import Claims, InvalidToken
from ecozone.authz.actor import ANONYMOUS_ACTOR, Actor
from ecozone.authz.service import roles_in_zone_column, roles_of_column
from ecozone.db.engine import new_session, write_turn
from ecozone.db.scoping import Scope, apply_scope, scope_was_set
from ecozone.errors import DomainError
from ecozone.observability import timing_roles
from ecozone.tenancy.models import Zone
from ecozone.tenancy.service import zone_by_slug


class ZoneRefused(DomainError):
    """A signed-in user asked to act in a zone that is neither home nor one where they hold a
    role. Answered 403 before anything runs, and audited in the refused zone's chain."""

    code = "zone_forbidden"

    def __init__(self, actor: Actor, home_zone_slug: str):
        zone = actor.zone_slug
        super().__init__(
            f"you may act only in your home zone ({home_zone_slug}) or in a zone where you hold "
            f"a role; you hold none in {zone}: remove the X-Zone header or ask that zone's director",
            f"您只能在本人所属试验区（{home_zone_slug}）或持有角色的试验区内操作；"
            f"您在 {zone} 没有任何角色：请去掉 X-Zone 请求头，或向该试验区主任申请角色")
        self.actor = actor


async def _account_in_zone(session: AsyncSession, claims: Claims, zone: Zone | None):
    """The token's account (its id, username, home zone and state), the acting zone (``zone``,
    else the home zone) and the account's roles there: one statement, where there were three
    (a signed-in request's statements, issue 20).

    Read before the request has a viewer, so not as ORM entities, which the data layer scopes
    by ``User.visible_to`` (accounts are private): the token's verified subject is the only
    key, and nothing else about the account leaves this function. The roles come through
    ``roles_in_zone_column`` (on PostgreSQL the SECURITY DEFINER function, since row-level
    security hides role assignments until the zone is set)."""
    users, zones = User.__table__, Zone.__table__
    column = users.c.external_subject if claims.external else users.c.username
    acting = zones.c.id == (zone.id if zone is not None else users.c.home_zone_id)
    dialect = (await session.connection()).dialect.name
    roles = roles_in_zone_column(dialect, "users.id", "zones.id").label("roles")
    found = (select(users.c.id, users.c.username, users.c.home_zone_id, users.c.is_active,
                    zones.c.id.label("zone_id"), zones.c.slug.label("zone_slug"), roles)
             .select_from(users.join(zones, acting)).where(column == claims.subject))
    if dialect == "postgresql":
        found = _setting_the_scope(found)
    account = (await session.execute(found)).first()
    if account is None or not account.is_active:
        raise InvalidToken("the token's user is unknown or inactive", "令牌对应的用户不存在或已停用")
    return account


def _setting_the_scope(found):
    """PostgreSQL: ``found`` that also sets the transaction's zone and user (db/scoping.py's
    ``set_config``) when the account may act in the zone, i.e. what ``apply_scope`` would send
    next, in the same round trip. The account is read first (a materialized CTE), and a
    refused zone is never set (``scoped`` is null then, and ZoneRefused follows)."""
    account = found.cte("account").prefix_with("MATERIALIZED")
    may_act = and_(account.c.is_active, or_(account.c.zone_id == account.c.home_zone_id,
                                            func.cardinality(account.c.roles) > 0))
    scoped = case((may_act, func.concat(
        func.set_config("ecozone.zone", cast(account.c.zone_id, Text), True),
        func.set_config("ecozone.user", cast(account.c.id, Text), True))), else_=None)
    return select(account, scoped.label("scoped"))


async def resolve_actor(session: AsyncSession, claims: Claims | None, zone_slug: str | None
                        ) -> Actor:
    """Find the user and decide the acting zone, then scope the session to it.

    A signed-in user acts in their home zone (no ``X-Zone``, or their own) or in a zone where
    they hold a role; any other zone raises :class:`ZoneRefused` before the session's scope
    (and PostgreSQL's per-transaction zone) is set. An anonymous ``X-Zone`` only names the
    zone whose public data comes first: anonymous requests never act in a zone.

    Raises NotFound for an unknown zone and InvalidToken for an unknown user.
    """
    zone: Zone | None = await zone_by_slug(session, zone_slug) if zone_slug else None
    if claims is None:
        actor = ANONYMOUS_ACTOR if zone is None else Actor(preferred_zone_id=zone.id)
        await apply_scope(session, actor.scope)
        return actor
    with timing_roles():  # the roles come with the account
        account = await _account_in_zone(session, claims, zone)
    roles = roles_of_column(account.roles)
    actor = Actor(user_id=account.id, username=account.username, home_zone_id=account.home_zone_id,
                  zone_id=account.zone_id, zone_slug=account.zone_slug, roles=roles)
    if account.zone_id != account.home_zone_id and not roles:
        home = await session.get(Zone, account.home_zone_id)  # only to name it in the refusal
        raise ZoneRefused(actor, home.slug)
    if getattr(account, "scoped", None) is not None:
        scope_was_set(session, actor.scope)  # by the account's own statement
    else:
        await apply_scope(session, actor.scope)
    return actor


async def record_zone_refusal(engine: AsyncEngine, refusal: ZoneRefused) -> None:
    """The refused attempt, in the refused zone's audit chain (its director reads it there),
    in a write transaction of its own that takes its turn like any write."""
    actor = refusal.actor
    async with write_turn(engine, True), \
            new_session(engine, Scope(zone_id=actor.zone_id, user_id=actor.user_id), write=True) as session:
        async with session.begin():
            await record(session, actor, action="zone.act", object_type="zone",
                         object_id=actor.zone_slug, outcome="denied",
                         after={"home_zone_id": actor.home_zone_id})
