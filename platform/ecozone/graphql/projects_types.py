"""GraphQL types of innovation projects; the queries and mutations are in ``projects``."""

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
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from ecozone.graphql.zones import User, Zone, load_user, load_zone
from ecozone.projects import rules
from ecozone.projects.models import JoinRequest as JoinRequestModel
from ecozone.projects.models import Project as ProjectModel
from ecozone.projects.models import ProjectEvent as ProjectEventModel
from ecozone.projects.models import WorkingGroupMember as WorkingGroupMemberModel
from ecozone.projects.service import is_owning_zone_staff, is_proposer

if TYPE_CHECKING:
    from ecozone.graphql.standards_types import Standard


def _enum(name: str, values: Iterable[str], description: str) -> type[Enum]:
    return strawberry.enum(Enum(name, {v.upper(): v for v in values}), description=description)


ProjectKind = _enum("ProjectKind", rules.KINDS, "课题研究 · 标准研制 · 技术交流 · 关键共性项目")
ProjectState = _enum("ProjectState", rules.STATES,
                     "proposed → approved → public_notice → in_progress (⇄ adjustment_requested) → "
                     "closure_submitted → closed → archived; or rejected / terminated")
ProjectAction = _enum("ProjectAction", ["propose", *rules.ACTIONS], "A step of the project lifecycle")
WorkingGroupRole = _enum("WorkingGroupRole", rules.WORKING_GROUP_ROLES,
                         "Units: lead_unit, participating_unit; people: leader, drafter, member")
JoinRequestStatus = _enum("JoinRequestStatus", rules.JOIN_STATUSES, "pending → accepted | declined")


@strawberry.type(description="A unit or a person of a project's working group.")
class WorkingGroupMember(relay.Node):
    id: relay.NodeID[int]
    unit_name: str
    role: WorkingGroupRole
    role_name_zh: str
    role_name_en: str
    joined_at: dt.datetime
    user_id: strawberry.Private[int | None]

    @strawberry.field(description="The person's account; null for a unit")
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


@strawberry.type(description="One step of a project's lifecycle: who, when, why.")
class ProjectEvent(relay.Node):
    id: relay.NodeID[int]
    action: ProjectAction
    from_state: ProjectState | None
    to_state: ProjectState
    reason: str | None
    created_at: dt.datetime
    actor_id: strawberry.Private[int | None]

    @strawberry.field
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


@strawberry.type(description="A request to join a project's working group; the proposer decides.")
class JoinRequest(relay.Node):
    id: relay.NodeID[int]
    unit_name: str
    # Not "message": that name is every failure's message, and unions select both.
    note: str | None = strawberry.field(description="The applicant's message to the proposer")
    status: JoinRequestStatus
    created_at: dt.datetime
    decided_at: dt.datetime | None
    user_id: strawberry.Private[int]
    decided_by_id: strawberry.Private[int | None]
    project_id: strawberry.Private[int]

    @strawberry.field(description="Who asks to join")
    async def user(self, info: Info) -> User | None:
        return await load_user(info, self.user_id)

    @strawberry.field
    async def decided_by(self, info: Info) -> User | None:
        return await load_user(info, self.decided_by_id)

    @strawberry.field
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


@strawberry.type(description="An innovation project of the base (国家技术标准创新基地（江西绿色生态）创新项目). "
                             "Proposed and rejected projects are seen only by their proposer and "
                             "the staff of their zone; from approval on, by everyone.")
