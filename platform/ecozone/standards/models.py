"""Joint local standards and group standards: versions, zones, panel, ballots, events."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, exists, or_, select, true
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ViewerScoped, utcnow
from ecozone.experts.models import ExpertProfile
from ecozone.projects.models import projects_of_person

# Public by the Measures: the published history (60 published, 90 withdrawn / superseded) and
# a draft under consultation (30, 征求意见稿): published for anyone to read and comment on.
# Every other stage (10 proposal, 20 drafting, 40 technical review, 50 joint approval) is work
# in progress, seen only by the people of the standard (Standard.visible_to).
PUBLIC_STATES = ("consultation", "published", "withdrawn", "superseded")


class _SeenWithStandard(ViewerScoped):
    """A child row of a standard: seen exactly when its standard is (Standard.visible_id)."""

    @classmethod
    def visible_to(cls, scope):
        return Standard.visible_id(scope, cls.standard_id)


class StandardZone(_SeenWithStandard, Base):
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


class PanelMember(_SeenWithStandard, Base):
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
    # The product category the standard is about (experts.rules.PRODUCT_CATEGORIES), if one.
    category: Mapped[str | None] = mapped_column(String(32))
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
        """Who sees a standard: anyone once public (PUBLIC_STATES); in work in progress only its
        people (``_seen_by``), never merely someone acting in a participating zone."""
        if scope.bypass:
            return true()
        return _seen_by(scope, cls)

    @classmethod
    def visible_id(cls, scope, standard_id):
        """The same rule for a row that names its standard by ``standard_id`` (versions, zones
        and decisions, panel, ballots, votes, events, consultations): seen when the standard is.

        A correlated EXISTS on the standard's primary key, over an alias of the plain table:
        one index lookup per row, and no nesting of the data layer's criteria."""
        if scope.bypass:
            return true()
        standard = cls.__table__.alias("seen_standard")
        return exists().where(standard.c.id == standard_id, _seen_by(scope, standard.c))


def _seen_by(scope, s):
    """The rule of README "Who sees work in progress", over ``s`` (the Standard class or the
    columns of an alias of its table). Work in progress is seen by:

    - the staff (director, secretary) of a participating zone, the lead included, acting in it;
    - the drafting group: the people of the standard's project (proposer, working group);
    - the review panel's experts.

    Aliases of the plain tables keep the data layer's own criteria for these tables from
    nesting into this one (they would, and circularly: their rule is this one)."""
    clauses = [s.state.in_(PUBLIC_STATES)]
    if scope.zone_staff and scope.zone_id is not None:
        zones = StandardZone.__table__.alias("seen_standard_zone")
        clauses.append(exists().where(zones.c.standard_id == s.id, zones.c.zone_id == scope.zone_id))
    if scope.user_id is not None:
        clauses.append(s.project_id.in_(projects_of_person(scope.user_id)))
        panel = PanelMember.__table__.alias("seen_panel_member")
        experts = ExpertProfile.__table__.alias("seen_panel_expert")
        clauses.append(exists().where(
            panel.c.standard_id == s.id,
            panel.c.expert_id.in_(select(experts.c.id).where(experts.c.user_id == scope.user_id))))
    return or_(*clauses)


class StandardVersion(_SeenWithStandard, Base):
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


class Ballot(_SeenWithStandard, Base):
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


class Vote(ViewerScoped, Base):
    __tablename__ = "standard_votes"
    __table_args__ = (UniqueConstraint("ballot_id", "expert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("standard_ballots.id", ondelete="CASCADE"))
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert_profiles.id"))
    choice: Mapped[str] = mapped_column(String(24))  # yes | yes_with_comments | no | abstain
    comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @classmethod
    def visible_to(cls, scope):
        """Seen with its ballot, i.e. its standard (the tally counts every vote)."""
        if scope.bypass:
            return true()
        ballot = Ballot.__table__.alias("seen_ballot")
        return exists().where(ballot.c.id == cls.ballot_id,
                              Standard.visible_id(scope, ballot.c.standard_id))


class StandardEvent(_SeenWithStandard, Base):
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
