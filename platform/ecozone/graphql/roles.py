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
from ecozone.experts.service import my_profile
from ecozone.graphql import viewer_work
from ecozone.graphql.common import Connection, connection, decode_id, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.experts.types import Expert
from ecozone.graphql.rate_limit import RateLimit, rate_limit_of
from ecozone.graphql.results import (
    EVERY_FAILURE,
    PermissionDenied,
    ValidationFailed,
    read,
    result_union,
    run,
)
from ecozone.graphql.zones import User, Zone, load_user, load_zone

Role = strawberry.enum(Enum("Role", {r.upper(): r for r in ROLES}),
                       description=("A role held in one zone: director 主任 (decides), secretary 秘书 (office staff), expert "
         "专家, member 成员 (a member unit's representative). 在某一试验区持有的角色：director 主任（决策）、"
         "secretary 秘书（办公室工作人员）、expert 专家、member 成员（成员单位代表）。"))


@strawberry.type(description=("A user's role in a zone; seen by that zone's staff only. 用户在某试验区的角色；仅该试验区工作人员可见。"))
class RoleAssignment(relay.Node):
    id: relay.NodeID[int]
    role: Role = strawberry.field(description="The role held. 所持角色。")
    granted_at: dt.datetime = strawberry.field(description="When the role was granted (ISO 8601 with offset). 授予时间（ISO 8601，含时区偏移）。")
    user_id: strawberry.Private[int]
    zone_id: strawberry.Private[int]

    @strawberry.field(description=("The user holding it; null if the viewer may not see the account. 持有该角色的用户；查看者无权查"
             "看该账户时为 null。"))
    async def user(self, info: Info) -> User | None:
        return await load_user(info, self.user_id)

    @strawberry.field(description="The zone the role is held in. 角色所在试验区。")
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


RoleAssignmentResult = result_union("RoleAssignmentResult", RoleAssignment, *EVERY_FAILURE)
RoleAssignmentConnectionResult = result_union("RoleAssignmentConnectionResult", Connection[RoleAssignment],
                                              PermissionDenied, ValidationFailed)


@strawberry.input(description=("Grant a role in the acting zone (X-Zone); the zone's director. 在所操作试验区（X-Zone）授予角色；由"
         "该区主任操作。"))
class GrantRoleInput:
    user_id: relay.GlobalID = strawberry.field(description="Global ID of the user (`User.id`). 用户的全局 ID（`User.id`）。")
    role: Role = strawberry.field(description="The role to grant. 要授予的角色。")


@strawberry.input(description=("Revoke a role in the acting zone (X-Zone); the zone's director. 在所操作试验区（X-Zone）撤销角色；由该区主"
     "任操作。"))
class RevokeRoleInput:
    user_id: relay.GlobalID = strawberry.field(description="Global ID of the user (`User.id`). 用户的全局 ID（`User.id`）。")
    role: Role = strawberry.field(description="The role to revoke. 要撤销的角色。")


@strawberry.type(description=("Who is asking: the user, the acting zone and the roles held there. 当前请求者：用户、所操作的试验区及"
         "在该区持有的角色。"))
