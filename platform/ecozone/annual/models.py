"""The annual work plan, its items and the annual reports of one zone (办法 第六条(二)(三)).

Viewer-scoped (``visible_to``): a document the general meeting adopted is public — the adopted
plan and the adopted reports are the council's decisions, disclosed (章程 第三十条) — and the
ones still in the office (drafts, or submitted to the meeting) are seen by the zone's staff
acting in it. PostgreSQL row-level security (migration 0018) enforces the zone half again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ViewerScoped


def _office_or_adopted(cls, scope, adopted):
    if scope.bypass:
        return true()
    if scope.zone_staff and scope.zone_id is not None:
        return or_(adopted, cls.zone_id == scope.zone_id)
    return adopted


class AnnualPlan(ViewerScoped, Timestamped, Base):
    """A zone's work plan for one year (办法 第六条(二)), adopted by the general meeting (章程 第十八条(二))."""

    __tablename__ = "annual_plans"
    __table_args__ = (UniqueConstraint("zone_id", "year"), UniqueConstraint("motion_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    year: Mapped[int]
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="draft")  # draft | submitted | adopted
    # The motion of a general meeting the plan was put to; adopted once it passed.
    motion_id: Mapped[int | None] = mapped_column(ForeignKey("council_motions.id"))
    submitted_at: Mapped[dt.datetime | None]
    adopted_at: Mapped[dt.datetime | None]
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def visible_to(cls, scope):
        return _office_or_adopted(cls, scope, cls.state == "adopted")


class PlanItem(ViewerScoped, Timestamped, Base):
    """One task of the plan: the office's own, or an approved project (办法 第十条(二)(三))."""

    __tablename__ = "annual_plan_items"
    __table_args__ = (UniqueConstraint("plan_id", "seq"), UniqueConstraint("project_id"),
                      Index("ix_annual_plan_items_zone_id_plan_id", "zone_id", "plan_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plans.id", ondelete="CASCADE"))
    seq: Mapped[int]  # its number in the plan: 1, 2, …
    source: Mapped[str] = mapped_column(String(16))  # office | project
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    business_area: Mapped[str | None] = mapped_column(String(32))  # 办法 第四条 (一)–(八)
    budget_fen: Mapped[int | None] = mapped_column(BigInteger)
    progress: Mapped[str] = mapped_column(String(16), default="not_started")
    progress_note: Mapped[str | None] = mapped_column(Text)
    progress_updated_at: Mapped[dt.datetime | None]
    joined_on: Mapped[dt.date]  # the day it entered the plan (a project: the day it was approved)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def visible_to(cls, scope):
        # an alias of the plain table: no correlation with a query that joins the plans itself
        plans = AnnualPlan.__table__.alias("adopted_plan")
        adopted = cls.plan_id.in_(select(plans.c.id).where(plans.c.state == "adopted"))
        return _office_or_adopted(cls, scope, adopted)


class AnnualReport(ViewerScoped, Timestamped, Base):
    """The work report or the financial report of a year (办法 第六条(三)), reviewed by the general
    meeting (章程 第十八条(四)) and disclosed once adopted (第三十条).

    ``figures`` is the platform's own data, frozen when the report is submitted: what the
    members vote on is what is published.
    """

    __tablename__ = "annual_reports"
    __table_args__ = (UniqueConstraint("zone_id", "year", "kind"), UniqueConstraint("motion_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))  # work | financial
    text_zh: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    motion_id: Mapped[int | None] = mapped_column(ForeignKey("council_motions.id"))
    submitted_at: Mapped[dt.datetime | None]
    adopted_at: Mapped[dt.datetime | None]
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def visible_to(cls, scope):
        return _office_or_adopted(cls, scope, cls.state == "adopted")
