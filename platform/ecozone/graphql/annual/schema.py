"""The annual plan and reports: queries, inputs and mutations (thin: parse, one service call, map)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.annual import plans, reports
from ecozone.graphql.annual.types import (
    AnnualPlan,
    AnnualPlanConnectionResult,
    AnnualPlanItem,
    AnnualPlanItemResult,
    AnnualPlanResult,
    AnnualReport,
    AnnualReportConnectionResult,
    AnnualReportKind,
    AnnualReportResult,
    PlanItemProgress,
)
from ecozone.graphql.common import connection, decode_id
from ecozone.graphql.context import Info
from ecozone.graphql.funds.money import Money, run_under_articles
from ecozone.graphql.funds.types import BusinessArea
from ecozone.graphql.results import read

ZONE = Annotated[str | None, strawberry.argument(description="Only this zone's (slug). 仅该试验区（slug）。")]
YEAR = Annotated[int | None, strawberry.argument(description="Only this year. 仅该年度。")]
FIRST = Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")]
AFTER = Annotated[str | None, strawberry.argument(description=(
    "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for the first page. "
    "从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))]
INPUT = "The input; see its type. 输入参数，见其类型说明。"
PLAN_ID = "The plan (`AnnualPlan.id`). 工作计划（`AnnualPlan.id`）。"
REPORT_ID = "The report (`AnnualReport.id`). 年度报告（`AnnualReport.id`）。"
MOTION_ID = ("A motion of a general meeting of the acting zone, not yet counted (`CouncilMotion.id`). "
             "所操作试验区理事大会尚未计票的议案（`CouncilMotion.id`）。")


@strawberry.input(description="A new work plan of the acting zone, for this year or the next. 所操作试验区今年或明年的工作计划。")
class DraftAnnualPlanInput:
    year: int = strawberry.field(description="The year. 年度。")
    title_zh: str | None = strawberry.field(default=None, description="Title in Chinese; default 「YYYY年度工作计划」. 中文标题。")
    title_en: str | None = strawberry.field(default=None, description="Title in English; default \"Work plan YYYY\". 英文标题。")
    summary: str | None = strawberry.field(default=None, description="Summary. 概述。")


@strawberry.input(description="A task of the office's own, added to a draft plan. 向草稿计划增加的办公室任务。")
class AddAnnualPlanItemInput:
    plan_id: relay.GlobalID = strawberry.field(description=PLAN_ID)
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    business_area: BusinessArea | None = strawberry.field(default=None, description="Business area (第四条). 业务范围。")
    budget: Money | None = strawberry.field(default=None, description="Its budget, yuan. 预算（元）。")


@strawberry.input(description="How an office task stands. 办公室任务的进展。")
class RecordAnnualPlanItemProgressInput:
    item_id: relay.GlobalID = strawberry.field(description="The item (`AnnualPlanItem.id`). 计划事项。")
    progress: PlanItemProgress = strawberry.field(description="Its progress. 进展。")
    note: str | None = strawberry.field(default=None, description="A note. 说明。")


@strawberry.input(description="Put a plan to a motion of the general meeting. 将计划提交理事大会议案审议。")
class SubmitAnnualPlanInput:
    plan_id: relay.GlobalID = strawberry.field(description=PLAN_ID)
    motion_id: relay.GlobalID = strawberry.field(description=MOTION_ID)


@strawberry.input(description="A plan to act on. 要处理的计划。")
class AnnualPlanRefInput:
    plan_id: relay.GlobalID = strawberry.field(description=PLAN_ID)


@strawberry.input(description="A new report of the acting zone on this or an earlier year. 所操作试验区本年或以前年度的报告。")
class DraftAnnualReportInput:
    year: int = strawberry.field(description="The year reported on. 报告年度。")
    kind: AnnualReportKind = strawberry.field(description="Work or financial. 报告类型。")
    text_zh: str = strawberry.field(description="The office's text in Chinese. 中文正文。")
    text_en: str = strawberry.field(description="The office's text in English. 英文正文。")


@strawberry.input(description="New text for a draft report. 草稿报告的新正文。")
class ReviseAnnualReportInput:
    report_id: relay.GlobalID = strawberry.field(description=REPORT_ID)
    text_zh: str = strawberry.field(description="Text in Chinese. 中文正文。")
    text_en: str = strawberry.field(description="Text in English. 英文正文。")


@strawberry.input(description="Put a report to a motion of the general meeting. 将报告提交理事大会议案审议。")
class SubmitAnnualReportInput:
    report_id: relay.GlobalID = strawberry.field(description=REPORT_ID)
    motion_id: relay.GlobalID = strawberry.field(description=MOTION_ID)


@strawberry.input(description="A report to act on. 要处理的报告。")
class AnnualReportRefInput:
    report_id: relay.GlobalID = strawberry.field(description=REPORT_ID)


@strawberry.type
class AnnualQuery:
    @strawberry.field(description=("Work plans the viewer may see: adopted ones of every zone (public), and the acting "
                                   "zone's drafts for its office. 查看者可见的工作计划：各试验区已通过的（公开），及所操作试验区办公室的草稿。"))
    async def annual_plans(self, info: Info, zone: ZONE = None, year: YEAR = None, first: FIRST = 20,
                           after: AFTER = None) -> AnnualPlanConnectionResult:
        ctx = info.context
        return await read(info, lambda: plans.list_plans(ctx.session, zone=zone, year=year, first=first, after=after,
                                                         max_page_size=ctx.settings.limits.max_page_size),
                          lambda page: connection(page, AnnualPlan.from_model))

    @strawberry.field(description=("Annual reports the viewer may see (adopted: public; the office's drafts). "
                                   "查看者可见的年度报告（已通过的公开；办公室草稿）。"))
    async def annual_reports(self, info: Info, zone: ZONE = None, year: YEAR = None, kind: Annotated[
            AnnualReportKind | None, strawberry.argument(description="Only this kind. 仅此类型。")] = None,
            first: FIRST = 20, after: AFTER = None) -> AnnualReportConnectionResult:
        ctx = info.context
        return await read(info, lambda: reports.list_reports(
            ctx.session, zone=zone, year=year, kind=kind.value if kind else None, adopted_only=False, first=first,
            after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, AnnualReport.from_model))

    @strawberry.field(description=("The portal's disclosures (章程 第三十条): work and financial reports the general meeting "
                                   "adopted, anonymous. 门户信息公开（章程 第三十条）：理事大会通过的工作报告和财务报告，无需登录。"))
    async def annual_disclosures(self, info: Info, zone: ZONE = None, year: YEAR = None, first: FIRST = 20,
                                 after: AFTER = None) -> AnnualReportConnectionResult:
        ctx = info.context
        return await read(info, lambda: reports.list_reports(
            ctx.session, zone=zone, year=year, kind=None, adopted_only=True, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, AnnualReport.from_model))


@strawberry.type
class AnnualMutation:
    @strawberry.mutation(description="Office: draw up the work plan of a year (办法 第六条(二)). 办公室：编制年度工作计划。")
    async def draft_annual_plan(self, info: Info, input: Annotated[
            DraftAnnualPlanInput, strawberry.argument(description=INPUT)]) -> AnnualPlanResult:
        ctx = info.context
        return await run_under_articles(info, lambda: plans.draft_plan(
            ctx.session, ctx.actor, year=input.year, title_zh=input.title_zh, title_en=input.title_en,
            summary=input.summary), AnnualPlan.from_model)

    @strawberry.mutation(description="Office: add a task to a draft plan. 办公室：向草稿计划增加任务。")
    async def add_annual_plan_item(self, info: Info, input: Annotated[
            AddAnnualPlanItemInput, strawberry.argument(description=INPUT)]) -> AnnualPlanItemResult:
        ctx = info.context
        return await run_under_articles(info, lambda: plans.add_item(
            ctx.session, ctx.actor, plan_id=decode_id(input.plan_id, "AnnualPlan", "planId"), title_zh=input.title_zh,
            title_en=input.title_en, business_area=input.business_area.value if input.business_area else None,
            budget=input.budget), AnnualPlanItem.from_model)

    @strawberry.mutation(description=("Office: record how a task of its own stands (not a past year's). "
                                      "办公室：登记自有任务的进展（往年除外）。"))
    async def record_annual_plan_item_progress(self, info: Info, input: Annotated[
            RecordAnnualPlanItemProgressInput, strawberry.argument(description=INPUT)]) -> AnnualPlanItemResult:
        ctx = info.context
        return await run_under_articles(info, lambda: plans.record_progress(
            ctx.session, ctx.actor, item_id=decode_id(input.item_id, "AnnualPlanItem", "itemId"),
            progress=input.progress.value, note=input.note), AnnualPlanItem.from_model)

    @strawberry.mutation(description=("Office: put the plan to a motion of a general meeting (章程 第十八条(二)); it is frozen. "
                                      "办公室：将计划提交理事大会议案审议；计划随即冻结。"))
    async def submit_annual_plan(self, info: Info, input: Annotated[
            SubmitAnnualPlanInput, strawberry.argument(description=INPUT)]) -> AnnualPlanResult:
        ctx = info.context
        return await run_under_articles(info, lambda: plans.submit_plan(
            ctx.session, ctx.actor, plan_id=decode_id(input.plan_id, "AnnualPlan", "planId"),
            motion_id=decode_id(input.motion_id, "CouncilMotion", "motionId")), AnnualPlan.from_model)

    @strawberry.mutation(description=("Office: record the adoption once the plan's motion passed; the plan becomes public. "
                                      "办公室：计划的议案通过后确认通过；计划随即公开。"))
    async def adopt_annual_plan(self, info: Info, input: Annotated[
            AnnualPlanRefInput, strawberry.argument(description=INPUT)]) -> AnnualPlanResult:
        ctx = info.context
        return await run_under_articles(info, lambda: plans.adopt_plan(
            ctx.session, ctx.actor, plan_id=decode_id(input.plan_id, "AnnualPlan", "planId")), AnnualPlan.from_model)

    @strawberry.mutation(description=("Office: take a submitted plan back to draft when its motion did not pass. "
                                      "办公室：议案未通过时将计划撤回为草稿。"))
    async def withdraw_annual_plan(self, info: Info, input: Annotated[
            AnnualPlanRefInput, strawberry.argument(description=INPUT)]) -> AnnualPlanResult:
        ctx = info.context
        return await run_under_articles(info, lambda: plans.withdraw_plan(
            ctx.session, ctx.actor, plan_id=decode_id(input.plan_id, "AnnualPlan", "planId")), AnnualPlan.from_model)

    @strawberry.mutation(description=("Office: draft the work or financial report of a year (办法 第六条(三)). "
                                      "办公室：编制年度工作报告或财务报告。"))
    async def draft_annual_report(self, info: Info, input: Annotated[
            DraftAnnualReportInput, strawberry.argument(description=INPUT)]) -> AnnualReportResult:
        ctx = info.context
        return await run_under_articles(info, lambda: reports.draft_report(
            ctx.session, ctx.actor, year=input.year, kind=input.kind.value, text_zh=input.text_zh,
            text_en=input.text_en), AnnualReport.from_model)

    @strawberry.mutation(description="Office: revise a draft report's text. 办公室：修改草稿报告正文。")
    async def revise_annual_report(self, info: Info, input: Annotated[
            ReviseAnnualReportInput, strawberry.argument(description=INPUT)]) -> AnnualReportResult:
        ctx = info.context
        return await run_under_articles(info, lambda: reports.revise_report(
            ctx.session, ctx.actor, report_id=decode_id(input.report_id, "AnnualReport", "reportId"),
            text_zh=input.text_zh, text_en=input.text_en), AnnualReport.from_model)

    @strawberry.mutation(description=("Office: put a report to a motion of a general meeting (章程 第十八条(四)); its figures "
                                      "freeze, and a financial report closes the year's books. 办公室：将报告提交理事大会议案审议；"
                                      "数据冻结，财务报告提交后该年度结账。"))
    async def submit_annual_report(self, info: Info, input: Annotated[
            SubmitAnnualReportInput, strawberry.argument(description=INPUT)]) -> AnnualReportResult:
        ctx = info.context
        return await run_under_articles(info, lambda: reports.submit_report(
            ctx.session, ctx.actor, report_id=decode_id(input.report_id, "AnnualReport", "reportId"),
            motion_id=decode_id(input.motion_id, "CouncilMotion", "motionId")), AnnualReport.from_model)

    @strawberry.mutation(description=("Office: record the adoption once the report's motion passed; it is disclosed "
                                      "(章程 第三十条). 办公室：报告的议案通过后确认通过；报告随即公开。"))
    async def adopt_annual_report(self, info: Info, input: Annotated[
            AnnualReportRefInput, strawberry.argument(description=INPUT)]) -> AnnualReportResult:
        ctx = info.context
        return await run_under_articles(info, lambda: reports.adopt_report(
            ctx.session, ctx.actor, report_id=decode_id(input.report_id, "AnnualReport", "reportId")),
            AnnualReport.from_model)

    @strawberry.mutation(description=("Office: take a submitted report back to draft when its motion did not pass. "
                                      "办公室：议案未通过时将报告撤回为草稿。"))
    async def withdraw_annual_report(self, info: Info, input: Annotated[
            AnnualReportRefInput, strawberry.argument(description=INPUT)]) -> AnnualReportResult:
        ctx = info.context
        return await run_under_articles(info, lambda: reports.withdraw_report(
            ctx.session, ctx.actor, report_id=decode_id(input.report_id, "AnnualReport", "reportId")),
            AnnualReport.from_model)
