"""Talent bases, chief-expert calls and per-zone talent statistics (merged into TalentQuery/Mutation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.experts.models import ExpertProfile
from ecozone.graphql.common import Connection, connection, decode_id, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.experts import Expert
from ecozone.graphql.results import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    read,
    run,
)
from ecozone.graphql.zones import Zone, load_zone
from ecozone.talent import bases, rules, statistics
from ecozone.talent.models import ChiefExpertApplication as ApplicationModel
from ecozone.talent.models import ChiefExpertCall as CallModel
from ecozone.talent.models import TalentBase as BaseModel
from ecozone.talent.models import TalentBasePerson as PersonModel

TalentBaseKind = strawberry.enum(Enum("TalentBaseKind", {k.upper(): k for k in rules.BASE_KINDS}),
                                 description=("Kind of workstation or base: ACADEMICIAN_WORKSTATION 院士工作站 · DOCTORAL_WORKSTATION 博士"
         "工作站 · INTERNSHIP_BASE 大学生实习基地 · TRAINING_BASE 标准化培训基地. 工作站和基地的类型。"))
ApplicationState = strawberry.enum(Enum("ChiefExpertApplicationState",
                                        {s.upper(): s for s in ("submitted", "accepted", "declined")}), description=(
         "SUBMITTED 已提交 → ACCEPTED 已接受 (the expert becomes chief expert) or DECLINED 未接受. 首席专家"
         "申请状态。"))


@strawberry.type(description="A person attached to a workstation or base (public). 工作站或基地的入驻人员（公开）。")
class TalentBasePerson:
    name: str = strawberry.field(description="The person's name. 姓名。")
    role: str = strawberry.field(description=("Their role, free text, e.g. 院士, 博士后, 导师, 实习生. 角色（自由文本），如院士、博士后、导师、实习生。"))
    joined_on: dt.date | None = strawberry.field(description="When they joined; null if not recorded. 加入日期；未登记时为 null。")
    expert_id: strawberry.Private[int | None]

    @strawberry.field(description=("The registry profile, when the person is a verified expert; null otherwise. 其专家库"
             "档案（已核验专家时）；否则为 null。"))
    async def expert(self, info: Info) -> Expert | None:
        if self.expert_id is None:
            return None
        profile = await info.context.loaders.by_id(ExpertProfile).load(self.expert_id)
        return Expert.from_model(profile, info) if profile else None


@strawberry.type(description=("A workstation or base with its partner university (public): 院士工作站, 博士工作站, 大学生实习基地, 标"
         "准化培训基地. 工作站或基地及其合作高校（公开）。"))
class TalentBase(relay.Node):
    id: relay.NodeID[int]
    kind: TalentBaseKind = strawberry.field(description="Kind of base. 类型。")
    kind_name_zh: str = strawberry.field(description=("The kind's name in Chinese, e.g. 院士工作站. 类型中文名称，如“院士工作站”。"))
    kind_name_en: str = strawberry.field(description="The kind's name in English. 类型英文名称。")
    name_zh: str = strawberry.field(description="Name in Chinese. 中文名称。")
    name_en: str = strawberry.field(description="Name in English. 英文名称。")
    host_unit: str = strawberry.field(description="The unit hosting it. 依托单位。")
    partner_university: str | None = strawberry.field(description="Partner university; null if none. 合作高校；无则为 null。")
    starts_on: dt.date = strawberry.field(description="First day. 起始日期。")
    ends_on: dt.date | None = strawberry.field(description="Last day; null when open-ended. 截止日期；长期有效时为 null。")
    zone_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, b: BaseModel) -> TalentBase:
        zh, en = rules.BASE_KINDS[b.kind]
        return cls(id=b.id, kind=TalentBaseKind(b.kind), kind_name_zh=zh, kind_name_en=en, name_zh=b.name_zh,
                   name_en=b.name_en, host_unit=b.host_unit, partner_university=b.partner_university,
                   starts_on=b.starts_on, ends_on=b.ends_on, zone_id=b.zone_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, BaseModel, list(node_ids))]

    @strawberry.field(description="The zone it belongs to. 所属试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)

    @strawberry.field(description="The people attached, in joining order. 入驻人员，按加入顺序。")
    async def people(self, info: Info) -> list[TalentBasePerson]:
        rows = await info.context.loaders.grouped(PersonModel, "base_id").load(self.id)
        return [TalentBasePerson(name=p.name, role=p.role, joined_on=p.joined_on, expert_id=p.expert_id)
                for p in rows]


@strawberry.type(description="面向国内外征集首席专家: a zone's call, open until its deadline.")
class ChiefExpertCall(relay.Node):
    id: relay.NodeID[int]
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    field: str = strawberry.field(description="Field the chief expert is sought for. 招募领域。")
    description: str | None = strawberry.field(description="Details; null if none. 详细说明；无则为 null。")
    deadline: dt.datetime = strawberry.field(description="Last moment to apply (ISO 8601 with offset). 申请截止时间（ISO 8601，含时区偏移）。")
    zone_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, c: CallModel) -> ChiefExpertCall:
        return cls(id=c.id, title_zh=c.title_zh, title_en=c.title_en, field=c.field,
                   description=c.description, deadline=c.deadline, zone_id=c.zone_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, CallModel, list(node_ids))]

    @strawberry.field(description="The calling zone. 发布招募的试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)


@strawberry.type(description=("An expert's application to a call: seen by the applicant and the calling zone's "
         "staff. 专家对招募的申请：申请人和招募试验区工作人员可见。"))
class ChiefExpertApplication(relay.Node):
    id: relay.NodeID[int]
    state: ApplicationState = strawberry.field(description="Submitted, accepted or declined. 已提交、已接受或未接受。")
    statement: str = strawberry.field(description="The applicant's statement. 申请陈述。")
    reason: str | None = strawberry.field(description=("The director's reason; null if none given. 主任给出的理由；无则为 null。"))
    submitted_at: dt.datetime = strawberry.field(description="When it was submitted. 提交时间。")
    expert_id: strawberry.Private[int]
    call_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, a: ApplicationModel) -> ChiefExpertApplication:
        return cls(id=a.id, state=ApplicationState(a.state), statement=a.statement, reason=a.reason,
                   submitted_at=a.submitted_at, expert_id=a.expert_id, call_id=a.call_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        """The applicant's and the calling zone's staff's (ChiefExpertApplication.visible_to)."""
        return [cls.from_model(r) if r else None for r in await load_nodes(info, ApplicationModel, list(node_ids))]

    @strawberry.field(description="The call. 所申请的招募。")
    async def call(self, info: Info) -> ChiefExpertCall:
        return ChiefExpertCall.from_model(await info.context.loaders.by_id(CallModel).load(self.call_id))

    @strawberry.field(description="The applicant's profile; null if not visible. 申请人专家档案；不可见时为 null。")
    async def expert(self, info: Info) -> Expert | None:
        profile = await info.context.loaders.by_id(ExpertProfile).load(self.expert_id)
        return Expert.from_model(profile, info) if profile else None


