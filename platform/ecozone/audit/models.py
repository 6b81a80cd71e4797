"""The append-only, hash-chained audit log (one chain per zone, plus ``global``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, ViewerScoped, utcnow


class AuditEntry(ViewerScoped, Base):
    """One recorded action. Rows are read in the acting zone only (the global chain, which
    holds anonymous denials, only by the operator); RLS enforces the same on PostgreSQL."""

    __tablename__ = "audit_log"
    __table_args__ = (
        UniqueConstraint("chain", "seq"),
        Index("ix_audit_log_zone_id_created_at", "zone_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))  # ok | denied
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    @classmethod
    def visible_to(cls, scope):
        """The zone's log, for its staff acting in it (the API lets only the director read it;
        a plain member or a visitor of the zone is no reader of it)."""
        if scope.bypass:
            return true()
        if not scope.zone_staff or scope.zone_id is None:
            return false()
        return cls.zone_id == scope.zone_id


class AuditChainHead(Base):
    """The tip of each chain; its row lock serialises appends to that chain."""

    __tablename__ = "audit_chain_heads"

    chain: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
