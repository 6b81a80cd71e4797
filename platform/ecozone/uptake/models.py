"""Standard uptake (办法 第四条(四): 标准验证、标准评估、标准应用、试点示范): what happens to a
published standard once it is out — who applies it, where it is piloted and with what results,
how it was verified and evaluated.

Public, as the standard is (a published standard's record is the portals' to show); each
record belongs to the zone whose staff recorded it (``zone_id``), which alone may add results.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ViewerScoped


class UptakeRecord(ViewerScoped, Timestamped, Base):
    __tablename__ = "standard_uptake_records"
    __table_args__ = (Index("ix_standard_uptake_records_zone_id_standard_id", "zone_id", "standard_id"),
                      Index("ix_standard_uptake_records_standard_id_kind", "standard_id", "kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))  # the recording zone
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # application | pilot | verification | evaluation
    # application: enterprise | place; pilot: place; verification and evaluation: institution
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_name: Mapped[str] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(200))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date | None]  # a pilot's period ends; an application may run on
    summary: Mapped[str | None] = mapped_column(Text)
    results: Mapped[str | None] = mapped_column(Text)  # a pilot's results, an evaluation's conclusion
    outcome: Mapped[str | None] = mapped_column(String(16))  # verification/evaluation: meets|partly|fails
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def visible_to(cls, scope):
        """Public: recorded only for published standards, which are public."""
        return true()
