"""Officer evaluations and third-party evaluations: zone-private (each zone's council is overseen)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ZonePrivate


class OfficerEvaluation(ZonePrivate, Timestamped, Base):
    """第二十五条 “年度绩效考评”: one officer's year and its outcome."""

    __tablename__ = "council_officer_evaluations"
    __table_args__ = (UniqueConstraint("officer_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("council_officers.id"))
    year: Mapped[int]
    outcome: Mapped[str] = mapped_column(String(24))  # oversight.rules.OUTCOMES
    summary: Mapped[str] = mapped_column(Text)
    evaluated_on: Mapped[dt.date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ThirdPartyEvaluation(ZonePrivate, Timestamped, Base):
    """第二十六条 “定期邀请第三方机构…评估，并将评估结果反馈在理事会上通报”."""

    __tablename__ = "council_third_party_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluator: Mapped[str] = mapped_column(String(200))  # the third-party body
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    delivered_on: Mapped[dt.date]
    findings: Mapped[str] = mapped_column(Text)
    reported_at_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("council_meetings.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