class Project(relay.Node):
    id: relay.NodeID[int]
    kind: ProjectKind
    kind_name_zh: str
    kind_name_en: str
    title_zh: str
    title_en: str
    summary: str
    proposer_unit: str
    lead_unit: str
    state: ProjectState
    state_name_zh: str
    state_name_en: str
    year: int = strawberry.field(description="Year of the proposal")
    notice_ends_on: dt.date | None = strawberry.field(
        description="Last day of the public notice; the project can start the day after")
    closure_report: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
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

    @strawberry.field(description="The owning zone: where it was proposed")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.model.zone_id)

    @strawberry.field
    async def proposer(self, info: Info) -> User | None:
        return await load_user(info, self.model.proposer_id)

    @strawberry.field(description="Lifecycle steps possible from the current state")
    def next_actions(self) -> list[ProjectAction]:
        return [ProjectAction(a) for a in rules.LIFECYCLE.allowed_actions(self.model.state)]

    @strawberry.field(description="Lead unit, participating units and people, in joining order")
    async def working_group(self, info: Info) -> list[WorkingGroupMember]:
        rows = await info.context.loaders.grouped(
            WorkingGroupMemberModel, "project_id", order=(WorkingGroupMemberModel.id,)).load(self.id)
        return [WorkingGroupMember.from_model(m) for m in rows]

    @strawberry.field(description="Every transition, oldest first")
    async def events(self, info: Info) -> list[ProjectEvent]:
        rows = await info.context.loaders.grouped(
            ProjectEventModel, "project_id", order=(ProjectEventModel.id,)).load(self.id)
        return [ProjectEvent.from_model(e) for e in rows]

    @strawberry.field(description="The standards this project carries (its original and any "
                                  "revisions), those the viewer may see, oldest first "
                                  "(项目承载的标准)")
    async def standards(self, info: Info) -> list[Annotated[
            Standard, strawberry.lazy("ecozone.graphql.standards_types")]]:
        from ecozone.graphql.standards_types import Standard
        from ecozone.standards.models import Standard as StandardModel
        rows = await info.context.loaders.grouped(StandardModel, "project_id",
                                                  order=(StandardModel.id,)).load(self.id)
        return [Standard.from_model(r) for r in rows]

    @strawberry.field(description="Requests to join: for the proposer and the zone's staff only")
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


@strawberry.type(description="Public projects of one kind, zone, state and year.")
class ProjectCountGroup:
    kind: ProjectKind
    state: ProjectState
    year: int
    count: int
    standards_published: int = strawberry.field(
        description="Their outputs: standards published from these projects (已发布标准数)")
    zone_id: strawberry.Private[int]

    @strawberry.field
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)


@strawberry.type
class ProjectKindCount:
    kind: ProjectKind
    name_zh: str
    name_en: str
    count: int


@strawberry.type
class ProjectStateCount:
    state: ProjectState
    name_zh: str
    name_en: str
    count: int


@strawberry.type
class ProjectZoneCount:
    count: int
    zone_id: strawberry.Private[int]

    @strawberry.field
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)


@strawberry.type
class ProjectYearCount:
    year: int
    count: int


@strawberry.type(description="Public statistics of projects, approved onwards (办法 第十二条(三)).")
class ProjectStatistics:
    total: int
    groups: list[ProjectCountGroup] = strawberry.field(
        description="One row per (kind, zone, state, year) that has projects")
    by_kind: list[ProjectKindCount]
    by_zone: list[ProjectZoneCount]
    by_state: list[ProjectStateCount]
    by_year: list[ProjectYearCount]
    standards_published: int = strawberry.field(
        description="Outputs of the projects counted: standards published from them, each once "
                    "however often revised, withdrawn ones included (项目成果：已发布标准数)")


ProjectResult = Annotated[Project | PermissionDenied | ValidationFailed | NotFound | Conflict,
                          strawberry.union("ProjectResult")]
JoinRequestResult = Annotated[JoinRequest | PermissionDenied | ValidationFailed | NotFound | Conflict,
                              strawberry.union("JoinRequestResult")]
WorkingGroupMemberResult = Annotated[
    WorkingGroupMember | PermissionDenied | ValidationFailed | NotFound | Conflict,
    strawberry.union("WorkingGroupMemberResult")]
ProjectConnectionResult = Annotated[Connection[Project] | ValidationFailed,
                                    strawberry.union("ProjectConnectionResult")]
ProjectStatisticsResult = Annotated[ProjectStatistics | ValidationFailed,
                                    strawberry.union("ProjectStatisticsResult")]
