"""Oversight (章程 第二十四至二十六条): officers' yearly evaluations and third-party evaluations, recorded by
the office and read by it and the zone's supervisors (the supervisory body of 第二十四条)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.pagination import Page, paginate
from ecozone.errors import Conflict, FieldError, NotFound, raise_if_invalid
from ecozone.governance import clock, officers
from ecozone.governance.meetings import get_meeting
from ecozone.oversight import rules
from ecozone.oversight.models import OfficerEvaluation, ThirdPartyEvaluation

OVERSIGHT = "oversight"


def _text(errors: list[FieldError], name: str, value: str | None, limit: int) -> str | None:
    value = (value or "").strip()
    if not value or len(value) > limit:
        errors.append(FieldError(name, "length", f"{name}: 1–{limit} characters", f"{name} 须为 1–{limit} 个字符"))
        return None
    return value


async def evaluate_officer(session: AsyncSession, actor: Actor, *, officer_id: int, year: int, outcome: str,
                           summary: str, evaluated_on: dt.date) -> OfficerEvaluation:
    """Record an officer's yearly performance evaluation and its outcome (第二十五条); once per officer and year."""
    require(actor, OVERSIGHT, "evaluate", object_id=officer_id)
    officer = await officers.get_officer(session, officer_id)
    errors = rules.evaluation_errors(year=year, outcome=outcome, evaluated_on=evaluated_on, today=clock.today(),
                                     term_start=officer.term_start, last_day=officer.ended_on or officer.term_end)
    text = _text(errors, "summary", summary, 10000)
    raise_if_invalid(errors)
    exists = await session.scalar(select(OfficerEvaluation.id).where(OfficerEvaluation.officer_id == officer.id,
                                                                     OfficerEvaluation.year == year))
    if exists is not None:
        raise Conflict(f"{officer.person_name}'s {year} is already evaluated", f"{officer.person_name} {year} 年度已考评")
    evaluation = OfficerEvaluation(officer_id=officer.id, year=year, outcome=outcome, summary=text,
                                   evaluated_on=evaluated_on, recorded_by_id=actor.user_id)
    session.add(evaluation)
    await session.flush()
    await record(session, actor, action="oversight.evaluate", object_type="council_officer_evaluation",
                 object_id=evaluation.id, after={"officerId": officer.id, "year": year, "outcome": outcome,
                                                 "evaluatedOn": evaluated_on})
    return evaluation


async def evaluations_page(session: AsyncSession, actor: Actor, *, year: int | None, first: int, after: str | None,
                           max_page_size: int = 100) -> Page[OfficerEvaluation]:
    require(actor, OVERSIGHT, "read")
    stmt: Select = select(OfficerEvaluation)
    if year is not None:
        stmt = stmt.where(OfficerEvaluation.year == year)
    return await paginate(session, stmt, order=(OfficerEvaluation.year, OfficerEvaluation.id), first=first,
                          after=after, max_page_size=max_page_size)


async def record_third_party(session: AsyncSession, actor: Actor, *, evaluator: str, period_start: dt.date,
                             period_end: dt.date, delivered_on: dt.date, findings: str) -> ThirdPartyEvaluation:
    """Record a third-party evaluation of the base's work and its findings (第二十六条)."""
    require(actor, OVERSIGHT, "evaluate")
    errors = rules.third_party_errors(period_start=period_start, period_end=period_end, delivered_on=delivered_on,
                                      today=clock.today())
    who = _text(errors, "evaluator", evaluator, 200)
    text = _text(errors, "findings", findings, 50000)
    raise_if_invalid(errors)
    evaluation = ThirdPartyEvaluation(evaluator=who, period_start=period_start, period_end=period_end,
                                      delivered_on=delivered_on, findings=text, recorded_by_id=actor.user_id)
    session.add(evaluation)
    await session.flush()
    await record(session, actor, action="oversight.record_third_party", object_type="council_third_party_evaluation",
                 object_id=evaluation.id, after={"evaluator": who, "periodStart": period_start,
                                                 "periodEnd": period_end, "deliveredOn": delivered_on})
    return evaluation


async def report_third_party(session: AsyncSession, actor: Actor, *, evaluation_id: int,
                             meeting_id: int) -> ThirdPartyEvaluation:
    """Record the council meeting where the findings were reported (第二十六条 “在理事会上通报”)."""
    require(actor, OVERSIGHT, "evaluate", object_id=evaluation_id)
    evaluation = await session.scalar(select(ThirdPartyEvaluation).where(ThirdPartyEvaluation.id == evaluation_id))
    if evaluation is None:
        raise NotFound(f"third-party evaluation {evaluation_id} not found", f"第三方评估 {evaluation_id} 不存在")
    if evaluation.reported_at_meeting_id is not None:
        raise Conflict("its findings were already reported to the council", "该评估结果已在理事会上通报")
    meeting = await get_meeting(session, meeting_id)
    raise_if_invalid(rules.report_errors(delivered_on=evaluation.delivered_on, meets_on=meeting.meets_on,
                                         meeting_state=meeting.state))
    evaluation.reported_at_meeting_id = meeting.id
    await session.flush()
    await record(session, actor, action="oversight.report_third_party", object_type="council_third_party_evaluation",
                 object_id=evaluation.id, after={"meetingId": meeting.id, "meetsOn": meeting.meets_on})
    return evaluation


async def third_party_page(session: AsyncSession, actor: Actor, *, first: int, after: str | None,
                           max_page_size: int = 100) -> Page[ThirdPartyEvaluation]:
    require(actor, OVERSIGHT, "read")
    return await paginate(session, select(ThirdPartyEvaluation),
                          order=(ThirdPartyEvaluation.delivered_on, ThirdPartyEvaluation.id), first=first, after=after,
                          max_page_size=max_page_size)
