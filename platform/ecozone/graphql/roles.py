"""Role assignments in the acting zone, and the viewer (who am I, where, as what)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.authz import service
from ecozone.authz.models import ROLES
from ecozone.authz.models import RoleAssignment as RoleAssignmentModel
from ecozone.db.pagination import paginate
from ecozone.graphql.common import Connection, connection, decode_id, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.rate_limit import RateLimit, rate_limit_of
from ecozone.graphql.experts import Expert
from ecozone.graphql.results import Conflict, NotFound, PermissionDenied, ValidationFailed, read, run
from ecozone.graphql.zones import User, Zone, load_user, load_zone
from ecozone.experts.service import my_profile

Role = strawberry.enum(Enum("Role", {r.upper(): r for r in ROLES}),
                       description="director 主任 · secretary 秘书 · expert 专家 · member 成员")


@strawberry.type(description="A user's role in a zone (zone-private).")
class RoleAssignment(relay.Node):
    id: relay.NodeID[int]
    role: Role
    granted_at: dt.datetime
    user_id: strawberry.Private[int]
    zone_id: strawberry.Private[int]

    @strawberry.field(description="Null if the viewer may not see the account")
    async def user(self, info: Info) -> User | None:
        return await load_user(info, self.user_id)

    @strawberry.field
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)

    @classmethod
    def from_model(cls, a: RoleAssignmentModel) -> RoleAssignment:
        return cls(id=a.id, role=Role(a.role), granted_at=a.created_at, user_id=a.user_id,
                   zone_id=a.zone_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        if not info.context.actor.can("role", "list"):
            return [None for _ in node_ids]
        rows = await load_nodes(info, RoleAssignmentModel, node_ids)
        return [cls.from_model(r) if r else None for r in rows]


RoleAssignmentResult = Annotated[RoleAssignment | PermissionDenied | ValidationFailed | NotFound | Conflict,
                                 strawberry.union("RoleAssignmentResult")]
RoleAssignmentConnectionResult = Annotated[Connection[RoleAssignment] | PermissionDenied | ValidationFailed,
                                           strawberry.union("RoleAssignmentConnectionResult")]


@strawberry.input(description="Grant or revoke a role in the acting zone (X-Zone).")
class GrantRoleInput:
    user_id: relay.GlobalID
    role: Role


@strawberry.input
class RevokeRoleInput:
    user_id: relay.GlobalID
    role: Role


@strawberry.type(description="Who is asking: the user, the acting zone and the roles held there.")
class Viewer:
    user: User | None
    zone: Zone | None
    roles: list[Role]

    @strawberry.field
    async def expert_profile(self, info: Info) -> Expert | None:
        profile = await my_profile(info.context.session, info.context.actor)
        return Expert.from_model(profile, info) if profile else None

    @strawberry.field(description="The caller's fair-use budget of query cost (查询额度); null "
                                  "when fair use is off or outside an HTTP request")
    def rate_limit(self, info: Info) -> RateLimit | None:
        return rate_limit_of(info)


@strawberry.type
class RoleQuery:
    @strawberry.field
    async def viewer(self, info: Info) -> Viewer:
        actor = info.context.actor
        user = await info.context.loaders.user.load(actor.user_id) if actor.signed_in else None
        zone_id = actor.zone_id or actor.preferred_zone_id  # anonymous: the zone asked to come first
        zone = await load_zone(info, zone_id) if zone_id else None
        return Viewer(user=User.from_model(user) if user else None, zone=zone,
                      roles=[Role(r) for r in sorted(actor.roles)])

    @strawberry.field(description="Role assignments of the acting zone: directors and secretaries.")
    async def role_assignments(self, info: Info, first: int = 50, after: str | None = None
                               ) -> RoleAssignmentConnectionResult:
        ctx = info.context

        async def page():
            stmt = await service.list_role_assignments(ctx.session, ctx.actor)
            return await paginate(ctx.session, stmt, order=(RoleAssignmentModel.id,), first=first,
                                  after=after, max_page_size=ctx.settings.limits.max_page_size)
        return await read(info, page, lambda p: connection(p, RoleAssignment.from_model))


@strawberry.type
class RoleMutation:
    @strawberry.mutation(description="Director: any role; secretary: expert and member.")
    async def grant_role(self, info: Info, input: GrantRoleInput) -> RoleAssignmentResult:
        ctx = info.context
        return await run(info, lambda: service.grant_role(
            ctx.session, ctx.actor, user_id=decode_id(input.user_id, "User", "userId"),
            role=input.role.value), RoleAssignment.from_model)

    @strawberry.mutation
    async def revoke_role(self, info: Info, input: RevokeRoleInput) -> RoleAssignmentResult:
        ctx = info.context
        return await run(info, lambda: service.revoke_role(
            ctx.session, ctx.actor, user_id=decode_id(input.user_id, "User", "userId"),
            role=input.role.value), RoleAssignment.from_model)
