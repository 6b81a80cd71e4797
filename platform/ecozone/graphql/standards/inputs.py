"""Input types and the order of `standards` of the standard-release workflow (used by
schema.py)."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry
from strawberry import relay

from ecozone.graphql.experts.types import ProductCategoryCode
from ecozone.graphql.standards.types import (
    ReviewOutcome,
    StandardKind,
    StandardState,
    VoteChoice,
)


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
