"""Council meetings through the HTTP API, on both databases: calling, the chair's approval of written
voting, agenda deadlines on the Chinese calendar, attendance and quorum (章程 第十八条 to 第二十二条)."""

from __future__ import annotations

import pytest
from ecozone.tenancy.models import Zone
from sqlalchemy import select

from tests.governance.council_client import (
    AGENDA,
    APPROVE,
    ATTEND,
    CALL,
    CANCEL,
    MEETING,
    MONDAY,
    OPEN,
    QUORUM,
    D,
    attend,
    call,
    council,  # noqa: F401 - a fixture
    last_activity,
    notifications_of,
    seed_council,
    today,  # noqa: F401 - a fixture
)
from tests.support.api import gid

# --- calling a meeting (第十八条, 第二十条)

async def test_secretary_calls_a_general_meeting_and_representatives_are_notified(api, council):
    meeting = await call(api, council)
    assert meeting["__typename"] == "CouncilMeeting"
    assert (meeting["kind"], meeting["state"], meeting["votingMode"]) == ("GENERAL", "CALLED", "IN_PERSON")
    assert meeting["votingModeApproved"] is True
    notified = await notifications_of(api, "council_meeting.called")
    assert notified == {api.users[r] for r in council.reps}


@pytest.mark.parametrize("who", ["jx-rep2", "jx-director", None])
async def test_only_the_secretariat_calls_a_meeting(api, council, who):
    meeting = await call(api, council, user=who) if who else (await api.gql(CALL, {"input": {
        "kind": "GENERAL", "titleZh": "会", "titleEn": "M", "meetsOn": "2026-03-20"}}, zone="jiangxi"))[
        "callCouncilMeeting"]
    assert meeting["__typename"] == "PermissionDenied"
    assert meeting["messageZh"]


async def test_a_meeting_in_the_past_and_blank_titles_are_refused_all_at_once(api, council):
    data = await api.gql(CALL, {"input": {"kind": "GENERAL", "titleZh": " ", "titleEn": "", "meetsOn": "2026-03-01"}},
                         user=council.secretary, zone="jiangxi")
    result = data["callCouncilMeeting"]
    assert result["__typename"] == "ValidationFailed"
    assert {e["field"] for e in result["fieldErrors"]} == {"titleZh", "titleEn", "meetsOn"}


async def test_ad_hoc_meeting_needs_the_council_or_a_third_of_the_units(api, council):
    two = await call(api, council, kind="AD_HOC", proposingUnitIds=[council.unit(0), council.unit(1)])
    assert two["__typename"] == "Conflict"
    assert "第二十条" in two["messageZh"] and "3" in two["message"]
    three = await call(api, council, kind="AD_HOC",
                       proposingUnitIds=[council.unit(0), council.unit(1), council.unit(2)])
    assert three["__typename"] == "CouncilMeeting"
    by_council = await call(api, council, kind="AD_HOC", proposedByCouncil=True)
    assert by_council["__typename"] == "CouncilMeeting" and by_council["proposedByCouncil"] is True
    data = await api.gql("""query($id: ID!) { councilMeeting(id: $id) { ... on CouncilMeeting { proposingUnitIds } } }""",
                         {"id": three["id"]}, user="jx-rep5", zone="jiangxi")
    assert data["councilMeeting"]["proposingUnitIds"] == [council.unit(i) for i in range(3)]


async def test_a_proposing_unit_of_another_zone_is_refused(api, council):
    guizhou = await seed_council(api, zone="guizhou", prefix="gz", units=3, vice_chairs=0)
    result = await call(api, council, kind="AD_HOC", proposingUnitIds=[guizhou.unit(0)] + [council.unit(i) for i in range(3)])
    assert result["__typename"] == "ValidationFailed"
    assert result["fieldErrors"][0]["code"] == "not_active"


# --- written voting needs the chair's approval (第二十二条)

