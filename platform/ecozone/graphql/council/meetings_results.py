"""GraphQL types of the council's public disclosure (CouncilPublication, 第三十条), the general-meeting
check (第十八条), the agenda deadline refusal (第二十一条) and the result unions of council meetings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any

import strawberry
from strawberry import relay

from ecozone.governance.minutes import GeneralMeetingCheck
from ecozone.governance.models import CouncilPublication as PublicationModel
from ecozone.graphql.common import Connection, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.council.meetings_types import (
    CouncilAgendaItem,
    CouncilMeeting,
    CouncilMeetingKind,
    CouncilMinutes,
    CouncilMotion,
    CouncilMotionKind,
    CouncilQuorum,
    CouncilTally,
    _utc,
)
from ecozone.governance.working_days import LateAgendaItem
from ecozone.graphql.results import (
    EVERY_FAILURE,
    Conflict,
    Failure,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    result_union,
)
from ecozone.graphql.zones import Zone, load_zone


@strawberry.type(description="Attendance at the opening, as disclosed. 公开的开会时出席情况。")
class CouncilPublishedAttendance:
    present: int | None = strawberry.field(description=("Member units present; null if the meeting never opened. 出席成员单位数；会议未召开时为 null。"))
    members: int | None = strawberry.field(description=("Active member units; null if the meeting never opened. 正式成员单位总数；会议未召开时为 null。"))
    vice_chairs_present: int | None = strawberry.field(description="Vice-chairs present; null if the meeting never opened. 出席副理事长人数；会议未召开时为 null。")


@strawberry.type(description=("A disclosed resolution: counts and the rule applied, never who voted how. 公开的决议：票数和所"
         "适用规则，不公开各单位如何投票。"))
class CouncilResolution:
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    kind: CouncilMotionKind = strawberry.field(description="Ordinary or major. 一般事项或重大事项。")
    passed: bool = strawberry.field(description="Whether it passed. 是否通过。")
    yes: int = strawberry.field(description="Yes votes. 赞成票数。")
    no: int = strawberry.field(description="No votes. 反对票数。")
    abstain: int = strawberry.field(description="Abstentions. 弃权票数。")
    base: int = strawberry.field(description=("The base of the majority (present or all members). 多数的基数（出席或全体成员）。"))
    needed: int = strawberry.field(description="Yes votes needed to pass. 通过所需赞成票数。")
    rule_zh: str = strawberry.field(description="The rule applied, in Chinese. 所适用规则（中文）。")
    rule_en: str = strawberry.field(description="The rule applied, in English. 所适用规则（英文）。")

    @classmethod
    def of(cls, r: dict[str, Any]) -> CouncilResolution:
        return cls(title_zh=r["titleZh"], title_en=r["titleEn"], kind=CouncilMotionKind(r["kind"]),
                   passed=r["passed"], yes=r["yes"], no=r["no"], abstain=r["abstain"], base=r["base"],
                   needed=r["needed"], rule_zh=r["ruleZh"], rule_en=r["ruleEn"])


@strawberry.type(description=("Disclosed minutes and resolutions of a council meeting (第三十条): public, final. 公开的理事会"
         "会议纪要和决议（第三十条）：公开、定稿。"))
class CouncilPublication(relay.Node):
    id: relay.NodeID[int]
    kind: CouncilMeetingKind = strawberry.field(description="General or ad hoc meeting. 全体会议或临时会议。")
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    meets_on: dt.date = strawberry.field(description="Date of the meeting. 会议日期。")
    discussion: str = strawberry.field(description="The minutes' discussion text. 会议纪要的讨论内容。")
    attendance: CouncilPublishedAttendance = strawberry.field(description="Attendance at the opening. 开会时出席情况。")
    resolutions: list[CouncilResolution] = strawberry.field(description="The resolutions counted, in the order proposed. 已计票的决议，按提出顺序。")
    published_at: dt.datetime = strawberry.field(description="When the minutes were published (ISO 8601 with offset). 纪要发布时间（ISO 8601，含时区偏移）。")
    zone_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, p: PublicationModel) -> CouncilPublication:
        a = p.attendance or {}
        return cls(id=p.id, kind=CouncilMeetingKind(p.kind), title_zh=p.title_zh, title_en=p.title_en,
                   meets_on=p.meets_on, discussion=p.discussion, published_at=_utc(p.published_at), zone_id=p.zone_id,
                   attendance=CouncilPublishedAttendance(present=a.get("present"), members=a.get("members"),
                                                         vice_chairs_present=a.get("viceChairsPresent")),
                   resolutions=[CouncilResolution.of(r) for r in p.resolutions or []])

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, PublicationModel, list(node_ids))]

    @strawberry.field(description="The zone whose council met. 召开会议的试验区理事会。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)


@strawberry.type(description=("Years without a general meeting held since the council started (第十八条). 理事会成立以来未召开全体会"
         "议的年份（第十八条）。"))
class CouncilGeneralMeetingCheck:
    warned: bool = strawberry.field(description=("True when a past year had no general meeting (第十八条: at least one a year). 是否有往年未"
             "召开全体会议（第十八条：每年至少一次）。"))
    missing_years: list[int] = strawberry.field(description="Past years without a general meeting held. 未召开全体会议的往年。")
    message_zh: str | None = strawberry.field(description="The warning in Chinese; null when none. 提醒（中文）；无提醒时为 null。")
    message_en: str | None = strawberry.field(description="The warning in English; null when none. 提醒（英文）；无提醒时为 null。")

    @classmethod
    def of(cls, c: GeneralMeetingCheck) -> CouncilGeneralMeetingCheck:
        return cls(warned=c.warned, missing_years=c.missing_years, message_zh=c.message_zh,
                   message_en=c.message_en)


CouncilMeetingResult = result_union("CouncilMeetingResult", CouncilMeeting, *EVERY_FAILURE)
@strawberry.type(description=(
    "An agenda item refused as late (第二十一条), with the dates as data: the meeting's date and the last day an "
    "item could be submitted (null when submitted on or after the meeting day). code agenda_late. 议题因逾期被拒"
    "（第二十一条），并以数据给出日期：会议日期和议题提交的最后一天（在会议当日或之后提交时为 null）。code 为 agenda_late。"))
class CouncilAgendaDeadlinePassed(Failure):
    meets_on: dt.date = strawberry.field(description="The meeting's date. 会议日期。")
    last_allowed_on: dt.date | None = strawberry.field(description=(
        "The last day an item could be submitted; null when the refusal is that the meeting day has come. "
        "议题提交的最后一天；因会议当日已到而被拒时为 null。"))

    @classmethod
    def of(cls, late: LateAgendaItem) -> CouncilAgendaDeadlinePassed:
        return cls(code=late.code, message=late.message_en, message_zh=late.message_zh,
                   meets_on=late.meeting_on, last_allowed_on=late.last_allowed_on)


CouncilAgendaItemResult = Annotated[
    CouncilAgendaItem | CouncilAgendaDeadlinePassed | PermissionDenied | ValidationFailed | NotFound | Conflict,
    strawberry.union("CouncilAgendaItemResult", description=(
        "CouncilAgendaItem on success, else why not: CouncilAgendaDeadlinePassed (late, with the dates), "
        "PermissionDenied, ValidationFailed, NotFound, Conflict. Select `... on CouncilAgendaItem`, `... on "
        "CouncilAgendaDeadlinePassed { lastAllowedOn }` and `... on Failure { code message messageZh }`. 成功时为 "
        "CouncilAgendaItem，否则为失败原因（CouncilAgendaDeadlinePassed 逾期并给出日期、PermissionDenied 无权限、"
        "ValidationFailed 输入无效、NotFound 不存在或不可见、Conflict 当前状态不允许）。"))]
CouncilQuorumResult = result_union("CouncilQuorumResult", CouncilQuorum, *EVERY_FAILURE)
CouncilMotionResult = result_union("CouncilMotionResult", CouncilMotion, *EVERY_FAILURE)
CouncilTallyResult = result_union("CouncilTallyResult", CouncilTally, *EVERY_FAILURE)
CouncilMinutesResult = result_union("CouncilMinutesResult", CouncilMinutes, *EVERY_FAILURE)
CouncilPublicationResult = result_union("CouncilPublicationResult", CouncilPublication, *EVERY_FAILURE)
CouncilGeneralMeetingCheckResult = result_union("CouncilGeneralMeetingCheckResult", CouncilGeneralMeetingCheck,
                                                *EVERY_FAILURE)
CouncilMeetingConnectionResult = result_union("CouncilMeetingConnectionResult", Connection[CouncilMeeting],
                                              PermissionDenied, ValidationFailed)
CouncilPublicationConnectionResult = result_union("CouncilPublicationConnectionResult", Connection[CouncilPublication],
                                                  PermissionDenied, ValidationFailed)
