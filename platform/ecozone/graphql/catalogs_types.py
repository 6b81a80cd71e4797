"""GraphQL types of the traceability catalogs (operations in catalogs.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from ecozone.catalogs import codes, rules, service
from ecozone.catalogs.models import CatalogVersion as CatalogVersionModel
from ecozone.graphql.common import load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.experts import ProductCategory

CatalogState = strawberry.enum(Enum("CatalogState", {s.upper(): s for s in ("draft", "published", "superseded")}),
                               description="draft → published → superseded")
SupplyChainStage = strawberry.enum(Enum("SupplyChainStage", {s.upper(): s for s in rules.STAGES}))
IndicatorDataType = strawberry.enum(Enum("IndicatorDataType", {s.upper(): s for s in rules.DATA_TYPES}))


@strawberry.type(description="A data-collection indicator (数据采集指标) of a catalog version.")
class Indicator:
    code: str
    name_zh: str
    name_en: str
    stage: SupplyChainStage
    stage_name_zh: str
    stage_name_en: str
    data_type: IndicatorDataType
    unit: str | None
    required: bool
    allowed_values: list[str] | None
    pattern: str | None
    minimum: str | None = strawberry.field(description="decimal text, integer and decimal types")
    maximum: str | None = strawberry.field(description="decimal text, integer and decimal types")
    note: str | None

    @classmethod
    def of(cls, ind: dict[str, Any]) -> Indicator:
        return cls(code=ind["code"], name_zh=ind["name_zh"], name_en=ind["name_en"],
                   stage=SupplyChainStage(ind["stage"]), stage_name_zh=rules.STAGES[ind["stage"]][0],
                   stage_name_en=rules.STAGES[ind["stage"]][1],
                   data_type=IndicatorDataType(ind["data_type"]), unit=ind.get("unit"),
                   required=ind["required"], allowed_values=ind.get("allowed_values"),
                   pattern=ind.get("pattern"), minimum=ind.get("minimum"), maximum=ind.get("maximum"),
                   note=ind.get("note"))


@strawberry.type(description="One segment of the traceability code.")
class CodeSegment:
    key: str
    name_zh: str
    name_en: str
    start: int = strawberry.field(description="1-based position of its first digit")
    length: int
    description_zh: str
    description_en: str
    example: str


@strawberry.type(description="Encoding rules (编码规则) of the traceability code.")
class EncodingRules:
    pattern: str
    layout: str
    length: int
    check_algorithm: str
    example: str
    category_code: str
    segments: list[CodeSegment]

    @classmethod
    def of(cls, d: dict[str, Any]) -> EncodingRules:
        return cls(**{**d, "segments": [CodeSegment(**s) for s in d["segments"]]})


@strawberry.type
class InterfaceField:
    name: str
    type: str
    required: bool
    name_zh: str
    name_en: str


@strawberry.type(description="An operation of the interface specification (接口规范).")
class InterfaceOperation:
    name: str
    method: str
    path: str
    description_zh: str
    description_en: str
    input: list[InterfaceField]
    output: list[InterfaceField]

    @classmethod
    def of(cls, d: dict[str, Any]) -> InterfaceOperation:
        return cls(**{**d, "input": [InterfaceField(**f) for f in d["input"]],
                      "output": [InterfaceField(**f) for f in d["output"]]})


@strawberry.type(description="A version of the traceability standard catalog of one product category.")
class CatalogVersion(relay.Node):
    id: relay.NodeID[int]
    number: int
    state: CatalogState
    change_note: str
    published_at: dt.datetime | None
    model: strawberry.Private[CatalogVersionModel]

    @classmethod
    def from_model(cls, v: CatalogVersionModel) -> CatalogVersion:
        return cls(id=v.id, number=v.number, state=CatalogState(v.state), change_note=v.change_note,
                   published_at=v.published_at, model=v)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await load_nodes(info, CatalogVersionModel, list(node_ids))
        return [cls.from_model(r) if r else None for r in rows]

    @strawberry.field
    def category(self) -> ProductCategory:
        return ProductCategory.of(self.model.category)

    @strawberry.field(description="The data-collection indicators (a version holds at most 200)")
    def indicators(self) -> list[Indicator]:
        return [Indicator.of(i) for i in self.model.indicators]

    @strawberry.field(description="Transmission format: JSON Schema (draft 2020-12) of one record")
    def json_schema(self) -> JSON:
        return service.schema_of(self.model)

    @strawberry.field(description="Interface specification: the operations and their fields")
    def interface(self) -> list[InterfaceOperation]:
        return [InterfaceOperation.of(op) for op in service.interface_of(self.model)]

    @strawberry.field(description="Encoding rules of the traceability code, with an example")
    def encoding(self) -> EncodingRules:
        return EncodingRules.of(service.encoding_of(self.model))


@strawberry.type
class IndicatorChange:
    code: str
    changed_fields: list[str]


@strawberry.type(description="Indicators added, removed and changed between two versions.")
class CatalogDiff:
    added: list[str]
    removed: list[str]
    changed: list[IndicatorChange]

    @classmethod
    def of(cls, d: rules.CatalogDiff) -> CatalogDiff:
        return cls(added=d.added, removed=d.removed,
                   changed=[IndicatorChange(code=c, changed_fields=f) for c, f in d.changed.items()])


@strawberry.type(description="One violation of a record, at a JSON path such as $.picking_date")
class TraceViolation:
    path: str
    code: str
    message: str
    message_zh: str

    @classmethod
    def of(cls, v: rules.Violation) -> TraceViolation:
        return cls(path=v.path, code=v.code, message=v.message_en, message_zh=v.message_zh)


@strawberry.type
class RecordValidation:
    index: int = strawberry.field(description="position of the record in the batch (0 for one record)")
    valid: bool
    violations: list[TraceViolation]


@strawberry.type
class BatchValidation:
    catalog: CatalogVersion
    valid_count: int
    invalid_count: int
    results: list[RecordValidation]


@strawberry.type(description="One problem of a traceability code, naming its segment")
class CodeProblem:
    segment: str
    code: str
    message: str
    message_zh: str


@strawberry.type
class TraceCodeCheck:
    code: str
    valid: bool
    problems: list[CodeProblem]
    segments: list[CodeSegment] = strawberry.field(description="the code cut into its segments (when 27 long)")

    @classmethod
    def of(cls, code: str) -> TraceCodeCheck:
        problems = codes.validate_code(code)
        segments: list[CodeSegment] = []
        if len(code) == codes.CODE_LENGTH:
            parts, start = codes.split(code), 1
            for s in codes.SEGMENTS:
                segments.append(CodeSegment(key=s.key, name_zh=s.name_zh, name_en=s.name_en, start=start,
                                            length=s.length, description_zh=s.description_zh,
                                            description_en=s.description_en, example=parts[s.key]))
                start += s.length
        return cls(code=code, valid=not problems, segments=segments, problems=[
            CodeProblem(segment=p.segment, code=p.code, message=p.message_en, message_zh=p.message_zh)
            for p in problems])
