"""GraphQL types of the traceability catalogs (operations in schema.py)."""

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
from ecozone.graphql.experts.types import ProductCategory

CatalogState = strawberry.enum(Enum("CatalogState", {s.upper(): s for s in ("draft", "published", "superseded")}),
                               description="DRAFT 草稿 → PUBLISHED 现行 → SUPERSEDED 已替代. 目录版本状态。")
SupplyChainStage = strawberry.enum(Enum("SupplyChainStage", {s.upper(): s for s in rules.STAGES}), description=(
         "Supply-chain stage: ORIGIN 产地/生产 · PROCESSING 加工 · INSPECTION 检验检测 · LOGISTICS 物流 · "
         "SALE 销售. 供应链环节。"))
IndicatorDataType = strawberry.enum(Enum("IndicatorDataType", {s.upper(): s for s in rules.DATA_TYPES}), description=(
         "Type of an indicator's value: STRING, INTEGER, DECIMAL, DATE (YYYY-MM-DD), DATETIME "
         "(ISO 8601 with offset), BOOLEAN, ENUM (one of allowedValues). 指标值的数据类型。"))


@strawberry.type(description="A data-collection indicator of a catalog version. 目录版本中的一个数据采集指标。")
class Indicator:
    code: str = strawberry.field(description="Indicator code, the record's key. 指标代码，即记录中的键。")
    name_zh: str = strawberry.field(description="Name in Chinese. 中文名称。")
    name_en: str = strawberry.field(description="Name in English. 英文名称。")
    stage: SupplyChainStage = strawberry.field(description="Supply-chain stage it is collected at. 采集所在的供应链环节。")
    stage_name_zh: str = strawberry.field(description=("The stage's name in Chinese, e.g. 加工. 环节中文名称，如“加工”。"))
    stage_name_en: str = strawberry.field(description="The stage's name in English. 环节英文名称。")
    data_type: IndicatorDataType = strawberry.field(description="Type of the value. 值的数据类型。")
    unit: str | None = strawberry.field(description=("Unit of measurement; null if none. 计量单位；无则为 null。"))
    required: bool = strawberry.field(description=("True when every record must have it. 是否每条记录必填。"))
    allowed_values: list[str] | None = strawberry.field(description="Allowed values for ENUM; null otherwise. ENUM 类型允许的取值；其他类型为 null。")
    pattern: str | None = strawberry.field(description=("Regular expression for STRING values; null if none. STRING 值须匹配的正则表达式；无则为 null。"))
    minimum: str | None = strawberry.field(description=("Smallest value as decimal text (integer and decimal types); null if none. 最小值（十进"
             "制文本，整数和小数类型）；无则为 null。"))
    maximum: str | None = strawberry.field(description=("Largest value as decimal text (integer and decimal types); null if none. 最大值（十进制"
             "文本，整数和小数类型）；无则为 null。"))
    note: str | None = strawberry.field(description=("Note for data collectors; null if none. 给采集人员的说明；无则为 null。"))

    @classmethod
    def of(cls, ind: dict[str, Any]) -> Indicator:
        return cls(code=ind["code"], name_zh=ind["name_zh"], name_en=ind["name_en"],
                   stage=SupplyChainStage(ind["stage"]), stage_name_zh=rules.STAGES[ind["stage"]][0],
                   stage_name_en=rules.STAGES[ind["stage"]][1],
                   data_type=IndicatorDataType(ind["data_type"]), unit=ind.get("unit"),
                   required=ind["required"], allowed_values=ind.get("allowed_values"),
                   pattern=ind.get("pattern"), minimum=ind.get("minimum"), maximum=ind.get("maximum"),
                   note=ind.get("note"))


@strawberry.type(description="One segment of the traceability code. 追溯码中的一段。")
class CodeSegment:
    key: str = strawberry.field(description=("Segment key, zone, category, producer, date, batch, serial or check. 段标识：zone、category、producer、date、batch、serial 或 check。"))
    name_zh: str = strawberry.field(description="Name in Chinese. 中文名称。")
    name_en: str = strawberry.field(description="Name in English. 英文名称。")
    start: int = strawberry.field(description=("1-based position of its first character. 首字符位置（从 1 开始）。"))
    length: int = strawberry.field(description="Characters in the segment. 段长度（字符数）。")
    description_zh: str = strawberry.field(description="What it encodes, in Chinese. 编码含义（中文）。")
    description_en: str = strawberry.field(description="What it encodes, in English. 编码含义（英文）。")
    example: str = strawberry.field(description=("Example value (for a checked code: its actual value). 示例值（校验时为实际值）。"))


