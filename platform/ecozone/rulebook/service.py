"""The base's rule documents (章程 第三十二条 “修订草案需经理事会全体会议表决通过”; 办法 第十八条(一)):
registered with the text in force when the platform started keeping them, then amended only by a
passed motion of a general (full) meeting after a closed document consultation. Anyone reads them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.consultation.models import Consultation
from ecozone.db.pagination import Page, paginate
from ecozone.errors import Conflict, FieldError, NotFound, raise_if_invalid
from ecozone.governance import clock, units
from ecozone.rulebook import rules
from ecozone.rulebook.models import RuleDocument, RuleVersion
from ecozone.tenancy.models import Zone

DOCUMENT = "rule_document"
FULL_MEETING = (("the base's rules are adopted and amended by a full meeting of the council (Council Charter, "
                 "Article 32)"), "创新基地的制度文件由理事会全体会议表决通过和修订（章程第三十二条）")


def _text(errors: list[FieldError], name: str, value: str | None, limit: int, *, required: bool) -> str | None:
    value = (value or "").strip() or None
    if value is None and required:
        errors.append(FieldError(name, "required", f"{name} is required", f"必须填写 {name}"))
    elif value is not None and len(value) > limit:
        errors.append(FieldError(name, "length", f"{name}: at most {limit} characters", f"{name} 最多 {limit} 个字符"))
    return value


async def _own_document(session: AsyncSession, actor: Actor, document_id: int) -> RuleDocument:
    """A document of the acting zone: another zone's is not found for writing (they are public to read)."""
    document = await session.get(RuleDocument, document_id)
    if document is None or document.zone_id != actor.zone_id:
        raise NotFound(f"rule document {document_id} not found in this zone", f"本试验区没有制度文件 {document_id}")
    return document


def _dated(versions) -> list[rules.Dated]:
    return [rules.Dated(v.number, v.effective_from) for v in versions]


def _snapshot(v: RuleVersion) -> dict[str, Any]:
    return {"documentId": v.document_id, "number": v.number, "adoptedOn": v.adopted_on,
            "effectiveFrom": v.effective_from, "motionId": v.motion_id, "consultationId": v.consultation_id,
            "chars": len(v.text)}


async def register_document(session: AsyncSession, actor: Actor, *, key: str, title_zh: str, title_en: str,
                            text: str, adopted_on: dt.date, effective_from: dt.date) -> RuleDocument:
    """The secretariat records a rule of the zone with the text adopted before the platform kept the record
    (the Charter: 2024-12-30, 第三十二条) as version 1; later versions need the motion and the consultation."""
    require(actor, DOCUMENT, "register")
    errors = rules.key_errors(key)
    values = {"title_zh": _text(errors, "titleZh", title_zh, 200, required=True),
              "title_en": _text(errors, "titleEn", title_en, 300, required=True)}
    body = (text or "").strip()
    errors += rules.version_errors(text=body, effective_from=effective_from, adopted_on=adopted_on, earlier=[])
    if adopted_on > clock.today():
        errors.append(FieldError("adoptedOn", "future", "the adoption date is in the future", "通过日期晚于今天"))
    raise_if_invalid(errors)
    exists = await session.scalar(select(RuleDocument.id).where(RuleDocument.zone_id == actor.zone_id,
                                                                RuleDocument.key == key))
    if exists is not None:
        raise Conflict(f"this zone already has a rule document {key!r}: amend it by a new version",
                       f"本试验区已有制度文件“{key}”，请以新版本修订")
    document = RuleDocument(zone_id=actor.zone_id, key=key, created_by_id=actor.user_id, **values)
    session.add(document)
    await session.flush()
    version = RuleVersion(zone_id=actor.zone_id, document_id=document.id, number=1, text=body, adopted_on=adopted_on,
                          effective_from=effective_from, recorded_by_id=actor.user_id)
    session.add(version)
    await session.flush()
    await record(session, actor, action="rule_document.register", object_type="rule_document",
                 object_id=document.id, after={"key": key, **values, "version": _snapshot(version)})
    return document


