"""Technical review (stage 40): a panel of verified experts, recusal, a ballot, the tally."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.base import utcnow
from ecozone.errors import Conflict, FieldError, NotFound, PermissionDenied, raise_if_invalid
from ecozone.experts.models import ConflictDeclaration, ExpertProfile
from ecozone.projects.models import Project
from ecozone.projects.service import working_group
from ecozone.standards import rules
from ecozone.standards.models import Ballot, PanelMember, Standard, Vote
from ecozone.standards.release import reset_signatures
from ecozone.standards.service import get_standard, require_lead_zone, transition
from ecozone.tenancy.models import Zone


async def recusals(session: AsyncSession, standard: Standard, expert: ExpertProfile
                   ) -> list[rules.Recusal]:
    project = await session.get(Project, standard.project_id)
    group = await working_group(session, standard.project_id)
    declared = (await session.scalars(select(ConflictDeclaration.unit_name).where(
        ConflictDeclaration.expert_id == expert.id,
        ConflictDeclaration.withdrawn_at.is_(None)))).all()
    return rules.conflicts(
        expert_user_id=expert.user_id, expert_organisation=expert.organisation,
        declared_units=declared,
        drafting_user_ids=[m.user_id for m in group if m.user_id is not None],
        lead_unit=project.lead_unit if project else None)


def _recusal_error(expert: ExpertProfile, found: list[rules.Recusal]) -> Conflict:
    error = Conflict(f"{expert.name_pinyin} cannot review this standard: "
                     + "; ".join(r.reason_en for r in found),
                     f"{expert.name_zh}须回避本标准的技术审查：" + "；".join(r.reason_zh for r in found))
    error.code = "conflict_of_interest"
    return error


async def add_panel_member(session: AsyncSession, actor: Actor, *, standard_id: int,
                           expert_id: int) -> PanelMember:
    standard = await get_standard(session, standard_id)
    require_lead_zone(actor, standard, "manage")
    if standard.state not in ("consultation", "review"):
        raise Conflict("the panel is formed during consultation or review",
                       "审查专家组在征求意见或技术审查阶段组建")
    expert = await session.get(ExpertProfile, expert_id)
    if expert is None:
        raise NotFound(f"expert {expert_id} not found", f"专家 {expert_id} 不存在")
    if expert.state != "verified":
        raise Conflict("only verified experts of the registry can review",
                       "只有已审核的专家库专家可以参加审查")
    found = await recusals(session, standard, expert)
    if found:
        raise _recusal_error(expert, found)
    if await session.scalar(select(PanelMember.id).where(PanelMember.standard_id == standard_id,
                                                         PanelMember.expert_id == expert_id)):
        raise Conflict("the expert is already on the panel", "该专家已在审查组中")
    if await _open_ballot(session, standard_id):
        raise Conflict("the panel cannot change while a ballot is open", "投票进行中，不能调整审查组")
    member = PanelMember(standard_id=standard_id, expert_id=expert_id, added_by_id=actor.user_id)
    session.add(member)
    await session.flush()
    await record(session, actor, action="standard.add_panel_member", object_type="standard",
                 object_id=standard_id, after={"expertId": expert_id})
    return member


async def remove_panel_member(session: AsyncSession, actor: Actor, *, standard_id: int,
                              expert_id: int) -> PanelMember:
    standard = await get_standard(session, standard_id)
    require_lead_zone(actor, standard, "manage")
    member = await session.scalar(select(PanelMember).where(
        PanelMember.standard_id == standard_id, PanelMember.expert_id == expert_id))
    if member is None:
        raise NotFound("the expert is not on the panel", "该专家不在审查组中")
    if await _open_ballot(session, standard_id):
        raise Conflict("the panel cannot change while a ballot is open", "投票进行中，不能调整审查组")
    await session.delete(member)
    await session.flush()
    await record(session, actor, action="standard.remove_panel_member", object_type="standard",
                 object_id=standard_id, before={"expertId": expert_id})
    return member


async def panel(session: AsyncSession, standard_id: int) -> list[PanelMember]:
    return list((await session.scalars(select(PanelMember).where(
        PanelMember.standard_id == standard_id).order_by(PanelMember.id))).all())


async def _open_ballot(session: AsyncSession, standard_id: int) -> Ballot | None:
    return await session.scalar(select(Ballot).where(Ballot.standard_id == standard_id,
                                                     Ballot.state == "open"))


async def open_ballot(session: AsyncSession, actor: Actor, *, standard_id: int) -> Ballot:
    standard = await get_standard(session, standard_id)
    require_lead_zone(actor, standard, "manage")
    if standard.state != "review":
        raise Conflict("a ballot opens in technical review, after the consultation closed",
                       "征求意见结束、进入技术审查后才能开始投票")
    if await _open_ballot(session, standard_id):
        raise Conflict("a ballot is already open", "投票已在进行中")
    size = len(await panel(session, standard_id))
    if size < 3:
        raise Conflict(f"a review panel needs at least 3 experts (has {size})",
                       f"审查组至少需要 3 名专家（现有 {size} 名）")
    lead = await session.get(Zone, standard.lead_zone_id)
    turnout, approval = lead.settings["review"]["turnout"], lead.settings["review"]["approval"]
    rounds = await session.scalar(select(func.count()).select_from(Ballot).where(
        Ballot.standard_id == standard_id)) or 0
    ballot = Ballot(standard_id=standard_id, round=rounds + 1, state="open", panel_size=size,
                    turnout_num=turnout[0], turnout_den=turnout[1], approval_num=approval[0],
                    approval_den=approval[1])
    session.add(ballot)
    await session.flush()
    await record(session, actor, action="standard.open_ballot", object_type="standard",
                 object_id=standard_id, after={"round": ballot.round, "panelSize": size})
    return ballot


async def cast_vote(session: AsyncSession, actor: Actor, *, standard_id: int, choice: str,
                    comment: str | None = None) -> Vote:
    """An expert on the panel votes, or changes the vote while the ballot is open."""
    require(actor, "standard", "vote", object_id=standard_id)
    standard = await get_standard(session, standard_id)
    errors = []
    if choice not in rules.VOTE_CHOICES:
        errors.append(FieldError("choice", "choice", f"choice is one of {', '.join(rules.VOTE_CHOICES)}",
                                 "请选择赞成、附意见赞成、反对或弃权"))
    if choice == "no" and not (comment or "").strip():
        errors.append(FieldError("comment", "required", "a no vote needs its reason",
                                 "投反对票须说明理由"))
    if comment is not None and len(comment) > 5000:
        errors.append(FieldError("comment", "too_long", "at most 5000 characters", "最多 5000 个字符"))
    raise_if_invalid(errors)
    expert = await session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == actor.user_id))
    on_panel = expert is not None and await session.scalar(select(PanelMember.id).where(
        PanelMember.standard_id == standard_id, PanelMember.expert_id == expert.id))
    if not on_panel:
        raise PermissionDenied("only the experts of the review panel vote",
                               "只有审查组专家可以投票", action="standard.vote",
                               object_type="standard", object_id=str(standard_id))
    found = await recusals(session, standard, expert)
    if found:  # a conflict declared after joining the panel still bars the vote
        raise _recusal_error(expert, found)
    ballot = await _open_ballot(session, standard_id)
    if ballot is None:
        raise Conflict("the ballot is closed", "投票已结束")
    vote = await session.scalar(select(Vote).where(Vote.ballot_id == ballot.id,
                                                   Vote.expert_id == expert.id))
    before = {"choice": vote.choice} if vote else None
    if vote is None:
        vote = Vote(ballot_id=ballot.id, expert_id=expert.id, choice=choice)
        session.add(vote)
    vote.choice, vote.comment, vote.updated_at = choice, (comment or "").strip() or None, utcnow()
    await session.flush()
    await record(session, actor, action="standard.vote", object_type="standard",
                 object_id=standard_id, before=before, after={"round": ballot.round, "choice": choice})
    return vote


async def ballot_tally(session: AsyncSession, ballot: Ballot) -> rules.Tally:
    choices = (await session.scalars(select(Vote.choice).where(Vote.ballot_id == ballot.id))).all()
    return rules.tally(ballot.panel_size, choices,
                       turnout=(ballot.turnout_num, ballot.turnout_den),
                       approval=(ballot.approval_num, ballot.approval_den))


async def close_ballot(session: AsyncSession, actor: Actor, *, standard_id: int) -> Ballot:
    """Count: passed → joint approval; failed → back to drafting."""
    standard = await get_standard(session, standard_id)
    require_lead_zone(actor, standard, "manage")
    ballot = await _open_ballot(session, standard_id)
    if ballot is None:
        raise Conflict("no ballot is open", "没有进行中的投票")
    result = await ballot_tally(session, ballot)
    ballot.state, ballot.closed_at = ("passed" if result.passed else "failed"), utcnow()
    summary = (f"round {ballot.round}: {result.yes} yes, {result.no} no, {result.abstain} abstain "
               f"of {result.panel_size}")
    if result.passed:
        await reset_signatures(session, standard_id)
    await transition(session, actor, standard, "pass_review" if result.passed else "fail_review",
                     reason=summary, extra={"round": ballot.round, "yes": result.yes,
                                            "cast": result.cast, "panel": result.panel_size})
    return ballot
