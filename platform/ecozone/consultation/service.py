"""Consultation (征求意见) services, shared by standards and the council's documents.

Callers name the subject (``subject_type``, ``subject_id``); the subject's adapter
(``ecozone.consultation.subjects``) says who may open, comment and decide. Services never
commit; every write is audited in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.consultation import rules
from ecozone.consultation.export import SummaryRow, summary_row
from ecozone.consultation.models import Comment, Consultation
from ecozone.consultation.subjects import subject_adapter
from ecozone.db.base import utcnow
from ecozone.errors import Conflict, FieldError, NotFound, PermissionDenied, raise_if_invalid
from ecozone.notifications.service import Message, notify
from ecozone.tenancy.models import Zone

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")  # no daylight saving


def today() -> dt.date:
    """Today in China, where deadlines are set (tests replace this function)."""
    return dt.datetime.now(CHINA).date()


def _today(value: dt.date | None) -> dt.date:
    return value if value is not None else today()


def _denied(act: str, object_id: object, en: str, zh: str) -> PermissionDenied:
    return PermissionDenied(en, zh, action=f"consultation.{act}", object_type="consultation",
                            object_id=str(object_id))


# ---------------------------------------------------------------------------- reading

async def get_consultation(session: AsyncSession, consultation_id: int, *, lock: bool = False
                           ) -> Consultation:
    """A consultation the session's viewer may see; ``lock`` holds its row to the end."""
    stmt = select(Consultation).where(Consultation.id == consultation_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    consultation = await session.scalar(stmt)
    if consultation is None:
        raise NotFound(f"consultation {consultation_id} not found", f"征求意见 {consultation_id} 不存在")
    return consultation


async def get_comment(session: AsyncSession, comment_id: int) -> Comment:
    comment = await session.scalar(select(Comment).where(Comment.id == comment_id))
    if comment is None:
        raise NotFound(f"comment {comment_id} not found", f"意见 {comment_id} 不存在")
    return comment


async def consultation_for(session: AsyncSession, subject_type: str, subject_id: int
                           ) -> Consultation | None:
    """The latest consultation on a subject (open or closed), if the viewer may see it."""
    return await session.scalar(
        select(Consultation).where(Consultation.subject_type == subject_type,
                                   Consultation.subject_id == subject_id)
        .order_by(Consultation.id.desc()).limit(1))


async def undecided_count(session: AsyncSession, consultation_id: int) -> int:
    return await session.scalar(select(func.count()).select_from(Comment).where(
        Comment.consultation_id == consultation_id, Comment.decision.is_(None),
        Comment.withdrawn_at.is_(None))) or 0


def list_consultations(*, subject_type: str | None = None, state: str | None = None) -> Select:
    """Consultations the viewer may see (the data layer filters), for ``paginate``."""
    errors = []
    if state is not None and state not in rules.STATES:
        errors.append(FieldError("state", "choice", f"state must be one of {', '.join(rules.STATES)}",
                                 f"状态必须是以下之一：{', '.join(rules.STATES)}"))
    raise_if_invalid(errors)
    if subject_type is not None:
        subject_adapter(subject_type)  # unknown types are an input error, not an empty list
    stmt = select(Consultation)
    if subject_type is not None:
        stmt = stmt.where(Consultation.subject_type == subject_type)
    if state is not None:
        stmt = stmt.where(Consultation.state == state)
    return stmt


def comments_of(consultation_id: int, *, undecided_only: bool = False) -> Select:
    stmt = select(Comment).where(Comment.consultation_id == consultation_id)
    if undecided_only:
        stmt = stmt.where(Comment.decision.is_(None), Comment.withdrawn_at.is_(None))
    return stmt


def to_summary_row(comment: Comment) -> SummaryRow:
    return summary_row(seq=comment.seq, clause=comment.clause, text=comment.text,
                       proposer_unit=comment.proposer_unit, proposed_change=comment.proposed_change,
                       decision=comment.decision, reason=comment.decision_reason,
                       withdrawn=comment.withdrawn_at is not None)


async def summary_rows(session: AsyncSession, consultation_id: int) -> list[SummaryRow]:
    """The comment summary table (意见汇总表), by 序号; NotFound if the viewer cannot see it."""
    await get_consultation(session, consultation_id)
    comments = await session.scalars(comments_of(consultation_id).order_by(Comment.seq))
    return [to_summary_row(c) for c in comments]


# ---------------------------------------------------------------------------- opening and closing

def _snapshot(c: Consultation) -> dict[str, Any]:
    return {"subjectType": c.subject_type, "subjectId": c.subject_id, "zoneId": c.zone_id,
            "state": c.state, "days": c.days, "deadline": c.deadline.isoformat(),
            "titleZh": c.title_zh}


async def open_consultation(session: AsyncSession, actor: Actor, *, subject_type: str,
                            subject_id: int, zone_id: int, days: int | None = None,
                            today: dt.date | None = None) -> Consultation:
    """Open a consultation run by ``zone_id`` (the acting zone) for its period.

    ``days`` defaults to the zone's ``consultation.days`` setting (30 unless the tenant file
    says otherwise).
    """
    require(actor, "consultation", "open", object_id=f"{subject_type}:{subject_id}")
    adapter = subject_adapter(subject_type)
    if zone_id != actor.zone_id or not await adapter.can_open(session, actor, subject_id):
        raise _denied("open", f"{subject_type}:{subject_id}",
                      "you may not open a consultation on this subject in this zone",
                      "您无权在本试验区就该对象发起征求意见")
    zone = await session.get(Zone, zone_id)
    if days is None:
        days = int(((zone.settings or {}).get("consultation") or {}).get("days", rules.DEFAULT_DAYS))
    raise_if_invalid(rules.days_errors(days))
    running = await session.scalar(select(Consultation.id).where(
        Consultation.subject_type == subject_type, Consultation.subject_id == subject_id,
        Consultation.state == "open"))
    if running is not None:
        raise Conflict("a consultation on this subject is already open",
                       "该对象已有正在进行的征求意见")
    title_zh, title_en = await adapter.title(session, subject_id)
    opened_on = _today(today)
    consultation = Consultation(subject_type=subject_type, subject_id=subject_id, zone_id=zone_id,
                                title_zh=title_zh, title_en=title_en, opened_at=utcnow(),
                                days=days, deadline=rules.deadline_for(opened_on, days),
                                state="open", opened_by_id=actor.user_id, last_seq=0)
    session.add(consultation)
    await session.flush()
    await record(session, actor, action="consultation.open", object_type="consultation",
                 object_id=consultation.id, after=_snapshot(consultation))
    deadline = consultation.deadline.isoformat()
    await notify(session, actor, await adapter.people_to_notify(session, subject_id), Message(
        kind="consultation.opened", subject_type="consultation", subject_id=consultation.id,
        title_en=f"Consultation opened: {title_en}"[:300],
        title_zh=f"开始征求意见：{title_zh}"[:300],
        body_en=f"Comments are accepted until {deadline} inclusive.",
        body_zh=f"意见截止日期：{deadline}（含当日）。"))
    return consultation


async def close_consultation(session: AsyncSession, actor: Actor, *, consultation_id: int
                             ) -> Consultation:
    """Close it once every comment has its handling decision."""
    require(actor, "consultation", "close", object_id=consultation_id)
    consultation = await get_consultation(session, consultation_id, lock=True)
    adapter = subject_adapter(consultation.subject_type)
    if not await adapter.can_open(session, actor, consultation.subject_id):
        raise _denied("close", consultation_id, "only those who run this consultation may close it",
                      "只有本次征求意见的组织方可以结束征求意见")
    comments = list(await session.scalars(comments_of(consultation_id)))
    problems = rules.closing_errors(consultation.state, comments)
    if problems:
        raise problems[0]
    consultation.state = rules.MACHINE.advance(consultation.state, "close")
    consultation.closed_at = utcnow()
    consultation.closed_by_id = actor.user_id
    await session.flush()
    await record(session, actor, action="consultation.close", object_type="consultation",
                 object_id=consultation.id, before={"state": "open"},
                 after={"state": consultation.state, "comments": len(comments)})
    people = await adapter.people_to_notify(session, consultation.subject_id)
    people |= {c.author_id for c in comments}  # commenters learn how theirs was handled
    await notify(session, actor, people, Message(
        kind="consultation.closed", subject_type="consultation", subject_id=consultation.id,
        title_en=f"Consultation closed: {consultation.title_en}"[:300],
        title_zh=f"征求意见结束：{consultation.title_zh}"[:300],
        body_en=f"{len(comments)} comments; the comment summary table is available.",
        body_zh=f"共收到 {len(comments)} 条意见，意见汇总表可供下载。"))
    return consultation


# ---------------------------------------------------------------------------- comments

def _clean(values: dict[str, str | None]) -> dict[str, str | None]:
    return {k: (v.strip() or None) if isinstance(v, str) else v for k, v in values.items()}


def _comment_snapshot(c: Comment) -> dict[str, Any]:
    return {"seq": c.seq, "clause": c.clause, "text": c.text, "proposedChange": c.proposed_change,
            "proposerUnit": c.proposer_unit}


async def _next_seq(session: AsyncSession, consultation: Consultation) -> int | None:
    """Take the next 序号; the row lock of the UPDATE makes concurrent posters wait their turn.

    None when the consultation closed in the meantime.
    """
    stmt = (update(Consultation)
            .where(Consultation.id == consultation.id, Consultation.state == "open")
            .values(last_seq=Consultation.last_seq + 1)
            .returning(Consultation.last_seq)
            .execution_options(synchronize_session=False))
    seq = (await session.execute(stmt)).scalar_one_or_none()
    if seq is not None:
        set_committed_value(consultation, "last_seq", seq)
    return seq


async def post_comment(session: AsyncSession, actor: Actor, *, consultation_id: int, clause: str,
                       text: str, proposer_unit: str, proposed_change: str | None = None,
                       today: dt.date | None = None) -> Comment:
    require(actor, "consultation", "comment", object_id=consultation_id)
    consultation = await get_consultation(session, consultation_id)
    adapter = subject_adapter(consultation.subject_type)
    if not await adapter.can_comment(session, actor, consultation.subject_id):
        raise _denied("comment", consultation_id, "you may not comment in this consultation",
                      "您无权对本次征求意见提出意见")
    closed = rules.comment_window_error(consultation.state, consultation.deadline, _today(today))
    if closed:
        raise closed
    values = {"clause": clause, "text": text, "proposer_unit": proposer_unit,
              "proposed_change": proposed_change}
    raise_if_invalid(rules.comment_errors(values))
    values = _clean(values)
    seq = await _next_seq(session, consultation)
    if seq is None:
        raise rules.comment_window_error("closed", consultation.deadline, _today(today))
    comment = Comment(consultation_id=consultation_id, seq=seq, author_id=actor.user_id, **values)
    session.add(comment)
    await session.flush()
    await record(session, actor, action="consultation.comment", object_type="consultation_comment",
                 object_id=comment.id, after={"consultationId": consultation_id,
                                              **_comment_snapshot(comment)})
    return comment


async def _own_comment(session: AsyncSession, actor: Actor, comment_id: int, act: str
                       ) -> tuple[Comment, Consultation]:
    require(actor, "consultation", "comment", object_id=comment_id)
    comment = await get_comment(session, comment_id)
    if comment.author_id != actor.user_id:
        raise PermissionDenied("only the author may change or withdraw a comment",
                               "只有意见提出人可以修改或撤回该意见", action=f"consultation.{act}",
                               object_type="consultation_comment", object_id=str(comment_id))
    consultation = await get_consultation(session, comment.consultation_id, lock=True)
    if comment.withdrawn_at is not None:
        raise Conflict(f"comment No. {comment.seq} was withdrawn", f"序号 {comment.seq} 的意见已撤回")
    if comment.decision is not None:
        raise Conflict(f"comment No. {comment.seq} already has a handling decision",
                       f"序号 {comment.seq} 的意见已有处理意见，不能再修改或撤回")
    return comment, consultation


async def update_comment(session: AsyncSession, actor: Actor, *, comment_id: int,
                         changes: dict[str, str | None], today: dt.date | None = None) -> Comment:
    """The author edits their comment while comments are accepted (keys as COMMENT_FIELDS)."""
    comment, consultation = await _own_comment(session, actor, comment_id, "update_comment")
    closed = rules.comment_window_error(consultation.state, consultation.deadline, _today(today))
    if closed:
        raise closed
    raise_if_invalid(rules.comment_errors(changes))
    before = _comment_snapshot(comment)
    for key, value in _clean(changes).items():
        setattr(comment, key, value)
    await session.flush()
    after = _comment_snapshot(comment)
    changed = sorted(k for k in after if after[k] != before[k])
    await record(session, actor, action="consultation.update_comment",
                 object_type="consultation_comment", object_id=comment.id,
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return comment


async def withdraw_comment(session: AsyncSession, actor: Actor, *, comment_id: int) -> Comment:
    """The author withdraws an undecided comment while the consultation is open.

    It keeps its 序号 (numbers never move) and needs no decision; the table marks it withdrawn.
    """
    comment, consultation = await _own_comment(session, actor, comment_id, "withdraw_comment")
    if consultation.state != "open":
        raise rules.comment_window_error(consultation.state, consultation.deadline, today())
    comment.withdrawn_at = utcnow()
    await session.flush()
    await record(session, actor, action="consultation.withdraw_comment",
                 object_type="consultation_comment", object_id=comment.id,
                 before={"withdrawnAt": None}, after={"withdrawnAt": comment.withdrawn_at})
    return comment


async def decide_comment(session: AsyncSession, actor: Actor, *, comment_id: int, decision: str,
                         reason: str | None = None) -> Comment:
    """Record (or change, while open) the handling decision of a comment."""
    require(actor, "consultation", "decide", object_id=comment_id)
    comment = await get_comment(session, comment_id)
    consultation = await get_consultation(session, comment.consultation_id, lock=True)
    adapter = subject_adapter(consultation.subject_type)
    if not await adapter.can_decide(session, actor, consultation.subject_id):
        raise _denied("decide", comment_id, "you may not decide on comments of this consultation",
                      "您无权处理本次征求意见的意见")
    if consultation.state != "open":
        raise Conflict("the consultation is closed: its decisions are final",
                       "征求意见已结束，处理意见不能再更改")
    if comment.withdrawn_at is not None:
        raise Conflict(f"comment No. {comment.seq} was withdrawn: it needs no decision",
                       f"序号 {comment.seq} 的意见已撤回，无需处理")
    raise_if_invalid(rules.decision_errors(decision, reason))
    before = {"decision": comment.decision, "reason": comment.decision_reason}
    comment.decision = decision
    comment.decision_reason = (reason or "").strip() or None
    comment.decided_by_id = actor.user_id
    comment.decided_at = utcnow()
    await session.flush()
    await record(session, actor, action="consultation.decide", object_type="consultation_comment",
                 object_id=comment.id, before=before,
                 after={"seq": comment.seq, "decision": decision, "reason": comment.decision_reason})
    return comment
