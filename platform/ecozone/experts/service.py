"""Expert registry services: profiles, verification, chief experts, conflicts, search."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.models import RoleAssignment
from ecozone.authz.service import require
from ecozone.db.base import utcnow
from ecozone.db.pagination import Page, paginate
from ecozone.db.text_search import ESCAPE, contains_pattern, search_text_errors
from ecozone.errors import Conflict, FieldError, NotFound, PermissionDenied, raise_if_invalid
from ecozone.experts import rules
from ecozone.experts.models import ConflictDeclaration, ExpertCategory, ExpertField, ExpertProfile
from ecozone.experts.presentation import DEFAULT_VISIBILITY, is_home_zone_staff, is_owner
from ecozone.tenancy.models import Zone

SIMPLE_FIELDS = {"nameZh": "name_zh", "nameEn": "name_en", "title": "title",
                 "organisation": "organisation", "email": "email", "phone": "phone",
                 "orcid": "orcid", "biography": "biography", "availability": "availability",
                 "standardsAuthored": "standards_authored"}
RELATIONS = ("employer", "collaborator", "other")


def _snake(data: dict[str, Any]) -> dict[str, Any]:
    return {SIMPLE_FIELDS.get(k, k): v for k, v in data.items()}


def _validate(data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Validate GraphQL-named input; return it normalised."""
    errors = rules.validate_profile_fields(_snake({k: v for k, v in data.items()
                                                  if k not in {"visibility", "standardsAuthored"}}))
    if creating and "nameZh" not in data:  # present but blank is reported by the rules
        errors.append(FieldError("nameZh", "required", "the Chinese name is required", "必须填写中文姓名"))
    for name, visibility in (data.get("visibility") or {}).items():
        if name not in DEFAULT_VISIBILITY:
            errors.append(FieldError("visibility", "field",
                                     f"{name} has no visibility setting; choose among "
                                     f"{', '.join(DEFAULT_VISIBILITY)}",
                                     f"{name} 不可设置可见范围；可选：{', '.join(DEFAULT_VISIBILITY)}"))
        elif visibility not in rules.VISIBILITIES:
            errors.append(FieldError("visibility", "choice",
                                     f"visibility must be one of {', '.join(rules.VISIBILITIES)}",
                                     f"可见范围必须是以下之一：{', '.join(rules.VISIBILITIES)}"))
    standards = data.get("standardsAuthored")
    if standards is not None and (len(standards) > 50 or any(not s.strip() or len(s) > 200
                                                             for s in standards)):
        errors.append(FieldError("standardsAuthored", "list",
                                 "at most 50 standards, each 1–200 characters",
                                 "最多 50 项标准，每项 1–200 个字符"))
    raise_if_invalid(errors)
    clean = dict(data)
    for key in ("nameZh", "nameEn", "title", "organisation", "biography"):
        if isinstance(clean.get(key), str):
            clean[key] = clean[key].strip() or None
    if clean.get("orcid"):
        clean["orcid"] = rules.normalize_orcid(clean["orcid"])
    if clean.get("phone"):
        clean["phone"] = rules.normalize_phone(clean["phone"])
    if clean.get("email"):
        clean["email"] = clean["email"].strip()
    if standards is not None:
        clean["standardsAuthored"] = [s.strip() for s in standards]
    return clean


def _snapshot(profile: ExpertProfile, fields: list[str], categories: list[str]) -> dict[str, Any]:
    values = {graphql: getattr(profile, attr) for graphql, attr in SIMPLE_FIELDS.items()}
    return {**values, "fields": fields, "categories": categories,
            "visibility": dict(profile.visibility or {}), "state": profile.state,
            "isChief": profile.is_chief}


async def _lists(session: AsyncSession, expert_id: int) -> tuple[list[str], list[str]]:
    fields = (await session.scalars(select(ExpertField.name).where(
        ExpertField.expert_id == expert_id).order_by(ExpertField.position))).all()
    cats = (await session.scalars(select(ExpertCategory.category).where(
        ExpertCategory.expert_id == expert_id).order_by(ExpertCategory.category))).all()
    return list(fields), list(cats)


