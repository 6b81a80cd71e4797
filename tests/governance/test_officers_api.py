"""Council officers through the HTTP API, on both databases (章程 第五条, 第七条, 第十五条; 办法 第七条)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from stdnum.cn import uscc as stdnum_uscc

from ecozone.governance.models import Meeting, MemberUnit, Motion, Officer
from ecozone.tenancy.models import Zone
from tests.support.api import gid

TODAY = dt.date(2025, 6, 2)
TERM_START = dt.date(2025, 6, 1)  # the term ends on 2028-05-31

RESULT = """
    __typename
    ... on CouncilOfficer { id personName office officeNameZh officeNameEn termStart termEnd state endedOn
                            termStatus { state daysLeft } memberUnit { nameZh } electedByMotion }
    ... on ValidationFailed { fieldErrors { field code message messageZh } }
    ... on Failure { code message messageZh }"""
ELECT = f"mutation($input: ElectCouncilOfficerInput!) {{ electCouncilOfficer(input: $input) {{ {RESULT} }} }}"
END = f"mutation($input: EndCouncilOfficeInput!) {{ endCouncilOffice(input: $input) {{ {RESULT} }} }}"
OFFICERS = """query($state: CouncilOfficerState, $office: CouncilOffice, $first: Int, $after: String) {
  councilOfficers(state: $state, office: $office, first: $first, after: $after) { __typename
    ... on CouncilOfficerConnection { totalCount pageInfo { hasNextPage endCursor }
                                      edges { node { personName office state termStatus { state } } } }
    ... on Failure { code message } } }"""
EXPIRING = """query($days: Int!) { expiringCouncilOfficers(withinDays: $days) { __typename
  ... on CouncilOfficerConnection { edges { node { personName termEnd termStatus { state daysLeft } } } }
  ... on ValidationFailed { fieldErrors { field } }
  ... on Failure { code } } }"""
NODE = "query($id: ID!) { node(id: $id) { __typename ... on CouncilOfficer { personName } } }"


def make_uscc(n: int) -> str:
    body = f"91360100{n:09d}"
    return body + stdnum_uscc.calc_check_digit(body)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("ecozone.governance.clock.today", lambda: TODAY)


@pytest.fixture
async def people(api):
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await api.add_user("jx-director", "jiangxi", "director")
    await api.add_user("jx-member", "jiangxi", "member")
    await api.add_user("jx-officer", "jiangxi")
    await api.add_user("gz-secretary", "guizhou", "secretary")
    return api


async def zone_id(api, slug: str) -> int:
    return await api.operator(lambda s: s.scalar(select(Zone.id).where(Zone.slug == slug)))


async def add_units(api, count: int, *, slug: str = "jiangxi", state: str = "active", start: int = 1) -> list[str]:
    """Member units written directly (fixture data); returns their global IDs."""
    zid = await zone_id(api, slug)

    async def work(session):
        rows = [MemberUnit(zone_id=zid, name_zh=f"成员单位{start + i}", name_en=f"Member unit {start + i}",
                           uscc=make_uscc(start + i), unit_type="institution", head_name=f"负责人{start + i}",
                           state=state, applied_on=dt.date(2024, 1, 10),
                           joined_on=dt.date(2024, 1, 10) if state != "applicant" else None)
                for i in range(count)]
        session.add_all(rows)
        await session.flush()
        return [gid("CouncilMemberUnit", r.id) for r in rows]
    return await api.operator(work)


async def add_motion(api, *, state: str = "passed", slug: str = "jiangxi") -> str:
    zid = await zone_id(api, slug)

    async def work(session):
        meeting = Meeting(zone_id=zid, kind="general", title_zh="理事大会", title_en="General meeting",
                          meets_on=dt.date(2025, 5, 30), state="closed")
        session.add(meeting)
        await session.flush()
        motion = Motion(zone_id=zid, meeting_id=meeting.id, title_zh="选举", title_en="Election", kind="ordinary",
                        state=state)
        session.add(motion)
        await session.flush()
        return gid("CouncilMotion", motion.id)
    return await api.operator(work)


async def elect(api, unit: str, office: str, *, name: str = "候选人", birth: str = "1970-03-15",
                start: dt.date = TERM_START, user: str = "jx-secretary", zone: str = "jiangxi", **extra) -> dict:
    data = {"memberUnitId": unit, "personName": name, "birthDate": birth, "office": office,
            "termStart": start.isoformat(), **extra}
    return (await api.gql(ELECT, {"input": data}, user=user, zone=zone))["electCouncilOfficer"]


# ---------------------------------------------------------------------------- electing (第五条, 第七条)


async def test_the_secretariat_records_an_election_for_three_years(people):
    unit, *_ = await add_units(people, 3)
    motion = await add_motion(people)
    chair = await elect(people, unit, "CHAIR", name="理事长甲", motionId=motion,
                        userId=gid("User", people.users["jx-officer"]))
    assert chair["__typename"] == "CouncilOfficer", chair
    assert (chair["officeNameZh"], chair["officeNameEn"]) == ("理事长", "Chair")
    assert chair["termStart"] == "2025-06-01" and chair["termEnd"] == "2028-05-31"
    assert chair["termStatus"] == {"state": "SERVING", "daysLeft": (dt.date(2028, 5, 31) - TODAY).days}
    assert chair["memberUnit"]["nameZh"] == "成员单位1" and chair["electedByMotion"] == motion
    listed = (await people.gql(OFFICERS, user="jx-member", zone="jiangxi"))["councilOfficers"]
    assert [e["node"]["personName"] for e in listed["edges"]] == ["理事长甲"]


async def test_a_second_chair_is_refused_with_the_article(people):
    units = await add_units(people, 6)
    assert (await elect(people, units[0], "CHAIR"))["__typename"] == "CouncilOfficer"
    second = await elect(people, units[1], "CHAIR", name="另一人")
    assert second["__typename"] == "Conflict" and second["code"] == "charter"
    assert "Article 5" in second["message"] and "章程第五条" in second["messageZh"]
    # a chair for the next term, starting after this one ends, is not a second chair
    nxt = await elect(people, units[1], "CHAIR", name="另一人", start=dt.date(2028, 6, 1))
    assert nxt["__typename"] == "CouncilOfficer"


async def test_the_sixth_vice_chair_is_refused(people):
    units = await add_units(people, 21)  # 1/3 of 21 = 7 leaders: only the seats bind
    for i in range(5):
        assert (await elect(people, units[i], "VICE_CHAIR", name=f"副理事长{i}"))["__typename"] == "CouncilOfficer"
    sixth = await elect(people, units[5], "VICE_CHAIR", name="副理事长5")
    assert sixth["__typename"] == "Conflict"
    assert "5 seats" in sixth["message"] and "共设 5 名" in sixth["messageZh"]
    assert "Measures" not in sixth["message"]  # the one-third rule holds here
    # standing directors have no fixed number of seats and are not leaders (办法 第七条)
    for i in range(6, 12):
        assert (await elect(people, units[i], "STANDING_DIRECTOR", name=f"常任理事{i}"))["__typename"] \
            == "CouncilOfficer"


@pytest.mark.parametrize(("birth", "allowed"), [
    ("1957-06-01", True),    # 70 on 2028-05-31, the last day of the term
    ("1957-05-31", False),   # turns 71 on the last day
])
async def test_the_age_limit_applies_at_the_end_of_the_term(people, birth, allowed):
    unit, *_ = await add_units(people, 3)
    result = await elect(people, unit, "VICE_CHAIR", birth=birth)
    if allowed:
        assert result["__typename"] == "CouncilOfficer"
    else:
        assert result["__typename"] == "Conflict"
        assert "would be 71 on 2028-05-31" in result["message"] and "章程第十五条(三)" in result["messageZh"]
    # the limit binds the chair and vice-chairs only (第十五条)
    assert (await elect(people, unit, "STANDING_DIRECTOR", birth="1950-01-01"))["__typename"] == "CouncilOfficer"


async def test_leaders_may_not_exceed_a_third_of_the_member_units(people):
    units = await add_units(people, 6)  # at most 2 leaders
    assert (await elect(people, units[0], "CHAIR"))["__typename"] == "CouncilOfficer"
    assert (await elect(people, units[1], "VICE_CHAIR"))["__typename"] == "CouncilOfficer"  # 2 of 6: the bound
    third = await elect(people, units[2], "SECRETARY_GENERAL")
    assert third["__typename"] == "Conflict"
    assert "3 leaders for 6 member units" in third["message"] and "at most 2" in third["message"]
    assert "管理办法第七条" in third["messageZh"]
    # 3 leaders need 9 units: 8 are one short, 9 are the bound
    await add_units(people, 2, start=50)
    assert (await elect(people, units[2], "SECRETARY_GENERAL"))["__typename"] == "Conflict"
    await add_units(people, 1, start=60)
    assert (await elect(people, units[2], "SECRETARY_GENERAL"))["__typename"] == "CouncilOfficer"


async def test_every_refusal_at_once_when_several_rules_fail(people):
    units = await add_units(people, 3)  # one leader at most
    await elect(people, units[0], "CHAIR")
    both = await elect(people, units[1], "CHAIR", birth="1950-01-01")
    assert both["__typename"] == "Conflict"
    assert all(article in both["messageZh"] for article in ("章程第五条", "章程第十五条(三)", "管理办法第七条"))


async def test_election_refusals(people):
    active, *_ = await add_units(people, 3)
    [applicant] = await add_units(people, 1, state="applicant", start=40)
    [guizhou_unit] = await add_units(people, 1, slug="guizhou", start=70)
    for user in ("jx-member", "jx-director", "jx-officer"):
        assert (await elect(people, active, "CHAIR", user=user))["__typename"] == "PermissionDenied"
    anonymous = (await people.post(ELECT, {"input": {"memberUnitId": active, "personName": "x",
                                                     "birthDate": "1970-01-01", "office": "CHAIR",
                                                     "termStart": "2025-06-01"}}, zone="jiangxi")).json()
    assert anonymous["data"]["electCouncilOfficer"]["__typename"] == "PermissionDenied"
    assert (await elect(people, guizhou_unit, "CHAIR"))["__typename"] == "NotFound"
    not_member = await elect(people, applicant, "CHAIR")
    assert not_member["__typename"] == "Conflict" and "not an active member unit" in not_member["message"]
    failed = await elect(people, active, "CHAIR", motionId=await add_motion(people, state="failed"))
    assert failed["__typename"] == "Conflict" and "has not passed" in failed["message"]
    other_zone_motion = await elect(people, active, "CHAIR", motionId=await add_motion(people, slug="guizhou"))
    assert other_zone_motion["__typename"] == "NotFound"
    blank = await elect(people, active, "CHAIR", name=" ")
    assert blank["__typename"] == "ValidationFailed" and blank["fieldErrors"][0]["field"] == "personName"
    unborn = await elect(people, active, "CHAIR", birth="2025-07-01")
    assert unborn["__typename"] == "ValidationFailed" and unborn["fieldErrors"][0]["field"] == "birthDate"


async def test_re_election_ends_the_finished_term(people):
    unit, *_ = await add_units(people, 3)
    first = await elect(people, unit, "CHAIR", name="理事长甲", start=dt.date(2022, 6, 1))
    assert first["termEnd"] == "2025-05-31"
    assert first["termStatus"] == {"state": "EXPIRED", "daysLeft": -2}
    same_term = await elect(people, unit, "CHAIR", name="理事长甲", start=dt.date(2025, 5, 1))
    assert same_term["__typename"] == "Conflict"
    again = await elect(people, unit, "CHAIR", name="理事长甲")  # 连选连任, from 2025-06-01
    assert again["__typename"] == "CouncilOfficer"
    ended = (await people.gql(OFFICERS, {"state": "ENDED"}, user="jx-secretary", zone="jiangxi"))["councilOfficers"]
    assert [(e["node"]["personName"], e["node"]["termStatus"]["state"]) for e in ended["edges"]] == [
        ("理事长甲", "ENDED")]


# ---------------------------------------------------------------------------- ending an office, expiry


async def test_ending_an_office(people):
    unit, *_ = await add_units(people, 3)
    officer = await elect(people, unit, "SECRETARY_GENERAL", userId=gid("User", people.users["jx-officer"]))
    data = {"officerId": officer["id"], "endedOn": "2025-06-02", "reason": "工作调动",
            "motionId": await add_motion(people)}
    assert (await people.gql(END, {"input": data}, user="jx-member", zone="jiangxi"))["endCouncilOffice"][
        "__typename"] == "PermissionDenied"
    assert (await people.gql(END, {"input": data}, user="gz-secretary", zone="guizhou"))["endCouncilOffice"][
        "__typename"] == "NotFound"
    early = (await people.gql(END, {"input": {**data, "endedOn": "2025-05-31"}}, user="jx-secretary",
                              zone="jiangxi"))["endCouncilOffice"]
    assert early["__typename"] == "ValidationFailed" and early["fieldErrors"][0]["field"] == "endedOn"
    no_reason = (await people.gql(END, {"input": {**data, "reason": ""}}, user="jx-secretary", zone="jiangxi"))
    assert no_reason["endCouncilOffice"]["fieldErrors"][0]["field"] == "reason"
    ended = (await people.gql(END, {"input": data}, user="jx-secretary", zone="jiangxi"))["endCouncilOffice"]
    assert ended["state"] == "ENDED" and ended["endedOn"] == "2025-06-02"
    assert ended["termStatus"] == {"state": "ENDED", "daysLeft": None}
    again = (await people.gql(END, {"input": data}, user="jx-secretary", zone="jiangxi"))["endCouncilOffice"]
    assert again["__typename"] == "Conflict"
    # the seat is free again
    assert (await elect(people, unit, "SECRETARY_GENERAL", name="继任者"))["__typename"] == "CouncilOfficer"


async def test_term_expiry_is_visible_ahead_of_time(people):
    units = await add_units(people, 30)
    # TODAY is 2025-06-02; terms end the day before their third anniversary
    await elect(people, units[0], "STANDING_DIRECTOR", name="91天", start=dt.date(2022, 9, 2))   # ends 2025-09-01
    await elect(people, units[1], "STANDING_DIRECTOR", name="90天", start=dt.date(2022, 9, 1))   # ends 2025-08-31
    await elect(people, units[2], "STANDING_DIRECTOR", name="今天", start=dt.date(2022, 6, 3))   # ends 2025-06-02
    await elect(people, units[3], "STANDING_DIRECTOR", name="已过", start=dt.date(2022, 1, 1))   # ends 2024-12-31
    data = (await people.gql(EXPIRING, {"days": 90}, user="jx-director", zone="jiangxi"))["expiringCouncilOfficers"]
    assert [(e["node"]["personName"], e["node"]["termStatus"]["state"], e["node"]["termStatus"]["daysLeft"])
            for e in data["edges"]] == [("已过", "EXPIRED", -153), ("今天", "EXPIRING", 0), ("90天", "EXPIRING", 90)]
    wider = (await people.gql(EXPIRING, {"days": 91}, user="jx-director", zone="jiangxi"))["expiringCouncilOfficers"]
    assert wider["edges"][-1]["node"] == {"personName": "91天", "termEnd": "2025-09-01",
                                          "termStatus": {"state": "SERVING", "daysLeft": 91}}
    bad = (await people.gql(EXPIRING, {"days": -1}, user="jx-director", zone="jiangxi"))["expiringCouncilOfficers"]
    assert bad["__typename"] == "ValidationFailed"
    denied = (await people.gql(EXPIRING, {"days": 90}, user="jx-officer", zone="jiangxi"))["expiringCouncilOfficers"]
    assert denied["__typename"] == "PermissionDenied"


async def test_another_zone_never_sees_the_officers(people):
    unit, *_ = await add_units(people, 3)
    officer = await elect(people, unit, "CHAIR", name="理事长甲")
    assert (await people.gql(NODE, {"id": officer["id"]}, user="jx-member", zone="jiangxi"))["node"][
        "personName"] == "理事长甲"
    assert (await people.gql(NODE, {"id": officer["id"]}, user="gz-secretary", zone="guizhou"))["node"] is None
    assert (await people.gql(NODE, {"id": officer["id"]}))["node"] is None
    listed = (await people.gql(OFFICERS, user="gz-secretary", zone="guizhou"))["councilOfficers"]
    assert listed["totalCount"] == 0
    assert (await people.gql(OFFICERS, user="jx-officer", zone="jiangxi"))["councilOfficers"][
        "__typename"] == "PermissionDenied"


async def test_officers_page_by_page_and_by_office(people):
    units = await add_units(people, 30)
    await elect(people, units[0], "CHAIR", name="甲")
    for i in range(1, 4):
        await elect(people, units[i], "STANDING_DIRECTOR", name=f"常任{i}")
    first = (await people.gql(OFFICERS, {"first": 2}, user="jx-member", zone="jiangxi"))["councilOfficers"]
    rest = (await people.gql(OFFICERS, {"first": 2, "after": first["pageInfo"]["endCursor"]}, user="jx-member",
                             zone="jiangxi"))["councilOfficers"]
    assert [e["node"]["personName"] for e in first["edges"] + rest["edges"]] == ["甲", "常任1", "常任2", "常任3"]
    chairs = (await people.gql(OFFICERS, {"office": "CHAIR"}, user="jx-member", zone="jiangxi"))["councilOfficers"]
    assert chairs["totalCount"] == 1


async def test_the_services_the_meetings_rely_on(people):
    from ecozone.governance import officers
    units = await add_units(people, 21)
    for i in range(3):
        await elect(people, units[i], "VICE_CHAIR", name=f"副{i}")
    await elect(people, units[3], "CHAIR", name="长")

    async def work(session):
        return (await officers.serving_counts(session), (await officers.sitting_chair(session)).person_name,
                len(await officers.vice_chair_unit_ids(session)))
    counts, chair, vice_units = await people.operator(work)
    assert counts == {"chair": 1, "vice_chair": 3, "secretary_general": 0, "base_director": 0,
                      "standing_director": 0}
    assert chair == "长" and vice_units == 3


async def test_officer_rows_stay_zone_private(people):
    unit, *_ = await add_units(people, 3)
    await elect(people, unit, "CHAIR")

    async def zones(session):
        return set((await session.scalars(select(Officer.zone_id))).all())
    assert await people.operator(zones) == {await zone_id(people, "jiangxi")}
