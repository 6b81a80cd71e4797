"""The expert committee (办法 第九条; 章程 第九条(五)): appointments and dismissals recorded with the
council's passed motion, opinions recorded against a standard or a project the actor can see."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.committee import rules
from ecozone.committee.models import CommitteeMember, CommitteeOpinion
from ecozone.db.pagination import Page, paginate
from ecozone.errors import Conflict, FieldError, NotFound, raise_if_invalid
from ecozone.experts.models import ExpertProfile
from ecozone.governance import clock, units
from ecozone.notifications.service import Message, notify
from ecozone.projects.models import Project
from ecozone.standards.models import Standard

COMMITTEE = "council_committee"
SUBJECT_MODELS = {"standard": Standard, "project": Project}


async def get_member(session: AsyncSession, member_id: int, *, lock: bool = False) -> CommitteeMember:
    stmt = select(CommitteeMember).where(CommitteeMember.id == member_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    member = await session.scalar(stmt)
    if member is None:
        raise NotFound(f"committee member {member_id} not found", f"专家委员会委员 {member_id} 不存在")
    return member


def _snapshot(m: CommitteeMember) -> dict:
    return {"expertId": m.expert_id, "termStart": m.term_start, "termEnd": m.term_end,
            "motionId": m.appointed_by_motion_id, "state": m.state, "dismissedOn": m.dismissed_on,
            "dismissedByMotionId": m.dismissed_by_motion_id}


async def appoint(session: AsyncSession, actor: Actor, *, expert_id: int, motion_id: int, term_start: dt.date,
                  term_end: dt.date) -> CommitteeMember:
    """Record the council's appointment of a verified expert of the registry (第九条(五))."""
    require(actor, COMMITTEE, "appoint")
    expert = await session.scalar(select(ExpertProfile).where(ExpertProfile.id == expert_id))
    if expert is None:
        raise NotFound(f"expert {expert_id} not found", f"专家 {expert_id} 不存在")
    if expert.state != "verified":
        raise Conflict(f"{expert.name_zh} is not a verified expert of the registry ({expert.state}): the committee "
                       "is appointed from verified experts", f"{expert.name_zh}不是专家库中已审核的专家，专家委员会委员须从已审核专家中聘任")
    _motion, meeting = await units.passed_motion(session, motion_id)
    raise_if_invalid(rules.term_errors(term_start=term_start, term_end=term_end, decided_on=meeting.meets_on))
    overlapping = await session.scalar(select(CommitteeMember.id).where(
        CommitteeMember.expert_id == expert.id, CommitteeMember.state == "appointed",
        CommitteeMember.term_end >= term_start, CommitteeMember.term_start <= term_end).limit(1))
    if overlapping is not None:
        raise Conflict(f"{expert.name_zh} is already on the committee for part of this term",
                       f"{expert.name_zh}在该聘期内已是专家委员会委员")
    member = CommitteeMember(expert_id=expert.id, term_start=term_start, term_end=term_end,
                             appointed_by_motion_id=motion_id, state="appointed")
    session.add(member)
    await session.flush()
    await record(session, actor, action="council_committee.appoint", object_type="council_committee_member",
                 object_id=member.id, after=_snapshot(member))
    await notify(session, actor, [expert.user_id], Message(
        kind="council_committee.appointed", subject_type="council_committee_member", subject_id=member.id,
        title_en=f"Appointed to the expert committee from {term_start} to {term_end}",
        title_zh=f"受聘为专家委员会委员，聘期 {term_start} 至 {term_end}"))
    return member


async def dismiss(session: AsyncSession, actor: Actor, *, member_id: int, motion_id: int, dismissed_on: dt.date,
                  reason: str) -> CommitteeMember:
    """Record the council's dismissal (解聘, 第九条(五)); ``dismissed_on`` is the last day on the committee."""
    require(actor, COMMITTEE, "dismiss", object_id=member_id)
    text = (reason or "").strip()
    raise_if_invalid([] if 0 < len(text) <= 2000 else [FieldError(
        "reason", "length", "say why (1–2000 characters)", "请说明解聘原因（1–2000 个字符）")])
    member = await get_member(session, member_id, lock=True)
    if member.state == "dismissed":
        raise Conflict(f"already dismissed on {member.dismissed_on}", f"已于 {member.dismissed_on} 解聘")
    _motion, meeting = await units.passed_motion(session, motion_id)
    if not max(member.term_start, meeting.meets_on) <= dismissed_on <= member.term_end:
        raise_if_invalid([FieldError("dismissedOn", "range", "the last day is within the term and not before the "
                                     f"decision ({meeting.meets_on})", f"解聘日期须在聘期内且不早于决议之日（{meeting.meets_on}）")])
    before = _snapshot(member)
    member.state, member.dismissed_on, member.dismissed_by_motion_id = "dismissed", dismissed_on, motion_id
    member.dismissal_reason = text
    await session.flush()
    await record(session, actor, action="council_committee.dismiss", object_type="council_committee_member",
                 object_id=member.id, before=before, after={**_snapshot(member), "reason": text})
    return member


