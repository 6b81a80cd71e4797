"""Types of the annual plan and reports."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.annual import rules
from ecozone.annual.models import AnnualPlan as PlanModel
from ecozone.annual.models import AnnualReport as ReportModel
from ecozone.annual.models import PlanItem as ItemModel
from ecozone.db.pagination import page_of
from ecozone.funds.execution import Execution
from ecozone.funds.rules import BUSINESS_AREAS
from ecozone.graphql.common import Connection, connection, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.funds.money import ArticleRefusal, Money
from ecozone.graphql.funds.types import BusinessArea, FundExecution
from ecozone.graphql.projects.types import Project, ProjectKind, ProjectState
from ecozone.graphql.results import EVERY_FAILURE, ValidationFailed, result_union
from ecozone.graphql.zones import Zone, load_zone
from ecozone.projects import rules as project_rules
from ecozone.projects.models import Project as ProjectModel


def _enum(name: str, values, description: str):
    return strawberry.enum(Enum(name, {v.upper(): v for v in values}), description=description)


AnnualDocumentState = _enum("AnnualDocumentState", rules.DOCUMENT_STATES, (
    "DRAFT (the office's) → SUBMITTED (put to a motion of the general meeting; frozen) → ADOPTED (the motion "
    "passed; public). 草稿（办公室）→ 已提交理事大会审议（已冻结）→ 已通过（议案通过；公开）。"))
AnnualReportKind = _enum("AnnualReportKind", rules.REPORT_KINDS, "WORK 年度工作报告 or FINANCIAL 年度财务报告. 报告类型。")
PlanItemProgress = _enum("PlanItemProgress", rules.PROGRESS, (
    "NOT_STARTED 未开始 · IN_PROGRESS 实施中 · DONE 已完成 · DROPPED 已取消. 计划事项进展。"))
PlanItemSource = _enum("PlanItemSource", ("office", "project"), (
    "OFFICE: the office's own task; PROJECT: an approved project (办法 第十条(二)(三)). 事项来源：办公室或已立项项目。"))

MOTION_ID = ("The council motion of the general meeting it was put to (`CouncilMotion.id`), readable by the zone's "
             "council; null while a draft. 提交审议的理事大会议案（`CouncilMotion.id`）；草稿时为 null。")


def _motion_gid(motion_id: int | None):
    return relay.GlobalID("CouncilMotion", str(motion_id)) if motion_id is not None else None


@strawberry.type(description=("A task of the annual work plan: the office's own or an approved project; its progress is the "
                              "project's state or what the office recorded. 年度工作计划的一项任务：办公室自有任务或已立项项目；"
                              "进展为项目状态或办公室登记的情况。"))
class AnnualPlanItem(relay.Node):
    id: relay.NodeID[int]
    seq: int = strawberry.field(description="Its number in the plan. 在计划中的序号。")
    source: PlanItemSource = strawberry.field(description="The office's, or a project's. 来源。")
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    business_area: BusinessArea | None = strawberry.field(description="Business area (办法 第四条); null if not set. 业务范围；未设定为 null。")
    business_area_name_zh: str | None = strawberry.field(description="The area's name in Chinese. 业务范围中文名称。")
    business_area_name_en: str | None = strawberry.field(description="The area's name in English. 业务范围英文名称。")
    budget: Money | None = strawberry.field(description="The item's budget; null if none. 事项预算；无则为 null。")
    joined_on: dt.date = strawberry.field(description="The day it entered the plan (a project: its approval). 纳入计划日期（项目为立项日）。")
    progress_note: str | None = strawberry.field(description="The office's note on progress. 办公室的进展说明。")
    progress_updated_at: dt.datetime | None = strawberry.field(description="When progress was last recorded. 最近登记进展的时间。")
    model: strawberry.Private[ItemModel]

    @classmethod
    def from_model(cls, i: ItemModel) -> AnnualPlanItem:
        names = BUSINESS_AREAS.get(i.business_area or "", (None, None))
        return cls(id=i.id, seq=i.seq, source=PlanItemSource(i.source), title_zh=i.title_zh, title_en=i.title_en,
                   business_area=BusinessArea(i.business_area) if i.business_area else None,
                   business_area_name_zh=names[0], business_area_name_en=names[1], budget=i.budget_fen,
                   joined_on=i.joined_on, progress_note=i.progress_note,
                   progress_updated_at=i.progress_updated_at, model=i)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, ItemModel, list(node_ids))]

    async def _project(self, info: Info) -> ProjectModel | None:
        if self.model.project_id is None:
            return None
        return await info.context.loaders.by_id(ProjectModel).load(self.model.project_id)

    @strawberry.field(description=("Progress: a project's follows its state (closed: DONE, terminated: DROPPED …). "
                                   "进展：项目事项随项目状态（结题为已完成，终止为已取消……）。"))
    async def progress(self, info: Info) -> PlanItemProgress:
        project = await self._project(info)
        return PlanItemProgress(rules.item_progress(own_progress=self.model.progress,
                                                    project_state=project.state if project else None))

    @strawberry.field(description="The project, for a project's item; null otherwise. 项目事项对应的项目；否则为 null。")
    async def project(self, info: Info) -> Project | None:
        project = await self._project(info)
        return Project.from_model(project) if project else None


@strawberry.type(description=("A zone's annual work plan (办法 第六条(二)), adopted by the general meeting (章程 第十八条(二)): "
                              "public once adopted; a past year's plan is read-only. 某试验区年度工作计划，由理事大会决定；"
                              "通过后公开；往年计划只读。"))
class AnnualPlan(relay.Node):
    id: relay.NodeID[int]
    year: int = strawberry.field(description="The year. 年度。")
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    summary: str | None = strawberry.field(description="The office's summary. 概述。")
    state: AnnualDocumentState = strawberry.field(description="Draft, submitted or adopted. 状态。")
    state_name_zh: str = strawberry.field(description="The state in Chinese. 状态中文名称。")
    state_name_en: str = strawberry.field(description="The state in English. 状态英文名称。")
    motion_id: relay.GlobalID | None = strawberry.field(description=MOTION_ID)
    submitted_at: dt.datetime | None = strawberry.field(description="When it was submitted. 提交审议时间。")
    adopted_at: dt.datetime | None = strawberry.field(description="When its adoption was recorded. 确认通过时间。")
    zone_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, p: PlanModel) -> AnnualPlan:
        zh, en = rules.DOCUMENT_STATES[p.state]
        return cls(id=p.id, year=p.year, title_zh=p.title_zh, title_en=p.title_en, summary=p.summary,
                   state=AnnualDocumentState(p.state), state_name_zh=zh, state_name_en=en,
                   motion_id=_motion_gid(p.motion_id), submitted_at=p.submitted_at, adopted_at=p.adopted_at,
                   zone_id=p.zone_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, PlanModel, list(node_ids))]

    @strawberry.field(description="The zone. 试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)

    @strawberry.field(description="Its items, in plan order. 计划事项，按序号。")
    async def items(self, info: Info, first: Annotated[int, strawberry.argument(
            description="Page size, 1–100. 每页条数，1–100。")] = 50,
            after: Annotated[str | None, strawberry.argument(description=(
                "Cursor: the previous page's `pageInfo.endCursor`. 游标：上一页的 `pageInfo.endCursor`。"))] = None
            ) -> Connection[AnnualPlanItem]:
        rows = await info.context.loaders.grouped(ItemModel, "plan_id", order=(ItemModel.seq,)).load(self.id)
        return connection(page_of(rows, lambda i: i.seq, first=first, after=after), AnnualPlanItem.from_model)


@strawberry.type(description="A count of projects in one state. 某一状态的项目数。")
class AnnualProjectStateCount:
    state: ProjectState = strawberry.field(description="The state. 状态。")
    name_zh: str = strawberry.field(description="Its name in Chinese. 中文名称。")
    name_en: str = strawberry.field(description="Its name in English. 英文名称。")
    count: int = strawberry.field(description="Projects. 项目数。")


@strawberry.type(description="A count of projects of one kind. 某一类型的项目数。")
class AnnualProjectKindCount:
    kind: ProjectKind = strawberry.field(description="The kind. 类型。")
    name_zh: str = strawberry.field(description="Its name in Chinese. 中文名称。")
    name_en: str = strawberry.field(description="Its name in English. 英文名称。")
    count: int = strawberry.field(description="Projects. 项目数。")


@strawberry.type(description="Plan items at one progress. 某一进展的计划事项数。")
class AnnualProgressCount:
    progress: PlanItemProgress = strawberry.field(description="The progress. 进展。")
    count: int = strawberry.field(description="Items. 事项数。")


@strawberry.type(description=("The work report's figures, from the platform's own data for the zone and year (frozen at "
                              "submission). 工作报告数据：取自平台本身的本区当年数据（提交时冻结）。"))
class WorkReportFigures:
    projects_total: int = strawberry.field(description="Public projects proposed in the year. 当年申报的公开项目数。")
    projects_by_state: list[AnnualProjectStateCount] = strawberry.field(description="By state. 按状态。")
    projects_by_kind: list[AnnualProjectKindCount] = strawberry.field(description="By kind. 按类型。")
    standards_from_projects: int = strawberry.field(description="Standards published from them. 由这些项目发布的标准数。")
    standards_published: int = strawberry.field(description="Standards of the zone in force, released in the year. 当年发布且现行的本区标准数。")
    standards_withdrawn: int = strawberry.field(description="Withdrawn. 已废止。")
    standards_in_progress: int = strawberry.field(description="Work begun in the year, not yet released. 当年开始、尚未发布的标准。")
    training_programmes: int = strawberry.field(description="Training programmes hosted. 举办的培训项目数。")
    training_sessions: int = strawberry.field(description="Sessions held. 培训场次。")
    training_enrolments: int = strawberry.field(description="People of the zone enrolled. 本区报名人次。")
    training_certificates: int = strawberry.field(description="Certificates issued. 颁发证书数。")
    council_meetings: int = strawberry.field(description="Council meetings held. 召开的理事会会议数。")
    council_general_meetings: int = strawberry.field(description="Of which general meetings (第十八条). 其中全体会议数。")
    motions_passed: int = strawberry.field(description="Motions passed. 通过的议案数。")
    motions_failed: int = strawberry.field(description="Motions failed. 未通过的议案数。")
    plan_items: int = strawberry.field(description="Items of the year's work plan. 当年工作计划事项数。")
    plan_items_by_progress: list[AnnualProgressCount] = strawberry.field(description="By progress. 按进展。")

    @classmethod
    def of(cls, f: dict) -> WorkReportFigures:
        p, s, t, c, plan = f["projects"], f["standards"], f["training"], f["council"], f["plan"]
        return cls(
            projects_total=p["total"],
            projects_by_state=[AnnualProjectStateCount(state=ProjectState(k), name_zh=project_rules.STATES[k][0],
                                                       name_en=project_rules.STATES[k][1], count=n)
                               for k, n in p["byState"].items()],
            projects_by_kind=[AnnualProjectKindCount(kind=ProjectKind(k), name_zh=project_rules.KINDS[k][0],
                                                     name_en=project_rules.KINDS[k][1], count=n)
                              for k, n in p["byKind"].items()],
            standards_from_projects=p["standardsPublished"], standards_published=s["published"],
            standards_withdrawn=s["withdrawn"], standards_in_progress=s["inProgress"],
            training_programmes=t["programmes"], training_sessions=t["sessions"],
            training_enrolments=t["enrolments"], training_certificates=t["certificates"],
            council_meetings=c["meetings"], council_general_meetings=c["generalMeetings"],
            motions_passed=c["motionsPassed"], motions_failed=c["motionsFailed"], plan_items=plan["items"],
            plan_items_by_progress=[AnnualProgressCount(progress=PlanItemProgress(k), count=n)
                                    for k, n in plan["byProgress"].items()])


@strawberry.type(description=("The work report or the financial report of a year (办法 第六条(三)), reviewed by the general "
                              "meeting (章程 第十八条(四)); once adopted, public: the portal's disclosures (第三十条). "
                              "年度工作报告或财务报告，由理事大会审议；通过后公开，列入门户信息公开。"))
class AnnualReport(relay.Node):
    id: relay.NodeID[int]
    year: int = strawberry.field(description="The year reported on. 报告年度。")
    kind: AnnualReportKind = strawberry.field(description="Work or financial. 报告类型。")
    kind_name_zh: str = strawberry.field(description="The kind in Chinese. 类型中文名称。")
    kind_name_en: str = strawberry.field(description="The kind in English. 类型英文名称。")
    state: AnnualDocumentState = strawberry.field(description="Draft, submitted or adopted. 状态。")
    state_name_zh: str = strawberry.field(description="The state in Chinese. 状态中文名称。")
    state_name_en: str = strawberry.field(description="The state in English. 状态英文名称。")
    text_zh: str = strawberry.field(description="The office's text in Chinese. 办公室撰写的中文正文。")
    text_en: str = strawberry.field(description="The office's text in English. 办公室撰写的英文正文。")
    motion_id: relay.GlobalID | None = strawberry.field(description=MOTION_ID)
    submitted_at: dt.datetime | None = strawberry.field(description="When it was submitted. 提交审议时间。")
    adopted_at: dt.datetime | None = strawberry.field(description="When its adoption was recorded (published). 确认通过（公开）时间。")
    model: strawberry.Private[ReportModel]

    @classmethod
    def from_model(cls, r: ReportModel) -> AnnualReport:
        kzh, ken = rules.REPORT_KINDS[r.kind]
        szh, sen = rules.DOCUMENT_STATES[r.state]
        return cls(id=r.id, year=r.year, kind=AnnualReportKind(r.kind), kind_name_zh=kzh, kind_name_en=ken,
                   state=AnnualDocumentState(r.state), state_name_zh=szh, state_name_en=sen, text_zh=r.text_zh,
                   text_en=r.text_en, motion_id=_motion_gid(r.motion_id), submitted_at=r.submitted_at,
                   adopted_at=r.adopted_at, model=r)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, ReportModel, list(node_ids))]

    @strawberry.field(description="The zone. 试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.model.zone_id)

    @strawberry.field(description=("The work report's figures (frozen once submitted, live while a draft); null for the "
                                   "financial report. 工作报告数据（提交后冻结，草稿时为实时数据）；财务报告为 null。"))
    async def work_figures(self, info: Info) -> WorkReportFigures | None:
        if self.model.kind != "work":
            return None
        from ecozone.annual.reports import figures
        return WorkReportFigures.of(await figures(info.context.session, self.model))

    @strawberry.field(description=("The financial report's budget and execution (frozen once submitted); null for the work "
                                   "report. 财务报告的预算与执行（提交后冻结）；工作报告为 null。"))
    async def financial_figures(self, info: Info) -> FundExecution | None:
        if self.model.kind != "financial":
            return None
        from ecozone.annual.reports import figures
        return FundExecution.of(Execution.from_json(await figures(info.context.session, self.model)))


AnnualPlanResult = result_union("AnnualPlanResult", AnnualPlan, *EVERY_FAILURE, ArticleRefusal, how_to_select=False)
AnnualPlanItemResult = result_union("AnnualPlanItemResult", AnnualPlanItem, *EVERY_FAILURE, ArticleRefusal,
                                    how_to_select=False)
AnnualReportResult = result_union("AnnualReportResult", AnnualReport, *EVERY_FAILURE, ArticleRefusal,
                                  how_to_select=False)
AnnualPlanConnectionResult = Annotated[Connection[AnnualPlan] | ValidationFailed, strawberry.union(
    "AnnualPlanConnectionResult", description="A page of plans, or ValidationFailed. 一页工作计划，或 ValidationFailed。")]
AnnualReportConnectionResult = Annotated[Connection[AnnualReport] | ValidationFailed, strawberry.union(
    "AnnualReportConnectionResult", description="A page of reports, or ValidationFailed. 一页年度报告，或 ValidationFailed。")]
