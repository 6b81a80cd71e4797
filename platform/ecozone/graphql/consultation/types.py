"""GraphQL types of consultation (征求意见): consultations, comments, consulted documents and the
comment summary table (queries and mutations in schema.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.consultation import documents, rules, service
from ecozone.consultation.models import Comment as CommentModel
from ecozone.consultation.models import Consultation as ConsultationModel
from ecozone.consultation.models import ConsultedDocument as DocumentModel
from ecozone.consultation.subjects import subject_adapter
from ecozone.db.pagination import paginate
from ecozone.graphql.common import Connection, connection, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.results import ValidationFailed, read, result_union
from ecozone.graphql.zones import User, Zone, load_user, load_zone

ConsultationState = strawberry.enum(
    Enum("ConsultationState", {s.upper(): s for s in rules.STATES}),
    description=("OPEN 征求意见中 → CLOSED 已结束, once every comment has a handling decision. 征求意见状态：所有意见处理完毕"
         "后方可结束。"))
CommentDecision = strawberry.enum(
    Enum("CommentDecision", {d.upper(): d for d in rules.DECISIONS}),
    description="采纳 adopted · 部分采纳 partly adopted · 不采纳 not adopted (these two need a reason)")


def _page_size(info: Info) -> int:
    return info.context.settings.limits.max_page_size


@strawberry.type(description=("Where to download the comment summary table (same authentication as /graphql). 意见汇总处"
         "理表的下载地址（认证方式同 /graphql）。"))
class SummaryDownload:
    xlsx_url: str = strawberry.field(description="Path of the XLSX file on this server, e.g. /exports/consultations/{id}/comments.xlsx. 本服务器上 XLSX 文件的路径，如 /exports/consultations/{id}/comments.xlsx。")
    csv_url: str = strawberry.field(description="Path of the CSV file (UTF-8) on this server. 本服务器上 CSV 文件（UTF-8）的路径。")


@strawberry.type(description=("A row of the comment summary table (意见汇总处理表, Annex 3 layout). 意见汇总处理表中的一行（附录 3 格式）。"))
class CommentSummaryRow:
    seq: int = strawberry.field(description="Row number, from 1. 序号，从 1 开始。")
    clause: str = strawberry.field(description="The clause commented on. 章条编号。")
    content: str = strawberry.field(description="意见内容, with “建议修改为：…” when a change is proposed")
    proposer_unit: str = strawberry.field(description="The unit the comment comes from. 提出单位。")
    handling: str = strawberry.field(description="处理意见: the decision in Chinese and its reason")


@strawberry.type(description=("A document of the base put out for comments (public). 公开征求意见的基地文件（公开）。"))
class ConsultedDocument(relay.Node):
    id: relay.NodeID[int]
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    articles: str = strawberry.field(description=("The text of the document, article by article. 文件正文（逐条）。"))
    invitation_only: bool = strawberry.field(
        description=("True when only the invited member units of the zone's council may comment. 是否仅受邀"
             "的理事会成员单位可提意见。"))
    created_at: dt.datetime = strawberry.field(description="When it was created (ISO 8601 with offset). 创建时间（ISO 8601，含时区偏移）。")
    zone_id: strawberry.Private[int]

    @strawberry.field(description="The zone that published it. 发布文件的试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)

    @strawberry.field(description="The latest consultation on this document. 该文件最近一次征求意见。")
    async def consultation(self, info: Info) -> Consultation | None:
        found = await info.context.loaders.grouped(
            ConsultationModel, "subject_id", order=(ConsultationModel.subject_id, ConsultationModel.id),
            where=(ConsultationModel.subject_type == documents.SUBJECT_TYPE,)).load(self.id)
        return Consultation.from_model(found[-1]) if found else None

    @classmethod
    def from_model(cls, d: DocumentModel) -> ConsultedDocument:
        return cls(id=d.id, title_zh=d.title_zh, title_en=d.title_en, articles=d.articles,
                   invitation_only=d.invitation_only, created_at=d.created_at, zone_id=d.zone_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await load_nodes(info, DocumentModel, list(node_ids))
        return [cls.from_model(r) if r else None for r in rows]


@strawberry.type(description=("A comment on a consultation and its handling decision; public with the "
         "consultation, the author's identity only for the author and the running zone's "
         "staff. 对征求意见的一条意见及其处理结果；随征求意见公开，作者身份仅作者本人和组织试验区工作人员可见。"))
class ConsultationComment(relay.Node):
    id: relay.NodeID[int]
    seq: int = strawberry.field(description="序号: 1, 2, 3 … in the order comments arrived")
    clause: str = strawberry.field(description=("The clause commented on, e.g. 5.2.1 or 第十二条. 所针对的章条编号，如 5.2.1 或“第十二条”。"))
    text: str = strawberry.field(description="The comment. 意见内容。")
    proposed_change: str | None = strawberry.field(description="The wording the commenter proposes; null if none. 建议修改的文字；无则为 null。")
    proposer_unit: str = strawberry.field(description=("The unit the comment comes from. 提出意见的单位。"))
    created_at: dt.datetime = strawberry.field(description="When it was created (ISO 8601 with offset). 创建时间（ISO 8601，含时区偏移）。")
    updated_at: dt.datetime = strawberry.field(description="When it last changed (ISO 8601 with offset). 最后修改时间（ISO 8601，含时区偏移）。")
    decision: CommentDecision | None = strawberry.field(description="The handling decision; null while undecided. 处理意见；未处理时为 null。")
    decision_zh: str | None = strawberry.field(description=(
             "The decision in Chinese: 采纳 / 部分采纳 / 不采纳; null while undecided. 处理意见（中文）：采纳、部分采纳"
             "或不采纳；未处理时为 null。"))
    decision_reason: str | None = strawberry.field(description="Why it was not (fully) adopted; null otherwise. 未（完全）采纳的理由；其他情况为 null。")
    decided_at: dt.datetime | None = strawberry.field(description="When it was decided; null while undecided. 处理时间；未处理时为 null。")
    withdrawn_at: dt.datetime | None = strawberry.field(description="When the author withdrew it; null otherwise. 作者撤回时间；未撤回时为 null。")
    is_mine: bool = strawberry.field(description="True when the viewer wrote it. 是否为查看者本人所提。")
    model: strawberry.Private[CommentModel]

    @strawberry.field(description=("Who decided: a secretary or director of the running zone; null while undecided "
             "or not visible. 处理人：组织试验区的秘书或主任；未处理或不可见时为 null。"))
    async def decided_by(self, info: Info) -> User | None:
        return await load_user(info, self.model.decided_by_id)

    @strawberry.field(description=("The signed-in author: shown to the author and the running zone's staff, null "
             "for others. 作者：仅作者本人和组织试验区工作人员可见，其他人为 null。"))
    async def author(self, info: Info) -> User | None:
        actor = info.context.actor
        if not self.is_mine:
            consultation = await info.context.loaders.by_id(ConsultationModel).load(
                self.model.consultation_id)
            if not (actor.zone_staff and consultation and actor.zone_id == consultation.zone_id):
                return None
        return await load_user(info, self.model.author_id)

    @strawberry.field(description="The consultation it belongs to. 所属征求意见。")
    async def consultation(self, info: Info) -> Consultation:
        row = await info.context.loaders.by_id(ConsultationModel).load(self.model.consultation_id)
        return Consultation.from_model(row)

    @classmethod
    def from_model(cls, c: CommentModel, info: Info) -> ConsultationComment:
        actor = info.context.actor
        return cls(id=c.id, seq=c.seq, clause=c.clause, text=c.text, proposed_change=c.proposed_change,
                   proposer_unit=c.proposer_unit, created_at=c.created_at, updated_at=c.updated_at,
                   decision=CommentDecision(c.decision) if c.decision else None,
                   decision_zh=rules.DECISIONS[c.decision][0] if c.decision else None,
                   decision_reason=c.decision_reason, decided_at=c.decided_at,
                   withdrawn_at=c.withdrawn_at,
                   is_mine=actor.user_id is not None and c.author_id == actor.user_id, model=c)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await load_nodes(info, CommentModel, list(node_ids))
        return [cls.from_model(r, info) if r else None for r in rows]


CommentConnectionResult = result_union("ConsultationCommentConnectionResult", Connection[ConsultationComment],
                                       ValidationFailed)
SummaryRowConnectionResult = result_union("CommentSummaryRowConnectionResult", Connection[CommentSummaryRow],
                                          ValidationFailed)


@strawberry.type(description=("A consultation (征求意见) on a standard draft or a document of the base. Public ones (a "
         "draft at stage 30, a public document) are read by anyone. 对标准草案或基地文件的征求意见。公开的征求意见（阶段"
         " 30 的草案、公开文件）所有人可阅读。"))
class Consultation(relay.Node):
    id: relay.NodeID[int]
    subject_type: str = strawberry.field(description=("What is consulted on: `standard` (a draft standard, stage 30) or `document` (a "
             "document of the base). 征求意见对象：`standard`（标准草案，阶段 30）或 `document`（基地文件）。"))
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    state: ConsultationState = strawberry.field(description="Open or closed. 进行中或已结束。")
    opened_at: dt.datetime = strawberry.field(description="When it opened (ISO 8601 with offset). 开始时间（ISO 8601，含时区偏移）。")
    days: int = strawberry.field(description=("Length of the period in calendar days. 征求意见期（自然日天数）。"))
    deadline: dt.date = strawberry.field(description=("Last day comments are accepted, inclusive (China time). 接受意见的最后一天（含当天，北京时间）。"))
    closed_at: dt.datetime | None = strawberry.field(description="When it was closed; null while open. 结束时间；进行中为 null。")
    model: strawberry.Private[ConsultationModel]

    @strawberry.field(description=("Global ID of the subject (a Standard or a ConsultedDocument): open it with "
             "`node(id:)`. 对象的全局 ID（Standard 或 ConsultedDocument），可用 `node(id:)` 打开。"))
    def subject_id(self) -> relay.GlobalID:
        return relay.GlobalID(subject_adapter(self.model.subject_type).node_type,
                              str(self.model.subject_id))

    @strawberry.field(description=("True while open and the deadline has not passed (China time). 进行中且未过截止日（北京时间）时为 "
             "true。"))
    def accepting_comments(self) -> bool:
        return rules.accepts_comments(self.model.state, self.model.deadline, service.today())

    @strawberry.field(description=("Days left after today: 0 on the deadline day, negative after. 今天之后剩余天数：截止日当天为 0，"
             "之后为负数。"))
    def days_left(self) -> int:
        return rules.days_left(self.model.deadline, service.today())

    @strawberry.field(description=("True when anyone may read it and its comments (a standard's draft at stage 30, a "
         "public document). 是否公开（阶段 30 的标准草案、公开文件）：所有人可阅读其内容和意见。"))
    async def is_public(self, info: Info) -> bool:
        return await subject_adapter(self.model.subject_type).is_public(info.context.session,
                                                                        self.model.subject_id)

    @strawberry.field(description="The zone running the consultation. 组织征求意见的试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.model.zone_id)

    @strawberry.field(description="Who opened it; null if the viewer may not see the account. 发起人；查看者无权查看该账户时为 null。")
    async def opened_by(self, info: Info) -> User | None:
        return await load_user(info, self.model.opened_by_id)

    @strawberry.field(description=("The document, when the subject is a document of the base; null for a standard. 对"
             "象为基地文件时的文件；对象为标准时为 null。"))
    async def document(self, info: Info) -> ConsultedDocument | None:
        if self.model.subject_type != documents.SUBJECT_TYPE:
            return None
        row = await info.context.loaders.by_id(DocumentModel).load(self.model.subject_id)
        return ConsultedDocument.from_model(row) if row else None

    async def _comments(self, info: Info) -> list[CommentModel]:
        return await info.context.loaders.grouped(
            CommentModel, "consultation_id", order=(CommentModel.consultation_id, CommentModel.seq)
        ).load(self.id)

    @strawberry.field(description="Comments received, withdrawn ones included. 收到的意见数（含已撤回）。")
    async def comment_count(self, info: Info) -> int:
        return len(await self._comments(info))

    @strawberry.field(description="Comments still waiting for a handling decision. 尚待处理的意见数。")
    async def undecided_count(self, info: Info) -> int:
        return len(rules.undecided(await self._comments(info)))

    @strawberry.field(description="Comments by 序号")
    async def comments(self, info: Info, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20, after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None,
                       undecided_only: Annotated[bool, strawberry.argument(description="Only comments without a handling decision. 仅尚未处理的意见。")] = False) -> CommentConnectionResult:
        ctx = info.context
        return await read(info, lambda: paginate(
            ctx.session, service.comments_of(self.id, undecided_only=undecided_only),
            order=(CommentModel.seq,), first=first, after=after, max_page_size=_page_size(info)),
            lambda page: connection(page, lambda c: ConsultationComment.from_model(c, info)))

    @strawberry.field(description="The comment summary table (意见汇总处理表), row by row. 意见汇总处理表，逐行。")
    async def summary_rows(self, info: Info, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 50, after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None
                           ) -> SummaryRowConnectionResult:
        ctx = info.context
        return await read(info, lambda: paginate(
            ctx.session, service.comments_of(self.id), order=(CommentModel.seq,), first=first,
            after=after, max_page_size=_page_size(info)),
            lambda page: connection(page, _summary_row))

    @strawberry.field(description=("The comment summary table (意见汇总处理表) as XLSX and CSV files. 意见汇总处理表（XLSX 和 CSV 文件"
             "）。"))
    def summary_download(self) -> SummaryDownload:
        base = f"/exports/consultations/{self.id}/comments"
        return SummaryDownload(xlsx_url=f"{base}.xlsx", csv_url=f"{base}.csv")

    @classmethod
    def from_model(cls, c: ConsultationModel) -> Consultation:
        return cls(id=c.id, subject_type=c.subject_type, title_zh=c.title_zh, title_en=c.title_en,
                   state=ConsultationState(c.state), opened_at=c.opened_at, days=c.days,
                   deadline=c.deadline, closed_at=c.closed_at, model=c)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await load_nodes(info, ConsultationModel, list(node_ids))
        return [cls.from_model(r) if r else None for r in rows]


def _summary_row(comment: CommentModel) -> CommentSummaryRow:
    row = service.to_summary_row(comment)
    return CommentSummaryRow(seq=row.seq, clause=row.clause, content=row.content,
                             proposer_unit=row.proposer_unit, handling=row.handling)