async def test_only_the_sitting_chair_approves_written_voting(api, council):
    meeting = await call(api, council, votingMode="WRITTEN")
    assert meeting["votingModeApproved"] is False
    for who in (council.secretary, council.reps[1], council.director):
        refused = (await api.gql(APPROVE, {"id": meeting["id"]}, user=who, zone="jiangxi"))["approveCouncilVotingMode"]
        assert refused["__typename"] == "PermissionDenied", who
        assert "理事长" in refused["messageZh"] and "chair" in refused["message"]
    approved = (await api.gql(APPROVE, {"id": meeting["id"]}, user=council.chair, zone="jiangxi"))["approveCouncilVotingMode"]
    assert approved["votingModeApproved"] is True
    again = (await api.gql(APPROVE, {"id": meeting["id"]}, user=council.chair, zone="jiangxi"))["approveCouncilVotingMode"]
    assert again["__typename"] == "Conflict"


async def test_an_in_person_meeting_has_nothing_to_approve(api, council):
    meeting = await call(api, council)
    result = (await api.gql(APPROVE, {"id": meeting["id"]}, user=council.chair, zone="jiangxi"))["approveCouncilVotingMode"]
    assert result["__typename"] == "Conflict"


# --- agenda items (第二十一条)

async def test_representative_submits_an_agenda_item_for_their_unit_and_it_counts_as_activity(api, council, today):
    meeting = await call(api, council)  # Friday 2026-03-20: last allowed date Friday 2026-03-13
    today.day = D(2026, 3, 13)
    item = (await api.gql(AGENDA, {"input": {"meetingId": meeting["id"], "titleZh": "年度工作报告",
                                             "titleEn": "Annual report"}},
                          user=council.reps[3], zone="jiangxi"))["submitCouncilAgendaItem"]
    assert item["__typename"] == "CouncilAgendaItem"
    assert (item["memberUnitId"], item["memberUnitNameEn"], item["submittedOn"]) == (
        council.unit(3), "Test member unit 4", "2026-03-13")
    assert (await last_activity(api, [council.units[3]]))[council.units[3]] == D(2026, 3, 13)


async def test_secretariat_submits_with_or_without_a_unit(api, council):
    meeting = await call(api, council)
    for unit in (None, council.unit(5)):
        item = (await api.gql(AGENDA, {"input": {"meetingId": meeting["id"], "titleZh": "议题", "titleEn": "Item",
                                                 "memberUnitId": unit}},
                              user=council.secretary, zone="jiangxi"))["submitCouncilAgendaItem"]
        assert item["__typename"] == "CouncilAgendaItem" and item["memberUnitId"] == unit


async def test_agenda_item_refusals(api, council):
    meeting = await call(api, council)
    await api.add_user("jx-nobody", "jiangxi", "member")
    cases = [("jx-nobody", None, "PermissionDenied"),            # represents no unit
             (council.reps[1], council.unit(2), "PermissionDenied"),  # another unit than their own
             (None, None, "PermissionDenied")]                    # anonymous
    for user, unit, expected in cases:
        result = (await api.gql(AGENDA, {"input": {"meetingId": meeting["id"], "titleZh": "议题", "titleEn": "Item",
                                                   "memberUnitId": unit}},
                                user=user, zone="jiangxi"))["submitCouncilAgendaItem"]
        assert result["__typename"] == expected, (user, unit)
    blank = (await api.gql(AGENDA, {"input": {"meetingId": meeting["id"], "titleZh": "", "titleEn": "Item"}},
                           user=council.reps[1], zone="jiangxi"))["submitCouncilAgendaItem"]
    assert blank["__typename"] == "ValidationFailed"


async def test_a_late_agenda_item_is_refused_with_the_last_allowed_date(api, council, today):
    meeting = await call(api, council)  # Friday 2026-03-20
    today.day = D(2026, 3, 16)
    late = (await api.gql(AGENDA, {"input": {"meetingId": meeting["id"], "titleZh": "迟交议题", "titleEn": "Late"}},
                          user=council.reps[2], zone="jiangxi"))["submitCouncilAgendaItem"]
    assert late["__typename"] == "CouncilAgendaDeadlinePassed"
    assert (late["code"], late["meetsOn"], late["lastAllowedOn"]) == ("agenda_late", "2026-03-20", "2026-03-13")
    assert meeting["lastAgendaSubmissionOn"] == "2026-03-13"
    assert "2026-03-13" in late["message"] and "2026-03-13" in late["messageZh"] and "第二十一条" in late["messageZh"]


