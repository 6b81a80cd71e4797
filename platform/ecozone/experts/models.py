"""Expert registry: profiles (shared across zones), their fields, categories and conflicts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, or_, true
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ViewerScoped


class ExpertProfile(ViewerScoped, Timestamped, Base):
    __tablename__ = "expert_profiles"
    __table_args__ = (Index("ix_expert_profiles_home_zone_id_state", "home_zone_id", "state"),
                      # the registry's default order (pinyin, then id) is a keyset: no sort per page
                      Index("ix_expert_profiles_name_pinyin_id", "name_pinyin", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    home_zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str | None] = mapped_column(String(100))
    name_pinyin: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(100))
    organisation: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    orcid: Mapped[str | None] = mapped_column(String(19))
    biography: Mapped[str | None] = mapped_column(Text)
    standards_authored: Mapped[list[str]] = mapped_column(JSON, default=list)
    availability: Mapped[str] = mapped_column(String(16), default="available")
    # field name -> public | partners | private; missing keys use DEFAULT_VISIBILITY
    visibility: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    is_chief: Mapped[bool] = mapped_column(default=False)
    state_reason: Mapped[str | None] = mapped_column(String(500))
    state_changed_at: Mapped[dt.datetime | None]
    state_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Lower-case name, pinyin, initials and fields: matched with LIKE by the search.
    search_text: Mapped[str] = mapped_column(Text, default="")

    @classmethod
    def visible_to(cls, scope):
        """Verified profiles are public; others only to their owner and home-zone staff."""
        if scope.bypass:
            return true()
        clauses = [cls.state == "verified"]
        if scope.user_id is not None:
            clauses.append(cls.user_id == scope.user_id)
        if scope.zone_staff and scope.zone_id is not None:
            clauses.append(cls.home_zone_id == scope.zone_id)
        return or_(*clauses)


class ExpertField(Base):
    """A field of expertise, one row each so that search by field uses an index."""

    __tablename__ = "expert_fields"
    __table_args__ = (UniqueConstraint("expert_id", "name"), Index("ix_expert_fields_name", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert_profiles.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(50))
    position: Mapped[int] = mapped_column(default=0)


class ExpertCategory(Base):
    __tablename__ = "expert_categories"
    __table_args__ = (UniqueConstraint("expert_id", "category"),
                      Index("ix_expert_categories_category", "category"))

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert_profiles.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(32))


class ConflictDeclaration(Timestamped, Base):
    """A unit the expert works for or with: recusal from reviews that unit leads or drafts."""

    __tablename__ = "expert_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert_profiles.id", ondelete="CASCADE"),
                                           index=True)
    unit_name: Mapped[str] = mapped_column(String(200))
    relation: Mapped[str] = mapped_column(String(16))  # employer | collaborator | other
    note: Mapped[str | None] = mapped_column(String(500))
    withdrawn_at: Mapped[dt.datetime | None]


