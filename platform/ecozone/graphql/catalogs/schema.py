"""Queries and mutations of the traceability catalogs (types in types.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from ecozone.catalogs import service
from ecozone.graphql.catalogs.types import (
    BatchValidation,
    CatalogDiff,
    CatalogState,
    CatalogVersion,
    IndicatorDataType,
    RecordValidation,
    SupplyChainStage,
    TraceCodeCheck,
    TraceViolation,
)
from ecozone.graphql.common import Connection, connection, decode_id
from ecozone.graphql.context import Info
from ecozone.graphql.experts.types import ProductCategoryCode
from ecozone.graphql.results import (
    EVERY_FAILURE,
    NotFound,
    ValidationFailed,
    read,
    result_union,
    run,
)

CatalogVersionResult = result_union("CatalogVersionResult", CatalogVersion, *EVERY_FAILURE)
CatalogVersionConnectionResult = result_union("CatalogVersionConnectionResult", Connection[CatalogVersion],
                                              ValidationFailed)
CatalogDiffResult = result_union("CatalogDiffResult", CatalogDiff, NotFound, ValidationFailed)
RecordValidationResult = result_union("RecordValidationResult", RecordValidation, NotFound, ValidationFailed)
BatchValidationResult = result_union("BatchValidationResult", BatchValidation, NotFound, ValidationFailed)


@strawberry.input(description="Filters of `catalogVersions`; all optional. `catalogVersions` 的筛选条件；均可选。")
class CatalogFilterInput:
    category: ProductCategoryCode | None = strawberry.field(default=None, description="Only this category. 仅此类别。")
    state: CatalogState | None = strawberry.field(default=None, description="Only this state. 仅此状态。")


@strawberry.input(description="A new draft version. 新的草稿版本。")
class CreateCatalogDraftInput:
    category: ProductCategoryCode = strawberry.field(description="The product category. 产品类别。")
    change_note: str = strawberry.field(description=("What the new version changes, in Chinese and/or English. 新版本的修改说明（中文和/或英文）。"))


@strawberry.input(description="One data-collection indicator. 一个数据采集指标。")
class IndicatorInput:
    code: str = strawberry.field(description=("Indicator code, the record's key, e.g. picking_date. 指标代码，即记录中的键，如 picking_date。"))
    name_zh: str = strawberry.field(description="Name in Chinese. 中文名称。")
    name_en: str = strawberry.field(description="Name in English. 英文名称。")
    stage: SupplyChainStage = strawberry.field(description="Supply-chain stage it is collected at. 采集所在的供应链环节。")
    data_type: IndicatorDataType = strawberry.field(description="Type of the value. 值的数据类型。")
    required: bool = strawberry.field(description=("True when every record must have it. 是否每条记录必填。"))
    unit: str | None = strawberry.field(default=None, description="Unit of measurement, e.g. kg; optional. 计量单位，如 kg；可选。")
    allowed_values: list[str] | None = strawberry.field(default=None, description="Allowed values, ENUM type only. 允许的取值，仅 ENUM 类型。")
    pattern: str | None = strawberry.field(default=None, description="Regular expression the value must match, STRING type only. 值须匹配的正则表达式，仅 STRING 类型。")
    minimum: str | None = strawberry.field(default=None, description="Smallest value as decimal text, numeric types only. 最小值（十进制文本），仅数值类型。")
    maximum: str | None = strawberry.field(default=None, description="Largest value as decimal text, numeric types only. 最大值（十进制文本），仅数值类型。")
    note: str | None = strawberry.field(default=None, description="Note for data collectors; optional. 给采集人员的说明；可选。")


@strawberry.input(description="A draft's new indicator list. 草稿的新指标列表。")
class UpdateCatalogDraftInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the CatalogVersion (`CatalogVersion.id`). 目录版本的全局 ID（"
             "`CatalogVersion.id`）。"))
    indicators: list[IndicatorInput] = strawberry.field(description="The draft's whole new indicator list (at most 200). 草稿完整的新指标列表（最多 200 个）。")
    change_note: str | None = strawberry.field(default=None, description="New change note; omit to keep it. 新的修改说明；省略则保持不变。")


@strawberry.input(description="Publish a draft version. 发布草稿版本。")
class PublishCatalogVersionInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the CatalogVersion (`CatalogVersion.id`). 目录版本的全局 ID（"
             "`CatalogVersion.id`）。"))


def _indicator(i: IndicatorInput) -> dict:
    return {"code": i.code, "name_zh": i.name_zh, "name_en": i.name_en, "stage": i.stage.value,
                "data_type": i.data_type.value, "required": i.required, "unit": i.unit,
                "allowed_values": i.allowed_values, "pattern": i.pattern, "minimum": i.minimum,
                "maximum": i.maximum, "note": i.note}


def _validation(index: int, violations) -> RecordValidation:
    return RecordValidation(index=index, valid=not violations,
                            violations=[TraceViolation.of(v) for v in violations])


def _batch(result) -> BatchValidation:
    version, outcomes = result
    invalid = sum(1 for v in outcomes if v)
    return BatchValidation(catalog=CatalogVersion.from_model(version), valid_count=len(outcomes) - invalid,
                           invalid_count=invalid, results=[_validation(n, v) for n, v in enumerate(outcomes)])


@strawberry.type
class CatalogQuery:
    @strawberry.field(description=("Versions of the traceability standard catalogs (追溯标准目录, 办法 第四条(五)); published "
             "and superseded ones are public, drafts are seen by zone staff. 追溯标准目录的各版本（办法 第四条"
             "(五)）；已发布和已替代版本公开，草稿仅试验区工作人员可见。"))
    async def catalog_versions(self, info: Info, filter: Annotated[CatalogFilterInput | None, strawberry.argument(description="Narrow the list; every field given must match. 筛选条件；所给字段须全部匹配。")] = None, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20,
                               after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None) -> CatalogVersionConnectionResult:
        ctx, f = info.context, filter or CatalogFilterInput()
        return await read(info, lambda: service.search(
            ctx.session, category=f.category.value if f.category else None,
            state=f.state.value if f.state else None, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, CatalogVersion.from_model))

    @strawberry.field(description=("A category's catalog: version N, or the published one when omitted; NotFound if "
             "none. 某类别的目录：指定版本，省略时为现行发布版本；不存在时返回 NotFound。"))
    async def catalog(self, info: Info, category: Annotated[ProductCategoryCode, strawberry.argument(description="The product category. 产品类别。")], version: Annotated[int | None, strawberry.argument(description="Version number; omit for the published version. 版本号；省略时为现行发布版本。")] = None
                      ) -> CatalogVersionResult:
        return await read(info, lambda: service.get_version(info.context.session, category.value, version),
                          CatalogVersion.from_model)

    @strawberry.field(description=("Indicators added, removed and changed from one version to another of a "
             "category. 某类别两个版本之间新增、删除和修改的指标。"))
    async def catalog_diff(self, info: Info, category: Annotated[ProductCategoryCode, strawberry.argument(description="The product category. 产品类别。")], from_version: Annotated[int, strawberry.argument(description="The older version number. 较早的版本号。")],
                           to_version: Annotated[int, strawberry.argument(description="The newer version number. 较新的版本号。")]) -> CatalogDiffResult:
        return await read(info, lambda: service.diff_versions(
            info.context.session, category=category.value, from_number=from_version,
            to_number=to_version), CatalogDiff.of)

    @strawberry.field(description=("Check a traceability code's segments and check digit; anonymous. 校验追溯码的各段和校验位；无需"
             "登录。"))
    def validate_trace_code(self, code: Annotated[str, strawberry.argument(description="The 27-digit traceability code. 27 位数字追溯码。")]) -> TraceCodeCheck:
        return TraceCodeCheck.of(code)

    @strawberry.field(description=("Every violation of one trace record against a catalog version (the published "
             "one when version is omitted); anonymous. 按目录版本（省略时为现行版本）校验一条追溯记录，列出全部违规；无需登录。"))
    async def validate_trace_record(self, info: Info, category: Annotated[ProductCategoryCode, strawberry.argument(description="The product category. 产品类别。")], record: Annotated[JSON, strawberry.argument(description="The record: a JSON object keyed by indicator code. 追溯记录：以指标代码为键的 JSON 对象。")],
                                    version: Annotated[int | None, strawberry.argument(description="Version number; omit for the published version. 版本号；省略时为现行发布版本。")] = None) -> RecordValidationResult:
        return await read(info, lambda: service.validate_records(
            info.context.session, category=category.value, number=version, records=[record]),
            lambda result: _validation(0, result[1][0]))

    @strawberry.field(description=("Batch form of validateTraceRecord (at most 1000 records). validateTraceRecord 的批"
             "量形式（最多 1000 条）。"))
    async def validate_trace_records(self, info: Info, category: Annotated[ProductCategoryCode, strawberry.argument(description="The product category. 产品类别。")], records: Annotated[list[JSON], strawberry.argument(description="The records, at most 1000. 追溯记录，最多 1000 条。")],
                                     version: Annotated[int | None, strawberry.argument(description="Version number; omit for the published version. 版本号；省略时为现行发布版本。")] = None) -> BatchValidationResult:
        return await read(info, lambda: service.validate_records(
            info.context.session, category=category.value, number=version, records=records), _batch)


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(description=("Secretary: start a new draft version of a category's catalog, a copy of the "
             "latest version. 秘书：新建某类别目录的草稿版本（复制最新版本）。"))
    async def create_catalog_draft(self, info: Info, input: Annotated[CreateCatalogDraftInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CatalogVersionResult:
        ctx = info.context
        return await run(info, lambda: service.create_draft(
            ctx.session, ctx.actor, category=input.category.value, change_note=input.change_note),
            CatalogVersion.from_model)

    @strawberry.mutation(description=("Secretary: replace a draft's indicators (published versions never change). 秘书：替换"
             "草稿的全部指标（已发布版本不可修改）。"))
    async def update_catalog_draft(self, info: Info, input: Annotated[UpdateCatalogDraftInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CatalogVersionResult:
        ctx = info.context
        return await run(info, lambda: service.update_draft(
            ctx.session, ctx.actor, version_id=decode_id(input.id, "CatalogVersion"),
            indicators=[_indicator(i) for i in input.indicators], change_note=input.change_note),
            CatalogVersion.from_model)

    @strawberry.mutation(description=("Director: publish a draft; the previous version is superseded. 主任：发布草稿；上一版本被替代。"))
    async def publish_catalog_version(self, info: Info, input: Annotated[PublishCatalogVersionInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                      ) -> CatalogVersionResult:
        ctx = info.context
        return await run(info, lambda: service.publish(
            ctx.session, ctx.actor, version_id=decode_id(input.id, "CatalogVersion")),
            CatalogVersion.from_model)