async def test_the_deadline_counts_working_days_across_the_spring_festival(api, council, today):
    # Meeting Thu 2026-02-26: 15–23 Feb are holidays and Sat 14 Feb a make-up working day, so the
    # five working days before it are 25, 24, 14, 13 and 12 February.
    today.day = D(2026, 2, 2)
    meeting = await call(api, council, meets_on=D(2026, 2, 26))
    today.day = D(2026, 2, 13)
    late = (await api.gql(AGENDA, {"input": {"meetingId": meeting["id"], "titleZh": "议题", "titleEn": "Item"}},
                          user=council.reps[2], zone="jiangxi"))["submitCouncilAgendaItem"]
    assert late["__typename"] == "CouncilAgendaDeadlinePassed" and late["lastAllowedOn"] == "2026-02-12"
    assert meeting["lastAgendaSubmissionOn"] == "2026-02-12" and "2026-02-12" in late["message"]
    today.day = D(2026, 2, 12)
    ok = (await api.gql(AGENDA, {"input": {"meetingId": meeting["id"], "titleZh": "议题", "titleEn": "Item"}},
                        user=council.reps[2], zone="jiangxi"))["submitCouncilAgendaItem"]
    assert ok["__typename"] == "CouncilAgendaItem"


async def test_a_year_without_calendar_data_is_said_so(api, council, today):
    today.day = D(2026, 12, 21)
    meeting = await call(api, council, meets_on=D(2027, 1, 8))
    assert meeting["lastAgendaSubmissionOn"] is None
    result = (await api.gql(AGENDA, {"input": {"meetingId": meeting["id"], "titleZh": "议题", "titleEn": "Item"}},
                            user=council.reps[2], zone="jiangxi"))["submitCouncilAgendaItem"]
    assert result["__typename"] == "ValidationFailed"
    error = result["fieldErrors"][0]
    assert (error["field"], error["code"]) == ("meetingOn", "calendar_unknown")
    assert "2027" in error["message"] and "2027" in error["messageZh"]


async def test_the_zone_setting_changes_the_number_of_working_days(api, council, today):
    async def three_days(session):
        zone = await session.scalar(select(Zone).where(Zone.slug == "jiangxi"))
        zone.settings = {**zone.settings, "council": {"agenda_working_days": 3}}
    await api.operator(three_days)
    meeting = await call(api, council)  # Fri 2026-03-20: three working days before is Tue 2026-03-17
    today.day = D(2026, 3, 17)
    ok = (await api.gql(AGENDA, {"input": {"meetingId": meeting["id"], "titleZh": "议题", "titleEn": "Item"}},
                        user=council.reps[2], zone="jiangxi"))["submitCouncilAgendaItem"]
    assert ok["__typename"] == "CouncilAgendaItem"


# --- attendance and quorum (第二十二条)

async def test_attendance_is_recorded_per_unit_and_corrected_by_recording_again(api, council):
    meeting = await call(api, council)
    first = await attend(api, council, meeting["id"], [0, 1], absent=[2])
    assert [(a["memberUnitId"], a["present"]) for a in first["attendance"]] == [
        (council.unit(0), True), (council.unit(1), True), (council.unit(2), False)]
    second = await attend(api, council, meeting["id"], [2])
    assert [a["present"] for a in second["attendance"]] == [True, True, True]
    assert second["attendance"][2]["attendeeName"] == "代表3"
    assert (await last_activity(api, [council.units[2]]))[council.units[2]] == MONDAY


async def test_attendance_refusals(api, today):
    council = await seed_council(api, units=3, vice_chairs=0, applicants=1)
    meeting = await call(api, council)
    applicant = gid("CouncilMemberUnit", council.applicants[0])
    result = (await api.gql(ATTEND, {"input": {"meetingId": meeting["id"], "entries": [
        {"memberUnitId": applicant, "present": True}]}}, user=council.secretary, zone="jiangxi"))
    assert result["recordCouncilAttendance"]["__typename"] == "ValidationFailed"
    member = (await api.gql(ATTEND, {"input": {"meetingId": meeting["id"], "entries": [
        {"memberUnitId": council.unit(0), "present": True}]}}, user=council.reps[0], zone="jiangxi"))
    assert member["recordCouncilAttendance"]["__typename"] == "PermissionDenied"
    await api.gql(CANCEL, {"id": meeting["id"]}, user=council.secretary, zone="jiangxi")
    cancelled = (await api.gql(ATTEND, {"input": {"meetingId": meeting["id"], "entries": [
        {"memberUnitId": council.unit(0), "present": True}]}}, user=council.secretary, zone="jiangxi"))
    assert cancelled["recordCouncilAttendance"]["__typename"] == "Conflict"