async def _apply(session: AsyncSession, profile: ExpertProfile, data: dict[str, Any]) -> None:
    for graphql, attr in SIMPLE_FIELDS.items():
        if graphql in data:
            setattr(profile, attr, data[graphql] if graphql != "standardsAuthored"
                    else list(data[graphql] or []))
    if "availability" in data and data["availability"] is None:
        profile.availability = "available"
    if "visibility" in data:
        profile.visibility = {**(profile.visibility or {}), **(data["visibility"] or {})}
    await session.flush()
    if "fields" in data:
        await session.execute(delete(ExpertField).where(ExpertField.expert_id == profile.id))
        session.add_all(ExpertField(expert_id=profile.id, name=name.strip(), position=i)
                        for i, name in enumerate(data["fields"] or []))
    if "categories" in data:
        await session.execute(delete(ExpertCategory).where(ExpertCategory.expert_id == profile.id))
        session.add_all(ExpertCategory(expert_id=profile.id, category=c)
                        for c in sorted(set(data["categories"] or [])))
    await session.flush()
    fields, _ = await _lists(session, profile.id)
    profile.name_pinyin = rules.name_pinyin(profile.name_zh)
    profile.search_text = rules.search_keys(profile.name_zh, profile.name_en or "", *fields)


async def get_profile(session: AsyncSession, expert_id: int) -> ExpertProfile:
    """A profile the session's viewer may see (the data layer hides the others)."""
    profile = await session.get(ExpertProfile, expert_id)
    if profile is None:
        raise NotFound(f"expert {expert_id} not found", f"专家 {expert_id} 不存在")
    return profile


async def my_profile(session: AsyncSession, actor: Actor) -> ExpertProfile | None:
    if not actor.signed_in:
        return None
    return await session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == actor.user_id))


async def create_profile(session: AsyncSession, actor: Actor, *, data: dict[str, Any]
                         ) -> ExpertProfile:
    require(actor, "expert", "create")
    clean = _validate(data, creating=True)
    if await my_profile(session, actor) is not None:
        raise Conflict("you already have an expert profile: update it instead",
                       "您已有专家档案，请直接修改")
    profile = ExpertProfile(user_id=actor.user_id, home_zone_id=actor.zone_id,
                            name_zh=clean["nameZh"], name_pinyin="", state="pending",
                            visibility={})
    session.add(profile)
    await _apply(session, profile, clean)
    fields, cats = await _lists(session, profile.id)
    await record(session, actor, action="expert.create", object_type="expert",
                 object_id=profile.id, after=_snapshot(profile, fields, cats))
    return profile


