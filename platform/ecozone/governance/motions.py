"""Motions and votes of a council meeting (章程 第二十二条, 第二十三条).

In person, the secretariat records the votes of the units present; in a written or online vote
(only with the chair's approval) each unit's representative casts the unit's own vote. Counting
fixes the counts and the result by ``rules.tally``: an ordinary resolution needs 2/3 or more of
those present, a major matter 2/3 or more of all member units.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.base import utcnow
from ecozone.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    raise_if_invalid,
)
from ecozone.governance import clock, rules, units
from ecozone.governance.meetings import (
    active_units,
    get_meeting,
    present_unit_ids,
    record_activity,
)
from ecozone.governance.models import AgendaItem, CouncilVote, Meeting, Motion

CHOICES = ("yes", "no", "abstain")


async def get_motion(session: AsyncSession, motion_id: int, *, lock: bool = False) -> Motion:
    stmt = select(Motion).where(Motion.id == motion_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    motion = await session.scalar(stmt)
    if motion is None:
        raise NotFound(f"council motion {motion_id} not found", f"理事会议案 {motion_id} 不存在")
    return motion


async def read_motion(session: AsyncSession, actor: Actor, motion_id: int) -> Motion:
    require(actor, "council_meeting", "read", object_id=motion_id)
    return await get_motion(session, motion_id)


def motion_tally(motion: Motion) -> rules.Tally | None:
    """The result of a counted motion, recomputed from its fixed counts (None before counting)."""
    if motion.counted_at is None:
        return None
    return rules.tally(kind=motion.kind, yes=motion.yes_count or 0, no=motion.no_count or 0,
                       abstain=motion.abstain_count or 0, present=motion.present_count or 0,
                       members=motion.members_count or 0)


def _require_meeting_state(meeting: Meeting, states: tuple[str, ...], doing_en: str, doing_zh: str) -> None:
    if meeting.state not in states:
        zh_state = rules.MEETING_MACHINE.state_names_zh[meeting.state]
        raise Conflict(f"cannot {doing_en}: the meeting is {meeting.state}",
                       f"会议{zh_state}，不能{doing_zh}")


def _require_remote_voting_approved(meeting: Meeting) -> None:
    """Written or online votes may be cast or counted only once the chair approved (第二十二条)."""
    errors = rules.voting_mode_errors(meeting.voting_mode, meeting.chair_approved_by_id is not None)
    if errors:
        raise errors[0]


async def propose_motion(session: AsyncSession, actor: Actor, *, meeting_id: int, title_zh: str,
                         title_en: str, kind: str, text: str | None = None,
                         agenda_item_id: int | None = None) -> Motion:
    require(actor, "council_motion", "manage", object_id=meeting_id)
    meeting = await get_meeting(session, meeting_id)
    errors: list[FieldError] = []
    values = {}
    for name, attr, value, limit, required in (("titleZh", "title_zh", title_zh, 200, True),
                                               ("titleEn", "title_en", title_en, 300, True),
                                               ("text", "text", text, 20000, False)):
        value = (value or "").strip() or None
        if value is None and required:
            errors.append(FieldError(name, "required", f"{name} is required", f"必须填写 {name}"))
        elif value is not None and len(value) > limit:
            errors.append(FieldError(name, "length", f"{name}: at most {limit} characters",
                                     f"{name} 最多 {limit} 个字符"))
        values[attr] = value
    if kind not in rules.RESOLUTION_KINDS:
        errors.append(FieldError("kind", "choice", "the kind must be ordinary or major",
                                 "议案类型必须是一般决议或重大事项"))
    if agenda_item_id is not None:
        item = await session.get(AgendaItem, agenda_item_id)
        if item is None or item.meeting_id != meeting.id:
            errors.append(FieldError("agendaItemId", "not_found", "the agenda item is not one of this meeting",
                                     "该议题不属于本次会议"))
    raise_if_invalid(errors)
    _require_meeting_state(meeting, ("called", "in_session"), "propose a motion", "提出议案")
    motion = Motion(meeting_id=meeting.id, agenda_item_id=agenda_item_id, kind=kind, state="proposed",
                    **values)
    session.add(motion)
    await session.flush()
    await record(session, actor, action="council_motion.propose", object_type="council_motion",
                 object_id=motion.id, after={"meetingId": meeting.id, "kind": kind,
                                             "agendaItemId": agenda_item_id, **values})
    return motion


async def start_vote(session: AsyncSession, actor: Actor, *, motion_id: int) -> Motion:
    require(actor, "council_motion", "manage", object_id=motion_id)
    motion = await get_motion(session, motion_id, lock=True)
    meeting = await get_meeting(session, motion.meeting_id)
    _require_meeting_state(meeting, ("in_session",), "start a vote", "开始表决")
    _require_remote_voting_approved(meeting)
    before = motion.state
    motion.state = rules.MOTION_MACHINE.advance(motion.state, "start_vote")
    await session.flush()
    await record(session, actor, action="council_motion.start_vote", object_type="council_motion",
                 object_id=motion.id, before={"state": before}, after={"state": motion.state})
    return motion


async def _voting_motion(session: AsyncSession, motion_id: int) -> tuple[Motion, Meeting]:
    motion = await get_motion(session, motion_id, lock=True)
    meeting = await get_meeting(session, motion.meeting_id)
    if motion.state != "voting":
        raise Conflict(f"the motion is {motion.state}: votes are taken only while it is being voted on",
                       f"议案{rules.MOTION_MACHINE.state_names_zh[motion.state]}，只有表决中才能投票")
    _require_meeting_state(meeting, ("in_session",), "take votes", "投票")
    return motion, meeting


async def _put_vote(session: AsyncSession, actor: Actor, motion: Motion, unit_id: int, choice: str) -> None:
    vote = await session.scalar(select(CouncilVote).where(CouncilVote.motion_id == motion.id,
                                                          CouncilVote.member_unit_id == unit_id))
    if vote is None:
        session.add(CouncilVote(motion_id=motion.id, member_unit_id=unit_id, choice=choice,
                                cast_by_id=actor.user_id))
    else:  # a unit may change its vote while the vote is open
        vote.choice, vote.cast_by_id, vote.cast_at = choice, actor.user_id, utcnow()


@dataclass(frozen=True)
class VoteEntry:
    member_unit_id: int
    choice: str


async def record_votes(session: AsyncSession, actor: Actor, *, motion_id: int,
                       votes: Iterable[VoteEntry]) -> Motion:
    """The secretariat records the votes of units present at the meeting."""
    require(actor, "council_motion", "manage", object_id=motion_id)
    votes = list(votes)
    motion, meeting = await _voting_motion(session, motion_id)
    present = await present_unit_ids(session, meeting.id)
    errors: list[FieldError] = []
    if not votes:
        errors.append(FieldError("votes", "required", "record at least one vote", "请至少登记一票"))
    ids = [v.member_unit_id for v in votes]
    if len(set(ids)) != len(ids):
        errors.append(FieldError("votes", "duplicate", "a unit appears twice", "同一单位登记了两次"))
    for v in votes:
        if v.choice not in CHOICES:
            errors.append(FieldError("votes", "choice", "a vote is yes, no or abstain", "表决意见须为赞成、反对或弃权"))
        if v.member_unit_id not in present:
            errors.append(FieldError(
                "votes", "not_present",
                f"member unit {v.member_unit_id} is not recorded present at this meeting: only units present vote",
                f"成员单位 {v.member_unit_id} 未登记出席本次会议，不能表决"))
    raise_if_invalid(errors)
    for v in votes:
        await _put_vote(session, actor, motion, v.member_unit_id, v.choice)
    await session.flush()
    await record(session, actor, action="council_motion.record_votes", object_type="council_motion",
                 object_id=motion.id, after={"votes": [{"memberUnitId": v.member_unit_id, "choice": v.choice}
                                                       for v in votes]})
    return motion


async def cast_vote(session: AsyncSession, actor: Actor, *, motion_id: int, choice: str) -> Motion:
    """A unit's representative casts the unit's vote in an approved written or online vote."""
    require(actor, "council_motion", "cast_vote", object_id=motion_id)
    unit = await units.represented_unit(session, actor.user_id)
    if unit is None:
        raise PermissionDenied("only the representative of an active member unit casts its vote",
                               "只有在册理事单位的代表可以投票", action="council_motion.cast_vote",
                               object_type="council_motion", object_id=str(motion_id))
    raise_if_invalid([] if choice in CHOICES else [FieldError(
        "choice", "choice", "a vote is yes, no or abstain", "表决意见须为赞成、反对或弃权")])
    motion, meeting = await _voting_motion(session, motion_id)
    if meeting.voting_mode == "in_person":
        raise Conflict("this meeting votes in person: the secretariat records the votes",
                       "本次会议为现场表决，由秘书处登记表决结果")
    _require_remote_voting_approved(meeting)
    await _put_vote(session, actor, motion, unit.id, choice)
    await session.flush()
    await record(session, actor, action="council_motion.cast_vote", object_type="council_motion",
                 object_id=motion.id, after={"memberUnitId": unit.id, "choice": choice})
    return motion


async def count_votes(session: AsyncSession, actor: Actor, *, motion_id: int) -> tuple[Motion, rules.Tally]:
    """Fix the counts and the result. ``present``: units present at the meeting — in a written or
    online vote, also the units that cast a vote (taking part in the vote is attending it)."""
    require(actor, "council_motion", "manage", object_id=motion_id)
    motion, meeting = await _voting_motion(session, motion_id)
    _require_remote_voting_approved(meeting)
    active = {u.id for u in await active_units(session)}
    votes = [v for v in (await session.scalars(select(CouncilVote).where(
        CouncilVote.motion_id == motion.id))).all() if v.member_unit_id in active]
    present = await present_unit_ids(session, meeting.id)
    if meeting.voting_mode != "in_person":
        present |= {v.member_unit_id for v in votes}
    counts = {c: sum(1 for v in votes if v.choice == c) for c in CHOICES}
    members = len(active)
    result = rules.tally(kind=motion.kind, yes=counts["yes"], no=counts["no"], abstain=counts["abstain"],
                         present=len(present), members=members)
    motion.state = rules.counted_motion_state(motion.state, result)
    motion.yes_count, motion.no_count, motion.abstain_count = counts["yes"], counts["no"], counts["abstain"]
    motion.present_count, motion.members_count = len(present), members
    motion.counted_at = utcnow()
    await session.flush()
    await record_activity(session, [v.member_unit_id for v in votes], clock.today())
    await record(session, actor, action="council_motion.count", object_type="council_motion",
                 object_id=motion.id, before={"state": "voting"},
                 after={"state": motion.state, "yes": result.yes, "no": result.no, "abstain": result.abstain,
                        "present": len(present), "members": motion.members_count, "needed": result.needed})
    return motion, result
