"""Innovation projects: proposal, lifecycle, public notice and joining, working group, statistics.

The object types are in ``projects_types``.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import relay

from ecozone.graphql.common import connection, decode_id
from ecozone.graphql.context import Info
from ecozone.graphql.projects_types import (
    JoinRequest,
    JoinRequestResult,
    Project,
    ProjectConnectionResult,
    ProjectCountGroup,
    ProjectKind,
    ProjectKindCount,
    ProjectResult,
    ProjectState,
    ProjectStateCount,
    ProjectStatistics,
    ProjectStatisticsResult,
    ProjectYearCount,
    ProjectZoneCount,
    WorkingGroupMember,
    WorkingGroupMemberResult,
    WorkingGroupRole,
)
from ecozone.graphql.results import read, run
from ecozone.projects import membership, rules, service


@strawberry.input(description="Propose a project in the acting zone (a member unit's representative).")
class ProposeProjectInput:
    kind: ProjectKind
    title_zh: str
    title_en: str
    summary: str
    proposer_unit: str = strawberry.field(description="Your member unit's name")
    lead_unit: str | None = strawberry.field(default=None, description="Defaults to the proposer unit")


@strawberry.input
class ApproveProjectInput:
    id: relay.GlobalID
    reason: str | None = None


@strawberry.input
class RejectProjectInput:
    id: relay.GlobalID
    reason: str


@strawberry.input(description="Open the public notice for the zone's notice period.")
class OpenProjectNoticeInput:
    id: relay.GlobalID
    reason: str | None = None


@strawberry.input(description="Start the work once the public notice has passed.")
class StartProjectInput:
    id: relay.GlobalID
    reason: str | None = None


@strawberry.input
class RequestProjectAdjustmentInput:
    id: relay.GlobalID
    reason: str = strawberry.field(description="What should change, and why")


@strawberry.input
class ApproveProjectAdjustmentInput:
    id: relay.GlobalID
    reason: str | None = None


@strawberry.input(description="Refusing an adjustment terminates the project.")
class RefuseProjectAdjustmentInput:
    id: relay.GlobalID
    reason: str


@strawberry.input
class TerminateProjectInput:
    id: relay.GlobalID
    reason: str


@strawberry.input
class SubmitProjectClosureInput:
    id: relay.GlobalID
    closure_report: str
    reason: str | None = None


@strawberry.input
class PassProjectClosureInput:
    id: relay.GlobalID
    reason: str | None = None


@strawberry.input(description="Return the closure report for rework: back to in progress.")
class ReturnProjectClosureInput:
    id: relay.GlobalID
    reason: str


@strawberry.input
class ArchiveProjectInput:
    id: relay.GlobalID
    reason: str | None = None


@strawberry.input(description="Ask to join a project on public notice or in progress (any zone).")
class RequestToJoinProjectInput:
    project_id: relay.GlobalID
    unit_name: str
    note: str | None = strawberry.field(default=None, description="Your message to the proposer")


@strawberry.input
class AcceptJoinRequestInput:
    id: relay.GlobalID
    reason: str | None = None


@strawberry.input
class DeclineJoinRequestInput:
    id: relay.GlobalID
    reason: str | None = None


@strawberry.input(description="A unit (no userId) or a person (userId required) joins the working group.")
class AddWorkingGroupMemberInput:
    project_id: relay.GlobalID
    role: WorkingGroupRole
    unit_name: str
    user_id: relay.GlobalID | None = None


@strawberry.input
class RemoveWorkingGroupMemberInput:
    id: relay.GlobalID


@strawberry.input
class ProjectFilterInput:
    kind: ProjectKind | None = None
    state: ProjectState | None = None
    zone: str | None = strawberry.field(default=None, description="Owning zone slug")
    year: int | None = None
    text: str | None = strawberry.field(default=None, description="In titles, summary and units")


def _statistics(s: rules.Statistics) -> ProjectStatistics:
    zone_ids = {g.zone_slug: g.zone_id for g in s.groups}
    return ProjectStatistics(
        total=s.total,
        groups=[ProjectCountGroup(kind=ProjectKind(g.kind), state=ProjectState(g.state),
                                  year=g.year, count=g.count, zone_id=g.zone_id,
                                  standards_published=g.standards_published) for g in s.groups],
        by_kind=[ProjectKindCount(kind=ProjectKind(c.key), name_zh=c.name_zh, name_en=c.name_en,
                                  count=c.count) for c in s.by_kind],
        by_zone=[ProjectZoneCount(zone_id=zone_ids[c.key], count=c.count) for c in s.by_zone],
        by_state=[ProjectStateCount(state=ProjectState(c.key), name_zh=c.name_zh, name_en=c.name_en,
                                    count=c.count) for c in s.by_state],
        by_year=[ProjectYearCount(year=int(c.key), count=c.count) for c in s.by_year],
        standards_published=s.standards_published)


@strawberry.type
class ProjectQuery:
    @strawberry.field(description="Projects the viewer may see: public ones for everyone, plus "
                                  "one's own proposals and, for staff, their zone's.")
    async def projects(self, info: Info, filter: ProjectFilterInput | None = None, first: int = 20,
                       after: str | None = None) -> ProjectConnectionResult:
        ctx, f = info.context, filter or ProjectFilterInput()
        filters = service.ProjectFilter(kind=f.kind.value if f.kind else None,
                                        state=f.state.value if f.state else None,
                                        zone=f.zone, year=f.year, text=f.text)
        return await read(info, lambda: service.search(
            ctx.session, ctx.actor, filters=filters, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, Project.from_model))

    @strawberry.field
    async def project(self, info: Info, id: relay.GlobalID) -> ProjectResult:
        return await read(info, lambda: service.get_project(info.context.session,
                                                            decode_id(id, "Project")),
                          Project.from_model)

    @strawberry.field(description="Counts of public projects by kind, zone, state and year "
                                  "(办法 第十二条(三)); anonymous.")
    async def project_statistics(self, info: Info, year: int | None = None,
                                 zone: str | None = None) -> ProjectStatisticsResult:
        return await read(info, lambda: service.statistics(info.context.session, year=year,
                                                           zone=zone), _statistics)


def _call(info: Info, function: Any, input_: Any, **kwargs: Any):
    """One lifecycle step on the project ``input_.id``, with the input's reason."""
    ctx = info.context
    return run(info, lambda: function(ctx.session, ctx.actor,
                                      project_id=decode_id(input_.id, "Project"),
                                      reason=input_.reason, **kwargs), Project.from_model)


