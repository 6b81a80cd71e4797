"""Innovation project services: proposal, the lifecycle, reading, search and statistics.

Join requests and working-group changes are in ``membership``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.annual import plans as annual_plans
from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.models import STAFF_ROLES, RoleAssignment
from ecozone.authz.service import require
from ecozone.db.pagination import Page, paginate
from ecozone.db.text_search import ESCAPE, contains_pattern, search_text_errors
from ecozone.errors import FieldError, NotFound, PermissionDenied, raise_if_invalid
from ecozone.notifications.service import Message, notify
from ecozone.projects import rules
from ecozone.projects.models import Project, ProjectEvent, WorkingGroupMember
from ecozone.tenancy.config import DEFAULT_SETTINGS
from ecozone.tenancy.models import Zone

# The base and its partner zones are all on China Standard Time (no daylight saving).
CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "CST")


def local_today() -> dt.date:
    """Today in China; tests replace this (or pass ``today=``) to move the calendar."""
    return dt.datetime.now(CHINA_TIME).date()


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


# ---------------------------------------------------------------------------- reading

async def get_project(session: AsyncSession, project_id: int) -> Project:
    """A project the session's viewer may see (the data layer hides the others)."""
    project = await session.get(Project, project_id)
    if project is None:
        raise NotFound(f"project {project_id} not found", f"创新项目 {project_id} 不存在")
    return project


async def working_group(session: AsyncSession, project_id: int) -> list[WorkingGroupMember]:
    rows = await session.scalars(select(WorkingGroupMember).where(
        WorkingGroupMember.project_id == project_id).order_by(WorkingGroupMember.id))
    return list(rows.all())


async def people_concerned(session: AsyncSession, project: Project) -> set[int]:
    """The proposer and every working-group member with an account."""
    users = await session.scalars(select(WorkingGroupMember.user_id).where(
        WorkingGroupMember.project_id == project.id, WorkingGroupMember.user_id.is_not(None)))
    return {project.proposer_id, *users.all()}


def is_owning_zone_staff(project: Project, actor: Actor) -> bool:
    return actor.zone_staff and actor.zone_id == project.zone_id


def is_proposer(project: Project, actor: Actor) -> bool:
    return actor.user_id is not None and actor.user_id == project.proposer_id


async def is_leader(session: AsyncSession, project: Project, actor: Actor) -> bool:
    if actor.user_id is None:
        return False
    return bool(await session.scalar(select(exists().where(
        WorkingGroupMember.project_id == project.id, WorkingGroupMember.user_id == actor.user_id,
        WorkingGroupMember.role == "leader"))))


def _zone_staff_only(project: Project, actor: Actor, act: str) -> PermissionDenied:
    return PermissionDenied(
        "only the secretary or director of the project's zone may do this",
        "只有项目所属试验区的秘书处或主任可以执行此操作",
        action=f"project.{act}", object_type="project", object_id=str(project.id))


async def _zone_staff_ids(session: AsyncSession, actor: Actor, project: Project) -> set[int]:
    """The owning zone's secretaries and directors, when the actor acts in that zone.

    Role assignments are zone-private: only the acting zone's can be read, so from another
    zone there is no one to add (the staff see the change in the project list).
    """
    if actor.zone_id != project.zone_id:
        return set()
    rows = await session.scalars(select(RoleAssignment.user_id).where(
        RoleAssignment.role.in_(STAFF_ROLES)))
    return set(rows.all())


async def _announce(session: AsyncSession, actor: Actor, project: Project, action: str,
                    reason: str | None, *, tell_staff: bool) -> None:
    recipients = await people_concerned(session, project)
    if tell_staff:
        recipients |= await _zone_staff_ids(session, actor, project)
    state_zh, state_en = rules.STATES[project.state]
    await notify(session, actor, recipients, Message(
        kind="project.proposed" if action == "propose" else "project.state_changed",
        subject_type="project", subject_id=project.id,
        title_en=f"Project “{rules.shorten(project.title_en)}”: {state_en.lower()}",
        title_zh=f"创新项目“{rules.shorten(project.title_zh)}”：{state_zh}",
        body_en=reason, body_zh=reason))


