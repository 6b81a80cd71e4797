"""Training end to end through the HTTP API, on both databases (issue 7's "Done when")."""

from __future__ import annotations

import asyncio

import pytest

from tests.talent.support import FAILURE, add_session, enrol, make_expert, op, programme

MY_ENROLMENTS = "{ myEnrolments { ... on EnrolmentConnection { edges { node { id state waitPosition } } } } }"
VERIFY = """query($code: String!) { verifyCertificate(code: $code) { __typename
  ... on CertificateVerification { code valid holderName sessionsAttended issuedAt
      programme { titleZh titleEn } hostZone { slug } holderZone { slug } }
  ... on Failure { code message } } }"""


@pytest.fixture
async def people(api):
    await api.add_user("hn-secretary", "hainan", "secretary")
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await api.add_user("fj-secretary", "fujian", "secretary")
    teachers = [await make_expert(api, "jx-expert", "jiangxi", "jx-secretary", "曾晓明"),
                await make_expert(api, "fj-expert", "fujian", "fj-secretary", "林海燕")]
    await api.add_user("gz-member", "guizhou", "member", display_name="王立新")
    await api.add_user("jx-member", "jiangxi", "member", display_name="李春华")
    await api.add_user("fj-member", "fujian", "member", display_name="陈志远")
    await api.add_user("hn-member", "hainan", "member", display_name="符秀英")
    return teachers


async def test_hainan_programme_with_waiting_list_attendance_and_certificates(api, people):
    created = await programme(api)
    assert created["__typename"] == "TrainingProgramme", created
    assert created["hostZone"]["slug"] == "hainan"
    session = await add_session(api, created["id"], people, capacity=2)
    assert session["__typename"] == "TrainingSession", session
    assert {t["homeZone"]["slug"] for t in session["teachers"]} == {"jiangxi", "fujian"}

    first = await enrol(api, session["id"], "gz-member", "guizhou")
    second = await enrol(api, session["id"], "jx-member", "jiangxi")
    third = await enrol(api, session["id"], "fj-member", "fujian")
    fourth = await enrol(api, session["id"], "jx-expert", "jiangxi")  # experts enrol too
    assert [e["state"] for e in (first, second, third, fourth)] == ["ENROLLED", "ENROLLED", "WAITING", "WAITING"]
    assert [third["waitPosition"], fourth["waitPosition"]] == [1, 2]

    # Guizhou withdraws: Fujian, first in the queue, takes the seat at once and is told.
    withdrawn = await op(api, "withdrawEnrolment", {"id": first["id"]},
                         "__typename ... on Enrolment { state }", "gz-member", "guizhou")
    assert withdrawn == {"__typename": "Enrolment", "state": "WITHDRAWN"}
    mine = (await api.gql(MY_ENROLMENTS, user="fj-member", zone="fujian"))["myEnrolments"]["edges"]
    assert mine[0]["node"]["state"] == "ENROLLED" and mine[0]["node"]["waitPosition"] is None
    inbox = await api.gql("{ inbox { ... on NotificationConnection { edges { node { kind titleZh } } } } }", user="fj-member",
                          zone="fujian")
    assert [n["node"]["kind"] for n in inbox["inbox"]["edges"]] == ["training.promoted"]
    roster = await api.gql("""query($id: ID!) { trainingSessionEnrolments(sessionId: $id) {
        ... on EnrolmentConnection { edges { node { state waitPosition zone { slug } } } } } }""",
                           {"id": session["id"]}, user="hn-secretary", zone="hainan")
    states = [(e["node"]["zone"]["slug"], e["node"]["state"], e["node"]["waitPosition"])
              for e in roster["trainingSessionEnrolments"]["edges"]]
    assert states == [("guizhou", "WITHDRAWN", None), ("jiangxi", "ENROLLED", None),
                      ("fujian", "ENROLLED", None), ("jiangxi", "WAITING", 2)]

    # Attendance: the host's secretary, for seated people only.
    waiting_attends = await op(api, "recordAttendance", {"sessionId": session["id"],
                                                          "enrolmentIds": [fourth["id"]]},
                               f"__typename {FAILURE}", "hn-secretary", "hainan")
    assert waiting_attends["__typename"] == "ValidationFailed"
    attended = await op(api, "recordAttendance", {"sessionId": session["id"],
                                                   "enrolmentIds": [second["id"], third["id"]]},
                        "__typename ... on AttendanceRecorded { enrolments { attended } }",
                        "hn-secretary", "hainan")
    assert attended["enrolments"] == [{"attended": True}, {"attended": True}]

    issued = await op(api, "issueCertificates", {"programmeId": created["id"]},
                      "__typename ... on CertificatesIssued { certificates { id code nameDisplay } }",
                      "hn-secretary", "hainan")
    certificates = issued["certificates"]
    assert len(certificates) == 2 and all(c["nameDisplay"] == "MASKED" for c in certificates)
    again = await op(api, "issueCertificates", {"programmeId": created["id"]},
                     "... on CertificatesIssued { certificates { id } }", "hn-secretary", "hainan")
    assert again["certificates"] == []  # nobody gets two

    # Anyone checks a code; the name shows only as far as the holder allows.
    mine = (await api.gql("{ myCertificates { ... on CertificateConnection { edges { node { id code } } } } }",
                          user="jx-member", zone="jiangxi"))["myCertificates"]["edges"][0]["node"]
    checked = (await api.gql(VERIFY, {"code": mine["code"].lower().replace("-", "")}))["verifyCertificate"]
    assert checked["valid"] and checked["holderName"] == "李*华"
    assert checked["programme"]["titleZh"] == "绿色食品标准化实务培训"
    assert (checked["hostZone"]["slug"], checked["holderZone"]["slug"]) == ("hainan", "jiangxi")
    for display, shown in (("FULL", "李春华"), ("HIDDEN", None)):
        changed = await op(api, "setCertificateNameDisplay", {"id": mine["id"], "display": display},
                           "__typename ... on Certificate { nameDisplay }", "jx-member", "jiangxi")
        assert changed["nameDisplay"] == display
        assert (await api.gql(VERIFY, {"code": mine["code"]}))["verifyCertificate"]["holderName"] == shown
    others = await op(api, "setCertificateNameDisplay", {"id": mine["id"], "display": "FULL"},
                      "__typename", "fj-member", "fujian")
    assert others["__typename"] == "NotFound"
    tampered = mine["code"][:-1] + ("0" if mine["code"][-1] != "0" else "1")
    assert (await api.gql(VERIFY, {"code": tampered}))["verifyCertificate"]["__typename"] == "NotFound"


