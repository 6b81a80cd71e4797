"""Innovation projects: proposal, lifecycle, public notice and joining, working group, statistics.

The object types are in ``types``.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import relay

from ecozone.graphql.common import connection, decode_id
from ecozone.graphql.context import Info
from ecozone.graphql.projects.types import (
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


@strawberry.input(description=("Propose a project in the acting zone (a member unit's representative, 办法 第十条). 在所操作试"
         "验区申报项目（成员单位代表，办法 第十条）。"))
class ProposeProjectInput:
    kind: ProjectKind = strawberry.field(description="Kind of project. 项目类型。")
    title_zh: str = strawberry.field(description=("Title in Chinese, 1–200 characters. 中文标题，1–200 字。"))
    title_en: str = strawberry.field(description=("Title in English, 1–200 characters. 英文标题，1–200 字符。"))
    summary: str = strawberry.field(description=("What the project will do and deliver. 项目内容和预期成果。"))
    proposer_unit: str = strawberry.field(description=("Your member unit's name. 申报单位（本人所在成员单位）名称。"))
    lead_unit: str | None = strawberry.field(default=None, description="The unit leading the work; defaults to the proposer unit. 牵头单位；默认为申报单位。")


@strawberry.input(description="Approve (立项) a proposed project. 批准立项。")
class ApproveProjectInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Project (`Project.id`). 项目的全局 ID（`Project.id`）。"))
    reason: str | None = strawberry.field(default=None, description=("Optional note, kept in the event history and sent in the notifications. 可选说明，记入事"
             "件历史并随通知发送。"))


@strawberry.input(description="Reject a proposed project; the reason is required. 不予立项；须说明原因。")
class RejectProjectInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Project (`Project.id`). 项目的全局 ID（`Project.id`）。"))
    reason: str = strawberry.field(description=("Why, required: kept in the event history and sent in the notifications. 原因（必填），记"
             "入事件历史并随通知发送。"))


@strawberry.input(description=("Open the public notice (公示) for the zone's notice period (办法 第十一条). 开始公示，公示期为本区规定天数（"
         "办法 第十一条）。"))
class OpenProjectNoticeInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Project (`Project.id`). 项目的全局 ID（`Project.id`）。"))
    reason: str | None = strawberry.field(default=None, description=("Optional note, kept in the event history and sent in the notifications. 可选说明，记入事"
             "件历史并随通知发送。"))


@strawberry.input(description="Start the work once the public notice has passed. 公示期满后启动项目。")
class StartProjectInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Project (`Project.id`). 项目的全局 ID（`Project.id`）。"))
    reason: str | None = strawberry.field(default=None, description=("Optional note, kept in the event history and sent in the notifications. 可选说明，记入事"
             "件历史并随通知发送。"))


@strawberry.input(description=("Ask the zone's office to adjust a project in progress (content, units, schedule). 申请调整在研"
     "项目（内容、单位、进度）。"))
class RequestProjectAdjustmentInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Project (`Project.id`). 项目的全局 ID（`Project.id`）。"))
    reason: str = strawberry.field(description=("What should change, and why (required). 调整内容及原因（必填）。"))


@strawberry.input(description="Approve a requested adjustment: back to in progress. 同意调整：项目回到在研状态。")
class ApproveProjectAdjustmentInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Project (`Project.id`). 项目的全局 ID（`Project.id`）。"))
    reason: str | None = strawberry.field(default=None, description=("Optional note, kept in the event history and sent in the notifications. 可选说明，记入事"
             "件历史并随通知发送。"))


@strawberry.input(description=("Refuse a requested adjustment: this terminates the project. 不同意调整：项目终止。"))
class RefuseProjectAdjustmentInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Project (`Project.id`). 项目的全局 ID（`Project.id`）。"))
    reason: str = strawberry.field(description=("Why, required: kept in the event history and sent in the notifications. 原因（必填），记"
             "入事件历史并随通知发送。"))


@strawberry.input(description="Terminate a project in progress. 终止在研项目。")
class TerminateProjectInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Project (`Project.id`). 项目的全局 ID（`Project.id`）。"))
    reason: str = strawberry.field(description=("Why, required: kept in the event history and sent in the notifications. 原因（必填），记"
             "入事件历史并随通知发送。"))


@strawberry.input(description="Submit the closure report (结题). 提交结题报告。")
class SubmitProjectClosureInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Project (`Project.id`). 项目的全局 ID（`Project.id`）。"))
    closure_report: str = strawberry.field(description=("The closure report: results, outputs, use of funds. 结题报告：成果、产出、经费使用。"))
    reason: str | None = strawberry.field(default=None, description=("Optional note, kept in the event history and sent in the notifications. 可选说明，记入事"
             "件历史并随通知发送。"))


@strawberry.input(description="Accept the closure report: the project is closed. 通过结题：项目结题。")
class PassProjectClosureInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Project (`Project.id`). 项目的全局 ID（`Project.id`）。"))
    reason: str | None = strawberry.field(default=None, description=("Optional note, kept in the event history and sent in the notifications. 可选说明，记入事"
             "件历史并随通知发送。"))


@strawberry.input(description=("Return the closure report for rework: back to in progress. 退回结题报告修改：项目回到在研状态。"))
class ReturnProjectClosureInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Project (`Project.id`). 项目的全局 ID（`Project.id`）。"))
    reason: str = strawberry.field(description=("Why, required: kept in the event history and sent in the notifications. 原因（必填），记"
             "入事件历史并随通知发送。"))


@strawberry.input(description="Archive a closed project. 将已结题项目归档。")
class ArchiveProjectInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the Project (`Project.id`). 项目的全局 ID（`Project.id`）。"))
    reason: str | None = strawberry.field(default=None, description=("Optional note, kept in the event history and sent in the notifications. 可选说明，记入事"
             "件历史并随通知发送。"))


@strawberry.input(description=("Ask to join a project on public notice or in progress (any zone). 申请加入公示中或在研的项目（任何试验"
         "区均可）。"))
class RequestToJoinProjectInput:
    project_id: relay.GlobalID = strawberry.field(description="Global ID of the Project (`Project.id`). 项目的全局 ID（`Project.id`）。")
    unit_name: str = strawberry.field(description="The unit you would join for. 以哪个单位的名义加入。")
    note: str | None = strawberry.field(default=None, description="Your message to the proposer. 给申报人的留言。")


@strawberry.input(description=("Accept a request to join: the unit and the person join the working group. 同意加入申请：单位和个人加入"
     "工作组。"))
class AcceptJoinRequestInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the JoinRequest (`JoinRequest.id`). 加入申请的全局 ID（`JoinRequest.id`）。"))
    reason: str | None = strawberry.field(default=None, description=("Optional note, kept in the event history and sent in the notifications. 可选说明，记入事"
             "件历史并随通知发送。"))


@strawberry.input(description="Decline a request to join. 拒绝加入申请。")
class DeclineJoinRequestInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the JoinRequest (`JoinRequest.id`). 加入申请的全局 ID（`JoinRequest.id`）。"))
    reason: str | None = strawberry.field(default=None, description=("Optional note, kept in the event history and sent in the notifications. 可选说明，记入事"
             "件历史并随通知发送。"))


@strawberry.input(description=("Add to the working group a unit (no userId) or a person (userId required). 向工作组添加单位（"
         "不填 userId）或个人（须填 userId）。"))
class AddWorkingGroupMemberInput:
    project_id: relay.GlobalID = strawberry.field(description="Global ID of the Project (`Project.id`). 项目的全局 ID（`Project.id`）。")
    role: WorkingGroupRole = strawberry.field(description=(
             "Role in the group: units are lead_unit or participating_unit, people leader, "
             "drafter or member. 在工作组中的角色：单位为 lead_unit 或 participating_unit，个人为 leader、"
             "drafter 或 member。"))
    unit_name: str = strawberry.field(description=("The unit's name (for a person: the unit they work for). 单位名称（个人则为其所在单位）。"))
    user_id: relay.GlobalID | None = strawberry.field(default=None, description=("Global ID of the person's account (`User.id`); omit for a unit. 个人账户的全局 ID（"
             "`User.id`）；添加单位时省略。"))


@strawberry.input(description=("Remove a unit or a person from the working group; the lead unit stays. 从工作组移除单位或个人；牵头单位不"
     "可移除。"))
class RemoveWorkingGroupMemberInput:
    id: relay.GlobalID = strawberry.field(description=("Global ID of the WorkingGroupMember (`WorkingGroupMember.id`). 工作组成员的全局 ID（"
             "`WorkingGroupMember.id`）。"))


@strawberry.input(description="Filters of `projects`; all optional, combined with AND. `projects` 的筛选条件；均可选，按“与”组合。")
class ProjectFilterInput:
    kind: ProjectKind | None = strawberry.field(default=None, description="Only this kind. 仅此类型。")
    state: ProjectState | None = strawberry.field(default=None, description="Only this state. 仅此状态。")
    zone: str | None = strawberry.field(default=None, description=(
             "Only projects of this owning zone (slug, e.g. jiangxi). 仅此牵头试验区的项目（slug，如 "
             "jiangxi）。"))
    year: int | None = strawberry.field(default=None, description="Only projects proposed in this year. 仅该年份申报的项目。")
    text: str | None = strawberry.field(default=None, description=(
             "Words found in the titles, summary or unit names (substring, case-insensitive). "
             "在标题、摘要或单位名称中查找的文字（子串匹配，不区分大小写）。"))


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
    @strawberry.field(description=("Projects the viewer may see, in the order proposed: public ones (approved onwards) for "
             "everyone, plus one's own proposals and, for staff, their zone's. 查看者可见的项目，按申报顺序："
             "所有人可见已立项及之后的项目；另可见本人申报的项目，工作人员可见本区项目。"))
    async def projects(self, info: Info, filter: Annotated[ProjectFilterInput | None, strawberry.argument(description="Narrow the list; every field given must match. 筛选条件；所给字段须全部匹配。")] = None, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20,
                       after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None) -> ProjectConnectionResult:
        ctx, f = info.context, filter or ProjectFilterInput()
        filters = service.ProjectFilter(kind=f.kind.value if f.kind else None,
                                        state=f.state.value if f.state else None,
                                        zone=f.zone, year=f.year, text=f.text)
        return await read(info, lambda: service.search(
            ctx.session, ctx.actor, filters=filters, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, Project.from_model))

    @strawberry.field(description=("One project by ID; NotFound if it does not exist or the viewer may not see it. 按 ID "
         "获取项目；不存在或不可见时返回 NotFound。"))
    async def project(self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description="Global ID of the Project (`Project.id`). 项目的全局 ID（`Project.id`）。")]) -> ProjectResult:
        return await read(info, lambda: service.get_project(info.context.session,
                                                            decode_id(id, "Project")),
                          Project.from_model)

    @strawberry.field(description=("Counts of public projects (approved onwards) by kind, zone, state and year, and "
             "their outputs; anonymous (办法 第十二条(三)). 公开项目（已立项及之后）按类型、试验区、状态、年份的统计及其成果；无需登录（办法 "
             "第十二条(三)）。"))
    async def project_statistics(self, info: Info, year: Annotated[int | None, strawberry.argument(description="Only projects proposed in this year (2000–2100). 仅该年份申报的项目（2000–2100）。")] = None,
                                 zone: Annotated[str | None, strawberry.argument(description=(
             "Only projects owned by this zone (slug); unknown slug: ValidationFailed. 仅该试验区（"
             "slug）的项目；未知 slug 返回 ValidationFailed。"))] = None) -> ProjectStatisticsResult:
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
    @strawberry.mutation(description=("Propose a project; a member of the acting zone. It starts as proposed, seen by "
             "the proposer and the zone's staff only. 申报项目；所操作试验区的成员。项目初始状态为“已申报”，仅申报人和本区工作人员可"
             "见。"))
    async def propose_project(self, info: Info, input: Annotated[ProposeProjectInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ProjectResult:
        ctx = info.context
        return await run(info, lambda: service.propose(
            ctx.session, ctx.actor, kind=input.kind.value, title_zh=input.title_zh,
            title_en=input.title_en, summary=input.summary, proposer_unit=input.proposer_unit,
            lead_unit=input.lead_unit), Project.from_model)

    @strawberry.mutation(description=("Staff of the project's zone: proposed → approved; from now on the project is "
             "public. 项目所属试验区工作人员：已申报 → 已立项；此后项目公开。"))
    async def approve_project(self, info: Info, input: Annotated[ApproveProjectInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ProjectResult:
        return await _call(info, service.approve, input)

    @strawberry.mutation(description=("Staff of the project's zone: proposed → rejected (reason required). 项目所属试验区工作人员："
             "已申报 → 不予立项（须说明原因）。"))
    async def reject_project(self, info: Info, input: Annotated[RejectProjectInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ProjectResult:
        return await _call(info, service.reject, input)

    @strawberry.mutation(description=("Staff: approved → public_notice, for the zone's notice period (`noticeEndsOn`). "
             "工作人员：已立项 → 公示中，公示期为本区规定天数（见 `noticeEndsOn`）。"))
    async def open_project_notice(self, info: Info, input: Annotated[OpenProjectNoticeInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ProjectResult:
        return await _call(info, service.open_notice, input)

    @strawberry.mutation(description=("Staff: public_notice → in_progress, after the notice has passed (else "
             "Conflict). 工作人员：公示中 → 在研，须公示期满（否则返回 Conflict）。"))
    async def start_project(self, info: Info, input: Annotated[StartProjectInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ProjectResult:
        return await _call(info, service.start, input)

    @strawberry.mutation(description=("Proposer or leader: in_progress → adjustment_requested. 申报人或负责人：在研 → 申请调整。"))
    async def request_project_adjustment(self, info: Info, input: Annotated[RequestProjectAdjustmentInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                         ) -> ProjectResult:
        return await _call(info, service.request_adjustment, input)

    @strawberry.mutation(description=("Staff: adjustment_requested → in_progress. 工作人员：申请调整 → 在研。"))
    async def approve_project_adjustment(self, info: Info, input: Annotated[ApproveProjectAdjustmentInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                         ) -> ProjectResult:
        return await _call(info, service.approve_adjustment, input)

    @strawberry.mutation(description=("Staff: adjustment_requested → terminated (reason required). 工作人员：申请调整 → 终止（须说明原因"
             "）。"))
    async def refuse_project_adjustment(self, info: Info, input: Annotated[RefuseProjectAdjustmentInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                        ) -> ProjectResult:
        return await _call(info, service.refuse_adjustment, input)

    @strawberry.mutation(description=("Staff: in_progress → terminated (reason required). 工作人员：在研 → 终止（须说明原因）。"))
    async def terminate_project(self, info: Info, input: Annotated[TerminateProjectInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ProjectResult:
        return await _call(info, service.terminate, input)

    @strawberry.mutation(description=("Proposer or leader: in_progress → closure_submitted, with the report. 申报人或负责人：在研"
             " → 已提交结题，附结题报告。"))
    async def submit_project_closure(self, info: Info, input: Annotated[SubmitProjectClosureInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                     ) -> ProjectResult:
        return await _call(info, service.submit_closure, input, closure_report=input.closure_report)

    @strawberry.mutation(description="Staff: closure_submitted → closed. 工作人员：已提交结题 → 已结题。")
    async def pass_project_closure(self, info: Info, input: Annotated[PassProjectClosureInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ProjectResult:
        return await _call(info, service.pass_closure, input)

    @strawberry.mutation(description=("Staff: closure_submitted → in_progress (reason required). 工作人员：已提交结题 → 在研（退回修改，须"
             "说明原因）。"))
    async def return_project_closure(self, info: Info, input: Annotated[ReturnProjectClosureInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                     ) -> ProjectResult:
        return await _call(info, service.return_closure, input)

    @strawberry.mutation(description="Staff: closed → archived. 工作人员：已结题 → 已归档。")
    async def archive_project(self, info: Info, input: Annotated[ArchiveProjectInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> ProjectResult:
        return await _call(info, service.archive, input)

    @strawberry.mutation(description=("Ask to join a project's working group; anyone signed in, from any zone; one "
             "pending request per project. 申请加入项目工作组；任何试验区的登录用户均可；每个项目同时只能有一个待处理申请。"))
    async def request_to_join_project(self, info: Info, input: Annotated[RequestToJoinProjectInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                      ) -> JoinRequestResult:
        ctx = info.context
        return await run(info, lambda: membership.request_to_join(
            ctx.session, ctx.actor, project_id=decode_id(input.project_id, "Project", "projectId"),
            unit_name=input.unit_name, message=input.note), JoinRequest.from_model)

    @strawberry.mutation(description=("The proposer accepts: the unit and the person join the working group. 申报人同意：单位和个"
             "人加入工作组。"))
    async def accept_join_request(self, info: Info, input: Annotated[AcceptJoinRequestInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> JoinRequestResult:
        ctx = info.context
        return await run(info, lambda: membership.accept_join_request(
            ctx.session, ctx.actor, request_id=decode_id(input.id, "JoinRequest"),
            reason=input.reason), JoinRequest.from_model)

    @strawberry.mutation(description="The proposer declines a request to join. 申报人拒绝加入申请。")
    async def decline_join_request(self, info: Info, input: Annotated[DeclineJoinRequestInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                   ) -> JoinRequestResult:
        ctx = info.context
        return await run(info, lambda: membership.decline_join_request(
            ctx.session, ctx.actor, request_id=decode_id(input.id, "JoinRequest"),
            reason=input.reason), JoinRequest.from_model)

    @strawberry.mutation(description=("Add a unit or a person to the working group; the proposer or the staff of the "
             "project's zone. 向工作组添加单位或个人；申报人或项目所属试验区工作人员。"))
    async def add_working_group_member(self, info: Info, input: Annotated[AddWorkingGroupMemberInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                       ) -> WorkingGroupMemberResult:
        ctx = info.context
        return await run(info, lambda: membership.add_member(
            ctx.session, ctx.actor, project_id=decode_id(input.project_id, "Project", "projectId"),
            role=input.role.value, unit_name=input.unit_name,
            user_id=decode_id(input.user_id, "User", "userId") if input.user_id else None),
            WorkingGroupMember.from_model)

    @strawberry.mutation(description=("Remove a unit or a person from the working group; the proposer or the staff of "
             "the project's zone; the lead unit stays. 从工作组移除单位或个人；申报人或项目所属试验区工作人员；牵头单位不可移除。"))
    async def remove_working_group_member(self, info: Info, input: Annotated[RemoveWorkingGroupMemberInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                          ) -> WorkingGroupMemberResult:
        ctx = info.context
        return await run(info, lambda: membership.remove_member(
            ctx.session, ctx.actor, member_id=decode_id(input.id, "WorkingGroupMember")),
            WorkingGroupMember.from_model)
