"""Member units of a zone's council (章程 第十条, 第十一条, 第十四条): application, admission, head and
representative, exit, and the inactivity flag.

Every write is recorded by the secretariat and audited; decisions of the council are not taken
here, only recorded, and each must point at the passed motion that took it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.auth.models import User
from ecozone.authz.actor import Actor
from ecozone.authz.models import RoleAssignment
from ecozone.authz.service import require
from ecozone.db.pagination import Page, paginate
from ecozone.errors import Conflict, FieldError, NotFound, raise_if_invalid
from ecozone.governance import clock, rules
from ecozone.governance.models import Meeting, MemberUnit, Motion, Officer, UnitDecision
from ecozone.notifications.service import Message, notify

UNIT = "council_unit"

# 第十四条: (一) inactive or performing poorly, (二) abusing membership, (三) unsuitable, or leaving.
EXIT_REASONS: dict[str, tuple[str, str, str, str]] = {
    # code: (zh, en, article zh, article en)
    "inactive": ("不履行成员单位职责，一年内未参加理事会任何活动", "inactive for a year",
                 "章程第十四条(一)", "Council Charter, Article 14(1)"),
    "misconduct": ("利用成员单位身份牟取利益", "used membership for private gain",
                   "章程第十四条(二)", "Council Charter, Article 14(2)"),
    "unsuitable": ("因其他原因不适合作为成员单位", "no longer suitable as a member unit",
                   "章程第十四条(三)", "Council Charter, Article 14(3)"),
    "voluntary": ("主动提出退出", "left of its own accord",
                  "章程第十四条(三)", "Council Charter, Article 14(3)"),
}


def exit_reason_labels(reason: str) -> tuple[str, str]:
    """(zh, en): an exit reason's label with its article, as notifications and the API show it."""
    zh, en, article_zh, article_en = EXIT_REASONS[reason]
    return f"{zh}（{article_zh}）", f"{en} ({article_en})"


def exit_reason_text(reason: str, note: str | None) -> str:
    """An exit decision's stored reason: the code, its English label and article, then the note —
    ``"inactive: inactive for a year (Council Charter, Article 14(1)) — <note>"`` (the form since the
    first exit recorded, so ``split_exit_reason`` reads every row and no column was needed for it)."""
    return f"{reason}: {exit_reason_labels(reason)[1]}" + (f" — {note.strip()}" if note and note.strip() else "")


def split_exit_reason(text: str | None) -> tuple[str, str | None] | None:
    """``(code, note or None)`` of a stored exit reason (``exit_reason_text``); None if it is not one."""
    code = (text or "").partition(":")[0]
    if code not in EXIT_REASONS:
        return None
    prefix = exit_reason_text(code, None)  # a label reworded later leaves the old one in the note, kept
    rest = text[len(prefix):] if text.startswith(prefix) else text[len(code) + 1:]
    note = rest.removeprefix(" — ").strip()
    return code, note or None


# ---------------------------------------------------------------------------- reads


def list_units(*, state: str | None = None) -> Select:
    """The acting zone's member units (the data layer scopes the zone), optionally by state."""
    stmt = select(MemberUnit)
    if state is not None:
        stmt = stmt.where(MemberUnit.state == state)
    return stmt


def _state_errors(state: str | None) -> list[FieldError]:
    if state is None or state in rules.UNIT_STATES:
        return []
    return [FieldError("state", "choice", f"state must be one of {', '.join(rules.UNIT_STATES)}",
                       f"状态必须是以下之一：{'、'.join(rules.UNIT_STATES)}")]


async def units_page(session: AsyncSession, actor: Actor, *, state: str | None, first: int,
                     after: str | None, max_page_size: int = 100) -> Page[MemberUnit]:
    """One page of the zone's member units by Chinese name: for the zone's director, secretary, members."""
    require(actor, UNIT, "read")
    raise_if_invalid(_state_errors(state))
    return await paginate(session, list_units(state=state), order=(MemberUnit.name_zh, MemberUnit.id),
                          first=first, after=after, max_page_size=max_page_size)


