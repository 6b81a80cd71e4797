"""Consultation (征求意见): comments, handling decisions, the comment summary table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry import relay

from ecozone.consultation import documents, rules, service
from ecozone.consultation.models import Comment as CommentModel
from ecozone.consultation.models import Consultation as ConsultationModel
from ecozone.consultation.models import ConsultedDocument as DocumentModel
from ecozone.consultation.subjects import subject_adapter
from ecozone.db.pagination import paginate
from ecozone.graphql.common import Connection, connection, decode_id, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.results import Conflict, NotFound, PermissionDenied, ValidationFailed, read, run
from ecozone.graphql.zones import User, Zone, load_user, load_zone

ConsultationState = strawberry.enum(
    Enum("ConsultationState", {s.upper(): s for s in rules.STATES}),
    description="open (征求意见中) → closed (已结束), once every comment has a decision")
CommentDecision = strawberry.enum(
    Enum("CommentDecision", {d.upper(): d for d in rules.DECISIONS}),
    description="采纳 adopted · 部分采纳 partly adopted · 不采纳 not adopted (these two need a reason)")


def _page_size(info: Info) -> int:
    return info.context.settings.limits.max_page_size


@strawberry.type(description="Where to download the comment summary table (same authentication as /graphql).")
class SummaryDownload:
    xlsx_url: str
    csv_url: str


@strawberry.type(description="A row of the comment summary table (意见汇总表, Annex 3 layout).")
class CommentSummaryRow:
    seq: int = strawberry.field(description="序号")
    clause: str = strawberry.field(description="章条编号")
    content: str = strawberry.field(description="意见内容, with “建议修改为：…” when a change is proposed")
    proposer_unit: str = strawberry.field(description="提出单位")
    handling: str = strawberry.field(description="处理意见: the decision in Chinese and its reason")


@strawberry.type(description="A document of the base put out for comments (public).")
class ConsultedDocument(relay.Node):
    id: relay.NodeID[int]
    title_zh: str
    title_en: str
    articles: str
    invitation_only: bool = strawberry.field(
        description="Only the invited member units of the zone's council may comment")
    created_at: dt.datetime
    zone_id: strawberry.Private[int]

    @strawberry.field
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)

    @strawberry.field(description="The latest consultation on this document")
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


@strawberry.type(description="A comment (一条意见) and its handling decision.")
class ConsultationComment(relay.Node):
    id: relay.NodeID[int]
    seq: int = strawberry.field(description="序号: 1, 2, 3 … in the order comments arrived")
    clause: str = strawberry.field(description="章条编号, e.g. 5.2.1 or 第十二条")
    text: str
    proposed_change: str | None
    proposer_unit: str
    created_at: dt.datetime
    updated_at: dt.datetime
    decision: CommentDecision | None
    decision_zh: str | None = strawberry.field(description="采纳 / 部分采纳 / 不采纳")
    decision_reason: str | None
    decided_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    is_mine: bool
    model: strawberry.Private[CommentModel]

    @strawberry.field(description="Who decided: a secretary or director of the running zone")
    async def decided_by(self, info: Info) -> User | None:
        return await load_user(info, self.model.decided_by_id)

    @strawberry.field(description="The signed-in author: shown to the author and the running zone's staff")
    async def author(self, info: Info) -> User | None:
        actor = info.context.actor
        if not self.is_mine:
            consultation = await info.context.loaders.by_id(ConsultationModel).load(
                self.model.consultation_id)
            if not (actor.zone_staff and consultation and actor.zone_id == consultation.zone_id):
                return None
        return await load_user(info, self.model.author_id)

    @strawberry.field
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


CommentConnectionResult = Annotated[Connection[ConsultationComment] | ValidationFailed,
                                    strawberry.union("ConsultationCommentConnectionResult")]
SummaryRowConnectionResult = Annotated[Connection[CommentSummaryRow] | ValidationFailed,
                                       strawberry.union("CommentSummaryRowConnectionResult")]


@strawberry.type(description="A consultation (征求意见) on a standard draft or a document of the base.")
class Consultation(relay.Node):
    id: relay.NodeID[int]
    subject_type: str = strawberry.field(description="standard | document | …")
    title_zh: str
    title_en: str
    state: ConsultationState
    opened_at: dt.datetime
    days: int = strawberry.field(description="Length of the period in days")
    deadline: dt.date = strawberry.field(description="Last day comments are accepted (inclusive)")
    closed_at: dt.datetime | None
    model: strawberry.Private[ConsultationModel]

    @strawberry.field(description="Global ID of the subject (a Standard, a ConsultedDocument, …)")
    def subject_id(self) -> relay.GlobalID:
        return relay.GlobalID(subject_adapter(self.model.subject_type).node_type,
                              str(self.model.subject_id))

    @strawberry.field(description="Open and the deadline not passed (China time)")
    def accepting_comments(self) -> bool:
        return rules.accepts_comments(self.model.state, self.model.deadline, service.today())

    @strawberry.field(description="Days left after today: 0 on the deadline day, negative after")
    def days_left(self) -> int:
        return rules.days_left(self.model.deadline, service.today())

    @strawberry.field
    async def is_public(self, info: Info) -> bool:
        return await subject_adapter(self.model.subject_type).is_public(info.context.session,
                                                                        self.model.subject_id)

    @strawberry.field(description="The zone running the consultation")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.model.zone_id)

    @strawberry.field
    async def opened_by(self, info: Info) -> User | None:
        return await load_user(info, self.model.opened_by_id)

    @strawberry.field(description="The document, when the subject is a document of the base")
    async def document(self, info: Info) -> ConsultedDocument | None:
        if self.model.subject_type != documents.SUBJECT_TYPE:
            return None
        row = await info.context.loaders.by_id(DocumentModel).load(self.model.subject_id)
        return ConsultedDocument.from_model(row) if row else None

    async def _comments(self, info: Info) -> list[CommentModel]:
        return await info.context.loaders.grouped(
            CommentModel, "consultation_id", order=(CommentModel.consultation_id, CommentModel.seq)
        ).load(self.id)

    @strawberry.field(description="Comments received, withdrawn ones included")
    async def comment_count(self, info: Info) -> int:
        return len(await self._comments(info))

    @strawberry.field(description="Comments still waiting for a handling decision")
    async def undecided_count(self, info: Info) -> int:
        return len(rules.undecided(await self._comments(info)))

    @strawberry.field(description="Comments by 序号")
    async def comments(self, info: Info, first: int = 20, after: str | None = None,
                       undecided_only: bool = False) -> CommentConnectionResult:
        ctx = info.context
        return await read(info, lambda: paginate(
            ctx.session, service.comments_of(self.id, undecided_only=undecided_only),
            order=(CommentModel.seq,), first=first, after=after, max_page_size=_page_size(info)),
            lambda page: connection(page, lambda c: ConsultationComment.from_model(c, info)))

    @strawberry.field(description="The comment summary table (意见汇总表), row by row")
    async def summary_rows(self, info: Info, first: int = 50, after: str | None = None
                           ) -> SummaryRowConnectionResult:
        ctx = info.context
        return await read(info, lambda: paginate(
            ctx.session, service.comments_of(self.id), order=(CommentModel.seq,), first=first,
            after=after, max_page_size=_page_size(info)),
            lambda page: connection(page, _summary_row))

    @strawberry.field(description="The comment summary table as XLSX and CSV files")
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


ConsultationResult = Annotated[Consultation | PermissionDenied | ValidationFailed | NotFound | Conflict,
                               strawberry.union("ConsultationResult")]
CommentResult = Annotated[ConsultationComment | PermissionDenied | ValidationFailed | NotFound | Conflict,
                          strawberry.union("ConsultationCommentResult")]
ConsultationConnectionResult = Annotated[Connection[Consultation] | ValidationFailed,
                                         strawberry.union("ConsultationConnectionResult")]


@strawberry.input(description="Secretary: publish a document of the base and open its consultation.")
class OpenDocumentConsultationInput:
    title_zh: str
    title_en: str
    articles: str = strawberry.field(description="The text of the document, article by article")
    days: int | None = strawberry.field(default=None,
                                        description="1–180; default: the zone's consultation period")
    invited_unit_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="CouncilMemberUnit IDs of this zone: only they may comment "
                                  "(and the secretariat, for comments received by letter); "
                                  "left out, any signed-in user of any zone may")


@strawberry.input
class PostCommentInput:
    consultation_id: relay.GlobalID
    clause: str = strawberry.field(description="章条编号, at most 50 characters")
    text: str = strawberry.field(description="意见内容, at most 5000 characters")
    proposer_unit: str = strawberry.field(description="提出单位")
    proposed_change: str | None = None


@strawberry.input(description="The author edits their undecided comment; only the fields sent change.")
class UpdateCommentInput:
    id: relay.GlobalID
    clause: str | None = strawberry.UNSET
    text: str | None = strawberry.UNSET
    proposer_unit: str | None = strawberry.UNSET
    proposed_change: str | None = strawberry.UNSET


@strawberry.input
class WithdrawCommentInput:
    id: relay.GlobalID


@strawberry.input
class DecideCommentInput:
    id: relay.GlobalID
    decision: CommentDecision
    reason: str | None = strawberry.field(default=None, description="Required unless adopted")


@strawberry.input
class CloseConsultationInput:
    id: relay.GlobalID


def _changes(input_: UpdateCommentInput) -> dict[str, Any]:
    return {name: value for name, value in vars(input_).items()
            if name != "id" and value is not strawberry.UNSET}


@strawberry.type
class ConsultationQuery:
    @strawberry.field
    async def consultation(self, info: Info, id: relay.GlobalID) -> ConsultationResult:
        return await read(info, lambda: service.get_consultation(
            info.context.session, decode_id(id, "Consultation")), Consultation.from_model)

    @strawberry.field(description="Consultations the viewer may see, in the order they were opened.")
    async def consultations(self, info: Info, subject_type: str | None = None,
                            state: ConsultationState | None = None, first: int = 20,
                            after: str | None = None) -> ConsultationConnectionResult:
        ctx = info.context

        async def page():
            stmt = service.list_consultations(subject_type=subject_type,
                                              state=state.value if state else None)
            return await paginate(ctx.session, stmt, order=(ConsultationModel.id,), first=first,
                                  after=after, max_page_size=_page_size(info))
        return await read(info, page, lambda p: connection(p, Consultation.from_model))


def _comment(info: Info):
    return lambda comment: ConsultationComment.from_model(comment, info)


@strawberry.type
class ConsultationMutation:
    @strawberry.mutation(description="Secretary: publish a document and open its consultation")
    async def open_document_consultation(self, info: Info, input: OpenDocumentConsultationInput
                                         ) -> ConsultationResult:
        ctx = info.context
        return await run(info, lambda: documents.open_document_consultation(
            ctx.session, ctx.actor, title_zh=input.title_zh, title_en=input.title_en,
            articles=input.articles, days=input.days,
            invited_unit_ids=None if input.invited_unit_ids is None else [
                decode_id(gid, "CouncilMemberUnit", "invitedUnitIds") for gid in input.invited_unit_ids]),
            Consultation.from_model)

    @strawberry.mutation(description="Any signed-in user, while open and up to the deadline day")
    async def post_comment(self, info: Info, input: PostCommentInput) -> CommentResult:
        ctx = info.context
        return await run(info, lambda: service.post_comment(
            ctx.session, ctx.actor, consultation_id=decode_id(input.consultation_id, "Consultation",
                                                              "consultationId"),
            clause=input.clause, text=input.text, proposer_unit=input.proposer_unit,
            proposed_change=input.proposed_change), _comment(info))

    @strawberry.mutation
    async def update_comment(self, info: Info, input: UpdateCommentInput) -> CommentResult:
        ctx = info.context
        return await run(info, lambda: service.update_comment(
            ctx.session, ctx.actor, comment_id=decode_id(input.id, "ConsultationComment"),
            changes=_changes(input)), _comment(info))

    @strawberry.mutation
    async def withdraw_comment(self, info: Info, input: WithdrawCommentInput) -> CommentResult:
        ctx = info.context
        return await run(info, lambda: service.withdraw_comment(
            ctx.session, ctx.actor, comment_id=decode_id(input.id, "ConsultationComment")),
            _comment(info))

    @strawberry.mutation(description="Record the handling decision (处理意见) of a comment")
    async def decide_comment(self, info: Info, input: DecideCommentInput) -> CommentResult:
        ctx = info.context
        return await run(info, lambda: service.decide_comment(
            ctx.session, ctx.actor, comment_id=decode_id(input.id, "ConsultationComment"),
            decision=input.decision.value, reason=input.reason), _comment(info))

    @strawberry.mutation(description="Close once every comment has a handling decision")
    async def close_consultation(self, info: Info, input: CloseConsultationInput) -> ConsultationResult:
        ctx = info.context
        return await run(info, lambda: service.close_consultation(
            ctx.session, ctx.actor, consultation_id=decode_id(input.id, "Consultation")),
            Consultation.from_model)
