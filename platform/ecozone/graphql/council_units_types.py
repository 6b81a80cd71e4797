"""GraphQL types of the council's member units and officers (章程 第十条–第十五条)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.governance import officers, rules
from ecozone.governance.models import MemberUnit as UnitModel
from ecozone.governance.models import Officer as OfficerModel
from ecozone.governance.models import UnitDecision as DecisionModel
from ecozone.governance.units import EXIT_REASONS
from ecozone.graphql.common import Connection, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.results import Conflict, NotFound, PermissionDenied, ValidationFailed


def _enum(name: str, values: Iterable[str], description: str | None = None):
    return strawberry.enum(Enum(name, {v.upper(): v for v in values}), description=description)


CouncilUnitState = _enum("CouncilUnitState", rules.UNIT_STATES,
                         "applicant → active (admitted by the general meeting) → exited; or rejected")
CouncilUnitType = _enum("CouncilUnitType", rules.UNIT_TYPES, "第十条: enterprise 企业 · institution 事业单位 · "
                        "standards_body 标准化研究机构 · industry_organisation 行业标准化技术组织")
CouncilUnitDecisionKind = _enum("CouncilUnitDecisionKind", ("admit", "reject", "exit"))
CouncilExitReason = _enum("CouncilExitReason", EXIT_REASONS,
                          "第十四条: inactive (一), misconduct (二), unsuitable or voluntary (三)")
CouncilOffice = _enum("CouncilOffice", rules.OFFICES, "理事长 chair · 副理事长 vice_chair · "
                      "秘书长 secretary_general · 常任理事 standing_director (第五条)")
CouncilOfficerState = _enum("CouncilOfficerState", officers.OFFICER_STATES)
CouncilTermState = _enum("CouncilTermState", ("serving", "expiring", "expired", "ended"),
                         "expiring: within 90 days of the term's last day; expired: past it, not yet "
                         "re-elected or ended")


@strawberry.type(description="A recorded decision on a member unit: admission, rejection or exit.")
class CouncilUnitDecision(relay.Node):
    id: relay.NodeID[int]
    decision: CouncilUnitDecisionKind
    decided_on: dt.date
    reason: str | None
    recorded_at: dt.datetime
    motion_id: strawberry.Private[int | None]

    @strawberry.field(description="The passed CouncilMotion that took the decision, if any")
    def motion(self) -> relay.GlobalID | None:
        return relay.GlobalID("CouncilMotion", str(self.motion_id)) if self.motion_id else None

    @classmethod
    def from_model(cls, d: DecisionModel) -> CouncilUnitDecision:
        return cls(id=d.id, decision=CouncilUnitDecisionKind(d.decision), decided_on=d.decided_on,
                   reason=d.reason, recorded_at=d.recorded_at, motion_id=d.motion_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        if not info.context.actor.can("council_unit", "read"):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, DecisionModel, list(node_ids))]


@strawberry.type(description="A member unit of the zone's council (成员单位, 第十条), zone-private.")
class CouncilMemberUnit(relay.Node):
    id: relay.NodeID[int]
    name_zh: str
    name_en: str
    uscc: str = strawberry.field(description="Unified social credit code (统一社会信用代码)")
    unit_type: CouncilUnitType
    state: CouncilUnitState
    head_name: str = strawberry.field(description="The unit's head (主要负责人)")
    delegate_name: str | None = strawberry.field(description="A person the head delegated (委托), until the head changes")
    representative_name: str = strawberry.field(description="Who represents the unit (第十一条)")
    applied_on: dt.date
    joined_on: dt.date | None
    exited_on: dt.date | None
    last_activity_on: dt.date | None = strawberry.field(
        description="Latest recorded attendance, vote or agenda item")

    @strawberry.field
    def unit_type_name_zh(self) -> str:
        return rules.UNIT_TYPE_LABELS[self.unit_type.value][0]

    @strawberry.field
    def unit_type_name_en(self) -> str:
        return rules.UNIT_TYPE_LABELS[self.unit_type.value][1]

    @strawberry.field(description="Admission, rejection and exit decisions, oldest first")
    async def decisions(self, info: Info) -> list[CouncilUnitDecision]:
        rows = await info.context.loaders.grouped(DecisionModel, "member_unit_id",
                                                  order=(DecisionModel.member_unit_id, DecisionModel.id)).load(self.id)
        return [CouncilUnitDecision.from_model(d) for d in rows]

    @classmethod
    def from_model(cls, u: UnitModel) -> CouncilMemberUnit:
        return cls(id=u.id, name_zh=u.name_zh, name_en=u.name_en, uscc=u.uscc, unit_type=CouncilUnitType(u.unit_type),
                   state=CouncilUnitState(u.state), head_name=u.head_name, delegate_name=u.delegate_name,
                   representative_name=u.representative_name, applied_on=u.applied_on, joined_on=u.joined_on,
                   exited_on=u.exited_on, last_activity_on=u.last_activity_on)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        """Readers of the zone's council only; another zone's unit is not found (zone scoping)."""
        if not info.context.actor.can("council_unit", "read"):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, UnitModel, list(node_ids))]


@strawberry.type(description="Where a term stands today: days left (0 on the last day, negative once past).")
class CouncilTermStatus:
    state: CouncilTermState
    days_left: int | None


@strawberry.type(description="A council officer (第五条) for a member unit, elected for 3 years (第七条).")
class CouncilOfficer(relay.Node):
    id: relay.NodeID[int]
    person_name: str
    office: CouncilOffice
    term_start: dt.date
    term_end: dt.date = strawberry.field(description="The last day of the term")
    state: CouncilOfficerState
    ended_on: dt.date | None
    model: strawberry.Private[OfficerModel]

    @strawberry.field
    def office_name_zh(self) -> str:
        return rules.OFFICE_LABELS[self.model.office][0]

    @strawberry.field
    def office_name_en(self) -> str:
        return rules.OFFICE_LABELS[self.model.office][1]

    @strawberry.field
    def term_status(self) -> CouncilTermStatus:
        state, days_left = officers.term_status(self.model)
        return CouncilTermStatus(state=CouncilTermState(state), days_left=days_left)

    @strawberry.field(description="The member unit the officer holds office for")
    async def member_unit(self, info: Info) -> CouncilMemberUnit:
        return CouncilMemberUnit.from_model(await info.context.loaders.by_id(UnitModel).load(self.model.member_unit_id))

    @strawberry.field(description="The passed CouncilMotion of the election, if recorded")
    def elected_by_motion(self) -> relay.GlobalID | None:
        motion_id = self.model.elected_by_motion_id
        return relay.GlobalID("CouncilMotion", str(motion_id)) if motion_id else None

    @classmethod
    def from_model(cls, o: OfficerModel) -> CouncilOfficer:
        return cls(id=o.id, person_name=o.person_name, office=CouncilOffice(o.office), term_start=o.term_start,
                   term_end=o.term_end, state=CouncilOfficerState(o.state), ended_on=o.ended_on, model=o)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        if not info.context.actor.can("council_officer", "read"):
            return [None for _ in node_ids]
        return [cls.from_model(r) if r else None for r in await load_nodes(info, OfficerModel, list(node_ids))]


@strawberry.type(description="An active unit with no activity within a year (第十四条(一)): candidate for exit.")
class CouncilInactiveUnit:
    unit: CouncilMemberUnit
    last_activity_on: dt.date | None = strawberry.field(
        description="Latest activity of any kind: attendance, vote, agenda item, comment or project work")


def _result(type_, name: str):
    return Annotated[type_ | PermissionDenied | ValidationFailed | NotFound | Conflict, strawberry.union(name)]


CouncilMemberUnitResult = _result(CouncilMemberUnit, "CouncilMemberUnitResult")
CouncilOfficerResult = _result(CouncilOfficer, "CouncilOfficerResult")
CouncilMemberUnitConnectionResult = Annotated[Connection[CouncilMemberUnit] | PermissionDenied | ValidationFailed,
                                              strawberry.union("CouncilMemberUnitConnectionResult")]
CouncilOfficerConnectionResult = Annotated[Connection[CouncilOfficer] | PermissionDenied | ValidationFailed,
                                           strawberry.union("CouncilOfficerConnectionResult")]
CouncilInactiveUnitConnectionResult = Annotated[Connection[CouncilInactiveUnit] | PermissionDenied | ValidationFailed,
                                                strawberry.union("CouncilInactiveUnitConnectionResult")]
