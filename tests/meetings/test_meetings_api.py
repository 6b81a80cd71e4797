"""A yearly regional meeting series through the API on both databases: invitations by zone and
by person, attendance, materials, minutes with decisions, a follow-up item assigned to Fujian;
and the lies a hostile client tells."""

from __future__ import annotations

import datetime as dt

from tests.meetings.support import (
    FOLLOW_UP,
    MEETING,
    SERIES,
    op,
    people,
    user_id,
    yearly_series,
)
from tests.support.api import gid


async def inbox(api, user: str, zone: str) -> list[str]:
    """The kinds of the user's notifications, oldest first; each one's subject opens for them."""
    data = await api.gql("""{ inbox(first: 50) { ... on NotificationConnection {
        edges { node { kind subjectType subjectId } } } } }""", user=user, zone=zone)
    nodes = [e["node"] for e in data["inbox"]["edges"]]
    for node in nodes:
        seen = await api.gql("query($id: ID!) { node(id: $id) { id } }", {"id": node["subjectId"]}, user=user,
                             zone=zone)
        assert seen["node"] is not None, node
    return [n["kind"] for n in reversed(nodes)]


async def test_a_yearly_regional_meeting_from_invitation_to_follow_up(api):
    await people(api)
    series = await yearly_series(api)
    assert series["__typename"] == "JointMeetingSeries", series
    assert series["recurrence"] == "FREQ=YEARLY;COUNT=4" and series["hostZone"]["slug"] == "jiangxi"
    assert [i["zone"]["slug"] for i in series["invitations"]] == ["guizhou", "fujian"]
    meetings = series["meetings"]
    assert [m["startsAt"] for m in meetings] == [f"{y}-03-10T01:00:00+00:00" for y in (2025, 2026, 2027, 2028)]
    assert meetings[0]["endsAt"] == "2025-03-10T04:00:00+00:00"

    # Fujian's office names its institute head; Jiangxi's names its own director.
    named = await op(api, "invitePersonToJointMeeting", {"seriesId": series["id"], "userId": user_id(api, "fj-head")},
                     SERIES, "fj-director", "fujian")
    assert named["__typename"] == "JointMeetingSeries", named
    assert {"zone": None, "forZone": {"slug": "fujian"}} in named["invitations"]
    await op(api, "invitePersonToJointMeeting", {"seriesId": series["id"], "userId": user_id(api, "jx-director")},
             SERIES, "jx-secretary", "jiangxi")
    again = await op(api, "invitePersonToJointMeeting", {"seriesId": series["id"],
                     "userId": user_id(api, "fj-head")}, SERIES, "fj-director", "fujian")
    assert again["code"] == "conflict"

    first = meetings[0]["id"]
    recorded = await op(api, "recordJointMeetingAttendance", {"meetingId": first, "presences": [
        {"userId": user_id(api, "fj-head")}, {"userId": user_id(api, "jx-director"), "present": False}]},
        MEETING, "jx-secretary", "jiangxi")
    assert sorted((a["zone"]["slug"], a["present"]) for a in recorded["attendance"]) == [
        ("fujian", True), ("jiangxi", False)]
    material = await op(api, "addJointMeetingMaterial", {"meetingId": first, "titleZh": "福建省工作汇报",
                        "titleEn": "Fujian's report", "url": "https://example.org/fj-report.pdf"},
                        MEETING, "fj-director", "fujian")
    assert material["materials"][0]["zone"]["slug"] == "fujian"

    minutes = await op(api, "writeJointMeetingMinutes", {"meetingId": first, "summary": "会议交流了四省标准化工作。",
                       "decisions": [{"textZh": "联合制定茶叶追溯标准。", "textEn": "Draft a joint tea traceability standard."},
                                     {"textZh": "下次会议由贵州承办。", "textEn": "Guizhou hosts the next meeting."}]},
                       MEETING, "jx-secretary", "jiangxi")
    assert [d["number"] for d in minutes["decisions"]] == [1, 2]
    item = await op(api, "addJointMeetingFollowUp", {"meetingId": first, "zone": "fujian", "titleZh": "提出茶叶追溯标准草案",
                    "titleEn": "Propose the tea traceability draft", "dueOn": "2025-06-30", "decisionNumber": 1},
                    FOLLOW_UP, "jx-secretary", "jiangxi")
    assert item["__typename"] == "JointMeetingFollowUp", item
    assert (item["zone"]["slug"], item["state"], item["decisionNumber"]) == ("fujian", "OPEN", 1)

    # Fujian's own list of work, and Fujian's office completes it.
    listed = await api.gql("""{ jointMeetingFollowUps(zone: "fujian", state: OPEN) {
        ... on JointMeetingFollowUpConnection { totalCount edges { node { id meeting { sequence } } } } } }""",
                           user="fj-director", zone="fujian")
    assert listed["jointMeetingFollowUps"]["totalCount"] == 1
    done = await op(api, "moveJointMeetingFollowUp", {"id": item["id"], "action": "COMPLETE"}, FOLLOW_UP,
                    "fj-director", "fujian")
    assert done["state"] == "DONE"
    twice = await op(api, "moveJointMeetingFollowUp", {"id": item["id"], "action": "COMPLETE"}, FOLLOW_UP,
                     "fj-director", "fujian")
    assert twice["code"] == "illegal_transition" and "当前可执行" in twice["messageZh"]

    published = await op(api, "publishJointMeetingMinutes", {"meetingId": first}, MEETING, "jx-director", "jiangxi")
    assert published["minutesPublishedAt"] is not None
    # Who heard of it: Fujian's director (invited zone, follow-up, minutes), the person named.
    assert await inbox(api, "fj-director", "fujian") == [
        "joint_meeting.zone_invited", "joint_meeting.follow_up_assigned", "joint_meeting.minutes_published"]
    assert await inbox(api, "fj-head", "fujian") == ["joint_meeting.person_invited", "joint_meeting.minutes_published"]
    assert await inbox(api, "hn-director", "hainan") == []
    frozen = await op(api, "writeJointMeetingMinutes", {"meetingId": first, "summary": "改写"}, MEETING,
                      "jx-secretary", "jiangxi")
    assert frozen["code"] == "conflict" and "已公开" in frozen["messageZh"]
    # 2027's meeting has not begun: neither attendance nor minutes yet.
    later = meetings[2]["id"]
    await op(api, "writeJointMeetingMinutes", {"meetingId": later, "summary": "预写"}, MEETING, "jx-secretary", "jiangxi")
    early = await op(api, "publishJointMeetingMinutes", {"meetingId": later}, MEETING, "jx-secretary", "jiangxi")
    assert early["code"] == "conflict" and "开始" in early["messageZh"]
    early = await op(api, "recordJointMeetingAttendance", {"meetingId": later, "presences": [
        {"userId": user_id(api, "fj-head")}]}, MEETING, "jx-secretary", "jiangxi")
    assert early["code"] == "conflict"


