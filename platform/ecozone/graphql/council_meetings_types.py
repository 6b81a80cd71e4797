"""GraphQL types of council meetings: meetings, agenda, attendance, quorum, motions, votes, minutes,
and the public disclosure (CouncilPublication)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry import relay

from ecozone.governance import rules
from ecozone.governance.minutes import GeneralMeetingCheck
from ecozone.governance.models import AgendaItem as AgendaItemModel
from ecozone.governance.models import Attendance as AttendanceModel
from ecozone.governance.models import CouncilPublication as PublicationModel
from ecozone.governance.models import CouncilVote as VoteModel
from ecozone.governance.models import Meeting as MeetingModel
from ecozone.governance.models import MeetingProposer, MemberUnit
from ecozone.governance.models import Minutes as MinutesModel
from ecozone.governance.models import Motion as MotionModel
from ecozone.governance.motions import motion_tally
from ecozone.graphql.common import Connection, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.results import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from ecozone.graphql.zones import Zone, load_zone


def _enum(name: str, values: Iterable[str], description: str | None = None):
    return strawberry.enum(Enum(name, {v.upper(): v for v in values}), description=description)


CouncilMeetingKind = _enum("CouncilMeetingKind", rules.MEETING_KINDS,
                           "GENERAL: 全体会议 (at least once a year, 第十八条); AD_HOC: 临时会议 (第二十条)")
CouncilVotingMode = _enum("CouncilVotingMode", rules.VOTING_MODES,
                          "WRITTEN and ONLINE need the chair's approval (第二十二条)")
CouncilMeetingState = _enum("CouncilMeetingState", ("called", "in_session", "cancelled", "closed"),
                            "called → in_session (quorum met) → closed; called → cancelled")
CouncilMotionKind = _enum("CouncilMotionKind", rules.RESOLUTION_KINDS,
                          "ORDINARY: 2/3 of those present (第二十二条); MAJOR: 2/3 of all members (第二十三条)")
CouncilMotionState = _enum("CouncilMotionState", rules.MOTION_STATES, "proposed → voting → passed | failed")
CouncilVoteChoice = _enum("CouncilVoteChoice", ("yes", "no", "abstain"))
CouncilMinutesState = _enum("CouncilMinutesState", ("draft", "published"), "published minutes never change")


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite gives back naive datetimes for timezone-aware columns: they were stored as UTC.
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


def can_read_council(info: Info) -> bool:
    return info.context.actor.can("council_meeting", "read")


def _unit_id(unit_id: int | None) -> relay.GlobalID | None:
    return None if unit_id is None else relay.GlobalID("CouncilMemberUnit", str(unit_id))


async def _unit(info: Info, unit_id: int | None) -> MemberUnit | None:
    return None if unit_id is None else await info.context.loaders.by_id(MemberUnit).load(unit_id)


@strawberry.interface(description="An entry made for one member unit (attendance, vote, agenda item), "
                                  "with the unit's names.")
class CouncilMemberUnitEntry:
    member_unit_id: relay.GlobalID | None = strawberry.field(description="A CouncilMemberUnit ID")
    unit_id: strawberry.Private[int | None]

    @strawberry.field
    async def member_unit_name_zh(self, info: Info) -> str | None:
        unit = await _unit(info, self.unit_id)
        return unit.name_zh if unit else None

    @strawberry.field
    async def member_unit_name_en(self, info: Info) -> str | None:
        unit = await _unit(info, self.unit_id)
        return unit.name_en if unit else None


@strawberry.type(description="A topic submitted for a meeting (at least five working days before it, 第二十一条).")
class CouncilAgendaItem(relay.Node, CouncilMemberUnitEntry):
    id: relay.NodeID[int]
    title_zh: str
    title_en: str
    summary: str | None
    submitted_on: dt.date

    @classmethod
    def from_model(cls, item: AgendaItemModel) -> CouncilAgendaItem:
        return cls(id=item.id, title_zh=item.title_zh, title_en=item.title_en, summary=item.summary,
                   submitted_on=item.submitted_on, member_unit_id=_unit_id(item.member_unit_id),
                   unit_id=item.member_unit_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        if not can_read_council(info):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, AgendaItemModel, list(node_ids))]


@strawberry.type(description="Whether a member unit was present, and who came for it.")
class CouncilAttendance(CouncilMemberUnitEntry):
    present: bool
    attendee_name: str | None
    recorded_at: dt.datetime

    @classmethod
    def from_model(cls, a: AttendanceModel) -> CouncilAttendance:
        return cls(present=a.present, attendee_name=a.attendee_name, recorded_at=a.recorded_at,
                   member_unit_id=_unit_id(a.member_unit_id), unit_id=a.member_unit_id)


@strawberry.type(description="One member unit's vote on a motion (private to the zone's council).")
class CouncilVote(CouncilMemberUnitEntry):
    choice: CouncilVoteChoice
    cast_at: dt.datetime

    @classmethod
    def from_model(cls, v: VoteModel) -> CouncilVote:
        return cls(choice=CouncilVoteChoice(v.choice), cast_at=v.cast_at,
                   member_unit_id=_unit_id(v.member_unit_id), unit_id=v.member_unit_id)


@strawberry.type(description="The quorum: 2/3 or more of the member units and 3 or more vice-chairs present "
                             "(第二十二条), with the counts and the rule in both languages.")
class CouncilQuorum:
    met: bool
    present: int
    members: int
    vice_chairs_present: int
    needed_present: int
    needed_vice_chairs: int
    rule_zh: str
    rule_en: str

    @classmethod
    def of(cls, q: rules.Quorum) -> CouncilQuorum:
        return cls(met=q.met, present=q.present, members=q.members, vice_chairs_present=q.vice_chairs_present,
                   needed_present=q.needed_present, needed_vice_chairs=q.needed_vice_chairs,
                   rule_zh=q.rule_zh, rule_en=q.rule_en)


@strawberry.type(description="A counted vote: the counts, the base (present or all members), the yes votes "
                             "needed, how many were missing, and the rule applied.")
class CouncilTally:
    kind: CouncilMotionKind
    passed: bool
    yes: int
    no: int
    abstain: int
    present: int
    members: int
    base: int
    needed: int
    short_by: int
    rule_zh: str
    rule_en: str
    model: strawberry.Private[MotionModel]

    @classmethod
    def of(cls, motion: MotionModel, t: rules.Tally) -> CouncilTally:
        return cls(kind=CouncilMotionKind(t.kind), passed=t.passed, yes=t.yes, no=t.no, abstain=t.abstain,
                   present=motion.present_count or 0, members=motion.members_count or 0, base=t.base,
                   needed=t.needed, short_by=t.short_by, rule_zh=t.rule_zh, rule_en=t.rule_en, model=motion)

    @strawberry.field
    def motion(self) -> CouncilMotion:
        return CouncilMotion.from_model(self.model)


@strawberry.type(description="A resolution put to the vote at a meeting.")
class CouncilMotion(relay.Node):
    id: relay.NodeID[int]
    title_zh: str
    title_en: str
    text: str | None
    kind: CouncilMotionKind
    state: CouncilMotionState
    model: strawberry.Private[MotionModel]

    @classmethod
    def from_model(cls, m: MotionModel) -> CouncilMotion:
        return cls(id=m.id, title_zh=m.title_zh, title_en=m.title_en, text=m.text,
                   kind=CouncilMotionKind(m.kind), state=CouncilMotionState(m.state), model=m)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        if not can_read_council(info):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, MotionModel, list(node_ids))]

    @strawberry.field
    def agenda_item_id(self) -> relay.GlobalID | None:
        item = self.model.agenda_item_id
        return None if item is None else relay.GlobalID("CouncilAgendaItem", str(item))

    @strawberry.field(description="The result, once counted")
    def tally(self) -> CouncilTally | None:
        result = motion_tally(self.model)
        return CouncilTally.of(self.model, result) if result else None

    @strawberry.field(description="The votes recorded so far, by unit")
    async def votes(self, info: Info) -> list[CouncilVote]:
        rows = await info.context.loaders.grouped(VoteModel, "motion_id", order=(VoteModel.id,)).load(self.id)
        return [CouncilVote.from_model(v) for v in rows]

    @strawberry.field
    async def meeting(self, info: Info) -> CouncilMeeting:
        return CouncilMeeting.from_model(await info.context.loaders.by_id(MeetingModel).load(self.model.meeting_id))


@strawberry.type(description="The minutes of a meeting: a draft until published, final afterwards.")
class CouncilMinutes(relay.Node):
    id: relay.NodeID[int]
    discussion: str
    state: CouncilMinutesState
    published_at: dt.datetime | None
    updated_at: dt.datetime

    @classmethod
    def from_model(cls, m: MinutesModel) -> CouncilMinutes:
        return cls(id=m.id, discussion=m.discussion, state=CouncilMinutesState(m.state),
                   published_at=_utc(m.published_at), updated_at=_utc(m.updated_at))

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        if not can_read_council(info):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, MinutesModel, list(node_ids))]


@strawberry.type(description="A council meeting of the acting zone: general (第十八条) or ad hoc (第二十条).")
class CouncilMeeting(relay.Node):
    id: relay.NodeID[int]
    kind: CouncilMeetingKind
    title_zh: str
    title_en: str
    meets_on: dt.date
    venue: str | None
    voting_mode: CouncilVotingMode
    voting_mode_approved: bool = strawberry.field(description="Written/online voting approved by the chair")
    chair_approved_at: dt.datetime | None
    proposed_by_council: bool
    state: CouncilMeetingState
    opened_at: dt.datetime | None
    present_at_opening: int | None
    members_at_opening: int | None
    vice_chairs_at_opening: int | None
    model: strawberry.Private[MeetingModel]

    @classmethod
    def from_model(cls, m: MeetingModel) -> CouncilMeeting:
        return cls(id=m.id, kind=CouncilMeetingKind(m.kind), title_zh=m.title_zh, title_en=m.title_en,
                   meets_on=m.meets_on, venue=m.venue, voting_mode=CouncilVotingMode(m.voting_mode),
                   voting_mode_approved=m.voting_mode == "in_person" or m.chair_approved_by_id is not None,
                   chair_approved_at=m.chair_approved_at, proposed_by_council=m.proposed_by_council,
                   state=CouncilMeetingState(m.state), opened_at=m.opened_at,
                   present_at_opening=m.present_at_opening, members_at_opening=m.members_at_opening,
                   vice_chairs_at_opening=m.vice_chairs_at_opening, model=m)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        if not can_read_council(info):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, MeetingModel, list(node_ids))]

    @strawberry.field(description="Agenda items in the order submitted")
    async def agenda_items(self, info: Info) -> list[CouncilAgendaItem]:
        rows = await info.context.loaders.grouped(AgendaItemModel, "meeting_id",
                                                  order=(AgendaItemModel.id,)).load(self.id)
        return [CouncilAgendaItem.from_model(r) for r in rows]

    @strawberry.field(description="Attendance as recorded, one entry per unit")
    async def attendance(self, info: Info) -> list[CouncilAttendance]:
        rows = await info.context.loaders.grouped(AttendanceModel, "meeting_id",
                                                  order=(AttendanceModel.member_unit_id,)).load(self.id)
        return [CouncilAttendance.from_model(r) for r in rows]

    @strawberry.field(description="Motions in the order proposed")
    async def motions(self, info: Info) -> list[CouncilMotion]:
        rows = await info.context.loaders.grouped(MotionModel, "meeting_id", order=(MotionModel.id,)).load(self.id)
        return [CouncilMotion.from_model(r) for r in rows]

    @strawberry.field(description="The minutes, once written")
    async def minutes(self, info: Info) -> CouncilMinutes | None:
        rows = await info.context.loaders.grouped(MinutesModel, "meeting_id").load(self.id)
        return CouncilMinutes.from_model(rows[0]) if rows else None

    @strawberry.field(description="Member units that proposed an ad hoc meeting (CouncilMemberUnit IDs)")
    async def proposing_unit_ids(self, info: Info) -> list[relay.GlobalID]:
        rows = await info.context.loaders.grouped(MeetingProposer, "meeting_id").load(self.id)
        return [relay.GlobalID("CouncilMemberUnit", str(r.member_unit_id)) for r in rows]


@strawberry.type(description="Attendance at the opening, as disclosed.")
class CouncilPublishedAttendance:
    present: int | None
    members: int | None
    vice_chairs_present: int | None


@strawberry.type(description="A disclosed resolution: counts and the rule applied, never who voted how.")
class CouncilResolution:
    title_zh: str
    title_en: str
    kind: CouncilMotionKind
    passed: bool
    yes: int
    no: int
    abstain: int
    base: int
    needed: int
    rule_zh: str
    rule_en: str

    @classmethod
    def of(cls, r: dict[str, Any]) -> CouncilResolution:
        return cls(title_zh=r["titleZh"], title_en=r["titleEn"], kind=CouncilMotionKind(r["kind"]),
                   passed=r["passed"], yes=r["yes"], no=r["no"], abstain=r["abstain"], base=r["base"],
                   needed=r["needed"], rule_zh=r["ruleZh"], rule_en=r["ruleEn"])


@strawberry.type(description="Disclosed minutes and resolutions of a council meeting (第三十条): public, final.")
class CouncilPublication(relay.Node):
    id: relay.NodeID[int]
    kind: CouncilMeetingKind
    title_zh: str
    title_en: str
    meets_on: dt.date
    discussion: str
    attendance: CouncilPublishedAttendance
    resolutions: list[CouncilResolution]
    published_at: dt.datetime
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

    @strawberry.field
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)


@strawberry.type(description="第十八条: years without a general meeting held, since the council started.")
class CouncilGeneralMeetingCheck:
    warned: bool
    missing_years: list[int] = strawberry.field(description="Past years without a general meeting held")
    message_zh: str | None
    message_en: str | None

    @classmethod
    def of(cls, c: GeneralMeetingCheck) -> CouncilGeneralMeetingCheck:
        return cls(warned=c.warned, missing_years=c.missing_years, message_zh=c.message_zh,
                   message_en=c.message_en)


def _union(name: str, type_):
    return Annotated[type_ | PermissionDenied | ValidationFailed | NotFound | Conflict, strawberry.union(name)]


CouncilMeetingResult = _union("CouncilMeetingResult", CouncilMeeting)
CouncilAgendaItemResult = _union("CouncilAgendaItemResult", CouncilAgendaItem)
CouncilQuorumResult = _union("CouncilQuorumResult", CouncilQuorum)
CouncilMotionResult = _union("CouncilMotionResult", CouncilMotion)
CouncilTallyResult = _union("CouncilTallyResult", CouncilTally)
CouncilMinutesResult = _union("CouncilMinutesResult", CouncilMinutes)
CouncilPublicationResult = _union("CouncilPublicationResult", CouncilPublication)
CouncilGeneralMeetingCheckResult = _union("CouncilGeneralMeetingCheckResult", CouncilGeneralMeetingCheck)
CouncilMeetingConnectionResult = Annotated[Connection[CouncilMeeting] | PermissionDenied | ValidationFailed,
                                           strawberry.union("CouncilMeetingConnectionResult")]
CouncilPublicationConnectionResult = Annotated[Connection[CouncilPublication] | PermissionDenied | ValidationFailed,
                                               strawberry.union("CouncilPublicationConnectionResult")]
