"""Which member units meet 章程 第十四条(一): no activity for a year, or rated poor two years running.

Activity: the recorded one (attendance, vote, agenda item, a council task reported done:
``MemberUnit.last_activity_on``), or a consultation comment, a proposed project or a working-group
membership of the unit's representative user — looked up for all units at once. Ratings: the
secretariat's yearly assessment (``UnitRating``, governance/tasks.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.consultation.models import Comment
from ecozone.db.pagination import Page, check_first, page_of
from ecozone.governance import clock, rules, tasks
from ecozone.governance.resolution_rules import poor_two_years_running
from ecozone.governance.models import MemberUnit
from ecozone.governance.units import UNIT, list_units
from ecozone.projects.models import Project, WorkingGroupMember



def _china_date(value: Any) -> dt.date | None:
    """A timestamp as its date in China (SQLite gives naive UTC values back)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(clock.CHINA).date()


async def _latest_by_user(session: AsyncSession, user_column, time_column, user_ids: set[int]
                          ) -> dict[int, dt.date]:
    if not user_ids:
        return {}
    rows = await session.execute(select(user_column, func.max(time_column)).where(
        user_column.in_(user_ids)).group_by(user_column))
    return {user_id: _china_date(at) for user_id, at in rows.all() if at is not None}


@dataclass(frozen=True)
class ExitCandidate:
    """An active unit meeting 第十四条(一), and why: no activity within a year, rated poor two years running."""

    unit: MemberUnit
    last_activity_on: dt.date | None
    inactive: bool
    poor_years: tuple[int, int] | None


async def inactive_units(session: AsyncSession, actor: Actor, *, today: dt.date | None = None
                         ) -> list[ExitCandidate]:
    """Active units with no activity within the year before ``today``, or rated poor in two consecutive
    years ending last year or this year (第十四条(一)), with their latest activity.

    Activity: the recorded one (attendance, vote, agenda item), or a consultation comment, a proposed
    project or a working-group membership of the unit's representative user. Four queries for all units.
    Comments and projects count as far as the viewer may see them (the data layer's scoping).
    """
    require(actor, UNIT, "read")
    today = today or clock.today()
    units = list((await session.scalars(list_units(state="active").order_by(MemberUnit.id))).all())
    people = {u.representative_user_id for u in units if u.representative_user_id is not None}
    sources = [await _latest_by_user(session, Comment.author_id, Comment.created_at, people),
               await _latest_by_user(session, Project.proposer_id, Project.created_at, people),
               await _latest_by_user(session, WorkingGroupMember.user_id, WorkingGroupMember.created_at, people)]
    ratings = await tasks.ratings_by_unit(session, {u.id for u in units})
    flagged = []
    for unit in units:
        dates = [unit.last_activity_on] + [s.get(unit.representative_user_id) for s in sources]
        latest = max((d for d in dates if d is not None), default=None)
        inactive = rules.inactive_since(latest, unit.joined_on or unit.applied_on, today)
        poor = poor_two_years_running(ratings.get(unit.id, {}), today)
        if inactive or poor:
            flagged.append(ExitCandidate(unit=unit, last_activity_on=latest, inactive=inactive, poor_years=poor))
    return flagged


async def inactive_units_page(session: AsyncSession, actor: Actor, *, first: int, after: str | None,
                              max_page_size: int = 100, today: dt.date | None = None) -> Page:
    check_first(first, max_page_size)
    flagged = await inactive_units(session, actor, today=today)
    return page_of(flagged, lambda candidate: candidate.unit.id, first=first, after=after, max_page_size=max_page_size)
