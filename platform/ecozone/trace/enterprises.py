"""Enterprises of the traceability platform and the people who submit their records.

Zone staff register an enterprise in their zone with its unified social credit code and its
producer code (the 6-digit segment of the trace codes it issues); adding a person to it gives
them the ``enterprise`` role in the zone (policies/policy.csv), with which they submit records.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.auth.models import User
from ecozone.authz.actor import Actor
from ecozone.authz.models import RoleAssignment
from ecozone.authz.service import require
from ecozone.db.pagination import Page, paginate
from ecozone.errors import Conflict, FieldError, NotFound, raise_if_invalid
from ecozone.governance.rules import normalise_uscc, uscc_errors
from ecozone.tenancy.models import Zone
from ecozone.trace.models import ENTERPRISE_KINDS, Enterprise, EnterpriseMember

ENTERPRISE_ROLE = "enterprise"


def enterprise_errors(*, name_zh: str, name_en: str, uscc: str, producer_code: str, kinds: list[str],
                      zone_admin_code: str) -> list[FieldError]:
    """Every problem of a registration. The code's registering region (digits 3–8) must lie in
    the zone's province: an enterprise registers where it is registered."""
    errors: list[FieldError] = []
    for field, value, limit, zh in (("nameZh", name_zh, 200, "中文名称"), ("nameEn", name_en, 300, "英文名称")):
        if not value.strip() or len(value) > limit:
            errors.append(FieldError(field, "length", f"required, at most {limit} characters",
                                     f"{zh}必填，不超过 {limit} 个字符"))
    code_problems = uscc_errors(uscc)
    errors += code_problems
    if not code_problems and normalise_uscc(uscc)[2:4] != zone_admin_code:
        errors.append(FieldError("uscc", "foreign_region",
                                 f"the code was issued in region {normalise_uscc(uscc)[2:8]}, not in this zone "
                                 f"({zone_admin_code})",
                                 f"该统一社会信用代码的登记机关区划为 {normalise_uscc(uscc)[2:8]}，"
                                 f"不在本试验区（{zone_admin_code}）"))
    if not re.fullmatch(r"[0-9]{6}", producer_code) or producer_code == "000000":
        errors.append(FieldError("producerCode", "format", "6 digits, not all zeros",
                                 "应为 6 位数字，且不能全为零"))
    if not kinds or len(set(kinds)) != len(kinds) or any(k not in ENTERPRISE_KINDS for k in kinds):
        errors.append(FieldError("kinds", "choice", f"one or more distinct of {', '.join(ENTERPRISE_KINDS)}",
                                 f"须为以下一项或多项（不重复）：{'、'.join(z for z, _ in ENTERPRISE_KINDS.values())}"))
    return errors


async def register(session: AsyncSession, actor: Actor, *, name_zh: str, name_en: str, uscc: str,
                   producer_code: str, kinds: list[str]) -> Enterprise:
    require(actor, "trace_enterprise", "register")
    zone = await session.get(Zone, actor.zone_id)
    raise_if_invalid(enterprise_errors(name_zh=name_zh, name_en=name_en, uscc=uscc, producer_code=producer_code,
                                       kinds=kinds, zone_admin_code=zone.admin_code[:2]))
    uscc = normalise_uscc(uscc)
    if await session.scalar(select(Enterprise.id).where(Enterprise.uscc == uscc)) is not None:
        raise Conflict(f"an enterprise with the code {uscc} is already registered",
                       f"统一社会信用代码为 {uscc} 的企业已登记")
    if await session.scalar(select(Enterprise.id).where(Enterprise.zone_id == actor.zone_id,
                                                        Enterprise.producer_code == producer_code)) is not None:
        raise Conflict(f"producer code {producer_code} is already used in this zone",
                       f"主体代码 {producer_code} 在本试验区已被使用")
    enterprise = Enterprise(zone_id=actor.zone_id, uscc=uscc, producer_code=producer_code, name_zh=name_zh.strip(),
                            name_en=name_en.strip(), kinds=kinds, registered_by_id=actor.user_id)
    session.add(enterprise)
    await session.flush()
    await record(session, actor, action="trace_enterprise.register", object_type="trace_enterprise",
                 object_id=enterprise.id, after={"uscc": uscc, "producer_code": producer_code, "kinds": kinds})
    return enterprise


async def get(session: AsyncSession, enterprise_id: int) -> Enterprise:
    enterprise = await session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise NotFound(f"enterprise {enterprise_id} not found", f"企业 {enterprise_id} 不存在")
    return enterprise


async def add_member(session: AsyncSession, actor: Actor, *, enterprise_id: int, user_id: int) -> Enterprise:
    """``user_id`` submits records for the enterprise: a member row and the ``enterprise`` role."""
    require(actor, "trace_enterprise", "add_member", object_id=enterprise_id)
    enterprise = await get(session, enterprise_id)
    if enterprise.zone_id != actor.zone_id:
        # Another zone's enterprise is public but not this zone's staff's to manage.
        raise NotFound(f"enterprise {enterprise_id} is not registered in your zone",
                       f"企业 {enterprise_id} 未在本试验区登记")
    if await session.get(User, user_id) is None:
        raise NotFound(f"user {user_id} not found", f"用户 {user_id} 不存在")
    if await session.scalar(select(EnterpriseMember.id).where(EnterpriseMember.enterprise_id == enterprise_id,
                                                              EnterpriseMember.user_id == user_id)):
        raise Conflict("this person already submits records for the enterprise", "此人已是该企业的填报人员")
    session.add(EnterpriseMember(zone_id=actor.zone_id, enterprise_id=enterprise_id, user_id=user_id))
    if await session.scalar(select(RoleAssignment.id).where(RoleAssignment.user_id == user_id,
                                                            RoleAssignment.role == ENTERPRISE_ROLE)) is None:
        session.add(RoleAssignment(zone_id=actor.zone_id, user_id=user_id, role=ENTERPRISE_ROLE,
                                   granted_by_id=actor.user_id))
    await session.flush()
    await record(session, actor, action="trace_enterprise.add_member", object_type="trace_enterprise",
                 object_id=enterprise_id, after={"user_id": user_id})
    return enterprise


async def search(session: AsyncSession, *, first: int = 20, after: str | None = None) -> Page:
    return await paginate(session, select(Enterprise), order=(Enterprise.id,), first=first, after=after)


async def member_enterprise_ids(session: AsyncSession, actor: Actor) -> frozenset[int]:
    """The enterprises the actor submits for, in the acting zone."""
    if actor.user_id is None:
        return frozenset()
    return frozenset((await session.scalars(select(EnterpriseMember.enterprise_id).where(
        EnterpriseMember.user_id == actor.user_id))).all())
