"""The council's member units and officers: queries and mutations (章程 第十条–第十五条; 办法 第七条)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.governance import activity, officers, units
from ecozone.graphql.common import connection, decode_id
from ecozone.graphql.context import Info
from ecozone.graphql.council.units_types import (
    CouncilExitReason,
    CouncilInactiveUnit,
    CouncilInactiveUnitConnectionResult,
    CouncilMemberUnit,
    CouncilMemberUnitConnectionResult,
    CouncilMemberUnitResult,
    CouncilOffice,
    CouncilOfficer,
    CouncilOfficerConnectionResult,
    CouncilOfficerResult,
    CouncilOfficerState,
    CouncilUnitState,
    CouncilUnitType,
)
from ecozone.graphql.results import read, run


def _user_id(gid: relay.GlobalID | None, field: str) -> int | None:
    return decode_id(gid, "User", field) if gid is not None else None


def _motion_id(gid: relay.GlobalID | None) -> int | None:
    return decode_id(gid, "CouncilMotion", "motionId") if gid is not None else None


@strawberry.input(description=("A legal entity applies to the secretariat; the general meeting decides (第十条). 法人单位向秘"
         "书处申请入会；由会员大会决定（第十条）。"))
class ApplyForCouncilMembershipInput:
    name_zh: str = strawberry.field(description="The unit's name in Chinese. 单位中文名称。")
    name_en: str = strawberry.field(description="The unit's name in English. 单位英文名称。")
    uscc: str = strawberry.field(description=("Unified social credit code (统一社会信用代码), 18 characters with its check character. 统"
             "一社会信用代码，18 位（含校验码）。"))
    unit_type: CouncilUnitType = strawberry.field(description="Type of unit. 单位类型。")
    head_name: str = strawberry.field(description=("The unit's head, who represents it. 单位主要负责人，代表本单位。"))
    head_user_id: relay.GlobalID | None = strawberry.field(default=None, description=("The head's account (`User.id`), if they sign in; optional. 负责人的账户（`User.id`），如其登"
             "录平台；可选。"))


@strawberry.input(description=("Secretariat: record a unit that founded the council (the bootstrap, no decision). 秘书"
         "处：登记理事会发起单位（初始化，无需决议）。"))
class RegisterFoundingCouncilUnitInput:
    name_zh: str = strawberry.field(description="The unit's name in Chinese. 单位中文名称。")
    name_en: str = strawberry.field(description="The unit's name in English. 单位英文名称。")
    uscc: str = strawberry.field(description=("Unified social credit code, 18 characters. 统一社会信用代码，18 位。"))
    unit_type: CouncilUnitType = strawberry.field(description="Type of unit. 单位类型。")
    head_name: str = strawberry.field(description="The head's name. 负责人姓名。")
    joined_on: dt.date = strawberry.field(description="Date the unit joined the council. 入会日期。")
    head_user_id: relay.GlobalID | None = strawberry.field(default=None, description=("The head's account (`User.id`), if they sign in; optional. 负责人的账户（`User.id`），如其登"
             "录平台；可选。"))


@strawberry.input(description=("Secretariat: record the general meeting's decision on an application (第十条). 秘书处：登记会员"
         "大会对入会申请的决定（第十条）。"))
class DecideCouncilApplicationInput:
    unit_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the CouncilMemberUnit (`CouncilMemberUnit.id`). 理事会成员单位的全局 ID（"
             "`CouncilMemberUnit.id`）。"))
    admit: bool = strawberry.field(description=("True admits (the unit becomes active), false rejects. true 为接纳（单位成为正式成员），false 为"
             "不接纳。"))
    motion_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the passed CouncilMotion of a general meeting that took this "
             "decision. 作出该决定的会员大会已通过动议（CouncilMotion）的全局 ID。"))
    reason: str | None = strawberry.field(default=None, description=("Optional note, kept in the event history and sent in the notifications. 可选说明，记入事"
             "件历史并随通知发送。"))


@strawberry.input(description=("The unit's head changed: the representative follows, a delegation lapses (第十一条). 单位负"
         "责人变更：代表随之变更，原委托失效（第十一条）。"))
class ChangeCouncilUnitHeadInput:
    unit_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the CouncilMemberUnit (`CouncilMemberUnit.id`). 理事会成员单位的全局 ID（"
             "`CouncilMemberUnit.id`）。"))
    head_name: str = strawberry.field(description="The new head's name. 新负责人姓名。")
    head_user_id: relay.GlobalID | None = strawberry.field(default=None, description=("The head's account (`User.id`), if they sign in; optional. 负责人的账户（`User.id`），如其登"
             "录平台；可选。"))


@strawberry.input(description=("Record the head's delegation (第十一条); a null delegateName clears it. 登记负责人的委托（第十一条）；"
         "delegateName 为 null 时清除委托。"))
class DelegateCouncilRepresentativeInput:
    unit_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the CouncilMemberUnit (`CouncilMemberUnit.id`). 理事会成员单位的全局 ID（"
             "`CouncilMemberUnit.id`）。"))
    delegate_name: str | None = strawberry.field(description="The representative's name; null clears the delegation. 受托代表姓名；null 清除委托。")
    delegate_user_id: relay.GlobalID | None = strawberry.field(default=None, description="The representative's account (`User.id`); optional. 受托代表的账户（`User.id`）；可选。")


@strawberry.input(description=("Record a unit's exit (第十四条); every reason but VOLUNTARY needs the passed motion. 登记单"
         "位退出（第十四条）；除自愿退出外均须附已通过的动议。"))
class ExitCouncilUnitInput:
    unit_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the CouncilMemberUnit (`CouncilMemberUnit.id`). 理事会成员单位的全局 ID（"
             "`CouncilMemberUnit.id`）。"))
    reason: CouncilExitReason = strawberry.field(description="Why the unit leaves (第十四条). 退出原因（第十四条）。")
    note: str | None = strawberry.field(default=None, description="Optional note. 可选说明。")
    motion_id: relay.GlobalID | None = strawberry.field(default=None, description=("The passed CouncilMotion that decided the exit; required unless voluntary. 决定退出的"
             "已通过动议（CouncilMotion）；自愿退出外必填。"))


@strawberry.input(description=("Secretariat: record an election result (第五条, 第七条, 第十五条; 办法 第七条). 秘书处：登记选举结果（章程第五、七、十"
         "五条；办法第七条）。"))
class ElectCouncilOfficerInput:
    member_unit_id: relay.GlobalID = strawberry.field(description=(
             "The member unit the officer holds office for (`CouncilMemberUnit.id`). 负责人所代表的成员"
             "单位（`CouncilMemberUnit.id`）。"))
    person_name: str = strawberry.field(description="The officer's name. 负责人姓名。")
    birth_date: dt.date = strawberry.field(description=("Date of birth: the chair and vice-chairs are held to the age limit of 70 (章程 第十五条). 出生日期：理事长、副理事长须符合 70 周岁的任职年龄限制（章程 第十五条）。"))
    office: CouncilOffice = strawberry.field(description="The office. 职务。")
    term_start: dt.date = strawberry.field(description=("First day of the three-year term. 三年任期的起始日。"))
    motion_id: relay.GlobalID | None = strawberry.field(default=None, description=(
        "The passed CouncilMotion that elected the officer: of a general meeting for the chair, vice-chairs, "
        "secretary-general and base director (章程 第十八条(三)), of any council meeting for a standing director "
        "(第五条). Null only for the founding council, while no meeting has opened on the platform. "
        "选举该负责人的已通过动议（CouncilMotion）：理事长、副理事长、秘书长和创新基地主任须为全体会议的动议（章程 "
        "第十八条(三)），常任理事可为任一理事会会议的动议（第五条）。仅首届理事会（平台上尚未召开过会议时）可为 null。"))
    user_id: relay.GlobalID | None = strawberry.field(default=None, description="The officer's account (`User.id`); optional. 负责人账户（`User.id`）；可选。")


@strawberry.input(description="End an office before its term. 提前结束任职。")
class EndCouncilOfficeInput:
    officer_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the CouncilOfficer (`CouncilOfficer.id`). 理事会负责人的全局 ID（"
             "`CouncilOfficer.id`）。"))
    ended_on: dt.date = strawberry.field(description="Last day in office. 离任日期。")
    reason: str = strawberry.field(description=("Why, required: kept in the event history and sent in the notifications. 原因（必填），记"
             "入事件历史并随通知发送。"))
    motion_id: relay.GlobalID = strawberry.field(description=(
        "The passed CouncilMotion that ended the office (第七条: every change in a term is voted): of a general "
        "meeting to remove one of the four leaders (第十八条(三)). 决定离任的已通过动议（CouncilMotion）（第七条：任期内的"
        "调整须表决通过）；罢免四类负责人须为全体会议的动议（第十八条(三)）。"))


def _unit(u) -> CouncilMemberUnit:
    return CouncilMemberUnit.from_model(u)


@strawberry.type
class CouncilUnitsQuery:
    @strawberry.field(description=("The acting zone's council member units (理事会成员单位), by Chinese name; its "
             "director, secretary and members. 所操作试验区的理事会成员单位，按中文名称排序；该区主任、秘书和成员可查看。"))
    async def council_member_units(self, info: Info, state: Annotated[CouncilUnitState | None, strawberry.argument(description="Only units in this state. 仅该状态的单位。")] = None, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20,
                                   after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None) -> CouncilMemberUnitConnectionResult:
        ctx = info.context
        return await read(info, lambda: units.units_page(
            ctx.session, ctx.actor, state=state.value if state else None, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size), lambda page: connection(page, _unit))

    @strawberry.field(description=("One member unit by ID; NotFound if none or not visible. 按 ID 获取成员单位；不存在或不可见时返回 "
         "NotFound。"))
    async def council_member_unit(self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description=(
             "Global ID of the CouncilMemberUnit (`CouncilMemberUnit.id`). 理事会成员单位的全局 ID（"
             "`CouncilMemberUnit.id`）。"))]) -> CouncilMemberUnitResult:
        ctx = info.context
        return await read(info, lambda: units.read_unit(ctx.session, ctx.actor, decode_id(id, "CouncilMemberUnit")),
                          _unit)

    @strawberry.field(description=("The council's officers (理事长、副理事长、秘书长、创新基地主任、常任理事), serving today "
             "(China's date) by default; ELECT lists those elected ahead of their term; an expired term shows in "
             "`termStatus`. 理事会负责人，默认为今日（北京时间）在任者；ELECT 为任期尚未开始的候任者；任期届满见 `termStatus`。"))
    async def council_officers(self, info: Info, state: Annotated[CouncilOfficerState | None, strawberry.argument(description="Elect, serving (default) or ended; null for all. 候任、在任（默认）或已离任；null 为全部。")] = CouncilOfficerState.SERVING,
                               office: Annotated[CouncilOffice | None, strawberry.argument(description="Only this office. 仅此职务。")] = None,
                               member_unit_id: Annotated[relay.GlobalID | None, strawberry.argument(description=(
                                   "Only the officers holding office for this member unit (`CouncilMemberUnit.id`); "
                                   "NotFound if it is not one of the zone's units. 仅代表该成员单位（"
                                   "`CouncilMemberUnit.id`）的负责人；非本区成员单位时返回 NotFound。"))] = None,
                               first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20, after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None
                               ) -> CouncilOfficerConnectionResult:
        ctx = info.context
        return await read(info, lambda: officers.officers_page(
            ctx.session, ctx.actor, state=state.value if state else None, office=office.value if office else None,
            first=first, after=after, max_page_size=ctx.settings.limits.max_page_size,
            member_unit_id=decode_id(member_unit_id, "CouncilMemberUnit", "memberUnitId")
            if member_unit_id is not None else None),
            lambda page: connection(page, CouncilOfficer.from_model))

    @strawberry.field(description=("Active member units meeting 第十四条(一): no activity within a year, or rated poor "
             "two years running; candidates for exit; the zone's council staff. 符合第十四条(一)的正式成员单位：一年内无任何"
             "活动，或连续两年表现较差；可能需退出；本区理事会工作人员可查看。"))
    async def inactive_council_units(self, info: Info, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20, after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None
                                     ) -> CouncilInactiveUnitConnectionResult:
        ctx = info.context
        return await read(info, lambda: activity.inactive_units_page(
            ctx.session, ctx.actor, first=first, after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, CouncilInactiveUnit.of))

    @strawberry.field(description=("Serving officers whose term ends within `withinDays` days or has ended, soonest "
             "first. 任期在 `withinDays` 天内届满或已届满的在任负责人，最早届满的在前。"))
    async def expiring_council_officers(self, info: Info, within_days: Annotated[int, strawberry.argument(description="Horizon in days from today (China time). 自今天（北京时间）起的天数。")] = 90, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20,
                                        after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None) -> CouncilOfficerConnectionResult:
        ctx = info.context
        return await read(info, lambda: officers.expiring_officers_page(
            ctx.session, ctx.actor, within_days=within_days, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, CouncilOfficer.from_model))


@strawberry.type
class CouncilUnitsMutation:
    @strawberry.mutation(description=("Any signed-in user of the zone applies for a legal entity (第十条); the general "
             "meeting decides. 本区任何登录用户代表法人单位申请入会（第十条）；由会员大会决定。"))
    async def apply_for_council_membership(self, info: Info, input: Annotated[ApplyForCouncilMembershipInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                           ) -> CouncilMemberUnitResult:
        ctx = info.context
        return await run(info, lambda: units.apply_for_membership(
            ctx.session, ctx.actor, name_zh=input.name_zh, name_en=input.name_en, uscc=input.uscc,
            unit_type=input.unit_type.value, head_name=input.head_name,
            head_user_id=_user_id(input.head_user_id, "headUserId")), _unit)

    @strawberry.mutation(description=("Secretariat: record a unit that founded the council (the bootstrap, no decision "
         "needed). 秘书处：登记理事会发起单位（初始化，无需决议）。"))
    async def register_founding_council_unit(self, info: Info, input: Annotated[RegisterFoundingCouncilUnitInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                             ) -> CouncilMemberUnitResult:
        ctx = info.context
        return await run(info, lambda: units.register_founding_unit(
            ctx.session, ctx.actor, name_zh=input.name_zh, name_en=input.name_en, uscc=input.uscc,
            unit_type=input.unit_type.value, head_name=input.head_name, joined_on=input.joined_on,
            head_user_id=_user_id(input.head_user_id, "headUserId")), _unit)

    @strawberry.mutation(description=("Secretariat: record the general meeting's decision on an application (admit or reject, 章程 第十条). 秘书处：登记会员大会对入会申请的决定（接纳或不接纳，章程 第十条）。"))
    async def decide_council_application(self, info: Info, input: Annotated[DecideCouncilApplicationInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                         ) -> CouncilMemberUnitResult:
        ctx = info.context
        return await run(info, lambda: units.decide_application(
            ctx.session, ctx.actor, unit_id=decode_id(input.unit_id, "CouncilMemberUnit", "unitId"),
            admit=input.admit, motion_id=_motion_id(input.motion_id), reason=input.reason), _unit)

    @strawberry.mutation(description="Secretariat (the zone's secretary): record a new head of a member unit. 秘书处（本区秘书）：登记成员单位新负责人。")
    async def change_council_unit_head(self, info: Info, input: Annotated[ChangeCouncilUnitHeadInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                       ) -> CouncilMemberUnitResult:
        ctx = info.context
        return await run(info, lambda: units.change_unit_head(
            ctx.session, ctx.actor, unit_id=decode_id(input.unit_id, "CouncilMemberUnit", "unitId"),
            head_name=input.head_name, head_user_id=_user_id(input.head_user_id, "headUserId")), _unit)

    @strawberry.mutation(description=("Record the head's delegation (委托, 第十一条); a null delegateName clears it. 登记负责人的委托（第十一"
         "条）；delegateName 为 null 时清除委托。"))
    async def delegate_council_representative(self, info: Info, input: Annotated[DelegateCouncilRepresentativeInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                              ) -> CouncilMemberUnitResult:
        ctx = info.context
        return await run(info, lambda: units.delegate_representative(
            ctx.session, ctx.actor, unit_id=decode_id(input.unit_id, "CouncilMemberUnit", "unitId"),
            delegate_name=input.delegate_name,
            delegate_user_id=_user_id(input.delegate_user_id, "delegateUserId")), _unit)

    @strawberry.mutation(description=("Secretariat: record a unit's exit (第十四条), with the motion where one decided it. 秘书处："
         "登记单位退出（第十四条），由决议决定的附动议。"))
    async def exit_council_unit(self, info: Info, input: Annotated[ExitCouncilUnitInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilMemberUnitResult:
        ctx = info.context
        return await run(info, lambda: units.exit_unit(
            ctx.session, ctx.actor, unit_id=decode_id(input.unit_id, "CouncilMemberUnit", "unitId"),
            reason=input.reason.value, note=input.note, motion_id=_motion_id(input.motion_id)), _unit)

    @strawberry.mutation(description=("Secretariat: record an officer's election by its passed motion for a three-year "
             "term (第五条, 第七条, 第十八条(三)); the base director is appointed by the chair serving today (办法 第八条). "
             "秘书处：依已通过的动议登记负责人当选，任期三年（第五条、第七条、第十八条(三)）；创新基地主任由今日在任的理事长任命（办法 第八条）。"))
    async def elect_council_officer(self, info: Info, input: Annotated[ElectCouncilOfficerInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilOfficerResult:
        ctx = info.context
        return await run(info, lambda: officers.elect_officer(
            ctx.session, ctx.actor, member_unit_id=decode_id(input.member_unit_id, "CouncilMemberUnit", "memberUnitId"),
            person_name=input.person_name, birth_date=input.birth_date, office=input.office.value,
            term_start=input.term_start, user_id=_user_id(input.user_id, "userId"),
            motion_id=_motion_id(input.motion_id)), CouncilOfficer.from_model)

    @strawberry.mutation(description=("Secretariat: record the early end of an office (resignation, removal, death) by "
             "the passed motion that decided it (第七条, 第十八条(三)). 秘书处：依决定该事项的已通过动议登记负责人提前离任（辞职、罢免、"
             "去世）（第七条、第十八条(三)）。"))
    async def end_council_office(self, info: Info, input: Annotated[EndCouncilOfficeInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilOfficerResult:
        ctx = info.context
        return await run(info, lambda: officers.end_office(
            ctx.session, ctx.actor, officer_id=decode_id(input.officer_id, "CouncilOfficer", "officerId"),
            ended_on=input.ended_on, reason=input.reason,
            motion_id=decode_id(input.motion_id, "CouncilMotion", "motionId")), CouncilOfficer.from_model)
