"""Training programmes, sessions, teachers, enrolments and certificates; talent bases and
chief-expert calls.

All shared rows (trainings are open to every zone), each with its ``visible_to`` rule (README
"Who sees talent and training"), applied by the data layer to every ORM query:

- public: programmes, their sessions and teachers, talent bases and their people, chief-expert
  calls (the portals list them; a programme is announced when created, it has no draft state);
- people: an enrolment and a certificate are seen by their person and by the staff acting in the
  programme's host zone; a chief-expert application by its applicant and the staff acting in the
  calling zone. Nobody else — not teachers, not the person's home zone, not members of the host.

Workflows that need a fact about rows the viewer may not see (the waiting list, statistics, a
certificate checked by its code) read exactly that fact from the table in a function named for
it (``talent/facts.py``); these tables have no row-level security (migration 0007).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false, or_, select, true
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ViewerScoped, utcnow
from ecozone.experts.models import ExpertProfile


class _Public(ViewerScoped):
    """Seen by everyone, anonymous callers included: published for the portals."""

    @classmethod
    def visible_to(cls, scope):
        return true()


class TrainingProgramme(_Public, Timestamped, Base):
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


class TrainingSession(_Public, Timestamped, Base):
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


class SessionTeacher(_Public, Base):
    __tablename__ = "training_session_teachers"
    __table_args__ = (UniqueConstraint("session_id", "expert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"),
                                            index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert_profiles.id"), index=True)


class Enrolment(ViewerScoped, Base):
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

    @classmethod
    def visible_to(cls, scope):
        """A seat or a place on the waiting list names a person: seen by that person and by the
        staff (director, secretary) acting in the programme's host zone, who run the session.
        Not by the teachers (the host records attendance), the zone the person enrolled from
        (``zone_id`` is for statistics), the host's plain members or anyone else; the seat
        counts are the session's (``enrolled_count``), public."""
        if scope.bypass:
            return true()
        clauses = []
        if scope.user_id is not None:
            clauses.append(cls.user_id == scope.user_id)
        if scope.zone_staff and scope.zone_id is not None:
            clauses.append(cls.session_id.in_(sessions_hosted_by(scope.zone_id)))
        return or_(*clauses) if clauses else false()


class Certificate(ViewerScoped, Base):
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

    @classmethod
    def visible_to(cls, scope):
        """Seen by its holder and by the staff acting in the programme's host zone (who issue
        it). Anyone may check a code, which shows the public facts only (``facts.verification``),
        never the certificate itself."""
        if scope.bypass:
            return true()
        clauses = []
        if scope.user_id is not None:
            clauses.append(cls.user_id == scope.user_id)
        if scope.zone_staff and scope.zone_id is not None:
            clauses.append(cls.programme_id.in_(programmes_hosted_by(scope.zone_id)))
        return or_(*clauses) if clauses else false()


class TalentBase(_Public, Timestamped, Base):
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


class TalentBasePerson(_Public, Base):
    """Someone attached to a base: an academician, a doctor, a supervisor, an intern."""

    __tablename__ = "talent_base_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    base_id: Mapped[int] = mapped_column(ForeignKey("talent_bases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(50))
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("expert_profiles.id"))
    joined_on: Mapped[dt.date | None]


class ChiefExpertCall(_Public, Timestamped, Base):
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


class ChiefExpertApplication(ViewerScoped, Base):
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

    @classmethod
    def visible_to(cls, scope):
        """Seen by the applicant (the expert whose account it is) and by the staff acting in
        the calling zone (its director decides). Not by the applicant's home zone, other
        experts or anyone else: the call is public, who applied is not."""
        if scope.bypass:
            return true()
        clauses = []
        if scope.user_id is not None:
            experts = ExpertProfile.__table__.alias("applicant_expert")
            clauses.append(cls.expert_id.in_(select(experts.c.id).where(experts.c.user_id == scope.user_id)))
        if scope.zone_staff and scope.zone_id is not None:
            calls = ChiefExpertCall.__table__.alias("applied_call")
            clauses.append(cls.call_id.in_(select(calls.c.id).where(calls.c.zone_id == scope.zone_id)))
        return or_(*clauses) if clauses else false()


# Over aliases of the plain tables, so that the data layer's criteria (which apply to ORM
# entities in subqueries too) do not nest into the rules that use these.

def programmes_hosted_by(zone_id: int):
    """Ids of the programmes hosted by ``zone_id``."""
    programmes = TrainingProgramme.__table__.alias("hosted_programme")
    return select(programmes.c.id).where(programmes.c.host_zone_id == zone_id)


def sessions_hosted_by(zone_id: int):
    """Ids of the sessions of the programmes hosted by ``zone_id``."""
    sessions = TrainingSession.__table__.alias("hosted_session")
    return select(sessions.c.id).where(sessions.c.programme_id.in_(programmes_hosted_by(zone_id)))
