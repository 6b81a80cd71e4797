"""Queries and mutations of the standard-release workflow (types in standards_types.py)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
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
from ecozone.graphql.experts import ProductCategory, ProductCategoryCode
from ecozone.graphql.loaders import prefetch
from ecozone.graphql.results import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    read,
    run,
)
from ecozone.graphql.standards_types import (
    BallotStatus,
    ReviewOutcome,
    Stage,
    Standard,
    StandardKind,
    StandardState,
    StandardVersion,
    VoteChoice,
    prefetch_plan,
)
from ecozone.graphql.zones import Zone, zone_of
from ecozone.standards import (
    consultation_stage,
    release,
    review,
    search,
    service,
    statistics,
)

StandardResult = Annotated[Standard | PermissionDenied | ValidationFailed | NotFound | Conflict,
                           strawberry.union("StandardResult", description=(
                                    "Standard on success, else why not: PermissionDenied, "
                                    "ValidationFailed, NotFound, Conflict. Select `... on "
                                    "Standard` and `... on Failure { code message messageZh "
                                    "}`. 成功时为 Standard，否则为失败原因（PermissionDenied 无权限、"
                                    "ValidationFailed 输入无效、NotFound 不存在或不可见、Conflict 当前状态不允许）。"
                                    "用 `... on Standard` 与 `... on Failure { code message "
                                    "messageZh }` 取值。"))]
StandardVersionResult = Annotated[StandardVersion | PermissionDenied | ValidationFailed | NotFound | Conflict,
                                  strawberry.union("StandardVersionResult", description=(
                                           "StandardVersion on success, else why not: "
                                           "PermissionDenied, ValidationFailed, NotFound, "
                                           "Conflict. Select `... on StandardVersion` and "
                                           "`... on Failure { code message messageZh }`. 成功时为 "
                                           "StandardVersion，否则为失败原因（PermissionDenied 无权限、"
                                           "ValidationFailed 输入无效、NotFound 不存在或不可见、Conflict 当前"
                                           "状态不允许）。用 `... on StandardVersion` 与 `... on "
                                           "Failure { code message messageZh }` 取值。"))]
StandardConnectionResult = Annotated[Connection[Standard] | ValidationFailed,
                                     strawberry.union("StandardConnectionResult", description=(
                                              "StandardConnection on success, else why not: "
                                              "ValidationFailed. Select `... on "
                                              "StandardConnection` and `... on Failure { code "
                                              "message messageZh }`. 成功时为 StandardConnection，否"
                                              "则为失败原因（ValidationFailed 输入无效）。用 `... on "
                                              "StandardConnection` 与 `... on Failure { code "
                                              "message messageZh }` 取值。"))]


@strawberry.input(description="Start a standard (stage 10) for a standard-development project. 为标准研制项目创建标准（阶段 10）。")
class CreateStandardInput:
    project_id: relay.GlobalID = strawberry.field(description="Global ID of the Project (`Project.id`). 项目的全局 ID（`Project.id`）。")
    kind: StandardKind = strawberry.field(description=("Joint local standard or group standard. 联合地方标准或团体标准。"))
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    scope: str = strawberry.field(description="Scope: what the standard covers (范围). 适用范围。")
    participating_zones: list[str] = strawberry.field(
        description=("Slugs of the zones taking part besides the lead zone (the acting zone). 除牵头试验区（所"
             "操作试验区）外参与的试验区 slug。"))
    category: ProductCategoryCode | None = strawberry.field(
        default=None, description=("The product category the standard is about; optional. 标准所属的产品类别；可选。"))


@strawberry.input(description="Start drafting a proposed standard. 开始起草提案阶段的标准。")
class StartDraftingInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Standard (`Standard.id`). 标准的全局 ID（`Standard.id`）。"))


@strawberry.input(description="Close the consultation and go to technical review. 结束征求意见，进入技术审查。")
class CloseStandardConsultationInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Standard (`Standard.id`). 标准的全局 ID（`Standard.id`）。"))


@strawberry.input(description="Open a ballot of the review panel. 发起审查专家组表决。")
class OpenBallotInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Standard (`Standard.id`). 标准的全局 ID（`Standard.id`）。"))


@strawberry.input(description="Count and close the open ballot. 计票并结束表决。")
class CloseBallotInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Standard (`Standard.id`). 标准的全局 ID（`Standard.id`）。"))


@strawberry.input(description="Sign the joint approval for the acting zone. 代表所操作试验区签署联合批准。")
class SignStandardInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Standard (`Standard.id`). 标准的全局 ID（`Standard.id`）。"))


@strawberry.input(description="Open the public consultation on the latest draft. 对最新草案公开征求意见。")
class OpenStandardConsultationInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Standard (`Standard.id`). 标准的全局 ID（`Standard.id`）。"))
    days: int | None = strawberry.field(default=None, description=(
             "Length in calendar days; default: the zone's consultation days. 征求意见天数（自然日）；默认为本"
             "区规定天数。"))


@strawberry.input(description="A new numbered draft. 新的编号草案。")
class AddDraftVersionInput:
    standard_id: relay.GlobalID = strawberry.field(description="Global ID of the Standard (`Standard.id`). 标准的全局 ID（`Standard.id`）。")
    text: str = strawberry.field(description="The full text of the draft. 草案全文。")
    change_note: str = strawberry.field(description=("What changed since the previous draft. 与上一稿相比的修改说明。"))


@strawberry.input(description="Add an expert to the review panel. 向审查专家组添加专家。")
class AddPanelExpertInput:
    standard_id: relay.GlobalID = strawberry.field(description="Global ID of the Standard (`Standard.id`). 标准的全局 ID（`Standard.id`）。")
    expert_id: relay.GlobalID = strawberry.field(description="Global ID of the Expert (`Expert.id`). 专家的全局 ID（`Expert.id`）。")


@strawberry.input(description="Remove an expert from the review panel. 从审查专家组移除专家。")
class RemovePanelExpertInput:
    standard_id: relay.GlobalID = strawberry.field(description="Global ID of the Standard (`Standard.id`). 标准的全局 ID（`Standard.id`）。")
    expert_id: relay.GlobalID = strawberry.field(description="Global ID of the Expert (`Expert.id`). 专家的全局 ID（`Expert.id`）。")


@strawberry.input(description="Your vote as a panel expert. 专家组成员的投票。")
class CastVoteInput:
    standard_id: relay.GlobalID = strawberry.field(description="Global ID of the Standard (`Standard.id`). 标准的全局 ID（`Standard.id`）。")
    choice: VoteChoice = strawberry.field(description=("Yes, yes with comments, no or abstain. 赞成、附意见赞成、反对或弃权。"))
    comment: str | None = strawberry.field(default=None, description="Your comment; required for NO. 意见；投反对票时必填。")


@strawberry.input(description="Refuse the joint approval for the acting zone. 代表所操作试验区拒绝批准。")
class RefuseStandardInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Standard (`Standard.id`). 标准的全局 ID（`Standard.id`）。"))
    reason: str = strawberry.field(description=("Why, required: kept in the event history and sent in the notifications. 原因（必填），记"
             "入事件历史并随通知发送。"))


@strawberry.input(description="Publish a standard every zone signed. 发布各试验区均已签署的标准。")
class PublishStandardInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Standard (`Standard.id`). 标准的全局 ID（`Standard.id`）。"))
    release_date: dt.date = strawberry.field(description="Date of release (发布日期). 发布日期。")
    implementation_date: dt.date = strawberry.field(description="Date it takes effect (实施日期), on or after the release date. 实施日期，不早于发布日期。")


@strawberry.input(description=("The periodic review (复审) of a published standard: confirm, revise or withdraw. 已发布标准的复审："
     "确认、修订或废止。"))
class ReviewPublishedStandardInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Standard (`Standard.id`). 标准的全局 ID（`Standard.id`）。"))
    outcome: ReviewOutcome = strawberry.field(description=(
             "CONFIRM keeps it, REVISE starts a revision (a new standard in drafting), "
             "WITHDRAW ends it. CONFIRM 继续有效，REVISE 启动修订（新标准进入起草），WITHDRAW 废止。"))
    reason: str | None = strawberry.field(default=None, description="Why; required to revise or withdraw. 原因；修订或废止时必填。")


@strawberry.input(description=("Filters of `standards`, all optional and combined with AND. 标准检索条件，均可选，须同时满足。"))
class StandardFilterInput:
    state: StandardState | None = strawberry.field(default=None, description="Only standards at this stage. 仅处于该阶段的标准。")
    kind: StandardKind | None = strawberry.field(default=None, description="Only this kind (joint local or group). 仅此类型（联合地方标准或团体标准）。")
    zone: str | None = strawberry.field(
        default=None, description=("Only standards in which this zone (slug) takes part, the lead zone included. 仅该试"
             "验区（slug）参与的标准（含牵头）。"))
    category: ProductCategoryCode | None = strawberry.field(
        default=None, description="Only standards about this product category. 仅该产品类别的标准。")
    year: int | None = strawberry.field(default=None, description="Only standards released in this year, 2000–2100. 仅该年发布的标准，2000–2100。")
    released_from: dt.date | None = strawberry.field(
        default=None, description="Only standards released on or after this day. 发布日期不早于该日。")
    released_to: dt.date | None = strawberry.field(
        default=None, description="Only standards released on or before this day. 发布日期不晚于该日。")
    number: int | None = strawberry.field(default=None, description="Only standards with this published number. 仅该顺序号的标准。")
    designation: str | None = strawberry.field(
        default=None, description=("A designation as people type it: `DB52/T 1—2026`, `DB52/T 1-2026`, `DB52T1`, "
             "`T/NTSIBJGE 001`; any dash, spaces and full-width characters, year optional; "
             "one that names no standard matches nothing. 按人们输入的标准编号检索：各种连接号、空格和全角字符均可，年份可省略；不"
             "对应任何标准时无结果。"))
    text: str | None = strawberry.field(
        default=None, description=("Full-text search of the titles, scope and published text, ranked; every word "
             "must occur; a designation typed here is searched as one. 全文检索标题、范围和发布文本，按相关度排序；须"
             "包含每个词；在此输入的标准编号按编号检索。"))


StandardOrderField = strawberry.enum(
    Enum("StandardOrderField", {"RELEVANCE": "relevance", "RELEASE_DATE": "release_date",
                                "NUMBER": "number", "CREATED": "created"}),
    description=("RELEVANCE (with `text`: title 4, scope 2, published text 1 per word, then newest "
         "release) · RELEASE_DATE · NUMBER (then year) · CREATED (the order they were started "
         "in); standards not yet released sort as the earliest. 排序字段：相关度（标题 4、范围 2、正文 1 分/词，再按"
         "最新发布）· 发布日期 · 顺序号（再按年份）· 创建顺序；未发布的标准排在最早。"))
OrderDirection = strawberry.enum(Enum("OrderDirection", {"ASC": "asc", "DESC": "desc"}),
                                 description=("ASC ascending · DESC descending. 排序方向：ASC 升序 · DESC 降序。"))


@strawberry.input(description=("How `standards` is sorted; default: RELEVANCE with `text`, else CREATED ascending. "
         "`standards` 的排序方式；默认：有 `text` 时按相关度，否则按创建顺序升序。"))
class StandardOrderInput:
    field: StandardOrderField = strawberry.field(description="What to sort by. 排序字段。")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="ASC or DESC; default ASC. 升序或降序；默认升序。")


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


StandardStatisticsResult = Annotated[StandardStatistics | ValidationFailed,
                                     strawberry.union("StandardStatisticsResult", description=(
                                              "StandardStatistics on success, else why not: "
                                              "ValidationFailed. Select `... on "
                                              "StandardStatistics` and `... on Failure { code "
                                              "message messageZh }`. 成功时为 StandardStatistics，否"
                                              "则为失败原因（ValidationFailed 输入无效）。用 `... on "
                                              "StandardStatistics` 与 `... on Failure { code "
                                              "message messageZh }` 取值。"))]


def _statistics(f: statistics.StandardFigures) -> StandardStatistics:
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
            info.context.session, year=year, zone=zone), _statistics)

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
