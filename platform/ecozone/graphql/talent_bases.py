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
                                 description="院士工作站 / 博士工作站 / 大学生实习基地 / 标准化培训基地")
ApplicationState = strawberry.enum(Enum("ChiefExpertApplicationState",
                                        {s.upper(): s for s in ("submitted", "accepted", "declined")}))


@strawberry.type
class TalentBasePerson:
    name: str
    role: str
    joined_on: dt.date | None
    expert_id: strawberry.Private[int | None]

    @strawberry.field(description="The registry profile, when the person is a verified expert")
    async def expert(self, info: Info) -> Expert | None:
        if self.expert_id is None:
            return None
        profile = await info.context.loaders.by_id(ExpertProfile).load(self.expert_id)
        return Expert.from_model(profile, info) if profile else None


@strawberry.type(description="A workstation or base with its partner university (public).")
class TalentBase(relay.Node):
    id: relay.NodeID[int]
    kind: TalentBaseKind
    kind_name_zh: str
    kind_name_en: str
    name_zh: str
    name_en: str
    host_unit: str
    partner_university: str | None
    starts_on: dt.date
    ends_on: dt.date | None
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

    @strawberry.field
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)

    @strawberry.field(description="The people attached")
    async def people(self, info: Info) -> list[TalentBasePerson]:
        rows = await info.context.loaders.grouped(PersonModel, "base_id").load(self.id)
        return [TalentBasePerson(name=p.name, role=p.role, joined_on=p.joined_on, expert_id=p.expert_id)
                for p in rows]


@strawberry.type(description="面向国内外征集首席专家: a zone's call, open until its deadline.")
class ChiefExpertCall(relay.Node):
    id: relay.NodeID[int]
    title_zh: str
    title_en: str
    field: str
    description: str | None
    deadline: dt.datetime
    zone_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, c: CallModel) -> ChiefExpertCall:
        return cls(id=c.id, title_zh=c.title_zh, title_en=c.title_en, field=c.field,
                   description=c.description, deadline=c.deadline, zone_id=c.zone_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, CallModel, list(node_ids))]

    @strawberry.field
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)


@strawberry.type(description="An expert's application to a call: seen by the applicant and the calling "
                             "zone's staff.")
class ChiefExpertApplication(relay.Node):
    id: relay.NodeID[int]
    state: ApplicationState
    statement: str
    reason: str | None
    submitted_at: dt.datetime
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

    @strawberry.field
    async def call(self, info: Info) -> ChiefExpertCall:
        return ChiefExpertCall.from_model(await info.context.loaders.by_id(CallModel).load(self.call_id))

    @strawberry.field
    async def expert(self, info: Info) -> Expert | None:
        profile = await info.context.loaders.by_id(ExpertProfile).load(self.expert_id)
        return Expert.from_model(profile, info) if profile else None


@strawberry.type
class FieldCount:
    field: str
    count: int


@strawberry.type(description="One zone's talent figures for the year")
class ZoneTalentStatistics:
    programmes: int
    sessions: int
    enrolments: int
    completions: int
    certificates: int
    experts_by_field: list[FieldCount] = strawberry.field(description="Verified experts by home zone, all years")
    zone_id: strawberry.Private[int]

    @strawberry.field
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)

    @classmethod
    def of(cls, f: statistics.ZoneFigures) -> ZoneTalentStatistics:
        return cls(programmes=f.programmes, sessions=f.sessions, enrolments=f.enrolments,
                   completions=f.completions, certificates=f.certificates, zone_id=f.zone_id,
                   experts_by_field=[FieldCount(field=n, count=c) for n, c in f.experts_by_field])


@strawberry.type
class TalentStatistics:
    year: int
    zones: list[ZoneTalentStatistics]


def _union(name: str, type_):
    return Annotated[type_ | PermissionDenied | ValidationFailed | NotFound | Conflict, strawberry.union(name)]


TalentBaseResult = _union("TalentBaseResult", TalentBase)
ChiefExpertCallResult = _union("ChiefExpertCallResult", ChiefExpertCall)
ChiefExpertApplicationResult = _union("ChiefExpertApplicationResult", ChiefExpertApplication)
TalentStatisticsResult = Annotated[TalentStatistics | ValidationFailed, strawberry.union("TalentStatisticsResult")]


@strawberry.input
class CreateTalentBaseInput:
    kind: TalentBaseKind
    name_zh: str
    name_en: str
    host_unit: str
    starts_on: dt.date
    partner_university: str | None = None
    ends_on: dt.date | None = None


@strawberry.input
class AttachTalentBasePersonInput:
    base_id: relay.GlobalID
    name: str
    role: str = strawberry.field(description="e.g. 院士, 博士后, 导师, 实习生")
    expert_id: relay.GlobalID | None = None
    joined_on: dt.date | None = None


@strawberry.input
class OpenChiefExpertCallInput:
    title_zh: str
    title_en: str
    field: str
    deadline: dt.datetime
    description: str | None = None


@strawberry.input
class ApplyToChiefExpertCallInput:
    call_id: relay.GlobalID
    statement: str


