"""Innovation projects (办法 第十至十二条): the project, its working group, join requests, events.

A project is shared: its owning zone (the proposer's acting zone) screens it, and from approval
on everybody sees it. The child rows are seen exactly when their project is.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ViewerScoped, utcnow
from ecozone.projects.rules import PUBLIC_STATES


class Project(ViewerScoped, Timestamped, Base):
    __tablename__ = "projects"
    __table_args__ = (
        Index("ix_projects_zone_id_state", "zone_id", "state"),
        Index("ix_projects_proposer_id", "proposer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    kind: Mapped[str] = mapped_column(String(32))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    proposer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposer_unit: Mapped[str] = mapped_column(String(200))
    lead_unit: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(32), default="proposed")
    year: Mapped[int]
    notice_ends_on: Mapped[dt.date | None] = mapped_column(Date)
    closure_report: Mapped[str | None] = mapped_column(Text)

    @classmethod
    def visible_to(cls, scope):
        """Approved onwards: public. Before (proposed, rejected): its people — the proposer and
        the working group's members — and the staff of the owning zone, acting there."""
        if scope.bypass:
            return true()
        clauses = [cls.state.in_(PUBLIC_STATES)]
        if scope.user_id is not None:
            clauses.append(cls.id.in_(projects_of_person(scope.user_id)))
        if scope.zone_staff and scope.zone_id is not None:
            clauses.append(cls.zone_id == scope.zone_id)
        return or_(*clauses)


def projects_of_person(user_id: int):
    """Ids of the projects whose people include ``user_id``: proposer or working-group member
    (leader, drafter, member). The drafting group of a project's standard is these people.

    Over aliases of the plain tables, so that the data layer's criteria (which apply to ORM
    entities in subqueries too) do not nest the rules of these tables into each other; both
    branches use an index (``ix_projects_proposer_id``, ``project_working_group.user_id``)."""
    group = WorkingGroupMember.__table__.alias("people_working_group")
    proposed = Project.__table__.alias("people_project")
    return (select(group.c.project_id).where(group.c.user_id == user_id)
            .union_all(select(proposed.c.id).where(proposed.c.proposer_id == user_id)))


def _visible_project_ids(scope):
    return select(Project.id).where(Project.visible_to(scope))


class WorkingGroupMember(ViewerScoped, Timestamped, Base):
    """A unit (lead or participating) or a person (leader, drafter, member) of the group."""

    __tablename__ = "project_working_group"
    __table_args__ = (UniqueConstraint("project_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    # None for a unit row, or a person without an account on the platform.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    unit_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))

    @classmethod
    def visible_to(cls, scope):
        if scope.bypass:
            return true()
        return cls.project_id.in_(_visible_project_ids(scope))


class JoinRequest(ViewerScoped, Timestamped, Base):
    """A signed-in user's request to join a project's working group; the proposer decides."""

    __tablename__ = "project_join_requests"
    __table_args__ = (
        # One pending request per user and project; decided ones stay as history.
        Index("uq_project_join_requests_pending", "project_id", "user_id", unique=True,
              sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
        Index("ix_project_join_requests_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    unit_name: Mapped[str] = mapped_column(String(200))
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    decided_at: Mapped[dt.datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def visible_to(cls, scope):
        """The requester, the project's proposer and the owning zone's staff."""
        if scope.bypass:
            return true()
        deciders = []
        if scope.user_id is not None:
            deciders.append(Project.proposer_id == scope.user_id)
        if scope.zone_staff and scope.zone_id is not None:
            deciders.append(Project.zone_id == scope.zone_id)
        if not deciders:
            return false()
        clauses = [cls.project_id.in_(select(Project.id).where(or_(*deciders)))]
        if scope.user_id is not None:
            clauses.append(cls.user_id == scope.user_id)
        return or_(*clauses)


class ProjectEvent(ViewerScoped, Base):
    """One transition: who did what, when and why."""

    __tablename__ = "project_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    from_state: Mapped[str | None] = mapped_column(String(32))  # None for the proposal
    to_state: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @classmethod
    def visible_to(cls, scope):
        if scope.bypass:
            return true()
        return cls.project_id.in_(_visible_project_ids(scope))