async def get_unit(session: AsyncSession, unit_id: int) -> MemberUnit:
    """A member unit of the acting zone; another zone's is not found (zone scoping)."""
    unit = await session.scalar(select(MemberUnit).where(MemberUnit.id == unit_id))
    if unit is None:
        raise NotFound(f"member unit {unit_id} not found in this zone", f"本试验区没有成员单位 {unit_id}")
    return unit


async def read_unit(session: AsyncSession, actor: Actor, unit_id: int) -> MemberUnit:
    require(actor, UNIT, "read", object_id=unit_id)
    return await get_unit(session, unit_id)


async def active_unit_count(session: AsyncSession) -> int:
    """The members of the council (第二十二条, 第二十三条; 办法 第七条): its active units."""
    return await session.scalar(select(func.count()).select_from(MemberUnit).where(
        MemberUnit.state == "active")) or 0


async def represented_unit(session: AsyncSession, user_id: int | None) -> MemberUnit | None:
    """The active unit this user represents in the acting zone (第十一条), if any."""
    if user_id is None:
        return None
    return await session.scalar(select(MemberUnit).where(
        MemberUnit.state == "active", MemberUnit.represented_by(user_id)).order_by(MemberUnit.id).limit(1))


async def record_activity(session: AsyncSession, unit_id: int, on: dt.date) -> None:
    """Note that the unit took part on ``on`` (attendance, vote, agenda item); never moves back."""
    await session.execute(
        update(MemberUnit).where(MemberUnit.id == unit_id,
                                 or_(MemberUnit.last_activity_on.is_(None), MemberUnit.last_activity_on < on))
        .values(last_activity_on=on).execution_options(synchronize_session="fetch"))


# ---------------------------------------------------------------------------- validation


def _text_error(field: str, value: str | None, limit: int, zh_label: str, *, required: bool = True
                ) -> list[FieldError]:
    text = (value or "").strip()
    if not text and not required:
        return []
    if not text or len(text) > limit:
        return [FieldError(field, "length", f"{field} must be 1–{limit} characters",
                           f"{zh_label}须为 1–{limit} 个字符")]
    return []


def _unit_errors(*, name_zh: str, name_en: str, uscc: str, unit_type: str, head_name: str) -> list[FieldError]:
    errors = (_text_error("nameZh", name_zh, 200, "中文名称") + _text_error("nameEn", name_en, 300, "英文名称")
              + rules.uscc_errors(uscc) + _text_error("headName", head_name, 100, "主要负责人姓名"))
    if unit_type not in rules.UNIT_TYPES:
        errors.append(FieldError("unitType", "choice", f"unit type must be one of {', '.join(rules.UNIT_TYPES)}",
                                 "单位类型必须是：" + "、".join(zh for zh, _ in rules.UNIT_TYPE_LABELS.values())))
    return errors


async def _check_user(session: AsyncSession, user_id: int | None, field: str) -> None:
    if user_id is not None and await session.get(User, user_id) is None:
        raise_if_invalid([FieldError(field, "not_found", f"user {user_id} does not exist",
                                     f"用户 {user_id} 不存在")])


async def _refuse_duplicate_uscc(session: AsyncSession, uscc: str, *, reopenable: bool = False
                                 ) -> MemberUnit | None:
    """Refuse a code already on record; with ``reopenable``, return a rejected or exited unit
    with that code instead, for it to apply again."""
    existing = await session.scalar(select(MemberUnit).where(MemberUnit.uscc == uscc))
    if existing is not None and reopenable and existing.state in ("rejected", "exited"):
        return existing
    if existing is not None:
        zh_state = rules.UNIT_MACHINE.state_names_zh[existing.state]
        raise Conflict(f"a unit with the code {uscc} is already on record in this zone "
                       f"({existing.name_en}, {existing.state})",
                       f"本试验区已有统一社会信用代码为 {uscc} 的单位（{existing.name_zh}，{zh_state}）")


def snapshot(unit: MemberUnit) -> dict[str, Any]:
    return {"nameZh": unit.name_zh, "nameEn": unit.name_en, "uscc": unit.uscc, "unitType": unit.unit_type,
            "headName": unit.head_name, "headUserId": unit.head_user_id, "delegateName": unit.delegate_name,
            "delegateUserId": unit.delegate_user_id, "state": unit.state, "joinedOn": unit.joined_on,
            "exitedOn": unit.exited_on}


