"""GraphQL types of standard uptake: records of application, pilots, verification, evaluation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.graphql.common import Connection, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.experts.types import ProductCategory
from ecozone.graphql.results import EVERY_FAILURE, NotFound, PermissionDenied, ValidationFailed, result_union
from ecozone.graphql.zones import Zone, load_zone
from ecozone.uptake import rules
from ecozone.uptake.models import UptakeRecord as RecordModel
from ecozone.uptake.service import Counts

UptakeKind = strawberry.enum(Enum("UptakeKind", {k.upper(): k for k in rules.KINDS}), description=(
    "APPLICATION 标准应用 · PILOT 试点示范 · VERIFICATION 标准验证 · EVALUATION 标准评估 (办法 第四条(四)). "
    "标准应用情况记录的类型。"))
UptakeSubjectKind = strawberry.enum(Enum("UptakeSubjectKind", {k.upper(): k for k in rules.SUBJECT_KINDS}),
                                    description=("Who applies, hosts or examines: ENTERPRISE 企业 · PLACE 地方 · "
                                                 "INSTITUTION 机构. 应用、承担或评价的主体类型。"))
UptakeOutcome = strawberry.enum(Enum("UptakeOutcome", {k.upper(): k for k in rules.OUTCOMES}), description=(
    "A verification's or evaluation's conclusion: MEETS 符合 · PARTLY 部分符合 · FAILS 不符合. 验证或评估结论。"))


@strawberry.type(description=("What happened to a published standard: an application by an enterprise or a place, a "
                              "pilot demonstration site with its period and results, a verification or an evaluation "
                              "(public). 已发布标准的应用情况：企业或地方的应用、试点示范（期限与成效）、标准验证或评估（公开）。"))
class UptakeRecord(relay.Node):
    id: relay.NodeID[int]
    kind: UptakeKind = strawberry.field(description="What kind of record. 记录类型。")
    subject_kind: UptakeSubjectKind = strawberry.field(description="Enterprise, place or institution. 主体类型。")
    subject_name: str = strawberry.field(description="The enterprise, place, site or institution. 企业、地方、示范点或机构名称。")
    place: str | None = strawberry.field(description="Where; null if not given. 所在地；未填写时为 null。")
    starts_on: dt.date = strawberry.field(description="When it began (a pilot's period starts). 开始日期（试点期限起始）。")
    ends_on: dt.date | None = strawberry.field(description="When it ends (a pilot's period); null if open. 结束日期（试点期限截止）；未定时为 null。")
    summary: str | None = strawberry.field(description="What was done; null if not given. 情况说明；未填写时为 null。")
    results: str | None = strawberry.field(description=("A pilot's results or an evaluation's findings; null until "
                                                        "recorded. 试点成效或评估结论说明；填写前为 null。"))
    outcome: UptakeOutcome | None = strawberry.field(description="A verification's or evaluation's conclusion; null for others. 验证或评估结论；其他类型为 null。")
    model: strawberry.Private[RecordModel]

    @classmethod
    def from_model(cls, r: RecordModel) -> UptakeRecord:
        return cls(id=r.id, kind=UptakeKind(r.kind), subject_kind=UptakeSubjectKind(r.subject_kind),
                   subject_name=r.subject_name, place=r.place, starts_on=r.starts_on, ends_on=r.ends_on,
                   summary=r.summary, results=r.results, outcome=UptakeOutcome(r.outcome) if r.outcome else None,
                   model=r)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, RecordModel, list(node_ids))]

    @strawberry.field(description="The zone that recorded it. 登记该记录的试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.model.zone_id)

    @strawberry.field(description="The standard it is about. 所涉标准。")
    async def standard(self, info: Info) -> Annotated["Standard", strawberry.lazy("ecozone.graphql.standards.types")] | None:  # noqa: F821
        from ecozone.graphql.standards.types import Standard
        from ecozone.standards.models import Standard as StandardModel
        row = await info.context.loaders.by_id(StandardModel).load(self.model.standard_id)
        return Standard.from_model(row) if row else None


@strawberry.type(description="Records of each kind. 各类记录的数量。")
class UptakeCounts:
    applications: int = strawberry.field(description="Applications. 标准应用数。")
    pilots: int = strawberry.field(description="Pilot demonstration sites. 试点示范数。")
    verifications: int = strawberry.field(description="Verifications. 标准验证数。")
    evaluations: int = strawberry.field(description="Evaluations. 标准评估数。")

    @classmethod
    def of(cls, c: Counts) -> UptakeCounts:
        k = c.by_kind
        return cls(applications=k.get("application", 0), pilots=k.get("pilot", 0),
                   verifications=k.get("verification", 0), evaluations=k.get("evaluation", 0))


@strawberry.type(description="A standard's uptake counts. 某项标准的应用情况统计。")
class UptakeByStandard:
    counts: UptakeCounts = strawberry.field(description="Records of each kind. 各类记录数。")
    standard_id: strawberry.Private[int]

    @strawberry.field(description="The standard. 标准。")
    async def standard(self, info: Info) -> Annotated["Standard", strawberry.lazy("ecozone.graphql.standards.types")] | None:  # noqa: F821
        from ecozone.graphql.standards.types import Standard
        from ecozone.standards.models import Standard as StandardModel
        row = await info.context.loaders.by_id(StandardModel).load(self.standard_id)
        return Standard.from_model(row) if row else None


@strawberry.type(description="Uptake counts of the standards of one product category. 某产品类别标准的应用情况统计。")
class UptakeByCategory:
    category: ProductCategory | None = strawberry.field(description="The category; null for standards without one. 产品类别；无类别的标准为 null。")
    counts: UptakeCounts = strawberry.field(description="Records of each kind. 各类记录数。")


@strawberry.type(description="Uptake counts recorded by one zone. 某试验区登记的应用情况统计。")
class UptakeByZone:
    counts: UptakeCounts = strawberry.field(description="Records of each kind. 各类记录数。")
    zone_id: strawberry.Private[int]

    @strawberry.field(description="The recording zone. 登记试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)


@strawberry.type(description=("Uptake statistics by standard, product category and zone (anonymous). 按标准、产品类别"
                              "和试验区统计的标准应用情况（匿名可查）。"))
class UptakeStatistics:
    by_standard: list[UptakeByStandard] = strawberry.field(description="Per standard with records, in id order. 每项有记录的标准一项，按 ID 排序。")
    by_category: list[UptakeByCategory] = strawberry.field(description="Per category, no category last. 每个产品类别一项，无类别的排最后。")
    by_zone: list[UptakeByZone] = strawberry.field(description="Per recording zone. 每个登记试验区一项。")


UptakeRecordResult = result_union("UptakeRecordResult", UptakeRecord, *EVERY_FAILURE)
UptakeRecordConnectionResult = result_union("UptakeRecordConnectionResult", Connection[UptakeRecord], PermissionDenied,
                                            ValidationFailed, NotFound)
UptakeStatisticsResult = result_union("UptakeStatisticsResult", UptakeStatistics, ValidationFailed)
