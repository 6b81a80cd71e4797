"""The acting zone's audit log, for its director."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from ecozone.audit import service
from ecozone.audit.models import AuditEntry as AuditEntryModel
from ecozone.db.pagination import paginate
from ecozone.graphql.common import Connection, connection
from ecozone.graphql.context import Info
from ecozone.graphql.results import PermissionDenied, ValidationFailed, read, result_union
from ecozone.graphql.zones import User, load_user


@strawberry.type(description=("One recorded write or denied attempt, hash-chained per zone (tamper-evident); the "
         "acting zone's director only. 一条审计记录（写操作或被拒绝的尝试），按试验区哈希链接（可发现篡改）；仅所操作试验区的主任可见。"))
class AuditEntry:
    seq: int = strawberry.field(description="Position in its chain, from 1. 在所属链中的序号，从 1 开始。")
    chain: str = strawberry.field(description=("The chain: the zone's slug, or `global` for actions outside any zone. 所属链：试验区 "
             "slug，或不属于任何试验区的操作为 `global`。"))
    action: str = strawberry.field(description=("What was done, e.g. `project.approve`. 所做操作，如 `project.approve`。"))
    object_type: str = strawberry.field(description=("Kind of object acted on, e.g. `project`. 操作对象类型，如 `project`。"))
    object_id: str | None = strawberry.field(description=(
             "Database id of the object; null when none was created (e.g. a denied attempt). 对"
             "象的数据库 id；未产生对象时（如被拒绝的尝试）为 null。"))
    outcome: str = strawberry.field(description=("`ok` (done) or `denied` (refused by the permission check). 结果：`ok` 表示已执行，"
             "`denied` 表示被权限检查拒绝。"))
    before: JSON | None = strawberry.field(description=("The object's recorded fields before the write; null for a creation. 写入前的对象字段；新建时"
             "为 null。"))
    after: JSON | None = strawberry.field(description=("The object's recorded fields after the write; null for a denial or deletion. 写入后"
             "的对象字段；拒绝或删除时为 null。"))
    created_at: dt.datetime = strawberry.field(description="When it happened (ISO 8601 with offset). 发生时间（ISO 8601，含时区偏移）。")
    hash: str = strawberry.field(description=("SHA-256 over this entry and the previous entry's hash (`ecozone audit verify` "
             "checks the chain). 本条与上一条哈希值的 SHA-256（`ecozone audit verify` 校验整条链）。"))
    actor_id: strawberry.Private[int | None]

    @strawberry.field(description=("Who did it; null for the system or an account the viewer may not see. 操作人；系统操作或查看者不可"
         "见的账户为 null。"))
    async def actor(self, info: Info) -> User | None:
        return await load_user(info, self.actor_id)

    @classmethod
    def from_model(cls, e: AuditEntryModel) -> AuditEntry:
        return cls(seq=e.seq, chain=e.chain, action=e.action, object_type=e.object_type,
                   object_id=e.object_id, outcome=e.outcome, before=e.before, after=e.after,
                   created_at=e.created_at, hash=e.hash, actor_id=e.actor_id)


AuditConnectionResult = result_union("AuditConnectionResult", Connection[AuditEntry], PermissionDenied,
                                     ValidationFailed)


@strawberry.type
class AuditQuery:
    @strawberry.field(description=("The acting zone's audit log, oldest first; the zone's director only (others: "
             "PermissionDenied). 所操作试验区的审计日志，按时间先后排列；仅该区主任可查看（其他人返回 PermissionDenied）。"))
    async def audit_log(self, info: Info, action: Annotated[str | None, strawberry.argument(description="Only entries of this action, e.g. `project.approve`. 仅此操作的记录，如 `project.approve`。")] = None, object_type: Annotated[str | None, strawberry.argument(description="Only entries about this kind of object, e.g. `project`. 仅此类对象的记录，如 `project`。")] = None,
                        first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 50, after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None) -> AuditConnectionResult:
        ctx = info.context

        async def page():
            stmt = await service.list_entries(ctx.session, ctx.actor, action=action,
                                              object_type=object_type)
            return await paginate(ctx.session, stmt, order=(AuditEntryModel.id,), first=first,
                                  after=after, max_page_size=ctx.settings.limits.max_page_size)
        return await read(info, page, lambda p: connection(p, AuditEntry.from_model))
