"""Talent bases, chief-expert calls and per-zone talent statistics: queries, mutations and their
inputs, merged into TalentQuery/Mutation (types in bases_types.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.graphql.common import Connection, connection, decode_id
from ecozone.graphql.context import Info
from ecozone.graphql.results import (
    EVERY_FAILURE,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    read,
    result_union,
    run,
)
from ecozone.graphql.talent.bases_types import (
    ChiefExpertApplication,
    ChiefExpertCall,
    TalentBase,
    TalentBaseKind,
    TalentStatistics,
    ZoneTalentStatistics,
)
from ecozone.talent import bases, statistics


TalentBaseResult = result_union("TalentBaseResult", TalentBase, *EVERY_FAILURE)
ChiefExpertCallResult = result_union("ChiefExpertCallResult", ChiefExpertCall, *EVERY_FAILURE)
ChiefExpertApplicationResult = result_union("ChiefExpertApplicationResult", ChiefExpertApplication, *EVERY_FAILURE)
TalentStatisticsResult = result_union("TalentStatisticsResult", TalentStatistics, ValidationFailed)
TalentBaseConnectionResult = result_union("TalentBaseConnectionResult", Connection[TalentBase], ValidationFailed)
ChiefExpertCallConnectionResult = result_union("ChiefExpertCallConnectionResult", Connection[ChiefExpertCall],
                                               ValidationFailed)
ChiefExpertApplicationConnectionResult = result_union("ChiefExpertApplicationConnectionResult",
                                                      Connection[ChiefExpertApplication], PermissionDenied,
                                                      ValidationFailed, NotFound)


@strawberry.input(description="A workstation or base of the acting zone. 所操作试验区的工作站或基地。")
class CreateTalentBaseInput:
    kind: TalentBaseKind = strawberry.field(description="Kind of base. 类型。")
    name_zh: str = strawberry.field(description="Name in Chinese. 中文名称。")
    name_en: str = strawberry.field(description="Name in English. 英文名称。")
    host_unit: str = strawberry.field(description="The unit hosting it. 依托单位。")
    starts_on: dt.date = strawberry.field(description="First day. 起始日期。")
    partner_university: str | None = strawberry.field(default=None, description="Partner university; optional. 合作高校；可选。")
    ends_on: dt.date | None = strawberry.field(default=None, description="Last day; omit when open-ended. 截止日期；长期有效时省略。")


@strawberry.input(description="A person joining a workstation or base. 加入工作站或基地的人员。")
class AttachTalentBasePersonInput:
    base_id: relay.GlobalID = strawberry.field(description="Global ID of the TalentBase (`TalentBase.id`). 工作站或基地的全局 ID（`TalentBase.id`）。")
    name: str = strawberry.field(description="The person's name. 姓名。")
    role: str = strawberry.field(description=("Their role, free text, e.g. 院士, 博士后, 导师, 实习生. 角色（自由文本），如院士、博士后、导师、实习生。"))
    expert_id: relay.GlobalID | None = strawberry.field(default=None, description=("Their expert profile (`Expert.id`), if they are in the registry. 其专家档案（"
             "`Expert.id`），如在专家库中。"))
    joined_on: dt.date | None = strawberry.field(default=None, description="When they joined; optional. 加入日期；可选。")


@strawberry.input(description="A call for a chief expert by the acting zone (its staff). 所操作试验区（工作人员）发布的首席专家招募。")
class OpenChiefExpertCallInput:
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    field: str = strawberry.field(description="Field the chief expert is sought for. 招募领域。")
    deadline: dt.datetime = strawberry.field(description="Last moment to apply, in the future. 申请截止时间，须为将来时间。")
    description: str | None = strawberry.field(default=None, description="Details; optional. 详细说明；可选。")


@strawberry.input(description="Your application to a call. 本人对招募的申请。")
class ApplyToChiefExpertCallInput:
    call_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the ChiefExpertCall (`ChiefExpertCall.id`). 首席专家招募的全局 ID（"
             "`ChiefExpertCall.id`）。"))
    statement: str = strawberry.field(description="Why you, in a few paragraphs. 申请陈述。")


@strawberry.input(description="The director's decision on an application. 主任对申请的决定。")
class DecideChiefExpertApplicationInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the ChiefExpertApplication (`ChiefExpertApplication.id`). 首席专家申请的全局"
             " ID（`ChiefExpertApplication.id`）。"))
    accept: bool = strawberry.field(description=("True accepts (the expert becomes chief expert), false declines. true 为接受（成为首席专家）"
             "，false 为不接受。"))
    reason: str | None = strawberry.field(default=None, description=("Optional note, kept in the event history and sent in the notifications. 可选说明，记入事"
             "件历史并随通知发送。"))


@strawberry.type
class TalentBaseQuery:
    @strawberry.field(description=("Workstations and bases of every zone (public, 章程 第二十八条). 各试验区的工作站和基地（公开，章程 第二十八条"
             "）。"))
    async def talent_bases(self, info: Info, kind: Annotated[TalentBaseKind | None, strawberry.argument(description="Only this kind. 仅此类型。")] = None, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20,
                           after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None) -> TalentBaseConnectionResult:
        ctx = info.context
        return await read(info, lambda: bases.list_bases(ctx.session, kind=kind.value if kind else None,
                                                         first=first, after=after,
                                                         max_page_size=ctx.settings.limits.max_page_size),
                          lambda page: connection(page, TalentBase.from_model))

    @strawberry.field(description=("Chief-expert calls (首席专家招募) of every zone, public. 各试验区的首席专家招募（公开）。"))
    async def chief_expert_calls(self, info: Info, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20, after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None
                                 ) -> ChiefExpertCallConnectionResult:
        ctx = info.context
        return await read(info, lambda: bases.list_calls(ctx.session, first=first, after=after,
                                                         max_page_size=ctx.settings.limits.max_page_size),
                          lambda page: connection(page, ChiefExpertCall.from_model))

    @strawberry.field(description=("Applications to a call; the calling zone's director only. 对某招募的申请；仅招募试验区主任可查看。"))
    async def chief_expert_applications(self, info: Info, call_id: Annotated[relay.GlobalID, strawberry.argument(description=(
             "Global ID of the ChiefExpertCall (`ChiefExpertCall.id`). 首席专家招募的全局 ID（"
             "`ChiefExpertCall.id`）。"))], first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20,
                                        after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None
                                        ) -> ChiefExpertApplicationConnectionResult:
        ctx = info.context
        return await read(info, lambda: bases.call_applications(
            ctx.session, ctx.actor, call_id=decode_id(call_id, "ChiefExpertCall", "callId"), first=first,
            after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, ChiefExpertApplication.from_model))

    @strawberry.field(description=("Per-zone talent figures of a year; anonymous, for the portals' dashboards. 各试验区某"
             "年人才培养数据；无需登录，供门户看板使用。"))
    async def talent_statistics(self, info: Info, year: Annotated[int, strawberry.argument(description="The year, 2000–2100. 年份，2000–2100。")]) -> TalentStatisticsResult:
        return await read(info, lambda: statistics.talent_statistics(info.context.session, year=year),
                          lambda rows: TalentStatistics(year=year, zones=[ZoneTalentStatistics.of(r)
                                                                          for r in rows]))


@strawberry.type
class TalentBaseMutation:
    @strawberry.mutation(description=("Staff of the acting zone: a workstation or base of that zone. 所操作试验区工作人员：创建本区工作站"
             "或基地。"))
    async def create_talent_base(self, info: Info, input: Annotated[CreateTalentBaseInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> TalentBaseResult:
        ctx = info.context
        return await run(info, lambda: bases.create_base(
            ctx.session, ctx.actor, kind=input.kind.value, name_zh=input.name_zh, name_en=input.name_en,
            host_unit=input.host_unit, starts_on=input.starts_on, partner_university=input.partner_university,
            ends_on=input.ends_on), TalentBase.from_model)

    @strawberry.mutation(description=("Staff of the base's zone: attach a person. 基地所属试验区工作人员：添加入驻人员。"))
    async def attach_talent_base_person(self, info: Info, input: Annotated[AttachTalentBasePersonInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> TalentBaseResult:
        ctx = info.context

        async def call():
            base_id = decode_id(input.base_id, "TalentBase", "baseId")
            await bases.attach_person(
                ctx.session, ctx.actor, base_id=base_id, name=input.name, role=input.role,
                expert_id=decode_id(input.expert_id, "Expert", "expertId") if input.expert_id else None,
                joined_on=input.joined_on)
            return await bases.get_base(ctx.session, base_id)
        return await run(info, call, TalentBase.from_model)

    @strawberry.mutation(description=("Staff: open a call for chief experts, at home and abroad. 工作人员：面向国内外征集首席专家。"))
    async def open_chief_expert_call(self, info: Info, input: Annotated[OpenChiefExpertCallInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ChiefExpertCallResult:
        ctx = info.context
        return await run(info, lambda: bases.open_call(
            ctx.session, ctx.actor, title_zh=input.title_zh, title_en=input.title_en, field=input.field,
            deadline=input.deadline, description=input.description), ChiefExpertCall.from_model)

    @strawberry.mutation(description=("A verified expert of any zone applies, before the deadline. 任何试验区的已核验专家在截止前申请。"))
    async def apply_to_chief_expert_call(self, info: Info, input: Annotated[ApplyToChiefExpertCallInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                         ) -> ChiefExpertApplicationResult:
        ctx = info.context
        return await run(info, lambda: bases.apply_to_call(
            ctx.session, ctx.actor, call_id=decode_id(input.call_id, "ChiefExpertCall", "callId"),
            statement=input.statement), ChiefExpertApplication.from_model)

    @strawberry.mutation(description=("The calling zone's director decides; accepting marks the expert chief expert. 招募"
             "试验区主任决定；接受后该专家成为首席专家。"))
    async def decide_chief_expert_application(self, info: Info, input: Annotated[DecideChiefExpertApplicationInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                              ) -> ChiefExpertApplicationResult:
        ctx = info.context
        return await run(info, lambda: bases.decide_application(
            ctx.session, ctx.actor, application_id=decode_id(input.id, "ChiefExpertApplication"),
            accept=input.accept, reason=input.reason), ChiefExpertApplication.from_model)