ADMISSIONS = ("admissions are decided by the general meeting (Council Charter, Article 10)",
              "成员单位的加入须经全体会议研究决定（章程第十条）")


async def passed_motion(session: AsyncSession, motion_id: int, *, general_meeting: bool = False,
                        why: tuple[str, str] = ADMISSIONS) -> tuple[Motion, Meeting]:
    """A passed motion of the acting zone and its meeting; with ``general_meeting``, of a general meeting
    (``why``: the rule asking for one, English and Chinese, named in the refusal)."""
    motion = await session.scalar(select(Motion).where(Motion.id == motion_id))
    if motion is None:
        raise NotFound(f"motion {motion_id} not found in this zone", f"本试验区没有议案 {motion_id}")
    if motion.state != "passed":
        raise Conflict(f"motion {motion_id} has not passed (it is {motion.state}): only a passed motion "
                       "records a decision of the council",
                       f"议案 {motion_id} 未获通过（当前：{rules.MOTION_MACHINE.state_names_zh[motion.state]}），"
                       "只有已通过的议案才能作为理事会的决定")
    meeting = await session.scalar(select(Meeting).where(Meeting.id == motion.meeting_id))
    if general_meeting and meeting.kind != "general":
        raise Conflict(f"motion {motion_id} was passed by an ad hoc meeting; {why[0]}",
                       f"议案 {motion_id} 由临时会议通过；{why[1]}")
    return motion, meeting


async def _zone_secretaries(session: AsyncSession) -> list[int]:
    return list((await session.scalars(select(RoleAssignment.user_id).where(
        RoleAssignment.role == "secretary"))).all())


def _unit_message(unit: MemberUnit, kind: str, en: str, zh: str, body_en: str | None = None,
                  body_zh: str | None = None) -> Message:
    return Message(kind=f"council_unit.{kind}", subject_type="council_member_unit", subject_id=unit.id,
                   title_en=f"{unit.name_en}: {en}", title_zh=f"{unit.name_zh}：{zh}",
                   body_en=body_en, body_zh=body_zh)


# ---------------------------------------------------------------------------- writes


async def apply_for_membership(session: AsyncSession, actor: Actor, *, name_zh: str, name_en: str, uscc: str,
                               unit_type: str, head_name: str, head_user_id: int | None = None) -> MemberUnit:
    """A legal entity applies to the secretariat (第十条); the general meeting decides later."""
    require(actor, UNIT, "apply")
    raise_if_invalid(_unit_errors(name_zh=name_zh, name_en=name_en, uscc=uscc, unit_type=unit_type,
                                  head_name=head_name))
    await _check_user(session, head_user_id, "headUserId")
    code = rules.normalise_uscc(uscc)
    former = await _refuse_duplicate_uscc(session, code, reopenable=True)
    if former is not None:  # turned down or gone before: the same record applies again
        before = snapshot(former)
        unit = former
        unit.state = rules.UNIT_MACHINE.advance(unit.state, "reapply")
        unit.name_zh, unit.name_en, unit.unit_type = name_zh.strip(), name_en.strip(), unit_type
        unit.head_name, unit.head_user_id = head_name.strip(), head_user_id
        unit.delegate_name = unit.delegate_user_id = None
        unit.applied_on, unit.joined_on, unit.exited_on = clock.today(), None, None
        await session.flush()
        await record(session, actor, action="council_unit.reapply", object_type="council_member_unit",
                     object_id=unit.id, before=before, after=snapshot(unit))
    else:
        unit = MemberUnit(name_zh=name_zh.strip(), name_en=name_en.strip(), uscc=code, unit_type=unit_type,
                          head_name=head_name.strip(), head_user_id=head_user_id, state="applicant",
                          applied_on=clock.today(), created_by_id=actor.user_id)
        session.add(unit)
        await session.flush()
        await record(session, actor, action="council_unit.apply", object_type="council_member_unit",
                     object_id=unit.id, after=snapshot(unit))
    await notify(session, actor, await _zone_secretaries(session), _unit_message(
        unit, "applied", "applied for council membership", "申请加入理事会"))
    return unit


