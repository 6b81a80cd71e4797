"""Inputs of the joint-meeting mutations."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay

from ecozone.graphql.meetings.types import FollowUpAction, JointMeetingKind

SERIES_ID = "Global ID of the series (`JointMeetingSeries.id`). 会议系列的全局 ID（`JointMeetingSeries.id`）。"
MEETING_ID = "Global ID of the meeting (`JointMeeting.id`). 会议的全局 ID（`JointMeeting.id`）。"


@strawberry.input(description=("A meeting or regular series hosted by the acting zone (its office). 由所操作试验区（其办公室）"
                               "主办的会议或定期系列会议。"))
class CreateJointMeetingSeriesInput:
    kind: JointMeetingKind = strawberry.field(description="Which meeting of the Measures. 会议类型。")
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    first_start: dt.datetime = strawberry.field(description="Start of the first meeting, with offset. 首次会议开始时间，含时区偏移。")
    duration_minutes: int = strawberry.field(description="Length of each meeting, 15–4320 minutes. 每次会议时长，15–4320 分钟。")
    recurrence: str | None = strawberry.field(default=None, description=(
        "RFC 5545 RRULE value: FREQ=MONTHLY (INTERVAL 1–12; quarterly: INTERVAL=3) or FREQ=YEARLY (INTERVAL 1–5), "
        "ending by COUNT (1–40) or UNTIL (UTC, e.g. 20301231T160000Z), within 10 years; BYMONTH, BYMONTHDAY and BYDAY "
        "allowed. Omit for one meeting. RFC 5545 重复规则：FREQ=MONTHLY（INTERVAL 1–12；每季度 INTERVAL=3）或 "
        "FREQ=YEARLY（INTERVAL 1–5），以 COUNT（1–40）或 UNTIL（UTC）结束，跨度不超过 10 年；可用 BYMONTH、"
        "BYMONTHDAY、BYDAY。单次会议省略。"))
    time_zone: str = strawberry.field(default="Asia/Shanghai", description=(
        "IANA time zone the rule is expanded in. 展开规则所用的 IANA 时区。"))
    description: str | None = strawberry.field(default=None, description="Purpose and agenda; optional. 会议说明；可选。")
    location: str | None = strawberry.field(default=None, description=("Where it meets; give a location or an online link. "
                                                                       "会议地点；地点与线上链接至少填写一项。"))
    online_link: str | None = strawberry.field(default=None, description=("Link to join online (http or https). 线上参会"
                                                                          "链接（http 或 https）。"))
    invited_zones: list[str] = strawberry.field(default_factory=list, description=(
        "Slugs of the zones invited besides the host, e.g. [\"guizhou\", \"fujian\"]. 除主办方外受邀试验区的 slug。"))


@strawberry.input(description="Invite one more zone to a series (the host's office). 邀请另一试验区参加系列会议（主办方办公室）。")
class InviteZoneToJointMeetingInput:
    series_id: relay.GlobalID = strawberry.field(description=SERIES_ID)
    zone: str = strawberry.field(description="The zone's slug. 试验区 slug。")


@strawberry.input(description=("Name a person for a series, for the acting zone (the office of a participating zone). "
                               "为所操作试验区指定参会人员（参会试验区办公室）。"))
class InvitePersonToJointMeetingInput:
    series_id: relay.GlobalID = strawberry.field(description=SERIES_ID)
    user_id: relay.GlobalID = strawberry.field(description="The person (`User.id`). 人员（`User.id`）。")


@strawberry.input(description="One person's presence. 一人的出席情况。")
class JointMeetingPresenceInput:
    user_id: relay.GlobalID = strawberry.field(description="A person invited by name (`User.id`). 受邀人员（`User.id`）。")
    present: bool = strawberry.field(default=True, description="True: present; false: absent. true 出席，false 缺席。")


@strawberry.input(description="Attendance of a meeting that has begun (the host's office). 登记已开始会议的出席情况（主办方办公室）。")
class RecordJointMeetingAttendanceInput:
    meeting_id: relay.GlobalID = strawberry.field(description=MEETING_ID)
    presences: list[JointMeetingPresenceInput] = strawberry.field(description="People and presence. 人员及出席情况。")


@strawberry.input(description="A document for a meeting, by link (a participating zone's office). 会议材料链接（参会试验区办公室）。")
class AddJointMeetingMaterialInput:
    meeting_id: relay.GlobalID = strawberry.field(description=MEETING_ID)
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    url: str = strawberry.field(description="Link to the document (http or https). 材料链接（http 或 https）。")


@strawberry.input(description="A decision of the minutes. 纪要中的一项决定。")
class JointMeetingDecisionInput:
    text_zh: str = strawberry.field(description="The decision in Chinese. 决定内容（中文）。")
    text_en: str = strawberry.field(description="The decision in English. 决定内容（英文）。")


@strawberry.input(description=("The minutes of a meeting, replacing the previous version until published (the host's "
                               "office). 会议纪要，公开前可整体替换（主办方办公室）。"))
class WriteJointMeetingMinutesInput:
    meeting_id: relay.GlobalID = strawberry.field(description=MEETING_ID)
    summary: str = strawberry.field(description="The minutes' text. 纪要正文。")
    decisions: list[JointMeetingDecisionInput] = strawberry.field(default_factory=list, description=(
        "Decisions, numbered 1, 2, … in this order (at most 50). 决定事项，按此顺序编号（最多 50 项）。"))


@strawberry.input(description="Publish a meeting's minutes: the meeting becomes public (the host's office). 公开会议纪要，会议随之公开（主办方办公室）。")
class PublishJointMeetingMinutesInput:
    meeting_id: relay.GlobalID = strawberry.field(description=MEETING_ID)


@strawberry.input(description="Work the minutes give to a participating zone (the host's office). 交由参会试验区办理的议定事项（主办方办公室）。")
class AddJointMeetingFollowUpInput:
    meeting_id: relay.GlobalID = strawberry.field(description=MEETING_ID)
    zone: str = strawberry.field(description="The participating zone it is assigned to (slug). 承办的参会试验区（slug）。")
    title_zh: str = strawberry.field(description="What is to be done, in Chinese. 事项（中文）。")
    title_en: str = strawberry.field(description="What is to be done, in English. 事项（英文）。")
    due_on: dt.date = strawberry.field(description="Due date, not before the meeting's day. 办理期限，不早于会议日期。")
    decision_number: int | None = strawberry.field(default=None, description=(
        "The decision it carries out; optional. 所落实决定的编号；可选。"))


@strawberry.input(description=("Move a follow-up item (the office of the zone it is assigned to, or the host's). 更新议定"
                               "事项状态（承办试验区或主办方办公室）。"))
class MoveJointMeetingFollowUpInput:
    id: relay.GlobalID = strawberry.field(description="Global ID (`JointMeetingFollowUp.id`). 议定事项的全局 ID。")
    action: FollowUpAction = strawberry.field(description="Complete, drop or reopen. 完成、撤销或重新打开。")
