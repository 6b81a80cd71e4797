"""Expert consulting (专家团队咨询, 办法 第四条(四)): requests, the experts assigned, their answers.

Shared rows (the experts come from every zone's registry), each with its ``visible_to`` rule:
a request, its assignments and answers are seen by the requester, by the staff acting in the
hosting zone (its office assigns) and by the experts assigned to it. Nobody else: an
enterprise's question is its own. The service figures are counts over all rows (``facts``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, ViewerScoped, utcnow
from ecozone.experts.models import ExpertProfile


class ConsultingRequest(ViewerScoped, Base):
    __tablename__ = "consulting_requests"
    __table_args__ = (Index("ix_consulting_requests_zone_id_asked_at", "zone_id", "asked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))  # the hosting zone
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requesting_unit: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(50))
    category: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="submitted")  # submitted|assigned|answered|rated
    rating: Mapped[int | None]
    rating_comment: Mapped[str | None] = mapped_column(String(1000))
    asked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[dt.datetime | None]
    rated_at: Mapped[dt.datetime | None]

    @classmethod
    def visible_to(cls, scope):
        if scope.bypass:
            return true()
        clauses = []
        if scope.user_id is not None:
            clauses.append(cls.requester_id == scope.user_id)
            clauses.append(cls.id.in_(requests_assigned_to_user(scope.user_id)))
        if scope.zone_staff and scope.zone_id is not None:
            clauses.append(cls.zone_id == scope.zone_id)
        return or_(*clauses) if clauses else false()


class _SeenWithRequest(ViewerScoped):
    @classmethod
    def visible_to(cls, scope):
        if scope.bypass:
            return true()
        requests = ConsultingRequest.__table__.alias("seen_request")
        clauses = []
        if scope.user_id is not None:
            clauses.append(cls.request_id.in_(select(requests.c.id).where(requests.c.requester_id == scope.user_id)))
            clauses.append(cls.request_id.in_(requests_assigned_to_user(scope.user_id)))
        if scope.zone_staff and scope.zone_id is not None:
            clauses.append(cls.request_id.in_(select(requests.c.id).where(requests.c.zone_id == scope.zone_id)))
        return or_(*clauses) if clauses else false()


class ConsultingAssignment(_SeenWithRequest, Base):
    __tablename__ = "consulting_assignments"
    __table_args__ = (UniqueConstraint("request_id", "expert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("consulting_requests.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert_profiles.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ConsultingAnswer(_SeenWithRequest, Base):
    __tablename__ = "consulting_answers"
    __table_args__ = (UniqueConstraint("request_id", "expert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("consulting_requests.id", ondelete="CASCADE"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert_profiles.id"))
    body: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def requests_assigned_to_user(user_id: int):
    """Ids of the requests assigned to the expert whose account is ``user_id`` (over plain
    tables, so the data layer's criteria do not nest into the rules that use it)."""
    assignments = ConsultingAssignment.__table__.alias("assigned")
    experts = ExpertProfile.__table__.alias("assigned_expert")
    return select(assignments.c.request_id).where(assignments.c.expert_id.in_(
        select(experts.c.id).where(experts.c.user_id == user_id)))