async def test_quorum_fails_on_members_then_on_vice_chairs_then_is_met(api, council):
    # 9 units: 6 must be present; vice-chairs hold office for units 1–5.
    meeting = await call(api, council)
    mid = meeting["id"]
    await attend(api, council, mid, [0, 1, 2, 3, 4])  # 5 present, 4 vice-chairs
    quorum = (await api.gql(QUORUM, {"id": mid}, user=council.reps[8], zone="jiangxi"))["councilQuorum"]
    assert (quorum["met"], quorum["present"], quorum["members"], quorum["neededPresent"]) == (False, 5, 9, 6)
    refused = (await api.gql(OPEN, {"id": mid}, user=council.secretary, zone="jiangxi"))["openCouncilMeeting"]
    assert refused["__typename"] == "Conflict" and refused["code"] == "quorum_not_met"
    assert "5 of 9" in refused["message"] and "第二十二条" in refused["messageZh"]

    await attend(api, council, mid, [0, 1, 6, 7, 8], absent=[2, 3, 4])  # 5 present, 1 vice-chair
    await attend(api, council, mid, [2])                                   # 6 present, 2 vice-chairs
    quorum = (await api.gql(QUORUM, {"id": mid}, user=council.director, zone="jiangxi"))["councilQuorum"]
    assert (quorum["met"], quorum["present"], quorum["viceChairsPresent"], quorum["neededViceChairs"]) == (
        False, 6, 2, 3)
    refused = (await api.gql(OPEN, {"id": mid}, user=council.secretary, zone="jiangxi"))["openCouncilMeeting"]
    assert refused["code"] == "quorum_not_met" and "2 vice-chairs" in refused["message"]
    still = (await api.gql(MEETING, {"id": mid}, user=council.secretary, zone="jiangxi"))["councilMeeting"]
    assert still["state"] == "CALLED"

    await attend(api, council, mid, [3])  # a third vice-chair arrives
    opened = (await api.gql(OPEN, {"id": mid}, user=council.secretary, zone="jiangxi"))["openCouncilMeeting"]
    assert opened["state"] == "IN_SESSION"
    assert (opened["presentAtOpening"], opened["membersAtOpening"], opened["viceChairsAtOpening"]) == (7, 9, 3)
    again = (await api.gql(OPEN, {"id": mid}, user=council.secretary, zone="jiangxi"))["openCouncilMeeting"]
    assert again["code"] == "illegal_transition"


async def test_only_the_secretariat_opens_and_a_cancelled_meeting_cannot_open(api, council):
    meeting = await call(api, council)
    await attend(api, council, meeting["id"], list(range(9)))
    member = (await api.gql(OPEN, {"id": meeting["id"]}, user=council.reps[0], zone="jiangxi"))["openCouncilMeeting"]
    assert member["__typename"] == "PermissionDenied"
    cancelled = (await api.gql(CANCEL, {"id": meeting["id"]}, user=council.secretary, zone="jiangxi"))
    assert cancelled["cancelCouncilMeeting"]["state"] == "CANCELLED"
    refused = (await api.gql(OPEN, {"id": meeting["id"]}, user=council.secretary, zone="jiangxi"))["openCouncilMeeting"]
    assert refused["code"] == "illegal_transition"


# --- reading

