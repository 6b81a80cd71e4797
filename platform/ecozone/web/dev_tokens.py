"""``GET /dev/tokens``: development tokens for the IDE's token picker.

The route exists only when ``ECOZONE_ENV`` is ``development`` or ``test`` (``routes`` returns
nothing in production, so the path answers 404 there like any unknown path). It lists the
users of the database — on a development machine, the demo users — with their home zone and
their roles in each zone, each with a token issued by this server (``ecozone token USER``
would print the same kind), and the zones a request may act in (``X-Zone``).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ecozone.auth.models import User
from ecozone.auth.tokens import issue_token
from ecozone.authz.models import ROLES, RoleAssignment
from ecozone.db.engine import transaction
from ecozone.db.scoping import Scope, apply_scope
from ecozone.tenancy.models import Zone

PATH = "/dev/tokens"
# A development database loaded with `ecozone demo --scale N` holds tens of thousands of
# accounts: the picker lists the people with roles first, and at most this many.
MAX_USERS = 300
_ROLE_ORDER = {role: index for index, role in enumerate(ROLES)}


def enabled(settings) -> bool:
    return settings.env in {"development", "test"}


async def _directory(engine) -> tuple[list[Zone], list[User], dict[int, list[tuple[str, str]]]]:
    async with transaction(engine, Scope.system(), write=False) as session:
        zones = list((await session.scalars(select(Zone).order_by(Zone.is_host.desc(), Zone.id))).all())
        users = list((await session.scalars(
            select(User).where(User.is_active.is_(True)).order_by(User.username))).all())
        roles: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for zone in zones:
            # Role assignments are zone-private: PostgreSQL's row-level security shows the
            # app one zone per transaction setting, so they are read zone by zone.
            await apply_scope(session, Scope(zone_id=zone.id, bypass=True))
            rows = await session.execute(select(RoleAssignment.user_id, RoleAssignment.role)
                                         .where(RoleAssignment.zone_id == zone.id))
            for user_id, role in rows:
                roles[user_id].append((zone.slug, role))
    return zones, users, roles


def routes(state) -> list[Route]:
    settings = state.settings
    if not enabled(settings):
        return []

    async def dev_tokens(_request: Request) -> JSONResponse:
        zones, users, roles = await _directory(state.engine)
        slug = {zone.id: zone.slug for zone in zones}

        def rank(user: User) -> tuple:
            held = roles.get(user.id, [])
            best = min((_ROLE_ORDER.get(role, len(ROLES)) for _, role in held), default=len(ROLES))
            return (0 if held else 1, slug.get(user.home_zone_id, ""), best, user.username)

        listed = sorted(users, key=rank)[:MAX_USERS]
        body = {
            "note": "development only: tokens issued by this server, never available in production",
            "noteZh": "仅限开发环境：由本服务器签发的令牌，生产环境不提供",
            "expiresInSeconds": settings.token_ttl_seconds,
            "zones": [{"slug": zone.slug, "nameZh": zone.name_zh, "nameEn": zone.name_en,
                       "isHost": zone.is_host} for zone in zones],
            "users": [{
                "username": user.username,
                "displayName": user.display_name,
                "homeZone": slug.get(user.home_zone_id),
                "roles": [{"zone": zone, "role": role.upper()}
                          for zone, role in sorted(roles.get(user.id, []),
                                                   key=lambda zr: (zr[0], _ROLE_ORDER.get(zr[1], 9)))],
                "token": issue_token(settings, user.username),
            } for user in listed],
            "truncated": len(users) > len(listed),
        }
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    return [Route(PATH, dev_tokens, methods=["GET"])]