async def _log(session: AsyncSession, actor: Actor, project: Project, *, action: str,
               from_state: str | None, reason: str | None) -> None:
    """The project's event and the audit row, in the caller's transaction."""
    session.add(ProjectEvent(project_id=project.id, from_state=from_state, to_state=project.state,
                             action=action, actor_id=actor.user_id, reason=reason))
    await session.flush()
    after = {"state": project.state, "reason": reason}
    if action == "propose":
        after |= {"zoneId": project.zone_id, "kind": project.kind, "titleZh": project.title_zh,
                  "titleEn": project.title_en, "proposerUnit": project.proposer_unit,
                  "leadUnit": project.lead_unit, "year": project.year}
    elif action == "open_notice":
        after["noticeEndsOn"] = project.notice_ends_on
    await record(session, actor, action=f"project.{action}", object_type="project",
                 object_id=project.id, before=None if from_state is None else {"state": from_state},
                 after=after)


# ---------------------------------------------------------------------------- proposal

async def propose(session: AsyncSession, actor: Actor, *, kind: str, title_zh: str,
                  title_en: str, summary: str, proposer_unit: str, lead_unit: str | None = None,
                  today: dt.date | None = None) -> Project:
    """A member unit's representative proposes a project in the acting zone."""
    require(actor, "project", "propose")
    raise_if_invalid(rules.validate_proposal(kind=kind, title_zh=title_zh, title_en=title_en,
                                             summary=summary, proposer_unit=proposer_unit,
                                             lead_unit=lead_unit))
    unit = proposer_unit.strip()
    project = Project(zone_id=actor.zone_id, kind=kind, title_zh=title_zh.strip(),
                      title_en=title_en.strip(), summary=summary.strip(),
                      proposer_id=actor.user_id, proposer_unit=unit,
                      lead_unit=_clean(lead_unit) or unit, state="proposed",
                      year=(today or local_today()).year)
    session.add(project)
    await session.flush()
    # The group starts with its lead unit and the proposer leading it.
    session.add_all([
        WorkingGroupMember(project_id=project.id, user_id=None, unit_name=project.lead_unit,
                           role="lead_unit"),
        WorkingGroupMember(project_id=project.id, user_id=actor.user_id, unit_name=unit,
                           role="leader"),
    ])
    await _log(session, actor, project, action="propose", from_state=None, reason=None)
    await _announce(session, actor, project, "propose", None, tell_staff=True)
    return project


# ---------------------------------------------------------------------------- lifecycle

async def _check_actor(session: AsyncSession, actor: Actor, project: Project, action: str) -> None:
    if rules.ACTOR_OF_ACTION[action] == rules.STAFF:
        if not is_owning_zone_staff(project, actor):
            raise _zone_staff_only(project, actor, action)
        return
    if not (is_proposer(project, actor) or await is_leader(session, project, actor)):
        raise PermissionDenied("only the proposer or a leader of the working group may do this",
                               "只有项目申报人或工作组负责人可以执行此操作",
                               action=f"project.{action}", object_type="project",
                               object_id=str(project.id))


async def _notice_days(session: AsyncSession, zone_id: int) -> int:
    zone = await session.get(Zone, zone_id)
    settings = (zone.settings or {}).get("projects", {}) if zone else {}
    return int(settings.get("notice_days", DEFAULT_SETTINGS["projects"]["notice_days"]))


async def _transition(session: AsyncSession, actor: Actor, *, project_id: int, action: str,
                      reason: str | None = None, closure_report: str | None = None,
                      today: dt.date | None = None) -> Project:
    """Who may, whether the state allows it, the inputs, the dates; then event, audit, notices."""
    project = await get_project(session, project_id)
    await _check_actor(session, actor, project, action)
    to_state = rules.LIFECYCLE.advance(project.state, action)
    raise_if_invalid(rules.validate_transition_input(action, reason=reason,
                                                     closure_report=closure_report))
    day = today or local_today()
    if action == "open_notice":
        project.notice_ends_on = rules.notice_end(day, await _notice_days(session, project.zone_id))
    elif action == "start":
        rules.check_notice_over(day, project.notice_ends_on)
    elif action == "submit_closure":
        project.closure_report = closure_report.strip()
    from_state, project.state = project.state, to_state
    reason = _clean(reason)
    await _log(session, actor, project, action=action, from_state=from_state, reason=reason)
    await _announce(session, actor, project, action, reason,
                    tell_staff=action in rules.AWAITING_STAFF)
    return project


