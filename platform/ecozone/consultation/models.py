"""Consultations (征求意见), their comments, and the base's own documents under consultation.

A consultation is shared between zones: whoever may see its subject sees it and its
comments, whatever zone they act in; the author of a comment always sees that comment (and
its consultation). ``zone_id`` names the zone running it (whose period and staff apply), not
an owner that hides it; visibility comes from the subject's adapter.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (ForeignKey, Index, String, Text, UniqueConstraint, and_, exists, false, or_,
                        select, true)
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.consultation.subjects import registered
from ecozone.db.base import Base, Timestamped, ViewerScoped, utcnow


class Consultation(ViewerScoped, Timestamped, Base):
    __tablename__ = "consultations"
    __table_args__ = (Index("ix_consultations_zone_id_state", "zone_id", "state"),
                      Index("ix_consultations_subject_type_subject_id", "subject_type", "subject_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(32))  # standard | document | …
    subject_id: Mapped[int]
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    days: Mapped[int]
    # Comments are accepted up to and including this date (China time).
    deadline: Mapped[dt.date]
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    closed_at: Mapped[dt.datetime | None]
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The last 序号 given: bumped with UPDATE … RETURNING, whose row lock serialises posters.
    last_seq: Mapped[int] = mapped_column(default=0)

    @classmethod
    def visible_to(cls, scope):
        """Each subject type's adapter says which of its consultations the viewer sees; and
        whoever commented on a consultation keeps seeing it (with their own comments only,
        Comment.visible_to), e.g. to read the handling decision after the stage moved on."""
        if scope.bypass:
            return true()
        clauses = [_subject_seen(scope, cls)]
        if scope.user_id is not None:
            clauses.append(cls.id.in_(_commented_by(scope.user_id)))
        return or_(*clauses)


def _subject_seen(scope, consultation):
    """Whether the viewer may see the consultation's subject, as its adapter says
    (``consultation``: the Consultation class or the columns of an alias of its table)."""
    clauses = [and_(consultation.subject_type == subject_type,
                    adapter.visible_to(scope, consultation.subject_id))
               for subject_type, adapter in registered()]
    return or_(*clauses) if clauses else false()


def _commented_by(user_id: int):
    """Consultations ``user_id`` commented on (index on the comments' author_id); over an alias
    of the plain table, so the comments' own criteria do not nest into this one."""
    comments = Comment.__table__.alias("own_comment")
    return select(comments.c.consultation_id).where(comments.c.author_id == user_id)


class Comment(ViewerScoped, Timestamped, Base):
    """One comment (一条意见) of the comment summary table."""

    __tablename__ = "consultation_comments"
    __table_args__ = (UniqueConstraint("consultation_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"))
    seq: Mapped[int]  # 序号, 1, 2, 3 … per consultation
    clause: Mapped[str] = mapped_column(String(50))  # 章条编号
    text: Mapped[str] = mapped_column(Text)  # 意见内容
    proposed_change: Mapped[str | None] = mapped_column(Text)
    proposer_unit: Mapped[str] = mapped_column(String(200))  # 提出单位
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    decision: Mapped[str | None] = mapped_column(String(16))  # adopted | partly_adopted | not_adopted
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]
    withdrawn_at: Mapped[dt.datetime | None]

    @classmethod
    def visible_to(cls, scope):
        """A comment is seen by whoever may see its consultation's subject (a standard: while
        public, or its people), and by its author. Not by someone who merely commented on the
        same consultation (they see the consultation, Consultation.visible_to)."""
        if scope.bypass:
            return true()
        consultation = Consultation.__table__.alias("seen_consultation")
        clauses = [exists().where(consultation.c.id == cls.consultation_id,
                                  _subject_seen(scope, consultation.c))]
        if scope.user_id is not None:
            clauses.append(cls.author_id == scope.user_id)
        return or_(*clauses)


class ConsultedDocument(Timestamped, Base):
    """A document of the base put out for comments (e.g. draft Measures); public to read."""

    __tablename__ = "consulted_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), index=True)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(300))
    articles: Mapped[str] = mapped_column(Text)
    # Only invited council member units may comment (governance.models.DocumentInvitation).
    invitation_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
