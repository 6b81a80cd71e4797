"""Council meetings: calling, agenda, attendance and quorum, motions and votes, minutes and their
public disclosure (章程 第十八条 to 第二十三条, 第三十条)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.governance import meetings, minutes, motions
from ecozone.graphql.common import connection, decode_id
from ecozone.graphql.context import Info
from ecozone.governance.working_days import LateAgendaItem
from ecozone.graphql.council.meetings_results import (
    CouncilAgendaDeadlinePassed,
    CouncilAgendaItemResult,
    CouncilGeneralMeetingCheck,
    CouncilGeneralMeetingCheckResult,
    CouncilMeetingConnectionResult,
    CouncilMeetingResult,
    CouncilMinutesResult,
    CouncilMotionResult,
    CouncilPublication,
    CouncilPublicationConnectionResult,
    CouncilPublicationResult,
    CouncilQuorumResult,
    CouncilTallyResult,
)
from ecozone.graphql.council.meetings_types import (
    CouncilAgendaItem,
    CouncilMeeting,
    CouncilMeetingKind,
    CouncilMeetingState,
    CouncilMinutes,
    CouncilMotion,
    CouncilMotionKind,
    CouncilQuorum,
    CouncilTally,
    CouncilVoteChoice,
    CouncilVotingMode,
)
from ecozone.graphql.results import read, run

UNIT = "CouncilMemberUnit"


@strawberry.input(description=("The secretariat calls a meeting; an ad hoc one needs the council's proposal or that "
         "of at least 1/3 of the member units (第二十条). 秘书处召集会议；临时会议须经理事会或三分之一以上成员单位提议（第二十条）。"))
class CallCouncilMeetingInput:
    kind: CouncilMeetingKind = strawberry.field(description="General or ad hoc meeting. 全体会议或临时会议。")
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    meets_on: dt.date = strawberry.field(description="Date of the meeting. 会议日期。")
    venue: str | None = strawberry.field(default=None, description="Where it meets; optional. 地点；可选。")
    voting_mode: CouncilVotingMode = strawberry.field(default=CouncilVotingMode.IN_PERSON, description=("How votes are taken; written and online need the chair's approval. 表决方式；书面和网络表决须"
             "理事长批准。"))
    proposed_by_council: bool = strawberry.field(default=False, description="True when the council (理事会) proposed an ad hoc meeting (第二十条). 临时会议是否由理事会提议（第二十条）。")
    proposing_unit_ids: list[relay.GlobalID] = strawberry.field(default_factory=list,
                                                                description=(
             "Member units that proposed an ad hoc meeting (`CouncilMemberUnit.id`); empty "
             "otherwise. 提议召开临时会议的成员单位（`CouncilMemberUnit.id`）；否则为空。"))


@strawberry.input(description="The chair approves written or online voting for a meeting. 理事长批准会议采用书面或网络表决。")
class ApproveCouncilVotingModeInput:
    meeting_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the CouncilMeeting (`CouncilMeeting.id`). 理事会会议的全局 ID（"
             "`CouncilMeeting.id`）。"))


@strawberry.input(description="Cancel a called meeting. 取消已召集的会议。")
class CancelCouncilMeetingInput:
    meeting_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the CouncilMeeting (`CouncilMeeting.id`). 理事会会议的全局 ID（"
             "`CouncilMeeting.id`）。"))


@strawberry.input(description="Open a meeting. 开会。")
class OpenCouncilMeetingInput:
    meeting_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the CouncilMeeting (`CouncilMeeting.id`). 理事会会议的全局 ID（"
             "`CouncilMeeting.id`）。"))


@strawberry.input(description="Close a meeting. 结束会议。")
class CloseCouncilMeetingInput:
    meeting_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the CouncilMeeting (`CouncilMeeting.id`). 理事会会议的全局 ID（"
             "`CouncilMeeting.id`）。"))


@strawberry.input(description=("An agenda item, by a unit's representative (for that unit) or the secretariat (any "
         "unit, or none), the zone's agenda working days before the meeting. 议题，由单位代表（本单位）或秘书处"
         "（任何单位或无）在会前规定工作日内提交。"))
class SubmitCouncilAgendaItemInput:
    meeting_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the CouncilMeeting (`CouncilMeeting.id`). 理事会会议的全局 ID（"
             "`CouncilMeeting.id`）。"))
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    summary: str | None = strawberry.field(default=None, description="What is asked of the meeting; optional. 议题摘要；可选。")
    member_unit_id: relay.GlobalID | None = strawberry.field(default=None, description=(
             "The submitting unit (`CouncilMemberUnit.id`); omit for the secretariat's own. 提交"
             "单位（`CouncilMemberUnit.id`）；秘书处自行提交时省略。"))


@strawberry.input(description="One unit's attendance. 某一单位的出席情况。")
class CouncilAttendanceEntryInput:
    member_unit_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the member unit (`CouncilMemberUnit.id`). 成员单位的全局 ID（"
             "`CouncilMemberUnit.id`）。"))
    present: bool = strawberry.field(description=("True when the unit is present (in person or by its delegate). 单位是否出席（本人或受托代表）。"))
    attendee_name: str | None = strawberry.field(default=None, description="Who came for the unit; optional. 出席人姓名；可选。")


@strawberry.input(description=("Attendance of a meeting; recording a unit again replaces its entry. 会议出席登记；重复登记同一单位将"
         "替换其记录。"))
class RecordCouncilAttendanceInput:
    meeting_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the CouncilMeeting (`CouncilMeeting.id`). 理事会会议的全局 ID（"
             "`CouncilMeeting.id`）。"))
    entries: list[CouncilAttendanceEntryInput] = strawberry.field(description="One entry per unit. 每个单位一条。")


@strawberry.input(description="A motion to put to the meeting. 向会议提出的动议。")
class ProposeCouncilMotionInput:
    meeting_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the CouncilMeeting (`CouncilMeeting.id`). 理事会会议的全局 ID（"
             "`CouncilMeeting.id`）。"))
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    kind: CouncilMotionKind = strawberry.field(description=(
             "Ordinary (2/3 of those present) or major (2/3 of all members). 一般事项（出席的 2/3）或重大事"
             "项（全体成员的 2/3）。"))
    text: str | None = strawberry.field(default=None, description="Full text of the resolution; optional. 决议全文；可选。")
    agenda_item_id: relay.GlobalID | None = strawberry.field(default=None, description=("The agenda item it answers (`CouncilAgendaItem.id`); optional. 对应的议题（"
             "`CouncilAgendaItem.id`）；可选。"))


@strawberry.input(description="Open the vote on a motion. 开始对动议表决。")
class StartCouncilVoteInput:
    motion_id: relay.GlobalID = strawberry.field(description="Global ID of the CouncilMotion (`CouncilMotion.id`). 动议的全局 ID（`CouncilMotion.id`）。")


@strawberry.input(description="One unit's vote. 某一单位的表决。")
class CouncilVoteEntryInput:
    member_unit_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the member unit (`CouncilMemberUnit.id`). 成员单位的全局 ID（"
             "`CouncilMemberUnit.id`）。"))
    choice: CouncilVoteChoice = strawberry.field(description="Yes, no or abstain. 赞成、反对或弃权。")


@strawberry.input(description=("The secretariat records the votes of units present; recording again changes a vote. "
         "秘书处登记出席单位的表决；重复登记将修改表决。"))
class RecordCouncilVotesInput:
    motion_id: relay.GlobalID = strawberry.field(description="Global ID of the CouncilMotion (`CouncilMotion.id`). 动议的全局 ID（`CouncilMotion.id`）。")
    votes: list[CouncilVoteEntryInput] = strawberry.field(description="One vote per unit. 每个单位一票。")


@strawberry.input(description=("Your unit's vote in an approved written or online vote. 本单位在经批准的书面或网络表决中的投票。"))
class CastCouncilVoteInput:
    motion_id: relay.GlobalID = strawberry.field(description="Global ID of the CouncilMotion (`CouncilMotion.id`). 动议的全局 ID（`CouncilMotion.id`）。")
    choice: CouncilVoteChoice = strawberry.field(description="Yes, no or abstain. 赞成、反对或弃权。")


@strawberry.input(description="Count the votes on a motion. 对动议计票。")
class CountCouncilVotesInput:
    motion_id: relay.GlobalID = strawberry.field(description="Global ID of the CouncilMotion (`CouncilMotion.id`). 动议的全局 ID（`CouncilMotion.id`）。")


@strawberry.input(description="The minutes' discussion text. 会议纪要的讨论内容。")
class WriteCouncilMinutesInput:
    meeting_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the CouncilMeeting (`CouncilMeeting.id`). 理事会会议的全局 ID（"
             "`CouncilMeeting.id`）。"))
    discussion: str = strawberry.field(description=("What was discussed; the resolutions are added from the counted motions. 讨论情况；决议自"
             "动取自已计票的动议。"))


@strawberry.input(description="Publish the minutes: they become public and never change. 发布会议纪要：公开且不再更改。")
class PublishCouncilMinutesInput:
    meeting_id: relay.GlobalID = strawberry.field(description=(
             "Global ID of the CouncilMeeting (`CouncilMeeting.id`). 理事会会议的全局 ID（"
             "`CouncilMeeting.id`）。"))


def _meeting_id(gid: relay.GlobalID, field: str = "meetingId") -> int:
    return decode_id(gid, "CouncilMeeting", field)


def _motion_id(gid: relay.GlobalID) -> int:
    return decode_id(gid, "CouncilMotion", "motionId")


@strawberry.type
class CouncilMeetingsQuery:
    @strawberry.field(description=("The acting zone's council meetings in date order; its director, secretary and "
             "members. 所操作试验区的理事会会议，按日期排序；该区主任、秘书和成员可查看。"))
    async def council_meetings(self, info: Info, state: Annotated[CouncilMeetingState | None, strawberry.argument(description="Only meetings in this state. 仅该状态的会议。")] = None,
                               kind: Annotated[CouncilMeetingKind | None, strawberry.argument(description="Only general or only ad hoc meetings. 仅全体会议或仅临时会议。")] = None, year: Annotated[int | None, strawberry.argument(description="Only meetings held in this year. 仅该年召开的会议。")] = None,
                               first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20, after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None) -> CouncilMeetingConnectionResult:
        ctx = info.context
        return await read(info, lambda: meetings.list_meetings(
            ctx.session, ctx.actor, state=state.value if state else None, kind=kind.value if kind else None,
            year=year, first=first, after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, CouncilMeeting.from_model))

    @strawberry.field(description="One meeting by ID; NotFound if none or not visible. 按 ID 获取会议；不存在或不可见时返回 NotFound。")
    async def council_meeting(self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description=(
             "Global ID of the CouncilMeeting (`CouncilMeeting.id`). 理事会会议的全局 ID（"
             "`CouncilMeeting.id`）。"))]) -> CouncilMeetingResult:
        ctx = info.context
        return await read(info, lambda: meetings.read_meeting(ctx.session, ctx.actor, _meeting_id(id, "id")),
                          CouncilMeeting.from_model)

    @strawberry.field(description=("The quorum of a meeting as attendance stands now (第二十二条). 按当前出席登记计算的会议法定人数情况（第二十"
             "二条）。"))
    async def council_quorum(self, info: Info, meeting_id: Annotated[relay.GlobalID, strawberry.argument(description=(
             "Global ID of the CouncilMeeting (`CouncilMeeting.id`). 理事会会议的全局 ID（"
             "`CouncilMeeting.id`）。"))]) -> CouncilQuorumResult:
        ctx = info.context
        return await read(info, lambda: meetings.meeting_quorum(ctx.session, ctx.actor,
                                                                meeting_id=_meeting_id(meeting_id)),
                          CouncilQuorum.of)

    @strawberry.field(description=("Warns about past years without a general meeting of the acting zone's council (第"
             "十八条: at least one a year). 提醒所操作试验区理事会往年未召开全体会议的年份（第十八条：每年至少一次）。"))
    async def council_general_meeting_warning(self, info: Info) -> CouncilGeneralMeetingCheckResult:
        ctx = info.context
        return await read(info, lambda: minutes.general_meeting_check(ctx.session, ctx.actor),
                          CouncilGeneralMeetingCheck.of)

    @strawberry.field(description=("Disclosed minutes and resolutions of every zone (or one zone's), newest first: public (第三十条). 各试验区（或某一试验区）公开的会议纪要和决议：公开。"))
    async def council_publications(self, info: Info, zone: Annotated[str | None, strawberry.argument(description="Only this zone's (slug). 仅该试验区（slug）的。")] = None, first: Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")] = 20,
                                   after: Annotated[str | None, strawberry.argument(description=(
             "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for "
             "the first page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))] = None) -> CouncilPublicationConnectionResult:
        ctx = info.context
        return await read(info, lambda: minutes.list_publications(
            ctx.session, ctx.actor, zone_slug=zone, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, CouncilPublication.from_model))


def _tally(pair) -> CouncilTally:
    motion, result = pair
    return CouncilTally.of(motion, result)


@strawberry.type
class CouncilMeetingsMutation:
    @strawberry.mutation(description=("Secretariat: call a general or ad hoc meeting of the acting zone's council. 秘书处：召集所操"
         "作试验区理事会的全体会议或临时会议。"))
    async def call_council_meeting(self, info: Info, input: Annotated[CallCouncilMeetingInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilMeetingResult:
        ctx = info.context
        return await run(info, lambda: meetings.call_meeting(
            ctx.session, ctx.actor, kind=input.kind.value, title_zh=input.title_zh, title_en=input.title_en,
            meets_on=input.meets_on, venue=input.venue, voting_mode=input.voting_mode.value,
            proposed_by_council=input.proposed_by_council,
            proposing_unit_ids=[decode_id(g, UNIT, "proposingUnitIds") for g in input.proposing_unit_ids]),
            CouncilMeeting.from_model)

    @strawberry.mutation(description=("The sitting chair approves written or online voting for a meeting (第二十二条). 现任理事长"
             "批准会议采用书面或网络表决（第二十二条）。"))
    async def approve_council_voting_mode(self, info: Info, input: Annotated[ApproveCouncilVotingModeInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                          ) -> CouncilMeetingResult:
        ctx = info.context
        return await run(info, lambda: meetings.approve_voting_mode(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id)), CouncilMeeting.from_model)

    @strawberry.mutation(description="Secretariat: cancel a called meeting. 秘书处：取消已召集的会议。")
    async def cancel_council_meeting(self, info: Info, input: Annotated[CancelCouncilMeetingInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilMeetingResult:
        ctx = info.context
        return await run(info, lambda: meetings.cancel_meeting(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id)), CouncilMeeting.from_model)

    @strawberry.mutation(description=("Submit an agenda item; refused as late after the last allowed date (第二十一条). 提交议题"
             "；超过截止日期的提交将被拒绝（第二十一条）。"))
    async def submit_council_agenda_item(self, info: Info, input: Annotated[SubmitCouncilAgendaItemInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                         ) -> CouncilAgendaItemResult:
        ctx = info.context
        async def submit():
            try:
                return await meetings.submit_agenda_item(
                    ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id), title_zh=input.title_zh,
                    title_en=input.title_en, summary=input.summary,
                    member_unit_id=decode_id(input.member_unit_id, UNIT, "memberUnitId") if input.member_unit_id
                    else None)
            except LateAgendaItem as late:  # refused before anything was written: its dates become data
                return late
        return await run(info, submit, lambda value: CouncilAgendaDeadlinePassed.of(value)
                         if isinstance(value, LateAgendaItem) else CouncilAgendaItem.from_model(value))

    @strawberry.mutation(description="Secretariat: record who is present, unit by unit. 秘书处：逐个单位登记出席情况。")
    async def record_council_attendance(self, info: Info, input: Annotated[RecordCouncilAttendanceInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                        ) -> CouncilMeetingResult:
        ctx = info.context
        return await run(info, lambda: meetings.record_attendance(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id), entries=[
                meetings.AttendanceEntry(decode_id(e.member_unit_id, UNIT, "entries"), e.present, e.attendee_name)
                for e in input.entries]), CouncilMeeting.from_model)

    @strawberry.mutation(description=("Secretariat: open the meeting when the quorum is met; otherwise a Conflict with "
             "the counts. 秘书处：达到法定人数时开会；否则返回 Conflict 并给出人数。"))
    async def open_council_meeting(self, info: Info, input: Annotated[OpenCouncilMeetingInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilMeetingResult:
        ctx = info.context
        return await run(info, lambda: meetings.open_meeting(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id)), CouncilMeeting.from_model)

    @strawberry.mutation(description="Secretariat: close a meeting in session. 秘书处：结束会议。")
    async def close_council_meeting(self, info: Info, input: Annotated[CloseCouncilMeetingInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilMeetingResult:
        ctx = info.context
        return await run(info, lambda: meetings.close_meeting(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id)), CouncilMeeting.from_model)

    @strawberry.mutation(description="Secretariat: put a motion to a meeting. 秘书处：向会议提出动议。")
    async def propose_council_motion(self, info: Info, input: Annotated[ProposeCouncilMotionInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilMotionResult:
        ctx = info.context
        return await run(info, lambda: motions.propose_motion(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id), title_zh=input.title_zh,
            title_en=input.title_en, kind=input.kind.value, text=input.text,
            agenda_item_id=decode_id(input.agenda_item_id, "CouncilAgendaItem", "agendaItemId")
            if input.agenda_item_id else None), CouncilMotion.from_model)

    @strawberry.mutation(description="Secretariat: open the vote on a motion. 秘书处：开始对动议表决。")
    async def start_council_vote(self, info: Info, input: Annotated[StartCouncilVoteInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilMotionResult:
        ctx = info.context
        return await run(info, lambda: motions.start_vote(ctx.session, ctx.actor, motion_id=_motion_id(input.motion_id)),
                         CouncilMotion.from_model)

    @strawberry.mutation(description="Secretariat: record the votes of units present (show of hands). 秘书处：登记出席单位的表决（现场表决）。")
    async def record_council_votes(self, info: Info, input: Annotated[RecordCouncilVotesInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilMotionResult:
        ctx = info.context
        return await run(info, lambda: motions.record_votes(
            ctx.session, ctx.actor, motion_id=_motion_id(input.motion_id), votes=[
                motions.VoteEntry(decode_id(v.member_unit_id, UNIT, "votes"), v.choice.value)
                for v in input.votes]), CouncilMotion.from_model)

    @strawberry.mutation(description=("A member unit's representative casts the unit's vote in an approved written or "
         "online vote. 成员单位代表在经批准的书面或网络表决中投票。"))
    async def cast_council_vote(self, info: Info, input: Annotated[CastCouncilVoteInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilMotionResult:
        ctx = info.context
        return await run(info, lambda: motions.cast_vote(
            ctx.session, ctx.actor, motion_id=_motion_id(input.motion_id), choice=input.choice.value),
            CouncilMotion.from_model)

    @strawberry.mutation(description=("Count a motion's votes: fixes the counts; passes by 第二十二条 (ordinary) or 第二十三条 "
             "(major). 对动议计票：确定票数；一般事项按第二十二条、重大事项按第二十三条判定是否通过。"))
    async def count_council_votes(self, info: Info, input: Annotated[CountCouncilVotesInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilTallyResult:
        ctx = info.context
        return await run(info, lambda: motions.count_votes(ctx.session, ctx.actor,
                                                           motion_id=_motion_id(input.motion_id)), _tally)

    @strawberry.mutation(description=("Secretariat: draft the minutes; editable until published. 秘书处：起草会议纪要；发布前可修改。"))
    async def write_council_minutes(self, info: Info, input: Annotated[WriteCouncilMinutesInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]) -> CouncilMinutesResult:
        ctx = info.context
        return await run(info, lambda: minutes.write_minutes(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id), discussion=input.discussion),
            CouncilMinutes.from_model)

    @strawberry.mutation(description=("Publish the minutes and disclose them with the resolutions (第三十条); they never "
             "change afterwards. 发布会议纪要并连同决议公开（第三十条）；发布后不再更改。"))
    async def publish_council_minutes(self, info: Info, input: Annotated[PublishCouncilMinutesInput, strawberry.argument(description="The input; see its type. 输入参数，见其类型说明。")]
                                      ) -> CouncilPublicationResult:
        ctx = info.context
        return await run(info, lambda: minutes.publish_minutes(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id)), CouncilPublication.from_model)