async def approve(session: AsyncSession, actor: Actor, *, project_id: int,
                  reason: str | None = None) -> Project:
    require(actor, "project", "approve", object_id=project_id)
    project = await _transition(session, actor, project_id=project_id, action="approve", reason=reason)
    # 办法 第十条(二)(三): approved, the project joins the year's work plan (annual/plans.py).
    await annual_plans.project_approved(session, actor, project)
    return project


async def reject(session: AsyncSession, actor: Actor, *, project_id: int, reason: str) -> Project:
    require(actor, "project", "reject", object_id=project_id)
    return await _transition(session, actor, project_id=project_id, action="reject", reason=reason)


async def open_notice(session: AsyncSession, actor: Actor, *, project_id: int,
                      reason: str | None = None, today: dt.date | None = None) -> Project:
    require(actor, "project", "open_notice", object_id=project_id)
    return await _transition(session, actor, project_id=project_id, action="open_notice",
                             reason=reason, today=today)


async def start(session: AsyncSession, actor: Actor, *, project_id: int,
                reason: str | None = None, today: dt.date | None = None) -> Project:
    require(actor, "project", "start", object_id=project_id)
    return await _transition(session, actor, project_id=project_id, action="start",
                             reason=reason, today=today)


async def request_adjustment(session: AsyncSession, actor: Actor, *, project_id: int,
                             reason: str) -> Project:
    require(actor, "project", "request_adjustment", object_id=project_id)
    return await _transition(session, actor, project_id=project_id, action="request_adjustment",
                             reason=reason)


async def approve_adjustment(session: AsyncSession, actor: Actor, *, project_id: int,
                             reason: str | None = None) -> Project:
    require(actor, "project", "approve_adjustment", object_id=project_id)
    return await _transition(session, actor, project_id=project_id, action="approve_adjustment",
                             reason=reason)


async def refuse_adjustment(session: AsyncSession, actor: Actor, *, project_id: int,
                            reason: str) -> Project:
    require(actor, "project", "refuse_adjustment", object_id=project_id)
    return await _transition(session, actor, project_id=project_id, action="refuse_adjustment",
                             reason=reason)


async def terminate(session: AsyncSession, actor: Actor, *, project_id: int, reason: str) -> Project:
    require(actor, "project", "terminate", object_id=project_id)
    return await _transition(session, actor, project_id=project_id, action="terminate",
                             reason=reason)


async def submit_closure(session: AsyncSession, actor: Actor, *, project_id: int,
                         closure_report: str, reason: str | None = None) -> Project:
    require(actor, "project", "submit_closure", object_id=project_id)
    return await _transition(session, actor, project_id=project_id, action="submit_closure",
                             reason=reason, closure_report=closure_report)


async def pass_closure(session: AsyncSession, actor: Actor, *, project_id: int,
                       reason: str | None = None) -> Project:
    require(actor, "project", "pass_closure", object_id=project_id)
    return await _transition(session, actor, project_id=project_id, action="pass_closure",
                             reason=reason)


async def return_closure(session: AsyncSession, actor: Actor, *, project_id: int,
                         reason: str) -> Project:
    require(actor, "project", "return_closure", object_id=project_id)
    return await _transition(session, actor, project_id=project_id, action="return_closure",
                             reason=reason)


async def archive(session: AsyncSession, actor: Actor, *, project_id: int,
                  reason: str | None = None) -> Project:
    require(actor, "project", "archive", object_id=project_id)
    return await _transition(session, actor, project_id=project_id, action="archive", reason=reason)


# ---------------------------------------------------------------------------- search

@dataclass(frozen=True)
class ProjectFilter:
    kind: str | None = None
    state: str | None = None
    zone: str | None = None  # owning zone slug
    year: int | None = None
    text: str | None = None