@strawberry.input
class DecideChiefExpertApplicationInput:
    id: relay.GlobalID
    accept: bool
    reason: str | None = None


@strawberry.type
class TalentBaseQuery:
    @strawberry.field(description="Workstations and bases of every zone (public)")
    async def talent_bases(self, info: Info, kind: TalentBaseKind | None = None, first: int = 20,
                           after: str | None = None) -> Annotated[Connection[TalentBase] | ValidationFailed,
                                                                  strawberry.union("TalentBaseConnectionResult")]:
        ctx = info.context
        return await read(info, lambda: bases.list_bases(ctx.session, kind=kind.value if kind else None,
                                                         first=first, after=after,
                                                         max_page_size=ctx.settings.limits.max_page_size),
                          lambda page: connection(page, TalentBase.from_model))

    @strawberry.field(description="Chief-expert calls of every zone (public)")
    async def chief_expert_calls(self, info: Info, first: int = 20, after: str | None = None
                                 ) -> Annotated[Connection[ChiefExpertCall] | ValidationFailed,
                                                strawberry.union("ChiefExpertCallConnectionResult")]:
        ctx = info.context
        return await read(info, lambda: bases.list_calls(ctx.session, first=first, after=after,
                                                         max_page_size=ctx.settings.limits.max_page_size),
                          lambda page: connection(page, ChiefExpertCall.from_model))

    @strawberry.field(description="The calling zone's director: applications to a call")
    async def chief_expert_applications(self, info: Info, call_id: relay.GlobalID, first: int = 20,
                                        after: str | None = None
                                        ) -> Annotated[Connection[ChiefExpertApplication] | PermissionDenied
                                                       | ValidationFailed | NotFound,
                                                       strawberry.union("ChiefExpertApplicationConnectionResult")]:
        ctx = info.context
        return await read(info, lambda: bases.call_applications(
            ctx.session, ctx.actor, call_id=decode_id(call_id, "ChiefExpertCall", "callId"), first=first,
            after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, ChiefExpertApplication.from_model))

    @strawberry.field(description="Per-zone talent figures of a year: anonymous, for the portals' dashboards")
    async def talent_statistics(self, info: Info, year: int) -> TalentStatisticsResult:
        return await read(info, lambda: statistics.talent_statistics(info.context.session, year=year),
                          lambda rows: TalentStatistics(year=year, zones=[ZoneTalentStatistics.of(r)
                                                                          for r in rows]))


@strawberry.type
class TalentBaseMutation:
    @strawberry.mutation(description="Staff: a workstation or base of the acting zone")
    async def create_talent_base(self, info: Info, input: CreateTalentBaseInput) -> TalentBaseResult:
        ctx = info.context
        return await run(info, lambda: bases.create_base(
            ctx.session, ctx.actor, kind=input.kind.value, name_zh=input.name_zh, name_en=input.name_en,
            host_unit=input.host_unit, starts_on=input.starts_on, partner_university=input.partner_university,
            ends_on=input.ends_on), TalentBase.from_model)

    @strawberry.mutation(description="Staff of the base's zone: attach a person")
    async def attach_talent_base_person(self, info: Info, input: AttachTalentBasePersonInput) -> TalentBaseResult:
        ctx = info.context

        async def call():
            base_id = decode_id(input.base_id, "TalentBase", "baseId")
            await bases.attach_person(
                ctx.session, ctx.actor, base_id=base_id, name=input.name, role=input.role,
                expert_id=decode_id(input.expert_id, "Expert", "expertId") if input.expert_id else None,
                joined_on=input.joined_on)
            return await bases.get_base(ctx.session, base_id)
        return await run(info, call, TalentBase.from_model)

    @strawberry.mutation(description="Staff: open a call for chief experts (面向国内外征集首席专家)")
    async def open_chief_expert_call(self, info: Info, input: OpenChiefExpertCallInput) -> ChiefExpertCallResult:
        ctx = info.context
        return await run(info, lambda: bases.open_call(
            ctx.session, ctx.actor, title_zh=input.title_zh, title_en=input.title_en, field=input.field,
            deadline=input.deadline, description=input.description), ChiefExpertCall.from_model)

    @strawberry.mutation(description="A verified expert of any zone, before the deadline")
    async def apply_to_chief_expert_call(self, info: Info, input: ApplyToChiefExpertCallInput
                                         ) -> ChiefExpertApplicationResult:
        ctx = info.context
        return await run(info, lambda: bases.apply_to_call(
            ctx.session, ctx.actor, call_id=decode_id(input.call_id, "ChiefExpertCall", "callId"),
            statement=input.statement), ChiefExpertApplication.from_model)

    @strawberry.mutation(description="The calling zone's director: accepting marks the expert chief expert")
    async def decide_chief_expert_application(self, info: Info, input: DecideChiefExpertApplicationInput
                                              ) -> ChiefExpertApplicationResult:
        ctx = info.context
        return await run(info, lambda: bases.decide_application(
            ctx.session, ctx.actor, application_id=decode_id(input.id, "ChiefExpertApplication"),
            accept=input.accept, reason=input.reason), ChiefExpertApplication.from_model)
