"""The public statistics of standards (`standardStatistics`, 办法 第十二条(三)): types and
the mapping from the service's figures."""

from __future__ import annotations


import strawberry

from ecozone.graphql.context import Info
from ecozone.graphql.experts.types import ProductCategory
from ecozone.graphql.results import ValidationFailed, result_union
from ecozone.graphql.standards.types import Stage, StandardKind
from ecozone.graphql.zones import Zone, zone_of
from ecozone.standards import statistics

_KIND_NAMES = {"joint_local": ("联合地方标准", "Joint local standard"),
               "group": ("团体标准", "Group standard")}


@strawberry.type(description="Standards at one stage of work in progress. 某一在研阶段的标准数。")
class StandardStageCount:
    stage: Stage = strawberry.field(description=("The stage, with its code and names. 阶段（含代码和名称）。"))
    count: int = strawberry.field(description="Standards at this stage. 处于该阶段的标准数。")


@strawberry.type(description="Standards in force of one kind. 某一类型的现行标准数。")
class StandardKindCount:
    kind: StandardKind = strawberry.field(description="The kind. 标准类型。")
    name_zh: str = strawberry.field(description=("The kind's name in Chinese, e.g. 联合地方标准. 类型中文名称，如“联合地方标准”。"))
    name_en: str = strawberry.field(description="The kind's name in English. 类型英文名称。")
    count: int = strawberry.field(description="Standards in force of this kind. 该类型现行标准数。")


@strawberry.type(description="Standards in force in which a zone takes part. 某试验区参与的现行标准数。")
class StandardZoneCount:
    count: int = strawberry.field(description=("Standards in force in which the zone takes part. 该试验区参与的现行标准数。"))
    zone_id: strawberry.Private[int]

    @strawberry.field(description="The zone. 试验区。")
    def zone(self, info: Info) -> Zone:
        return zone_of(info, self.zone_id)


@strawberry.type(description="Standards in force released in a year. 某年发布的现行标准数。")
class StandardYearCount:
    year: int = strawberry.field(description="Year of release. 发布年份。")
    count: int = strawberry.field(description=("Standards in force released that year. 该年发布的现行标准数。"))


@strawberry.type(description="Standards in force about a product category. 某产品类别的现行标准数。")
class StandardCategoryCount:
    category: ProductCategory = strawberry.field(description="The product category. 产品类别。")
    count: int = strawberry.field(description=("Standards in force about this category. 该类别的现行标准数。"))


@strawberry.type(description=("Public statistics of standards (办法 第十二条(三)), the same for every viewer: counts "
         "only. `year` is the year of release for released standards and the year the work "
         "began for work in progress; `zone` a participating zone. 标准公开统计（办法 第十二条(三)），对所有查看者相同"
         "，仅含数量。已发布标准按发布年份、在研标准按开始年份计；`zone` 为参与试验区。"))
class StandardStatistics:
    year: int | None = strawberry.field(description=("The year asked for; null for all years. 所查询的年份；全部年份时为 null。"))
    zone: str | None = strawberry.field(description=("The zone slug asked for; null for all zones. 所查询的试验区 slug；全部试验区时为 null。"))
    published: int = strawberry.field(description="Standards in force. 现行有效标准数。")
    withdrawn: int = strawberry.field(description="Standards withdrawn after review. 复审后废止的标准数。")
    superseded: int = strawberry.field(description=("Standards replaced by a revision. 被修订版替代的标准数。"))
    in_progress: int = strawberry.field(description=("Work in progress, stage 10 proposal to 50 joint approval. 在研标准数（阶段 10 提案至 50 联合批"
             "准）。"))
    by_stage: list[StandardStageCount] = strawberry.field(description=(
             "Standards in progress by stage (10 proposal … 50 joint approval), every stage "
             "listed, zero included. 在研标准按阶段统计（10 提案 … 50 联合批准），列出所有阶段（含 0）。"))
    by_kind: list[StandardKindCount] = strawberry.field(description="Standards in force by kind, both kinds listed. 现行标准按类型统计，两种类型均列出。")
    by_zone: list[StandardZoneCount] = strawberry.field(description=(
             "Standards in force by zone taking part (a joint standard counts in each of its "
             "zones). 现行标准按参与试验区统计（联合标准在其每个试验区各计一次）。"))
    by_year: list[StandardYearCount] = strawberry.field(description="Standards in force by year of release, ascending. 现行标准按发布年份统计，升序。")
    by_category: list[StandardCategoryCount] = strawberry.field(description="Standards in force by product category. 现行标准按产品类别统计。")


StandardStatisticsResult = result_union("StandardStatisticsResult", StandardStatistics, ValidationFailed)


def standard_statistics_of(f: statistics.StandardFigures) -> StandardStatistics:
    return StandardStatistics(
        year=f.year, zone=f.zone, published=f.published, withdrawn=f.withdrawn,
        superseded=f.superseded, in_progress=f.in_progress,
        by_stage=[StandardStageCount(stage=Stage.of(st), count=n) for st, n in f.by_stage.items()],
        by_kind=[StandardKindCount(kind=StandardKind(k), name_zh=_KIND_NAMES[k][0],
                                   name_en=_KIND_NAMES[k][1], count=n)
                 for k, n in f.by_kind.items()],
        by_zone=[StandardZoneCount(zone_id=z, count=n) for z, n in sorted(f.by_zone.items())],
        by_year=[StandardYearCount(year=y, count=n) for y, n in f.by_year.items()],
        by_category=[StandardCategoryCount(category=ProductCategory.of(c), count=n)
                     for c, n in f.by_category.items()])
