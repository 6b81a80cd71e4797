"""Standards: creation from a project, drafting, consultation, stage changes.

Technical review is in ``review.py``; joint approval, publication and what follows it in
``release.py``. Every stage change goes through :func:`transition`: event, audit row and
notifications in the request's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require, zone_directors
from ecozone.errors import Conflict, FieldError, NotFound, PermissionDenied, raise_if_invalid
from ecozone.experts.models import ExpertProfile
from ecozone.experts.rules import PRODUCT_CATEGORIES
from ecozone.notifications.service import Message, notify
from ecozone.projects.models import Project
from ecozone.projects.service import get_project, people_concerned as project_people
from ecozone.standards import rules
from ecozone.standards.models import (PanelMember, Standard, StandardEvent, StandardVersion,
                                      StandardZone)
from ecozone.tenancy.models import Zone


async def get_standard(session: AsyncSession, standard_id: int) -> Standard:
    standard = await session.get(Standard, standard_id)
    if standard is None:
        raise NotFound(f"standard {standard_id} not found", f"标准 {standard_id} 不存在")
    return standard


async def zones_of(session: AsyncSession, standard_id: int) -> list[StandardZone]:
    return list((await session.scalars(select(StandardZone).where(
        StandardZone.standard_id == standard_id).order_by(StandardZone.id))).all())


def require_lead_zone(actor: Actor, standard: Standard, act: str) -> None:
    """Lead-zone staff only: the role check passed for the acting zone, which must lead."""
    require(actor, "standard", act, object_id=standard.id)
    if actor.zone_id != standard.lead_zone_id:
        raise PermissionDenied("only the lead zone's office may do this",
                               "只有牵头试验区的办公室可以执行此操作",
                               action=f"standard.{act}", object_type="standard",
                               object_id=str(standard.id))


async def people_concerned(session: AsyncSession, standard: Standard) -> set[int]:
    """Proposer and working group, the panel's experts, and the participating zones' directors."""
    project = await session.get(Project, standard.project_id)
    people = await project_people(session, project) if project else set()
    panel_users = (await session.scalars(select(ExpertProfile.user_id).join(
        PanelMember, PanelMember.expert_id == ExpertProfile.id).where(
        PanelMember.standard_id == standard.id))).all()
    zone_ids = [z.zone_id for z in await zones_of(session, standard.id)]
    return people | set(panel_users) | await zone_directors(session, zone_ids)


async def transition(session: AsyncSession, actor: Actor, standard: Standard, action: str, *,
                     reason: str | None = None, extra: dict[str, Any] | None = None) -> Standard:
    before = standard.state
    standard.state = rules.STAGES.advance(before, action)
    session.add(StandardEvent(standard_id=standard.id, action=action, from_state=before,
                              to_state=standard.state, actor_id=actor.user_id, reason=reason))
    await session.flush()
    await record(session, actor, action=f"standard.{action}", object_type="standard",
                 object_id=standard.id, before={"state": before},
                 after={"state": standard.state, "reason": reason, **(extra or {})})
    zh, en = rules.STATE_NAMES[standard.state]
    await notify(session, actor, await people_concerned(session, standard), Message(
        kind="standard.stage_changed", subject_type="standard", subject_id=standard.id,
        title_en=f"{standard.title_en}: {en}", title_zh=f"《{standard.title_zh}》进入{zh}阶段",
        body_en=reason, body_zh=reason))
    return standard


def _text_errors(values: dict[str, tuple[str | None, int, str, str]]) -> list[FieldError]:
    errors = []
    for field, (value, limit, en, zh) in values.items():
        if value is None or not value.strip():
            errors.append(FieldError(field, "required", f"{en} is required", f"必须填写{zh}"))
        elif len(value) > limit:
            errors.append(FieldError(field, "too_long", f"{en} is at most {limit} characters",
                                     f"{zh}不能超过 {limit} 个字符"))
    return errors


async def create_standard(session: AsyncSession, actor: Actor, *, project_id: int, kind: str,
                          title_zh: str, title_en: str, scope: str,
                          participating_zones: list[str], category: str | None = None) -> Standard:
    """Stage 10 from a standard-development project of the acting zone (its office)."""
    require(actor, "standard", "create", object_id=project_id)
    project = await get_project(session, project_id)
    if project.zone_id != actor.zone_id:
        raise PermissionDenied("only the project's zone may start its standard",
                               "只有项目所属试验区可以为其立项标准", action="standard.create",
                               object_type="project", object_id=str(project_id))
    errors = _text_errors({"titleZh": (title_zh, 200, "the Chinese title", "中文标题"),
                           "titleEn": (title_en, 300, "the English title", "英文标题"),
                           "scope": (scope, 5000, "the scope", "适用范围")})
    if kind not in rules.KINDS:
        errors.append(FieldError("kind", "choice", "kind is joint_local or group",
                                 "类型应为联合地方标准或团体标准"))
    if category is not None and category not in PRODUCT_CATEGORIES:
        errors.append(FieldError("category", "choice", f"unknown product category {category!r}",
                                 f"未知的产品类别“{category}”"))
    slugs = list(dict.fromkeys(participating_zones))
    zones = list((await session.scalars(select(Zone).where(Zone.slug.in_(slugs)))).all())
    unknown = sorted(set(slugs) - {z.slug for z in zones})
    if unknown:
        errors.append(FieldError("participatingZones", "unknown", f"unknown zones: {', '.join(unknown)}",
                                 f"未知的试验区：{'、'.join(unknown)}"))
    lead = actor.zone_slug
    if kind == "joint_local" and len(set(slugs) | {lead}) < 2:
        errors.append(FieldError("participatingZones", "too_few",
                                 "a joint local standard needs at least one other zone",
                                 "联合地方标准至少需要另一个参与试验区"))
    if kind == "group" and set(slugs) - {lead}:
        errors.append(FieldError("participatingZones", "group",
                                 "a group standard of the base is approved by the lead zone alone",
                                 "创新基地团体标准仅由牵头试验区批准"))
    raise_if_invalid(errors)
    if project.kind != "standard_development":
        raise Conflict("only a standard-development project carries a standard",
                       "只有标准研制类项目可以承载标准")
    if project.state not in ("approved", "public_notice", "in_progress"):
        raise Conflict(f"the project is {project.state}: it must be approved first",
                       "项目须先获批准")
    existing = await session.scalar(select(func.count()).select_from(Standard).where(
        Standard.project_id == project_id, Standard.revision_of_id.is_(None)))
    if existing:
        raise Conflict("this project already carries a standard", "该项目已有标准")
    standard = Standard(project_id=project_id, kind=kind, category=category, title_zh=title_zh.strip(),
                        title_en=title_en.strip(), scope=scope.strip(), lead_zone_id=actor.zone_id,
                        state="proposal", created_by_id=actor.user_id)
    session.add(standard)
    await session.flush()
    by_slug = {z.slug: z for z in zones}
    session.add(StandardZone(standard_id=standard.id, zone_id=actor.zone_id, is_lead=True))
    session.add_all(StandardZone(standard_id=standard.id, zone_id=by_slug[s].id)
                    for s in slugs if s != lead)
    session.add(StandardEvent(standard_id=standard.id, action="propose", from_state="-",
                              to_state="proposal", actor_id=actor.user_id))
    await session.flush()
    await record(session, actor, action="standard.create", object_type="standard",
                 object_id=standard.id, after={"projectId": project_id, "kind": kind,
                                               "titleZh": standard.title_zh, "zones": slugs,
                                               "category": category})
    return standard


async def _is_drafter(session: AsyncSession, actor: Actor, standard: Standard) -> bool:
    project = await session.get(Project, standard.project_id)
    return project is not None and actor.user_id in await project_people(session, project)


async def start_drafting(session: AsyncSession, actor: Actor, *, standard_id: int) -> Standard:
    standard = await get_standard(session, standard_id)
    require_lead_zone(actor, standard, "manage")
    return await transition(session, actor, standard, "start_drafting")


async def add_version(session: AsyncSession, actor: Actor, *, standard_id: int, text: str,
                      change_note: str) -> StandardVersion:
    """A numbered draft by the working group (or the lead office), while drafting."""
    require(actor, "standard", "draft", object_id=standard_id)
    standard = await get_standard(session, standard_id)
    lead_staff = actor.zone_id == standard.lead_zone_id and actor.zone_staff
    if not (lead_staff or await _is_drafter(session, actor, standard)):
        raise PermissionDenied("only the drafting group or the lead office may add a draft",
                               "只有起草组或牵头试验区办公室可以提交草案", action="standard.draft",
                               object_type="standard", object_id=str(standard_id))
    raise_if_invalid(_text_errors({"text": (text, 500_000, "the text", "标准文本"),
                                   "changeNote": (change_note, 2000, "the change note", "修改说明")}))
    if standard.state != "drafting":
        raise Conflict(f"drafts are added while drafting; the standard is {standard.state}",
                       f"仅在起草阶段可以提交草案，当前为{rules.STATE_NAMES[standard.state][0]}")
    number = (await session.scalar(select(func.max(StandardVersion.number)).where(
        StandardVersion.standard_id == standard_id)) or 0) + 1
    version = StandardVersion(standard_id=standard_id, number=number, text=text,
                              change_note=change_note.strip(), author_id=actor.user_id)
    session.add(version)
    await session.flush()
    await record(session, actor, action="standard.add_version", object_type="standard",
                 object_id=standard_id, after={"version": number, "changeNote": version.change_note})
    return version


async def versions(session: AsyncSession, standard_id: int) -> list[StandardVersion]:
    return list((await session.scalars(select(StandardVersion).where(
        StandardVersion.standard_id == standard_id).order_by(StandardVersion.number))).all())


async def diff(session: AsyncSession, *, standard_id: int, from_number: int, to_number: int) -> str:
    await get_standard(session, standard_id)  # visibility
    found = {v.number: v for v in await versions(session, standard_id)}
    missing = [n for n in (from_number, to_number) if n not in found]
    if missing:
        raise NotFound(f"draft {missing[0]} does not exist", f"草案第 {missing[0]} 版不存在")
    return rules.text_diff(found[from_number].text, found[to_number].text,
                           old_label=f"draft {from_number}", new_label=f"draft {to_number}")


def today() -> dt.date:
    return dt.date.today()
