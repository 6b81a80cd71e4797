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
from ecozone.graphql.results import PermissionDenied, ValidationFailed, read
from ecozone.graphql.zones import User, load_user


@strawberry.type(description="One recorded write or denied attempt; hash-chained per zone.")
class AuditEntry:
    seq: int
    chain: str
    action: str
    object_type: str
    object_id: str | None
    outcome: str = strawberry.field(description="ok | denied")
    before: JSON | None
    after: JSON | None
    created_at: dt.datetime
    hash: str
    actor_id: strawberry.Private[int | None]

    @strawberry.field
    async def actor(self, info: Info) -> User | None:
        return await load_user(info, self.actor_id)

    @classmethod
    def from_model(cls, e: AuditEntryModel) -> AuditEntry:
        return cls(seq=e.seq, chain=e.chain, action=e.action, object_type=e.object_type,
                   object_id=e.object_id, outcome=e.outcome, before=e.before, after=e.after,
                   created_at=e.created_at, hash=e.hash, actor_id=e.actor_id)


AuditConnectionResult = Annotated[Connection[AuditEntry] | PermissionDenied | ValidationFailed,
                                  strawberry.union("AuditConnectionResult")]


@strawberry.type
class AuditQuery:
    @strawberry.field(description="The acting zone's audit log, oldest first (director).")
    async def audit_log(self, info: Info, action: str | None = None, object_type: str | None = None,
                        first: int = 50, after: str | None = None) -> AuditConnectionResult:
        ctx = info.context

        async def page():
            stmt = await service.list_entries(ctx.session, ctx.actor, action=action,
                                              object_type=object_type)
            return await paginate(ctx.session, stmt, order=(AuditEntryModel.id,), first=first,
                                  after=after, max_page_size=ctx.settings.limits.max_page_size)
        return await read(info, page, lambda p: connection(p, AuditEntry.from_model))
