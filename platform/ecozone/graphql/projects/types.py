"""GraphQL types of innovation projects; the queries and mutations are in ``schema``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from ecozone.graphql.common import Connection, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.results import (
    EVERY_FAILURE,
    ValidationFailed,
    result_union,
)
from ecozone.graphql.zones import User, Zone, load_user, load_zone
from ecozone.projects import rules
from ecozone.projects.models import JoinRequest as JoinRequestModel
from ecozone.projects.models import Project as ProjectModel
from ecozone.projects.models import ProjectEvent as ProjectEventModel
from ecozone.projects.models import WorkingGroupMember as WorkingGroupMemberModel
from ecozone.projects.service import is_owning_zone_staff, is_proposer

if TYPE_CHECKING:
    from ecozone.graphql.standards.types import Standard


def _enum(name: str, values: Iterable[str], description: str) -> type[Enum]:
    return strawberry.enum(Enum(name, {v.upper(): v for v in values}), description=description)


ProjectKind = _enum("ProjectKind", rules.KINDS, ("Kind of innovation project (办法 第十条): RESEARCH_TOPIC 课题研究 · STANDARD_DEVELOPMENT 标准研制"
         " · TECHNICAL_EXCHANGE 技术交流 · KEY_COMMON 关键共性项目. 创新项目类型（办法 第十条）。"))
ProjectState = _enum("ProjectState", rules.STATES,
                     ("Lifecycle state of a project: proposed → approved → public_notice → in_progress (⇄ "
         "adjustment_requested) → closure_submitted → closed → archived; or rejected / "
         "terminated. Names in Chinese and English: `stateNameZh`/`stateNameEn`. 项目状态：已申报 → 已立"
         "项 → 公示中 → 在研（⇄ 申请调整）→ 已提交结题 → 已结题 → 已归档；或不予立项 / 终止。"))
ProjectAction = _enum("ProjectAction", ["propose", *rules.ACTIONS], ("A step of the project lifecycle (propose, approve, reject, open_notice, start, …), "
         "as recorded in `Project.events` and offered in `Project.nextActions`. 项目流程中的一步（申报、立项"
         "、不予立项、公示、启动……），记录于 `Project.events`，可执行的见 `Project.nextActions`。"))
WorkingGroupRole = _enum("WorkingGroupRole", rules.WORKING_GROUP_ROLES,
                         ("Role in a project's working group. Units: LEAD_UNIT 牵头单位, PARTICIPATING_UNIT 参与单位; "
         "people: LEADER 负责人, DRAFTER 主要起草人, MEMBER 成员. 项目工作组中的角色。"))
JoinRequestStatus = _enum("JoinRequestStatus", rules.JOIN_STATUSES, "PENDING → ACCEPTED or DECLINED (the proposer decides). 待处理 → 已同意 或 已拒绝（由申报人决定）。")


@strawberry.type(description=("A unit or a person of a project's working group; public with the project. 项目工作组中的单位或"
         "个人；随项目公开。"))
class WorkingGroupMember(relay.Node):
    id: relay.NodeID[int]
    unit_name: str = strawberry.field(description=("The unit's name (for a person: the unit they work for). 单位名称（个人则为其所在单位）。"))
    role: WorkingGroupRole = strawberry.field(description="Role in the working group. 在工作组中的角色。")
    role_name_zh: str = strawberry.field(description=("The role's name in Chinese, e.g. 主要起草人. 角色中文名称，如“主要起草人”。"))
    role_name_en: str = strawberry.field(description=("The role's name in English, e.g. Drafter. 角色英文名称。"))
    joined_at: dt.datetime = strawberry.field(description="When they joined the group (ISO 8601 with offset). 加入工作组的时间（ISO 8601，含时区偏移）。")
    user_id: strawberry.Private[int | None]

    @strawberry.field(description=("The person's account; null for a unit, or when the viewer may not see it. 个人账户；单"
             "位或查看者无权查看时为 null。"))
    async def user(self, info: Info) -> User | None:
        return await load_user(info, self.user_id)

    @classmethod
    def from_model(cls, m: WorkingGroupMemberModel) -> WorkingGroupMember:
        return cls(id=m.id, unit_name=m.unit_name, role=WorkingGroupRole(m.role),
                   role_name_zh=rules.WORKING_GROUP_ROLES[m.role][0],
                   role_name_en=rules.WORKING_GROUP_ROLES[m.role][1], joined_at=m.created_at,
                   user_id=m.user_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await load_nodes(info, WorkingGroupMemberModel, list(node_ids))
        return [cls.from_model(r) if r else None for r in rows]


@strawberry.type(description=("One step of a project's lifecycle: who, when, why. 项目流程中的一步：谁、何时、为何。"))
class ProjectEvent(relay.Node):
    id: relay.NodeID[int]
    action: ProjectAction = strawberry.field(description="The step taken. 所执行的步骤。")
    from_state: ProjectState | None = strawberry.field(description="State before; null for the proposal. 之前的状态；申报时为 null。")
    to_state: ProjectState = strawberry.field(description="State after. 之后的状态。")
    reason: str | None = strawberry.field(description=("The note or reason given; null if none. 所给说明或原因；无则为 null。"))
    created_at: dt.datetime = strawberry.field(description="When the step was taken (ISO 8601 with offset). 执行时间（ISO 8601，含时区偏移）。")
    actor_id: strawberry.Private[int | None]

    @strawberry.field(description="Who took it; null if the viewer may not see the account. 执行人；查看者无权查看该账户时为 null。")
    async def actor(self, info: Info) -> User | None:
        return await load_user(info, self.actor_id)

    @classmethod
    def from_model(cls, e: ProjectEventModel) -> ProjectEvent:
        return cls(id=e.id, action=ProjectAction(e.action),
                   from_state=ProjectState(e.from_state) if e.from_state else None,
                   to_state=ProjectState(e.to_state), reason=e.reason, created_at=e.created_at,
                   actor_id=e.actor_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await load_nodes(info, ProjectEventModel, list(node_ids))
        return [cls.from_model(r) if r else None for r in rows]


@strawberry.type(description=("A request to join a project's working group; seen by the requester, the proposer "
         "and the staff of the project's zone. The proposer decides. 加入项目工作组的申请；申请人、申报人和项目所属试验"
         "区工作人员可见，由申报人决定。"))
class JoinRequest(relay.Node):
    id: relay.NodeID[int]
    unit_name: str = strawberry.field(description=("The unit the requester would join for. 申请人以哪个单位的名义加入。"))
    # Not "message": that name is every failure's message, and unions select both.
    note: str | None = strawberry.field(description=("The applicant's message to the proposer; null if none. 申请人给申报人的留言；无则为 null。"))
    status: JoinRequestStatus = strawberry.field(description="Pending, accepted or declined. 待处理、已同意或已拒绝。")
    created_at: dt.datetime = strawberry.field(description="When it was created (ISO 8601 with offset). 创建时间（ISO 8601，含时区偏移）。")
    decided_at: dt.datetime | None = strawberry.field(description="When the proposer decided; null while pending. 申报人决定的时间；待处理时为 null。")
    user_id: strawberry.Private[int]
    decided_by_id: strawberry.Private[int | None]
    project_id: strawberry.Private[int]

    @strawberry.field(description="Who asks to join. 申请人。")
    async def user(self, info: Info) -> User | None:
        return await load_user(info, self.user_id)

    @strawberry.field(description="Who decided; null while pending. 决定人；待处理时为 null。")
    async def decided_by(self, info: Info) -> User | None:
        return await load_user(info, self.decided_by_id)

    @strawberry.field(description="The project; null if the viewer may no longer see it. 所申请的项目；查看者不可见时为 null。")
    async def project(self, info: Info) -> Project | None:
        row = await info.context.loaders.by_id(ProjectModel).load(self.project_id)
        return Project.from_model(row) if row else None

    @classmethod
    def from_model(cls, j: JoinRequestModel) -> JoinRequest:
        return cls(id=j.id, unit_name=j.unit_name, note=j.message,
                   status=JoinRequestStatus(j.status), created_at=j.created_at,
                   decided_at=j.decided_at, user_id=j.user_id, decided_by_id=j.decided_by_id,
                   project_id=j.project_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        """The requester, the proposer and the owning zone's staff (the data layer decides)."""
        rows = await load_nodes(info, JoinRequestModel, list(node_ids))
        return [cls.from_model(r) if r else None for r in rows]


