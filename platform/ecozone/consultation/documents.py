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
from ecozone.errors import FieldError, NotFound, raise_if_invalid

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
        return actor.signed_in

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


async def open_document_consultation(session: AsyncSession, actor: Actor, *, title_zh: str,
                                     title_en: str, articles: str, days: int | None = None,
                                     today: dt.date | None = None) -> Consultation:
    """Publish a document of the base and open its consultation (one transaction)."""
    from ecozone.consultation.service import open_consultation
    require(actor, "consulted_document", "create")
    if days is not None:
        raise_if_invalid(rules.days_errors(days))  # before anything is written
    document = await create_document(session, actor, title_zh=title_zh, title_en=title_en,
                                     articles=articles)
    return await open_consultation(session, actor, subject_type=SUBJECT_TYPE, subject_id=document.id,
                                   zone_id=actor.zone_id, days=days, today=today)
