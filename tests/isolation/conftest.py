"""Fixtures of the isolation tests: the demo's people (the demo itself, ``demo_api``, is in
tests/support/demo_fixtures.py, shared with the portal's tests)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from ecozone.auth.models import User
from ecozone.authz.models import STAFF_ROLES, RoleAssignment
from ecozone.db.scoping import Scope
from ecozone.tenancy.models import Zone

# Demo usernames are "<prefix>-director", "<prefix>-secretary", "<prefix>-member1".
ZONE_PREFIXES = {"jiangxi": "jx", "guizhou": "gz", "fujian": "fj", "hainan": "hn"}
ROLES = ("director", "secretary", "expert", "member")


@dataclass(frozen=True)
class Identity:
    """Who sends a request: a demo user acting in a zone, or an anonymous visitor."""

    label: str
    username: str | None
    zone_slug: str | None
    scope: Scope  # what the app derives for this identity (zone, user, staff)


@pytest.fixture(scope="module")
async def identities(demo_api) -> list[Identity]:
    """The 16 identities (4 zones × director, secretary, expert, member) and anonymous."""
    async def work(session):
        zones = {z.slug: z.id for z in (await session.scalars(select(Zone))).all()}
        held = (await session.execute(select(RoleAssignment.zone_id, RoleAssignment.role, User.id,
                                             User.username)
                                      .join(User, User.id == RoleAssignment.user_id)
                                      .order_by(User.id))).all()
        return zones, held

    zones, held = await demo_api.operator(work)
    found = []
    for slug, prefix in ZONE_PREFIXES.items():
        zone_id = zones[slug]
        in_zone = [row for row in held if row.zone_id == zone_id]
        for role in ROLES:
            wanted = {"director": f"{prefix}-director", "secretary": f"{prefix}-secretary",
                      "member": f"{prefix}-member1"}.get(role)
            # The demo's experts are users holding the expert role: take the first of the zone.
            row = next(r for r in in_zone if r.role == role and (wanted is None or r.username == wanted))
            roles = frozenset(r.role for r in in_zone if r.id == row.id)
            found.append(Identity(f"{slug}/{role}", row.username, slug,
                                  Scope(zone_id=zone_id, user_id=row.id,
                                        zone_staff=bool(roles & STAFF_ROLES))))
    found.append(Identity("anonymous", None, None, Scope()))
    return found


# X-Zone values a hostile client sends: every zone, an unknown one, none.
ZONE_HEADERS: tuple[str | None, ...] = (*ZONE_PREFIXES, "atlantis", None)


def acting_as(identity: Identity, zone_header: str | None) -> Scope | int:
    """What the app must make of ``identity`` sending ``zone_header``: the scope it acts with,
    or the HTTP status of the refusal (400 unknown zone, 403 a zone the user may not act in).

    The demo's users hold roles in their home zone only, so a signed-in identity acts in its
    own zone (with or without the header) and is refused in every other; an anonymous
    visitor's known X-Zone changes nothing of what it may see.
    """
    if zone_header is not None and zone_header not in ZONE_PREFIXES:
        return 400
    if identity.username is None:
        return Scope()
    if zone_header in (None, identity.zone_slug):
        return identity.scope
    return 403
