"""Inbox notifications: one row per recipient, written in the transaction of the change."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, false, true
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, ViewerScoped, utcnow


class Notification(ViewerScoped, Base):
    __tablename__ = "notifications"
    # No INSERT … RETURNING: on PostgreSQL a returned row must pass the SELECT policy, and the
    # app writes notifications for other users that it may not read (row-level security by
    # recipient). The id is taken from the sequence before the INSERT instead.
    __table_args__ = (Index("ix_notifications_user_id_id", "user_id", "id"),
                      {"implicit_returning": False})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The zone where the change happened (None for base-wide events); not an owner zone:
    # a notification belongs to its recipient, whatever zone they act in.
    origin_zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"))
    kind: Mapped[str] = mapped_column(String(64))  # e.g. standard.stage_changed
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    title_en: Mapped[str] = mapped_column(String(300))
    title_zh: Mapped[str] = mapped_column(String(300))
    body_en: Mapped[str | None] = mapped_column(Text)
    body_zh: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    read_at: Mapped[dt.datetime | None]

    @classmethod
    def visible_to(cls, scope):
        """A notification is its recipient's alone."""
        if scope.bypass:
            return true()
        return cls.user_id == scope.user_id if scope.user_id is not None else false()


