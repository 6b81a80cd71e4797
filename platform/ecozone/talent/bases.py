"""Talent bases (workstations, internship and training bases) and chief-expert calls.

Cross-zone chief experts: a zone's call is decided by that zone's director, even for an expert
of another home zone. The registry's ``designate_chief`` needs the home zone's staff, so the
decision sets ``is_chief`` itself, with an ``expert.designate_chief`` audit row naming the call,
and tells the expert. The home zone's staff can still revoke it with ``designate_chief``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.base import utcnow
from ecozone.db.pagination import Page, paginate
from ecozone.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    raise_if_invalid,
)
from ecozone.experts.models import ExpertProfile
from ecozone.notifications.service import Message, notify
from ecozone.talent import rules
from ecozone.talent import service as clock
from ecozone.talent.models import (
    ChiefExpertApplication,
    ChiefExpertCall,
    TalentBase,
    TalentBasePerson,
)
from ecozone.talent.service import _aware, _text


def _deny(action: str, en: str, zh: str, object_id: object) -> PermissionDenied:
    return PermissionDenied(en, zh, action=action, object_type=action.split(".")[0], object_id=str(object_id))


# --- bases

async def create_base(session: AsyncSession, actor: Actor, *, kind: str, name_zh: str, name_en: str,
                      host_unit: str, starts_on: dt.date, partner_university: str | None = None,
                      ends_on: dt.date | None = None) -> TalentBase:
    require(actor, "talent_base", "manage")
    errors: list[FieldError] = []
    values = dict(name_zh=_text(errors, "nameZh", name_zh, 200, required=True),
                  name_en=_text(errors, "nameEn", name_en, 300, required=True),
                  host_unit=_text(errors, "hostUnit", host_unit, 200, required=True),
                  partner_university=_text(errors, "partnerUniversity", partner_university, 200,
                                           required=False))
    if kind not in rules.BASE_KINDS:
        errors.append(FieldError("kind", "choice", "unknown kind of base", "基地类型无效"))
    if ends_on is not None and ends_on < starts_on:
        errors.append(FieldError("endsOn", "order", "ends before it starts", "结束日期早于开始日期"))
    raise_if_invalid(errors)
    base = TalentBase(zone_id=actor.zone_id, kind=kind, starts_on=starts_on, ends_on=ends_on,
                      created_by_id=actor.user_id, **values)
    session.add(base)
    await session.flush()
    await record(session, actor, action="talent_base.create", object_type="talent_base", object_id=base.id,
                 after={**values, "kind": kind, "startsOn": starts_on, "endsOn": ends_on})
    return base


async def get_base(session: AsyncSession, base_id: int) -> TalentBase:
    base = await session.get(TalentBase, base_id)
    if base is None:
        raise NotFound(f"talent base {base_id} not found", f"人才基地 {base_id} 不存在")
    return base


async def attach_person(session: AsyncSession, actor: Actor, *, base_id: int, name: str, role: str,
                        expert_id: int | None = None, joined_on: dt.date | None = None) -> TalentBasePerson:
    require(actor, "talent_base", "manage", object_id=base_id)
    base = await get_base(session, base_id)
    if base.zone_id != actor.zone_id:
        raise _deny("talent_base.manage", "only the base's zone manages it", "只有基地所在试验区可以管理", base_id)
    errors: list[FieldError] = []
    clean_name = _text(errors, "name", name, 100, required=True)
    clean_role = _text(errors, "role", role, 50, required=True)
    if expert_id is not None and await session.get(ExpertProfile, expert_id) is None:
        errors.append(FieldError("expertId", "not_found", "no such expert", "专家不存在"))
    raise_if_invalid(errors)
    person = TalentBasePerson(base_id=base_id, name=clean_name, role=clean_role, expert_id=expert_id,
                              joined_on=joined_on)
    session.add(person)
    await session.flush()
    await record(session, actor, action="talent_base.attach_person", object_type="talent_base",
                 object_id=base_id, after={"name": clean_name, "role": clean_role, "expertId": expert_id})
    return person


async def list_bases(session: AsyncSession, *, kind: str | None = None, first: int = 20,
                     after: str | None = None, max_page_size: int = 100) -> Page[TalentBase]:
    stmt = select(TalentBase)
    if kind:
        stmt = stmt.where(TalentBase.kind == kind)
    return await paginate(session, stmt, order=(TalentBase.id,), first=first, after=after,
                          max_page_size=max_page_size)


# --- chief-expert calls

async def open_call(session: AsyncSession, actor: Actor, *, title_zh: str, title_en: str, field: str,
                    deadline: dt.datetime, description: str | None = None) -> ChiefExpertCall:
    require(actor, "chief_expert_call", "open")
    errors: list[FieldError] = []
    values = dict(title_zh=_text(errors, "titleZh", title_zh, 200, required=True),
                  title_en=_text(errors, "titleEn", title_en, 300, required=True),
                  field=_text(errors, "field", field, 100, required=True),
                  description=_text(errors, "description", description, 10000, required=False))
    if _aware(deadline) <= clock.now():
        errors.append(FieldError("deadline", "past", "the deadline must be in the future", "截止时间须晚于现在"))
    raise_if_invalid(errors)
    call = ChiefExpertCall(zone_id=actor.zone_id, deadline=deadline, created_by_id=actor.user_id, **values)
    session.add(call)
    await session.flush()
    await record(session, actor, action="chief_expert_call.open", object_type="chief_expert_call",
                 object_id=call.id, after={**values, "deadline": deadline})
    return call


async def get_call(session: AsyncSession, call_id: int) -> ChiefExpertCall:
    call = await session.get(ChiefExpertCall, call_id)
    if call is None:
        raise NotFound(f"chief-expert call {call_id} not found", f"首席专家征集 {call_id} 不存在")
    return call


async def list_calls(session: AsyncSession, *, first: int = 20, after: str | None = None,
                     max_page_size: int = 100) -> Page[ChiefExpertCall]:
    return await paginate(session, select(ChiefExpertCall), order=(ChiefExpertCall.id,), first=first,
                          after=after, max_page_size=max_page_size)


async def apply_to_call(session: AsyncSession, actor: Actor, *, call_id: int, statement: str
                        ) -> ChiefExpertApplication:
    """A verified expert of any zone applies, before the deadline, once."""
    require(actor, "chief_expert_call", "apply", object_id=call_id)
    call = await get_call(session, call_id)
    profile = await session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == actor.user_id))
    if profile is None or profile.state != "verified":
        raise Conflict("only a verified expert of the registry can apply", "只有专家库中已审核的专家可以申请")
    if not rules.enrolment_open(clock.now(), _aware(call.deadline)):
        raise Conflict("the call has closed", "征集已截止")
    errors: list[FieldError] = []
    clean = _text(errors, "statement", statement, 5000, required=True)
    raise_if_invalid(errors)
    application = ChiefExpertApplication(call_id=call_id, expert_id=profile.id, statement=clean)
    try:
        async with session.begin_nested():
            session.add(application)
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("you have already applied to this call", "您已申请该征集") from exc
    await record(session, actor, action="chief_expert_call.apply", object_type="chief_expert_application",
                 object_id=application.id, after={"callId": call_id, "expertId": profile.id})
    return application


async def call_applications(session: AsyncSession, actor: Actor, *, call_id: int, first: int = 20,
                            after: str | None = None, max_page_size: int = 100) -> Page[ChiefExpertApplication]:
    """The calling zone's director sees the applications."""
    require(actor, "chief_expert_call", "decide", object_id=call_id)
    call = await get_call(session, call_id)
    if call.zone_id != actor.zone_id:
        raise _deny("chief_expert_call.decide", "only the calling zone's director", "只有发起征集的试验区主任",
                    call_id)
    stmt = select(ChiefExpertApplication).where(ChiefExpertApplication.call_id == call_id)
    return await paginate(session, stmt, order=(ChiefExpertApplication.id,), first=first, after=after,
                          max_page_size=max_page_size)


