"""The expert committee (办法 第九条; 章程 第九条(五)): types, queries and mutations; the zone's council."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.committee import rules, service
from ecozone.committee.models import CommitteeMember as MemberModel
from ecozone.committee.models import CommitteeOpinion as OpinionModel
from ecozone.experts.models import ExpertProfile
from ecozone.graphql.common import Connection, connection, decode_id, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.experts.types import Expert
from ecozone.graphql.results import (
    EVERY_FAILURE,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    read,
    result_union,
    run,
)

FIRST = Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")]
AFTER = Annotated[str | None, strawberry.argument(description=(
    "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for the first page. "
    "从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))]
CommitteeSubject = strawberry.enum(Enum("CouncilCommitteeSubject", {s.upper(): s for s in rules.SUBJECT_TYPES}),
                                   description="What an opinion is about: STANDARD 标准 · PROJECT 项目. 意见针对的对象。")
MemberState = strawberry.enum(Enum("CouncilCommitteeMemberState", {"APPOINTED": "appointed", "DISMISSED": "dismissed"}),
                              description="APPOINTED 已聘任 · DISMISSED 已解聘. 委员聘任状态。")


def _can_read(info: Info) -> bool:
    return info.context.actor.can("council_committee", "read")


@strawberry.type(description=("A member of the zone's expert committee: a verified expert of the registry appointed "
                              "by the council for a term (第九条(五)). 本区专家委员会委员：理事会从专家库已审核专家中聘任，有聘期（第九条(五)）。"))
class CouncilCommitteeMember(relay.Node):
    id: relay.NodeID[int]
    term_start: dt.date = strawberry.field(description="First day of the term. 聘期开始日。")
    term_end: dt.date = strawberry.field(description="Last day of the term. 聘期最后一天。")
    state: MemberState = strawberry.field(description="Appointed or dismissed. 已聘任或已解聘。")
    dismissed_on: dt.date | None = strawberry.field(description="Last day on the committee if dismissed; null otherwise. 解聘时的最后在任日；否则为 null。")
    model: strawberry.Private[MemberModel]

    @classmethod
    def from_model(cls, m: MemberModel) -> CouncilCommitteeMember:
        return cls(id=m.id, term_start=m.term_start, term_end=m.term_end, state=MemberState(m.state),
                   dismissed_on=m.dismissed_on, model=m)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        if not _can_read(info):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, MemberModel, list(node_ids))]

    @strawberry.field(description="The expert (as the registry shows them to the viewer). 专家（按专家库对查看者的公开范围）。")
    async def expert(self, info: Info) -> Expert | None:
        profile = await info.context.loaders.by_id(ExpertProfile).load(self.model.expert_id)
        return Expert.from_model(profile, info) if profile else None

    @strawberry.field(description="Global ID of the CouncilMotion that appointed the member. 聘任该委员的动议（CouncilMotion）全局 ID。")
    def appointed_by_motion(self) -> relay.GlobalID:
        return relay.GlobalID("CouncilMotion", str(self.model.appointed_by_motion_id))

    @strawberry.field(description="Global ID of the CouncilMotion that dismissed the member; null if not dismissed. 解聘动议的全局 ID；未解聘为 null。")
    def dismissed_by_motion(self) -> relay.GlobalID | None:
        motion_id = self.model.dismissed_by_motion_id
        return relay.GlobalID("CouncilMotion", str(motion_id)) if motion_id else None


@strawberry.type(description=("An opinion of the expert committee on a standard or a project, with the members who "
                              "gave it. 专家委员会对某项标准或项目的意见及提出意见的委员。"))
class CouncilCommitteeOpinion(relay.Node):
    id: relay.NodeID[int]
    subject_type: CommitteeSubject = strawberry.field(description="Standard or project. 标准或项目。")
    given_on: dt.date = strawberry.field(description="The day it was given. 提出日期。")
    text: str = strawberry.field(description="The opinion. 意见内容。")
    model: strawberry.Private[OpinionModel]

    @classmethod
    def from_model(cls, o: OpinionModel) -> CouncilCommitteeOpinion:
        return cls(id=o.id, subject_type=CommitteeSubject(o.subject_type), given_on=o.given_on, text=o.text, model=o)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        if not _can_read(info):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, OpinionModel, list(node_ids))]

    @strawberry.field(description="Global ID of the Standard or Project. 标准（Standard）或项目（Project）的全局 ID。")
    def subject_id(self) -> relay.GlobalID:
        return relay.GlobalID("Standard" if self.model.subject_type == "standard" else "Project", str(self.model.subject_id))

    @strawberry.field(description="The members who gave it. 提出意见的委员。")
    async def members(self, info: Info) -> list[CouncilCommitteeMember]:
        rows = [await info.context.loaders.by_id(MemberModel).load(i) for i in self.model.member_ids]
        return [CouncilCommitteeMember.from_model(r) for r in rows if r is not None]


MemberResult = result_union("CouncilCommitteeMemberResult", CouncilCommitteeMember, *EVERY_FAILURE, how_to_select=False)
OpinionResult = result_union("CouncilCommitteeOpinionResult", CouncilCommitteeOpinion, *EVERY_FAILURE,
                             how_to_select=False)
MemberConnectionResult = result_union("CouncilCommitteeMemberConnectionResult", Connection[CouncilCommitteeMember],
                                      PermissionDenied, ValidationFailed, how_to_select=False)
OpinionConnectionResult = Annotated[
    Connection[CouncilCommitteeOpinion] | PermissionDenied | ValidationFailed | NotFound,
    strawberry.union("CouncilCommitteeOpinionConnectionResult", description=(
        "CouncilCommitteeOpinionConnection on success, else why not: PermissionDenied, ValidationFailed, NotFound "
        "(the standard or project named does not exist or is not visible). 成功时为 "
        "CouncilCommitteeOpinionConnection，否则为失败原因（PermissionDenied 无权限、ValidationFailed 输入无效、"
        "NotFound 所指标准或项目不存在或不可见）。"))]


@strawberry.input(description=("Secretariat: record the council's appointment of a verified expert to the committee "
                               "(第九条(五)). 秘书处：登记理事会聘任已审核专家为专家委员会委员（第九条(五)）。"))
class AppointCouncilCommitteeMemberInput:
    expert_id: relay.GlobalID = strawberry.field(description="The Expert of the registry (verified). 专家库中已审核的专家（Expert）。")
    motion_id: relay.GlobalID = strawberry.field(description="The passed CouncilMotion of this zone. 本区已通过的动议。")
    term_start: dt.date = strawberry.field(description="First day: not before the meeting. 聘期开始：不早于会议日期。")
    term_end: dt.date = strawberry.field(description="Last day: within three years. 聘期结束：三年以内。")


@strawberry.input(description="Secretariat: record the council's dismissal of a member (解聘). 秘书处：登记理事会解聘委员。")
class DismissCouncilCommitteeMemberInput:
    member_id: relay.GlobalID = strawberry.field(description="The CouncilCommitteeMember. 委员。")
    motion_id: relay.GlobalID = strawberry.field(description="The passed CouncilMotion of this zone. 本区已通过的动议。")
    dismissed_on: dt.date = strawberry.field(description="Last day on the committee, within the term. 最后在任日，须在聘期内。")
    reason: str = strawberry.field(description="Why (1–2000). 原因（1–2000 字）。")


@strawberry.input(description=("Secretariat: record an opinion of the committee on a standard or a project. "
                               "秘书处：登记专家委员会对标准或项目的意见。"))
class RecordCouncilCommitteeOpinionInput:
    subject_id: relay.GlobalID = strawberry.field(description="The Standard or Project. 标准（Standard）或项目（Project）。")
    given_on: dt.date = strawberry.field(description="The day it was given (not in the future). 提出日期（不晚于今天）。")
    text: str = strawberry.field(description="The opinion (1–20000). 意见内容（1–20000 字）。")
    member_ids: list[relay.GlobalID] = strawberry.field(description=(
        "The CouncilCommitteeMembers who gave it, on the committee that day. 提出意见的委员（当日在任）。"))


def _subject(gid: relay.GlobalID) -> tuple[str, int]:
    if gid.type_name == "Project":
        return "project", decode_id(gid, "Project", "subjectId")
    return "standard", decode_id(gid, "Standard", "subjectId")


@strawberry.type
class CouncilCommitteeQuery:
    @strawberry.field(description=("The zone's expert committee, in order of appointment; with `on`, those on it that "
                                   "day. 本区专家委员会委员，按聘任先后；给出 `on` 时为当日在任者。"))
    async def council_committee_members(self, info: Info, on: Annotated[dt.date | None, strawberry.argument(
            description="Only members on the committee that day. 仅当日在任的委员。")] = None,
            first: FIRST = 20, after: AFTER = None) -> MemberConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.members_page(ctx.session, ctx.actor, on=on, first=first, after=after,
                                                             max_page_size=ctx.settings.limits.max_page_size),
                          lambda page: connection(page, CouncilCommitteeMember.from_model))

    @strawberry.field(description="The committee's opinions, oldest first. 专家委员会意见，按时间先后。")
    async def council_committee_opinions(self, info: Info, subject_id: Annotated[relay.GlobalID | None, strawberry.argument(
            description="Only on this Standard or Project. 仅针对该标准或项目的。")] = None,
            first: FIRST = 20, after: AFTER = None) -> OpinionConnectionResult:
        ctx = info.context

        async def page():
            subject_type, sid = _subject(subject_id) if subject_id else (None, None)
            return await service.opinions_page(ctx.session, ctx.actor, subject_type=subject_type, subject_id=sid,
                                               first=first, after=after, max_page_size=ctx.settings.limits.max_page_size)
        return await read(info, page, lambda p: connection(p, CouncilCommitteeOpinion.from_model))


@strawberry.type
class CouncilCommitteeMutation:
    @strawberry.mutation(description="Secretariat: record an appointment to the expert committee. 秘书处：登记专家委员会委员聘任。")
    async def appoint_council_committee_member(self, info: Info, input: Annotated[AppointCouncilCommitteeMemberInput, strawberry.argument(
            description="The input; see its type. 输入参数，见其类型说明。")]) -> MemberResult:
        ctx = info.context
        return await run(info, lambda: service.appoint(
            ctx.session, ctx.actor, expert_id=decode_id(input.expert_id, "Expert", "expertId"),
            motion_id=decode_id(input.motion_id, "CouncilMotion", "motionId"), term_start=input.term_start,
            term_end=input.term_end), CouncilCommitteeMember.from_model)

    @strawberry.mutation(description="Secretariat: record a dismissal from the expert committee. 秘书处：登记专家委员会委员解聘。")
    async def dismiss_council_committee_member(self, info: Info, input: Annotated[DismissCouncilCommitteeMemberInput, strawberry.argument(
            description="The input; see its type. 输入参数，见其类型说明。")]) -> MemberResult:
        ctx = info.context
        return await run(info, lambda: service.dismiss(
            ctx.session, ctx.actor, member_id=decode_id(input.member_id, "CouncilCommitteeMember", "memberId"),
            motion_id=decode_id(input.motion_id, "CouncilMotion", "motionId"), dismissed_on=input.dismissed_on,
            reason=input.reason), CouncilCommitteeMember.from_model)

    @strawberry.mutation(description="Secretariat: record an opinion of the expert committee. 秘书处：登记专家委员会意见。")
    async def record_council_committee_opinion(self, info: Info, input: Annotated[RecordCouncilCommitteeOpinionInput, strawberry.argument(
            description="The input; see its type. 输入参数，见其类型说明。")]) -> OpinionResult:
        ctx = info.context

        async def call():
            subject_type, sid = _subject(input.subject_id)
            return await service.record_opinion(
                ctx.session, ctx.actor, subject_type=subject_type, subject_id=sid, given_on=input.given_on,
                text=input.text, member_ids=[decode_id(m, "CouncilCommitteeMember", "memberIds") for m in input.member_ids])
        return await run(info, call, CouncilCommitteeOpinion.from_model)
