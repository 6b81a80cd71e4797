"""GraphQL types of talent bases, chief-expert calls and applications, and the per-zone talent
statistics (queries and mutations in bases.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum

import strawberry
from strawberry import relay

from ecozone.experts.models import ExpertProfile
from ecozone.graphql.common import load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.experts.types import Expert
from ecozone.graphql.zones import Zone, load_zone
from ecozone.talent import rules, statistics
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
