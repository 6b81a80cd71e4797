"""The council's member units and officers: queries and mutations (章程 第十条–第十五条; 办法 第七条)."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay

from ecozone.governance import activity, officers, units
from ecozone.graphql.common import connection, decode_id
from ecozone.graphql.context import Info
from ecozone.graphql.council_units_types import (
    CouncilExitReason,
    CouncilInactiveUnit,
    CouncilInactiveUnitConnectionResult,
    CouncilMemberUnit,
    CouncilMemberUnitConnectionResult,
    CouncilMemberUnitResult,
    CouncilOffice,
    CouncilOfficer,
    CouncilOfficerConnectionResult,
    CouncilOfficerResult,
    CouncilOfficerState,
    CouncilUnitState,
    CouncilUnitType,
)
from ecozone.graphql.results import read, run


def _user_id(gid: relay.GlobalID | None, field: str) -> int | None:
    return decode_id(gid, "User", field) if gid is not None else None


def _motion_id(gid: relay.GlobalID | None) -> int | None:
    return decode_id(gid, "CouncilMotion", "motionId") if gid is not None else None


@strawberry.input(description="A legal entity applies to the secretariat; the general meeting decides (第十条).")
class ApplyForCouncilMembershipInput:
    name_zh: str
    name_en: str
    uscc: str = strawberry.field(description="Unified social credit code, 18 characters with its check character")
    unit_type: CouncilUnitType
    head_name: str = strawberry.field(description="The unit's head (主要负责人), who represents it")
    head_user_id: relay.GlobalID | None = None


@strawberry.input(description="Secretariat: record a unit that founded the council (the bootstrap, no decision).")
class RegisterFoundingCouncilUnitInput:
    name_zh: str
    name_en: str
    uscc: str
    unit_type: CouncilUnitType
    head_name: str
    joined_on: dt.date
    head_user_id: relay.GlobalID | None = None


@strawberry.input(description="Secretariat: record the general meeting's decision on an application (第十条).")
class DecideCouncilApplicationInput:
    unit_id: relay.GlobalID
    admit: bool
    motion_id: relay.GlobalID = strawberry.field(description="The passed CouncilMotion of a general meeting")
    reason: str | None = None


@strawberry.input(description="The unit's head changed: the representative follows, a delegation lapses (第十一条).")
class ChangeCouncilUnitHeadInput:
    unit_id: relay.GlobalID
    head_name: str
    head_user_id: relay.GlobalID | None = None


@strawberry.input(description="Record the head's delegation (委托, 第十一条); a null delegateName clears it.")
class DelegateCouncilRepresentativeInput:
    unit_id: relay.GlobalID
    delegate_name: str | None
    delegate_user_id: relay.GlobalID | None = None


@strawberry.input(description="Record a unit's exit (第十四条); every reason but VOLUNTARY needs the passed motion.")
class ExitCouncilUnitInput:
    unit_id: relay.GlobalID
    reason: CouncilExitReason
    note: str | None = None
    motion_id: relay.GlobalID | None = None


@strawberry.input(description="Secretariat: record an election result (第五条, 第七条, 第十五条; 办法 第七条).")
class ElectCouncilOfficerInput:
    member_unit_id: relay.GlobalID
    person_name: str
    birth_date: dt.date
    office: CouncilOffice
    term_start: dt.date
    user_id: relay.GlobalID | None = None
    motion_id: relay.GlobalID | None = None


@strawberry.input
class EndCouncilOfficeInput:
    officer_id: relay.GlobalID
    ended_on: dt.date
    reason: str


def _unit(u) -> CouncilMemberUnit:
    return CouncilMemberUnit.from_model(u)


@strawberry.type
class CouncilUnitsQuery:
    @strawberry.field(description="The acting zone's member units, by Chinese name (director, secretary, members).")
    async def council_member_units(self, info: Info, state: CouncilUnitState | None = None, first: int = 20,
                                   after: str | None = None) -> CouncilMemberUnitConnectionResult:
        ctx = info.context
        return await read(info, lambda: units.units_page(
            ctx.session, ctx.actor, state=state.value if state else None, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size), lambda page: connection(page, _unit))

    @strawberry.field
    async def council_member_unit(self, info: Info, id: relay.GlobalID) -> CouncilMemberUnitResult:
        ctx = info.context
        return await read(info, lambda: units.read_unit(ctx.session, ctx.actor, decode_id(id, "CouncilMemberUnit")),
                          _unit)

    @strawberry.field(description="Officers, serving by default; an expired term shows in termStatus.")
    async def council_officers(self, info: Info, state: CouncilOfficerState | None = CouncilOfficerState.SERVING,
                               office: CouncilOffice | None = None, first: int = 20, after: str | None = None
                               ) -> CouncilOfficerConnectionResult:
        ctx = info.context
        return await read(info, lambda: officers.officers_page(
            ctx.session, ctx.actor, state=state.value if state else None, office=office.value if office else None,
            first=first, after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, CouncilOfficer.from_model))

    @strawberry.field(description="Active units with no activity within a year (第十四条(一)).")
    async def inactive_council_units(self, info: Info, first: int = 20, after: str | None = None
                                     ) -> CouncilInactiveUnitConnectionResult:
        ctx = info.context
        return await read(info, lambda: activity.inactive_units_page(
            ctx.session, ctx.actor, first=first, after=after, max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, lambda pair: CouncilInactiveUnit(unit=_unit(pair[0]),
                                                                           last_activity_on=pair[1])))

    @strawberry.field(description="Serving officers whose term ends within withinDays days or has ended, soonest first.")
    async def expiring_council_officers(self, info: Info, within_days: int = 90, first: int = 20,
                                        after: str | None = None) -> CouncilOfficerConnectionResult:
        ctx = info.context
        return await read(info, lambda: officers.expiring_officers_page(
            ctx.session, ctx.actor, within_days=within_days, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size),
            lambda page: connection(page, CouncilOfficer.from_model))


@strawberry.type
class CouncilUnitsMutation:
    @strawberry.mutation(description="Any signed-in user of the zone applies for a legal entity (第十条).")
    async def apply_for_council_membership(self, info: Info, input: ApplyForCouncilMembershipInput
                                           ) -> CouncilMemberUnitResult:
        ctx = info.context
        return await run(info, lambda: units.apply_for_membership(
            ctx.session, ctx.actor, name_zh=input.name_zh, name_en=input.name_en, uscc=input.uscc,
            unit_type=input.unit_type.value, head_name=input.head_name,
            head_user_id=_user_id(input.head_user_id, "headUserId")), _unit)

    @strawberry.mutation
    async def register_founding_council_unit(self, info: Info, input: RegisterFoundingCouncilUnitInput
                                             ) -> CouncilMemberUnitResult:
        ctx = info.context
        return await run(info, lambda: units.register_founding_unit(
            ctx.session, ctx.actor, name_zh=input.name_zh, name_en=input.name_en, uscc=input.uscc,
            unit_type=input.unit_type.value, head_name=input.head_name, joined_on=input.joined_on,
            head_user_id=_user_id(input.head_user_id, "headUserId")), _unit)

    @strawberry.mutation
    async def decide_council_application(self, info: Info, input: DecideCouncilApplicationInput
                                         ) -> CouncilMemberUnitResult:
        ctx = info.context
        return await run(info, lambda: units.decide_application(
            ctx.session, ctx.actor, unit_id=decode_id(input.unit_id, "CouncilMemberUnit", "unitId"),
            admit=input.admit, motion_id=_motion_id(input.motion_id), reason=input.reason), _unit)

    @strawberry.mutation
    async def change_council_unit_head(self, info: Info, input: ChangeCouncilUnitHeadInput
                                       ) -> CouncilMemberUnitResult:
        ctx = info.context
        return await run(info, lambda: units.change_unit_head(
            ctx.session, ctx.actor, unit_id=decode_id(input.unit_id, "CouncilMemberUnit", "unitId"),
            head_name=input.head_name, head_user_id=_user_id(input.head_user_id, "headUserId")), _unit)

    @strawberry.mutation
    async def delegate_council_representative(self, info: Info, input: DelegateCouncilRepresentativeInput
                                              ) -> CouncilMemberUnitResult:
        ctx = info.context
        return await run(info, lambda: units.delegate_representative(
            ctx.session, ctx.actor, unit_id=decode_id(input.unit_id, "CouncilMemberUnit", "unitId"),
            delegate_name=input.delegate_name,
            delegate_user_id=_user_id(input.delegate_user_id, "delegateUserId")), _unit)

    @strawberry.mutation
    async def exit_council_unit(self, info: Info, input: ExitCouncilUnitInput) -> CouncilMemberUnitResult:
        ctx = info.context
        return await run(info, lambda: units.exit_unit(
            ctx.session, ctx.actor, unit_id=decode_id(input.unit_id, "CouncilMemberUnit", "unitId"),
            reason=input.reason.value, note=input.note, motion_id=_motion_id(input.motion_id)), _unit)

    @strawberry.mutation
    async def elect_council_officer(self, info: Info, input: ElectCouncilOfficerInput) -> CouncilOfficerResult:
        ctx = info.context
        return await run(info, lambda: officers.elect_officer(
            ctx.session, ctx.actor, member_unit_id=decode_id(input.member_unit_id, "CouncilMemberUnit", "memberUnitId"),
            person_name=input.person_name, birth_date=input.birth_date, office=input.office.value,
            term_start=input.term_start, user_id=_user_id(input.user_id, "userId"),
            motion_id=_motion_id(input.motion_id)), CouncilOfficer.from_model)

    @strawberry.mutation
    async def end_council_office(self, info: Info, input: EndCouncilOfficeInput) -> CouncilOfficerResult:
        ctx = info.context
        return await run(info, lambda: officers.end_office(
            ctx.session, ctx.actor, officer_id=decode_id(input.officer_id, "CouncilOfficer", "officerId"),
            ended_on=input.ended_on, reason=input.reason), CouncilOfficer.from_model)
