"""Resolutions carried out and members' yearly ratings: queries and mutations (章程 第九条(二),
第十三条(三), 第十四条(一), 第十六条(三))."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.governance import tasks
from ecozone.graphql.common import connection, decode_id
from ecozone.graphql.context import Info
from ecozone.graphql.council.tasks_types import (
    CouncilTask,
    CouncilTaskConnectionResult,
    CouncilTaskResult,
    CouncilTaskState,
    CouncilUnitRating,
    CouncilUnitRatingResult,
    CouncilUnitRatingValue,
)
from ecozone.graphql.results import read, run

FIRST = Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")]
AFTER = Annotated[str | None, strawberry.argument(description=(
    "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for the first page. "
    "从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))]


@strawberry.input(description=("Secretariat: record a task a passed motion gives to one member unit or one officer "
                               "(第九条(二), 第十三条(三)). 秘书处：登记已通过动议分配给一家成员单位或一名负责人的任务。"))
class AssignCouncilTaskInput:
    motion_id: relay.GlobalID = strawberry.field(description=(
        "The passed CouncilMotion of this zone that decided the task. 决定该任务的本区已通过动议（CouncilMotion）。"))
    title_zh: str = strawberry.field(description="What is to be done, in Chinese (1–200). 任务内容（中文，1–200 字）。")
    title_en: str = strawberry.field(description="What is to be done, in English (1–300). 任务内容（英文，1–300 字符）。")
    due_on: dt.date = strawberry.field(description=(
        "The last day to carry it out: not before today nor the meeting, within three years. "
        "完成期限：不早于今天和会议日期，且在三年以内。"))
    member_unit_id: relay.GlobalID | None = strawberry.field(default=None, description=(
        "The member unit (`CouncilMemberUnit.id`); give this or officerId. 承担任务的成员单位；与 officerId 二选一。"))
    officer_id: relay.GlobalID | None = strawberry.field(default=None, description=(
        "The officer (`CouncilOfficer.id`); give this or memberUnitId. 承担任务的负责人；与 memberUnitId 二选一。"))


@strawberry.input(description=("The assignee or the secretariat reports a task done. 任务承担方或秘书处报告任务完成。"))
class CompleteCouncilTaskInput:
    task_id: relay.GlobalID = strawberry.field(description="The CouncilTask. 任务（CouncilTask）。")
    report: str = strawberry.field(description="What was done (1–10000). 完成情况（1–10000 字）。")


@strawberry.input(description=("Secretariat: record (or correct) a member unit's performance over a year (第十四条(一)). "
                               "秘书处：登记（或更正）成员单位的年度表现评价（第十四条(一)）。"))
class RateCouncilUnitInput:
    unit_id: relay.GlobalID = strawberry.field(description="The CouncilMemberUnit. 成员单位（CouncilMemberUnit）。")
    year: int = strawberry.field(description="The year rated: since the unit joined, up to this year. 评价年度：入会当年至今年。")
    rating: CouncilUnitRatingValue = strawberry.field(description="Good, fair or poor. 良好、一般或较差。")
    note: str | None = strawberry.field(default=None, description="Why; optional (≤ 2000). 说明；可选（≤2000 字）。")


@strawberry.type
class CouncilTasksQuery:
    @strawberry.field(description=("The zone's council tasks, soonest due first; the zone's director, secretary and "
                                   "members. 本区理事会任务，按期限先后；本区主任、秘书和成员可查看。"))
    async def council_tasks(self, info: Info, state: Annotated[CouncilTaskState | None, strawberry.argument(
            description="Only tasks in this state. 仅该状态的任务。")] = None,
            motion_id: Annotated[relay.GlobalID | None, strawberry.argument(
                description="Only the tasks of this CouncilMotion. 仅该动议的任务。")] = None,
            first: FIRST = 20, after: AFTER = None) -> CouncilTaskConnectionResult:
        ctx = info.context
        return await read(info, lambda: tasks.tasks_page(
            ctx.session, ctx.actor, state=state.value if state else None,
            motion_id=decode_id(motion_id, "CouncilMotion", "motionId") if motion_id else None, first=first,
            after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, CouncilTask.from_model))

    @strawberry.field(description=(
        "Open tasks past their due date, most overdue first: for the sitting chair and secretary-general "
        "(第十六条(三)) and the secretariat. 已逾期的进行中任务，逾期最久的在前：在任理事长、秘书长（第十六条(三)）和秘书处可查看。"))
    async def overdue_council_tasks(self, info: Info, first: FIRST = 20, after: AFTER = None
                                    ) -> CouncilTaskConnectionResult:
        ctx = info.context
        return await read(info, lambda: tasks.overdue_page(
            ctx.session, ctx.actor, first=first, after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, CouncilTask.from_model))


@strawberry.type
class CouncilTasksMutation:
    @strawberry.mutation(description=("Secretariat: record a task given by a passed motion. 秘书处：登记已通过动议分配的任务。"))
    async def assign_council_task(self, info: Info, input: Annotated[AssignCouncilTaskInput, strawberry.argument(
            description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilTaskResult:
        ctx = info.context
        return await run(info, lambda: tasks.assign_task(
            ctx.session, ctx.actor, motion_id=decode_id(input.motion_id, "CouncilMotion", "motionId"),
            title_zh=input.title_zh, title_en=input.title_en, due_on=input.due_on,
            member_unit_id=decode_id(input.member_unit_id, "CouncilMemberUnit", "memberUnitId")
            if input.member_unit_id else None,
            officer_id=decode_id(input.officer_id, "CouncilOfficer", "officerId") if input.officer_id else None),
            CouncilTask.from_model)

    @strawberry.mutation(description=("The assignee (the unit's representative, the officer) or the secretariat reports a "
                                      "task done; a unit's task done counts as its activity (第十四条(一)). 任务承担方或秘书处"
                                      "报告任务完成；成员单位完成任务计为其参加活动（第十四条(一)）。"))
    async def complete_council_task(self, info: Info, input: Annotated[CompleteCouncilTaskInput, strawberry.argument(
            description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilTaskResult:
        ctx = info.context
        return await run(info, lambda: tasks.complete_task(
            ctx.session, ctx.actor, task_id=decode_id(input.task_id, "CouncilTask", "taskId"), report=input.report),
            CouncilTask.from_model)

    @strawberry.mutation(description=("Secretariat: record a member unit's yearly rating; two years running rated poor "
                                      "lists it among the candidates for exit (第十四条(一)). 秘书处：登记成员单位年度表现评价；"
                                      "连续两年较差即列为可能退出的单位（第十四条(一)）。"))
    async def rate_council_unit(self, info: Info, input: Annotated[RateCouncilUnitInput, strawberry.argument(
            description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilUnitRatingResult:
        ctx = info.context
        return await run(info, lambda: tasks.rate_unit(
            ctx.session, ctx.actor, unit_id=decode_id(input.unit_id, "CouncilMemberUnit", "unitId"), year=input.year,
            rating=input.rating.value, note=input.note), CouncilUnitRating.from_model)