async def test_visible_to_participants_only_until_the_minutes_are_published(api):
    await people(api)
    series = await yearly_series(api)
    first, second = series["meetings"][0]["id"], series["meetings"][1]["id"]
    await op(api, "invitePersonToJointMeeting", {"seriesId": series["id"], "userId": user_id(api, "fj-head")},
             SERIES, "fj-director", "fujian")
    query = """query($s: ID!, $m: ID!) {
      jointMeetingSeriesById(id: $s) { __typename }
      jointMeeting(id: $m) { __typename }
      node(id: $m) { id }
      jointMeetings(first: 50) { ... on JointMeetingConnection { totalCount } }
      jointMeetingSeries { ... on JointMeetingSeriesConnection { totalCount } } }"""

    async def sees(user, zone, meeting=first):
        data = await api.gql(query, {"s": series["id"], "m": meeting}, user=user, zone=zone)
        return (data["jointMeetingSeriesById"]["__typename"], data["jointMeeting"]["__typename"],
                data["node"] is not None, data["jointMeetings"]["totalCount"],
                data["jointMeetingSeries"]["totalCount"])

    participant = ("JointMeetingSeries", "JointMeeting", True, 4, 1)
    nothing = ("NotFound", "NotFound", False, 0, 0)
    for who in (("jx-secretary", "jiangxi"), ("gz-director", "guizhou"), ("fj-director", "fujian"),
                ("fj-head", "fujian")):
        assert await sees(*who) == participant, who
    for who in ((None, None), ("hn-director", "hainan"), ("hn-secretary", "hainan"), ("fj-member", "fujian"),
                ("jx-member", "jiangxi")):
        assert await sees(*who) == nothing, who
    # Hainan's staff acting in Fujian is refused outright (the acting zone is earned).
    await api.zone_refused(query, {"s": series["id"], "m": first}, user="hn-director", zone="fujian")

    await op(api, "writeJointMeetingMinutes", {"meetingId": first, "summary": "纪要"}, MEETING, "jx-secretary", "jiangxi")
    await op(api, "publishJointMeetingMinutes", {"meetingId": first}, MEETING, "jx-secretary", "jiangxi")
    public = ("JointMeetingSeries", "JointMeeting", True, 1, 1)
    for who in ((None, None), ("hn-director", "hainan"), ("fj-member", "fujian")):
        assert await sees(*who) == public, who
        assert (await sees(*who, meeting=second))[1:3] == ("NotFound", False), who  # 2026's: not yet
    data = await api.gql("query($m: ID!) { jointMeeting(id: $m) { ... on JointMeeting { minutesSummary "
                         "series { invitations { zone { slug } } } } } }", {"m": first})
    assert data["jointMeeting"]["minutesSummary"] == "纪要"