async def decide_application(session: AsyncSession, actor: Actor, *, application_id: int, accept: bool,
                             reason: str | None = None) -> ChiefExpertApplication:
    require(actor, "chief_expert_call", "decide", object_id=application_id)
    application = await session.get(ChiefExpertApplication, application_id)
    if application is None:
        raise NotFound(f"application {application_id} not found", f"申请 {application_id} 不存在")
    call = await get_call(session, application.call_id)
    if call.zone_id != actor.zone_id:
        raise _deny("chief_expert_call.decide", "only the calling zone's director decides",
                    "只有发起征集的试验区主任可以决定", application_id)
    before = application.state
    application.state = rules.APPLICATION.advance(before, "accept" if accept else "decline")
    application.reason = (reason or "").strip()[:500] or None
    application.decided_at, application.decided_by_id = utcnow(), actor.user_id
    profile = await session.get(ExpertProfile, application.expert_id)
    await session.flush()
    await record(session, actor, action="chief_expert_call.decide", object_type="chief_expert_application",
                 object_id=application.id, before={"state": before},
                 after={"state": application.state, "reason": application.reason})
    if accept and profile is not None and not profile.is_chief:
        profile.is_chief = True
        await session.flush()
        await record(session, actor, action="expert.designate_chief", object_type="expert",
                     object_id=profile.id, before={"isChief": False},
                     after={"isChief": True, "callId": call.id})
    if profile is not None:
        await notify(session, actor, [profile.user_id], Message(
            kind="chief_expert_call.decided", subject_type="chief_expert_call", subject_id=call.id,
            title_en=f"{'Appointed' if accept else 'Not appointed'}: {call.title_en}",
            title_zh=f"{'已聘任' if accept else '未聘任'}：{call.title_zh}"))
    return application