async def register_founding_unit(session: AsyncSession, actor: Actor, *, name_zh: str, name_en: str, uscc: str,
                                 unit_type: str, head_name: str, joined_on: dt.date,
                                 head_user_id: int | None = None) -> MemberUnit:
    """The secretariat records a unit that founded the council (第四条): the bootstrap, and the one way
    to an active unit without a decision of the general meeting (there is none before the council)."""
    require(actor, UNIT, "register_founding")
    errors = _unit_errors(name_zh=name_zh, name_en=name_en, uscc=uscc, unit_type=unit_type, head_name=head_name)
    if joined_on > clock.today():
        errors.append(FieldError("joinedOn", "future", "the joining date cannot be in the future",
                                 "加入日期不能晚于今天"))
    raise_if_invalid(errors)
    await _check_user(session, head_user_id, "headUserId")
    code = rules.normalise_uscc(uscc)
    await _refuse_duplicate_uscc(session, code)
    unit = MemberUnit(name_zh=name_zh.strip(), name_en=name_en.strip(), uscc=code, unit_type=unit_type,
                      head_name=head_name.strip(), head_user_id=head_user_id, state="active",
                      applied_on=joined_on, joined_on=joined_on, created_by_id=actor.user_id)
    session.add(unit)
    await session.flush()
    await record(session, actor, action="council_unit.register_founding", object_type="council_member_unit",
                 object_id=unit.id, after=snapshot(unit))
    return unit


async def decide_application(session: AsyncSession, actor: Actor, *, unit_id: int, admit: bool, motion_id: int,
                             reason: str | None = None) -> MemberUnit:
    """Record the general meeting's decision on an application (第十条) with the motion that took it."""
    require(actor, UNIT, "decide", object_id=unit_id)
    raise_if_invalid(_text_error("reason", reason, 2000, "理由", required=False))
    unit = await get_unit(session, unit_id)
    action = "admit" if admit else "reject"
    new_state = rules.UNIT_MACHINE.advance(unit.state, action)
    _motion, meeting = await passed_motion(session, motion_id, general_meeting=True)
    if meeting.meets_on < unit.applied_on:
        raise Conflict(f"the meeting of {meeting.meets_on} was before the application of {unit.applied_on}",
                       f"会议日期 {meeting.meets_on} 早于申请日期 {unit.applied_on}")
    before = snapshot(unit)
    unit.state = new_state
    if admit:
        unit.joined_on = meeting.meets_on
    decision = UnitDecision(member_unit_id=unit.id, decision=action, decided_on=meeting.meets_on,
                            motion_id=motion_id, reason=(reason or "").strip() or None,
                            recorded_by_id=actor.user_id)
    session.add(decision)
    await session.flush()
    await record(session, actor, action=f"council_unit.{action}", object_type="council_member_unit",
                 object_id=unit.id, before=before, after={**snapshot(unit), "motionId": motion_id})
    en, zh = (("admitted to the council", "已获批准成为理事会成员单位") if admit
              else ("application not approved", "加入申请未获批准"))
    await notify(session, actor, [unit.created_by_id, unit.representative_user_id], _unit_message(
        unit, action, en, zh, body_en=decision.reason, body_zh=decision.reason))
    return unit


def _refuse_closed(unit: MemberUnit) -> None:
    if unit.state not in ("applicant", "active"):
        zh = rules.UNIT_MACHINE.state_names_zh[unit.state]
        raise Conflict(f"the unit is {unit.state}: its record is closed",
                       f"该单位{zh}，其记录已不能修改")


async def change_unit_head(session: AsyncSession, actor: Actor, *, unit_id: int, head_name: str,
                           head_user_id: int | None = None) -> MemberUnit:
    """The unit's head changed: the representative follows and any delegation lapses (第十一条)."""
    require(actor, UNIT, "change_head", object_id=unit_id)
    raise_if_invalid(_text_error("headName", head_name, 100, "主要负责人姓名"))
    await _check_user(session, head_user_id, "headUserId")
    unit = await get_unit(session, unit_id)
    _refuse_closed(unit)
    before, previous = snapshot(unit), unit.representative_user_id
    unit.head_name, unit.head_user_id = head_name.strip(), head_user_id
    # 第十一条 “代表也相应自动更替”: a delegation was given by the former head.
    unit.delegate_name = unit.delegate_user_id = None
    await session.flush()
    await record(session, actor, action="council_unit.change_head", object_type="council_member_unit",
                 object_id=unit.id, before=before, after=snapshot(unit))
    await notify(session, actor, [previous, unit.representative_user_id], _unit_message(
        unit, "representative_changed", f"now represented by {unit.head_name}",
        f"代表变更为{unit.head_name}"))
    return unit