async def test_meetings_are_private_to_the_zone_council(api, council):
    meeting = await call(api, council)
    await seed_council(api, zone="guizhou", prefix="gz", units=1, vice_chairs=0)
    other_zone = (await api.gql(MEETING, {"id": meeting["id"]}, user="gz-secretary", zone="guizhou"))["councilMeeting"]
    assert other_zone["__typename"] == "NotFound"
    anonymous = (await api.gql(MEETING, {"id": meeting["id"]}, zone="jiangxi"))["councilMeeting"]
    assert anonymous["__typename"] == "PermissionDenied"
    node = await api.gql("""query($id: ID!) { node(id: $id) { id } }""", {"id": meeting["id"]}, zone="jiangxi")
    assert node["node"] is None
    await api.add_user("jx-expert", "jiangxi", "expert")
    expert = (await api.gql(MEETING, {"id": meeting["id"]}, user="jx-expert", zone="jiangxi"))["councilMeeting"]
    assert expert["__typename"] == "PermissionDenied"


async def test_meeting_list_filters_and_nests_agenda_attendance_and_motions(api, council, today):
    general = await call(api, council)
    await call(api, council, kind="AD_HOC", proposedByCouncil=True, meets_on=D(2026, 4, 10))
    await attend(api, council, general["id"], [0, 1])
    today.day = D(2026, 3, 10)
    await api.gql(AGENDA, {"input": {"meetingId": general["id"], "titleZh": "议题", "titleEn": "Item"}},
                  user=council.reps[0], zone="jiangxi")
    query = """query($kind: CouncilMeetingKind, $year: Int) { councilMeetings(kind: $kind, year: $year, first: 10) {
      __typename ... on CouncilMeetingConnection { totalCount edges { node {
        kind agendaItems { titleEn } attendance { present } motions { id } minutes { id } } } }
      ... on Failure { code } } }"""
    everything = (await api.gql(query, {}, user=council.reps[4], zone="jiangxi"))["councilMeetings"]
    assert everything["totalCount"] == 2
    first = everything["edges"][0]["node"]
    assert (first["kind"], len(first["agendaItems"]), len(first["attendance"]), first["motions"], first["minutes"]) == (
        "GENERAL", 1, 2, [], None)
    ad_hoc = (await api.gql(query, {"kind": "AD_HOC"}, user=council.reps[4], zone="jiangxi"))["councilMeetings"]
    assert ad_hoc["totalCount"] == 1
    none = (await api.gql(query, {"year": 2025}, user=council.reps[4], zone="jiangxi"))["councilMeetings"]
    assert none["totalCount"] == 0
    denied = (await api.gql(query, {}, zone="jiangxi"))["councilMeetings"]
    assert denied["__typename"] == "PermissionDenied"


async def test_general_meeting_warning_names_the_years_without_one(api, council, today):
    query = """{ councilGeneralMeetingWarning { __typename
      ... on CouncilGeneralMeetingCheck { warned missingYears messageZh messageEn } ... on Failure { code } } }"""
    # units joined in 2025 and no general meeting was held that year
    check = (await api.gql(query, user=council.reps[1], zone="jiangxi"))["councilGeneralMeetingWarning"]
    assert check["warned"] is True and check["missingYears"] == [2025]
    assert "2025" in check["messageZh"] and "第十八条" in check["messageZh"]
    denied = (await api.gql(query, zone="jiangxi"))["councilGeneralMeetingWarning"]
    assert denied["__typename"] == "PermissionDenied"


async def test_nested_lists_cost_one_query_each_whatever_the_number_of_meetings(api, council, app_engine):
    from sqlalchemy import event
    for day in (20, 23, 24):
        meeting = await call(api, council, meets_on=D(2026, 3, day))
        await attend(api, council, meeting["id"], [0, 1])
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)
    event.listen(app_engine.sync_engine, "before_cursor_execute", seen)
    try:
        data = await api.gql("""{ councilMeetings(first: 10) { ... on CouncilMeetingConnection { edges { node {
            agendaItems { id } attendance { memberUnitNameZh } motions { votes { choice } } minutes { id } } } } } }""",
                             user=council.reps[0], zone="jiangxi")
    finally:
        event.remove(app_engine.sync_engine, "before_cursor_execute", seen)
    assert len(data["councilMeetings"]["edges"]) == 3
    for table in ("council_attendance", "council_agenda_items", "council_motions", "council_minutes",
                  "council_member_units"):
        assert len([s for s in statements if f"FROM {table}" in s]) == 1, table