@strawberry.type(description="Encoding rules of the traceability code. 追溯码编码规则。")
class EncodingRules:
    pattern: str = strawberry.field(description=("Regular expression of a whole code. 完整追溯码的正则表达式。"))
    layout: str = strawberry.field(description="The segments' layout: ZZ CC PPPPPP YYYYMMDD BBBB SSSS K. 各段布局：ZZ CC PPPPPP YYYYMMDD BBBB SSSS K。")
    length: int = strawberry.field(description=("Length of a code in digits (27). 追溯码长度（27 位数字）。"))
    check_algorithm: str = strawberry.field(description=("How the check digit is computed (GS1 mod 10 over the first 26 digits). 校验码的计算方法（对前 26 位按 GS1 模 10 计算）。"))
    example: str = strawberry.field(description="A valid example code. 有效的示例追溯码。")
    category_code: str = strawberry.field(description=("This category's code segment value. 本类别在追溯码中的代码段值。"))
    segments: list[CodeSegment] = strawberry.field(description="The segments, in order. 各段，按顺序。")

    @classmethod
    def of(cls, d: dict[str, Any]) -> EncodingRules:
        return cls(**{**d, "segments": [CodeSegment(**s) for s in d["segments"]]})


@strawberry.type(description="A field of an interface operation's request or response. 接口操作请求或响应中的字段。")
class InterfaceField:
    name: str = strawberry.field(description="Field name. 字段名。")
    type: str = strawberry.field(description="Field type, e.g. string. 字段类型，如 string。")
    required: bool = strawberry.field(description="Whether it is required. 是否必填。")
    name_zh: str = strawberry.field(description="Name in Chinese. 中文名称。")
    name_en: str = strawberry.field(description="Name in English. 英文名称。")


@strawberry.type(description="An operation of the interface specification. 接口规范中的一个操作。")
class InterfaceOperation:
    name: str = strawberry.field(description="Operation name. 操作名称。")
    method: str = strawberry.field(description="HTTP method, e.g. POST. HTTP 方法，如 POST。")
    path: str = strawberry.field(description="HTTP path. HTTP 路径。")
    description_zh: str = strawberry.field(description="What it does, in Chinese. 功能说明（中文）。")
    description_en: str = strawberry.field(description="What it does, in English. 功能说明（英文）。")
    input: list[InterfaceField] = strawberry.field(description="Request fields. 请求字段。")
    output: list[InterfaceField] = strawberry.field(description="Response fields. 响应字段。")

    @classmethod
    def of(cls, d: dict[str, Any]) -> InterfaceOperation:
        return cls(**{**d, "input": [InterfaceField(**f) for f in d["input"]],
                      "output": [InterfaceField(**f) for f in d["output"]]})


@strawberry.type(description=("A version of the traceability standard catalog (追溯标准目录) of one product category: "
         "indicators, transmission format, interface and encoding rules. 某一产品类别追溯标准目录的一个版本：指标、"
         "传输格式、接口规范和编码规则。"))
class CatalogVersion(relay.Node):
    id: relay.NodeID[int]
    number: int = strawberry.field(description=("Version number, 1 upwards per category. 版本号，每个类别从 1 开始。"))
    state: CatalogState = strawberry.field(description=("Draft, published or superseded. 草稿、现行或已替代。"))
    change_note: str = strawberry.field(description="What this version changes. 本版本的修改说明。")
    published_at: dt.datetime | None = strawberry.field(description="When published; null for a draft. 发布时间；草稿为 null。")
    model: strawberry.Private[CatalogVersionModel]

    @classmethod
    def from_model(cls, v: CatalogVersionModel) -> CatalogVersion:
        return cls(id=v.id, number=v.number, state=CatalogState(v.state), change_note=v.change_note,
                   published_at=v.published_at, model=v)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await load_nodes(info, CatalogVersionModel, list(node_ids))
        return [cls.from_model(r) if r else None for r in rows]

    @strawberry.field(description="The product category. 产品类别。")
    def category(self) -> ProductCategory:
        return ProductCategory.of(self.model.category)

    @strawberry.field(description=("The data-collection indicators (数据采集指标), at most 200. 数据采集指标，最多 200 个。"))
    def indicators(self) -> list[Indicator]:
        return [Indicator.of(i) for i in self.model.indicators]

    @strawberry.field(description=("Transmission format (传输格式): JSON Schema (draft 2020-12) of one record. 传输格式：单条记录"
             "的 JSON Schema（draft 2020-12）。"))
    def json_schema(self) -> JSON:
        return service.schema_of(self.model)

    @strawberry.field(description=("Interface specification (接口规范): the operations and their fields. 接口规范：各操作及其字段。"))
    def interface(self) -> list[InterfaceOperation]:
        return [InterfaceOperation.of(op) for op in service.interface_of(self.model)]

    @strawberry.field(description=("Encoding rules of the traceability code (编码规则), with an example. 追溯码编码规则及示例。"))
    def encoding(self) -> EncodingRules:
        return EncodingRules.of(service.encoding_of(self.model))


