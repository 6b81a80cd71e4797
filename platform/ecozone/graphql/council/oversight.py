"""Oversight (章程 第二十四至二十六条): officers' yearly evaluations and third-party evaluations; the zone's
office records them, the office and the zone's supervisors read them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.governance.models import Meeting as MeetingModel
from ecozone.governance.models import Officer as OfficerModel
from ecozone.graphql.common import Connection, connection, decode_id, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.council.meetings_types import CouncilMeeting
from ecozone.graphql.council.units_types import CouncilOfficer
from ecozone.graphql.results import EVERY_FAILURE, PermissionDenied, ValidationFailed, read, result_union, run
from ecozone.oversight import rules, service
from ecozone.oversight.models import OfficerEvaluation as EvaluationModel
from ecozone.oversight.models import ThirdPartyEvaluation as ThirdPartyModel

FIRST = Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")]
AFTER = Annotated[str | None, strawberry.argument(description=(
    "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for the first page. "
    "从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))]
Outcome = strawberry.enum(Enum("CouncilEvaluationOutcome", {o.upper(): o for o in rules.OUTCOMES}), description=(
    "第二十五条: COMMENDED 优秀（通报表彰）· COMPETENT 称职 · BASICALLY_COMPETENT 基本称职 · NOT_COMPETENT 不称职 · "
    "REMOVAL_RECOMMENDED 违反党风廉政建设守则、建议撤销职务 (the removal itself is voted). 年度绩效考评结果。"))


def _can_read(info: Info) -> bool:
    return info.context.actor.can("oversight", "read")


@strawberry.type(description=("An officer's yearly performance evaluation and its outcome (第二十五条). 负责人年度绩效考评"
                              "及其结果（第二十五条）。"))
class CouncilOfficerEvaluation(relay.Node):
    id: relay.NodeID[int]
    year: int = strawberry.field(description="The year evaluated. 考评年度。")
    outcome: Outcome = strawberry.field(description="The outcome. 考评结果。")
    summary: str = strawberry.field(description="The evaluation's summary. 考评意见。")
    evaluated_on: dt.date = strawberry.field(description="The day of the evaluation. 考评日期。")
    model: strawberry.Private[EvaluationModel]

    @classmethod
    def from_model(cls, e: EvaluationModel) -> CouncilOfficerEvaluation:
        return cls(id=e.id, year=e.year, outcome=Outcome(e.outcome), summary=e.summary, evaluated_on=e.evaluated_on,
                   model=e)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        if not _can_read(info):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, EvaluationModel, list(node_ids))]

    @strawberry.field(description="The outcome in Chinese. 考评结果（中文）。")
    def outcome_name_zh(self) -> str:
        return rules.OUTCOME_LABELS[self.model.outcome][0]

    @strawberry.field(description="The outcome in English. 考评结果（英文）。")
    def outcome_name_en(self) -> str:
        return rules.OUTCOME_LABELS[self.model.outcome][1]

    @strawberry.field(description="The officer evaluated. 被考评的负责人。")
    async def officer(self, info: Info) -> CouncilOfficer:
        return CouncilOfficer.from_model(await info.context.loaders.by_id(OfficerModel).load(self.model.officer_id))


@strawberry.type(description=("A third-party evaluation of the base's work, its findings and the council meeting where "
                              "they were reported (第二十六条). 第三方机构对创新基地工作的评估、评估结果及通报该结果的理事会会议（第二十六条）。"))
class CouncilThirdPartyEvaluation(relay.Node):
    id: relay.NodeID[int]
    evaluator: str = strawberry.field(description="The third-party body. 第三方评估机构。")
    period_start: dt.date = strawberry.field(description="First day of the period evaluated. 评估期间开始日。")
    period_end: dt.date = strawberry.field(description="Last day of the period evaluated. 评估期间结束日。")
    delivered_on: dt.date = strawberry.field(description="The day the report was delivered. 评估报告交付日期。")
    findings: str = strawberry.field(description="The findings. 评估结果。")
    model: strawberry.Private[ThirdPartyModel]

    @classmethod
    def from_model(cls, e: ThirdPartyModel) -> CouncilThirdPartyEvaluation:
        return cls(id=e.id, evaluator=e.evaluator, period_start=e.period_start, period_end=e.period_end,
                   delivered_on=e.delivered_on, findings=e.findings, model=e)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        if not _can_read(info):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, ThirdPartyModel, list(node_ids))]

    @strawberry.field(description=("The council meeting where the findings were reported; null until then. 通报评估结果"
                                   "的理事会会议；通报前为 null。"))
    async def reported_at(self, info: Info) -> CouncilMeeting | None:
        meeting_id = self.model.reported_at_meeting_id
        if meeting_id is None:
            return None
        return CouncilMeeting.from_model(await info.context.loaders.by_id(MeetingModel).load(meeting_id))


EvaluationResult = result_union("CouncilOfficerEvaluationResult", CouncilOfficerEvaluation, *EVERY_FAILURE,
                                how_to_select=False)
ThirdPartyResult = result_union("CouncilThirdPartyEvaluationResult", CouncilThirdPartyEvaluation, *EVERY_FAILURE,
                                how_to_select=False)
EvaluationConnectionResult = result_union("CouncilOfficerEvaluationConnectionResult",
                                          Connection[CouncilOfficerEvaluation], PermissionDenied, ValidationFailed,
                                          how_to_select=False)
ThirdPartyConnectionResult = result_union("CouncilThirdPartyEvaluationConnectionResult",
                                          Connection[CouncilThirdPartyEvaluation], PermissionDenied, ValidationFailed,
                                          how_to_select=False)


@strawberry.input(description="The office: record an officer's yearly evaluation (第二十五条). 办公室：登记负责人年度绩效考评。")
class EvaluateCouncilOfficerInput:
    officer_id: relay.GlobalID = strawberry.field(description="The CouncilOfficer. 负责人。")
    year: int = strawberry.field(description="A year the officer held office, begun already. 该负责人在任且已开始的年度。")
    outcome: Outcome = strawberry.field(description="The outcome. 考评结果。")
    summary: str = strawberry.field(description="The evaluation (1–10000). 考评意见（1–10000 字）。")
    evaluated_on: dt.date = strawberry.field(description="Day of the evaluation, within or after the year. 考评日期。")


@strawberry.input(description="The office: record a third-party evaluation (第二十六条). 办公室：登记第三方评估。")
class RecordCouncilThirdPartyEvaluationInput:
    evaluator: str = strawberry.field(description="The third-party body (1–200). 第三方评估机构（1–200 字）。")
    period_start: dt.date = strawberry.field(description="First day of the period evaluated. 评估期间开始日。")
    period_end: dt.date = strawberry.field(description="Last day of the period evaluated. 评估期间结束日。")
    delivered_on: dt.date = strawberry.field(description="Day the report was delivered (not in the future). 交付日期。")
    findings: str = strawberry.field(description="The findings (1–50000). 评估结果（1–50000 字）。")


@strawberry.input(description=("The office: record the council meeting where the findings were reported. 办公室：登记通报"
                               "评估结果的理事会会议。"))
class ReportCouncilThirdPartyEvaluationInput:
    evaluation_id: relay.GlobalID = strawberry.field(description="The CouncilThirdPartyEvaluation. 第三方评估。")
    meeting_id: relay.GlobalID = strawberry.field(description=(
        "The CouncilMeeting of this zone, held on or after the delivery. 本区在交付之后召开的理事会会议。"))


@strawberry.type
class CouncilOversightQuery:
    @strawberry.field(description=("Officers' yearly evaluations (第二十五条); the office and the zone's supervisors. "
                                   "负责人年度绩效考评（第二十五条）；办公室和本区监督人员可查看。"))
    async def council_officer_evaluations(self, info: Info, year: Annotated[int | None, strawberry.argument(
            description="Only this year. 仅该年度。")] = None, first: FIRST = 20,
            after: AFTER = None) -> EvaluationConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.evaluations_page(
            ctx.session, ctx.actor, year=year, first=first, after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, CouncilOfficerEvaluation.from_model))

    @strawberry.field(description=("Third-party evaluations (第二十六条), by delivery; the office and the zone's "
                                   "supervisors. 第三方评估（第二十六条），按交付日期；办公室和本区监督人员可查看。"))
    async def council_third_party_evaluations(self, info: Info, first: FIRST = 20,
                                              after: AFTER = None) -> ThirdPartyConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.third_party_page(
            ctx.session, ctx.actor, first=first, after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, CouncilThirdPartyEvaluation.from_model))


@strawberry.type
class CouncilOversightMutation:
    @strawberry.mutation(description="The office: record an officer's yearly evaluation. 办公室：登记负责人年度绩效考评。")
    async def evaluate_council_officer(self, info: Info, input: Annotated[EvaluateCouncilOfficerInput, strawberry.argument(
            description="The input; see its type. 输入参数，见其类型说明。")]) -> EvaluationResult:
        ctx = info.context
        return await run(info, lambda: service.evaluate_officer(
            ctx.session, ctx.actor, officer_id=decode_id(input.officer_id, "CouncilOfficer", "officerId"),
            year=input.year, outcome=input.outcome.value, summary=input.summary, evaluated_on=input.evaluated_on),
            CouncilOfficerEvaluation.from_model)

    @strawberry.mutation(description="The office: record a third-party evaluation. 办公室：登记第三方评估。")
    async def record_council_third_party_evaluation(self, info: Info, input: Annotated[
            RecordCouncilThirdPartyEvaluationInput, strawberry.argument(
                description="The input; see its type. 输入参数，见其类型说明。")]) -> ThirdPartyResult:
        ctx = info.context
        return await run(info, lambda: service.record_third_party(
            ctx.session, ctx.actor, evaluator=input.evaluator, period_start=input.period_start,
            period_end=input.period_end, delivered_on=input.delivered_on, findings=input.findings),
            CouncilThirdPartyEvaluation.from_model)

    @strawberry.mutation(description=("The office: record where the findings were reported to the council. "
                                      "办公室：登记评估结果在哪次理事会会议上通报。"))
    async def report_council_third_party_evaluation(self, info: Info, input: Annotated[
            ReportCouncilThirdPartyEvaluationInput, strawberry.argument(
                description="The input; see its type. 输入参数，见其类型说明。")]) -> ThirdPartyResult:
        ctx = info.context
        return await run(info, lambda: service.report_third_party(
            ctx.session, ctx.actor,
            evaluation_id=decode_id(input.evaluation_id, "CouncilThirdPartyEvaluation", "evaluationId"),
            meeting_id=decode_id(input.meeting_id, "CouncilMeeting", "meetingId")), CouncilThirdPartyEvaluation.from_model)
