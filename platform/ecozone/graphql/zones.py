"""Zones (tenants) and users."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable

import strawberry
from sqlalchemy import select
from strawberry import relay

from ecozone.auth.models import User as UserModel
from ecozone.db.pagination import paginate
from ecozone.graphql.common import Connection, connection, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.loaders import now_or_later
from ecozone.tenancy.models import Zone as ZoneModel


@strawberry.type(description="Per-zone rules, from the zone's tenant file.")
class ZoneSettings:
    review_turnout: list[int] = strawberry.field(description="[numerator, denominator]")
    review_approval: list[int] = strawberry.field(description="[numerator, denominator]")
    consultation_days: int
    project_notice_days: int
    agenda_working_days: int


@strawberry.type(description="A pilot zone (tenant): 试验区.")
class Zone(relay.Node):
    id: relay.NodeID[int]
    slug: str
    name_zh: str
    name_en: str
    standard_code: str = strawberry.field(description="Prefix of the zone's local standards, e.g. DB36/T")
    admin_code: str
    is_host: bool
    settings: ZoneSettings

    @classmethod
    def from_model(cls, zone: ZoneModel) -> Zone:
        s = zone.settings
        return cls(id=zone.id, slug=zone.slug, name_zh=zone.name_zh, name_en=zone.name_en,
                   standard_code=zone.standard_code, admin_code=zone.admin_code,
                   is_host=zone.is_host, settings=ZoneSettings(
                       review_turnout=s["review"]["turnout"], review_approval=s["review"]["approval"],
                       consultation_days=s["consultation"]["days"],
                       project_notice_days=s["projects"]["notice_days"],
                       agenda_working_days=s["council"]["agenda_working_days"]))

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        zones = await load_nodes(info, ZoneModel, list(node_ids))
        return [cls.from_model(z) if z else None for z in zones]


async def load_zone(info: Info, zone_id: int) -> Zone:
    return Zone.from_model(await info.context.loaders.zone.load(zone_id))


def zone_of(info: Info, zone_id: int) -> Zone | Awaitable[Zone]:
    """A zone field's value: synchronous when the request already loaded the zone."""
    loaders = info.context.loaders
    key = ("Zone", zone_id)
    node = loaders.nodes.get(key)
    if node is not None:
        return node
    return now_or_later(loaders.zone, zone_id,
                        lambda row: loaders.nodes.setdefault(key, Zone.from_model(row)))


@strawberry.type(description="A person who signs in. Accounts are private: seen by the user, "
                             "their home zone's staff, the people who handle their requests, and "
                             "everyone only where the platform made the person public (a verified "
                             "expert, the working group of a public standard); null or NotFound "
                             "for anyone else.")
class User(relay.Node):
    id: relay.NodeID[int]
    display_name: str
    home_zone_id: strawberry.Private[int]
    sign_in_name: strawberry.Private[str]

    @strawberry.field(description="The sign-in name: shown to the user and their home zone's "
                                  "staff only, null for everyone else")
    def username(self, info: Info) -> str | None:
        actor = info.context.actor
        if actor.user_id == self.id or (actor.zone_staff and actor.zone_id == self.home_zone_id):
            return self.sign_in_name
        return None

    @strawberry.field
    async def home_zone(self, info: Info) -> Zone:
        return await load_zone(info, self.home_zone_id)

    @classmethod
    def from_model(cls, user: UserModel) -> User:
        return cls(id=user.id, sign_in_name=user.username, display_name=user.display_name,
                   home_zone_id=user.home_zone_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        users = await load_nodes(info, UserModel, list(node_ids))
        return [cls.from_model(u) if u else None for u in users]


async def load_user(info: Info, user_id: int | None) -> User | None:
    """A field naming a person: null when there is none or the viewer may not see the account
    (the data layer applies ``User.visible_to``)."""
    if user_id is None:
        return None
    user = await info.context.loaders.user.load(user_id)
    return User.from_model(user) if user else None


@strawberry.type
class ZoneQuery:
    @strawberry.field(description="The pilot zones, in slug order.")
    async def zones(self, info: Info, first: int = 100, after: str | None = None
                    ) -> Connection[Zone]:
        ctx = info.context
        page = await paginate(ctx.session, select(ZoneModel), order=(ZoneModel.slug,),
                              first=first, after=after,
                              max_page_size=ctx.settings.limits.max_page_size)
        return connection(page, Zone.from_model)

    @strawberry.field
    async def zone(self, info: Info, slug: str) -> Zone | None:
        zone = await info.context.session.scalar(select(ZoneModel).where(ZoneModel.slug == slug))
        return Zone.from_model(zone) if zone else None