async def update_profile(session: AsyncSession, actor: Actor, *, expert_id: int,
                         data: dict[str, Any]) -> ExpertProfile:
    require(actor, "expert", "update_own", object_id=expert_id)
    profile = await get_profile(session, expert_id)
    if not is_owner(profile, actor):
        raise PermissionDenied("only the expert may edit their own profile",
                               "只有专家本人可以修改自己的档案", action="expert.update_own",
                               object_type="expert", object_id=str(expert_id))
    clean = _validate(data, creating=False)
    before = _snapshot(profile, *await _lists(session, profile.id))
    await _apply(session, profile, clean)
    after = _snapshot(profile, *await _lists(session, profile.id))
    changed = sorted(k for k in after if after[k] != before[k])
    await record(session, actor, action="expert.update", object_type="expert", object_id=profile.id,
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return profile


async def _managed_profile(session: AsyncSession, actor: Actor, expert_id: int, act: str
                           ) -> ExpertProfile:
    require(actor, "expert", act, object_id=expert_id)
    profile = await get_profile(session, expert_id)
    if not is_home_zone_staff(profile, actor):
        raise PermissionDenied("only the staff of the expert's home zone may do this",
                               "只有专家所属试验区的秘书处或主任可以执行此操作",
                               action=f"expert.{act}", object_type="expert",
                               object_id=str(expert_id))
    return profile


async def _set_expert_role(session: AsyncSession, actor: Actor, profile: ExpertProfile,
                           present: bool) -> None:
    """A verified expert holds the ``expert`` role in their home zone; a suspended one does not."""
    holder = RoleAssignment.user_id == profile.user_id
    has = await session.scalar(select(exists().where(holder, RoleAssignment.role == "expert")))
    if present and not has:
        session.add(RoleAssignment(zone_id=profile.home_zone_id, user_id=profile.user_id,
                                   role="expert", granted_by_id=actor.user_id))
    elif not present and has:
        await session.execute(delete(RoleAssignment).where(holder, RoleAssignment.role == "expert"))
    await session.flush()


async def change_state(session: AsyncSession, actor: Actor, *, expert_id: int, action: str,
                       reason: str | None = None) -> ExpertProfile:
    """Verify or suspend (the secretary or director of the home zone)."""
    profile = await _managed_profile(session, actor, expert_id, action)
    if action == "suspend" and not (reason or "").strip():
        raise_if_invalid([FieldError("reason", "required", "say why the expert is suspended",
                                     "请填写暂停原因")])
    before = {"state": profile.state, "isChief": profile.is_chief}
    profile.state = rules.next_state(profile.state, action)
    profile.state_reason = (reason or "").strip() or None
    profile.state_changed_at = utcnow()
    profile.state_changed_by_id = actor.user_id
    if profile.state == "suspended":
        profile.is_chief = False
    await _set_expert_role(session, actor, profile, present=profile.state == "verified")
    await record(session, actor, action=f"expert.{action}", object_type="expert",
                 object_id=profile.id, before=before,
                 after={"state": profile.state, "isChief": profile.is_chief,
                        "reason": profile.state_reason})
    await _tell_the_expert(session, actor, profile)
    return profile


async def _tell_the_expert(session: AsyncSession, actor: Actor, profile: ExpertProfile) -> None:
    """The expert hears of a state change of their profile (in their inbox, live), like every
    stage change of the platform."""
    from ecozone.notifications.service import Message, notify
    if profile.state == "verified":
        message = Message(kind="expert.verified", subject_type="expert", subject_id=profile.id,
                          title_en="Your expert profile is verified: you are in the public registry",
                          title_zh="您的专家档案已通过审核，已列入公开的专家库",
                          body_en=profile.state_reason, body_zh=profile.state_reason)
    else:
        message = Message(kind="expert.suspended", subject_type="expert", subject_id=profile.id,
                          title_en="Your expert profile is suspended",
                          title_zh="您的专家档案已被暂停",
                          body_en=profile.state_reason, body_zh=profile.state_reason)
    await notify(session, actor, [profile.user_id], message)


async def designate_chief(session: AsyncSession, actor: Actor, *, expert_id: int, chief: bool
                          ) -> ExpertProfile:
    profile = await _managed_profile(session, actor, expert_id, "designate_chief")
    if chief and profile.state != "verified":
        raise Conflict("only a verified expert can be a chief expert", "只有已审核的专家才能担任首席专家")
    before = {"isChief": profile.is_chief}
    profile.is_chief = chief
    await session.flush()
    await record(session, actor, action="expert.designate_chief", object_type="expert",
                 object_id=profile.id, before=before, after={"isChief": chief})
    return profile


async def declare_conflict(session: AsyncSession, actor: Actor, *, unit_name: str, relation: str,
                           note: str | None = None) -> ConflictDeclaration:
    require(actor, "expert", "declare_conflict")
    profile = await my_profile(session, actor)
    if profile is None:
        raise NotFound("create your expert profile first", "请先创建专家档案")
    errors = []
    if not unit_name.strip() or len(unit_name.strip()) > 200:
        errors.append(FieldError("unitName", "length", "the unit name must be 1–200 characters",
                                 "单位名称须为 1–200 个字符"))
    if relation not in RELATIONS:
        errors.append(FieldError("relation", "choice", f"relation must be one of {', '.join(RELATIONS)}",
                                 f"关系必须是以下之一：{', '.join(RELATIONS)}"))
    if note is not None and len(note) > 500:
        errors.append(FieldError("note", "length", "at most 500 characters", "最多 500 个字符"))
    raise_if_invalid(errors)
    declaration = ConflictDeclaration(expert_id=profile.id, unit_name=unit_name.strip(),
                                      relation=relation, note=(note or "").strip() or None)
    session.add(declaration)
    await session.flush()
    await record(session, actor, action="expert.declare_conflict", object_type="expert_conflict",
                 object_id=declaration.id, after={"expertId": profile.id, "unitName":
                                                  declaration.unit_name, "relation": relation})
    return declaration


async def withdraw_conflict(session: AsyncSession, actor: Actor, *, conflict_id: int
                            ) -> ConflictDeclaration:
    require(actor, "expert", "declare_conflict", object_id=conflict_id)
    profile = await my_profile(session, actor)
    declaration = await session.get(ConflictDeclaration, conflict_id)
    if declaration is None or profile is None or declaration.expert_id != profile.id:
        raise NotFound(f"conflict declaration {conflict_id} not found among yours",
                       f"您的利益冲突声明中没有 {conflict_id}")
    if declaration.withdrawn_at is not None:
        raise Conflict("this declaration was already withdrawn", "该声明已撤回")
    declaration.withdrawn_at = utcnow()
    await session.flush()
    await record(session, actor, action="expert.withdraw_conflict", object_type="expert_conflict",
                 object_id=declaration.id, before={"withdrawnAt": None},
                 after={"withdrawnAt": declaration.withdrawn_at})
    return declaration


@dataclass(frozen=True)
class ExpertFilter:
    text: str | None = None
    field: str | None = None
    category: str | None = None
    zone: str | None = None
    state: str | None = None
    chief: bool | None = None


def _check_filter(f: ExpertFilter) -> None:
    errors = []
    if f.category is not None and f.category not in rules.PRODUCT_CATEGORIES:
        errors.append(FieldError("category", "choice", "unknown product category",
                                 "未知的产品类别"))
    if f.state is not None and f.state not in rules.EXPERT_STATES:
        errors.append(FieldError("state", "choice",
                                 f"state must be one of {', '.join(rules.EXPERT_STATES)}",
                                 f"状态必须是以下之一：{', '.join(rules.EXPERT_STATES)}"))
    errors += search_text_errors(f.text)
    raise_if_invalid(errors)


async def search(session: AsyncSession, actor: Actor, *, filters: ExpertFilter, first: int,
                 after: str | None, max_page_size: int = 100) -> Page[ExpertProfile]:
    """Experts the viewer may see, filtered, ordered by pinyin name."""
    _check_filter(filters)
    stmt = select(ExpertProfile)
    if filters.text and filters.text.strip():
        needle = contains_pattern(filters.text)
        compact = contains_pattern(filters.text.replace(" ", ""))
        stmt = stmt.where(ExpertProfile.search_text.like(needle, escape=ESCAPE)
                          | ExpertProfile.search_text.like(compact, escape=ESCAPE))
    if filters.field:
        stmt = stmt.where(exists().where(ExpertField.expert_id == ExpertProfile.id,
                                         ExpertField.name == filters.field.strip()))
    if filters.category:
        stmt = stmt.where(exists().where(ExpertCategory.expert_id == ExpertProfile.id,
                                         ExpertCategory.category == filters.category))
    if filters.zone:
        stmt = stmt.where(ExpertProfile.home_zone_id == select(Zone.id).where(
            Zone.slug == filters.zone).scalar_subquery())
    if filters.state:
        stmt = stmt.where(ExpertProfile.state == filters.state)
    if filters.chief is not None:
        stmt = stmt.where(ExpertProfile.is_chief.is_(filters.chief))
    return await paginate(session, stmt, order=(ExpertProfile.name_pinyin, ExpertProfile.id),
                          first=first, after=after, max_page_size=max_page_size)
