"""Council meetings: calling, agenda, attendance and quorum, motions and votes, minutes and their
public disclosure (章程 第十八条 to 第二十三条, 第三十条)."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay

from ecozone.governance import meetings, minutes, motions
from ecozone.graphql.common import connection, decode_id
from ecozone.graphql.context import Info
from ecozone.graphql.council_meetings_types import (
    CouncilAgendaItem,
    CouncilAgendaItemResult,
    CouncilGeneralMeetingCheck,
    CouncilGeneralMeetingCheckResult,
    CouncilMeeting,
    CouncilMeetingConnectionResult,
    CouncilMeetingKind,
    CouncilMeetingResult,
    CouncilMeetingState,
    CouncilMinutes,
    CouncilMinutesResult,
    CouncilMotion,
    CouncilMotionKind,
    CouncilMotionResult,
    CouncilPublication,
    CouncilPublicationConnectionResult,
    CouncilPublicationResult,
    CouncilQuorum,
    CouncilQuorumResult,
    CouncilTally,
    CouncilTallyResult,
    CouncilVoteChoice,
    CouncilVotingMode,
)
from ecozone.graphql.results import read, run

UNIT = "CouncilMemberUnit"


@strawberry.input(description="The secretariat calls a meeting; an ad hoc one needs the council's proposal "
                              "or that of at least 1/3 of the member units (第二十条).")
class CallCouncilMeetingInput:
    kind: CouncilMeetingKind
    title_zh: str
    title_en: str
    meets_on: dt.date
    venue: str | None = None
    voting_mode: CouncilVotingMode = CouncilVotingMode.IN_PERSON
    proposed_by_council: bool = False
    proposing_unit_ids: list[relay.GlobalID] = strawberry.field(default_factory=list,
                                                                description="CouncilMemberUnit IDs")


@strawberry.input
class ApproveCouncilVotingModeInput:
    meeting_id: relay.GlobalID


@strawberry.input
class CancelCouncilMeetingInput:
    meeting_id: relay.GlobalID


@strawberry.input
class OpenCouncilMeetingInput:
    meeting_id: relay.GlobalID


@strawberry.input
class CloseCouncilMeetingInput:
    meeting_id: relay.GlobalID


@strawberry.input(description="By a unit's representative (for that unit) or the secretariat (any unit, or none).")
class SubmitCouncilAgendaItemInput:
    meeting_id: relay.GlobalID
    title_zh: str
    title_en: str
    summary: str | None = None
    member_unit_id: relay.GlobalID | None = strawberry.field(default=None, description="CouncilMemberUnit ID")


@strawberry.input
class CouncilAttendanceEntryInput:
    member_unit_id: relay.GlobalID
    present: bool
    attendee_name: str | None = None


@strawberry.input(description="Recording a unit again replaces its entry.")
class RecordCouncilAttendanceInput:
    meeting_id: relay.GlobalID
    entries: list[CouncilAttendanceEntryInput]


@strawberry.input
class ProposeCouncilMotionInput:
    meeting_id: relay.GlobalID
    title_zh: str
    title_en: str
    kind: CouncilMotionKind
    text: str | None = None
    agenda_item_id: relay.GlobalID | None = None


@strawberry.input
class StartCouncilVoteInput:
    motion_id: relay.GlobalID


@strawberry.input
class CouncilVoteEntryInput:
    member_unit_id: relay.GlobalID
    choice: CouncilVoteChoice


@strawberry.input(description="The secretariat records the votes of units present; recording again changes a vote.")
class RecordCouncilVotesInput:
    motion_id: relay.GlobalID
    votes: list[CouncilVoteEntryInput]


@strawberry.input(description="Your unit's vote in an approved written or online vote.")
class CastCouncilVoteInput:
    motion_id: relay.GlobalID
    choice: CouncilVoteChoice


@strawberry.input
class CountCouncilVotesInput:
    motion_id: relay.GlobalID


@strawberry.input
class WriteCouncilMinutesInput:
    meeting_id: relay.GlobalID
    discussion: str


@strawberry.input
class PublishCouncilMinutesInput:
    meeting_id: relay.GlobalID


def _meeting_id(gid: relay.GlobalID, field: str = "meetingId") -> int:
    return decode_id(gid, "CouncilMeeting", field)


def _motion_id(gid: relay.GlobalID) -> int:
    return decode_id(gid, "CouncilMotion", "motionId")


@strawberry.type
class CouncilMeetingsQuery:
    @strawberry.field(description="The acting zone's council meetings in date order (director, secretary, member).")
    async def council_meetings(self, info: Info, state: CouncilMeetingState | None = None,
                               kind: CouncilMeetingKind | None = None, year: int | None = None,
                               first: int = 20, after: str | None = None) -> CouncilMeetingConnectionResult:
        ctx = info.context
        return await read(info, lambda: meetings.list_meetings(
            ctx.session, ctx.actor, state=state.value if state else None, kind=kind.value if kind else None,
            year=year, first=first, after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, CouncilMeeting.from_model))

    @strawberry.field
    async def council_meeting(self, info: Info, id: relay.GlobalID) -> CouncilMeetingResult:
        ctx = info.context
        return await read(info, lambda: meetings.read_meeting(ctx.session, ctx.actor, _meeting_id(id, "id")),
                          CouncilMeeting.from_model)

    @strawberry.field(description="The quorum as attendance stands now (第二十二条)")
    async def council_quorum(self, info: Info, meeting_id: relay.GlobalID) -> CouncilQuorumResult:
        ctx = info.context
        return await read(info, lambda: meetings.meeting_quorum(ctx.session, ctx.actor,
                                                                meeting_id=_meeting_id(meeting_id)),
                          CouncilQuorum.of)

    @strawberry.field(description="第十八条: warns about years without a general meeting")
    async def council_general_meeting_warning(self, info: Info) -> CouncilGeneralMeetingCheckResult:
        ctx = info.context
        return await read(info, lambda: minutes.general_meeting_check(ctx.session, ctx.actor),
                          CouncilGeneralMeetingCheck.of)

    @strawberry.field(description="Disclosed minutes and resolutions of every zone (or one zone's): public.")
    async def council_publications(self, info: Info, zone: str | None = None, first: int = 20,
                                   after: str | None = None) -> CouncilPublicationConnectionResult:
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
    @strawberry.mutation
    async def call_council_meeting(self, info: Info, input: CallCouncilMeetingInput) -> CouncilMeetingResult:
        ctx = info.context
        return await run(info, lambda: meetings.call_meeting(
            ctx.session, ctx.actor, kind=input.kind.value, title_zh=input.title_zh, title_en=input.title_en,
            meets_on=input.meets_on, venue=input.venue, voting_mode=input.voting_mode.value,
            proposed_by_council=input.proposed_by_council,
            proposing_unit_ids=[decode_id(g, UNIT, "proposingUnitIds") for g in input.proposing_unit_ids]),
            CouncilMeeting.from_model)

    @strawberry.mutation(description="The sitting chair approves written or online voting (第二十二条)")
    async def approve_council_voting_mode(self, info: Info, input: ApproveCouncilVotingModeInput
                                          ) -> CouncilMeetingResult:
        ctx = info.context
        return await run(info, lambda: meetings.approve_voting_mode(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id)), CouncilMeeting.from_model)

    @strawberry.mutation
    async def cancel_council_meeting(self, info: Info, input: CancelCouncilMeetingInput) -> CouncilMeetingResult:
        ctx = info.context
        return await run(info, lambda: meetings.cancel_meeting(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id)), CouncilMeeting.from_model)

    @strawberry.mutation(description="Refused as late after the last allowed date (第二十一条)")
    async def submit_council_agenda_item(self, info: Info, input: SubmitCouncilAgendaItemInput
                                         ) -> CouncilAgendaItemResult:
        ctx = info.context
        return await run(info, lambda: meetings.submit_agenda_item(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id), title_zh=input.title_zh,
            title_en=input.title_en, summary=input.summary,
            member_unit_id=decode_id(input.member_unit_id, UNIT, "memberUnitId") if input.member_unit_id
            else None), CouncilAgendaItem.from_model)

    @strawberry.mutation
    async def record_council_attendance(self, info: Info, input: RecordCouncilAttendanceInput
                                        ) -> CouncilMeetingResult:
        ctx = info.context
        return await run(info, lambda: meetings.record_attendance(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id), entries=[
                meetings.AttendanceEntry(decode_id(e.member_unit_id, UNIT, "entries"), e.present, e.attendee_name)
                for e in input.entries]), CouncilMeeting.from_model)

    @strawberry.mutation(description="Opens when the quorum is met; otherwise a Conflict with the counts")
    async def open_council_meeting(self, info: Info, input: OpenCouncilMeetingInput) -> CouncilMeetingResult:
        ctx = info.context
        return await run(info, lambda: meetings.open_meeting(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id)), CouncilMeeting.from_model)

    @strawberry.mutation
    async def close_council_meeting(self, info: Info, input: CloseCouncilMeetingInput) -> CouncilMeetingResult:
        ctx = info.context
        return await run(info, lambda: meetings.close_meeting(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id)), CouncilMeeting.from_model)

    @strawberry.mutation
    async def propose_council_motion(self, info: Info, input: ProposeCouncilMotionInput) -> CouncilMotionResult:
        ctx = info.context
        return await run(info, lambda: motions.propose_motion(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id), title_zh=input.title_zh,
            title_en=input.title_en, kind=input.kind.value, text=input.text,
            agenda_item_id=decode_id(input.agenda_item_id, "CouncilAgendaItem", "agendaItemId")
            if input.agenda_item_id else None), CouncilMotion.from_model)

    @strawberry.mutation
    async def start_council_vote(self, info: Info, input: StartCouncilVoteInput) -> CouncilMotionResult:
        ctx = info.context
        return await run(info, lambda: motions.start_vote(ctx.session, ctx.actor, motion_id=_motion_id(input.motion_id)),
                         CouncilMotion.from_model)

    @strawberry.mutation
    async def record_council_votes(self, info: Info, input: RecordCouncilVotesInput) -> CouncilMotionResult:
        ctx = info.context
        return await run(info, lambda: motions.record_votes(
            ctx.session, ctx.actor, motion_id=_motion_id(input.motion_id), votes=[
                motions.VoteEntry(decode_id(v.member_unit_id, UNIT, "votes"), v.choice.value)
                for v in input.votes]), CouncilMotion.from_model)

    @strawberry.mutation
    async def cast_council_vote(self, info: Info, input: CastCouncilVoteInput) -> CouncilMotionResult:
        ctx = info.context
        return await run(info, lambda: motions.cast_vote(
            ctx.session, ctx.actor, motion_id=_motion_id(input.motion_id), choice=input.choice.value),
            CouncilMotion.from_model)

    @strawberry.mutation(description="Fixes the counts; passes by 第二十二条 (ordinary) or 第二十三条 (major)")
    async def count_council_votes(self, info: Info, input: CountCouncilVotesInput) -> CouncilTallyResult:
        ctx = info.context
        return await run(info, lambda: motions.count_votes(ctx.session, ctx.actor,
                                                           motion_id=_motion_id(input.motion_id)), _tally)

    @strawberry.mutation(description="Draft minutes; editable until published")
    async def write_council_minutes(self, info: Info, input: WriteCouncilMinutesInput) -> CouncilMinutesResult:
        ctx = info.context
        return await run(info, lambda: minutes.write_minutes(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id), discussion=input.discussion),
            CouncilMinutes.from_model)

    @strawberry.mutation(description="Publishes the minutes and discloses them with the resolutions (第三十条)")
    async def publish_council_minutes(self, info: Info, input: PublishCouncilMinutesInput
                                      ) -> CouncilPublicationResult:
        ctx = info.context
        return await run(info, lambda: minutes.publish_minutes(
            ctx.session, ctx.actor, meeting_id=_meeting_id(input.meeting_id)), CouncilPublication.from_model)
