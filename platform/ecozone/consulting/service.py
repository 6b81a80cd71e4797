"""Expert consulting: a signed-in enterprise or unit asks the zone it acts in; that zone's office
assigns verified experts of the registry (a conflict of interest refused, as for review panels);
the experts answer; the requester rates the answer once; service figures per zone and year."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import extract, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.consulting import rules
from ecozone.consulting.models import (
    ConsultingAnswer,
    ConsultingAssignment,
    ConsultingRequest,
)
from ecozone.db.base import utcnow
from ecozone.db.pagination import Page, paginate
from ecozone.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    raise_if_invalid,
)
from ecozone.experts.models import ConflictDeclaration, ExpertProfile
from ecozone.experts.rules import PRODUCT_CATEGORIES
from ecozone.notifications.service import Message, notify
from ecozone.tenancy.models import Zone
from ecozone.texts import text

CONSULTING = "consulting"


async def get_request(session: AsyncSession, request_id: int) -> ConsultingRequest:
    row = await session.get(ConsultingRequest, request_id)
    if row is None:
        raise NotFound(f"consulting request {request_id} not found", f"咨询请求 {request_id} 不存在")
    return row


async def ask(session: AsyncSession, actor: Actor, *, requesting_unit: str, field: str, title: str,
              question: str, category: str | None = None, contact: str | None = None) -> ConsultingRequest:
    """A signed-in person asks, for their enterprise or unit, the office of the zone they act in."""
    require(actor, CONSULTING, "ask")
    errors: list[FieldError] = []
    values = dict(requesting_unit=text(errors, "requestingUnit", requesting_unit, 200, required=True),
                  field=text(errors, "field", field, 50, required=True),
                  title=text(errors, "title", title, 200, required=True),
                  question=text(errors, "question", question, 10000, required=True),
                  contact=text(errors, "contact", contact, 200, required=False))
    if category is not None and category not in PRODUCT_CATEGORIES:
        errors.append(FieldError("category", "choice", "unknown product category", "未知的产品类别"))
    raise_if_invalid(errors)
    request = ConsultingRequest(zone_id=actor.zone_id, requester_id=actor.user_id, category=category,
                                state="submitted", **values)
    session.add(request)
    await session.flush()
    await record(session, actor, action="consulting.ask", object_type="consulting_request",
                 object_id=request.id, after={**values, "category": category})
    return request


async def assign_expert(session: AsyncSession, actor: Actor, *, request_id: int, expert_id: int
                        ) -> ConsultingRequest:
    """The hosting zone's office assigns a verified expert with no conflict of interest."""
    require(actor, CONSULTING, "assign", object_id=request_id)
    request = await get_request(session, request_id)
    if request.zone_id != actor.zone_id:
        raise PermissionDenied("only the hosting zone's office assigns experts",
                               "只有受理咨询的试验区办公室可以分派专家", action="consulting.assign",
                               object_type=CONSULTING, object_id=str(request_id))
    expert = await session.get(ExpertProfile, expert_id)
    if expert is None:
        raise NotFound(f"expert {expert_id} not found", f"专家 {expert_id} 不存在")
    if expert.state != "verified":
        raise Conflict("only verified experts of the registry answer consultations",
                       "只有已审核的专家库专家可以提供咨询")
    await _refuse_conflicts(session, request, expert)
    state = rules.REQUEST.advance(request.state, "assign")
    assignment = ConsultingAssignment(request_id=request.id, expert_id=expert.id, assigned_by_id=actor.user_id)
    try:
        async with session.begin_nested():
            session.add(assignment)
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("the expert is already assigned to this request", "该专家已被分派到本咨询") from exc
    request.state = state
    await session.flush()
    await record(session, actor, action="consulting.assign", object_type="consulting_request",
                 object_id=request.id, after={"expertId": expert.id})
    await notify(session, actor, [expert.user_id], Message(
        kind="consulting.assigned", subject_type="consulting_request", subject_id=request.id,
        title_en=f"A consultation for you: {request.title}", title_zh=f"请您答复咨询：{request.title}"))
    return request


async def _refuse_conflicts(session: AsyncSession, request: ConsultingRequest, expert: ExpertProfile) -> None:
    declared = (await session.scalars(select(ConflictDeclaration.unit_name).where(
        ConflictDeclaration.expert_id == expert.id, ConflictDeclaration.withdrawn_at.is_(None)))).all()
    found = rules.assignment_conflicts(expert_user_id=expert.user_id, expert_organisation=expert.organisation,
                                       declared_units=declared, requester_user_id=request.requester_id,
                                       requesting_unit=request.requesting_unit)
    if found:
        error = Conflict(f"{expert.name_pinyin} cannot answer this consultation: " + "; ".join(f[1] for f in found),
                         f"{expert.name_zh}须回避本咨询：" + "；".join(f[2] for f in found))
        error.code = "conflict_of_interest"
        raise error