@strawberry.type
class ProjectMutation:
    @strawberry.mutation(description="Member of the acting zone: the project starts as proposed")
    async def propose_project(self, info: Info, input: ProposeProjectInput) -> ProjectResult:
        ctx = info.context
        return await run(info, lambda: service.propose(
            ctx.session, ctx.actor, kind=input.kind.value, title_zh=input.title_zh,
            title_en=input.title_en, summary=input.summary, proposer_unit=input.proposer_unit,
            lead_unit=input.lead_unit), Project.from_model)

    @strawberry.mutation(description="Staff of the project's zone: proposed → approved")
    async def approve_project(self, info: Info, input: ApproveProjectInput) -> ProjectResult:
        return await _call(info, service.approve, input)

    @strawberry.mutation(description="Staff of the project's zone: proposed → rejected (reason required)")
    async def reject_project(self, info: Info, input: RejectProjectInput) -> ProjectResult:
        return await _call(info, service.reject, input)

    @strawberry.mutation(description="Staff: approved → public_notice, for the zone's notice period")
    async def open_project_notice(self, info: Info, input: OpenProjectNoticeInput) -> ProjectResult:
        return await _call(info, service.open_notice, input)

    @strawberry.mutation(description="Staff: public_notice → in_progress, after the notice has passed")
    async def start_project(self, info: Info, input: StartProjectInput) -> ProjectResult:
        return await _call(info, service.start, input)

    @strawberry.mutation(description="Proposer or leader: in_progress → adjustment_requested")
    async def request_project_adjustment(self, info: Info, input: RequestProjectAdjustmentInput
                                         ) -> ProjectResult:
        return await _call(info, service.request_adjustment, input)

    @strawberry.mutation(description="Staff: adjustment_requested → in_progress")
    async def approve_project_adjustment(self, info: Info, input: ApproveProjectAdjustmentInput
                                         ) -> ProjectResult:
        return await _call(info, service.approve_adjustment, input)

    @strawberry.mutation(description="Staff: adjustment_requested → terminated (reason required)")
    async def refuse_project_adjustment(self, info: Info, input: RefuseProjectAdjustmentInput
                                        ) -> ProjectResult:
        return await _call(info, service.refuse_adjustment, input)

    @strawberry.mutation(description="Staff: in_progress → terminated (reason required)")
    async def terminate_project(self, info: Info, input: TerminateProjectInput) -> ProjectResult:
        return await _call(info, service.terminate, input)

    @strawberry.mutation(description="Proposer or leader: in_progress → closure_submitted")
    async def submit_project_closure(self, info: Info, input: SubmitProjectClosureInput
                                     ) -> ProjectResult:
        return await _call(info, service.submit_closure, input, closure_report=input.closure_report)

    @strawberry.mutation(description="Staff: closure_submitted → closed")
    async def pass_project_closure(self, info: Info, input: PassProjectClosureInput) -> ProjectResult:
        return await _call(info, service.pass_closure, input)

    @strawberry.mutation(description="Staff: closure_submitted → in_progress (reason required)")
    async def return_project_closure(self, info: Info, input: ReturnProjectClosureInput
                                     ) -> ProjectResult:
        return await _call(info, service.return_closure, input)

    @strawberry.mutation(description="Staff: closed → archived")
    async def archive_project(self, info: Info, input: ArchiveProjectInput) -> ProjectResult:
        return await _call(info, service.archive, input)

    @strawberry.mutation(description="Anyone signed in, from any zone; one pending request per project")
    async def request_to_join_project(self, info: Info, input: RequestToJoinProjectInput
                                      ) -> JoinRequestResult:
        ctx = info.context
        return await run(info, lambda: membership.request_to_join(
            ctx.session, ctx.actor, project_id=decode_id(input.project_id, "Project", "projectId"),
            unit_name=input.unit_name, message=input.note), JoinRequest.from_model)

    @strawberry.mutation(description="The proposer: the unit and the person join the working group")
    async def accept_join_request(self, info: Info, input: AcceptJoinRequestInput) -> JoinRequestResult:
        ctx = info.context
        return await run(info, lambda: membership.accept_join_request(
            ctx.session, ctx.actor, request_id=decode_id(input.id, "JoinRequest"),
            reason=input.reason), JoinRequest.from_model)

    @strawberry.mutation(description="The proposer")
    async def decline_join_request(self, info: Info, input: DeclineJoinRequestInput
                                   ) -> JoinRequestResult:
        ctx = info.context
        return await run(info, lambda: membership.decline_join_request(
            ctx.session, ctx.actor, request_id=decode_id(input.id, "JoinRequest"),
            reason=input.reason), JoinRequest.from_model)

    @strawberry.mutation(description="The proposer or the staff of the project's zone")
    async def add_working_group_member(self, info: Info, input: AddWorkingGroupMemberInput
                                       ) -> WorkingGroupMemberResult:
        ctx = info.context
        return await run(info, lambda: membership.add_member(
            ctx.session, ctx.actor, project_id=decode_id(input.project_id, "Project", "projectId"),
            role=input.role.value, unit_name=input.unit_name,
            user_id=decode_id(input.user_id, "User", "userId") if input.user_id else None),
            WorkingGroupMember.from_model)

    @strawberry.mutation(description="The proposer or the staff of the project's zone; "
                                     "the lead unit stays")
    async def remove_working_group_member(self, info: Info, input: RemoveWorkingGroupMemberInput
                                          ) -> WorkingGroupMemberResult:
        ctx = info.context
        return await run(info, lambda: membership.remove_member(
            ctx.session, ctx.actor, member_id=decode_id(input.id, "WorkingGroupMember")),
            WorkingGroupMember.from_model)