def _check_filter(f: ProjectFilter) -> None:
    errors = []
    if f.kind is not None and f.kind not in rules.KINDS:
        errors.append(FieldError("kind", "choice", "unknown project kind", "未知的项目类别"))
    if f.state is not None and f.state not in rules.STATES:
        errors.append(FieldError("state", "choice", "unknown project state", "未知的项目状态"))
    errors += search_text_errors(f.text)
    raise_if_invalid(errors)


async def search(session: AsyncSession, actor: Actor, *, filters: ProjectFilter, first: int,
                 after: str | None, max_page_size: int = 100) -> Page[Project]:
    """Projects the viewer may see (the data layer decides which), oldest first."""
    _check_filter(filters)
    stmt = select(Project)
    if filters.kind:
        stmt = stmt.where(Project.kind == filters.kind)
    if filters.state:
        stmt = stmt.where(Project.state == filters.state)
    if filters.year is not None:
        stmt = stmt.where(Project.year == filters.year)
    if filters.zone:
        stmt = stmt.where(Project.zone_id == select(Zone.id).where(
            Zone.slug == filters.zone).scalar_subquery())
    if filters.text and filters.text.strip():
        needle = contains_pattern(filters.text)
        stmt = stmt.where(or_(*(func.lower(column).like(needle, escape=ESCAPE) for column in (
            Project.title_zh, Project.title_en, Project.summary, Project.proposer_unit,
            Project.lead_unit))))
    return await paginate(session, stmt, order=(Project.id,), first=first, after=after,
                          max_page_size=max_page_size)


async def events(session: AsyncSession, project_id: int) -> list[ProjectEvent]:
    rows = await session.scalars(select(ProjectEvent).where(
        ProjectEvent.project_id == project_id).order_by(ProjectEvent.id))
    return list(rows.all())


# ---------------------------------------------------------------------------- statistics

async def statistics(session: AsyncSession, *, year: int | None = None,
                     zone: str | None = None) -> rules.Statistics:
    """Public projects (approved onwards) counted by kind, zone, state and year (办法 第十二条(三)),
    with their outputs (standards published).

    One GROUP BY query. The same numbers for every viewer: staff do not get their own zone's
    proposals counted.
    """
    from ecozone.standards.models import Standard
    # Outputs: per project, its standards that were ever published (a number is given at
    # publication and kept); a revision is the same standard again, so only originals count.
    # A plain-table alias: a count, the same for every viewer, as the projects' own.
    standards = Standard.__table__.alias("output_standard")
    outputs = (select(standards.c.project_id, func.count().label("published"))
               .where(standards.c.number.is_not(None), standards.c.revision_of_id.is_(None))
               .group_by(standards.c.project_id).subquery("outputs"))
    stmt = (select(Project.kind, Project.zone_id, Zone.slug, Zone.name_zh, Zone.name_en,
                   Project.state, Project.year, func.count(Project.id),
                   func.coalesce(func.sum(outputs.c.published), 0))
            .join(Zone, Zone.id == Project.zone_id)
            .outerjoin(outputs, outputs.c.project_id == Project.id)
            .where(Project.state.in_(rules.PUBLIC_STATES))
            .group_by(Project.kind, Project.zone_id, Zone.slug, Zone.name_zh, Zone.name_en,
                      Project.state, Project.year)
            .order_by(Project.year, Zone.slug, Project.kind, Project.state))
    if year is not None:
        stmt = stmt.where(Project.year == year)
    if zone is not None:
        stmt = stmt.where(Zone.slug == zone)
    groups = [rules.CountGroup(kind=k, zone_id=zid, zone_slug=slug, zone_name_zh=zh,
                               zone_name_en=en, state=s, year=y, count=c,
                               standards_published=int(out or 0))
              for k, zid, slug, zh, en, s, y, c, out in (await session.execute(stmt)).all()]
    if zone is not None and not groups and await session.scalar(
            select(Zone.id).where(Zone.slug == zone)) is None:
        raise_if_invalid([FieldError("zone", "unknown", f"there is no zone {zone!r}",
                                     f"没有试验区 {zone!r}")])
    return rules.tally(groups)
