"""Joint approval (50), publication with atomic numbers (60), and review after it (90)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.base import utcnow
from ecozone.errors import Conflict, FieldError, PermissionDenied, raise_if_invalid
from ecozone.standards import rules
from ecozone.standards.models import NumberSequence, Standard, StandardVersion, StandardZone
from ecozone.standards.service import (get_standard, require_lead_zone, transition, versions,
                                       zones_of)
from ecozone.tenancy.models import Zone


async def reset_signatures(session: AsyncSession, standard_id: int) -> None:
    await session.execute(update(StandardZone).where(StandardZone.standard_id == standard_id)
                          .values(decision="pending", reason=None, decided_by_id=None,
                                  decided_at=None).execution_options(synchronize_session="fetch"))


async def _my_zone_entry(session: AsyncSession, actor: Actor, standard: Standard, act: str
                         ) -> StandardZone:
    require(actor, "standard", act, object_id=standard.id)
    entry = await session.scalar(select(StandardZone).where(
        StandardZone.standard_id == standard.id, StandardZone.zone_id == actor.zone_id))
    if entry is None:
        raise PermissionDenied("your zone does not take part in this standard",
                               "您所在的试验区未参与该标准", action=f"standard.{act}",
                               object_type="standard", object_id=str(standard.id))
    if standard.state != "approval":
        raise Conflict(f"the standard is not awaiting approval (it is {standard.state})",
                       f"该标准当前不在联合批准阶段（{rules.STATE_NAMES[standard.state][0]}）")
    if entry.decision != "pending":
        raise Conflict("your zone has already decided", "本试验区已作出决定")
    return entry


async def sign(session: AsyncSession, actor: Actor, *, standard_id: int) -> Standard:
    """The director of a participating zone signs for that zone."""
    standard = await get_standard(session, standard_id)
    entry = await _my_zone_entry(session, actor, standard, "sign")
    entry.decision, entry.decided_by_id, entry.decided_at = "signed", actor.user_id, utcnow()
    await session.flush()
    await record(session, actor, action="standard.sign", object_type="standard",
                 object_id=standard_id, after={"zone": actor.zone_slug})
    return standard


async def refuse(session: AsyncSession, actor: Actor, *, standard_id: int, reason: str) -> Standard:
    """A refusal (with its reason) sends the standard back to drafting; signatures restart."""
    standard = await get_standard(session, standard_id)
    await _my_zone_entry(session, actor, standard, "sign")
    raise_if_invalid([] if (reason or "").strip() else [FieldError(
        "reason", "required", "say why the zone refuses", "请说明拒绝理由")])
    await reset_signatures(session, standard_id)
    return await transition(session, actor, standard, "refuse",
                            reason=f"{actor.zone_slug}: {reason.strip()}")


async def missing_signatures(session: AsyncSession, standard_id: int) -> list[str]:
    rows = await session.execute(select(Zone.slug).join(StandardZone, StandardZone.zone_id == Zone.id)
                                 .where(StandardZone.standard_id == standard_id,
                                        StandardZone.decision != "signed").order_by(Zone.slug))
    return list(rows.scalars().all())


async def _next_number(session: AsyncSession, kind: str) -> int:
    """The next number of ``kind``: the UPDATE's row lock serialises racing publications,
    and a rollback gives the number back, so there are no gaps and no duplicates."""
    stmt = (update(NumberSequence).where(NumberSequence.kind == kind)
            .values(last_value=NumberSequence.last_value + 1).returning(NumberSequence.last_value)
            .execution_options(synchronize_session=False))
    return (await session.execute(stmt)).scalar_one()


async def publish(session: AsyncSession, actor: Actor, *, standard_id: int,
                  release_date: dt.date, implementation_date: dt.date) -> Standard:
    standard = await get_standard(session, standard_id)
    require_lead_zone(actor, standard, "publish")
    if implementation_date < release_date:
        raise_if_invalid([FieldError("implementationDate", "before_release",
                                     "implementation cannot come before release",
                                     "实施日期不能早于发布日期")])
    if standard.state != "approval":
        raise Conflict(f"only an approved standard is published (it is {standard.state})",
                       f"只有通过联合批准的标准才能发布（当前为{rules.STATE_NAMES[standard.state][0]}）")
    missing = await missing_signatures(session, standard_id)
    if missing:
        error = Conflict(f"release needs every signature; missing: {', '.join(missing)}",
                         f"发布需全部试验区签署；尚缺：{'、'.join(missing)}")
        error.code = "missing_signatures"
        raise error
    texts = await versions(session, standard_id)
    if not texts:
        raise Conflict("there is no text to publish", "没有可发布的文本")
    previous = await session.get(Standard, standard.revision_of_id) if standard.revision_of_id else None
    # A revision keeps the number of the standard it replaces, with the new year.
    standard.number = previous.number if previous else await _next_number(session, standard.kind)
    standard.year = release_date.year
    standard.release_date, standard.implementation_date = release_date, implementation_date
    standard.final_version_id = texts[-1].id
    await transition(session, actor, standard, "publish",
                     extra={"designations": await designations(session, standard)})
    if previous is not None:
        await transition(session, actor, previous, "supersede",
                         reason=f"replaced by version {standard.version_no}")
    return standard


async def designations(session: AsyncSession, standard: Standard) -> list[str]:
    """DB36/T 1234—2026, DB52/T 1234—2026, … (lead zone first) or T/NTSIBJGE 001—2026."""
    if standard.number is None:
        return []
    if standard.kind == "group":
        return [rules.designation("group", standard.number, standard.year)]
    rows = await session.execute(select(Zone.standard_code).join(
        StandardZone, StandardZone.zone_id == Zone.id).where(StandardZone.standard_id == standard.id)
        .order_by(StandardZone.is_lead.desc(), Zone.slug))
    return [rules.designation("joint_local", standard.number, standard.year, code)
            for code in rows.scalars()]


async def review_published(session: AsyncSession, actor: Actor, *, standard_id: int, outcome: str,
                           reason: str | None = None) -> Standard:
    """复审: confirm it, withdraw it, or start a revision (a new version keeping the history).

    Returns the standard acted on: the new revision for ``revise``.
    """
    standard = await get_standard(session, standard_id)
    require_lead_zone(actor, standard, "manage")
    if outcome not in ("confirm", "revise", "withdraw"):
        raise_if_invalid([FieldError("outcome", "choice", "outcome is confirm, revise or withdraw",
                                     "复审结论应为确认、修订或废止")])
    if outcome != "confirm" and not (reason or "").strip():
        raise_if_invalid([FieldError("reason", "required", "say why", "请说明理由")])
    if outcome != "revise":
        return await transition(session, actor, standard, outcome, reason=(reason or "").strip() or None)
    if standard.state != "published":
        raise Conflict("only a published standard is revised", "只有已发布的标准可以修订")
    if await session.scalar(select(Standard.id).where(Standard.revision_of_id == standard.id)):
        raise Conflict("a revision of this standard is already under way", "该标准的修订已在进行中")
    revision = Standard(project_id=standard.project_id, kind=standard.kind,
                        title_zh=standard.title_zh, title_en=standard.title_en, scope=standard.scope,
                        lead_zone_id=standard.lead_zone_id, state="drafting",
                        version_no=standard.version_no + 1, revision_of_id=standard.id,
                        created_by_id=actor.user_id)
    session.add(revision)
    await session.flush()
    for entry in await zones_of(session, standard.id):
        session.add(StandardZone(standard_id=revision.id, zone_id=entry.zone_id, is_lead=entry.is_lead))
    final = await session.get(StandardVersion, standard.final_version_id)
    session.add(StandardVersion(standard_id=revision.id, number=1, text=final.text if final else "",
                                change_note=f"revision of version {standard.version_no}: {reason.strip()}",
                                author_id=actor.user_id))
    await session.flush()
    await record(session, actor, action="standard.revise", object_type="standard",
                 object_id=standard.id, after={"revisionId": revision.id, "reason": reason.strip()})
    return revision
