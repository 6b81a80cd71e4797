"""Who works on a project: join requests during the public notice, and the working group."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.auth.accounts import account_exists
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.base import utcnow
from ecozone.errors import Conflict, NotFound, PermissionDenied, raise_if_invalid
from ecozone.notifications.service import Message, notify
from ecozone.projects import rules
from ecozone.projects.models import JoinRequest, Project, WorkingGroupMember
from ecozone.projects.service import get_project, is_owning_zone_staff, is_proposer

ALREADY_ASKED = ("you already asked to join this project: wait for the proposer's answer",
                 "您已申请加入该项目，请等待申报人答复")


def _closed_for_joining(project: Project) -> Conflict:
    state_zh, state_en = rules.STATES[project.state]
    return Conflict(f"requests to join are open during the public notice and while the project "
                    f"is in progress, not when it is {state_en.lower()}",
                    f"仅在公示期和实施期间可以申请加入，当前项目状态为“{state_zh}”")


async def _in_group(session: AsyncSession, project_id: int, user_id: int) -> bool:
    return bool(await session.scalar(select(exists().where(
        WorkingGroupMember.project_id == project_id, WorkingGroupMember.user_id == user_id))))


# ---------------------------------------------------------------------------- join requests

async def request_to_join(session: AsyncSession, actor: Actor, *, project_id: int, unit_name: str,
                          message: str | None = None) -> JoinRequest:
    """Anyone signed in, acting in any zone, asks to join a project on notice or in progress."""
    require(actor, "project", "request_join", object_id=project_id)
    project = await get_project(session, project_id)
    if project.state not in rules.JOIN_OPEN_STATES:
        raise _closed_for_joining(project)
    if is_proposer(project, actor):
        raise Conflict("you proposed this project: you are already in it", "您是该项目的申报人，无需申请加入")
    if await _in_group(session, project.id, actor.user_id):
        raise Conflict("you are already in the working group", "您已是该项目工作组成员")
    raise_if_invalid(rules.validate_join_request(unit_name=unit_name, message=message))
    pending = await session.scalar(select(exists().where(
        JoinRequest.project_id == project.id, JoinRequest.user_id == actor.user_id,
        JoinRequest.status == "pending")))
    if pending:
        raise Conflict(*ALREADY_ASKED)
    join = JoinRequest(project_id=project.id, user_id=actor.user_id, unit_name=unit_name.strip(),
                       message=(message or "").strip() or None, status="pending")
    try:
        async with session.begin_nested():  # a concurrent twin loses on the unique index
            session.add(join)
            await session.flush()
    except IntegrityError as exc:
        raise Conflict(*ALREADY_ASKED) from exc
    await record(session, actor, action="project.request_join", object_type="project_join_request",
                 object_id=join.id, after={"projectId": project.id, "unitName": join.unit_name})
    await notify(session, actor, [project.proposer_id], Message(
        kind="project.join_requested", subject_type="project", subject_id=project.id,
        title_en=f"{rules.shorten(join.unit_name, 100)} asks to join “{rules.shorten(project.title_en)}”",
        title_zh=f"{rules.shorten(join.unit_name, 100)} 申请加入“{rules.shorten(project.title_zh)}”",
        body_en=join.message, body_zh=join.message))
    return join


async def _decide(session: AsyncSession, actor: Actor, request_id: int, *, accept: bool,
                  reason: str | None) -> JoinRequest:
    join = await session.get(JoinRequest, request_id)
    if join is None:
        raise NotFound(f"join request {request_id} not found", f"加入申请 {request_id} 不存在")
    project = await get_project(session, join.project_id)
    if not is_proposer(project, actor):
        raise PermissionDenied("only the project's proposer accepts or declines requests to join",
                               "只有项目申报人可以同意或拒绝加入申请",
                               action="project.decide_join", object_type="project_join_request",
                               object_id=str(request_id))
    if join.status != "pending":
        zh = "已同意" if join.status == "accepted" else "已拒绝"
        raise Conflict(f"this request was already {join.status}", f"该申请{zh}")
    if project.state not in rules.JOIN_OPEN_STATES:
        raise _closed_for_joining(project)
    join.status = "accepted" if accept else "declined"
    join.decided_at = utcnow()
    join.decided_by_id = actor.user_id
    if accept:
        await _add_joiner(session, project, join)
    await session.flush()
    reason = (reason or "").strip() or None
    await record(session, actor, action=f"project.{'accept' if accept else 'decline'}_join",
                 object_type="project_join_request", object_id=join.id,
                 before={"status": "pending"}, after={"status": join.status, "reason": reason})
    verb_en, verb_zh = ("accepted", "同意") if accept else ("declined", "拒绝")
    await notify(session, actor, [join.user_id], Message(
        kind="project.join_decided", subject_type="project", subject_id=project.id,
        title_en=f"Your request to join “{rules.shorten(project.title_en)}” was {verb_en}",
        title_zh=f"您加入“{rules.shorten(project.title_zh)}”的申请已被{verb_zh}",
        body_en=reason, body_zh=reason))
    return join


async def _add_joiner(session: AsyncSession, project: Project, join: JoinRequest) -> None:
    """The unit joins as a participating unit (once), the person as a member (once)."""
    group = (await session.scalars(select(WorkingGroupMember).where(
        WorkingGroupMember.project_id == project.id))).all()
    if not any(m.role in rules.UNIT_ROLES and m.unit_name == join.unit_name for m in group):
        session.add(WorkingGroupMember(project_id=project.id, user_id=None,
                                       unit_name=join.unit_name, role="participating_unit"))
    if not any(m.user_id == join.user_id for m in group):
        session.add(WorkingGroupMember(project_id=project.id, user_id=join.user_id,
                                       unit_name=join.unit_name, role="member"))


async def accept_join_request(session: AsyncSession, actor: Actor, *, request_id: int,
                              reason: str | None = None) -> JoinRequest:
    require(actor, "project", "decide_join", object_id=request_id)
    return await _decide(session, actor, request_id, accept=True, reason=reason)


async def decline_join_request(session: AsyncSession, actor: Actor, *, request_id: int,
                               reason: str | None = None) -> JoinRequest:
    require(actor, "project", "decide_join", object_id=request_id)
    return await _decide(session, actor, request_id, accept=False, reason=reason)


# ---------------------------------------------------------------------------- working group

def _check_manager(project: Project, actor: Actor) -> None:
    if not (is_proposer(project, actor) or is_owning_zone_staff(project, actor)):
        raise PermissionDenied("only the proposer or the staff of the project's zone manage "
                               "its working group", "只有项目申报人或项目所属试验区的秘书处、主任可以管理工作组",
                               action="project.manage_working_group", object_type="project",
                               object_id=str(project.id))
    if project.state not in rules.WORKING_GROUP_OPEN_STATES:
        state_zh, state_en = rules.STATES[project.state]
        raise Conflict(f"the working group of a {state_en.lower()} project cannot change",
                       f"项目状态为“{state_zh}”，工作组不能再变更")


async def add_member(session: AsyncSession, actor: Actor, *, project_id: int, role: str,
                     unit_name: str, user_id: int | None = None) -> WorkingGroupMember:
    require(actor, "project", "manage_working_group", object_id=project_id)
    project = await get_project(session, project_id)
    _check_manager(project, actor)
    raise_if_invalid(rules.validate_member(role=role, unit_name=unit_name,
                                           has_user=user_id is not None))
    if role == "lead_unit":
        raise Conflict(f"the lead unit ({project.lead_unit}) is set by the proposal",
                       f"牵头单位（{project.lead_unit}）由项目申报确定")
    # The manager names a person by id; seeing their account is not needed (accounts are private)
    if user_id is not None and not await account_exists(session, user_id):
        raise NotFound(f"user {user_id} not found", f"用户 {user_id} 不存在")
    unit = unit_name.strip()
    group = await session.scalars(select(WorkingGroupMember).where(
        WorkingGroupMember.project_id == project.id, WorkingGroupMember.role == role))
    if any((m.user_id == user_id) if user_id is not None else (m.unit_name == unit)
           for m in group.all()):
        zh = rules.WORKING_GROUP_ROLES[role][0]
        raise Conflict(f"already in the working group as {role}", f"已是工作组的{zh}")
    member = WorkingGroupMember(project_id=project.id, user_id=user_id, unit_name=unit, role=role)
    session.add(member)
    await session.flush()
    await record(session, actor, action="project.add_member", object_type="project_working_group",
                 object_id=member.id, after={"projectId": project.id, "userId": user_id,
                                             "unitName": unit, "role": role})
    role_zh, role_en = rules.WORKING_GROUP_ROLES[role]
    await notify(session, actor, [user_id], Message(
        kind="project.working_group", subject_type="project", subject_id=project.id,
        title_en=f"You joined the working group of “{rules.shorten(project.title_en)}” as {role_en.lower()}",
        title_zh=f"您已加入“{rules.shorten(project.title_zh)}”工作组，担任{role_zh}"))
    return member


async def remove_member(session: AsyncSession, actor: Actor, *, member_id: int) -> WorkingGroupMember:
    require(actor, "project", "manage_working_group", object_id=member_id)
    member = await session.get(WorkingGroupMember, member_id)
    if member is None:
        raise NotFound(f"working-group member {member_id} not found", f"工作组成员 {member_id} 不存在")
    project = await get_project(session, member.project_id)
    _check_manager(project, actor)
    if member.role == "lead_unit":
        raise Conflict("the lead unit cannot leave its own project", "牵头单位不能从工作组中移除")
    await session.delete(member)
    await session.flush()
    await record(session, actor, action="project.remove_member",
                 object_type="project_working_group", object_id=member.id,
                 before={"projectId": project.id, "userId": member.user_id,
                         "unitName": member.unit_name, "role": member.role})
    await notify(session, actor, [member.user_id], Message(
        kind="project.working_group", subject_type="project", subject_id=project.id,
        title_en=f"You left the working group of “{rules.shorten(project.title_en)}”",
        title_zh=f"您已不再是“{rules.shorten(project.title_zh)}”工作组的{rules.WORKING_GROUP_ROLES[member.role][0]}"))
    return member
