"""Training programmes, sessions, teachers, enrolments and certificates.

All shared rows (trainings are open to every zone): the host zone is a column, and who may read
or change what is decided in the service (host-zone staff manage; each user sees their own
enrolments and certificates; a certificate is verified anonymously by its code).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, utcnow


class TrainingProgramme(Timestamped, Base):
    __tablename__ = "training_programmes"
    __table_args__ = (Index("ix_training_programmes_host_zone_id_created_at", "host_zone_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    host_zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str] = mapped_column(String(100))
    audience: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    # all: every session attended; at_least: min_sessions or more attended
    completion_rule: Mapped[str] = mapped_column(String(16), default="all")
    min_sessions: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TrainingSession(Timestamped, Base):
    __tablename__ = "training_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("training_programmes.id", ondelete="CASCADE"),
                                              index=True)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    venue: Mapped[str | None] = mapped_column(String(300))
    online_link: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int]
    enrolment_deadline: Mapped[dt.datetime]
    # Counters updated with conditional UPDATEs: the row lock makes the last seat race-safe.
    enrolled_count: Mapped[int] = mapped_column(default=0)
    last_wait_seq: Mapped[int] = mapped_column(default=0)


class SessionTeacher(Base):
    __tablename__ = "training_session_teachers"
    __table_args__ = (UniqueConstraint("session_id", "expert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"),
                                            index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert_profiles.id"), index=True)


class Enrolment(Base):
    __tablename__ = "training_enrolments"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),
                      Index("ix_training_enrolments_session_id_state_wait_position",
                            "session_id", "state", "wait_position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The zone the person enrolled from (for statistics), not an access rule.
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    state: Mapped[str] = mapped_column(String(16))  # enrolled | waiting | withdrawn
    wait_position: Mapped[int | None]
    attended: Mapped[bool] = mapped_column(default=False)
    enrolled_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Certificate(Base):
    __tablename__ = "training_certificates"
    __table_args__ = (UniqueConstraint("programme_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("training_programmes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    code: Mapped[str] = mapped_column(String(20), unique=True)
    holder_name: Mapped[str] = mapped_column(String(100))
    name_display: Mapped[str] = mapped_column(String(8), default="masked")  # full | masked | hidden
    sessions_attended: Mapped[int]
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TalentBase(Timestamped, Base):
    """A workstation or base (院士工作站/博士工作站/大学生实习基地/标准化培训基地), public."""

    __tablename__ = "talent_bases"
    __table_args__ = (Index("ix_talent_bases_zone_id_kind", "zone_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    kind: Mapped[str] = mapped_column(String(32))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(300))
    host_unit: Mapped[str] = mapped_column(String(200))
    partner_university: Mapped[str | None] = mapped_column(String(200))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TalentBasePerson(Base):
    """Someone attached to a base: an academician, a doctor, a supervisor, an intern."""

    __tablename__ = "talent_base_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    base_id: Mapped[int] = mapped_column(ForeignKey("talent_bases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(50))
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("expert_profiles.id"))
    joined_on: Mapped[dt.date | None]


class ChiefExpertCall(Timestamped, Base):
    """面向国内外征集首席专家: a public call of one zone, open until its deadline."""

    __tablename__ = "chief_expert_calls"
    __table_args__ = (Index("ix_chief_expert_calls_zone_id_deadline", "zone_id", "deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[dt.datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ChiefExpertApplication(Base):
    __tablename__ = "chief_expert_applications"
    __table_args__ = (UniqueConstraint("call_id", "expert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("chief_expert_calls.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert_profiles.id"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="submitted")  # submitted | accepted | declined
    reason: Mapped[str | None] = mapped_column(String(500))
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