async def members_page(session: AsyncSession, actor: Actor, *, on: dt.date | None, first: int, after: str | None,
                       max_page_size: int = 100) -> Page[CommitteeMember]:
    """The committee's members (on a day: those serving then), in order of appointment."""
    require(actor, COMMITTEE, "read")
    stmt: Select = select(CommitteeMember)
    if on is not None:
        stmt = stmt.where(CommitteeMember.term_start <= on, CommitteeMember.term_end >= on,
                          (CommitteeMember.state == "appointed") | (CommitteeMember.dismissed_on >= on))
    return await paginate(session, stmt, order=(CommitteeMember.id,), first=first, after=after,
                          max_page_size=max_page_size)


async def record_opinion(session: AsyncSession, actor: Actor, *, subject_type: str, subject_id: int,
                         given_on: dt.date, text: str, member_ids: list[int]) -> CommitteeOpinion:
    """The secretariat records the committee's opinion on a standard or project the actor can see,
    given by members serving on ``given_on``."""
    require(actor, COMMITTEE, "record_opinion")
    errors: list[FieldError] = []
    body = (text or "").strip()
    if not 0 < len(body) <= 20000:
        errors.append(FieldError("text", "length", "the opinion: 1–20000 characters", "意见须为 1–20000 个字符"))
    if given_on > clock.today():
        errors.append(FieldError("givenOn", "future", "the opinion's date is in the future", "意见日期晚于今天"))
    ids = sorted(set(member_ids))
    if not ids:
        errors.append(FieldError("memberIds", "required", "name the members who gave it", "请列出提出意见的委员"))
    raise_if_invalid(errors)
    model = SUBJECT_MODELS[subject_type]
    if await session.scalar(select(model.id).where(model.id == subject_id)) is None:  # visibility applies
        raise NotFound(f"{subject_type} {subject_id} not found", f"{'标准' if subject_type == 'standard' else '项目'} "
                       f"{subject_id} 不存在")
    members = list((await session.scalars(select(CommitteeMember).where(CommitteeMember.id.in_(ids)))).all())
    serving = {m.id for m in members if rules.is_member_on(state=m.state, term_start=m.term_start,
                                                          term_end=m.term_end, dismissed_on=m.dismissed_on, day=given_on)}
    missing = [i for i in ids if i not in serving]
    if missing:
        raise_if_invalid([FieldError("memberIds", "not_member", f"{len(missing)} of them were not on this zone's "
                                     f"committee on {given_on}", f"其中 {len(missing)} 人在 {given_on} 不是本区专家委员会委员")])
    opinion = CommitteeOpinion(subject_type=subject_type, subject_id=subject_id, given_on=given_on, text=body,
                               member_ids=ids, recorded_by_id=actor.user_id)
    session.add(opinion)
    await session.flush()
    await record(session, actor, action="council_committee.record_opinion", object_type="council_committee_opinion",
                 object_id=opinion.id, after={"subjectType": subject_type, "subjectId": subject_id,
                                              "givenOn": given_on, "memberIds": ids})
    return opinion


async def opinions_page(session: AsyncSession, actor: Actor, *, subject_type: str | None, subject_id: int | None,
                        first: int, after: str | None, max_page_size: int = 100) -> Page[CommitteeOpinion]:
    require(actor, COMMITTEE, "read")
    stmt: Select = select(CommitteeOpinion)
    if subject_type is not None:
        stmt = stmt.where(CommitteeOpinion.subject_type == subject_type)
    if subject_id is not None:
        stmt = stmt.where(CommitteeOpinion.subject_id == subject_id)
    return await paginate(session, stmt, order=(CommitteeOpinion.given_on, CommitteeOpinion.id), first=first,
                          after=after, max_page_size=max_page_size)
