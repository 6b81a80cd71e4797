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
from ecozone.graphql.results import (
    NotFound,
    PermissionDenied,
    ValidationFailed,
    read,
    result_union,
    run,
)
from ecozone.notifications import service
from ecozone.notifications.models import Notification as NotificationModel


def subject_type_name(subject_type: str) -> str:
    """``standard`` → ``Standard``, ``expert_profile`` → ``ExpertProfile`` (see Message)."""
    return "".join(part.capitalize() for part in subject_type.split("_"))


@strawberry.type(description=("A change that concerns you, in your inbox only (the recipient sees it, no one "
         "else). 与您相关的变动通知，仅在本人收件箱中（仅收件人可见）。"))
class Notification(relay.Node):
    id: relay.NodeID[int]
    kind: str = strawberry.field(description=("What happened, a dotted code, e.g. `standard.stage_changed`, "
             "`project.approved`, `expert.verified`. 事件类型（点分代码），如 `standard.stage_changed`、"
             "`project.approved`、`expert.verified`。"))
    title_zh: str = strawberry.field(description="One-line summary in Chinese. 中文标题（一行摘要）。")
    title_en: str = strawberry.field(description="One-line summary in English. 英文标题（一行摘要）。")
    body_zh: str | None = strawberry.field(description=("Details in Chinese (e.g. the reason given); null when the title says it all. 中文详"
             "情（如所给原因）；标题已足够时为 null。"))
    body_en: str | None = strawberry.field(description=("Details in English; null when the title says it all. 英文详情；标题已足够时为 null。"))
    subject_type: str = strawberry.field(description=("Kind of the thing it is about, e.g. `standard`, `project`, `expert`. 所涉对象类型，如 "
             "`standard`、`project`、`expert`。"))
    subject_id: relay.GlobalID | None = strawberry.field(
        description=("Global ID of the thing it is about: open it with `node(id:)`; null when it has "
             "none or you may no longer see it. 所涉对象的全局 ID，可用 `node(id:)` 打开；无对象时为 null。"))
    created_at: dt.datetime = strawberry.field(description="When it was created (ISO 8601 with offset). 创建时间（ISO 8601，含时区偏移）。")
    read_at: dt.datetime | None = strawberry.field(description="When you marked it read; null while unread. 标记为已读的时间；未读时为 null。")

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


@strawberry.type(description=("How many notifications were marked read, and how many unread are left. 已标记为已读的通知数，以及"
         "剩余未读数。"))
class NotificationsMarkedRead:
    count: int = strawberry.field(description=("Notifications that changed from unread to read. 由未读变为已读的通知数。"))
    unread_count: int = strawberry.field(description=("Unread notifications left in your inbox. 收件箱中剩余未读通知数。"))


NotificationConnectionResult = result_union("NotificationConnectionResult", Connection[Notification], PermissionDenied,
                                            ValidationFailed)
MarkNotificationsReadResult = result_union("MarkNotificationsReadResult", NotificationsMarkedRead, PermissionDenied,
                                           ValidationFailed, NotFound)


@strawberry.input(description=("Which notifications to mark read; leave `ids` out to mark every notification of "
         "your inbox read. 要标记为已读的通知；省略 `ids` 则全部标记为已读。"))
class MarkNotificationsReadInput:
    ids: list[relay.GlobalID] | None = strawberry.field(default=None, description=("Global IDs of your notifications (`Notification.id`); others' IDs are ignored. 本"
             "人通知的全局 ID（`Notification.id`）；他人的 ID 被忽略。"))


@strawberry.type
class NotificationQuery:
    @strawberry.field(description=("Your notifications, newest first; signed-in users (anonymous: "
             "PermissionDenied). 本人的通知，最新的在前；需登录（匿名返回 PermissionDenied）。"))
    async def inbox(self, info: Info, unread_only: Annotated[bool, strawberry.argument(description="Only notifications not yet read. 仅未读通知。")] = False, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20,
                    after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None) -> NotificationConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.inbox(
            ctx.session, ctx.actor, unread_only=unread_only, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, Notification.from_model))

    @strawberry.field(description=("Your unread notifications; 0 when not signed in. 本人未读通知数；未登录时为 0。"))
    async def unread_notification_count(self, info: Info) -> int:
        return await service.unread_count(info.context.session, info.context.actor)


@strawberry.type
class NotificationMutation:
    @strawberry.mutation(description=("Mark notifications of your inbox read: the ones given, or all. Signed-in users. 将收件箱"
         "中的通知标记为已读：指定的或全部。需登录。"))
    async def mark_notifications_read(self, info: Info, input: Annotated[MarkNotificationsReadInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
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
    @strawberry.subscription(description=("Your new notifications as they arrive (WebSocket /graphql, "
             "graphql-transport-ws; sign in with `Authorization` in connection_init). 实时推送本人新通"
             "知（WebSocket /graphql，graphql-transport-ws 协议；在 connection_init 中携带 "
             "`Authorization` 登录）。"))
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
