"""Offices by vote through the HTTP API, on both databases (章程 第五条, 第七条, 第十八条(三), 第二十二条;
办法 第七条, 第八条): an officer elected ahead of the term is elect, not serving, and a chair-elect
cannot act as chair; elections and removals only by a passed motion; the base director appointed by the
sitting chair and counted among the leaders."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.governance.council_client import (
    APPROVE,
    call,
    decide,
    opened_meeting,
    seed_council,
    today,  # noqa: F401 - the frozen-clock fixture
)
from tests.support.api import gid

D = dt.date
OFFICER = """__typename
  ... on CouncilOfficer { id personName office state endedOn termStart termStatus { state }
                          electedByMotion endedByMotion appointedBy { personName office } }
  ... on ValidationFailed { fieldErrors { field code } }
  ... on Failure { code message messageZh }"""
ELECT = "mutation($input: ElectCouncilOfficerInput!) { electCouncilOfficer(input: $input) { " + OFFICER + " } }"
END = "mutation($input: EndCouncilOfficeInput!) { endCouncilOffice(input: $input) { " + OFFICER + " } }"
OFFICERS = """query($state: CouncilOfficerState, $office: CouncilOffice) {
  councilOfficers(state: $state, office: $office) { __typename
    ... on CouncilOfficerConnection { edges { node { personName state termStatus { state } } } } } }"""


@pytest.fixture
async def council(api, today):  # noqa: F811 - the imported fixture
    # 21 units, at most 7 leaders (办法 第七条); the chair (unit 0, rep1) and five vice-chairs serve since 2025-01-10
    return await seed_council(api, units=21)


async def elect(api, council, unit: int, office: str, motion: str | None, *, name: str, start: D,
                user: str | None = None, birth: str = "1970-03-15") -> dict:
    data = {"memberUnitId": council.unit(unit), "personName": name, "birthDate": birth, "office": office,
            "termStart": start.isoformat(), "motionId": motion}
    if user:
        data["userId"] = gid("User", api.users[user])
    return (await api.gql(ELECT, {"input": data}, user=council.secretary, zone=council.zone))["electCouncilOfficer"]


async def officers(api, council, state: str | None = "SERVING", office: str | None = "CHAIR") -> list[tuple]:
    data = (await api.gql(OFFICERS, {"state": state, "office": office}, user=council.director,
                          zone=council.zone))["councilOfficers"]
    return [(e["node"]["personName"], e["node"]["state"]) for e in data["edges"]]


async def general_meeting_motion(api, council, today, title: str, *, passed: bool = True,
                                 kind: str = "GENERAL") -> str:  # noqa: F811
    meeting = await opened_meeting(api, council, list(range(len(council.units))), kind=kind, meets_on=today.day,
                                   **({"proposedByCouncil": True} if kind == "AD_HOC" else {}))
    return await decide(api, council, meeting, title, passed=passed)


async def test_a_chair_elect_is_not_the_chair_until_the_first_day_of_the_term(api, council, today):
    today.day = D(2027, 11, 1)
    motion = await general_meeting_motion(api, council, today, "选举第二届理事长")
    successor = await elect(api, council, 2, "CHAIR", motion, name="理事长乙", start=D(2028, 1, 10),
                            user=council.reps[2])
    assert (successor["state"], successor["termStatus"]["state"]) == ("ELECT", "ELECT"), successor
    assert successor["electedByMotion"] == motion
    # one serving chair, one elect — never two serving chairs
    assert await officers(api, council) == [("理事长甲", "SERVING")]
    assert await officers(api, council, "ELECT") == [("理事长乙", "ELECT")]
    written = await call(api, council, votingMode="WRITTEN", meets_on=D(2027, 12, 20))
    chair_elect = (await api.gql(APPROVE, {"id": written["id"]}, user=council.reps[2], zone=council.zone))
    assert chair_elect["approveCouncilVotingMode"]["__typename"] == "PermissionDenied"
    sitting = (await api.gql(APPROVE, {"id": written["id"]}, user=council.chair, zone=council.zone))
    assert sitting["approveCouncilVotingMode"]["votingModeApproved"] is True

    today.day = D(2028, 1, 9)   # the old term's last day: still the old chair
    assert await officers(api, council) == [("理事长甲", "SERVING")]
    today.day = D(2028, 1, 10)  # the new term's first day
    assert await officers(api, council) == [("理事长乙", "SERVING")]
    assert ("理事长甲", "ENDED") in await officers(api, council, "ENDED")
    later = await call(api, council, votingMode="ONLINE", meets_on=D(2028, 3, 20))
    old = (await api.gql(APPROVE, {"id": later["id"]}, user=council.chair, zone=council.zone))
    assert old["approveCouncilVotingMode"]["__typename"] == "PermissionDenied"
    new = (await api.gql(APPROVE, {"id": later["id"]}, user=council.reps[2], zone=council.zone))
    assert new["approveCouncilVotingMode"]["votingModeApproved"] is True


async def test_elections_and_removals_only_by_a_passed_motion(api, council, today):
    today.day = D(2026, 3, 2)
    passed = await general_meeting_motion(api, council, today, "选举秘书长")
    # once a meeting has opened on the platform, no election is recorded without its motion
    without = await elect(api, council, 6, "SECRETARY_GENERAL", None, name="秘书长丙", start=D(2026, 3, 2))
    assert without["__typename"] == "Conflict" and "章程第五条" in without["messageZh"]
    failed = await general_meeting_motion(api, council, today, "选举秘书长（未通过）", passed=False)
    refused = await elect(api, council, 6, "SECRETARY_GENERAL", failed, name="秘书长丙", start=D(2026, 3, 2))
    assert refused["__typename"] == "Conflict" and "has not passed" in refused["message"]
    ad_hoc = await general_meeting_motion(api, council, today, "临时会议选举", kind="AD_HOC")
    by_ad_hoc = await elect(api, council, 6, "SECRETARY_GENERAL", ad_hoc, name="秘书长丙", start=D(2026, 3, 2))
    assert by_ad_hoc["__typename"] == "Conflict" and "第十八条(三)" in by_ad_hoc["messageZh"]
    forged = await elect(api, council, 6, "SECRETARY_GENERAL", gid("CouncilMotion", 987654), name="秘书长丙",
                         start=D(2026, 3, 2))
    assert forged["__typename"] == "NotFound"
    wrong_type = await elect(api, council, 6, "SECRETARY_GENERAL", gid("CouncilMeeting", 1), name="秘书长丙",
                             start=D(2026, 3, 2))
    assert wrong_type["__typename"] == "NotFound"  # a meeting's ID is no motion
    # a standing director may be approved at an ad hoc meeting (第五条)
    standing = await elect(api, council, 7, "STANDING_DIRECTOR", ad_hoc, name="常任理事丁", start=D(2026, 3, 2))
    assert standing["state"] == "SERVING", standing
    elected = await elect(api, council, 6, "SECRETARY_GENERAL", passed, name="秘书长丙", start=D(2026, 3, 2))
    assert elected["state"] == "SERVING"

    # removal (罢免) by the general meeting
    today.day = D(2026, 5, 11)
    data = {"officerId": elected["id"], "endedOn": "2026-05-11", "reason": "理事大会表决罢免"}
    no_motion = (await api.post(END, {"input": data}, user=council.secretary, zone=council.zone)).json()
    assert no_motion["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"  # the schema requires it
    for motion in (failed, ad_hoc):
        result = (await api.gql(END, {"input": {**data, "motionId": motion}}, user=council.secretary,
                                zone=council.zone))["endCouncilOffice"]
        assert result["__typename"] == "Conflict", result
    removal = await general_meeting_motion(api, council, today, "罢免秘书长")
    removed = (await api.gql(END, {"input": {**data, "motionId": removal}}, user=council.secretary,
                             zone=council.zone))["endCouncilOffice"]
    assert (removed["state"], removed["endedByMotion"]) == ("ENDED", removal)
    assert await officers(api, council, "SERVING", "SECRETARY_GENERAL") == []


async def test_the_base_director_is_appointed_by_the_sitting_chair_and_counts_as_a_leader(api, council, today):
    today.day = D(2026, 3, 2)
    motion = await general_meeting_motion(api, council, today, "选举秘书长和创新基地主任")
    secretary = await elect(api, council, 6, "SECRETARY_GENERAL", motion, name="秘书长己", start=D(2026, 3, 2))
    assert secretary["state"] == "SERVING", secretary  # the seventh leader of 21 units: exactly one third
    over = await elect(api, council, 7, "BASE_DIRECTOR", motion, name="主任戊", start=D(2026, 3, 2))
    assert over["__typename"] == "Conflict" and "管理办法第七条" in over["messageZh"], over
    assert "最多 7 名" in over["messageZh"]
    await add_active_units(api, council, 2, start=0)  # 23 units: still at most 7
    again = await elect(api, council, 7, "BASE_DIRECTOR", motion, name="主任戊", start=D(2026, 3, 2))
    assert again["__typename"] == "Conflict" and "最多 7 名" in again["messageZh"], again
    await add_active_units(api, council, 1, start=2)  # 24 units: one third is 8, the director is the eighth
    director = await elect(api, council, 7, "BASE_DIRECTOR", motion, name="主任戊", start=D(2026, 3, 2))
    assert director["state"] == "SERVING", director
    assert director["appointedBy"] == {"personName": "理事长甲", "office": "CHAIR"}
    second = await elect(api, council, 8, "BASE_DIRECTOR", motion, name="主任庚", start=D(2026, 3, 2))
    assert second["__typename"] == "Conflict" and "章程第五条" in second["messageZh"]


async def test_the_director_of_the_next_term_is_appointed_by_the_sitting_chair_not_the_elect(api, today):  # noqa: F811
    council = await seed_council(api, units=24, vice_chairs=3)
    today.day = D(2027, 12, 1)  # the seeded terms end on 2028-01-09
    motion = await general_meeting_motion(api, council, today, "换届选举")
    chair = await elect(api, council, 1, "CHAIR", motion, name="理事长乙", start=D(2028, 1, 10))
    assert chair["state"] == "ELECT"
    director = await elect(api, council, 9, "BASE_DIRECTOR", motion, name="主任戊", start=D(2028, 1, 10))
    assert (director["state"], director["appointedBy"]) == ("ELECT", {"personName": "理事长甲", "office": "CHAIR"})
    today.day = D(2028, 1, 10)
    assert await officers(api, council, "SERVING", "BASE_DIRECTOR") == [("主任戊", "SERVING")]


async def add_active_units(api, council, n: int, *, start: int) -> None:
    from ecozone.governance.models import MemberUnit
    from ecozone.tenancy.models import Zone
    from sqlalchemy import select

    async def work(session):
        zone_id = await session.scalar(select(Zone.id).where(Zone.slug == council.zone))
        session.add_all(MemberUnit(zone_id=zone_id, name_zh=f"增补单位{i}", name_en=f"Added unit {i}",
                                   uscc=f"9236{i:014d}", unit_type="enterprise", head_name=f"负责人{i}",
                                   state="active", applied_on=D(2025, 1, 2), joined_on=D(2025, 1, 10))
                        for i in range(start, start + n))
    await api.operator(work)
