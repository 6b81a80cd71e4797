"""Joint local standards and group standards: versions, zones, panel, ballots, events."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, exists, or_, select, true
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ViewerScoped, utcnow
from ecozone.experts.models import ExpertProfile

# A draft under consultation (征求意见稿) is public too: anyone may read and comment on it.
PUBLIC_STATES = ("consultation", "published", "withdrawn", "superseded")


class StandardZone(Base):
    """A zone taking part in a standard, and its director's decision in joint approval."""

    __tablename__ = "standard_zones"
    __table_args__ = (UniqueConstraint("standard_id", "zone_id"),
                      Index("ix_standard_zones_zone_id_standard_id", "zone_id", "standard_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"))
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    is_lead: Mapped[bool] = mapped_column(default=False)
    decision: Mapped[str] = mapped_column(String(16), default="pending")  # pending|signed|refused
    reason: Mapped[str | None] = mapped_column(String(1000))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]


class PanelMember(Base):
    """An expert of the registry on the technical review panel of a standard."""

    __tablename__ = "standard_panel_members"
    __table_args__ = (UniqueConstraint("standard_id", "expert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert_profiles.id"))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Standard(ViewerScoped, Timestamped, Base):
    __tablename__ = "standards"
    __table_args__ = (UniqueConstraint("kind", "number", "version_no"),
                      Index("ix_standards_lead_zone_id_state", "lead_zone_id", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # joint_local | group
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    scope: Mapped[str] = mapped_column(Text)
    lead_zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    state: Mapped[str] = mapped_column(String(16), default="proposal")
    # The shared number (one sequence per kind) and the year of release, once published.
    number: Mapped[int | None] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer)
    release_date: Mapped[dt.date | None]
    implementation_date: Mapped[dt.date | None]
    final_version_id: Mapped[int | None] = mapped_column(ForeignKey("standard_versions.id",
                                                                    use_alter=True))
    version_no: Mapped[int] = mapped_column(default=1)  # 2 for the first revision, …
    revision_of_id: Mapped[int | None] = mapped_column(ForeignKey("standards.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def visible_to(cls, scope):
        """Published history is public; work in progress is seen in the participating
        zones (signed in) and by the review panel's experts."""
        if scope.bypass:
            return true()
        clauses = [cls.state.in_(PUBLIC_STATES)]
        if scope.user_id is not None:
            if scope.zone_id is not None:
                clauses.append(exists().where(StandardZone.standard_id == cls.id,
                                              StandardZone.zone_id == scope.zone_id))
            clauses.append(exists().where(
                PanelMember.standard_id == cls.id,
                PanelMember.expert_id.in_(select(ExpertProfile.id).where(
                    ExpertProfile.user_id == scope.user_id))))
        return or_(*clauses)


class StandardVersion(Base):
    """A numbered draft (or the published text) with its change note."""

    __tablename__ = "standard_versions"
    __table_args__ = (UniqueConstraint("standard_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    change_note: Mapped[str] = mapped_column(String(2000))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Ballot(Base):
    """One round of technical review voting; thresholds are frozen when it opens."""

    __tablename__ = "standard_ballots"
    __table_args__ = (UniqueConstraint("standard_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | passed | failed
    panel_size: Mapped[int] = mapped_column(Integer)
    turnout_num: Mapped[int] = mapped_column(Integer)
    turnout_den: Mapped[int] = mapped_column(Integer)
    approval_num: Mapped[int] = mapped_column(Integer)
    approval_den: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]


class Vote(Base):
    __tablename__ = "standard_votes"
    __table_args__ = (UniqueConstraint("ballot_id", "expert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("standard_ballots.id", ondelete="CASCADE"))
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert_profiles.id"))
    choice: Mapped[str] = mapped_column(String(24))  # yes | yes_with_comments | no | abstain
    comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class StandardEvent(Base):
    """Every stage change: who, when, why."""

    __tablename__ = "standard_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class NumberSequence(Base):
    """The last number given per kind; its row lock makes numbering gapless under races."""

    __tablename__ = "standard_number_sequences"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