@strawberry.type(description="An indicator whose definition changed. 定义有变化的指标。")
class IndicatorChange:
    code: str = strawberry.field(description="The indicator's code. 指标代码。")
    changed_fields: list[str] = strawberry.field(description="Names of the properties that changed, e.g. required, unit. 变化的属性名，如 required、unit。")


@strawberry.type(description=("Indicators added, removed and changed between two versions. 两个版本之间新增、删除和修改的指标。"))
class CatalogDiff:
    added: list[str] = strawberry.field(description="Codes of indicators added. 新增指标代码。")
    removed: list[str] = strawberry.field(description="Codes of indicators removed. 删除指标代码。")
    changed: list[IndicatorChange] = strawberry.field(description="Indicators whose definition changed. 定义有变化的指标。")

    @classmethod
    def of(cls, d: rules.CatalogDiff) -> CatalogDiff:
        return cls(added=d.added, removed=d.removed,
                   changed=[IndicatorChange(code=c, changed_fields=f) for c, f in d.changed.items()])


@strawberry.type(description=("One violation of a record, at a JSON path such as $.picking_date. 记录的一处违规，位于如 "
         "$.picking_date 的 JSON 路径。"))
class TraceViolation:
    path: str = strawberry.field(description=("JSON path of the value, e.g. $.picking_date. 值的 JSON 路径，如 $.picking_date。"))
    code: str = strawberry.field(description=("Machine-readable reason, e.g. required, type, format, unknown. 机器可读原因，如 "
             "required、type、format、unknown。"))
    message: str = strawberry.field(description="The problem in English. 英文说明。")
    message_zh: str = strawberry.field(description="The problem in Chinese. 中文说明。")

    @classmethod
    def of(cls, v: rules.Violation) -> TraceViolation:
        return cls(path=v.path, code=v.code, message=v.message_en, message_zh=v.message_zh)


@strawberry.type(description="The validation of one trace record. 一条追溯记录的校验结果。")
class RecordValidation:
    index: int = strawberry.field(description=("Position of the record in the batch, from 0 (0 for one record). 记录在批次中的位置，从 0 开始"
             "（单条时为 0）。"))
    valid: bool = strawberry.field(description="True when it has no violation. 是否无违规。")
    violations: list[TraceViolation] = strawberry.field(description="Every violation; empty when valid. 全部违规；有效时为空。")


@strawberry.type(description="The validation of a batch of trace records. 一批追溯记录的校验结果。")
class BatchValidation:
    catalog: CatalogVersion = strawberry.field(description="The catalog version used. 所用目录版本。")
    valid_count: int = strawberry.field(description="Valid records. 有效记录数。")
    invalid_count: int = strawberry.field(description="Invalid records. 无效记录数。")
    results: list[RecordValidation] = strawberry.field(description="One result per record, in input order. 每条记录一个结果，按输入顺序。")


@strawberry.type(description=("One problem of a traceability code, naming its segment. 追溯码的一个问题，指明所在段。"))
class CodeProblem:
    segment: str = strawberry.field(description=("The segment's key, or `code` for the whole code. 段标识；整体问题为 `code`。"))
    code: str = strawberry.field(description=("Machine-readable reason, e.g. length, check_digit. 机器可读原因，如 length、check_digit。"))
    message: str = strawberry.field(description="The problem in English. 英文说明。")
    message_zh: str = strawberry.field(description="The problem in Chinese. 中文说明。")


@strawberry.type(description="The result of checking a traceability code. 追溯码校验结果。")
class TraceCodeCheck:
    code: str = strawberry.field(description="The code as checked. 被校验的追溯码。")
    valid: bool = strawberry.field(description="True when it has no problem. 是否无任何问题。")
    problems: list[CodeProblem] = strawberry.field(description="Every problem found; empty when valid. 发现的全部问题；有效时为空。")
    segments: list[CodeSegment] = strawberry.field(description=(
             "The code cut into its segments (when it is 27 long); empty otherwise. 按段切分的追溯码（长"
             "度为 27 时）；否则为空。"))

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
