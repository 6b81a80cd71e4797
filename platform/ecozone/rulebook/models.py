"""Rule documents and their versions: owned by a zone, readable by anyone (the portal shows them).

Like the council's publications these are shared tables with an owning ``zone_id``: everything in
them is public by the Charter (第三十条), and a version never changes once adopted.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, utcnow


class RuleDocument(Timestamped, Base):
    __tablename__ = "rule_documents"
    __table_args__ = (UniqueConstraint("zone_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    key: Mapped[str] = mapped_column(String(40))  # measures | charter | a slug for later rules
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class RuleVersion(Base):
    __tablename__ = "rule_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"), UniqueConstraint("motion_id"),
                      Index("ix_rule_versions_document_id_effective_from", "document_id", "effective_from"))

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("rule_documents.id"))
    number: Mapped[int]  # 1, 2, 3 … in the order adopted
    text: Mapped[str] = mapped_column(Text)
    change_note_zh: Mapped[str | None] = mapped_column(Text)
    change_note_en: Mapped[str | None] = mapped_column(Text)
    adopted_on: Mapped[dt.date]  # the meeting's date (or, for the founding text, the recorded date)
    effective_from: Mapped[dt.date]
    # null only for the founding text recorded as adopted before the platform kept the record
    motion_id: Mapped[int | None] = mapped_column(ForeignKey("council_motions.id"))
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultations.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
