"""The expert committee's members and opinions: zone-private (each zone's council has its own)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ZonePrivate


class CommitteeMember(ZonePrivate, Timestamped, Base):
    __tablename__ = "council_committee_members"
    __table_args__ = (Index("ix_council_committee_members_zone_id_expert_id", "zone_id", "expert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert_profiles.id"))
    term_start: Mapped[dt.date]
    term_end: Mapped[dt.date]
    appointed_by_motion_id: Mapped[int] = mapped_column(ForeignKey("council_motions.id"))
    state: Mapped[str] = mapped_column(String(16), default="appointed")  # appointed | dismissed
    dismissed_on: Mapped[dt.date | None]
    dismissed_by_motion_id: Mapped[int | None] = mapped_column(ForeignKey("council_motions.id"))
    dismissal_reason: Mapped[str | None] = mapped_column(Text)


class CommitteeOpinion(ZonePrivate, Timestamped, Base):
    __tablename__ = "council_committee_opinions"
    __table_args__ = (Index("ix_council_committee_opinions_zone_id_subject", "zone_id", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(16))  # standard | project
    subject_id: Mapped[int]
    given_on: Mapped[dt.date]
    text: Mapped[str] = mapped_column(Text)
    member_ids: Mapped[list[int]] = mapped_column(JSON)  # the committee members who gave it
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
