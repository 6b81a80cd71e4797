"""GraphQL types of the traceability platform: enterprises, chains, events, ingest reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from ecozone.graphql.common import load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.experts.types import ProductCategoryCode
from ecozone.graphql.results import FieldError
from ecozone.graphql.zones import Zone, load_zone
from ecozone.trace import rules
from ecozone.trace.chain import Chain, ChainEvent
from ecozone.trace.ingest import IngestReport
from ecozone.trace.models import ENTERPRISE_KINDS
from ecozone.trace.models import Enterprise as EnterpriseModel

TraceEnterpriseKind = strawberry.enum(
    Enum("TraceEnterpriseKind", {k.upper(): k for k in ENTERPRISE_KINDS}),
    description="PRODUCER 生产主体 · PROCESSOR 加工企业 · LOGISTICS 物流企业 · SELLER 销售企业. 追溯企业类型。")
TraceEventType = strawberry.enum(
    Enum("TraceEventType", {k.upper(): k for k in rules.EVENT_TYPES}),
    description=("PRODUCTION 生产 · PROCESSING 加工 · TESTING 检验检测 · TRANSPORT 运输 · SALE 销售; each carries the "
                 "catalog's indicators of its stage. 追溯事件类型；每类事件携带目录中对应环节的指标。"))


@strawberry.type(description=("An enterprise of the traceability platform, registered in one zone with its unified "
                              "social credit code (public: it is named on the products it handled). 在某一试验区以"
                              "统一社会信用代码登记的追溯企业（公开：其名称出现在经手产品的追溯链上）。"))
class TraceEnterprise(relay.Node):
    id: relay.NodeID[int]
    name_zh: str = strawberry.field(description="Name in Chinese. 中文名称。")
    name_en: str = strawberry.field(description="Name in English. 英文名称。")
    uscc: str = strawberry.field(description="Unified social credit code (GB 32100). 统一社会信用代码（GB 32100）。")
    producer_code: str = strawberry.field(description=("The 6-digit producer segment of the trace codes it issues. "
                                                       "其签发追溯码中的 6 位主体代码段。"))
    kinds: list[TraceEnterpriseKind] = strawberry.field(description="What it does. 企业类型。")
    model: strawberry.Private[EnterpriseModel]  # or a row of trace_enterprises (a chain reads rows)

    @classmethod
    def from_model(cls, e: EnterpriseModel) -> TraceEnterprise:
        return cls(id=e.id, name_zh=e.name_zh, name_en=e.name_en, uscc=e.uscc, producer_code=e.producer_code,
                   kinds=[TraceEnterpriseKind(k) for k in e.kinds], model=e)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, EnterpriseModel, list(node_ids))]

    @strawberry.field(description="The zone it is registered in. 登记所在试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.model.zone_id)


@strawberry.type(description=("One event of a batch: what (indicators), when, where, who (enterprise) and why. "
                              "批次的一个追溯事件：内容（指标）、时间、地点、主体（企业）与事由。"))
class TraceEvent:
    record_id: str = strawberry.field(description="The record's own identifier, per enterprise. 记录自身的标识（企业内唯一）。")
    code: str = strawberry.field(description="The 27-digit trace code it was recorded under. 记录所用的 27 位追溯码。")
    batch: str = strawberry.field(description=("The batch: the code's first 22 digits. 批次：追溯码前 22 位。"))
    event_type: TraceEventType = strawberry.field(description="What happened. 事件类型。")
    event_name_zh: str = strawberry.field(description="The event type's name in Chinese. 事件类型中文名。")
    event_name_en: str = strawberry.field(description="The event type's name in English. 事件类型英文名。")
    occurred_at: dt.datetime = strawberry.field(description="When (UTC, ISO 8601 with offset). 发生时间（UTC，含时区偏移）。")
    place: str = strawberry.field(description="Where, as recorded. 地点。")
    place_code: str | None = strawberry.field(description="County admin code of the place; null if not given. 地点的县级行政区划代码；未提供时为 null。")
    reason: str | None = strawberry.field(description="Why; null if not given. 事由；未提供时为 null。")
    category: ProductCategoryCode = strawberry.field(description="Product category (the catalog followed). 产品类别（所依据的目录）。")
    gtin: str | None = strawberry.field(description="GTIN-14 of the product; null if none. 产品的 GTIN-14；无则为 null。")
    lot: str | None = strawberry.field(description="GS1 lot (AI 10); null if none. GS1 批号（AI 10）；无则为 null。")
    indicators: JSON = strawberry.field(description=("The catalog's indicators recorded: the public ones, and the private "
                                                     "ones too for the record's zone staff. 记录的目录指标：公开指标；本区工作人员另可见非公开指标。"))
    private_shown: bool = strawberry.field(description=("True when `indicators` includes the private ones. "
                                                        "`indicators` 是否包含非公开指标。"))
    enterprise: TraceEnterprise = strawberry.field(description="Who recorded it. 记录主体。")

    @classmethod
    def from_event(cls, e: ChainEvent, enterprise: TraceEnterprise | None = None) -> TraceEvent:
        """``enterprise``: the GraphQL object of ``e.enterprise`` when the caller has made it already
        (a recall's 2,011 events have a handful of enterprises)."""
        r = e.record
        event_type, zh, en = _EVENT_NAMES[r.event_type]
        return cls(record_id=r.record_key, code=r.code, batch=r.batch, event_type=event_type,
                   event_name_zh=zh, event_name_en=en, occurred_at=r.occurred_at, place=r.place,
                   place_code=r.place_code, reason=r.reason, category=_CATEGORIES[r.category],
                   gtin=r.gtin, lot=r.lot, indicators=e.data, private_shown=e.private_shown,
                   enterprise=enterprise or TraceEnterprise.from_model(e.enterprise))


# Enum members and names per value, looked up once per event rather than converted.
_EVENT_NAMES = {k: (TraceEventType(k), v[1], v[2]) for k, v in rules.EVENT_TYPES.items()}
_CATEGORIES = {c.value: c for c in ProductCategoryCode}


@strawberry.type(description="Batch `parent` went into batch `child`. 批次 `parent` 投入制成批次 `child`。")
class TraceBatchLink:
    parent: str = strawberry.field(description="The input batch (22 digits). 投入批次（22 位）。")
    child: str = strawberry.field(description="The batch made from it (22 digits). 由其制成的批次（22 位）。")


@strawberry.type(description=("A chain of batches walked from one code: upstream (origin, `trace`) or downstream "
                              "(recall, `traceRecall`), across enterprises and zones, events in time order. "
                              "从一个追溯码出发的批次链：上游（溯源，`trace`）或下游（召回，`traceRecall`），跨企业、跨试验区，事件按时间排序。"))
class TraceChain:
    code: str = strawberry.field(description="The code asked about. 所查询的追溯码。")
    batch: str = strawberry.field(description="Its batch (first 22 digits). 其批次（前 22 位）。")
    batches: list[str] = strawberry.field(description="Every batch reached, itself included. 所到达的全部批次（含自身）。")
    links: list[TraceBatchLink] = strawberry.field(description="The links between them. 批次间的关联。")
    events: list[TraceEvent] = strawberry.field(description="Every event of those batches, oldest first. 这些批次的全部事件，按时间先后。")
    sellers: list[TraceEnterprise] = strawberry.field(description=("Enterprises with a sale event in the chain (for a "
                                                                  "recall: who must take the product off sale). 链中有销售事件的企业（召回时即须下架的企业）。"))

    @classmethod
    def from_chain(cls, c: Chain) -> TraceChain:
        enterprises: dict[int, TraceEnterprise] = {}

        def enterprise(model: EnterpriseModel) -> TraceEnterprise:
            found = enterprises.get(model.id)
            if found is None:
                found = enterprises[model.id] = TraceEnterprise.from_model(model)
            return found
        return cls(code=c.code, batch=c.batch, batches=c.batches,
                   links=[TraceBatchLink(parent=p, child=ch) for p, ch in c.links],
                   events=[TraceEvent.from_event(e, enterprise(e.enterprise)) for e in c.events],
                   sellers=[enterprise(e) for e in c.sellers])


@strawberry.type(description="A record refused, with every reason. 被拒收的记录及全部原因。")
class TraceRejectedRecord:
    line: int = strawberry.field(description="Its position: line of the file, or index from 1 in the list. 位置：文件行号，或列表中从 1 起的序号。")
    record_id: str | None = strawberry.field(description="Its `id`, when it had a readable one. 其 `id`（可读时）。")
    errors: list[FieldError] = strawberry.field(description="Every problem, each with its path. 全部问题，各带路径。")


@strawberry.type(description=("What an ingest kept and refused: valid records are stored, the rest reported (not all "
                              "or nothing). 一次提交的结果：有效记录入库，其余逐条报告（非全有或全无）。"))
class TraceIngestReport:
    accepted: int = strawberry.field(description="Records stored now. 本次入库的记录数。")
    unchanged: int = strawberry.field(description=("Records already stored with the same id and content: nothing added. "
                                                   "已存在（id 与内容均相同）的记录数：未重复入库。"))
    rejected_count: int = strawberry.field(description="Records refused. 被拒收的记录数。")
    rejected: list[TraceRejectedRecord] = strawberry.field(description="The first 1000 refused, with reasons. 前 1000 条被拒收记录及原因。")

    @classmethod
    def from_report(cls, r: IngestReport) -> TraceIngestReport:
        return cls(accepted=r.accepted, unchanged=r.unchanged, rejected_count=r.rejected_count, rejected=[
            TraceRejectedRecord(line=e.line, record_id=e.record_key, errors=[
                FieldError(field=f.field, code=f.code, message=f.message_en, message_zh=f.message_zh)
                for f in e.errors]) for e in r.rejected])
