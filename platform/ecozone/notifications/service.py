"""Writing notifications (by other services), reading one's inbox, and watching it live."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.base import utcnow
from ecozone.db.engine import new_session
from ecozone.db.pagination import Page, check_first, decode_cursor, encode_cursor
from ecozone.db.scoping import ANONYMOUS
from ecozone.errors import FieldError, NotFound, raise_if_invalid
from ecozone.notifications.broker import Broker, announce
from ecozone.notifications.models import Notification


@dataclass(frozen=True)
class Message:
    """What happened, for whom to read.

    ``subject_type`` is the snake_case name of the subject's GraphQL type (``standard`` for
    ``Standard``, ``expert_profile`` for ``ExpertProfile``): the API turns it and ``subject_id``
    into the subject's global ID.
    """

    kind: str  # e.g. standard.stage_changed
    subject_type: str
    subject_id: int | None
    title_en: str
    title_zh: str
    body_en: str | None = None
    body_zh: str | None = None


async def notify(session: AsyncSession, actor: Actor, user_ids: Iterable[int | None],
                 message: Message) -> list[Notification]:
    """One notification per distinct recipient, except the actor (who did it).

    Written in the caller's transaction; subscribers hear of it only if that commits.
    """
    recipients = sorted({u for u in user_ids if u is not None and u != actor.user_id})
    rows = [Notification(user_id=u, origin_zone_id=actor.zone_id, kind=message.kind,
                         subject_type=message.subject_type, subject_id=message.subject_id,
                         title_en=message.title_en, title_zh=message.title_zh,
                         body_en=message.body_en, body_zh=message.body_zh) for u in recipients]
    session.add_all(rows)
    await session.flush()
    await announce(session, rows)
    return rows


async def inbox(session: AsyncSession, actor: Actor, *, unread_only: bool = False, first: int = 20,
                after: str | None = None, max_page_size: int = 100) -> Page[Notification]:
    """The actor's notifications, newest first (the data layer limits rows to the recipient)."""
    require(actor, "notification", "read")
    check_first(first, max_page_size)
    stmt = select(Notification)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
    page_stmt = stmt.order_by(Notification.id.desc())
    if after:
        (before_id,) = decode_cursor(after, 1)
        if not isinstance(before_id, int) or isinstance(before_id, bool):
            raise_if_invalid([FieldError("after", "cursor", "the cursor is not one this list returned",
                                         "游标无效：请使用本列表返回的游标")])
        page_stmt = page_stmt.where(Notification.id < before_id)
    rows = list((await session.scalars(page_stmt.limit(first + 1))).all())
    has_next = len(rows) > first
    rows = rows[:first]
    return Page(items=rows, cursors=[encode_cursor([r.id]) for r in rows], has_next_page=has_next,
                has_previous_page=after is not None, total_count=total or 0)


async def unread_count(session: AsyncSession, actor: Actor) -> int:
    """Unread notifications of the actor; 0 for an anonymous visitor (nothing to show)."""
    if not actor.signed_in:
        return 0
    return await session.scalar(select(func.count()).select_from(Notification).where(
        Notification.read_at.is_(None))) or 0


async def get_notification(session: AsyncSession, notification_id: int) -> Notification:
    """One notification of the session's viewer; another user's is not found."""
    row = await session.scalar(select(Notification).where(Notification.id == notification_id))
    if row is None:
        raise NotFound(f"no notification {notification_id} in your inbox",
                       f"您的收件箱中没有通知 {notification_id}")
    return row


@dataclass(frozen=True)
class MarkedRead:
    changed: int  # unread before, read now
    unread: int   # unread left in the inbox


async def mark_read(session: AsyncSession, actor: Actor, *, notification_ids: list[int] | None,
                    max_ids: int = 100) -> MarkedRead:
    """Mark the given notifications (or all, when None) read."""
    require(actor, "notification", "read")
    if notification_ids is not None and len(notification_ids) > max_ids:
        raise_if_invalid([FieldError("ids", "length", f"mark at most {max_ids} notifications at once; "
                                     "leave ids out to mark them all",
                                     f"一次最多标记 {max_ids} 条通知；不填 ids 则全部标记")])
    stmt = (update(Notification).where(Notification.read_at.is_(None))
            .values(read_at=utcnow()).execution_options(synchronize_session=False))
    if notification_ids is not None:
        wanted = set(notification_ids)
        found = set((await session.scalars(select(Notification.id).where(
            Notification.id.in_(wanted)))).all())
        missing = sorted(wanted - found)
        if missing:
            raise NotFound(f"no notification {missing[0]} in your inbox",
                           f"您的收件箱中没有通知 {missing[0]}")
        stmt = stmt.where(Notification.id.in_(wanted))
    changed = (await session.execute(stmt)).rowcount or 0
    await record(session, actor, action="notification.mark_read", object_type="notification",
                 after={"ids": sorted(set(notification_ids)) if notification_ids is not None else "all",
                        "changed": changed})
    return MarkedRead(changed=changed, unread=await unread_count(session, actor))


# Before each event, in the event's session: the actor to load it as, as of now, with the
# session scoped to it; or None to stop (the caller has ended the connection).
Recheck = Callable[[AsyncSession], Awaitable[Actor | None]]


def watch(engine: AsyncEngine, broker: Broker, actor: Actor, *, recheck: Recheck | None = None
          ) -> AsyncIterator[Notification]:
    """The actor's new notifications as they are committed, for a subscription.

    Refuses at once (not at the first event) when the actor may not read notifications.
    Each event is loaded through a fresh session in the actor's scope, so the recipient rule
    and row-level security apply; no connection is held while waiting. With ``recheck``, the
    actor is re-resolved in that session before each event (a revoked role, a deactivated
    user, an expired token count from the next event on) and the event loaded as that actor.
    """
    require(actor, "notification", "read")
    return _load_each(engine, actor, broker.subscribe(actor.user_id), recheck)


async def _load_each(engine: AsyncEngine, actor: Actor, ids: AsyncIterator[int],
                     recheck: Recheck | None = None) -> AsyncIterator[Notification]:
    try:
        async for notification_id in ids:
            # With a recheck the session starts unscoped: the re-resolved actor scopes it.
            scope = actor.scope if recheck is None else ANONYMOUS
            async with new_session(engine, scope) as session, session.begin():
                if recheck is not None:
                    current = await recheck(session)
                    if current is None or current.user_id != actor.user_id:
                        return
                    if not current.can("notification", "read"):
                        return  # the new rights no longer include the inbox
                row = await session.scalar(select(Notification).where(
                    Notification.id == notification_id))
            if row is not None:
                yield row
    finally:
        await ids.aclose()