@strawberry.type(description="Verified experts with one field of expertise. 某一专业领域的已核验专家数。")
class FieldCount:
    field: str = strawberry.field(description=("The field of expertise, as experts write it (free text, not an enum). 专业领域（专家填写的"
             "自由文本，非枚举）。"))
    count: int = strawberry.field(description="Experts. 专家数。")


@strawberry.type(description="One zone's talent figures for the year. 某试验区当年人才培养数据。")
class ZoneTalentStatistics:
    programmes: int = strawberry.field(description=("Programmes the zone created in the year. 本区当年创建的培训项目数。"))
    sessions: int = strawberry.field(description=("Sessions of the zone's programmes starting in the year. 本区培训项目当年开始的场次数。"))
    enrolments: int = strawberry.field(description=("People of the zone holding a seat (not withdrawn), enrolled in the year. 本区人员当年报"
             "名并获得名额（未撤回）的人次。"))
    completions: int = strawberry.field(description=("People of the zone who completed a programme (a certificate) in the year. 本区人员当年"
             "完成培训（获证）的人数。"))
    certificates: int = strawberry.field(description=("Certificates issued by the zone's programmes in the year. 本区培训项目当年颁发的证书数。"))
    experts_by_field: list[FieldCount] = strawberry.field(description=(
             "Verified experts of the zone by field of expertise (all years). 本区已核验专家按专业领域统计（不"
             "限年份）。"))
    zone_id: strawberry.Private[int]

    @strawberry.field(description="The zone. 试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)

    @classmethod
    def of(cls, f: statistics.ZoneFigures) -> ZoneTalentStatistics:
        return cls(programmes=f.programmes, sessions=f.sessions, enrolments=f.enrolments,
                   completions=f.completions, certificates=f.certificates, zone_id=f.zone_id,
                   experts_by_field=[FieldCount(field=n, count=c) for n, c in f.experts_by_field])


@strawberry.type(description=("Talent figures of every zone for one year (办法 第四条(七)); anonymous. 各试验区某年人才培养数据（办法 第四条(七"
     ")）；无需登录。"))
class TalentStatistics:
    year: int = strawberry.field(description="The year. 年份。")
    zones: list[ZoneTalentStatistics] = strawberry.field(description="One entry per zone, in slug order. 每个试验区一项，按 slug 排序。")


def _union(name: str, type_, *, description: str):
    return Annotated[type_ | PermissionDenied | ValidationFailed | NotFound | Conflict,
                     strawberry.union(name, description=description)]


TalentBaseResult = _union("TalentBaseResult", TalentBase, description=(
         "TalentBase on success, else why not: PermissionDenied, ValidationFailed, NotFound, "
         "Conflict. Select `... on TalentBase` and `... on Failure { code message messageZh "
         "}`. 成功时为 TalentBase，否则为失败原因（PermissionDenied 无权限、ValidationFailed 输入无效、NotFound 不存在或"
         "不可见、Conflict 当前状态不允许）。用 `... on TalentBase` 与 `... on Failure { code message "
         "messageZh }` 取值。"))
ChiefExpertCallResult = _union("ChiefExpertCallResult", ChiefExpertCall, description=(
         "ChiefExpertCall on success, else why not: PermissionDenied, ValidationFailed, "
         "NotFound, Conflict. Select `... on ChiefExpertCall` and `... on Failure { code "
         "message messageZh }`. 成功时为 ChiefExpertCall，否则为失败原因（PermissionDenied 无权限、"
         "ValidationFailed 输入无效、NotFound 不存在或不可见、Conflict 当前状态不允许）。用 `... on ChiefExpertCall` "
         "与 `... on Failure { code message messageZh }` 取值。"))
ChiefExpertApplicationResult = _union("ChiefExpertApplicationResult", ChiefExpertApplication, description=(
         "ChiefExpertApplication on success, else why not: PermissionDenied, "
         "ValidationFailed, NotFound, Conflict. Select `... on ChiefExpertApplication` and "
         "`... on Failure { code message messageZh }`. 成功时为 ChiefExpertApplication，否则为失败原因（"
         "PermissionDenied 无权限、ValidationFailed 输入无效、NotFound 不存在或不可见、Conflict 当前状态不允许）。用 "
         "`... on ChiefExpertApplication` 与 `... on Failure { code message messageZh }` 取值。"))
TalentStatisticsResult = Annotated[TalentStatistics | ValidationFailed, strawberry.union("TalentStatisticsResult", description=(
         "TalentStatistics on success, else why not: ValidationFailed. Select `... on "
         "TalentStatistics` and `... on Failure { code message messageZh }`. 成功时为 "
         "TalentStatistics，否则为失败原因（ValidationFailed 输入无效）。用 `... on TalentStatistics` 与 `... "
         "on Failure { code message messageZh }` 取值。"))]


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
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None) -> Annotated[Connection[TalentBase] | ValidationFailed,
                                                                  strawberry.union("TalentBaseConnectionResult", description=(
                                                                           "TalentBaseConnection "
                                                                           "on success, else "
                                                                           "why not: "
                                                                           "ValidationFailed. "
                                                                           "Select `... on "
                                                                           "TalentBaseConnection` "
                                                                           "and `... on "
                                                                           "Failure { code "
                                                                           "message messageZh "
                                                                           "}`. 成功时为 "
                                                                           "TalentBaseConnection，"
                                                                           "否则为失败原因（"
                                                                           "ValidationFailed 输"
                                                                           "入无效）。用 `... on "
                                                                           "TalentBaseConnection` "
                                                                           "与 `... on Failure "
                                                                           "{ code message "
                                                                           "messageZh }` 取值。"))]:
        ctx = info.context
        return await read(info, lambda: bases.list_bases(ctx.session, kind=kind.value if kind else None,
                                                         first=first, after=after,
                                                         max_page_size=ctx.settings.limits.max_page_size),
                          lambda page: connection(page, TalentBase.from_model))

    @strawberry.field(description=("Chief-expert calls (首席专家招募) of every zone, public. 各试验区的首席专家招募（公开）。"))
    async def chief_expert_calls(self, info: Info, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20, after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None
                                 ) -> Annotated[Connection[ChiefExpertCall] | ValidationFailed,
                                                strawberry.union("ChiefExpertCallConnectionResult", description=(
                                                         "ChiefExpertCallConnection on "
                                                         "success, else why not: "
                                                         "ValidationFailed. Select `... on "
                                                         "ChiefExpertCallConnection` and `... "
                                                         "on Failure { code message messageZh "
                                                         "}`. 成功时为 ChiefExpertCallConnection，否"
                                                         "则为失败原因（ValidationFailed 输入无效）。用 "
                                                         "`... on ChiefExpertCallConnection` 与"
                                                         " `... on Failure { code message "
                                                         "messageZh }` 取值。"))]:
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
                                        ) -> Annotated[Connection[ChiefExpertApplication] | PermissionDenied
                                                       | ValidationFailed | NotFound,
                                                       strawberry.union("ChiefExpertApplicationConnectionResult", description=(
                                                                "ChiefExpertApplicationConnection "
                                                                "on success, else why not: "
                                                                "PermissionDenied, "
                                                                "ValidationFailed, NotFound. "
                                                                "Select `... on "
                                                                "ChiefExpertApplicationConnection` "
                                                                "and `... on Failure { code "
                                                                "message messageZh }`. 成功时为 "
                                                                "ChiefExpertApplicationConnection，"
                                                                "否则为失败原因（PermissionDenied 无权限、"
                                                                "ValidationFailed 输入无效、"
                                                                "NotFound 不存在或不可见）。用 `... on "
                                                                "ChiefExpertApplicationConnection` "
                                                                "与 `... on Failure { code "
                                                                "message messageZh }` 取值。"))]:
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
