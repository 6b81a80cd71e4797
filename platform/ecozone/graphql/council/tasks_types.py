"""GraphQL types of resolutions carried out (章程 第九条(二), 第十三条(三), 第十六条(三)) and of member units'
yearly ratings (第十四条(一))."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.governance import clock
from ecozone.governance import resolution_rules as rules
from ecozone.governance.models import CouncilTask as TaskModel
from ecozone.governance.models import MemberUnit as UnitModel
from ecozone.governance.models import Motion as MotionModel
from ecozone.governance.models import Officer as OfficerModel
from ecozone.governance.models import UnitRating as RatingModel
from ecozone.graphql.common import Connection, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.council.meetings_types import CouncilMotion
from ecozone.graphql.council.units_types import CouncilMemberUnit, CouncilOfficer
from ecozone.graphql.results import Conflict, NotFound, PermissionDenied, ValidationFailed

CouncilTaskState = strawberry.enum(Enum("CouncilTaskState", {s.upper(): s for s in rules.TASK_STATES}), description=(
    "OPEN 进行中 (overdue once past its due date) · DONE 已完成. 任务状态：进行中（过期即逾期）· 已完成。"))
CouncilUnitRatingValue = strawberry.enum(Enum("CouncilUnitRatingValue", {r.upper(): r for r in rules.RATINGS}),
                                         description=("A unit's performance over a year: GOOD 表现良好 · FAIR 表现一般 · "
                                                      "POOR 表现较差 (two years running: 第十四条(一)). 成员单位年度表现评价。"))


@strawberry.type(description=(
    "A task a passed motion gave to a member unit or an officer, with its due date (章程 第九条(二), 第十三条(三)); "
    "the zone's council only. 已通过动议分配给成员单位或负责人的任务及其完成期限（章程第九条(二)、第十三条(三)）；仅本区理事会可见。"))
class CouncilTask(relay.Node):
    id: relay.NodeID[int]
    title_zh: str = strawberry.field(description="What is to be done, in Chinese. 任务内容（中文）。")
    title_en: str = strawberry.field(description="What is to be done, in English. 任务内容（英文）。")
    due_on: dt.date = strawberry.field(description="The last day to carry it out. 完成期限（最后一天）。")
    state: CouncilTaskState = strawberry.field(description="Open or done. 进行中或已完成。")
    done_on: dt.date | None = strawberry.field(description="Day reported done; null while open. 报告完成的日期；进行中为 null。")
    report: str | None = strawberry.field(description="What was done, as reported; null while open. 完成情况报告；进行中为 null。")
    model: strawberry.Private[TaskModel]

    @classmethod
    def from_model(cls, t: TaskModel) -> CouncilTask:
        return cls(id=t.id, title_zh=t.title_zh, title_en=t.title_en, due_on=t.due_on,
                   state=CouncilTaskState(t.state), done_on=t.done_on, report=t.report, model=t)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        if not info.context.actor.can("council_task", "read"):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, TaskModel, list(node_ids))]

    @strawberry.field(description=("True when open past its due date (China's date); the due date itself is in "
                                   "time. 进行中且已过完成期限（北京时间）时为 true；期限当日不算逾期。"))
    def overdue(self) -> bool:
        return rules.is_overdue(state=self.model.state, due_on=self.model.due_on, today=clock.today())

    @strawberry.field(description="Days past the due date; 0 when not overdue. 逾期天数；未逾期为 0。")
    def days_overdue(self) -> int:
        if not rules.is_overdue(state=self.model.state, due_on=self.model.due_on, today=clock.today()):
            return 0
        return rules.days_overdue(self.model.due_on, clock.today())

    @strawberry.field(description="The passed motion that assigned it. 分配该任务的已通过动议。")
    async def motion(self, info: Info) -> CouncilMotion:
        return CouncilMotion.from_model(await info.context.loaders.by_id(MotionModel).load(self.model.motion_id))

    @strawberry.field(description="The member unit it was given to; null when given to an officer. 承担任务的成员单位；分配给负责人时为 null。")
    async def member_unit(self, info: Info) -> CouncilMemberUnit | None:
        if self.model.member_unit_id is None:
            return None
        return CouncilMemberUnit.from_model(await info.context.loaders.by_id(UnitModel).load(self.model.member_unit_id))

    @strawberry.field(description="The officer it was given to; null when given to a unit. 承担任务的负责人；分配给成员单位时为 null。")
    async def officer(self, info: Info) -> CouncilOfficer | None:
        if self.model.officer_id is None:
            return None
        return CouncilOfficer.from_model(await info.context.loaders.by_id(OfficerModel).load(self.model.officer_id))


@strawberry.type(description=("A member unit's performance over one year as the secretariat assessed it (第十四条(一)). "
                              "秘书处对成员单位某一年度表现的评价（第十四条(一)）。"))
class CouncilUnitRating:
    year: int = strawberry.field(description="The year rated. 评价年度。")
    rating: CouncilUnitRatingValue = strawberry.field(description="Good, fair or poor. 良好、一般或较差。")
    note: str | None = strawberry.field(description="Why, if said; null otherwise. 评价说明；未填写时为 null。")
    model: strawberry.Private[RatingModel]

    @classmethod
    def from_model(cls, r: RatingModel) -> CouncilUnitRating:
        return cls(year=r.year, rating=CouncilUnitRatingValue(r.rating), note=r.note, model=r)

    @strawberry.field(description="The rating's name in Chinese, e.g. 表现较差. 评价中文名称。")
    def rating_name_zh(self) -> str:
        return rules.RATING_LABELS[self.model.rating][0]

    @strawberry.field(description="The rating's name in English, e.g. Poor. 评价英文名称。")
    def rating_name_en(self) -> str:
        return rules.RATING_LABELS[self.model.rating][1]

    @strawberry.field(description="The member unit rated. 被评价的成员单位。")
    async def member_unit(self, info: Info) -> CouncilMemberUnit:
        return CouncilMemberUnit.from_model(await info.context.loaders.by_id(UnitModel).load(self.model.member_unit_id))


def _result(type_, name: str):
    type_name = type_.__name__
    return Annotated[type_ | PermissionDenied | ValidationFailed | NotFound | Conflict, strawberry.union(name, description=(
        f"{type_name} on success, else why not: PermissionDenied, ValidationFailed, NotFound, Conflict. Select "
        f"`... on {type_name}` and `... on Failure {{ code message messageZh }}`. 成功时为 {type_name}，否则为失败原因"
        "（PermissionDenied 无权限、ValidationFailed 输入无效、NotFound 不存在或不可见、Conflict 当前状态不允许）。"))]


CouncilTaskResult = _result(CouncilTask, "CouncilTaskResult")
CouncilUnitRatingResult = _result(CouncilUnitRating, "CouncilUnitRatingResult")
CouncilTaskConnectionResult = Annotated[Connection[CouncilTask] | PermissionDenied | ValidationFailed | NotFound,
                                        strawberry.union("CouncilTaskConnectionResult", description=(
                                            "CouncilTaskConnection on success, else why not: PermissionDenied, "
                                            "ValidationFailed, NotFound (the motion named does not exist or is not "
                                            "visible). 成功时为 CouncilTaskConnection，否则为失败原因（PermissionDenied "
                                            "无权限、ValidationFailed 输入无效、NotFound 所指动议不存在或不可见）。"))]
