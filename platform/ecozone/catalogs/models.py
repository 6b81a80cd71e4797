"""Catalog versions: one row per (category, number), its indicators stored with it.

The indicators live in the version row (a JSON list) because a version is the unit that is
drafted, published and never changed again: a new version is a copy, not shared rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.catalogs.rules import PUBLIC_STATES
from ecozone.db.base import Base, Timestamped, ViewerScoped


class CatalogVersion(ViewerScoped, Timestamped, Base):
    __tablename__ = "catalog_versions"
    __table_args__ = (UniqueConstraint("category", "number"),
                      Index("ix_catalog_versions_category_state", "category", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(32))
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    indicators: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    change_note: Mapped[str] = mapped_column(String(2000), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[dt.datetime | None]

    @classmethod
    def visible_to(cls, scope):
        """Published and superseded versions are public; drafts are seen by zone staff."""
        if scope.bypass or scope.zone_staff:
            return true()
        return cls.state.in_(PUBLIC_STATES)
