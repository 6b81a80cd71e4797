"""GraphQL types of council meetings: meetings, agenda, attendance, quorum, motions, votes, minutes.
The public disclosure and the result unions: meetings_results.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum

import strawberry
from strawberry import relay

from ecozone.governance import meetings, rules
from ecozone.governance.models import AgendaItem as AgendaItemModel
from ecozone.governance.models import Attendance as AttendanceModel
from ecozone.governance.models import CouncilVote as VoteModel
from ecozone.governance.models import Meeting as MeetingModel
from ecozone.governance.models import MeetingProposer, MemberUnit
from ecozone.governance.models import Minutes as MinutesModel
from ecozone.governance.models import Motion as MotionModel
from ecozone.governance.motions import motion_tally
from ecozone.graphql.common import load_nodes
from ecozone.graphql.context import Info


def _enum(name: str, values: Iterable[str], description: str | None = None):
    return strawberry.enum(Enum(name, {v.upper(): v for v in values}), description=description)


CouncilMeetingKind = _enum("CouncilMeetingKind", rules.MEETING_KINDS,
                           "GENERAL: 全体会议 (at least once a year, 第十八条); AD_HOC: 临时会议 (第二十条)")
CouncilVotingMode = _enum("CouncilVotingMode", rules.VOTING_MODES,
                          ("How votes are taken at a meeting; WRITTEN and ONLINE need the chair's approval (第二十二"
         "条). 会议表决方式；书面和网络表决须经理事长批准（第二十二条）。"))
CouncilMeetingState = _enum("CouncilMeetingState", ("called", "in_session", "cancelled", "closed"),
                            ("CALLED 已召集 → IN_SESSION 开会中 (quorum met) → CLOSED 已结束; or CALLED → CANCELLED 已取消. 会议"
         "状态。"))
CouncilMotionKind = _enum("CouncilMotionKind", rules.RESOLUTION_KINDS,
                          ("ORDINARY: 2/3 of those present (第二十二条); MAJOR: 2/3 of all members (第二十三条). 动议类型：一般事项"
         "须出席单位三分之二以上同意；重大事项须全体成员三分之二以上同意。"))
CouncilMotionState = _enum("CouncilMotionState", rules.MOTION_STATES, "PROPOSED 已提出 → VOTING 表决中 → PASSED 通过 or FAILED 未通过. 动议状态。")
CouncilVoteChoice = _enum("CouncilVoteChoice", ("yes", "no", "abstain"), "YES 赞成 · NO 反对 · ABSTAIN 弃权. 表决选项。")
CouncilMinutesState = _enum("CouncilMinutesState", ("draft", "published"), "DRAFT 草稿 (editable) → PUBLISHED 已发布 (public, never changes). 会议纪要状态。")


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite gives back naive datetimes for timezone-aware columns: they were stored as UTC.
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


def can_read_council(info: Info) -> bool:
    return info.context.actor.can("council_meeting", "read")


def _unit_id(unit_id: int | None) -> relay.GlobalID | None:
    return None if unit_id is None else relay.GlobalID("CouncilMemberUnit", str(unit_id))


async def _unit(info: Info, unit_id: int | None) -> MemberUnit | None:
    return None if unit_id is None else await info.context.loaders.by_id(MemberUnit).load(unit_id)


@strawberry.interface(description=("An entry made for one member unit (attendance, vote, agenda item), with the unit's "
         "names. 针对某一成员单位的记录（出席、表决、议题），含单位名称。"))
class CouncilMemberUnitEntry:
    member_unit_id: relay.GlobalID | None = strawberry.field(description=(
             "Global ID of the member unit (`CouncilMemberUnit.id`); null for the "
             "secretariat's own entry. 成员单位的全局 ID（`CouncilMemberUnit.id`）；秘书处自身的记录为 null。"))
    unit_id: strawberry.Private[int | None]

    @strawberry.field(description="The unit's name in Chinese; null without a unit. 单位中文名称；无单位时为 null。")
    async def member_unit_name_zh(self, info: Info) -> str | None:
        unit = await _unit(info, self.unit_id)
        return unit.name_zh if unit else None

    @strawberry.field(description="The unit's name in English; null without a unit. 单位英文名称；无单位时为 null。")
    async def member_unit_name_en(self, info: Info) -> str | None:
        unit = await _unit(info, self.unit_id)
        return unit.name_en if unit else None


@strawberry.type(description=("A topic submitted for a meeting, at least five working days before it (第二十一条). 为会议提交"
         "的议题，须至少提前五个工作日（第二十一条）。"))
class CouncilAgendaItem(relay.Node, CouncilMemberUnitEntry):
    id: relay.NodeID[int]
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    summary: str | None = strawberry.field(description=("What is asked of the meeting; null if not given. 议题摘要；未填写时为 null。"))
    submitted_on: dt.date = strawberry.field(description="Date submitted. 提交日期。")

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


@strawberry.type(description=("Whether a member unit was present, and who came for it. 成员单位是否出席及出席人。"))
class CouncilAttendance(CouncilMemberUnitEntry):
    present: bool = strawberry.field(description="True when present. 是否出席。")
    attendee_name: str | None = strawberry.field(description="Who came for the unit; null if not recorded. 出席人姓名；未登记时为 null。")
    recorded_at: dt.datetime = strawberry.field(description="When it was recorded. 登记时间。")

    @classmethod
    def from_model(cls, a: AttendanceModel) -> CouncilAttendance:
        return cls(present=a.present, attendee_name=a.attendee_name, recorded_at=a.recorded_at,
                   member_unit_id=_unit_id(a.member_unit_id), unit_id=a.member_unit_id)


@strawberry.type(description=("One member unit's vote on a motion (private to the zone's council). 某一成员单位对动议的表决（仅本区"
         "理事会可见）。"))
class CouncilVote(CouncilMemberUnitEntry):
    choice: CouncilVoteChoice = strawberry.field(description="Yes, no or abstain. 赞成、反对或弃权。")
    cast_at: dt.datetime = strawberry.field(description="When it was cast or recorded. 投票或登记时间。")

    @classmethod
    def from_model(cls, v: VoteModel) -> CouncilVote:
        return cls(choice=CouncilVoteChoice(v.choice), cast_at=v.cast_at,
                   member_unit_id=_unit_id(v.member_unit_id), unit_id=v.member_unit_id)


@strawberry.type(description=("The quorum: 2/3 or more of the member units and 3 or more vice-chairs present (第二十二条"
         "), with the counts and the rule in both languages. 法定人数：三分之二以上成员单位及 3 名以上副理事长出席（第二十二"
         "条），附人数和中英文规则。"))
class CouncilQuorum:
    met: bool = strawberry.field(description="Whether the meeting may open now. 当前是否达到开会条件。")
    present: int = strawberry.field(description="Member units recorded present. 已登记出席的成员单位数。")
    members: int = strawberry.field(description="Active member units. 正式成员单位总数。")
    vice_chairs_present: int = strawberry.field(description="Vice-chairs recorded present. 已登记出席的副理事长人数。")
    needed_present: int = strawberry.field(description=("Units needed present: 2/3 or more of the member units (第二十二条). 须出席单位数：成员单位的三分之二以上（第二十二条）。"))
    needed_vice_chairs: int = strawberry.field(description="Vice-chairs needed present: 3 or more (第二十二条). 须出席副理事长人数：3 人以上（第二十二条）。")
    rule_zh: str = strawberry.field(description="The quorum rule, in Chinese. 法定人数规则（中文）。")
    rule_en: str = strawberry.field(description="The quorum rule, in English. 法定人数规则（英文）。")

    @classmethod
    def of(cls, q: rules.Quorum) -> CouncilQuorum:
        return cls(met=q.met, present=q.present, members=q.members, vice_chairs_present=q.vice_chairs_present,
                   needed_present=q.needed_present, needed_vice_chairs=q.needed_vice_chairs,
                   rule_zh=q.rule_zh, rule_en=q.rule_en)


@strawberry.type(description=("A counted vote: the counts, the base (present or all members), the yes votes "
         "needed, how many were missing, and the rule applied. 计票结果：票数、基数（出席或全体成员）、所需赞成票、差额及所适"
         "用的规则。"))
class CouncilTally:
    kind: CouncilMotionKind = strawberry.field(description="Ordinary or major. 一般事项或重大事项。")
    passed: bool = strawberry.field(description="Whether the motion passed. 是否通过。")
    yes: int = strawberry.field(description="Yes votes. 赞成票数。")
    no: int = strawberry.field(description="No votes. 反对票数。")
    abstain: int = strawberry.field(description="Abstentions. 弃权票数。")
    present: int = strawberry.field(description="Member units present. 出席成员单位数。")
    members: int = strawberry.field(description="Active member units. 正式成员单位总数。")
    base: int = strawberry.field(description=("The base of the majority: units present (ordinary) or all members (major). 多数的基数"
             "：出席单位数（一般事项）或全体成员数（重大事项）。"))
    needed: int = strawberry.field(description=("Yes votes needed to pass: 2/3 or more of the base. 通过所需赞成票数：基数的三分之二以上。"))
    short_by: int = strawberry.field(description=("Yes votes missing to pass; 0 when passed. 距通过尚差的赞成票数；通过时为 0。"))
    rule_zh: str = strawberry.field(description=("The rule applied, with its article, in Chinese. 所适用规则及条款（中文）。"))
    rule_en: str = strawberry.field(description="The rule applied, in English. 所适用规则（英文）。")
    model: strawberry.Private[MotionModel]

    @classmethod
    def of(cls, motion: MotionModel, t: rules.Tally) -> CouncilTally:
        return cls(kind=CouncilMotionKind(t.kind), passed=t.passed, yes=t.yes, no=t.no, abstain=t.abstain,
                   present=motion.present_count or 0, members=motion.members_count or 0, base=t.base,
                   needed=t.needed, short_by=t.short_by, rule_zh=t.rule_zh, rule_en=t.rule_en, model=motion)

    @strawberry.field(description="The motion counted. 被计票的动议。")
    def motion(self) -> CouncilMotion:
        return CouncilMotion.from_model(self.model)


@strawberry.type(description="A resolution put to the vote at a meeting. 提交会议表决的动议。")
class CouncilMotion(relay.Node):
    id: relay.NodeID[int]
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    text: str | None = strawberry.field(description=("Full text; null if not given. 全文；未填写时为 null。"))
    kind: CouncilMotionKind = strawberry.field(description="Ordinary or major: decides the majority needed. 一般事项或重大事项：决定所需多数。")
    state: CouncilMotionState = strawberry.field(description="Proposed, voting, passed or failed. 已提出、表决中、通过或未通过。")
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

    @strawberry.field(description=("The agenda item it answers (`CouncilAgendaItem.id`); null if none. 对应议题（"
         "`CouncilAgendaItem.id`）；无则为 null。"))
    def agenda_item_id(self) -> relay.GlobalID | None:
        item = self.model.agenda_item_id
        return None if item is None else relay.GlobalID("CouncilAgendaItem", str(item))

    @strawberry.field(description="The result, once counted; null before. 计票结果；计票前为 null。")
    def tally(self) -> CouncilTally | None:
        result = motion_tally(self.model)
        return CouncilTally.of(self.model, result) if result else None

    @strawberry.field(description="The votes recorded so far, by unit. 已登记的表决，按单位。")
    async def votes(self, info: Info) -> list[CouncilVote]:
        rows = await info.context.loaders.grouped(VoteModel, "motion_id", order=(VoteModel.id,)).load(self.id)
        return [CouncilVote.from_model(v) for v in rows]

    @strawberry.field(description="The meeting. 所属会议。")
    async def meeting(self, info: Info) -> CouncilMeeting:
        return CouncilMeeting.from_model(await info.context.loaders.by_id(MeetingModel).load(self.model.meeting_id))


@strawberry.type(description=("The minutes of a meeting: a draft until published, final afterwards. 会议纪要：发布前为草稿，发布后"
         "定稿。"))
class CouncilMinutes(relay.Node):
    id: relay.NodeID[int]
    discussion: str = strawberry.field(description="What was discussed. 讨论情况。")
    state: CouncilMinutesState = strawberry.field(description="Draft or published. 草稿或已发布。")
    published_at: dt.datetime | None = strawberry.field(description="When published; null while a draft. 发布时间；草稿时为 null。")
    updated_at: dt.datetime = strawberry.field(description="When it last changed (ISO 8601 with offset). 最后修改时间（ISO 8601，含时区偏移）。")

    @classmethod
    def from_model(cls, m: MinutesModel) -> CouncilMinutes:
        return cls(id=m.id, discussion=m.discussion, state=CouncilMinutesState(m.state),
                   published_at=_utc(m.published_at), updated_at=_utc(m.updated_at))

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        if not can_read_council(info):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, MinutesModel, list(node_ids))]


@strawberry.type(description=("A council meeting of the acting zone: general (第十八条) or ad hoc (第二十条); the zone's "
         "council only. 所操作试验区的理事会会议：全体会议（第十八条）或临时会议（第二十条）；仅本区理事会可见。"))
class CouncilMeeting(relay.Node):
    id: relay.NodeID[int]
    kind: CouncilMeetingKind = strawberry.field(description="General or ad hoc. 全体会议或临时会议。")
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    meets_on: dt.date = strawberry.field(description="Date of the meeting. 会议日期。")
    venue: str | None = strawberry.field(description=("Where it meets; null if not given. 地点；未填写时为 null。"))
    voting_mode: CouncilVotingMode = strawberry.field(description="How votes are taken. 表决方式。")
    voting_mode_approved: bool = strawberry.field(description=(
             "Written/online voting approved by the chair (第二十二条); true for a show of hands. 书"
             "面/网络表决是否经理事长批准（第二十二条）；现场表决为 true。"))
    chair_approved_at: dt.datetime | None = strawberry.field(description=(
             "When the chair approved the voting mode; null if not (yet). 理事长批准表决方式的时间；未批准时为 "
             "null。"))
    proposed_by_council: bool = strawberry.field(description="True when the council proposed this ad hoc meeting. 临时会议是否由理事会提议。")
    state: CouncilMeetingState = strawberry.field(description="Called, in session, closed or cancelled. 已召集、开会中、已结束或已取消。")
    opened_at: dt.datetime | None = strawberry.field(description="When it opened; null before. 开会时间；开会前为 null。")
    present_at_opening: int | None = strawberry.field(description="Member units present at the opening; null before. 开会时出席的成员单位数；开会前为 null。")
    members_at_opening: int | None = strawberry.field(description="Active member units at the opening; null before. 开会时正式成员单位总数；开会前为 null。")
    vice_chairs_at_opening: int | None = strawberry.field(description="Vice-chairs present at the opening; null before. 开会时出席的副理事长人数；开会前为 null。")
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

    @strawberry.field(description=(
        "The last day an agenda item may be submitted: the zone's number of working days (5 by default) before "
        "the meeting, on the official calendar (第二十一条); null while a year to count across has no calendar "
        "data (installed or loaded with `ecozone calendar load`). 议题提交的最后一天：会议前若干个工作日（默认五个，按"
        "国家法定节假日安排，第二十一条）；所跨年份尚无日历数据（未安装也未导入）时为 null。"))
    async def last_agenda_submission_on(self, info: Info) -> dt.date | None:
        return await meetings.agenda_deadline(info.context.session, self.model, info.context.actor.zone_id)

    @strawberry.field(description="Agenda items in the order submitted. 议题，按提交顺序。")
    async def agenda_items(self, info: Info) -> list[CouncilAgendaItem]:
        rows = await info.context.loaders.grouped(AgendaItemModel, "meeting_id",
                                                  order=(AgendaItemModel.id,)).load(self.id)
        return [CouncilAgendaItem.from_model(r) for r in rows]

    @strawberry.field(description="Attendance as recorded, one entry per unit. 出席登记，每个单位一条。")
    async def attendance(self, info: Info) -> list[CouncilAttendance]:
        rows = await info.context.loaders.grouped(AttendanceModel, "meeting_id",
                                                  order=(AttendanceModel.member_unit_id,)).load(self.id)
        return [CouncilAttendance.from_model(r) for r in rows]

    @strawberry.field(description="Motions in the order proposed. 动议，按提出顺序。")
    async def motions(self, info: Info) -> list[CouncilMotion]:
        rows = await info.context.loaders.grouped(MotionModel, "meeting_id", order=(MotionModel.id,)).load(self.id)
        return [CouncilMotion.from_model(r) for r in rows]

    @strawberry.field(description="The minutes once written; null before. 会议纪要（起草后）；此前为 null。")
    async def minutes(self, info: Info) -> CouncilMinutes | None:
        rows = await info.context.loaders.grouped(MinutesModel, "meeting_id").load(self.id)
        return CouncilMinutes.from_model(rows[0]) if rows else None

    @strawberry.field(description=("Member units that proposed an ad hoc meeting (`CouncilMemberUnit.id`). 提议召开临时会议的"
             "成员单位（`CouncilMemberUnit.id`）。"))
    async def proposing_unit_ids(self, info: Info) -> list[relay.GlobalID]:
        rows = await info.context.loaders.grouped(MeetingProposer, "meeting_id").load(self.id)
        return [relay.GlobalID("CouncilMemberUnit", str(r.member_unit_id)) for r in rows]
