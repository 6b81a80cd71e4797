"""Consultation (征求意见): queries, mutations and their inputs (types in types.py)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import relay

from ecozone.consultation import documents, service
from ecozone.consultation.models import Consultation as ConsultationModel
from ecozone.db.pagination import paginate
from ecozone.graphql.common import Connection, connection, decode_id
from ecozone.graphql.consultation.types import (
    CommentDecision,
    Consultation,
    ConsultationComment,
    ConsultationState,
)
from ecozone.graphql.context import Info
from ecozone.graphql.results import (
    EVERY_FAILURE,
    ValidationFailed,
    read,
    result_union,
    run,
)

ConsultationResult = result_union("ConsultationResult", Consultation, *EVERY_FAILURE)
CommentResult = result_union("ConsultationCommentResult", ConsultationComment, *EVERY_FAILURE)
ConsultationConnectionResult = result_union("ConsultationConnectionResult", Connection[Consultation], ValidationFailed)


@strawberry.input(description=("Publish a document of the base and open its consultation. 发布基地文件并开始征求意见。"))
class OpenDocumentConsultationInput:
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    articles: str = strawberry.field(description=("The text of the document, article by article. 文件正文（逐条）。"))
    days: int | None = strawberry.field(default=None,
                                        description=("Length in calendar days, 1–180; default: the zone's consultation period. 期限（自然日）"
             "，1–180；默认为本区规定天数。"))
    invited_unit_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description=("Global IDs of council member units (`CouncilMemberUnit.id`) of this zone: only "
             "they may comment (and the secretariat, for comments received by letter); left "
             "out, any signed-in user of any zone. 本区理事会成员单位的全局 ID（`CouncilMemberUnit.id`）：仅其可"
             "提意见（秘书处可代录书面意见）；省略则任何试验区的登录用户均可。"))


@strawberry.input(description="A comment on an open consultation. 对进行中征求意见提出的意见。")
class PostCommentInput:
    consultation_id: relay.GlobalID = strawberry.field(description="Global ID of the Consultation (`Consultation.id`). 征求意见的全局 ID（`Consultation.id`）。")
    clause: str = strawberry.field(description="章条编号, at most 50 characters")
    text: str = strawberry.field(description="意见内容, at most 5000 characters")
    proposer_unit: str = strawberry.field(description=("The unit the comment comes from. 提出意见的单位。"))
    proposed_change: str | None = strawberry.field(default=None, description="The wording you propose; optional. 建议修改的文字；可选。")


@strawberry.input(description=("The author edits their undecided comment; only the fields sent change. 作者修改本人未处理的意见；"
         "仅修改所发送的字段。"))
class UpdateCommentInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the ConsultationComment (`ConsultationComment.id`). 意见的全局 ID（"
             "`ConsultationComment.id`）。"))
    clause: str | None = strawberry.field(default=strawberry.UNSET, description="The clause commented on, e.g. 5.2. 所针对的条款，如 5.2。")
    text: str | None = strawberry.field(default=strawberry.UNSET, description="The comment. 意见内容。")
    proposer_unit: str | None = strawberry.field(default=strawberry.UNSET, description="The unit the comment comes from. 提出意见的单位。")
    proposed_change: str | None = strawberry.field(default=strawberry.UNSET, description="The wording you propose. 建议修改的文字。")


@strawberry.input(description="Withdraw your undecided comment. 撤回本人未处理的意见。")
class WithdrawCommentInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the ConsultationComment (`ConsultationComment.id`). 意见的全局 ID（"
             "`ConsultationComment.id`）。"))


@strawberry.input(description="The handling decision on a comment; staff of the running zone. 对意见的处理决定；组织试验区工作人员。")
class DecideCommentInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the ConsultationComment (`ConsultationComment.id`). 意见的全局 ID（"
             "`ConsultationComment.id`）。"))
    decision: CommentDecision = strawberry.field(description="Adopted, partly adopted or not adopted. 采纳、部分采纳或不采纳。")
    reason: str | None = strawberry.field(default=None, description="Why; required unless adopted. 理由；除采纳外必填。")


@strawberry.input(description="Close a consultation. 结束征求意见。")
class CloseConsultationInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Consultation (`Consultation.id`). 征求意见的全局 ID（`Consultation.id`）"
             "。"))


def _changes(input_: UpdateCommentInput) -> dict[str, Any]:
    return {name: value for name, value in vars(input_).items()
            if name != "id" and value is not strawberry.UNSET}


@strawberry.type
class ConsultationQuery:
    @strawberry.field(description=("One consultation by ID; NotFound if none or not visible to the viewer. 按 ID 获取征求意见；不"
         "存在或不可见时返回 NotFound。"))
    async def consultation(self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description="Global ID of the Consultation (`Consultation.id`). 征求意见的全局 ID（`Consultation.id`）。")]) -> ConsultationResult:
        return await read(info, lambda: service.get_consultation(
            info.context.session, decode_id(id, "Consultation")), Consultation.from_model)

    @strawberry.field(description=("Consultations the viewer may see, in the order they were opened: public ones "
             "for everyone. 查看者可见的征求意见，按开始顺序；公开的所有人可见。"))
    async def consultations(self, info: Info, subject_type: Annotated[str | None, strawberry.argument(description=(
             "Only consultations on this kind of subject: `standard` or `document`. 仅此类对象的征求意见"
             "：`standard` 或 `document`。"))] = None,
                            state: Annotated[ConsultationState | None, strawberry.argument(description="Only open or only closed ones. 仅进行中或仅已结束的。")] = None, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20,
                            after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None) -> ConsultationConnectionResult:
        ctx = info.context

        async def page():
            stmt = service.list_consultations(subject_type=subject_type,
                                              state=state.value if state else None)
            return await paginate(ctx.session, stmt, order=(ConsultationModel.id,), first=first,
                                  after=after, max_page_size=ctx.settings.limits.max_page_size)
        return await read(info, page, lambda p: connection(p, Consultation.from_model))


def _comment(info: Info):
    return lambda comment: ConsultationComment.from_model(comment, info)


@strawberry.type
class ConsultationMutation:
    @strawberry.mutation(description=("Secretary of the acting zone: publish a document of the base and open its "
             "consultation. 所操作试验区秘书：发布基地文件并开始征求意见。"))
    async def open_document_consultation(self, info: Info, input: Annotated[OpenDocumentConsultationInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                         ) -> ConsultationResult:
        ctx = info.context
        return await run(info, lambda: documents.open_document_consultation(
            ctx.session, ctx.actor, title_zh=input.title_zh, title_en=input.title_en,
            articles=input.articles, days=input.days,
            invited_unit_ids=None if input.invited_unit_ids is None else [
                decode_id(gid, "CouncilMemberUnit", "invitedUnitIds") for gid in input.invited_unit_ids]),
            Consultation.from_model)

    @strawberry.mutation(description=("Comment on an open consultation; any signed-in user (or invited units only), up "
             "to the deadline day. 对进行中的征求意见提出意见；任何登录用户（或仅受邀单位），截止日当天仍可提交。"))
    async def post_comment(self, info: Info, input: Annotated[PostCommentInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CommentResult:
        ctx = info.context
        return await run(info, lambda: service.post_comment(
            ctx.session, ctx.actor, consultation_id=decode_id(input.consultation_id, "Consultation",
                                                              "consultationId"),
            clause=input.clause, text=input.text, proposer_unit=input.proposer_unit,
            proposed_change=input.proposed_change), _comment(info))

    @strawberry.mutation(description=("The author edits their comment while undecided and the consultation open. 作者在意见未处理且征"
         "求意见进行中时修改本人意见。"))
    async def update_comment(self, info: Info, input: Annotated[UpdateCommentInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CommentResult:
        ctx = info.context
        return await run(info, lambda: service.update_comment(
            ctx.session, ctx.actor, comment_id=decode_id(input.id, "ConsultationComment"),
            changes=_changes(input)), _comment(info))

    @strawberry.mutation(description="The author withdraws their undecided comment. 作者撤回本人未处理的意见。")
    async def withdraw_comment(self, info: Info, input: Annotated[WithdrawCommentInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CommentResult:
        ctx = info.context
        return await run(info, lambda: service.withdraw_comment(
            ctx.session, ctx.actor, comment_id=decode_id(input.id, "ConsultationComment")),
            _comment(info))

    @strawberry.mutation(description=("Record the handling decision of a comment; staff of the running zone. 登记对意见的处理意见"
             "；组织试验区工作人员。"))
    async def decide_comment(self, info: Info, input: Annotated[DecideCommentInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CommentResult:
        ctx = info.context
        return await run(info, lambda: service.decide_comment(
            ctx.session, ctx.actor, comment_id=decode_id(input.id, "ConsultationComment"),
            decision=input.decision.value, reason=input.reason), _comment(info))

    @strawberry.mutation(description=("Staff of the running zone: close once every comment has a handling decision "
             "(else Conflict). 组织试验区工作人员：所有意见均已处理后结束征求意见（否则返回 Conflict）。"))
    async def close_consultation(self, info: Info, input: Annotated[CloseConsultationInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ConsultationResult:
        ctx = info.context
        return await run(info, lambda: service.close_consultation(
            ctx.session, ctx.actor, consultation_id=decode_id(input.id, "Consultation")),
            Consultation.from_model)
