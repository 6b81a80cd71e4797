"""Standard uptake: queries and mutations (thin: parse, call one service, map)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.graphql.common import connection, decode_id
from ecozone.graphql.context import Info
from ecozone.graphql.events.args import After, First, Input, gid
from ecozone.graphql.experts.types import ProductCategory
from ecozone.graphql.results import read, run
from ecozone.graphql.uptake.types import (
    UptakeByCategory,
    UptakeByStandard,
    UptakeByZone,
    UptakeCounts,
    UptakeKind,
    UptakeOutcome,
    UptakeRecord,
    UptakeRecordConnectionResult,
    UptakeRecordResult,
    UptakeStatistics,
    UptakeStatisticsResult,
    UptakeSubjectKind,
)
from ecozone.uptake import service
from ecozone.uptake.service import UptakeStatistics as Figures


@strawberry.input(description=("A record of a published standard's uptake, for the zone you act in (its staff). 为所操作"
                               "试验区登记已发布标准的应用情况（该区工作人员）。"))
class RecordStandardUptakeInput:
    standard_id: relay.GlobalID = strawberry.field(description=gid("Standard"))
    kind: UptakeKind = strawberry.field(description="What kind of record. 记录类型。")
    subject_kind: UptakeSubjectKind = strawberry.field(description=(
        "APPLICATION: ENTERPRISE or PLACE; PILOT: PLACE; VERIFICATION, EVALUATION: INSTITUTION. 标准应用：企业或地方；"
        "试点示范：地方；验证、评估：机构。"))
    subject_name: str = strawberry.field(description="The enterprise, place, site or institution. 企业、地方、示范点或机构名称。")
    starts_on: dt.date = strawberry.field(description="When it began. 开始日期。")
    ends_on: dt.date | None = strawberry.field(default=None, description="End of the period: required for a PILOT, not before the start. 期限截止：试点示范必填，不早于开始日期。")
    place: str | None = strawberry.field(default=None, description="Where; optional. 所在地；可选。")
    summary: str | None = strawberry.field(default=None, description="What was done; optional. 情况说明；可选。")
    results: str | None = strawberry.field(default=None, description="Results or findings so far; optional. 已有成效或结论说明；可选。")
    outcome: UptakeOutcome | None = strawberry.field(default=None, description="Required for VERIFICATION and EVALUATION, refused otherwise. 验证和评估必填，其他类型不可填。")


@strawberry.input(description="The results of a pilot (or an evaluation's findings), by the zone that recorded it. 由登记试验区填写试点成效（或评估结论说明）。")
class RecordUptakeResultsInput:
    id: relay.GlobalID = strawberry.field(description=gid("UptakeRecord"))
    results: str = strawberry.field(description="The results. 成效说明。")


def _statistics(figures: Figures) -> UptakeStatistics:
    return UptakeStatistics(
        by_standard=[UptakeByStandard(counts=UptakeCounts.of(c), standard_id=c.key) for c in figures.by_standard],
        by_category=[UptakeByCategory(category=ProductCategory.of(c.key) if c.key else None,
                                      counts=UptakeCounts.of(c)) for c in figures.by_category],
        by_zone=[UptakeByZone(counts=UptakeCounts.of(c), zone_id=c.key) for c in figures.by_zone])


@strawberry.type
class UptakeQuery:
    @strawberry.field(description=("A published standard's uptake records (public), optionally of one kind, in start "
                                   "order; NotFound for a standard the viewer may not see. 已发布标准的应用情况记录（公开），"
                                   "可按类型筛选，按开始日期排序；查看者不可见的标准返回 NotFound。"))
    async def standard_uptake(self, info: Info, standard_id: Annotated[relay.GlobalID, strawberry.argument(
            description=gid("Standard"))], kind: Annotated[UptakeKind | None, strawberry.argument(
            description="Only this kind. 仅该类型。")] = None, first: First = 20, after: After = None
                              ) -> UptakeRecordConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.list_uptake(
            ctx.session, standard_id=decode_id(standard_id, "Standard", "standardId"),
            kind=kind.value if kind else None, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size), lambda page: connection(page, UptakeRecord.from_model))

    @strawberry.field(description=("Uptake statistics by standard, product category and recording zone, of all years "
                                   "or of records begun in `year` (anonymous). 按标准、产品类别和登记试验区统计的应用情况，"
                                   "全部年份或 `year` 年开始的记录（匿名可查）。"))
    async def uptake_statistics(self, info: Info, year: Annotated[int | None, strawberry.argument(
            description="Only records begun this year, 2000–2100; omit for all. 仅该年开始的记录，2000–2100；省略为全部。")] = None
                                ) -> UptakeStatisticsResult:
        return await read(info, lambda: service.statistics(info.context.session, year=year), _statistics)


@strawberry.type
class UptakeMutation:
    @strawberry.mutation(description=("Staff of the acting zone record an application, pilot site, verification or "
                                      "evaluation of a published standard. 所操作试验区工作人员登记已发布标准的应用、试点示范、"
                                      "验证或评估。"))
    async def record_standard_uptake(self, info: Info, input: Annotated[RecordStandardUptakeInput,
                                     strawberry.argument(description=Input)]) -> UptakeRecordResult:
        ctx = info.context

        async def call():
            return await service.record_uptake(
                ctx.session, ctx.actor, standard_id=decode_id(input.standard_id, "Standard", "standardId"),
                kind=input.kind.value, subject_kind=input.subject_kind.value, subject_name=input.subject_name,
                starts_on=input.starts_on, ends_on=input.ends_on, place=input.place, summary=input.summary,
                results=input.results, outcome=input.outcome.value if input.outcome else None)
        return await run(info, call, UptakeRecord.from_model)

    @strawberry.mutation(description="The recording zone's staff write a pilot's results. 登记试验区工作人员填写试点成效。")
    async def record_uptake_results(self, info: Info, input: Annotated[RecordUptakeResultsInput,
                                    strawberry.argument(description=Input)]) -> UptakeRecordResult:
        ctx = info.context
        return await run(info, lambda: service.record_results(
            ctx.session, ctx.actor, record_id=decode_id(input.id, "UptakeRecord"), results=input.results),
            UptakeRecord.from_model)
