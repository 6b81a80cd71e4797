"""The "document" subject: the base's own documents put out for comments (章程, 办法 …).

A secretary publishes the document and opens its consultation in one step; the document
and its consultation are public; any signed-in user, from any zone, may comment; the
running zone's secretaries and directors record the handling decisions and close it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, true
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.models import STAFF_ROLES, RoleAssignment
from ecozone.authz.service import require
from ecozone.consultation import rules
from ecozone.consultation.models import Consultation, ConsultedDocument
from ecozone.consultation.subjects import register_subject
from ecozone.errors import FieldError, NotFound, ValidationFailed, raise_if_invalid
from ecozone.governance.models import DocumentInvitation, MemberUnit
from ecozone.notifications.service import Message, notify

SUBJECT_TYPE = "document"
DOCUMENT_FIELDS = {**{k: (*v, True) for k, v in rules.TITLE_LIMITS.items()},
                   "articles": ("articles", "text of the articles", "条文", rules.MAX_ARTICLES, True)}


class DocumentSubject:
    node_type = "ConsultedDocument"

    def visible_to(self, scope, subject_id):
        return true()  # documents under consultation are public

    async def _document(self, session: AsyncSession, subject_id: int) -> ConsultedDocument | None:
        return await session.get(ConsultedDocument, subject_id)

    async def is_public(self, session: AsyncSession, subject_id: int) -> bool:
        return True

    async def can_open(self, session: AsyncSession, actor: Actor, subject_id: int) -> bool:
        document = await self._document(session, subject_id)
        return document is not None and document.zone_id == actor.zone_id and actor.zone_staff

    async def can_comment(self, session: AsyncSession, actor: Actor, subject_id: int) -> bool:
        document = await self._document(session, subject_id)
        if document is None or not actor.signed_in:
            return False
        if not document.invitation_only:
            return True
        if document.zone_id != actor.zone_id:
            return False
        if actor.zone_staff:
            return True  # the secretariat records comments received by letter
        return await invited_unit_of(session, document.id, actor.user_id) is not None

    async def can_decide(self, session: AsyncSession, actor: Actor, subject_id: int) -> bool:
        return await self.can_open(session, actor, subject_id)

    async def people_to_notify(self, session: AsyncSession, subject_id: int) -> set[int]:
        """The running zone's secretaries and directors, and whoever published the document."""
        document = await self._document(session, subject_id)
        if document is None:
            return set()
        staff = await session.scalars(select(RoleAssignment.user_id).where(
            RoleAssignment.zone_id == document.zone_id, RoleAssignment.role.in_(STAFF_ROLES)))
        return set(staff.all()) | ({document.created_by_id} - {None})

    async def title(self, session: AsyncSession, subject_id: int) -> tuple[str, str]:
        document = await self._document(session, subject_id)
        if document is None:
            raise NotFound(f"document {subject_id} not found", f"文件 {subject_id} 不存在")
        return document.title_zh, document.title_en


register_subject(SUBJECT_TYPE, DocumentSubject())


async def get_document(session: AsyncSession, document_id: int) -> ConsultedDocument:
    document = await session.get(ConsultedDocument, document_id)
    if document is None:
        raise NotFound(f"document {document_id} not found", f"文件 {document_id} 不存在")
    return document


async def create_document(session: AsyncSession, actor: Actor, *, title_zh: str, title_en: str,
                          articles: str) -> ConsultedDocument:
    require(actor, "consulted_document", "create")
    values = {"title_zh": title_zh, "title_en": title_en, "articles": articles}
    errors: list[FieldError] = rules.text_errors(DOCUMENT_FIELDS, values)
    raise_if_invalid(errors)
    document = ConsultedDocument(zone_id=actor.zone_id, title_zh=title_zh.strip(),
                                 title_en=title_en.strip(), articles=articles.strip(),
                                 created_by_id=actor.user_id)
    session.add(document)
    await session.flush()
    await record(session, actor, action="consulted_document.create", object_type="consulted_document",
                 object_id=document.id, after={"titleZh": document.title_zh,
                                               "titleEn": document.title_en,
                                               "articlesLength": len(document.articles)})
    return document


async def invited_unit_of(session: AsyncSession, document_id: int, user_id: int | None
                          ) -> MemberUnit | None:
    """The active invited unit this user represents for this document (章程 第十一条), if any."""
    if user_id is None:
        return None
    return await session.scalar(
        select(MemberUnit).join(DocumentInvitation, DocumentInvitation.member_unit_id == MemberUnit.id)
        .where(DocumentInvitation.document_id == document_id, MemberUnit.state == "active",
               MemberUnit.represented_by(user_id)).limit(1))


async def _invite(session: AsyncSession, actor: Actor, document: ConsultedDocument,
                  unit_ids: list[int]) -> list[MemberUnit]:
    """Invite active member units of the acting zone; unknown or inactive ones are refused."""
    wanted = list(dict.fromkeys(unit_ids))
    found = {u.id: u for u in (await session.scalars(
        select(MemberUnit).where(MemberUnit.id.in_(wanted), MemberUnit.state == "active"))).all()}
    missing = [i for i in wanted if i not in found]
    if not wanted or missing:
        raise ValidationFailed(errors=[FieldError(
            "invitedUnitIds", "unknown_unit",
            "invite at least one active member unit of this zone's council"
            + (f"; not active here: {', '.join(map(str, missing))}" if missing else ""),
            "请至少邀请一家本区理事会的在册成员单位"
            + (f"；以下单位不在册：{'、'.join(map(str, missing))}" if missing else ""))])
    document.invitation_only = True
    session.add_all(DocumentInvitation(zone_id=actor.zone_id, document_id=document.id, member_unit_id=i)
                    for i in wanted)
    await session.flush()
    return [found[i] for i in wanted]


async def open_document_consultation(session: AsyncSession, actor: Actor, *, title_zh: str,
                                     title_en: str, articles: str, days: int | None = None,
                                     invited_unit_ids: list[int] | None = None,
                                     today: dt.date | None = None) -> Consultation:
    """Publish a document of the base and open its consultation (one transaction).

    With ``invited_unit_ids`` only those member units comment (the seed's letter to units);
    without, any signed-in user of any zone may.
    """
    from ecozone.consultation.service import open_consultation
    require(actor, "consulted_document", "create")
    if days is not None:
        raise_if_invalid(rules.days_errors(days))  # before anything is written
    document = await create_document(session, actor, title_zh=title_zh, title_en=title_en,
                                     articles=articles)
    invited = [] if invited_unit_ids is None else await _invite(session, actor, document, invited_unit_ids)
    consultation = await open_consultation(session, actor, subject_type=SUBJECT_TYPE,
                                           subject_id=document.id, zone_id=actor.zone_id, days=days,
                                           today=today)
    if invited:
        await record(session, actor, action="consulted_document.invite", object_type="consulted_document",
                     object_id=document.id, after={"memberUnitIds": [u.id for u in invited]})
        representatives = {u.representative_user_id for u in invited} - {None}
        await notify(session, actor, representatives, Message(
            kind="consultation.invited", subject_type="consultation", subject_id=consultation.id,
            title_zh=f"征求意见：{document.title_zh}", title_en=f"Comments invited: {document.title_en}",
            body_zh=f"请于 {consultation.deadline.isoformat()} 前按条款反馈意见。",
            body_en=f"Please send comments by article by {consultation.deadline.isoformat()}."))
    return consultation