class Viewer:
    user: User | None = strawberry.field(description=("The signed-in user; null when anonymous. 登录用户；匿名时为 null。"))
    zone: Zone | None = strawberry.field(description=("The acting zone: `X-Zone`, else the user's home zone; null when anonymous. 所操作的试"
             "验区：`X-Zone` 指定的试验区，否则为用户所属试验区；匿名时为 null。"))
    roles: list[Role] = strawberry.field(description=("The roles held in the acting zone; empty when anonymous. 在所操作试验区持有的角色；匿名时为空。"))

    @strawberry.field(description=("The user's own expert profile, with every field; null if there is none. 本人的专家档案（所有字段"
         "可见）；没有时为 null。"))
    async def expert_profile(self, info: Info) -> Expert | None:
        profile = await my_profile(info.context.session, info.context.actor)
        return Expert.from_model(profile, info) if profile else None

    @strawberry.field(description=("The zones where the signed-in user may act (send one as `X-Zone`): the home zone "
             "first, then each zone where they hold a role; empty when anonymous. 登录用户可操作的试验区（可作为 "
             "`X-Zone` 发送）：先列所属试验区，再列持有角色的试验区；匿名时为空。"))
    async def zones_to_act_in(self, info: Info) -> list[Zone]:
        zone_ids = await service.zones_to_act_in(info.context.session, info.context.actor)
        return [await load_zone(info, zone_id) for zone_id in zone_ids]

    @strawberry.field(description=("The caller's fair-use budget of query cost; null when fair use is off or "
             "outside an HTTP request. 调用方的查询额度（按查询成本计）；未启用公平使用或不在 HTTP 请求中时为 null。"))
    def rate_limit(self, info: Info) -> RateLimit | None:
        return rate_limit_of(info)

    review_panels = viewer_work.review_panels  # the viewer's own work: graphql/viewer_work.py
    comments = viewer_work.comments


@strawberry.type
class RoleQuery:
    @strawberry.field(description=("Who is asking: the signed-in user (null when anonymous), the acting zone and the "
         "roles held there. 当前请求者：登录用户（匿名时为 null）、所操作的试验区及其在该区的角色。"))
    async def viewer(self, info: Info) -> Viewer:
        actor = info.context.actor
        user = await info.context.loaders.user.load(actor.user_id) if actor.signed_in else None
        zone_id = actor.zone_id or actor.preferred_zone_id  # anonymous: the zone asked to come first
        zone = await load_zone(info, zone_id) if zone_id else None
        return Viewer(user=User.from_model(user) if user else None, zone=zone,
                      roles=[Role(r) for r in sorted(actor.roles)])

    @strawberry.field(description=("Role assignments of the acting zone (directors, secretaries, experts, members); "
             "the zone's staff only. 所操作试验区的角色分配（主任、秘书、专家、成员）；仅该区工作人员可查看。"))
    async def role_assignments(self, info: Info, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 50, after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None
                               ) -> RoleAssignmentConnectionResult:
        ctx = info.context

        async def page():
            stmt = await service.list_role_assignments(ctx.session, ctx.actor)
            return await paginate(ctx.session, stmt, order=(RoleAssignmentModel.id,), first=first,
                                  after=after, max_page_size=ctx.settings.limits.max_page_size)
        return await read(info, page, lambda p: connection(p, RoleAssignment.from_model))


@strawberry.type
class RoleMutation:
    @strawberry.mutation(description=("Grant a role in the acting zone. Director: any role; secretary: expert and "
             "member. Granting a role already held is a Conflict. 在所操作试验区授予角色。主任可授予任何角色；秘书可授予专家和成员。授予已持有的角色返回 Conflict。"))
    async def grant_role(self, info: Info, input: Annotated[GrantRoleInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> RoleAssignmentResult:
        ctx = info.context
        return await run(info, lambda: service.grant_role(
            ctx.session, ctx.actor, user_id=decode_id(input.user_id, "User", "userId"),
            role=input.role.value), RoleAssignment.from_model)

    @strawberry.mutation(description=("Revoke a role in the acting zone; the same people as for granting it. NotFound when the user does not hold it; a director cannot revoke their own director role (Conflict). 在所操作试验区撤销角色；权限同授予。用户未持有该角色时返回 NotFound；主任不能撤销自己的主任角色（Conflict）。"))
    async def revoke_role(self, info: Info, input: Annotated[RevokeRoleInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> RoleAssignmentResult:
        ctx = info.context
        return await run(info, lambda: service.revoke_role(
            ctx.session, ctx.actor, user_id=decode_id(input.user_id, "User", "userId"),
            role=input.role.value), RoleAssignment.from_model)
