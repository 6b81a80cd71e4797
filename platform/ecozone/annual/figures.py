"""The work report's figures, assembled from the platform's own data for one zone and year
(办法 第六条(三)): projects by state and kind, standards, training, council activity and the
work plan's items. The public statistics functions are reused, so the report says what the
portal's dashboards say; the council's figures are the zone's own (zone-private, read by its
office).
"""

from __future__ import annotations

from sqlalchemy import extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.annual import rules
from ecozone.annual.models import AnnualPlan, PlanItem
from ecozone.governance.models import Meeting, Motion
from ecozone.projects import service as projects
from ecozone.projects.models import Project
from ecozone.standards.statistics import standard_statistics
from ecozone.talent.statistics import talent_statistics
from ecozone.tenancy.models import Zone


async def work_figures(session: AsyncSession, zone_id: int, year: int) -> dict:
    slug = await session.scalar(select(Zone.slug).where(Zone.id == zone_id))
    project_stats = await projects.statistics(session, year=year, zone=slug)
    standards = await standard_statistics(session, year=year, zone=slug)
    training = next((f for f in await talent_statistics(session, year=year) if f.zone_id == zone_id), None)
    meetings = (await session.execute(
        select(Meeting.kind, func.count()).where(extract("year", Meeting.meets_on) == year,
                                                 Meeting.state.in_(("in_session", "closed")))
        .group_by(Meeting.kind))).all()
    motions = dict((await session.execute(
        select(Motion.state, func.count()).join(Meeting, Meeting.id == Motion.meeting_id)
        .where(extract("year", Meeting.meets_on) == year, Motion.state.in_(("passed", "failed")))
        .group_by(Motion.state))).all())
    items = (await session.execute(
        select(PlanItem, Project.state).join(AnnualPlan, AnnualPlan.id == PlanItem.plan_id)
        .outerjoin(Project, Project.id == PlanItem.project_id)
        .where(AnnualPlan.zone_id == zone_id, AnnualPlan.year == year))).all()
    progress = {p: 0 for p in rules.PROGRESS}
    for item, project_state in items:
        progress[rules.item_progress(own_progress=item.progress, project_state=project_state)] += 1
    return {
        "projects": {"total": project_stats.total,
                     "byState": {c.key: c.count for c in project_stats.by_state},
                     "byKind": {c.key: c.count for c in project_stats.by_kind},
                     "standardsPublished": project_stats.standards_published},
        "standards": {"published": standards.published, "withdrawn": standards.withdrawn,
                      "superseded": standards.superseded, "inProgress": standards.in_progress},
        "training": {"programmes": training.programmes if training else 0,
                     "sessions": training.sessions if training else 0,
                     "enrolments": training.enrolments if training else 0,
                     "certificates": training.certificates if training else 0},
        "council": {"meetings": sum(n for _k, n in meetings),
                    "generalMeetings": sum(n for k, n in meetings if k == "general"),
                    "motionsPassed": motions.get("passed", 0), "motionsFailed": motions.get("failed", 0)},
        "plan": {"items": len(items), "byProgress": progress},
    }
