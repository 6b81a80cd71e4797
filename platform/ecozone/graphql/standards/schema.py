"""Queries and mutations of the standard-release workflow (types in types.py, inputs in
inputs.py, statistics in statistics.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.graphql.common import (
    Connection,
    connection,
    decode_id,
    requested_node_fields,
)
from ecozone.graphql.context import Info
from ecozone.graphql.loaders import prefetch
from ecozone.graphql.results import (
    EVERY_FAILURE,
    ValidationFailed,
    read,
    result_union,
    run,
)
from ecozone.graphql.standards.inputs import (
    AddDraftVersionInput,
    AddPanelExpertInput,
    CastVoteInput,
    CloseBallotInput,
    CloseStandardConsultationInput,
    CreateStandardInput,
    OpenBallotInput,
    OpenStandardConsultationInput,
    PublishStandardInput,
    RefuseStandardInput,
    RemovePanelExpertInput,
    ReviewPublishedStandardInput,
    SignStandardInput,
    StandardFilterInput,
    StandardOrderInput,
    StartDraftingInput,
)
from ecozone.graphql.standards.loaders import prefetch_plan
from ecozone.graphql.standards.statistics import (
    StandardStatisticsResult,
    standard_statistics_of,
)
from ecozone.graphql.standards.types import BallotStatus, Standard, StandardVersion
from ecozone.standards import (
    consultation_stage,
    release,
    review,
    search,
    service,
    statistics,
)

StandardResult = result_union("StandardResult", Standard, *EVERY_FAILURE)
StandardVersionResult = result_union("StandardVersionResult", StandardVersion, *EVERY_FAILURE)
StandardConnectionResult = result_union("StandardConnectionResult", Connection[Standard], ValidationFailed)


def _standard(value) -> Standard:
    return Standard.from_model(value)


def _id(gid: relay.GlobalID) -> int:
    return decode_id(gid, "Standard")


@strawberry.type
class StandardQuery:
    @strawberry.field(description=("Standards the viewer may see (published ones and drafts under consultation are "
             "public; work in progress per the README's visibility table): by designation, "
             "stage, kind, zone, category, year, release dates and full text, sorted. 查看者可见的标准"
             "（已发布和征求意见中的草案公开；其他在研标准按可见性规则）：可按编号、阶段、类型、试验区、类别、年份、发布日期和全文检索并排序。"))
    async def standards(self, info: Info, filter: Annotated[StandardFilterInput | None, strawberry.argument(description="Narrow the list; every field given must match. 筛选条件；所给字段须全部匹配。")] = None, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20,
                        after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None, order_by: Annotated[StandardOrderInput | None, strawberry.argument(description=(
             "Sort order; default RELEVANCE with `text`, else CREATED ascending. 排序方式；有 "
             "`text` 时默认按相关度，否则按创建顺序升序。"))] = None
                        ) -> StandardConnectionResult:
        ctx, f = info.context, filter or StandardFilterInput()
        filters = search.StandardFilter(
            state=f.state.value if f.state else None, kind=f.kind.value if f.kind else None,
            zone=f.zone, category=f.category.value if f.category else None, year=f.year,
            released_from=f.released_from, released_to=f.released_to, number=f.number,
            designation=f.designation, text=f.text)
        order = (search.StandardOrder(order_by.field.value, order_by.direction.value == "desc")
                 if order_by else None)

        async def run_search():
            page = await search.search(ctx.session, filters, order, first=first, after=after,
                                       max_page_size=ctx.settings.limits.max_page_size)
            await prefetch(requested_node_fields(info), page.items, prefetch_plan(info))
            return page
        return await read(info, run_search, lambda page: connection(page, Standard.from_model))

    @strawberry.field(description=("Public statistics of standards: in force, withdrawn, superseded, in progress by "
             "stage; in force by kind, zone, year and product category (办法 第十二条(三)); "
             "anonymous. 标准公开统计：现行、已废止、已被替代、各阶段在研数；现行标准按类型、试验区、年份和产品类别统计（办法 第十二条(三)）；无需登录。"))
    async def standard_statistics(self, info: Info, year: Annotated[int | None, strawberry.argument(description=(
             "Only standards released in this year and work in progress begun in it. 仅该年发布的标准及该年开始的在研标准。"))] = None,
                                  zone: Annotated[str | None, strawberry.argument(description=(
             "Only standards in which this zone (slug) takes part; unknown slug: "
             "ValidationFailed. 仅该试验区（slug）参与的标准；未知 slug 返回 ValidationFailed。"))] = None) -> StandardStatisticsResult:
        return await read(info, lambda: statistics.standard_statistics(
            info.context.session, year=year, zone=zone), standard_statistics_of)

    @strawberry.field(description=("One standard by ID; NotFound if it does not exist or is work in progress the viewer "
         "may not see. 按 ID 获取标准；不存在或为查看者不可见的在研标准时返回 NotFound。"))
    async def standard(self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description="Global ID of the Standard (`Standard.id`). 标准的全局 ID（`Standard.id`）。")]) -> StandardResult:
        return await read(info, lambda: service.get_standard(info.context.session, _id(id)), _standard)


@strawberry.type
class StandardMutation:
    @strawberry.mutation(description=("Stage 10 (proposal): the office of the project's zone starts a standard of a "
             "standard-development project. 阶段 10（提案）：项目所属试验区办公室为标准研制项目创建标准。"))
    async def create_standard(self, info: Info, input: Annotated[CreateStandardInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> StandardResult:
        ctx = info.context
        return await run(info, lambda: service.create_standard(
            ctx.session, ctx.actor, project_id=decode_id(input.project_id, "Project", "projectId"),
            kind=input.kind.value, title_zh=input.title_zh, title_en=input.title_en,
            scope=input.scope, participating_zones=input.participating_zones,
            category=input.category.value if input.category else None), _standard)

    @strawberry.mutation(description="Stage 10 → 20: start drafting; the lead zone's staff. 阶段 10 → 20：开始起草；牵头试验区工作人员。")
    async def start_drafting(self, info: Info, input: Annotated[StartDraftingInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> StandardResult:
        ctx = info.context
        return await run(info, lambda: service.start_drafting(ctx.session, ctx.actor,
                                                              standard_id=_id(input.id)), _standard)

    @strawberry.mutation(description=("Stage 20: add a numbered draft with its change note; the drafting group or the "
             "lead zone's staff. 阶段 20：新增编号草案及修改说明；起草组或牵头试验区工作人员。"))
    async def add_draft_version(self, info: Info, input: Annotated[AddDraftVersionInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> StandardVersionResult:
        ctx = info.context
        return await run(info, lambda: service.add_version(
            ctx.session, ctx.actor, standard_id=_id(input.standard_id), text=input.text,
            change_note=input.change_note), StandardVersion.from_model)

    @strawberry.mutation(description=("Stage 20 → 30: put the latest draft out for public comments (征求意见) for the "
             "zone's consultation days. 阶段 20 → 30：将最新草案公开征求意见，期限为本区规定天数。"))
    async def open_standard_consultation(self, info: Info, input: Annotated[OpenStandardConsultationInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                         ) -> StandardResult:
        ctx = info.context
        return await run(info, lambda: consultation_stage.open_standard_consultation(
            ctx.session, ctx.actor, standard_id=_id(input.id), days=input.days), _standard)

    @strawberry.mutation(description=("Stage 30 → 40: end the consultation (every comment decided, else Conflict) and "
             "go to technical review. 阶段 30 → 40：结束征求意见（所有意见须已处理，否则返回 Conflict），进入技术审查。"))
    async def close_standard_consultation(self, info: Info, input: Annotated[CloseStandardConsultationInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> StandardResult:
        ctx = info.context
        return await run(info, lambda: consultation_stage.close_standard_consultation(
            ctx.session, ctx.actor, standard_id=_id(input.id)), _standard)

    @strawberry.mutation(description=("Add a verified expert to the technical review panel; declared conflicts of "
             "interest are refused. 向技术审查专家组添加已核验专家；有利益冲突声明的专家被拒绝。"))
    async def add_panel_expert(self, info: Info, input: Annotated[AddPanelExpertInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> StandardResult:
        ctx = info.context

        async def call():
            member = await review.add_panel_member(
                ctx.session, ctx.actor, standard_id=_id(input.standard_id),
                expert_id=decode_id(input.expert_id, "Expert", "expertId"))
            return await service.get_standard(ctx.session, member.standard_id)
        return await run(info, call, _standard)

    @strawberry.mutation(description=("Remove an expert from the review panel (not while a ballot is open). 从技术审查专家组移除专家（表决"
         "进行中不可移除）。"))
    async def remove_panel_expert(self, info: Info, input: Annotated[RemovePanelExpertInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> StandardResult:
        ctx = info.context

        async def call():
            member = await review.remove_panel_member(
                ctx.session, ctx.actor, standard_id=_id(input.standard_id),
                expert_id=decode_id(input.expert_id, "Expert", "expertId"))
            return await service.get_standard(ctx.session, member.standard_id)
        return await run(info, call, _standard)

    @strawberry.mutation(description=("Stage 40: open a ballot of the panel (a new round after a failed one). 阶段 40：发起专"
             "家组表决（未通过后为新一轮）。"))
    async def open_ballot(self, info: Info, input: Annotated[OpenBallotInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> StandardResult:
        ctx = info.context

        async def call():
            ballot = await review.open_ballot(ctx.session, ctx.actor, standard_id=_id(input.id))
            return await service.get_standard(ctx.session, ballot.standard_id)
        return await run(info, call, _standard)

    @strawberry.mutation(description=("A panel expert votes, or changes the vote while the ballot is open; NO needs a "
             "comment. 专家组成员投票，或在表决期间修改投票；反对票须附意见。"))
    async def cast_vote(self, info: Info, input: Annotated[CastVoteInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> StandardResult:
        ctx = info.context

        async def call():
            await review.cast_vote(ctx.session, ctx.actor, standard_id=_id(input.standard_id),
                                   choice=input.choice.value, comment=input.comment)
            return await service.get_standard(ctx.session, _id(input.standard_id))
        return await run(info, call, _standard)

    @strawberry.mutation(description=("Count the ballot against the zone's thresholds: passed → 50 joint approval, "
             "failed → back to 20 drafting. 按本区门槛计票：通过 → 50 联合批准，未通过 → 回到 20 起草。"))
    async def close_ballot(self, info: Info, input: Annotated[CloseBallotInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> StandardResult:
        ctx = info.context

        async def call():
            ballot = await review.close_ballot(ctx.session, ctx.actor, standard_id=_id(input.id))
            return await service.get_standard(ctx.session, ballot.standard_id)
        return await run(info, call, _standard)

    @strawberry.mutation(description=("Stage 50: the acting zone's director signs the joint approval. 阶段 50：所操作试验区主任签署联"
             "合批准。"))
    async def sign_standard(self, info: Info, input: Annotated[SignStandardInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> StandardResult:
        ctx = info.context
        return await run(info, lambda: release.sign(ctx.session, ctx.actor, standard_id=_id(input.id)),
                         _standard)

    @strawberry.mutation(description=("Stage 50: the acting zone's director refuses (reason required); back to "
             "drafting. 阶段 50：所操作试验区主任拒绝批准（须说明原因）；回到起草阶段。"))
    async def refuse_standard(self, info: Info, input: Annotated[RefuseStandardInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> StandardResult:
        ctx = info.context
        return await run(info, lambda: release.refuse(ctx.session, ctx.actor, standard_id=_id(input.id),
                                                      reason=input.reason), _standard)

    @strawberry.mutation(description=("Stage 60: publish once every zone signed; numbers assigned atomically (one "
             "under each zone's code for a joint standard). 阶段 60：各试验区均已签署后发布；原子地分配编号（联合标准在每个试"
             "验区代号下各一个）。"))
    async def publish_standard(self, info: Info, input: Annotated[PublishStandardInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> StandardResult:
        ctx = info.context
        return await run(info, lambda: release.publish(
            ctx.session, ctx.actor, standard_id=_id(input.id), release_date=input.release_date,
            implementation_date=input.implementation_date), _standard)

    @strawberry.mutation(description="复审 of a published standard; REVISE returns the new version")
    async def review_published_standard(self, info: Info, input: Annotated[ReviewPublishedStandardInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                        ) -> StandardResult:
        ctx = info.context
        return await run(info, lambda: release.review_published(
            ctx.session, ctx.actor, standard_id=_id(input.id), outcome=input.outcome.value,
            reason=input.reason), _standard)


__all__ = ["StandardMutation", "StandardQuery", "BallotStatus"]
