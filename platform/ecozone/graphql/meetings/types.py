"""GraphQL types of joint meetings: series, meetings, invitations, attendance, materials,
decisions, follow-up items, the calendar feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum

import strawberry
from strawberry import relay

from ecozone.graphql.common import Connection, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.results import (
    EVERY_FAILURE,
    result_union,
)
from ecozone.graphql.zones import User, Zone, load_user, load_zone
from ecozone.meetings import rules
from ecozone.meetings.models import JointMeeting as MeetingModel
from ecozone.meetings.models import MeetingAttendance as AttendanceModel
from ecozone.meetings.models import MeetingDecision as DecisionModel
from ecozone.meetings.models import MeetingFollowUp as FollowUpModel
from ecozone.meetings.models import MeetingInvitation as InvitationModel
from ecozone.meetings.models import MeetingMaterial as MaterialModel
from ecozone.meetings.models import MeetingSeries as SeriesModel

JointMeetingKind = strawberry.enum(Enum("JointMeetingKind", {k.upper(): k for k in rules.KINDS}), description=(
    "THEMATIC: a thematic meeting of the coordination mechanism (办法 第四条(一)); REGIONAL: a meeting of the "
    "zones' standardisation authorities and institute heads (第四条(八)). THEMATIC 专题会议（办法 第四条(一)）；"
    "REGIONAL 试验区标准化主管部门负责同志和标准化技术机构院（所）长会（第四条(八)）。"))
FollowUpState = strawberry.enum(Enum("JointMeetingFollowUpState", {s.upper(): s for s in rules.FOLLOW_UP_STATES}),
                                description="OPEN, DONE or DROPPED. 待办、已完成或已撤销。")
FollowUpAction = strawberry.enum(Enum("JointMeetingFollowUpAction", {"COMPLETE": "complete", "DROP": "drop",
                                                                     "REOPEN": "reopen"}), description=(
    "COMPLETE (open → done), DROP (open → dropped), REOPEN (done or dropped → open). COMPLETE 标记完成，DROP "
    "撤销，REOPEN 重新打开。"))


@strawberry.type(description=("A zone or a person invited to every meeting of a series. 受邀参加系列全部会议的试验区或人员。"))
class JointMeetingInvitation:
    invited_at: dt.datetime = strawberry.field(description="When the invitation was made. 邀请时间。")
    zone_id: strawberry.Private[int | None]
    user_id: strawberry.Private[int | None]
    for_zone_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, i: InvitationModel) -> JointMeetingInvitation:
        return cls(invited_at=i.invited_at, zone_id=i.zone_id, user_id=i.user_id, for_zone_id=i.for_zone_id)

    @strawberry.field(description="The zone invited; null for a person's invitation. 受邀试验区；人员邀请时为 null。")
    async def zone(self, info: Info) -> Zone | None:
        return await load_zone(info, self.zone_id) if self.zone_id else None

    @strawberry.field(description=("The person invited; null for a zone's invitation, or when the viewer may not see "
                                   "the account. 受邀人员；试验区邀请或查看者无权查看该账户时为 null。"))
    async def person(self, info: Info) -> User | None:
        return await load_user(info, self.user_id)

    @strawberry.field(description=("For a person: the zone that named them (they attend for it). 人员所代表的试验区（由其指定）。"))
    async def for_zone(self, info: Info) -> Zone | None:
        return await load_zone(info, self.for_zone_id) if self.for_zone_id else None


@strawberry.type(description=("A meeting or a regular series of meetings (its RFC 5545 rule) hosted by one zone, with "
                              "the zones and people invited. Seen by the participating zones' offices and the people "
                              "invited, and by everyone once minutes of one of its meetings are published. 由一个试验区"
                              "主办的会议或定期系列会议（RFC 5545 规则）及其受邀试验区和人员；参会试验区办公室和受邀人员"
                              "可见，其中任一次会议纪要公开后对所有人可见。"))
class JointMeetingSeries(relay.Node):
    id: relay.NodeID[int]
    kind: JointMeetingKind = strawberry.field(description="Which meeting of the Measures. 会议类型。")
    kind_name_zh: str = strawberry.field(description="The kind's name in Chinese. 类型中文名称。")
    kind_name_en: str = strawberry.field(description="The kind's name in English. 类型英文名称。")
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    description: str | None = strawberry.field(description="Purpose and agenda; null if none. 会议说明；无则为 null。")
    location: str | None = strawberry.field(description="Where it meets; null when online only. 会议地点；仅线上时为 null。")
    online_link: str | None = strawberry.field(description="Link to join online; null if none. 线上参会链接；无则为 null。")
    first_start: dt.datetime = strawberry.field(description="Start of the first meeting. 首次会议开始时间。")
    duration_minutes: int = strawberry.field(description="Length of each meeting, in minutes. 每次会议时长（分钟）。")
    time_zone: str = strawberry.field(description=("IANA time zone the rule is kept in (same wall-clock time each "
                                                   "time), e.g. Asia/Shanghai. 规则所用 IANA 时区（每次按当地同一时刻），"
                                                   "如 Asia/Shanghai。"))
    recurrence: str | None = strawberry.field(description=("The RFC 5545 RRULE, e.g. FREQ=YEARLY;COUNT=4; null for one "
                                                           "meeting. RFC 5545 重复规则，如 FREQ=YEARLY;COUNT=4；单次会议为 null。"))
    host_zone_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, s: SeriesModel) -> JointMeetingSeries:
        zh, en = rules.KINDS[s.kind]
        return cls(id=s.id, kind=JointMeetingKind(s.kind), kind_name_zh=zh, kind_name_en=en, title_zh=s.title_zh,
                   title_en=s.title_en, description=s.description, location=s.location, online_link=s.online_link,
                   first_start=s.first_start, duration_minutes=s.duration_minutes, time_zone=s.time_zone,
                   recurrence=s.recurrence, host_zone_id=s.host_zone_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, SeriesModel, list(node_ids))]

    @strawberry.field(description="The host zone. 主办试验区。")
    async def host_zone(self, info: Info) -> Zone:
        return await load_zone(info, self.host_zone_id)

    @strawberry.field(description="Zones and people invited, in the order invited. 受邀试验区和人员，按邀请顺序。")
    async def invitations(self, info: Info) -> list[JointMeetingInvitation]:
        rows = await info.context.loaders.grouped(InvitationModel, "series_id").load(self.id)
        return [JointMeetingInvitation.from_model(i) for i in rows]

    @strawberry.field(description=("The meetings of the series the viewer may see, in time order (at most 40). 系列中查看者"
                                   "可见的各次会议，按时间顺序（最多 40 次）。"))
    async def meetings(self, info: Info) -> list[JointMeeting]:
        rows = await info.context.loaders.grouped(MeetingModel, "series_id", order=(MeetingModel.series_id,
                                                                                    MeetingModel.sequence)).load(self.id)
        return [JointMeeting.from_model(m) for m in rows]


@strawberry.type(description="Who attended, for which zone. 出席人员及其代表的试验区。")
class JointMeetingAttendance:
    present: bool = strawberry.field(description="True: present; false: absent. true 出席，false 缺席。")
    user_id: strawberry.Private[int]
    zone_id: strawberry.Private[int]

    @strawberry.field(description="The person; null when the viewer may not see the account. 人员；查看者无权查看该账户时为 null。")
    async def person(self, info: Info) -> User | None:
        return await load_user(info, self.user_id)

    @strawberry.field(description="The zone they attended for. 其代表的试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)


@strawberry.type(description="A document tabled for a meeting (a link). 会议材料（链接）。")
class JointMeetingMaterial:
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    url: str = strawberry.field(description="Where to read it (http or https). 材料链接（http 或 https）。")
    added_at: dt.datetime = strawberry.field(description="When it was tabled. 提交时间。")
    zone_id: strawberry.Private[int]

    @strawberry.field(description="The zone that tabled it. 提交材料的试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)


@strawberry.type(description="A decision recorded in the minutes. 会议纪要记载的决定。")
class JointMeetingDecision:
    number: int = strawberry.field(description="Its number in the minutes, from 1. 在纪要中的编号，从 1 开始。")
    text_zh: str = strawberry.field(description="The decision in Chinese. 决定内容（中文）。")
    text_en: str = strawberry.field(description="The decision in English. 决定内容（英文）。")


@strawberry.type(description=("Work the minutes assign to one participating zone, with a due date and a state; seen "
                              "with its meeting. 会议议定、交由某一参会试验区办理的事项，含办理期限和状态；与所属会议同样可见。"))
class JointMeetingFollowUp(relay.Node):
    id: relay.NodeID[int]
    title_zh: str = strawberry.field(description="What is to be done, in Chinese. 事项（中文）。")
    title_en: str = strawberry.field(description="What is to be done, in English. 事项（英文）。")
    due_on: dt.date = strawberry.field(description="Due date (a day in China). 办理期限。")
    state: FollowUpState = strawberry.field(description="Open, done or dropped. 待办、已完成或已撤销。")
    decision_number: int | None = strawberry.field(description=("The decision it carries out (`JointMeetingDecision.number`); "
                                                                "null if none. 所落实决定的编号；无则为 null。"))
    state_changed_at: dt.datetime | None = strawberry.field(description="When its state last changed; null if never. 状态最近变更时间；未变更时为 null。")
    zone_id: strawberry.Private[int]
    meeting_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, f: FollowUpModel) -> JointMeetingFollowUp:
        return cls(id=f.id, title_zh=f.title_zh, title_en=f.title_en, due_on=f.due_on, state=FollowUpState(f.state),
                   decision_number=f.decision_number, state_changed_at=f.state_changed_at, zone_id=f.zone_id,
                   meeting_id=f.meeting_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, FollowUpModel, list(node_ids))]

    @strawberry.field(description="The zone it is assigned to. 承办试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)

    @strawberry.field(description="The meeting that decided it. 议定该事项的会议。")
    async def meeting(self, info: Info) -> JointMeeting:
        return JointMeeting.from_model(await info.context.loaders.by_id(MeetingModel).load(self.meeting_id))


@strawberry.type(description=("One meeting of a series: its time, attendance, materials and minutes. Seen by the "
                              "participating zones' offices and the people invited until the host publishes its "
                              "minutes, then by everyone. 系列中的一次会议：时间、出席、材料和纪要；主办方公开纪要前仅参会"
                              "试验区办公室和受邀人员可见，之后对所有人可见。"))
class JointMeeting(relay.Node):
    id: relay.NodeID[int]
    sequence: int = strawberry.field(description="Its place in the series, from 1. 在系列中的序号，从 1 开始。")
    starts_at: dt.datetime = strawberry.field(description="Start (ISO 8601 with offset). 开始时间（ISO 8601，含时区偏移）。")
    ends_at: dt.datetime = strawberry.field(description="End (ISO 8601 with offset). 结束时间（ISO 8601，含时区偏移）。")
    minutes_summary: str | None = strawberry.field(description="The minutes' text; null until written. 会议纪要正文；未撰写时为 null。")
    minutes_published_at: dt.datetime | None = strawberry.field(description=("When the host published the minutes (the "
                                                                             "meeting is public since); null before. 主办方公开纪要的"
                                                                             "时间（此后会议公开）；公开前为 null。"))
    series_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, m: MeetingModel) -> JointMeeting:
        return cls(id=m.id, sequence=m.sequence, starts_at=m.starts_at, ends_at=m.ends_at,
                   minutes_summary=m.minutes_summary, minutes_published_at=m.minutes_published_at,
                   series_id=m.series_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, MeetingModel, list(node_ids))]

    @strawberry.field(description="The series. 所属系列。")
    async def series(self, info: Info) -> JointMeetingSeries:
        return JointMeetingSeries.from_model(await info.context.loaders.by_id(SeriesModel).load(self.series_id))

    @strawberry.field(description="Attendance recorded by the host. 主办方登记的出席情况。")
    async def attendance(self, info: Info) -> list[JointMeetingAttendance]:
        rows = await info.context.loaders.grouped(AttendanceModel, "meeting_id").load(self.id)
        return [JointMeetingAttendance(present=a.present, user_id=a.user_id, zone_id=a.zone_id) for a in rows]

    @strawberry.field(description="Materials, in the order tabled. 会议材料，按提交顺序。")
    async def materials(self, info: Info) -> list[JointMeetingMaterial]:
        rows = await info.context.loaders.grouped(MaterialModel, "meeting_id").load(self.id)
        return [JointMeetingMaterial(title_zh=m.title_zh, title_en=m.title_en, url=m.url, added_at=m.added_at,
                                     zone_id=m.zone_id) for m in rows]

    @strawberry.field(description="The minutes' decisions, by number. 纪要中的决定，按编号。")
    async def decisions(self, info: Info) -> list[JointMeetingDecision]:
        rows = await info.context.loaders.grouped(DecisionModel, "meeting_id", order=(DecisionModel.meeting_id,
                                                                                      DecisionModel.number)).load(self.id)
        return [JointMeetingDecision(number=d.number, text_zh=d.text_zh, text_en=d.text_en) for d in rows]

    @strawberry.field(description="Follow-up items assigned to zones. 交由各试验区办理的议定事项。")
    async def follow_ups(self, info: Info) -> list[JointMeetingFollowUp]:
        rows = await info.context.loaders.grouped(FollowUpModel, "meeting_id").load(self.id)
        return [JointMeetingFollowUp.from_model(f) for f in rows]


@strawberry.type(description=("The signed-in person's calendar feed: subscribe to `url` in a calendar application. "
                              "本人的日历订阅：在日历应用中订阅 `url`。"))
class CalendarFeed:
    url: str | None = strawberry.field(description=("The feed's address with its secret: shown only when just made "
                                                    "(keep it private; make a new one if it leaks); null otherwise. 含密钥的"
                                                    "订阅地址：仅在生成时显示（请妥善保管，泄露后重新生成）；其他情况为 null。"))
    active: bool = strawberry.field(description="True when a feed token is live. 是否有有效的订阅令牌。")
    created_at: dt.datetime | None = strawberry.field(description="When the live token was made; null if none. 有效令牌的生成时间；无则为 null。")


JointMeetingSeriesResult = result_union("JointMeetingSeriesResult", JointMeetingSeries, *EVERY_FAILURE)
JointMeetingResult = result_union("JointMeetingResult", JointMeeting, *EVERY_FAILURE)
JointMeetingFollowUpResult = result_union("JointMeetingFollowUpResult", JointMeetingFollowUp, *EVERY_FAILURE)
CalendarFeedResult = result_union("CalendarFeedResult", CalendarFeed, *EVERY_FAILURE)
JointMeetingSeriesConnectionResult = result_union("JointMeetingSeriesConnectionResult", Connection[JointMeetingSeries],
                                                  *EVERY_FAILURE)
JointMeetingConnectionResult = result_union("JointMeetingConnectionResult", Connection[JointMeeting], *EVERY_FAILURE)
JointMeetingFollowUpConnectionResult = result_union("JointMeetingFollowUpConnectionResult",
                                                    Connection[JointMeetingFollowUp], *EVERY_FAILURE)
