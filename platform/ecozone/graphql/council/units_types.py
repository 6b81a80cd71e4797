"""GraphQL types of the council's member units and officers (章程 第十条–第十五条)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.governance import officers, rules
from ecozone.governance.models import MemberUnit as UnitModel
from ecozone.governance.models import Officer as OfficerModel
from ecozone.governance.models import UnitDecision as DecisionModel
from ecozone.governance.units import EXIT_REASONS, exit_reason_labels, split_exit_reason
from ecozone.graphql.common import Connection, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.results import (
    EVERY_FAILURE,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    result_union,
)


def _enum(name: str, values: Iterable[str], description: str | None = None):
    return strawberry.enum(Enum(name, {v.upper(): v for v in values}), description=description)


CouncilUnitState = _enum("CouncilUnitState", rules.UNIT_STATES,
                         ("APPLICANT 申请中 → ACTIVE 正式成员 (admitted by the general meeting) → EXITED 已退出; or "
         "REJECTED 未接纳. 理事会成员单位状态。"))
CouncilUnitType = _enum("CouncilUnitType", rules.UNIT_TYPES, "第十条: enterprise 企业 · institution 事业单位 · "
                        "standards_body 标准化研究机构 · industry_organisation 行业标准化技术组织")
CouncilUnitDecisionKind = _enum("CouncilUnitDecisionKind", ("admit", "reject", "exit"), "ADMIT 接纳 · REJECT 不接纳 · EXIT 退出. 决定类型。")
CouncilExitReason = _enum("CouncilExitReason", EXIT_REASONS,
                          ("Why a unit leaves (第十四条): INACTIVE, no council activity for a year (一); MISCONDUCT, "
         "membership used for private gain (二); UNSUITABLE, no longer suitable (三); "
         "VOLUNTARY, left of its own accord (三). 成员单位退出原因（第十四条）：一年内未参加任何活动（一）、利用成员单位身份牟取利益（二）、"
         "因其他原因不适合（三）、主动提出退出（三）。"))
CouncilOffice = _enum("CouncilOffice", rules.OFFICES, "理事长 chair · 副理事长 vice_chair · "
                      "秘书长 secretary_general (章程 第五条) · 创新基地主任 base_director (办法 第七条, 第八条) · "
                      "常任理事 standing_director (第五条)")
CouncilOfficerState = _enum("CouncilOfficerState", officers.OFFICER_STATES,
                            "Where an officer stands today (China's date): ELECT elected, term not begun · SERVING in "
                            "office · ENDED left office. 负责人今日（北京时间）的任职状态：候任（任期未开始）· 在任 · 已离任。")
CouncilTermState = _enum("CouncilTermState", ("elect", "serving", "expiring", "expired", "ended"),
                         ("ELECT 候任 (term not begun) · SERVING 在任 · EXPIRING 即将届满 (within 90 days of the term's "
                          "last day) · EXPIRED 已届满 (past it, not yet re-elected or ended) · ENDED 已离任. 任期状况。"))


@strawberry.type(description=("A recorded decision on a member unit: admission, rejection or exit. 对成员单位的决定记录：接纳、不接"
         "纳或退出。"))
class CouncilUnitDecision(relay.Node):
    id: relay.NodeID[int]
    decision: CouncilUnitDecisionKind = strawberry.field(description="Admit, reject or exit. 接纳、不接纳或退出。")
    decided_on: dt.date = strawberry.field(description="Date of the decision. 决定日期。")
    reason: str | None = strawberry.field(description=(
        "Reason or note as recorded; null if none. For an exit it is in English (code, label, article, note): "
        "show `exitReasonNameZh`/`exitReasonNameEn` and `exitNote` instead. 登记的原因或说明；无则为 null。退出决定的"
        "此字段为英文（代码、原因、条款、说明）：请改用 `exitReasonNameZh`/`exitReasonNameEn` 与 `exitNote` 显示。"))
    recorded_at: dt.datetime = strawberry.field(description="When it was recorded. 登记时间。")
    exit_reason: CouncilExitReason | None = strawberry.field(description=(
        "Why the unit left (第十四条); null unless an exit. 退出原因（第十四条）；非退出决定为 null。"))
    exit_note: str | None = strawberry.field(description=(
        "The note given with an exit, as written; null if none or not an exit. 退出时填写的说明（原文）；无或非退出决定"
        "为 null。"))
    motion_id: strawberry.Private[int | None]

    @strawberry.field(description=("The exit reason in Chinese with its article, e.g. 主动提出退出（章程第十四条(三)）; null "
                                   "unless an exit. 退出原因中文名称及条款；非退出决定为 null。"))
    def exit_reason_name_zh(self) -> str | None:
        return None if self.exit_reason is None else exit_reason_labels(self.exit_reason.value)[0]

    @strawberry.field(description=("The exit reason in English with its article, e.g. left of its own accord (Council "
                                   "Charter, Article 14(3)); null unless an exit. 退出原因英文名称及条款；非退出决定为 null。"))
    def exit_reason_name_en(self) -> str | None:
        return None if self.exit_reason is None else exit_reason_labels(self.exit_reason.value)[1]

    @strawberry.field(description=("Global ID of the passed CouncilMotion that took the decision; null if none "
             "(e.g. a voluntary exit). 作出决定的已通过动议（CouncilMotion）的全局 ID；无则为 null（如自愿退出）。"))
    def motion(self) -> relay.GlobalID | None:
        return relay.GlobalID("CouncilMotion", str(self.motion_id)) if self.motion_id else None

    @classmethod
    def from_model(cls, d: DecisionModel) -> CouncilUnitDecision:
        # the exit's code is the stored reason's first word (units.exit_reason_text), in every row
        code, note = (split_exit_reason(d.reason) if d.decision == "exit" else None) or (None, None)
        return cls(id=d.id, decision=CouncilUnitDecisionKind(d.decision), decided_on=d.decided_on,
                   reason=d.reason, recorded_at=d.recorded_at, motion_id=d.motion_id,
                   exit_reason=CouncilExitReason(code) if code else None, exit_note=note)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        if not info.context.actor.can("council_unit", "read"):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, DecisionModel, list(node_ids))]


@strawberry.type(description=("A member unit of the zone's council (第十条), zone-private: the zone's director, "
         "secretary and members. 本区理事会成员单位（第十条），仅本区可见：主任、秘书和成员。"))
class CouncilMemberUnit(relay.Node):
    id: relay.NodeID[int]
    name_zh: str = strawberry.field(description="The unit's name in Chinese. 单位中文名称。")
    name_en: str = strawberry.field(description="The unit's name in English. 单位英文名称。")
    uscc: str = strawberry.field(description=("Unified social credit code, 18 characters. 统一社会信用代码，18 位。"))
    unit_type: CouncilUnitType = strawberry.field(description="Type of unit. 单位类型。")
    state: CouncilUnitState = strawberry.field(description="Applicant, active, exited or rejected. 申请中、正式成员、已退出或未接纳。")
    head_name: str = strawberry.field(description="The unit's head (主要负责人). 单位主要负责人姓名。")
    delegate_name: str | None = strawberry.field(description=(
             "A person the head delegated, until the head changes; null if none. 负责人委托的人员（负责人变"
             "更时失效）；无则为 null。"))
    representative_name: str = strawberry.field(description=(
             "Who represents the unit: the delegate if any, else the head (第十一条). 单位代表：有受托人时为受"
             "托人，否则为负责人（第十一条）。"))
    applied_on: dt.date = strawberry.field(description="Date of the application. 申请日期。")
    joined_on: dt.date | None = strawberry.field(description="Date admitted; null unless admitted. 入会日期；未入会时为 null。")
    exited_on: dt.date | None = strawberry.field(description="Date of exit; null unless exited. 退出日期；未退出时为 null。")
    last_activity_on: dt.date | None = strawberry.field(
        description=("Latest recorded attendance, vote or agenda item; null if none (see 第十四条(一) on "
             "inactivity). 最近一次出勤、表决或提交议题的日期；无则为 null（长期不参加活动见第十四条(一)）。"))

    @strawberry.field(description="The unit type's name in Chinese, e.g. 企业. 单位类型中文名称，如“企业”。")
    def unit_type_name_zh(self) -> str:
        return rules.UNIT_TYPE_LABELS[self.unit_type.value][0]

    @strawberry.field(description="The unit type's name in English, e.g. Enterprise. 单位类型英文名称。")
    def unit_type_name_en(self) -> str:
        return rules.UNIT_TYPE_LABELS[self.unit_type.value][1]

    @strawberry.field(description=("Admission, rejection and exit decisions, oldest first. 接纳、不接纳和退出决定，按时间先后。"))
    async def decisions(self, info: Info) -> list[CouncilUnitDecision]:
        rows = await info.context.loaders.grouped(DecisionModel, "member_unit_id",
                                                  order=(DecisionModel.member_unit_id, DecisionModel.id)).load(self.id)
        return [CouncilUnitDecision.from_model(d) for d in rows]

    @classmethod
    def from_model(cls, u: UnitModel) -> CouncilMemberUnit:
        return cls(id=u.id, name_zh=u.name_zh, name_en=u.name_en, uscc=u.uscc, unit_type=CouncilUnitType(u.unit_type),
                   state=CouncilUnitState(u.state), head_name=u.head_name, delegate_name=u.delegate_name,
                   representative_name=u.representative_name, applied_on=u.applied_on, joined_on=u.joined_on,
                   exited_on=u.exited_on, last_activity_on=u.last_activity_on)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        """Readers of the zone's council only; another zone's unit is not found (zone scoping)."""
        if not info.context.actor.can("council_unit", "read"):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, UnitModel, list(node_ids))]


@strawberry.type(description="Where a term stands today (China time). 任期当前状况（北京时间）。")
class CouncilTermStatus:
    state: CouncilTermState = strawberry.field(description="Serving, expiring, expired or ended. 在任、即将届满、已届满或已离任。")
    days_left: int | None = strawberry.field(description=(
             "Days left: 0 on the last day, negative once past; null when ended. 剩余天数：最后一天为 0，"
             "届满后为负数；已离任时为 null。"))


@strawberry.type(description=("A council officer for a member unit (第五条), elected for 3 years (第七条). 代表某成员单位的理事会负责人"
         "（第五条），任期三年（第七条）。"))
class CouncilOfficer(relay.Node):
    id: relay.NodeID[int]
    person_name: str = strawberry.field(description="The officer's name. 姓名。")
    office: CouncilOffice = strawberry.field(description="The office. 职务。")
    term_start: dt.date = strawberry.field(description="First day of the term. 任期起始日。")
    term_end: dt.date = strawberry.field(description=("The last day of the three-year term (第七条). 三年任期的最后一天（第七条）。"))
    state: CouncilOfficerState = strawberry.field(description=(
        "Elect, serving or ended, today (China's date): a chair-elect is not the chair before the term begins. "
        "今日（北京时间）为候任、在任或已离任：候任理事长在任期开始前不是理事长。"))
    ended_on: dt.date | None = strawberry.field(description=(
        "Last day in office: ended by a decision, or scheduled by a successor's election; null otherwise. "
        "最后在任日：因决定离任，或因继任者当选而确定；否则为 null。"))
    model: strawberry.Private[OfficerModel]

    @strawberry.field(description="The office's name in Chinese, e.g. 理事长. 职务中文名称，如“理事长”。")
    def office_name_zh(self) -> str:
        return rules.OFFICE_LABELS[self.model.office][0]

    @strawberry.field(description="The office's name in English, e.g. Chair. 职务英文名称。")
    def office_name_en(self) -> str:
        return rules.OFFICE_LABELS[self.model.office][1]

    @strawberry.field(description="Where the term stands today. 任期当前状况。")
    def term_status(self) -> CouncilTermStatus:
        state, days_left = officers.term_status(self.model)
        return CouncilTermStatus(state=CouncilTermState(state), days_left=days_left)

    @strawberry.field(description="The member unit the officer holds office for. 负责人所代表的成员单位。")
    async def member_unit(self, info: Info) -> CouncilMemberUnit:
        return CouncilMemberUnit.from_model(await info.context.loaders.by_id(UnitModel).load(self.model.member_unit_id))

    @strawberry.field(description=("Global ID of the passed CouncilMotion of the election; null if not recorded. 选举的"
             "已通过动议（CouncilMotion）的全局 ID；未登记时为 null。"))
    def elected_by_motion(self) -> relay.GlobalID | None:
        motion_id = self.model.elected_by_motion_id
        return relay.GlobalID("CouncilMotion", str(motion_id)) if motion_id else None

    @strawberry.field(description=("Global ID of the passed CouncilMotion that ended the office; null unless ended "
             "by a decision. 决定离任的已通过动议（CouncilMotion）的全局 ID；非因决定离任时为 null。"))
    def ended_by_motion(self) -> relay.GlobalID | None:
        motion_id = self.model.ended_by_motion_id
        return relay.GlobalID("CouncilMotion", str(motion_id)) if motion_id else None

    @strawberry.field(description=("The chair who appointed this base director on behalf of the council (办法 第八条); "
             "null for the other offices. 代表理事会任命该创新基地主任的理事长（办法 第八条）；其他职务为 null。"))
    async def appointed_by(self, info: Info) -> CouncilOfficer | None:
        officer_id = self.model.appointed_by_officer_id
        if officer_id is None:
            return None
        return CouncilOfficer.from_model(await info.context.loaders.by_id(OfficerModel).load(officer_id))

    @classmethod
    def from_model(cls, o: OfficerModel) -> CouncilOfficer:
        return cls(id=o.id, person_name=o.person_name, office=CouncilOffice(o.office), term_start=o.term_start,
                   term_end=o.term_end, state=CouncilOfficerState(officers.standing(o)), ended_on=o.ended_on,
                   model=o)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        if not info.context.actor.can("council_officer", "read"):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, OfficerModel, list(node_ids))]


@strawberry.type(description=("An active unit meeting 第十四条(一) — no activity within a year, or rated poor two years "
         "running: a candidate for exit. 符合第十四条(一)（一年内无活动或连续两年表现较差）的正式成员单位：可能需退出。"))
class CouncilInactiveUnit:
    unit: CouncilMemberUnit = strawberry.field(description="The member unit. 成员单位。")
    last_activity_on: dt.date | None = strawberry.field(
        description=("Latest activity of any kind: attendance, vote, agenda item, task done, comment or project "
             "work; null if none ever. 最近一次任何活动（出勤、表决、议题、完成任务、意见或项目工作）的日期；从未有活动时为 null。"))
    inactive: bool = strawberry.field(description=(
        "True when no activity within the year before today (第十四条(一) “一年内未参加理事会任何活动”). "
        "一年内未参加理事会任何活动时为 true。"))
    poor_years: list[int] = strawberry.field(description=(
        "The two consecutive years rated poor, ending last year or this year (“连续两年表现较差”); empty if not. "
        "连续两年表现较差的两个年份（截至去年或今年）；否则为空。"))

    @classmethod
    def of(cls, candidate) -> CouncilInactiveUnit:
        return cls(unit=CouncilMemberUnit.from_model(candidate.unit), last_activity_on=candidate.last_activity_on,
                   inactive=candidate.inactive, poor_years=list(candidate.poor_years or ()))


CouncilMemberUnitResult = result_union("CouncilMemberUnitResult", CouncilMemberUnit, *EVERY_FAILURE)
CouncilOfficerResult = result_union("CouncilOfficerResult", CouncilOfficer, *EVERY_FAILURE)
CouncilMemberUnitConnectionResult = result_union("CouncilMemberUnitConnectionResult", Connection[CouncilMemberUnit],
                                                 PermissionDenied, ValidationFailed)
CouncilOfficerConnectionResult = Annotated[
    Connection[CouncilOfficer] | PermissionDenied | ValidationFailed | NotFound,
    strawberry.union("CouncilOfficerConnectionResult", description=(
        "CouncilOfficerConnection on success, else why not: PermissionDenied, ValidationFailed, NotFound "
        "(councilOfficers: the member unit named does not exist in the zone or is not visible). Select `... on CouncilOfficerConnection` "
        "and `... on Failure { code message messageZh }`. 成功时为 CouncilOfficerConnection，否则为失败原因（"
        "PermissionDenied 无权限、ValidationFailed 输入无效、NotFound councilOfficers 所指成员单位不存在或不可见）。用 `... on "
        "CouncilOfficerConnection` 与 `... on Failure { code message messageZh }` 取值。"))]
CouncilInactiveUnitConnectionResult = result_union("CouncilInactiveUnitConnectionResult",
                                                   Connection[CouncilInactiveUnit], PermissionDenied, ValidationFailed)