@strawberry.type(description=("An innovation project of the base (国家技术标准创新基地（江西绿色生态）创新项目, 办法 第十至十二条). Proposed and "
         "rejected projects are seen only by their proposer and the staff of their zone; from "
         "approval on, by everyone. 基地创新项目（办法 第十至十二条）。已申报和不予立项的项目仅申报人和本区工作人员可见；立项后所有人可见。"))
class Project(relay.Node):
    id: relay.NodeID[int]
    kind: ProjectKind = strawberry.field(description="Kind of project. 项目类型。")
    kind_name_zh: str = strawberry.field(description=("The kind's name in Chinese, e.g. 标准研制. 项目类型中文名称，如“标准研制”。"))
    kind_name_en: str = strawberry.field(description=("The kind's name in English, e.g. Standard development. 项目类型英文名称。"))
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    summary: str = strawberry.field(description=("What the project does and delivers, as proposed. 项目内容和预期成果（申报时填写）。"))
    proposer_unit: str = strawberry.field(description="The member unit that proposed it. 申报单位。")
    lead_unit: str = strawberry.field(description="The unit leading the work. 牵头单位。")
    state: ProjectState = strawberry.field(description="Current lifecycle state. 当前状态。")
    state_name_zh: str = strawberry.field(description=("The state's name in Chinese, e.g. 在研. 状态中文名称，如“在研”。"))
    state_name_en: str = strawberry.field(description=("The state's name in English, e.g. In progress. 状态英文名称。"))
    year: int = strawberry.field(description="Year of the proposal. 申报年份。")
    notice_ends_on: dt.date | None = strawberry.field(
        description=("Last day of the public notice; the project can start the day after; null before "
             "the notice opens. 公示截止日；次日起可启动项目；公示开始前为 null。"))
    closure_report: str | None = strawberry.field(description="The closure report once submitted; null before. 结题报告（提交后）；提交前为 null。")
    created_at: dt.datetime = strawberry.field(description="When it was created (ISO 8601 with offset). 创建时间（ISO 8601，含时区偏移）。")
    updated_at: dt.datetime = strawberry.field(description="When it last changed (ISO 8601 with offset). 最后修改时间（ISO 8601，含时区偏移）。")
    model: strawberry.Private[ProjectModel]

    @classmethod
    def from_model(cls, p: ProjectModel) -> Project:
        return cls(id=p.id, kind=ProjectKind(p.kind), kind_name_zh=rules.KINDS[p.kind][0],
                   kind_name_en=rules.KINDS[p.kind][1],
                   title_zh=p.title_zh, title_en=p.title_en, summary=p.summary,
                   proposer_unit=p.proposer_unit, lead_unit=p.lead_unit,
                   state=ProjectState(p.state), state_name_zh=rules.STATES[p.state][0],
                   state_name_en=rules.STATES[p.state][1],
                   year=p.year, notice_ends_on=p.notice_ends_on, closure_report=p.closure_report,
                   created_at=p.created_at, updated_at=p.updated_at, model=p)

    @strawberry.field(description="The owning zone: where it was proposed. 所属试验区（申报所在试验区）。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.model.zone_id)

    @strawberry.field(description="Who proposed it; null if the viewer may not see the account. 申报人；查看者无权查看该账户时为 null。")
    async def proposer(self, info: Info) -> User | None:
        return await load_user(info, self.model.proposer_id)

    @strawberry.field(description=("Lifecycle steps possible from the current state (whether the viewer may take "
             "them is checked when asked). 当前状态下可执行的流程步骤（执行时再检查查看者权限）。"))
    def next_actions(self) -> list[ProjectAction]:
        return [ProjectAction(a) for a in rules.LIFECYCLE.allowed_actions(self.model.state)]

    @strawberry.field(description=("Lead unit, participating units and people, in joining order. 工作组：牵头单位、参与单位和人员，按加"
             "入顺序。"))
    async def working_group(self, info: Info) -> list[WorkingGroupMember]:
        rows = await info.context.loaders.grouped(
            WorkingGroupMemberModel, "project_id", order=(WorkingGroupMemberModel.id,)).load(self.id)
        return [WorkingGroupMember.from_model(m) for m in rows]

    @strawberry.field(description=("Every lifecycle step taken, oldest first: who, when, why. 全部流程记录，按时间先后：谁、何时、为何。"))
    async def events(self, info: Info) -> list[ProjectEvent]:
        rows = await info.context.loaders.grouped(
            ProjectEventModel, "project_id", order=(ProjectEventModel.id,)).load(self.id)
        return [ProjectEvent.from_model(e) for e in rows]

    @strawberry.field(description=("The standards this project carries (its original and any revisions) that the "
             "viewer may see, oldest first (项目承载的标准). 本项目承载的、查看者可见的标准（原版及修订版），按时间先后。"))
    async def standards(self, info: Info) -> list[Annotated[
            Standard, strawberry.lazy("ecozone.graphql.standards.types")]]:
        from ecozone.graphql.standards.types import Standard
        from ecozone.standards.models import Standard as StandardModel
        rows = await info.context.loaders.grouped(StandardModel, "project_id",
                                                  order=(StandardModel.id,)).load(self.id)
        return [Standard.from_model(r) for r in rows]

    @strawberry.field(description=("Requests to join; for the proposer and the zone's staff only, null for anyone "
             "else. 加入申请；仅申报人和本区工作人员可见，其他人为 null。"))
    async def join_requests(self, info: Info) -> list[JoinRequest] | None:
        actor = info.context.actor
        if not (is_proposer(self.model, actor) or is_owning_zone_staff(self.model, actor)):
            return None
        rows = await info.context.loaders.grouped(
            JoinRequestModel, "project_id", order=(JoinRequestModel.id,)).load(self.id)
        return [JoinRequest.from_model(j) for j in rows]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await load_nodes(info, ProjectModel, list(node_ids))
        return [cls.from_model(r) if r else None for r in rows]


@strawberry.type(description=("Public projects of one kind, zone, state and year. 同一类型、试验区、状态、年份的公开项目。"))
class ProjectCountGroup:
    kind: ProjectKind = strawberry.field(description="Kind of project. 项目类型。")
    state: ProjectState = strawberry.field(description="State. 状态。")
    year: int = strawberry.field(description="Year of proposal. 申报年份。")
    count: int = strawberry.field(description="Projects in this group. 本组项目数。")
    standards_published: int = strawberry.field(
        description="Their outputs: standards published from these projects. 其成果：由这些项目发布的标准数。")
    zone_id: strawberry.Private[int]

    @strawberry.field(description="The owning zone. 所属试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)


@strawberry.type(description="Public projects of one kind. 某一类型的公开项目数。")
class ProjectKindCount:
    kind: ProjectKind = strawberry.field(description="The kind. 项目类型。")
    name_zh: str = strawberry.field(description="The kind's name in Chinese. 类型中文名称。")
    name_en: str = strawberry.field(description="The kind's name in English. 类型英文名称。")
    count: int = strawberry.field(description="Projects of this kind. 该类型项目数。")


@strawberry.type(description="Public projects in one state. 某一状态的公开项目数。")
class ProjectStateCount:
    state: ProjectState = strawberry.field(description="The state. 状态。")
    name_zh: str = strawberry.field(description="The state's name in Chinese. 状态中文名称。")
    name_en: str = strawberry.field(description="The state's name in English. 状态英文名称。")
    count: int = strawberry.field(description="Projects in this state. 该状态项目数。")


@strawberry.type(description="Public projects owned by one zone. 某一试验区的公开项目数。")
class ProjectZoneCount:
    count: int = strawberry.field(description="Projects of this zone. 该试验区项目数。")
    zone_id: strawberry.Private[int]

    @strawberry.field(description="The owning zone. 所属试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)


@strawberry.type(description="Public projects proposed in one year. 某一年份申报的公开项目数。")
class ProjectYearCount:
    year: int = strawberry.field(description="Year of proposal. 申报年份。")
    count: int = strawberry.field(description="Projects of this year. 该年份项目数。")


@strawberry.type(description=("Public statistics of projects, approved onwards (办法 第十二条(三)); anonymous. 项目公开统计（已立项及"
         "之后，办法 第十二条(三)）；无需登录。"))
class ProjectStatistics:
    total: int = strawberry.field(description="Projects counted. 统计的项目总数。")
    groups: list[ProjectCountGroup] = strawberry.field(
        description=("One row per (kind, zone, state, year) that has projects. 每个有项目的（类型、试验区、状态、年份）组合一"
             "行。"))
    by_kind: list[ProjectKindCount] = strawberry.field(description=(
             "Totals by kind, every kind listed (zero included), in declared order. 按类型合计，列出所有"
             "类型（含 0），按定义顺序。"))
    by_zone: list[ProjectZoneCount] = strawberry.field(description=(
             "Totals by owning zone, zones with projects only, in slug order. 按所属试验区合计，仅列有项目的试"
             "验区，按 slug 排序。"))
    by_state: list[ProjectStateCount] = strawberry.field(description="Totals by state, every public state listed (zero included). 按状态合计，列出所有公开状态（含 0）。")
    by_year: list[ProjectYearCount] = strawberry.field(description="Totals by year of proposal, ascending. 按申报年份合计，升序。")
    standards_published: int = strawberry.field(
        description=("Outputs of the projects counted: standards published from them, each once "
             "however often revised, withdrawn ones included. 所统计项目的成果：由其发布的标准数（修订多次只计一次，含已废止）"
             "。"))


ProjectResult = result_union("ProjectResult", Project, *EVERY_FAILURE)
JoinRequestResult = result_union("JoinRequestResult", JoinRequest, *EVERY_FAILURE)
WorkingGroupMemberResult = result_union("WorkingGroupMemberResult", WorkingGroupMember, *EVERY_FAILURE)
ProjectConnectionResult = result_union("ProjectConnectionResult", Connection[Project], ValidationFailed)
ProjectStatisticsResult = result_union("ProjectStatisticsResult", ProjectStatistics, ValidationFailed)