async def adopt_version(session: AsyncSession, actor: Actor, *, document_id: int, motion_id: int,
                        consultation_id: int, text: str, effective_from: dt.date, change_note_zh: str | None = None,
                        change_note_en: str | None = None) -> RuleVersion:
    """Record a new version adopted by ``motion_id`` — passed by a general meeting of this zone, used for
    no other version — after ``consultation_id``, a document consultation of this zone closed by the day
    of that meeting (章程 第三十二条)."""
    require(actor, DOCUMENT, "adopt", object_id=document_id)
    document = await _own_document(session, actor, document_id)
    errors: list[FieldError] = []
    notes = {"change_note_zh": _text(errors, "changeNoteZh", change_note_zh, 5000, required=False),
             "change_note_en": _text(errors, "changeNoteEn", change_note_en, 5000, required=False)}
    raise_if_invalid(errors)
    motion, meeting = await units.passed_motion(session, motion_id, general_meeting=True, why=FULL_MEETING)
    used = await session.scalar(select(RuleVersion.id).where(RuleVersion.motion_id == motion.id))
    if used is not None:
        raise Conflict(f"motion {motion_id} already adopted another version: one motion, one version",
                       f"议案 {motion_id} 已用于通过另一版本：一项议案只对应一个版本")
    consultation = await session.scalar(select(Consultation).where(Consultation.id == consultation_id))
    if consultation is None or consultation.subject_type != "document" or consultation.zone_id != actor.zone_id:
        raise NotFound(f"no document consultation {consultation_id} of this zone",
                       f"本试验区没有文件征求意见 {consultation_id}")
    closed_at = consultation.closed_at
    if closed_at is not None and closed_at.tzinfo is None:  # SQLite gives UTC back without its offset
        closed_at = closed_at.replace(tzinfo=dt.UTC)
    closed_on = clock.china_date(closed_at) if closed_at is not None else None
    if consultation.state != "closed" or closed_on is None or closed_on > meeting.meets_on:
        raise Conflict(
            f"the draft is voted after its consultation: consultation {consultation_id} was not closed by the "
            f"meeting of {meeting.meets_on} (Council Charter, Article 32)",
            f"修订草案须在征求意见结束后表决：征求意见 {consultation_id} 在 {meeting.meets_on} 的会议前尚未结束（章程第三十二条）")
    earlier = list((await session.scalars(select(RuleVersion).where(RuleVersion.document_id == document.id))).all())
    body = (text or "").strip()
    raise_if_invalid(rules.version_errors(text=body, effective_from=effective_from, adopted_on=meeting.meets_on,
                                          earlier=_dated(earlier)))
    version = RuleVersion(zone_id=document.zone_id, document_id=document.id, number=len(earlier) + 1, text=body,
                          adopted_on=meeting.meets_on, effective_from=effective_from, motion_id=motion.id,
                          consultation_id=consultation.id, recorded_by_id=actor.user_id, **notes)
    session.add(version)
    try:
        await session.flush()
    except IntegrityError:  # two recorders at once: the same number or the same motion
        raise Conflict("another version was recorded at the same time; reload and try again",
                       "同时有另一版本被登记，请刷新后重试") from None
    await record(session, actor, action="rule_document.adopt", object_type="rule_document", object_id=document.id,
                 after=_snapshot(version))
    return version


# ---------------------------------------------------------------------------- reading (public)

async def _zone_id(session: AsyncSession, slug: str) -> int:
    zone_id = await session.scalar(select(Zone.id).where(Zone.slug == slug))
    if zone_id is None:
        raise_if_invalid([FieldError("zone", "unknown", f"no zone {slug}", f"没有试验区 {slug}")])
    return zone_id


async def documents_page(session: AsyncSession, actor: Actor, *, zone_slug: str | None, first: int,
                         after: str | None, max_page_size: int = 100) -> Page[RuleDocument]:
    require(actor, DOCUMENT, "read")
    stmt: Select = select(RuleDocument)
    if zone_slug:
        stmt = stmt.where(RuleDocument.zone_id == await _zone_id(session, zone_slug))
    return await paginate(session, stmt, order=(RuleDocument.id,), first=first, after=after,
                          max_page_size=max_page_size)


async def version_in_force(session: AsyncSession, actor: Actor, *, zone_slug: str, key: str,
                           on: dt.date | None = None) -> RuleVersion:
    """The version of ``key`` in force in the zone on ``on`` (today in China by default)."""
    require(actor, DOCUMENT, "read")
    day = on or clock.today()
    zone_id = await _zone_id(session, zone_slug)
    version = await session.scalar(
        select(RuleVersion).join(RuleDocument, RuleDocument.id == RuleVersion.document_id)
        .where(RuleDocument.zone_id == zone_id, RuleDocument.key == key, RuleVersion.effective_from <= day)
        .order_by(RuleVersion.effective_from.desc(), RuleVersion.number.desc()).limit(1))
    if version is None:
        raise NotFound(f"no version of {key!r} is in force in {zone_slug} on {day}",
                       f"{zone_slug} 在 {day} 没有施行中的“{key}”")
    return version


async def version_count(session: AsyncSession, document_id: int) -> int:
    return await session.scalar(select(func.count()).select_from(RuleVersion).where(
        RuleVersion.document_id == document_id)) or 0
