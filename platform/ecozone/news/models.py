"""Bilingual news articles and announcements of a zone's office (章程 第三十一条)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, or_, true
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ViewerScoped


class NewsArticle(ViewerScoped, Timestamped, Base):
    """Drafted by the zone's office (director, secretary), public once published."""

    __tablename__ = "news_articles"
    __table_args__ = (Index("ix_news_articles_zone_id_state_published_at", "zone_id", "state", "published_at"),
                      Index("ix_news_articles_state_published_at", "state", "published_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    kind: Mapped[str] = mapped_column(String(16))  # rules.KINDS
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    body_zh: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="draft")  # rules.ARTICLE
    published_at: Mapped[dt.datetime | None]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def visible_to(cls, scope):
        """Published: everyone. A draft or a withdrawn article: its zone's office only."""
        if scope.bypass:
            return true()
        clauses = [cls.state == "published"]
        if scope.zone_staff and scope.zone_id is not None:
            clauses.append(cls.zone_id == scope.zone_id)
        return or_(*clauses)