async def test_refusals(api, people, monkeypatch):
    from ecozone.talent import service
    created = await programme(api)
    # Another zone's secretary neither creates sessions for Hainan nor records its attendance.
    other = await add_session(api, created["id"], people, user="fj-secretary", zone="fujian")
    assert other["__typename"] == "PermissionDenied"
    member_creates = await programme(api, user="hn-member", zone="hainan")
    assert member_creates["__typename"] == "PermissionDenied"
    # Teachers must be verified experts.
    pending = await make_expert(api, "gz-expert", "guizhou", None, "杨国强")
    unverified = await add_session(api, created["id"], [people[0], pending])
    assert unverified["__typename"] == "ValidationFailed"
    assert unverified["fieldErrors"] == [{"field": "teacherIds", "code": "unverified"}]
    bad = await op(api, "createTrainingProgramme", {"titleZh": " ", "titleEn": "x", "topic": "t",
                                                   "completionRule": "AT_LEAST"},
                   f"__typename {FAILURE}", "hn-secretary", "hainan")
    assert {e["field"] for e in bad["fieldErrors"]} == {"titleZh", "completionRule"}

    session = await add_session(api, created["id"], people, deadline="2099-05-31T16:00:00Z")
    assert (await enrol(api, session["id"], None, None))["__typename"] == "PermissionDenied"
    await api.add_user("hn-nobody", "hainan")
    assert (await enrol(api, session["id"], "hn-nobody", "hainan"))["__typename"] == "PermissionDenied"
    assert (await enrol(api, session["id"], "gz-member", "guizhou"))["state"] == "ENROLLED"
    duplicate = await enrol(api, session["id"], "gz-member", "guizhou")
    assert duplicate["__typename"] == "Conflict"

    enrolment_id = (await api.gql(MY_ENROLMENTS, user="gz-member", zone="guizhou")
                    )["myEnrolments"]["edges"][0]["node"]["id"]
    not_host = await op(api, "recordAttendance", {"sessionId": session["id"], "enrolmentIds": [enrolment_id]},
                        "__typename", "fj-secretary", "fujian")
    assert not_host["__typename"] == "PermissionDenied"
    not_mine = await op(api, "withdrawEnrolment", {"id": enrolment_id}, "__typename", "jx-member", "jiangxi")
    assert not_mine["__typename"] == "NotFound"  # another's enrolment is not theirs to see
    roster = await api.gql("""query($id: ID!) { trainingSessionEnrolments(sessionId: $id) { __typename } }""",
                           {"id": session["id"]}, user="jx-secretary", zone="jiangxi")
    assert roster["trainingSessionEnrolments"]["__typename"] == "PermissionDenied"

    # The deadline instant itself is still open; a second later enrolment is closed.
    import datetime as dt
    deadline = dt.datetime(2099, 5, 31, 16, tzinfo=dt.UTC)
    monkeypatch.setattr(service, "now", lambda: deadline)
    assert (await enrol(api, session["id"], "jx-member", "jiangxi"))["state"] == "ENROLLED"
    monkeypatch.setattr(service, "now", lambda: deadline + dt.timedelta(seconds=1))
    late = await enrol(api, session["id"], "fj-member", "fujian")
    assert late["__typename"] == "Conflict" and "closed" in late["message"]


async def test_concurrent_enrolments_for_the_last_seat(api, people):
    created = await programme(api)
    session = await add_session(api, created["id"], people, capacity=1)
    results = await asyncio.gather(*(enrol(api, session["id"], user, zone) for user, zone in (
        ("gz-member", "guizhou"), ("jx-member", "jiangxi"), ("fj-member", "fujian"), ("hn-member", "hainan"))))
    assert sorted(r["state"] for r in results) == ["ENROLLED", "WAITING", "WAITING", "WAITING"]
    assert sorted(r["waitPosition"] for r in results if r["waitPosition"]) == [1, 2, 3]