async def delegate_representative(session: AsyncSession, actor: Actor, *, unit_id: int,
                                  delegate_name: str | None, delegate_user_id: int | None = None) -> MemberUnit:
    """Record the head's delegation (委托, 第十一条) to another responsible person; None clears it."""
    require(actor, UNIT, "delegate", object_id=unit_id)
    if delegate_name is not None:
        raise_if_invalid(_text_error("delegateName", delegate_name, 100, "受委托人姓名"))
        await _check_user(session, delegate_user_id, "delegateUserId")
    unit = await get_unit(session, unit_id)
    _refuse_closed(unit)
    before, previous = snapshot(unit), unit.representative_user_id
    unit.delegate_name = delegate_name.strip() if delegate_name is not None else None
    unit.delegate_user_id = delegate_user_id if delegate_name is not None else None
    await session.flush()
    await record(session, actor, action="council_unit.delegate", object_type="council_member_unit",
                 object_id=unit.id, before=before, after=snapshot(unit))
    await notify(session, actor, [previous, unit.representative_user_id], _unit_message(
        unit, "representative_changed", f"now represented by {unit.representative_name}",
        f"代表变更为{unit.representative_name}"))
    return unit


async def exit_unit(session: AsyncSession, actor: Actor, *, unit_id: int, reason: str, note: str | None = None,
                    motion_id: int | None = None) -> MemberUnit:
    """Record a unit's exit (第十四条) as a decision. Removal (除名) is the council's (第九条(一)): every
    reason but "voluntary" needs the passed motion; the unit's serving officers leave office that day."""
    require(actor, UNIT, "exit", object_id=unit_id)
    errors = _text_error("note", note, 2000, "说明", required=False)
    if reason not in EXIT_REASONS:
        errors.append(FieldError("reason", "choice", f"reason must be one of {', '.join(EXIT_REASONS)}",
                                 "退出原因必须是：" + "、".join(v[0] for v in EXIT_REASONS.values())))
    elif reason != "voluntary" and motion_id is None:
        errors.append(FieldError("motionId", "required",
                                 "removing a unit needs the passed motion of the council (Council Charter, "
                                 "Article 9(1))", "除名须经理事会决定：请提供已通过的议案（章程第九条(一)）"))
    raise_if_invalid(errors)
    unit = await get_unit(session, unit_id)
    new_state = rules.UNIT_MACHINE.advance(unit.state, "exit")
    decided_on = clock.today()
    if motion_id is not None:
        _motion, meeting = await passed_motion(session, motion_id)
        decided_on = meeting.meets_on
    if unit.joined_on and decided_on < unit.joined_on:
        raise Conflict(f"the decision of {decided_on} is before the unit joined on {unit.joined_on}",
                       f"决定日期 {decided_on} 早于该单位加入日期 {unit.joined_on}")
    label_zh, label_en = exit_reason_labels(reason)
    text = exit_reason_text(reason, note)
    before = snapshot(unit)
    unit.state, unit.exited_on = new_state, decided_on
    session.add(UnitDecision(member_unit_id=unit.id, decision="exit", decided_on=decided_on, motion_id=motion_id,
                             reason=text, recorded_by_id=actor.user_id))
    officers = (await session.scalars(select(Officer).where(Officer.member_unit_id == unit.id,
                                                            Officer.state == "serving"))).all()
    for officer in officers:
        # An officer holds office for a member unit: no unit, no office.
        officer.state, officer.ended_on = "ended", max(decided_on, officer.term_start)
    await session.flush()
    await record(session, actor, action="council_unit.exit", object_type="council_member_unit",
                 object_id=unit.id, before=before,
                 after={**snapshot(unit), "reason": reason, "note": note, "motionId": motion_id,
                        "officersEnded": sorted(o.id for o in officers)})
    await notify(session, actor, [unit.representative_user_id, *(o.user_id for o in officers)], _unit_message(
        unit, "exited", "left the council", "退出理事会", body_en=label_en,
        body_zh=label_zh))
    return unit
