"""Each user's inbox: notifications of changes that concern them, read, marked, and watched live."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator, AsyncIterator, Iterable
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry import relay

from ecozone.errors import DomainError
from ecozone.graphql.common import Connection, connection, decode_id, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.results import NotFound, PermissionDenied, ValidationFailed, read, run
from ecozone.notifications import service
from ecozone.notifications.models import Notification as NotificationModel


def subject_type_name(subject_type: str) -> str:
    """``standard`` → ``Standard``, ``expert_profile`` → ``ExpertProfile`` (see Message)."""
    return "".join(part.capitalize() for part in subject_type.split("_"))


@strawberry.type(description="A change that concerns you (通知), in your inbox only.")
class Notification(relay.Node):
    id: relay.NodeID[int]
    kind: str = strawberry.field(description="What happened, e.g. standard.stage_changed")
    title_zh: str
    title_en: str
    body_zh: str | None
    body_en: str | None
    subject_type: str = strawberry.field(description="Type of the thing it is about, e.g. standard")
    subject_id: relay.GlobalID | None = strawberry.field(
        description="Global ID of the thing it is about: open it with node(id:)")
    created_at: dt.datetime
    read_at: dt.datetime | None

    @classmethod
    def from_model(cls, n: NotificationModel) -> Notification:
        subject = (relay.GlobalID(subject_type_name(n.subject_type), str(n.subject_id))
                   if n.subject_id is not None else None)
        return cls(id=n.id, kind=n.kind, title_zh=n.title_zh, title_en=n.title_en,
                   body_zh=n.body_zh, body_en=n.body_en, subject_type=n.subject_type,
                   subject_id=subject, created_at=n.created_at, read_at=n.read_at)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        """Only the recipient finds a notification (the data layer filters the others)."""
        rows = await load_nodes(info, NotificationModel, list(node_ids))
        return [cls.from_model(r) if r else None for r in rows]


@strawberry.type(description="How many notifications were marked read.")
class NotificationsMarkedRead:
    count: int = strawberry.field(description="Notifications that changed from unread to read")
    unread_count: int = strawberry.field(description="Unread notifications left")


NotificationConnectionResult = Annotated[
    Connection[Notification] | PermissionDenied | ValidationFailed,
    strawberry.union("NotificationConnectionResult")]
MarkNotificationsReadResult = Annotated[
    NotificationsMarkedRead | PermissionDenied | ValidationFailed | NotFound,
    strawberry.union("MarkNotificationsReadResult")]


@strawberry.input(description="Leave ids out to mark every notification of your inbox read.")
class MarkNotificationsReadInput:
    ids: list[relay.GlobalID] | None = None


@strawberry.type
class NotificationQuery:
    @strawberry.field(description="Your notifications, newest first (signed-in users).")
    async def inbox(self, info: Info, unread_only: bool = False, first: int = 20,
                    after: str | None = None) -> NotificationConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.inbox(
            ctx.session, ctx.actor, unread_only=unread_only, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, Notification.from_model))

    @strawberry.field(description="Your unread notifications; 0 when not signed in.")
    async def unread_notification_count(self, info: Info) -> int:
        return await service.unread_count(info.context.session, info.context.actor)


@strawberry.type
class NotificationMutation:
    @strawberry.mutation
    async def mark_notifications_read(self, info: Info, input: MarkNotificationsReadInput
                                      ) -> MarkNotificationsReadResult:
        ctx = info.context
        return await run(info, lambda: service.mark_read(
            ctx.session, ctx.actor, max_ids=ctx.settings.limits.max_page_size,
            notification_ids=None if input.ids is None
            else [decode_id(i, "Notification", "ids") for i in input.ids]),
            lambda marked: NotificationsMarkedRead(count=marked.changed, unread_count=marked.unread))


async def _as_types(rows: AsyncIterator[NotificationModel]) -> AsyncGenerator[Notification, None]:
    async for row in rows:
        yield Notification.from_model(row)


@strawberry.type
class NotificationSubscription:
    @strawberry.subscription(description="Your new notifications as they arrive "
                                         "(WebSocket /graphql, graphql-transport-ws; sign in "
                                         "with Authorization in connection_init).")
    async def notifications(self, info: strawberry.Info[Any, None]
                            ) -> AsyncGenerator[Notification, None]:
        ctx = info.context
        try:
            # Each event re-checks the connection (token expiry, user, role in the zone).
            rows = service.watch(ctx.engine, ctx.broker, ctx.actor, recheck=ctx.recheck)
        except DomainError as exc:  # no union result on a subscription: a coded error instead
            raise GraphQLError(exc.message_en, extensions={
                "code": exc.code.upper(), "messageZh": exc.message_zh}) from None
        return _as_types(rows)
