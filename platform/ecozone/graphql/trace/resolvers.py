"""Queries and mutations of the traceability platform (types in types.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from ecozone.graphql.common import Connection, connection, decode_id
from ecozone.graphql.context import Info
from ecozone.graphql.results import (
    EVERY_FAILURE,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    graphql_type_name,
    read,
    result_union,
    run,
)
from ecozone.graphql.trace.types import (
    TraceChain,
    TraceEnterprise,
    TraceEnterpriseKind,
    TraceIngestReport,
)
from ecozone.trace import chain, enterprises, epcis, service


def _trace_result(name: str, success_type, *failures, zh: str):
    """A trace result union. Trace's descriptions were published in their own words (the Chinese gives each failure
    a gloss of its own, e.g. 不存在或已存在, without its name), so they are written here, not by `describe_result`."""
    success = graphql_type_name(success_type)
    return result_union(name, success_type, *failures, description=(
        f"{success} on success, else why not: {', '.join(graphql_type_name(f) for f in failures)}. Select `... on "
        f"Failure {{ code message messageZh }}` for the failures. 成功时为 {success}，否则为失败原因（{zh}）。"
        f"用 `... on Failure {{ code message messageZh }}` 取失败信息。"))


TraceEnterpriseResult = _trace_result("TraceEnterpriseResult", TraceEnterprise, *EVERY_FAILURE,
                                      zh="无权限、输入无效、不存在或已存在")
TraceChainResult = _trace_result("TraceChainResult", TraceChain, ValidationFailed, NotFound, zh="追溯码无效、未找到记录")
TraceIngestResult = _trace_result("TraceIngestResult", TraceIngestReport, PermissionDenied, ValidationFailed,
                                  zh="无权限、输入无效")
TraceEnterpriseConnectionResult = _trace_result("TraceEnterpriseConnectionResult", Connection[TraceEnterprise],
                                                ValidationFailed, zh="输入无效")


@strawberry.type(description="An EPCIS 2.0 JSON-LD document. EPCIS 2.0 JSON-LD 文档。")
class EpcisDocument:
    document: JSON = strawberry.field(description=("The EPCISDocument (GS1 EPCIS 2.0, JSON-LD), valid against GS1's "
                                                   "EPCIS JSON Schema. EPCISDocument（GS1 EPCIS 2.0，JSON-LD），符合 GS1 EPCIS JSON Schema。"))


EpcisResult = _trace_result("EpcisResult", EpcisDocument, ValidationFailed, NotFound, zh="追溯码无效、未找到记录")
CodeArg = Annotated[str, strawberry.argument(description="A 27-digit trace code. 27 位追溯码。")]


@strawberry.input(description="Register an enterprise in the acting zone; its staff. 在所操作试验区登记追溯企业；由本区工作人员操作。")
class RegisterTraceEnterpriseInput:
    name_zh: str = strawberry.field(description="Name in Chinese (≤200). 中文名称（≤200 字）。")
    name_en: str = strawberry.field(description="Name in English (≤300). 英文名称（≤300 字符）。")
    uscc: str = strawberry.field(description=("Unified social credit code, issued in the zone's province. "
                                              "统一社会信用代码，须由本试验区所在省份登记机关核发。"))
    producer_code: str = strawberry.field(description=("6-digit producer segment of its trace codes, unique in the zone. "
                                                       "其追溯码的 6 位主体代码段，在本区唯一。"))
    kinds: list[TraceEnterpriseKind] = strawberry.field(description="What it does (one or more). 企业类型（一项或多项）。")


@strawberry.input(description=("Let a user submit the enterprise's records (gives them the role `enterprise` in the "
                               "zone). 让某用户为企业填报追溯记录（授予其本区 `enterprise` 角色）。"))
class AddTraceEnterpriseMemberInput:
    enterprise_id: relay.GlobalID = strawberry.field(description="Global ID of the TraceEnterprise. 追溯企业的全局 ID。")
    user_id: relay.GlobalID = strawberry.field(description="Global ID of the user (`User.id`). 用户的全局 ID（`User.id`）。")


@strawberry.input(description=("Trace records to store (at most 500; larger files go to POST /trace/records as NDJSON). "
                               "要提交的追溯记录（最多 500 条；更大的文件以 NDJSON 提交到 POST /trace/records）。"))
class SubmitTraceRecordsInput:
    records: list[JSON] = strawberry.field(description=("Each a record object as in the README (id, enterprise, code, "
                                                        "event, time, place, reason, inputs, gtin, lot, data). "
                                                        "每项为一条记录对象，字段见 README。"))


@strawberry.type
class TraceQuery:
    @strawberry.field(description=("A product's chain from farm to sale by its code: its batch and every batch upstream, "
                                   "public indicators only (the record's zone staff see the private ones too). "
                                   "按追溯码查询产品从产地到销售的追溯链：其批次及全部上游批次，仅公开指标（记录所属试验区工作人员另可见非公开指标）。"))
    async def trace(self, info: Info, code: CodeArg) -> TraceChainResult:
        ctx = info.context
        return await read(info, lambda: chain.trace(ctx.session, ctx.actor, code), TraceChain.from_chain)

    @strawberry.field(description=("Recall: every batch and sale downstream of the code's batch, across enterprises and "
                                   "zones. 召回：追溯码所属批次下游的全部批次与销售，跨企业、跨试验区。"))
    async def trace_recall(self, info: Info, code: CodeArg) -> TraceChainResult:
        ctx = info.context
        return await read(info, lambda: chain.recall(ctx.session, ctx.actor, code), TraceChain.from_chain)

    @strawberry.field(description=("The product's events (its batch and upstream) as an EPCIS 2.0 JSON-LD document, "
                                   "public indicators only. 产品事件（其批次及上游）的 EPCIS 2.0 JSON-LD 文档，仅公开指标。"))
    async def trace_epcis(self, info: Info, code: CodeArg) -> EpcisResult:
        ctx = info.context
        return await read(info, lambda: epcis.export(ctx.session, code),
                          lambda doc: EpcisDocument(document=doc))

    @strawberry.field(description="Registered enterprises of every zone (public). 各试验区登记的追溯企业（公开）。")
    async def trace_enterprises(self, info: Info, first: Annotated[int, strawberry.argument(
            description="Page size, 1–100. 每页条数，1–100。")] = 20, after: Annotated[str | None, strawberry.argument(
            description="Cursor: the previous page's `pageInfo.endCursor`. 游标：上一页的 `pageInfo.endCursor`。")] = None
    ) -> TraceEnterpriseConnectionResult:
        return await read(info, lambda: enterprises.search(info.context.session, first=first, after=after),
                          lambda page: connection(page, TraceEnterprise.from_model))


@strawberry.type
class TraceMutation:
    @strawberry.mutation(description=("Register a traceability enterprise in the acting zone (director or secretary). "
                                      "在所操作试验区登记追溯企业（主任或秘书）。"))
    async def register_trace_enterprise(self, info: Info, input: Annotated[RegisterTraceEnterpriseInput, strawberry.argument(
            description="The input; see its type. 输入参数，见其类型说明。")]) -> TraceEnterpriseResult:
        ctx = info.context
        return await run(info, lambda: enterprises.register(
            ctx.session, ctx.actor, name_zh=input.name_zh, name_en=input.name_en, uscc=input.uscc,
            producer_code=input.producer_code, kinds=[k.value for k in input.kinds]), TraceEnterprise.from_model)

    @strawberry.mutation(description=("Let a user submit records for an enterprise of the acting zone (its staff). "
                                      "让某用户为本区企业填报追溯记录（本区工作人员）。"))
    async def add_trace_enterprise_member(self, info: Info, input: Annotated[AddTraceEnterpriseMemberInput, strawberry.argument(
            description="The input; see its type. 输入参数，见其类型说明。")]) -> TraceEnterpriseResult:
        ctx = info.context
        return await run(info, lambda: enterprises.add_member(
            ctx.session, ctx.actor, enterprise_id=decode_id(input.enterprise_id, "TraceEnterprise", "enterpriseId"),
            user_id=decode_id(input.user_id, "User", "userId")), TraceEnterprise.from_model)

    @strawberry.mutation(description=("Submit trace records for enterprises one belongs to: valid records are stored, the "
                                      "rest reported one by one; a record sent again unchanged adds nothing. "
                                      "为所属企业提交追溯记录：有效记录入库，其余逐条报告；重复提交的相同记录不会重复入库。"))
    async def submit_trace_records(self, info: Info, input: Annotated[SubmitTraceRecordsInput, strawberry.argument(
            description="The input; see its type. 输入参数，见其类型说明。")]) -> TraceIngestResult:
        ctx = info.context
        return await run(info, lambda: service.submit(ctx.session, ctx.actor, records=list(input.records)),
                         TraceIngestReport.from_report)
