"""Expert consulting: queries and mutations (thin: parse, call one service, map)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.consulting import service
from ecozone.graphql.common import connection, decode_id
from ecozone.graphql.consulting.types import (
    ConsultingAnswer,
    ConsultingAnswerResult,
    ConsultingRequest,
    ConsultingRequestConnectionResult,
    ConsultingRequestResult,
    ConsultingStatistics,
    ConsultingStatisticsResult,
    ConsultingZoneFigures,
)
from ecozone.graphql.context import Info
from ecozone.graphql.events.args import After, First, Input, gid
from ecozone.graphql.experts.types import ProductCategoryCode
from ecozone.graphql.results import read, run


@strawberry.input(description=("A question to the expert team of the zone you act in (signed in: the account answers "
                                "for the question and alone rates the answer). 向所操作试验区的专家团队提问（须登录："
                                "由该账号对问题负责，并且只有该账号可以评价答复）。"))
class AskExpertTeamInput:
    requesting_unit: str = strawberry.field(description="The enterprise or unit asking (checked against the experts' conflicts). 提问的企业或单位（用于专家利益冲突审查）。")
    field: str = strawberry.field(description="Field of the question, at most 50 characters. 专业领域，最多 50 个字符。")
    title: str = strawberry.field(description="The question in a line, at most 200 characters. 问题摘要，最多 200 个字符。")
    question: str = strawberry.field(description="The question in full. 问题全文。")
    category: ProductCategoryCode | None = strawberry.field(default=None, description="The product category it concerns; optional. 所涉产品类别；可选。")
    contact: str | None = strawberry.field(default=None, description="How to reach you, seen only by the people handling it; optional. 联系方式，仅经办人员可见；可选。")


@strawberry.input(description="Assign a verified expert to a request (the hosting zone's staff). 为咨询分派已审核专家（受理试验区工作人员）。")
class AssignConsultingExpertInput:
    request_id: relay.GlobalID = strawberry.field(description=gid("ConsultingRequest"))
    expert_id: relay.GlobalID = strawberry.field(description=gid("Expert"))


@strawberry.input(description="An assigned expert's answer. 被分派专家的答复。")
class AnswerConsultingRequestInput:
    request_id: relay.GlobalID = strawberry.field(description=gid("ConsultingRequest"))
    body: str = strawberry.field(description="The answer. 答复内容。")


@strawberry.input(description="The requester rates the answer, once. 提问人评价答复（仅一次）。")
class RateConsultingAnswerInput:
    request_id: relay.GlobalID = strawberry.field(description=gid("ConsultingRequest"))
    rating: int = strawberry.field(description="Stars, 1–5. 星级，1–5。")
    comment: str | None = strawberry.field(default=None, description="A comment, at most 1000 characters; optional. 评价意见，最多 1000 个字符；可选。")


@strawberry.type
class ConsultingQuery:
    @strawberry.field(description=("Consulting requests the viewer may see: their own, those assigned to them, and for "
                                   "the staff every request of the zone they act in. 查看者可见的咨询请求：本人提出的、分派给"
                                   "本人的，以及工作人员所操作试验区的全部请求。"))
    async def consulting_requests(self, info: Info, first: First = 20, after: After = None
                                  ) -> ConsultingRequestConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.list_requests(
            ctx.session, ctx.actor, first=first, after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, ConsultingRequest.from_model))

    @strawberry.field(description="One request the viewer may see; NotFound otherwise. 按 ID 获取查看者可见的咨询请求；否则返回 NotFound。")
    async def consulting_request(self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(
            description=gid("ConsultingRequest"))]) -> ConsultingRequestResult:
        return await read(info, lambda: service.get_request(info.context.session, decode_id(id, "ConsultingRequest")),
                          ConsultingRequest.from_model)

    @strawberry.field(description=("The consulting service per zone in one year, anonymous (办法 第四条(四)). 各试验区某年"
                                   "的咨询服务数据，匿名可查（办法 第四条(四)）。"))
    async def consulting_statistics(self, info: Info, year: Annotated[int, strawberry.argument(
            description="The year, 2000–2100. 年份，2000–2100。")]) -> ConsultingStatisticsResult:
        return await read(info, lambda: service.statistics(info.context.session, year=year),
                          lambda zones: ConsultingStatistics(year=year, zones=[ConsultingZoneFigures.of(z) for z in zones]))


@strawberry.type
class ConsultingMutation:
    @strawberry.mutation(description="Ask the expert team of the zone you act in. 向所操作试验区的专家团队提问。")
    async def ask_expert_team(self, info: Info, input: Annotated[AskExpertTeamInput, strawberry.argument(
            description=Input)]) -> ConsultingRequestResult:
        ctx = info.context
        return await run(info, lambda: service.ask(
            ctx.session, ctx.actor, requesting_unit=input.requesting_unit, field=input.field, title=input.title,
            question=input.question, category=input.category.value if input.category else None,
            contact=input.contact), ConsultingRequest.from_model)

    @strawberry.mutation(description=("The hosting zone's staff assign a verified expert; one who works for or with the "
                                      "requesting unit is refused (Conflict, code CONFLICT_OF_INTEREST), as for review "
                                      "panels. 受理试验区工作人员分派已审核专家；与提问单位存在利益关系的专家被拒绝（Conflict，"
                                      "代码 CONFLICT_OF_INTEREST），与技术审查专家组的回避规则相同。"))
    async def assign_consulting_expert(self, info: Info, input: Annotated[AssignConsultingExpertInput,
                                       strawberry.argument(description=Input)]) -> ConsultingRequestResult:
        ctx = info.context

        async def call():
            return await service.assign_expert(
                ctx.session, ctx.actor, request_id=decode_id(input.request_id, "ConsultingRequest", "requestId"),
                expert_id=decode_id(input.expert_id, "Expert", "expertId"))
        return await run(info, call, ConsultingRequest.from_model)

    @strawberry.mutation(description="An assigned expert answers, once. 被分派专家答复（每人一次）。")
    async def answer_consulting_request(self, info: Info, input: Annotated[AnswerConsultingRequestInput,
                                        strawberry.argument(description=Input)]) -> ConsultingAnswerResult:
        ctx = info.context
        return await run(info, lambda: service.answer(
            ctx.session, ctx.actor, request_id=decode_id(input.request_id, "ConsultingRequest", "requestId"),
            body=input.body), ConsultingAnswer.from_model)

    @strawberry.mutation(description=("The requester rates the answer, 1–5, once; a second rating is a Conflict. 提问人"
                                      "评价答复（1–5 星，仅一次）；再次评价返回 Conflict。"))
    async def rate_consulting_answer(self, info: Info, input: Annotated[RateConsultingAnswerInput,
                                     strawberry.argument(description=Input)]) -> ConsultingRequestResult:
        ctx = info.context
        return await run(info, lambda: service.rate(
            ctx.session, ctx.actor, request_id=decode_id(input.request_id, "ConsultingRequest", "requestId"),
            rating=input.rating, comment=input.comment), ConsultingRequest.from_model)
