"""The council meeting tests' people, operations and fixtures (meetings, motions, minutes).

Member units and officers are set up directly (they are not the feature under test there); the
clock is frozen on ``ecozone.governance.clock.today``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from ecozone.governance import clock
from ecozone.governance.models import MemberUnit, Officer
from ecozone.notifications.models import Notification
from ecozone.tenancy.models import Zone
from sqlalchemy import select

from tests.support.api import gid

D = dt.date
MONDAY = D(2026, 3, 2)
FRIDAY_20_MARCH = D(2026, 3, 20)

MEETING_FIELDS = """
  __typename
  ... on CouncilMeeting { id kind state meetsOn votingMode votingModeApproved proposedByCouncil
                          presentAtOpening membersAtOpening viceChairsAtOpening lastAgendaSubmissionOn }
  ... on ValidationFailed { fieldErrors { field code message messageZh } }
  ... on Failure { code message messageZh }
"""
CALL = """mutation($input: CallCouncilMeetingInput!) { callCouncilMeeting(input: $input) {""" + MEETING_FIELDS + """} }"""
APPROVE = """mutation($id: ID!) { approveCouncilVotingMode(input: {meetingId: $id}) {""" + MEETING_FIELDS + """} }"""
CANCEL = """mutation($id: ID!) { cancelCouncilMeeting(input: {meetingId: $id}) {""" + MEETING_FIELDS + """} }"""
OPEN = """mutation($id: ID!) { openCouncilMeeting(input: {meetingId: $id}) {""" + MEETING_FIELDS + """} }"""
CLOSE = """mutation($id: ID!) { closeCouncilMeeting(input: {meetingId: $id}) {""" + MEETING_FIELDS + """} }"""
ATTEND = """mutation($input: RecordCouncilAttendanceInput!) { recordCouncilAttendance(input: $input) {
  """ + MEETING_FIELDS + """ ... on CouncilMeeting { attendance { memberUnitId memberUnitNameZh present attendeeName } } } }"""
AGENDA = """mutation($input: SubmitCouncilAgendaItemInput!) { submitCouncilAgendaItem(input: $input) {
  __typename
  ... on CouncilAgendaItem { id titleZh submittedOn memberUnitId memberUnitNameEn }
  ... on CouncilAgendaDeadlinePassed { meetsOn lastAllowedOn }
  ... on ValidationFailed { fieldErrors { field code message messageZh } }
  ... on Failure { code message messageZh } } }"""
QUORUM = """query($id: ID!) { councilQuorum(meetingId: $id) { __typename
  ... on CouncilQuorum { met present members viceChairsPresent neededPresent neededViceChairs ruleZh ruleEn }
  ... on Failure { code message } } }"""
MEETING = """query($id: ID!) { councilMeeting(id: $id) {""" + MEETING_FIELDS + """} }"""


@dataclass
class Council:
    zone: str
    units: list[int]            # active member units, unit i represented by reps[i]
    reps: list[str]
    chair: str                  # the chair's user (the representative of units[0])
    vice_chair_units: list[int]
    applicants: list[int]       # member units still applying (not members)
    secretary: str
    director: str

    def unit(self, i: int) -> str:
        return gid("CouncilMemberUnit", self.units[i])


@pytest.fixture
def today(monkeypatch):
    """The council's clock, frozen; set ``today.day`` to move it."""
    class Today:
        day = MONDAY
    monkeypatch.setattr(clock, "today", lambda: Today.day)
    return Today


async def seed_council(api, *, zone: str = "jiangxi", prefix: str = "jx", units: int = 9,
                       vice_chairs: int = 5, applicants: int = 0) -> Council:
    """``units`` active member units (the first holds the chair, the next ``vice_chairs`` a vice-chair
    each), their representatives with the member role, a secretary and a director."""
    reps = [f"{prefix}-rep{i + 1}" for i in range(units)]
    for name in reps:
        await api.add_user(name, zone, "member")
    await api.add_user(f"{prefix}-secretary", zone, "secretary")
    await api.add_user(f"{prefix}-director", zone, "director")

    async def work(session):
        zone_id = await session.scalar(select(Zone.id).where(Zone.slug == zone))
        rows = []
        for i in range(units + applicants):
            active = i < units
            rows.append(MemberUnit(
                zone_id=zone_id, name_zh=f"测试成员单位{i + 1}", name_en=f"Test member unit {i + 1}",
                uscc=f"9136{i:014d}", unit_type="enterprise", head_name=f"负责人{i + 1}",
                head_user_id=api.users[reps[i]] if active else None, state="active" if active else "applicant",
                applied_on=D(2025, 1, 2), joined_on=D(2025, 1, 10) if active else None))
        session.add_all(rows)
        await session.flush()
        officers = [Officer(zone_id=zone_id, member_unit_id=rows[0].id, person_name="理事长甲",
                            user_id=api.users[reps[0]], birth_date=D(1970, 5, 1), office="chair",
                            term_start=D(2025, 1, 10), term_end=D(2028, 1, 9), state="serving")]
        officers += [Officer(zone_id=zone_id, member_unit_id=rows[i].id, person_name=f"副理事长{i}",
                             user_id=api.users[reps[i]], birth_date=D(1972, 3, 3), office="vice_chair",
                             term_start=D(2025, 1, 10), term_end=D(2028, 1, 9), state="serving")
                     for i in range(1, 1 + vice_chairs)]
        session.add_all(officers)
        return [r.id for r in rows]

    ids = await api.operator(work)
    return Council(zone=zone, units=ids[:units], reps=reps, chair=reps[0],
                   vice_chair_units=ids[1:1 + vice_chairs], applicants=ids[units:], secretary=f"{prefix}-secretary",
                   director=f"{prefix}-director")


