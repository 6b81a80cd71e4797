"""Queries and mutations of the traceability catalogs (types in catalogs_types.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from ecozone.catalogs import service
from ecozone.graphql.catalogs_types import (
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
from ecozone.graphql.experts import ProductCategoryCode
from ecozone.graphql.results import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    read,
    run,
)

CatalogVersionResult = Annotated[CatalogVersion | PermissionDenied | ValidationFailed | NotFound | Conflict,
                                 strawberry.union("CatalogVersionResult")]
CatalogVersionConnectionResult = Annotated[Connection[CatalogVersion] | ValidationFailed,
                                           strawberry.union("CatalogVersionConnectionResult")]
CatalogDiffResult = Annotated[CatalogDiff | NotFound | ValidationFailed, strawberry.union("CatalogDiffResult")]
RecordValidationResult = Annotated[RecordValidation | NotFound | ValidationFailed,
                                   strawberry.union("RecordValidationResult")]
BatchValidationResult = Annotated[BatchValidation | NotFound | ValidationFailed,
                                  strawberry.union("BatchValidationResult")]


@strawberry.input
class CatalogFilterInput:
    category: ProductCategoryCode | None = None
    state: CatalogState | None = None


@strawberry.input
class CreateCatalogDraftInput:
    category: ProductCategoryCode
    change_note: str = strawberry.field(description="what the new version changes, zh and/or en")


@strawberry.input
class IndicatorInput:
    code: str
    name_zh: str
    name_en: str
    stage: SupplyChainStage
    data_type: IndicatorDataType
    required: bool
    unit: str | None = None
    allowed_values: list[str] | None = strawberry.field(default=None, description="enum type only")
    pattern: str | None = strawberry.field(default=None, description="regular expression, string type only")
    minimum: str | None = strawberry.field(default=None, description="decimal text, numeric types only")
    maximum: str | None = strawberry.field(default=None, description="decimal text, numeric types only")
    note: str | None = None


@strawberry.input
class UpdateCatalogDraftInput:
    id: relay.GlobalID
    indicators: list[IndicatorInput] = strawberry.field(description="the draft's whole new indicator list")
    change_note: str | None = None


@strawberry.input
class PublishCatalogVersionInput:
    id: relay.GlobalID


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
    @strawberry.field(description="Catalog versions; published and superseded ones are public, "
                                  "drafts are seen by zone staff")
    async def catalog_versions(self, info: Info, filter: CatalogFilterInput | None = None, first: int = 20,
                               after: str | None = None) -> CatalogVersionConnectionResult:
        ctx, f = info.context, filter or CatalogFilterInput()
        return await read(info, lambda: service.search(
            ctx.session, category=f.category.value if f.category else None,
            state=f.state.value if f.state else None, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, CatalogVersion.from_model))

    @strawberry.field(description="A category's catalog: version N, or the published one when omitted")
    async def catalog(self, info: Info, category: ProductCategoryCode, version: int | None = None
                      ) -> CatalogVersionResult:
        return await read(info, lambda: service.get_version(info.context.session, category.value, version),
                          CatalogVersion.from_model)

    @strawberry.field(description="Indicators added, removed and changed from one version to another")
    async def catalog_diff(self, info: Info, category: ProductCategoryCode, from_version: int,
                           to_version: int) -> CatalogDiffResult:
        return await read(info, lambda: service.diff_versions(
            info.context.session, category=category.value, from_number=from_version,
            to_number=to_version), CatalogDiff.of)

    @strawberry.field(description="Check a traceability code's segments and check digit")
    def validate_trace_code(self, code: str) -> TraceCodeCheck:
        return TraceCodeCheck.of(code)

    @strawberry.field(description="Every violation of one trace record against a catalog version "
                                  "(the published one when version is omitted)")
    async def validate_trace_record(self, info: Info, category: ProductCategoryCode, record: JSON,
                                    version: int | None = None) -> RecordValidationResult:
        return await read(info, lambda: service.validate_records(
            info.context.session, category=category.value, number=version, records=[record]),
            lambda result: _validation(0, result[1][0]))

    @strawberry.field(description="Batch form of validateTraceRecord (at most 1000 records)")
    async def validate_trace_records(self, info: Info, category: ProductCategoryCode, records: list[JSON],
                                     version: int | None = None) -> BatchValidationResult:
        return await read(info, lambda: service.validate_records(
            info.context.session, category=category.value, number=version, records=records), _batch)


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(description="Secretary: start a new draft version, a copy of the latest version")
    async def create_catalog_draft(self, info: Info, input: CreateCatalogDraftInput) -> CatalogVersionResult:
        ctx = info.context
        return await run(info, lambda: service.create_draft(
            ctx.session, ctx.actor, category=input.category.value, change_note=input.change_note),
            CatalogVersion.from_model)

    @strawberry.mutation(description="Secretary: replace a draft's indicators (published versions never change)")
    async def update_catalog_draft(self, info: Info, input: UpdateCatalogDraftInput) -> CatalogVersionResult:
        ctx = info.context
        return await run(info, lambda: service.update_draft(
            ctx.session, ctx.actor, version_id=decode_id(input.id, "CatalogVersion"),
            indicators=[_indicator(i) for i in input.indicators], change_note=input.change_note),
            CatalogVersion.from_model)

    @strawberry.mutation(description="Director: publish a draft; the previous version is superseded")
    async def publish_catalog_version(self, info: Info, input: PublishCatalogVersionInput
                                      ) -> CatalogVersionResult:
        ctx = info.context
        return await run(info, lambda: service.publish(
            ctx.session, ctx.actor, version_id=decode_id(input.id, "CatalogVersion")),
            CatalogVersion.from_model)