async def test_hostile_callers_get_typed_refusals(api):
    await people(api)
    series = await yearly_series(api)
    first = series["meetings"][0]["id"]
    minutes = {"meetingId": first, "summary": "伪造的纪要"}
    # A participating zone that is not the host edits the minutes: refused, and audited.
    refused = await op(api, "writeJointMeetingMinutes", minutes, MEETING, "gz-director", "guizhou")
    assert refused["__typename"] == "PermissionDenied" and "主办" in refused["messageZh"]
    # A zone that takes no part does not even see the meeting.
    assert (await op(api, "writeJointMeetingMinutes", minutes, MEETING, "hn-director", "hainan"))["code"] == "not_found"
    assert (await op(api, "publishJointMeetingMinutes", {"meetingId": first}, MEETING, "hn-secretary", "hainan")
            )["code"] == "not_found"
    # A member of the host zone: no role for it.
    assert (await op(api, "writeJointMeetingMinutes", minutes, MEETING, "jx-member", "jiangxi")
            )["__typename"] == "PermissionDenied"
    assert (await op(api, "writeJointMeetingMinutes", minutes, MEETING, None, None))["__typename"] == "PermissionDenied"
    # Forged and foreign IDs: another type's ID, a non-canonical number, an ID out of range.
    for forged in (gid("Zone", 1), gid("JointMeeting", 99999), "Sm9pbnRNZWV0aW5nOjAx", "not-an-id",
                   gid("JointMeeting", 2**63)):
        answer = await op(api, "writeJointMeetingMinutes", {**minutes, "meetingId": forged}, MEETING,
                          "jx-secretary", "jiangxi")
        assert answer["code"] == "not_found", (forged, answer)
    # Hainan's office names a person for a series it does not take part in.
    assert (await op(api, "invitePersonToJointMeeting", {"seriesId": series["id"], "userId": user_id(api, "hn-director")},
                     SERIES, "hn-director", "hainan"))["code"] == "not_found"
    # Guizhou's office names a Fujian person for Guizhou: an account it may not see names nobody.
    assert (await op(api, "invitePersonToJointMeeting", {"seriesId": series["id"], "userId": user_id(api, "fj-head")},
                     SERIES, "gz-director", "guizhou"))["code"] == "not_found"
    assert (await op(api, "invitePersonToJointMeeting", {"seriesId": series["id"], "userId": gid("User", 99999)},
                     SERIES, "jx-secretary", "jiangxi"))["code"] == "not_found"
    # Guizhou's office invites a zone (only the host does).
    assert (await op(api, "inviteZoneToJointMeeting", {"seriesId": series["id"], "zone": "hainan"}, SERIES,
                     "gz-director", "guizhou"))["__typename"] == "PermissionDenied"
    # A follow-up for a zone that takes no part, before the meeting's day, for a decision that does not exist.
    bad = await op(api, "addJointMeetingFollowUp", {"meetingId": first, "zone": "hainan", "titleZh": "事项",
                   "titleEn": "Item", "dueOn": "2025-03-01", "decisionNumber": 7}, FOLLOW_UP, "jx-secretary", "jiangxi")
    assert {e["field"] for e in bad["fieldErrors"]} == {"zone", "dueOn", "decisionNumber"}
    # Attendance of someone nobody invited; a material linking a script.
    stranger = await op(api, "recordJointMeetingAttendance", {"meetingId": first, "presences": [
        {"userId": user_id(api, "hn-director")}]}, MEETING, "jx-secretary", "jiangxi")
    assert stranger["fieldErrors"] == [{"field": "presences", "code": "not_invited"}]
    await op(api, "invitePersonToJointMeeting", {"seriesId": series["id"], "userId": user_id(api, "jx-director")},
             SERIES, "jx-secretary", "jiangxi")
    twice = await op(api, "recordJointMeetingAttendance", {"meetingId": first, "presences": [
        {"userId": user_id(api, "jx-director")}, {"userId": user_id(api, "jx-director"), "present": False}]},
        MEETING, "jx-secretary", "jiangxi")
    assert twice["fieldErrors"] == [{"field": "presences", "code": "duplicate"}]
    assert (await op(api, "recordJointMeetingAttendance", {"meetingId": first, "presences": []}, MEETING,
                     "jx-secretary", "jiangxi"))["fieldErrors"] == [{"field": "presences", "code": "required"}]
    again = await op(api, "inviteZoneToJointMeeting", {"seriesId": series["id"], "zone": "fujian"}, SERIES,
                     "jx-secretary", "jiangxi")
    assert again["code"] == "conflict" and again["messageZh"]
    script = await op(api, "addJointMeetingMaterial", {"meetingId": first, "titleZh": "材料", "titleEn": "Material",
                      "url": "javascript:alert(1)"}, MEETING, "gz-director", "guizhou")
    assert script["fieldErrors"] == [{"field": "url", "code": "format"}]
    # A Fujian follow-up moved by Guizhou's office: refused.
    item = await op(api, "addJointMeetingFollowUp", {"meetingId": first, "zone": "fujian", "titleZh": "事项",
                    "titleEn": "Item", "dueOn": "2025-12-31"}, FOLLOW_UP, "jx-secretary", "jiangxi")
    assert (await op(api, "moveJointMeetingFollowUp", {"id": item["id"], "action": "DROP"}, FOLLOW_UP,
                     "gz-director", "guizhou"))["__typename"] == "PermissionDenied"


