"""Query and Mutation of joint meetings (merged in graphql/schema.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.graphql.common import connection, decode_id
from ecozone.graphql.context import Info
from ecozone.graphql.meetings.inputs import (
    AddJointMeetingFollowUpInput,
    AddJointMeetingMaterialInput,
    CreateJointMeetingSeriesInput,
    InvitePersonToJointMeetingInput,
    InviteZoneToJointMeetingInput,
    MoveJointMeetingFollowUpInput,
    PublishJointMeetingMinutesInput,
    RecordJointMeetingAttendanceInput,
    WriteJointMeetingMinutesInput,
)
from ecozone.graphql.meetings.types import (
    CalendarFeed,
    CalendarFeedResult,
    FollowUpState,
    JointMeeting,
    JointMeetingConnectionResult,
    JointMeetingFollowUp,
    JointMeetingFollowUpConnectionResult,
    JointMeetingFollowUpResult,
    JointMeetingResult,
    JointMeetingSeries,
    JointMeetingSeriesConnectionResult,
    JointMeetingSeriesResult,
)
from ecozone.graphql.results import read, run
from ecozone.meetings import calendar, records, service

FIRST = Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")]
AFTER = Annotated[str | None, strawberry.argument(description=(
    "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for the first page. 从该游标之后继续："
    "上一页的 `pageInfo.endCursor`；取第一页时省略。"))]
INPUT = "The input; see its type. 输入参数，见其类型说明。"


def _feed(request, token: str | None, row) -> CalendarFeed:
    url = f"{str(request.base_url).rstrip('/')}/calendar/me/{token}.ics" if token and request is not None else None
    return CalendarFeed(url=url, active=row is not None and row.revoked_at is None,
                        created_at=row.created_at if row is not None else None)


@strawberry.type
class JointMeetingQuery:
    @strawberry.field(description=("Joint meeting series the viewer may see (办法 第四条(一)(八)), optionally hosted by one "
                                   "zone. 查看者可见的联席会议系列（办法 第四条(一)(八)），可按主办试验区筛选。"))
    async def joint_meeting_series(self, info: Info, zone: Annotated[str | None, strawberry.argument(description=(
            "Only series hosted by this zone (slug). 仅该试验区（slug）主办的系列。"))] = None,
            first: FIRST = 20, after: AFTER = None) -> JointMeetingSeriesConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.list_series(ctx.session, zone_slug=zone, first=first, after=after,
                                                            max_page_size=ctx.settings.limits.max_page_size),
                          lambda page: connection(page, JointMeetingSeries.from_model))

    @strawberry.field(description="One series by ID; NotFound if none or not visible. 按 ID 获取会议系列；不存在或不可见时返回 NotFound。")
    async def joint_meeting_series_by_id(self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(
            description="Global ID (`JointMeetingSeries.id`). 会议系列的全局 ID。")]) -> JointMeetingSeriesResult:
        return await read(info, lambda: service.get_series(info.context.session, decode_id(id, "JointMeetingSeries")),
                          JointMeetingSeries.from_model)

    @strawberry.field(description=("Joint meetings the viewer may see, in time order; of one series, or from a moment "
                                   "on. 查看者可见的联席会议，按时间顺序；可限定系列或起始时间。"))
    async def joint_meetings(self, info: Info, series_id: Annotated[relay.GlobalID | None, strawberry.argument(
            description="Only this series (`JointMeetingSeries.id`). 仅该系列。")] = None,
            starting_from: Annotated[dt.datetime | None, strawberry.argument(description=(
                "Only meetings starting at or after this moment. 仅此时刻及以后开始的会议。"))] = None,
            first: FIRST = 20, after: AFTER = None) -> JointMeetingConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.list_meetings(
            ctx.session, series_id=decode_id(series_id, "JointMeetingSeries", "seriesId") if series_id else None,
            starting_from=starting_from, first=first, after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, JointMeeting.from_model))

    @strawberry.field(description="One meeting by ID; NotFound if none or not visible. 按 ID 获取会议；不存在或不可见时返回 NotFound。")
    async def joint_meeting(self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(
            description="Global ID (`JointMeeting.id`). 会议的全局 ID。")]) -> JointMeetingResult:
        return await read(info, lambda: service.get_meeting(info.context.session, decode_id(id, "JointMeeting")),
                          JointMeeting.from_model)

    @strawberry.field(description=("Follow-up items the viewer may see, by due date; of one assigned zone, in one state. "
                                   "查看者可见的议定事项，按办理期限排序；可按承办试验区和状态筛选。"))
    async def joint_meeting_follow_ups(self, info: Info, zone: Annotated[str | None, strawberry.argument(
            description="Only items assigned to this zone (slug). 仅该试验区承办的事项。")] = None,
            state: Annotated[FollowUpState | None, strawberry.argument(description="Only this state. 仅此状态。")] = None,
            first: FIRST = 20, after: AFTER = None) -> JointMeetingFollowUpConnectionResult:
        ctx = info.context
        return await read(info, lambda: records.list_follow_ups(
            ctx.session, zone_slug=zone, state=state.value if state else None, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size), lambda page: connection(page, JointMeetingFollowUp.from_model))

    @strawberry.field(description=("The signed-in person's calendar feed: whether one is live (its secret is shown only "
                                   "when made). 本人的日历订阅是否有效（密钥仅在生成时显示）。"))
    async def my_calendar_feed(self, info: Info) -> CalendarFeedResult:
        ctx = info.context
        return await read(info, lambda: calendar.active_token(ctx.session, ctx.actor),
                          lambda row: _feed(None, None, row))


@strawberry.type
class JointMeetingMutation:
    @strawberry.mutation(description=("The acting zone's office: host a meeting or a regular series, inviting zones. "
                                      "所操作试验区办公室：主办会议或定期系列会议并邀请试验区。"))
    async def create_joint_meeting_series(self, info: Info, input: Annotated[CreateJointMeetingSeriesInput,
                                          strawberry.argument(description=INPUT)]) -> JointMeetingSeriesResult:
        ctx = info.context
        return await run(info, lambda: service.create_series(
            ctx.session, ctx.actor, kind=input.kind.value, title_zh=input.title_zh, title_en=input.title_en,
            first_start=input.first_start, duration_minutes=input.duration_minutes, time_zone=input.time_zone,
            recurrence=input.recurrence, description=input.description, location=input.location,
            online_link=input.online_link, invited_zones=input.invited_zones), JointMeetingSeries.from_model)

    @strawberry.mutation(description="The host's office: invite one more zone. 主办方办公室：邀请另一试验区。")
    async def invite_zone_to_joint_meeting(self, info: Info, input: Annotated[InviteZoneToJointMeetingInput,
                                           strawberry.argument(description=INPUT)]) -> JointMeetingSeriesResult:
        ctx = info.context
        return await run(info, lambda: service.invite_zone(
            ctx.session, ctx.actor, series_id=decode_id(input.series_id, "JointMeetingSeries", "seriesId"),
            zone_slug=input.zone), JointMeetingSeries.from_model)

    @strawberry.mutation(description=("A participating zone's office: name a person for the zone. 参会试验区办公室：为本区"
                                      "指定参会人员。"))
    async def invite_person_to_joint_meeting(self, info: Info, input: Annotated[InvitePersonToJointMeetingInput,
                                             strawberry.argument(description=INPUT)]) -> JointMeetingSeriesResult:
        ctx = info.context

        async def call():
            series_id = decode_id(input.series_id, "JointMeetingSeries", "seriesId")
            await service.invite_person(ctx.session, ctx.actor, series_id=series_id,
                                        user_id=decode_id(input.user_id, "User", "userId"))
            return await service.get_series(ctx.session, series_id)
        return await run(info, call, JointMeetingSeries.from_model)

    @strawberry.mutation(description="The host's office: who attended. 主办方办公室：登记出席情况。")
    async def record_joint_meeting_attendance(self, info: Info, input: Annotated[RecordJointMeetingAttendanceInput,
                                              strawberry.argument(description=INPUT)]) -> JointMeetingResult:
        ctx = info.context
        return await run(info, lambda: records.record_attendance(
            ctx.session, ctx.actor, meeting_id=decode_id(input.meeting_id, "JointMeeting", "meetingId"),
            presences=[records.Presence(decode_id(p.user_id, "User", "userId"), p.present) for p in input.presences]),
            JointMeeting.from_model)

    @strawberry.mutation(description="A participating zone's office: table a document. 参会试验区办公室：提交会议材料。")
    async def add_joint_meeting_material(self, info: Info, input: Annotated[AddJointMeetingMaterialInput,
                                         strawberry.argument(description=INPUT)]) -> JointMeetingResult:
        ctx = info.context

        async def call():
            meeting_id = decode_id(input.meeting_id, "JointMeeting", "meetingId")
            await records.add_material(ctx.session, ctx.actor, meeting_id=meeting_id, title_zh=input.title_zh,
                                       title_en=input.title_en, url=input.url)
            return await service.get_meeting(ctx.session, meeting_id)
        return await run(info, call, JointMeeting.from_model)

    @strawberry.mutation(description="The host's office: write the minutes and decisions. 主办方办公室：撰写纪要和决定。")
    async def write_joint_meeting_minutes(self, info: Info, input: Annotated[WriteJointMeetingMinutesInput,
                                          strawberry.argument(description=INPUT)]) -> JointMeetingResult:
        ctx = info.context
        return await run(info, lambda: records.write_minutes(
            ctx.session, ctx.actor, meeting_id=decode_id(input.meeting_id, "JointMeeting", "meetingId"),
            summary=input.summary, decisions=[(d.text_zh, d.text_en) for d in input.decisions]), JointMeeting.from_model)

    @strawberry.mutation(description=("The host's office: publish the minutes; the meeting becomes public. 主办方办公室："
                                      "公开纪要，会议随之公开。"))
    async def publish_joint_meeting_minutes(self, info: Info, input: Annotated[PublishJointMeetingMinutesInput,
                                            strawberry.argument(description=INPUT)]) -> JointMeetingResult:
        ctx = info.context
        return await run(info, lambda: records.publish_minutes(
            ctx.session, ctx.actor, meeting_id=decode_id(input.meeting_id, "JointMeeting", "meetingId")),
            JointMeeting.from_model)

    @strawberry.mutation(description="The host's office: assign a follow-up item to a zone. 主办方办公室：交办议定事项。")
    async def add_joint_meeting_follow_up(self, info: Info, input: Annotated[AddJointMeetingFollowUpInput,
                                          strawberry.argument(description=INPUT)]) -> JointMeetingFollowUpResult:
        ctx = info.context
        return await run(info, lambda: records.add_follow_up(
            ctx.session, ctx.actor, meeting_id=decode_id(input.meeting_id, "JointMeeting", "meetingId"),
            zone_slug=input.zone, title_zh=input.title_zh, title_en=input.title_en, due_on=input.due_on,
            decision_number=input.decision_number), JointMeetingFollowUp.from_model)

    @strawberry.mutation(description=("The assigned zone's or the host's office: complete, drop or reopen a follow-up "
                                      "item. 承办或主办试验区办公室：完成、撤销或重新打开议定事项。"))
    async def move_joint_meeting_follow_up(self, info: Info, input: Annotated[MoveJointMeetingFollowUpInput,
                                           strawberry.argument(description=INPUT)]) -> JointMeetingFollowUpResult:
        ctx = info.context
        return await run(info, lambda: records.move_follow_up(
            ctx.session, ctx.actor, follow_up_id=decode_id(input.id, "JointMeetingFollowUp"),
            action=input.action.value), JointMeetingFollowUp.from_model)

    @strawberry.mutation(description=("Signed in: make a new secret calendar feed URL (the previous one stops working); "
                                      "shown once, never stored: refused with an Idempotency-Key. 登录用户：生成新的日历订阅"
                                      "地址（旧地址随即失效）；仅显示一次且不保存：携带 Idempotency-Key 时拒绝。"))
    async def make_calendar_feed_token(self, info: Info) -> CalendarFeedResult:
        ctx = info.context
        keyed = ctx.request is not None and "idempotency-key" in ctx.request.headers
        return await run(info, lambda: calendar.make_feed_token(ctx.session, ctx.actor, kept_for_replay=keyed),
                         lambda made: _feed(ctx.request, made[1], made[0]))

    @strawberry.mutation(description="Signed in: close one's calendar feed. 登录用户：关闭本人的日历订阅。")
    async def revoke_calendar_feed_token(self, info: Info) -> CalendarFeedResult:
        ctx = info.context

        async def call():
            await calendar.revoke_feed_tokens(ctx.session, ctx.actor)
        return await run(info, call, lambda _: _feed(None, None, None))