async def answer(session: AsyncSession, actor: Actor, *, request_id: int, body: str) -> ConsultingAnswer:
    """An assigned expert answers, once; a conflict declared since the assignment still bars them."""
    require(actor, CONSULTING, "answer", object_id=request_id)
    request = await get_request(session, request_id)
    expert = await session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == actor.user_id))
    assigned = expert is not None and await session.scalar(select(ConsultingAssignment.id).where(
        ConsultingAssignment.request_id == request.id, ConsultingAssignment.expert_id == expert.id))
    if not assigned:
        raise PermissionDenied("only an expert assigned to this request answers it",
                               "只有被分派到本咨询的专家可以答复", action="consulting.answer",
                               object_type=CONSULTING, object_id=str(request_id))
    await _refuse_conflicts(session, request, expert)
    errors: list[FieldError] = []
    body_text = text(errors, "body", body, 20000, required=True)
    raise_if_invalid(errors)
    state = rules.REQUEST.advance(request.state, "answer")
    row = ConsultingAnswer(request_id=request.id, expert_id=expert.id, body=body_text)
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("you have already answered this request", "您已答复本咨询") from exc
    request.state = state
    request.answered_at = request.answered_at or row.answered_at
    await session.flush()
    await record(session, actor, action="consulting.answer", object_type="consulting_request",
                 object_id=request.id, after={"answerId": row.id, "expertId": expert.id})
    await notify(session, actor, [request.requester_id], Message(
        kind="consulting.answered", subject_type="consulting_request", subject_id=request.id,
        title_en=f"Your consultation is answered: {request.title}", title_zh=f"您的咨询已获答复：{request.title}"))
    return row


async def rate(session: AsyncSession, actor: Actor, *, request_id: int, rating: int,
               comment: str | None = None) -> ConsultingRequest:
    """The requester rates the answers, 1–5, once."""
    require(actor, CONSULTING, "rate", object_id=request_id)
    request = await get_request(session, request_id)
    if request.requester_id != actor.user_id:
        raise PermissionDenied("only the person who asked rates the answer", "只有提问人可以评价答复",
                               action="consulting.rate", object_type=CONSULTING, object_id=str(request_id))
    errors = rules.rating_errors(rating)
    comment_text = text(errors, "comment", comment, 1000, required=False)
    raise_if_invalid(errors)
    rules.REQUEST.advance(request.state, "rate")
    # Conditional: of two ratings sent at once, only one finds the request still unrated.
    done = (await session.execute(
        update(ConsultingRequest).where(ConsultingRequest.id == request.id, ConsultingRequest.state == "answered")
        .values(state="rated", rating=rating, rating_comment=comment_text, rated_at=utcnow())
        .execution_options(synchronize_session="fetch"))).rowcount
    if not done:
        raise Conflict("the answer has already been rated", "该答复已评价")
    await record(session, actor, action="consulting.rate", object_type="consulting_request",
                 object_id=request.id, after={"rating": rating, "comment": comment_text})
    await session.refresh(request)
    return request


async def list_requests(session: AsyncSession, actor: Actor, *, first: int = 20, after: str | None = None,
                        max_page_size: int = 100) -> Page[ConsultingRequest]:
    """What the viewer may see (ConsultingRequest.visible_to): their own questions, the ones
    assigned to them, and for the staff every request of the zone they act in."""
    if not actor.signed_in:
        raise PermissionDenied("sign in first", "请先登录", action="consulting.ask", object_type=CONSULTING)
    return await paginate(session, select(ConsultingRequest), order=(ConsultingRequest.id,), first=first,
                          after=after, max_page_size=max_page_size)


@dataclass(frozen=True)
class ZoneFigures:
    zone_id: int
    asked: int
    answered: int
    rated: int
    rating_sum: int

    @property
    def average_rating_tenths(self) -> int | None:
        return rules.average_tenths(self.rating_sum, self.rated)


async def statistics(session: AsyncSession, *, year: int) -> list[ZoneFigures]:
    """Per hosting zone, of the requests asked in ``year``: anonymous, numbers only. Counted over
    the table past the viewer's rule (a request is its requester's): no row leaves the query."""
    raise_if_invalid([] if 2000 <= year <= 2100 else [FieldError("year", "range", "year must be 2000–2100",
                                                                 "年份须为 2000–2100")])
    t = ConsultingRequest.__table__
    rows = (await session.execute(
        select(t.c.zone_id, func.count(), func.count(t.c.answered_at), func.count(t.c.rating),
               func.coalesce(func.sum(t.c.rating), 0))
        .where(extract("year", t.c.asked_at) == year).group_by(t.c.zone_id))).all()
    by_zone = {r[0]: r for r in rows}
    zone_ids = (await session.scalars(select(Zone.id).order_by(Zone.slug))).all()
    return [ZoneFigures(zone_id=z, asked=by_zone[z][1], answered=by_zone[z][2], rated=by_zone[z][3],
                        rating_sum=int(by_zone[z][4])) if z in by_zone
            else ZoneFigures(zone_id=z, asked=0, answered=0, rated=0, rating_sum=0) for z in zone_ids]