async def test_bad_series_inputs_are_refused_all_at_once(api):
    await people(api)
    bad = await yearly_series(api, recurrence="FREQ=DAILY", durationMinutes=5, timeZone="Mars/Olympus",
                              titleZh="", location=None, invitedZones=["jiangxi", "atlantis"])
    assert bad["__typename"] == "ValidationFailed"
    assert {e["field"] for e in bad["fieldErrors"]} == {"recurrence", "durationMinutes", "timeZone", "titleZh",
                                                         "location", "invitedZones"}
    for rule, code in (("FREQ=YEARLY", "unbounded"), ("FREQ=YEARLY;COUNT=41", "count"),
                       ("FREQ=YEARLY;UNTIL=20200101T000000Z", "empty"), ("FREQ=YEARLY;COUNT=12", "span"),
                       ("RRULE:FREQ=YEARLY;COUNT=2;BYHOUR=1", "unsupported"), ("X" * 300, "length")):
        refused = await yearly_series(api, recurrence=rule)
        assert refused["fieldErrors"] == [{"field": "recurrence", "code": code}], (rule, refused)
    quarterly = await yearly_series(api, recurrence="rrule:freq=monthly;interval=3;count=8")
    assert quarterly["recurrence"] == "FREQ=MONTHLY;INTERVAL=3;COUNT=8"
    assert [m["startsAt"][:10] for m in quarterly["meetings"]][:3] == ["2025-03-10", "2025-06-10", "2025-09-10"]
    single = await yearly_series(api, recurrence=None, kind="THEMATIC")
    assert single["kind"] == "THEMATIC" and len(single["meetings"]) == 1
    assert (await yearly_series(api, onlineLink="ftp://x"))["fieldErrors"] == [{"field": "onlineLink", "code": "format"}]
    page = await api.gql("{ jointMeetings(first: 0) { __typename } }", user="jx-secretary", zone="jiangxi")
    assert page["jointMeetings"]["__typename"] == "ValidationFailed"
    assert dt.datetime.fromisoformat(quarterly["firstStart"]).utcoffset() == dt.timedelta(0)
