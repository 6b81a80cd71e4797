"""From a request's token and ``X-Zone`` header to its :class:`Actor`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.auth.models import User
from ecozone.auth.tokens import Claims, InvalidToken
from ecozone.authz.actor import ANONYMOUS_ACTOR, Actor
from ecozone.authz.service import load_roles
from ecozone.db.scoping import apply_scope
from ecozone.observability import timing_roles
from ecozone.tenancy.models import Zone
from ecozone.tenancy.service import zone_by_slug


async def _user_for(session: AsyncSession, claims: Claims) -> User:
    column = User.external_subject if claims.external else User.username
    user = await session.scalar(select(User).where(column == claims.subject))
    if user is None or not user.is_active:
        raise InvalidToken("the token's user is unknown or inactive", "令牌对应的用户不存在或已停用")
    return user


async def resolve_actor(session: AsyncSession, claims: Claims | None, zone_slug: str | None
                        ) -> Actor:
    """Find the user and acting zone, then load the user's roles there.

    Raises NotFound for an unknown zone and InvalidToken for an unknown user.
    """
    zone: Zone | None = await zone_by_slug(session, zone_slug) if zone_slug else None
    if claims is None:
        actor = ANONYMOUS_ACTOR
        if zone is not None:
            actor = Actor(zone_id=zone.id, zone_slug=zone.slug)
        await apply_scope(session, actor.scope)
        return actor
    user = await _user_for(session, claims)
    if zone is None:
        zone = await session.get(Zone, user.home_zone_id)
    actor = Actor(user_id=user.id, username=user.username, home_zone_id=user.home_zone_id,
                  zone_id=zone.id, zone_slug=zone.slug)
    await apply_scope(session, actor.scope)
    with timing_roles():
        roles = await load_roles(session, user.id)
    actor = Actor(user_id=user.id, username=user.username, home_zone_id=user.home_zone_id,
                  zone_id=zone.id, zone_slug=zone.slug, roles=roles)
    await apply_scope(session, actor.scope)
    return actor
