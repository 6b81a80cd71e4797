"""The council motion a plan or a report is put to, and the check that it passed.

A document is put to one motion of a **general meeting** (章程 第十八条(二)(四)) before the vote
(submission links them: the motion is about this document and no other), and adopted only
once that motion passed. The motions are the council's (``governance``), read here through the
data layer, so a motion of another zone is simply not found.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.annual.rules import GENERAL_MEETING_ARTICLE
from ecozone.errors import Conflict, NotFound
from ecozone.governance.models import Meeting, Motion
from ecozone.governance.rules import MOTION_MACHINE, CharterRefusal


async def motion_and_meeting(session: AsyncSession, motion_id: int) -> tuple[Motion, Meeting]:
    motion = await session.scalar(select(Motion).where(Motion.id == motion_id))
    if motion is None:
        raise NotFound(f"motionId: motion {motion_id} not found in this zone",
                       f"motionId：本试验区没有议案 {motion_id}")
    meeting = await session.scalar(select(Meeting).where(Meeting.id == motion.meeting_id))
    return motion, meeting


async def motion_to_submit_to(session: AsyncSession, motion_id: int) -> Motion:
    """A motion of a general meeting of the acting zone, not yet counted, not taken by another
    plan or report."""
    from ecozone.annual.models import AnnualPlan, AnnualReport
    motion, meeting = await motion_and_meeting(session, motion_id)
    if meeting.kind != "general":
        raise CharterRefusal(
            f"motion {motion_id} belongs to an ad hoc meeting: the work plan and the annual reports go "
            "to the general meeting",
            f"议案 {motion_id} 属于临时会议：工作计划和年度报告须提交理事大会（全体会议）",
            article_zh=GENERAL_MEETING_ARTICLE[0], article_en=GENERAL_MEETING_ARTICLE[1])
    if motion.state not in ("proposed", "voting"):
        raise Conflict(f"motion {motion_id} has already been counted ({motion.state}): put the document "
                       "to a motion before the vote",
                       f"议案 {motion_id} 已计票（{MOTION_MACHINE.state_names_zh[motion.state]}）："
                       "须在表决前将文件提交议案")
    taken = await session.scalar(select(AnnualPlan.id).where(AnnualPlan.motion_id == motion_id)) or \
        await session.scalar(select(AnnualReport.id).where(AnnualReport.motion_id == motion_id))
    if taken is not None:
        raise Conflict(f"motion {motion_id} is already about another plan or report: one motion, one document",
                       f"议案 {motion_id} 已用于审议其他计划或报告：一项议案只审议一份文件")
    return motion


async def passed(session: AsyncSession, motion_id: int) -> Motion:
    """The document's motion, which must have passed."""
    motion, _meeting = await motion_and_meeting(session, motion_id)
    if motion.state != "passed":
        raise Conflict(f"motion {motion_id} has not passed (it is {motion.state}): only a passed motion of "
                       "the general meeting adopts the document",
                       f"议案 {motion_id} 未获通过（当前：{MOTION_MACHINE.state_names_zh[motion.state]}），"
                       "只有理事大会通过的议案才能确认通过该文件")
    return motion
