"""Resolutions carried out (章程 第九条(二) “执行理事会成员大会的决议”, 第十三条(三) “按时完成理事会分配的
工作任务”, 第十六条(三) “检查…决议的落实情况”): a passed motion assigns tasks with due dates to member
units or officers; the assignee reports them done; the sitting chair and secretary-general (and the
secretariat) see what is overdue. A member unit's yearly rating (第十四条(一)) is recorded here too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.pagination import Page, paginate
from ecozone.errors import Conflict, FieldError, NotFound, PermissionDenied, raise_if_invalid
from ecozone.governance import clock, officers, units
from ecozone.governance import resolution_rules as rules
from ecozone.governance.models import CouncilTask, MemberUnit, Officer, UnitRating
from ecozone.notifications.service import Message, notify

TASK = "council_task"


def _text(errors: list[FieldError], name: str, value: str | None, limit: int, *, required: bool) -> str | None:
    value = (value or "").strip() or None
    if value is None and required:
        errors.append(FieldError(name, "required", f"{name} is required", f"必须填写 {name}"))
    elif value is not None and len(value) > limit:
        errors.append(FieldError(name, "length", f"{name}: at most {limit} characters", f"{name} 最多 {limit} 个字符"))
    return value


def _snapshot(task: CouncilTask) -> dict[str, Any]:
    return {"motionId": task.motion_id, "titleZh": task.title_zh, "titleEn": task.title_en,
            "memberUnitId": task.member_unit_id, "officerId": task.officer_id, "dueOn": task.due_on,
            "state": task.state, "doneOn": task.done_on}


async def get_task(session: AsyncSession, task_id: int, *, lock: bool = False) -> CouncilTask:
    stmt = select(CouncilTask).where(CouncilTask.id == task_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    task = await session.scalar(stmt)
    if task is None:
        raise NotFound(f"council task {task_id} not found", f"理事会任务 {task_id} 不存在")
    return task


async def _assignee_user(session: AsyncSession, task: CouncilTask) -> int | None:
    if task.member_unit_id is not None:
        unit = await session.get(MemberUnit, task.member_unit_id)
        return unit.representative_user_id if unit else None
    officer = await session.get(Officer, task.officer_id)
    return officer.user_id if officer else None


async def assign_task(session: AsyncSession, actor: Actor, *, motion_id: int, title_zh: str, title_en: str,
                      due_on: dt.date, member_unit_id: int | None = None, officer_id: int | None = None
                      ) -> CouncilTask:
    """The secretariat records a task the passed motion gave to a unit or an officer."""
    require(actor, TASK, "assign", object_id=motion_id)
    errors: list[FieldError] = []
    values = {"title_zh": _text(errors, "titleZh", title_zh, 200, required=True),
              "title_en": _text(errors, "titleEn", title_en, 300, required=True)}
    raise_if_invalid(errors)
    motion, meeting = await units.passed_motion(session, motion_id)
    raise_if_invalid(rules.task_errors(decided_on=meeting.meets_on, due_on=due_on, today=clock.today(),
                                       unit_given=member_unit_id is not None, officer_given=officer_id is not None))
    if member_unit_id is not None:
        unit = await units.get_unit(session, member_unit_id)
        if unit.state != "active":
            raise Conflict(f"{unit.name_en} is not an active member unit: tasks go to the council's members",
                           f"{unit.name_zh}不是在册成员单位，任务只能分配给理事会成员单位")
    else:
        officer = await officers.get_officer(session, officer_id)
        if officers.standing(officer) == "ended":
            raise Conflict(f"{officer.person_name} no longer holds office", f"{officer.person_name}已不再担任该职务")
    task = CouncilTask(motion_id=motion.id, due_on=due_on, member_unit_id=member_unit_id, officer_id=officer_id,
                       state="open", assigned_by_id=actor.user_id, **values)
    session.add(task)
    await session.flush()
    await record(session, actor, action="council_task.assign", object_type="council_task", object_id=task.id,
                 after=_snapshot(task))
    await notify(session, actor, [await _assignee_user(session, task)], Message(
        kind="council_task.assigned", subject_type="council_task", subject_id=task.id,
        title_en=f"A council resolution gives you a task due on {due_on}: {task.title_en}",
        title_zh=f"理事会决议分配任务，须于 {due_on} 前完成：{task.title_zh}"))
    return task


async def complete_task(session: AsyncSession, actor: Actor, *, task_id: int, report: str) -> CouncilTask:
    """The assignee (the unit's representative, the officer) or the secretariat reports the task done;
    a unit's completed task counts as its activity (第十四条(一))."""
    require(actor, TASK, "report", object_id=task_id)
    task = await get_task(session, task_id, lock=True)
    secretariat = actor.can(TASK, "assign")
    if not secretariat and (actor.user_id is None or actor.user_id != await _assignee_user(session, task)):
        raise PermissionDenied("only the assignee (the unit's representative or the officer) or the secretariat "
                               "reports a task done", "只有任务承担方（成员单位代表或负责人本人）或秘书处可以报告任务完成",
                               action="council_task.report", object_type="council_task", object_id=str(task_id))
    errors: list[FieldError] = []
    text = _text(errors, "report", report, 10000, required=True)
    raise_if_invalid(errors)
    if task.state != "open":
        raise Conflict(f"the task was already reported done on {task.done_on}", f"该任务已于 {task.done_on} 报告完成")
    before = _snapshot(task)
    today = clock.today()
    task.state, task.done_on, task.report = "done", today, text
    await session.flush()
    if task.member_unit_id is not None:
        await units.record_activity(session, task.member_unit_id, today)
    await record(session, actor, action="council_task.report", object_type="council_task", object_id=task.id,
                 before=before, after={**_snapshot(task), "report": text})
    return task


def _tasks(*, state: str | None, overdue_on: dt.date | None, motion_id: int | None) -> Select:
    stmt = select(CouncilTask)
    if state is not None:
        stmt = stmt.where(CouncilTask.state == state)
    if overdue_on is not None:
        stmt = stmt.where(CouncilTask.state == "open", CouncilTask.due_on < overdue_on)
    if motion_id is not None:
        stmt = stmt.where(CouncilTask.motion_id == motion_id)
    return stmt


async def tasks_page(session: AsyncSession, actor: Actor, *, state: str | None, motion_id: int | None,
                     first: int, after: str | None, max_page_size: int = 100) -> Page[CouncilTask]:
    """The zone's tasks, soonest due first."""
    require(actor, TASK, "read")
    if state is not None and state not in rules.TASK_STATES:
        raise_if_invalid([FieldError("state", "choice", "state is open or done", "状态须为进行中或已完成")])
    return await paginate(session, _tasks(state=state, overdue_on=None, motion_id=motion_id),
                          order=(CouncilTask.due_on, CouncilTask.id), first=first, after=after,
                          max_page_size=max_page_size)


async def overdue_page(session: AsyncSession, actor: Actor, *, first: int, after: str | None,
                       max_page_size: int = 100) -> Page[CouncilTask]:
    """Open tasks past their due date, most overdue first: for the sitting chair and secretary-general
    (第十六条(三), 第十七条) — a chair-elect is not yet the chair — the secretariat and the supervisors
    (``council_task.oversee`` in the policy)."""
    require(actor, TASK, "read_overdue")
    today = clock.today()
    if not actor.can(TASK, "oversee"):
        watching = await session.scalar(select(Officer.id).where(
            officers.standing_on("serving", today), Officer.office.in_(("chair", "secretary_general")),
            Officer.user_id == actor.user_id).limit(1)) if actor.user_id is not None else None
        if watching is None:
            raise PermissionDenied(
                "overdue tasks are watched by the sitting chair and secretary-general, the secretariat and the "
                "supervisors (Council Charter, Articles 16(3), 24)",
                "逾期任务由在任理事长、秘书长、秘书处和监督人员督查（章程第十六条(三)、第二十四条）",
                action="council_task.read_overdue", object_type="council_task")
    return await paginate(session, _tasks(state=None, overdue_on=today, motion_id=None),
                          order=(CouncilTask.due_on, CouncilTask.id), first=first, after=after,
                          max_page_size=max_page_size)


# ---------------------------------------------------------------------------- yearly ratings (第十四条(一))

async def rate_unit(session: AsyncSession, actor: Actor, *, unit_id: int, year: int, rating: str,
                    note: str | None = None) -> UnitRating:
    """The secretariat records (or corrects) a unit's performance over a year; audited."""
    require(actor, units.UNIT, "rate", object_id=unit_id)
    unit = await units.get_unit(session, unit_id)
    errors = rules.rating_errors(year=year, rating=rating, joined_on=unit.joined_on, today=clock.today())
    text = _text(errors, "note", note, 2000, required=False)
    raise_if_invalid(errors)
    if unit.state != "active":
        raise Conflict(f"{unit.name_en} is not an active member unit", f"{unit.name_zh}不是在册成员单位")
    row = await session.scalar(select(UnitRating).where(UnitRating.member_unit_id == unit.id, UnitRating.year == year))
    before = {"rating": row.rating, "note": row.note} if row else None
    if row is None:
        row = UnitRating(member_unit_id=unit.id, year=year)
        session.add(row)
    row.rating, row.note, row.rated_by_id = rating, text, actor.user_id
    await session.flush()
    await record(session, actor, action="council_unit.rate", object_type="council_unit", object_id=unit.id,
                 before=before, after={"year": year, "rating": rating, "note": text})
    return row


async def ratings_by_unit(session: AsyncSession, unit_ids: set[int]) -> dict[int, dict[int, str]]:
    if not unit_ids:
        return {}
    rows = (await session.execute(select(UnitRating.member_unit_id, UnitRating.year, UnitRating.rating).where(
        UnitRating.member_unit_id.in_(unit_ids)))).all()
    out: dict[int, dict[int, str]] = {}
    for unit_id, year, rating in rows:
        out.setdefault(unit_id, {})[year] = rating
    return out
