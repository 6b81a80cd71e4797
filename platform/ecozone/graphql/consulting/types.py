"""GraphQL types of expert consulting: requests, their experts and answers, service figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum

import strawberry
from strawberry import relay

from ecozone.consulting import rules
from ecozone.consulting.models import ConsultingAnswer as AnswerModel
from ecozone.consulting.models import ConsultingAssignment
from ecozone.consulting.models import ConsultingRequest as RequestModel
from ecozone.consulting.service import ZoneFigures
from ecozone.experts.models import ExpertProfile
from ecozone.graphql.common import Connection, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.experts.types import Expert, ProductCategory
from ecozone.graphql.results import EVERY_FAILURE, NotFound, PermissionDenied, ValidationFailed, result_union
from ecozone.graphql.zones import Zone, load_zone

ConsultingState = strawberry.enum(Enum("ConsultingState", {s.upper(): s for s in rules.REQUEST.state_names_zh}),
                                  description=("SUBMITTED 待分派 · ASSIGNED 已分派专家 · ANSWERED 已答复 · RATED 已评价. "
                                               "咨询请求的状态。"))


@strawberry.type(description=("An expert's answer to a consultation; seen with its request. 专家对咨询的答复；与咨询请求"
                              "同样可见。"))
class ConsultingAnswer(relay.Node):
    id: relay.NodeID[int]
    body: str = strawberry.field(description="The answer. 答复内容。")
    answered_at: dt.datetime = strawberry.field(description="When it was given. 答复时间。")
    model: strawberry.Private[AnswerModel]

    @classmethod
    def from_model(cls, a: AnswerModel) -> ConsultingAnswer:
        return cls(id=a.id, body=a.body, answered_at=a.answered_at, model=a)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, AnswerModel, list(node_ids))]

    @strawberry.field(description="The expert who answered. 答复专家。")
    async def expert(self, info: Info) -> Expert | None:
        profile = await info.context.loaders.by_id(ExpertProfile).load(self.model.expert_id)
        return Expert.from_model(profile, info) if profile else None


@strawberry.type(description=("A question an enterprise or unit asked a zone's expert team; seen by the requester, "
                              "the hosting zone's staff and the experts assigned. 企业或单位向试验区专家团队提出的咨询；"
                              "仅提问人、受理试验区工作人员和被分派专家可见。"))
class ConsultingRequest(relay.Node):
    id: relay.NodeID[int]
    requesting_unit: str = strawberry.field(description="The enterprise or unit asking. 提问的企业或单位。")
    contact: str | None = strawberry.field(description="How to reach the requester; null if not given. 联系方式；未填写时为 null。")
    field: str = strawberry.field(description="Field of the question, e.g. 茶叶加工. 咨询所属专业领域，如“茶叶加工”。")
    title: str = strawberry.field(description="The question in a line. 问题摘要。")
    question: str = strawberry.field(description="The question in full. 问题全文。")
    state: ConsultingState = strawberry.field(description="Where it stands. 当前状态。")
    rating: int | None = strawberry.field(description="The requester's rating, 1–5; null until rated. 提问人的评分（1–5）；评价前为 null。")
    rating_comment: str | None = strawberry.field(description="The requester's comment with the rating; null if none. 评价意见；无则为 null。")
    asked_at: dt.datetime = strawberry.field(description="When it was asked. 提问时间。")
    answered_at: dt.datetime | None = strawberry.field(description="When the first answer came; null before. 首次答复时间；答复前为 null。")
    model: strawberry.Private[RequestModel]

    @classmethod
    def from_model(cls, r: RequestModel) -> ConsultingRequest:
        return cls(id=r.id, requesting_unit=r.requesting_unit, contact=r.contact, field=r.field, title=r.title,
                   question=r.question, state=ConsultingState(r.state), rating=r.rating,
                   rating_comment=r.rating_comment, asked_at=r.asked_at, answered_at=r.answered_at, model=r)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, RequestModel, list(node_ids))]

    @strawberry.field(description="The product category it concerns; null if none. 所涉产品类别；无则为 null。")
    def category(self) -> ProductCategory | None:
        return ProductCategory.of(self.model.category) if self.model.category else None

    @strawberry.field(description="The zone whose office handles it. 受理咨询的试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.model.zone_id)

    @strawberry.field(description="The experts assigned, in assignment order. 被分派的专家，按分派先后排序。")
    async def experts(self, info: Info) -> list[Expert]:
        links = await info.context.loaders.grouped(ConsultingAssignment, "request_id").load(self.id)
        profiles = await info.context.loaders.by_id(ExpertProfile).load_many([a.expert_id for a in links])
        return [Expert.from_model(p, info) for p in profiles if p is not None]

    @strawberry.field(description="The answers, in the order given. 各专家的答复，按答复先后排序。")
    async def answers(self, info: Info) -> list[ConsultingAnswer]:
        rows = await info.context.loaders.grouped(AnswerModel, "request_id").load(self.id)
        return [ConsultingAnswer.from_model(a) for a in rows]


@strawberry.type(description=("A zone's consulting service in one year (requests asked that year). 某试验区某年的咨询服务"
                              "情况（当年提出的咨询）。"))
class ConsultingZoneFigures:
    asked: int = strawberry.field(description="Requests asked. 咨询请求数。")
    answered: int = strawberry.field(description="Requests answered. 已答复数。")
    rated: int = strawberry.field(description="Requests rated. 已评价数。")
    average_rating_tenths: int | None = strawberry.field(description=(
        "Average rating in tenths of a star (45 = 4.5), rounded half up; null when none rated. 平均评分（以 0.1 星为单位，"
        "45 即 4.5），四舍五入；无评价时为 null。"))
    zone_id: strawberry.Private[int]

    @classmethod
    def of(cls, f: ZoneFigures) -> ConsultingZoneFigures:
        return cls(asked=f.asked, answered=f.answered, rated=f.rated,
                   average_rating_tenths=f.average_rating_tenths, zone_id=f.zone_id)

    @strawberry.field(description="The hosting zone. 受理试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)


ConsultingRequestResult = result_union("ConsultingRequestResult", ConsultingRequest, *EVERY_FAILURE)
ConsultingAnswerResult = result_union("ConsultingAnswerResult", ConsultingAnswer, *EVERY_FAILURE)
ConsultingRequestConnectionResult = result_union("ConsultingRequestConnectionResult", Connection[ConsultingRequest],
                                                 PermissionDenied, ValidationFailed, NotFound)


@strawberry.type(description="Consulting figures of every zone for one year (anonymous). 各试验区某年的咨询服务数据（匿名可查）。")
class ConsultingStatistics:
    year: int = strawberry.field(description="The year. 年份。")
    zones: list[ConsultingZoneFigures] = strawberry.field(description="One entry per zone, in slug order. 每个试验区一项，按 slug 排序。")


ConsultingStatisticsResult = result_union("ConsultingStatisticsResult", ConsultingStatistics, ValidationFailed)
