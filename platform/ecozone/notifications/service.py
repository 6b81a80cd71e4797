"""Writing notifications (by other services) and reading one's inbox."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.authz.actor import Actor
from ecozone.db.base import utcnow
from ecozone.errors import NotFound, PermissionDenied
from ecozone.notifications.models import Notification


@dataclass(frozen=True)
class Message:
    kind: str
    subject_type: str
    subject_id: int | None
    title_en: str
    title_zh: str
    body_en: str | None = None
    body_zh: str | None = None


async def notify(session: AsyncSession, actor: Actor, user_ids: Iterable[int | None],
                 message: Message) -> list[Notification]:
    """One notification per distinct recipient, except the actor (who did it)."""
    recipients = sorted({u for u in user_ids if u is not None and u != actor.user_id})
    rows = [Notification(user_id=u, origin_zone_id=actor.zone_id, kind=message.kind,
                         subject_type=message.subject_type, subject_id=message.subject_id,
                         title_en=message.title_en, title_zh=message.title_zh,
                         body_en=message.body_en, body_zh=message.body_zh) for u in recipients]
    session.add_all(rows)
    await session.flush()
    pending = session.info.setdefault("notifications_to_publish", [])
    pending.extend(rows)  # published to subscribers after the commit (see the broker)
    return rows


def _require_signed_in(actor: Actor) -> None:
    if not actor.signed_in:
        raise PermissionDenied("sign in to read your notifications", "请登录后查看通知",
                               action="notification.read", object_type="notification")


def inbox(actor: Actor, *, unread_only: bool = False):
    """The actor's notifications (the data layer limits rows to the recipient)."""
    _require_signed_in(actor)
    stmt = select(Notification)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt


async def mark_read(session: AsyncSession, actor: Actor, *, notification_ids: list[int] | None
                    ) -> int:
    """Mark the given notifications (or all, when None) read; returns how many changed."""
    _require_signed_in(actor)
    stmt = (update(Notification).where(Notification.read_at.is_(None))
            .values(read_at=utcnow()).execution_options(synchronize_session=False))
    if notification_ids is not None:
        found = set((await session.scalars(select(Notification.id).where(
            Notification.id.in_(notification_ids)))).all())
        missing = sorted(set(notification_ids) - found)
        if missing:
            raise NotFound(f"no notification {missing[0]} in your inbox",
                           f"您的收件箱中没有通知 {missing[0]}")
        stmt = stmt.where(Notification.id.in_(notification_ids))
    result = await session.execute(stmt)
    return result.rowcount or 0