async def call(api, council: Council, *, meets_on: D = FRIDAY_20_MARCH, kind: str = "GENERAL",
               user: str | None = None, **extra) -> dict:
    data = await api.gql(CALL, {"input": {"kind": kind, "titleZh": "2026年度理事大会",
                                          "titleEn": "2026 general meeting", "meetsOn": meets_on.isoformat(),
                                          "venue": "南昌", **extra}},
                         user=user or council.secretary, zone=council.zone)
    return data["callCouncilMeeting"]


async def attend(api, council: Council, meeting_id: str, present: list[int], absent: list[int] = ()) -> dict:
    entries = ([{"memberUnitId": council.unit(i), "present": True, "attendeeName": f"代表{i + 1}"}
                for i in present] + [{"memberUnitId": council.unit(i), "present": False} for i in absent])
    data = await api.gql(ATTEND, {"input": {"meetingId": meeting_id, "entries": entries}},
                         user=council.secretary, zone=council.zone)
    return data["recordCouncilAttendance"]


async def opened_meeting(api, council: Council, present: list[int], **call_args) -> str:
    """A meeting called, attended by units ``present`` (by index) and opened."""
    meeting = await call(api, council, **call_args)
    await attend(api, council, meeting["id"], present)
    opened = (await api.gql(OPEN, {"id": meeting["id"]}, user=council.secretary, zone=council.zone))
    assert opened["openCouncilMeeting"]["state"] == "IN_SESSION", opened
    return meeting["id"]


async def last_activity(api, unit_ids: list[int]) -> dict[int, D | None]:
    async def work(session):
        rows = (await session.scalars(select(MemberUnit).where(MemberUnit.id.in_(unit_ids)))).all()
        return {r.id: r.last_activity_on for r in rows}
    return await api.operator(work)


async def notifications_of(api, kind: str) -> set[int]:
    async def work(session):
        return set((await session.scalars(select(Notification.user_id).where(Notification.kind == kind))).all())
    return await api.operator(work)


@pytest.fixture
async def council(api, today) -> Council:
    return await seed_council(api)


MOTION_RESULT = """__typename ... on CouncilMotion { id state } ... on ValidationFailed { fieldErrors { field } }
  ... on Failure { code message messageZh }"""


async def decide(api, council: Council, meeting_id: str, title_zh: str, *, passed: bool = True,
                 kind: str = "ORDINARY", present: list[int] | None = None) -> str:
    """A motion proposed, voted by the units ``present`` (by index, all of them by default: yes when
    ``passed``, else no) and counted; the motion's global ID."""
    present = list(range(len(council.units))) if present is None else present
    who = {"user": council.secretary, "zone": council.zone}
    proposed = (await api.gql(
        "mutation($input: ProposeCouncilMotionInput!) { proposeCouncilMotion(input: $input) { " + MOTION_RESULT
        + " } }", {"input": {"meetingId": meeting_id, "titleZh": title_zh, "titleEn": f"Resolution: {title_zh}",
                             "kind": kind}}, **who))["proposeCouncilMotion"]
    motion_id = proposed["id"]
    await api.gql("mutation($id: ID!) { startCouncilVote(input: {motionId: $id}) { " + MOTION_RESULT + " } }",
                  {"id": motion_id}, **who)
    await api.gql("mutation($input: RecordCouncilVotesInput!) { recordCouncilVotes(input: $input) { "
                  + MOTION_RESULT + " } }", {"input": {"motionId": motion_id, "votes": [
                      {"memberUnitId": council.unit(i), "choice": "YES" if passed else "NO"} for i in present]}},
                  **who)
    counted = (await api.gql("mutation($id: ID!) { countCouncilVotes(input: {motionId: $id}) { __typename "
                             "... on CouncilTally { passed } ... on Failure { message } } }",
                             {"id": motion_id}, **who))["countCouncilVotes"]
    assert counted.get("passed") is passed, counted
    return motion_id
