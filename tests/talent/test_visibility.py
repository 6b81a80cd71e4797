"""README "Talent and training" visibility table, cell by cell, through HTTP on both databases.

A Hainan programme (taught by a Jiangxi expert) seats a Guizhou member and a Fujian member, who
attend and get certificates; a Hainan call gets applications from a Guizhou and a Fujian expert;
Hainan has a talent base. Every identity of the table then asks for every object by
``node(id:)``, in the lists that show it and through the mutations that name it. "own": the
person sees their own row and not the other person's. Then the waiting list and the seat counts
are checked while every enrolment but one's own is invisible to the person withdrawing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from strawberry.relay import GlobalID

from tests.support.readme_tables import OWN, YES, Identity, check_table_shape
from tests.support.readme_tables import readme_table as read_table
from tests.talent.support import FAILURE, add_session, enrol, make_expert, op, programme

ANCHOR = "Talent and training follow the same kind of rule"
NODE = "query($id: ID!) { node(id: $id) { __typename ... on Node { id } } }"
MINE = """{ myEnrolments(first: 50) { ... on EnrolmentConnection { edges { node { id } } } }
            myCertificates(first: 50) { ... on CertificateConnection { edges { node { id } } } } }"""
ROSTER = """query($id: ID!) { trainingSessionEnrolments(sessionId: $id, first: 50) { __typename
  ... on EnrolmentConnection { edges { node { id personName } } } } }"""
APPLICATIONS = """query($id: ID!) { chiefExpertApplications(callId: $id, first: 50) { __typename
  ... on ChiefExpertApplicationConnection { edges { node { id call { id } } } } } }"""
PUBLIC_TRAINING = """query($programme: ID!) {
  trainingProgrammes(first: 100) { ... on TrainingProgrammeConnection { edges { node { id } } } }
  trainingProgramme(id: $programme) { __typename ... on TrainingProgramme {
    sessions { ... on TrainingSessionConnection { edges { node { id seatsLeft teachers { id } } } } } } } }"""
PUBLIC_BASES = """{ talentBases(first: 100) { ... on TalentBaseConnection { edges { node { id people { name } } } } }
  chiefExpertCalls(first: 100) { ... on ChiefExpertCallConnection { edges { node { id } } } } }"""
VERIFY = """query($code: String!) { verifyCertificate(code: $code) { __typename
  ... on CertificateVerification { code valid holderName programme { id } } } }"""


# README column → who asks (each in their home zone). "the person" depends on the row.
IDENTITIES = [
    Identity("anonymous", None, None),
    Identity("member of another zone", "jx-member", "jiangxi"),
    Identity("staff of the person's home zone", "gz-secretary", "guizhou"),
    Identity("member of the host zone", "hn-member", "hainan"),
    Identity("host-zone staff", "hn-secretary", "hainan"),
    Identity("the person", None, None),
    Identity("teacher of the session", "jx-expert", "jiangxi"),
]
# Whose own row "the person" column is about, per row (public rows: the enrolee).
PERSON = {"enrolment (a seat or a place on the waiting list)": ("gz-member", "guizhou"),
          "certificate": ("gz-member", "guizhou"),
          "chief-expert application": ("gz-expert", "guizhou")}


def readme_table() -> tuple[list[str], dict[str, dict[str, str]]]:
    return read_table(ANCHOR, "talent object")


def test_the_table_names_every_identity_and_object():
    check_table_shape(*readme_table(), IDENTITIES, PROBES)


@pytest.fixture
async def world(api) -> dict:
    for user, zone, role in (("hn-secretary", "hainan", "secretary"), ("hn-director", "hainan", "director"),
                             ("hn-member", "hainan", "member"), ("jx-secretary", "jiangxi", "secretary"),
                             ("jx-member", "jiangxi", "member"), ("gz-secretary", "guizhou", "secretary"),
                             ("gz-member", "guizhou", "member"), ("fj-secretary", "fujian", "secretary"),
                             ("fj-member", "fujian", "member")):
        await api.add_user(user, zone, role)
    teacher = await make_expert(api, "jx-expert", "jiangxi", "jx-secretary", "曾晓明")
    await make_expert(api, "gz-expert", "guizhou", "gz-secretary", "杨国强")
    await make_expert(api, "fj-expert", "fujian", "fj-secretary", "林海燕")
    created = await programme(api)
    session = await add_session(api, created["id"], [teacher], capacity=2)
    seats = {u: (await enrol(api, session["id"], u, z))["id"]
             for u, z in (("gz-member", "guizhou"), ("fj-member", "fujian"))}
    await op(api, "recordAttendance", {"sessionId": session["id"], "enrolmentIds": list(seats.values())},
             "__typename", "hn-secretary", "hainan")
    issued = await op(api, "issueCertificates", {"programmeId": created["id"]},
                      "... on CertificatesIssued { certificates { id code } }", "hn-secretary", "hainan")
    certificates = {}
    for user, zone in (("gz-member", "guizhou"), ("fj-member", "fujian")):
        mine = (await api.gql(MINE, user=user, zone=zone))["myCertificates"]["edges"]
        certificates[user] = mine[0]["node"]["id"]
    codes = {c["id"]: c["code"] for c in issued["certificates"]}
    base = await op(api, "createTalentBase", {"kind": "TRAINING_BASE", "nameZh": "海南标准化培训基地",
                                              "nameEn": "Hainan standardization training base",
                                              "hostUnit": "海南省某标准化研究院", "startsOn": "2026-03-01"},
                    f"__typename ... on TalentBase {{ id }} {FAILURE}", "hn-secretary", "hainan")
    await op(api, "attachTalentBasePerson", {"baseId": base["id"], "name": "符海生", "role": "导师"},
             "__typename", "hn-secretary", "hainan")
    call = await op(api, "openChiefExpertCall", {"titleZh": "征集热带农业标准化首席专家",
                                                 "titleEn": "Call for chief experts", "field": "热带农业",
                                                 "deadline": "2099-12-31T00:00:00Z"},
                    f"__typename ... on ChiefExpertCall {{ id }} {FAILURE}", "hn-secretary", "hainan")
    applications = {u: (await op(api, "applyToChiefExpertCall", {"callId": call["id"], "statement": "申请"},
                                 f"__typename ... on ChiefExpertApplication {{ id }} {FAILURE}", u, z))["id"]
                    for u, z in (("gz-expert", "guizhou"), ("fj-expert", "fujian"))}
    return {"programme": created["id"], "session": session["id"], "teacher": teacher, "enrolments": seats,
            "certificates": certificates, "code": codes[certificates["gz-member"]], "base": base["id"],
            "call": call["id"], "applications": applications}


def _ids(data) -> set[str]:
    """Every ``id`` anywhere in ``data``."""
    found: set[str] = set()
    if isinstance(data, list):
        for item in data:
            found |= _ids(item)
    elif isinstance(data, dict):
        for key, value in data.items():
            if key == "id" and isinstance(value, str):
                found.add(value)
            else:
                found |= _ids(value)
    return found


async def _node(api, node_id: str, user, zone) -> bool:
    return (await api.gql(NODE, {"id": node_id}, user=user, zone=zone))["node"] is not None


# ------------------------------------------------------------------ probes: (api, world, user, zone)
# A public probe answers whether the object is seen (all of its paths, or none).
# A private probe answers {owner: seen} for the two people's rows, and checks its lists agree.

async def probe_training(api, world, user, zone) -> bool:
    data = await api.gql(PUBLIC_TRAINING, {"programme": world["programme"]}, user=user, zone=zone)
    sessions = data["trainingProgramme"]["sessions"]["edges"]
    paths = [world["programme"] in _ids(data["trainingProgrammes"]),
             data["trainingProgramme"]["__typename"] == "TrainingProgramme",
             [s["node"]["id"] for s in sessions] == [world["session"]],
             [t["id"] for s in sessions for t in s["node"]["teachers"]] == [world["teacher"]],
             sessions[0]["node"]["seatsLeft"] == 0,
             await _node(api, world["programme"], user, zone),
             await _node(api, world["session"], user, zone)]
    assert len(set(paths)) == 1, paths
    return paths[0]


async def probe_bases(api, world, user, zone) -> bool:
    data = await api.gql(PUBLIC_BASES, user=user, zone=zone)
    people = [b["node"]["people"] for b in data["talentBases"]["edges"] if b["node"]["id"] == world["base"]]
    paths = [people == [[{"name": "符海生"}]], await _node(api, world["base"], user, zone)]
    assert len(set(paths)) == 1, paths
    return paths[0]


async def probe_call(api, world, user, zone) -> bool:
    data = await api.gql(PUBLIC_BASES, user=user, zone=zone)
    paths = [world["call"] in _ids(data["chiefExpertCalls"]), await _node(api, world["call"], user, zone)]
    assert len(set(paths)) == 1, paths
    return paths[0]


async def probe_enrolments(api, world, user, zone) -> dict[str, bool]:
    seen = {owner: await _node(api, i, user, zone) for owner, i in world["enrolments"].items()}
    visible = {i for owner, i in world["enrolments"].items() if seen[owner]}
    if user:
        mine = _ids((await api.gql(MINE, user=user, zone=zone))["myEnrolments"])
        assert mine <= visible, (user, mine, visible)
    roster = (await api.gql(ROSTER, {"id": world["session"]}, user=user, zone=zone))["trainingSessionEnrolments"]
    assert _ids(roster) <= visible, (user, roster)
    if user == "hn-secretary":  # the host's staff list everyone, with their names
        assert {e["node"]["personName"] for e in roster["edges"]} == {"gz-member", "fj-member"}
    for owner, enrolment_id in world["enrolments"].items():
        if user and owner != user:  # nobody withdraws another's seat; who may not see it: NotFound
            refused = await op(api, "withdrawEnrolment", {"id": enrolment_id}, "__typename", user, zone)
            assert refused["__typename"] == ("PermissionDenied" if seen[owner] else "NotFound"), (user, owner)
    return seen


async def probe_certificates(api, world, user, zone) -> dict[str, bool]:
    seen = {owner: await _node(api, i, user, zone) for owner, i in world["certificates"].items()}
    if user:
        mine = _ids((await api.gql(MINE, user=user, zone=zone))["myCertificates"])
        assert mine <= {i for owner, i in world["certificates"].items() if seen[owner]}, (user, mine)
        for owner, certificate_id in world["certificates"].items():
            if owner != user:  # only the holder chooses how their name shows
                refused = await op(api, "setCertificateNameDisplay", {"id": certificate_id, "display": "FULL"},
                                   "__typename", user, zone)
                assert refused["__typename"] == "NotFound", (user, owner)
    return seen


async def probe_verification(api, world, user, zone) -> bool:
    checked = (await api.gql(VERIFY, {"code": world["code"]}, user=user, zone=zone))["verifyCertificate"]
    # The public facts only: no certificate, enrolment or account is named in the answer.
    assert {GlobalID.from_id(i).type_name for i in _ids(checked)} <= {"TrainingProgramme"}, checked
    return checked["__typename"] == "CertificateVerification" and checked["holderName"] == "g*******r"


async def probe_applications(api, world, user, zone) -> dict[str, bool]:
    seen = {owner: await _node(api, i, user, zone) for owner, i in world["applications"].items()}
    listed = (await api.gql(APPLICATIONS, {"id": world["call"]}, user=user, zone=zone))["chiefExpertApplications"]
    assert set(_ids(listed)) - {world["call"]} <= {i for o, i in world["applications"].items() if seen[o]}
    return seen


PROBES = {
    "training programme, its sessions and teachers": probe_training,
    "talent base and its people": probe_bases,
    "chief-expert call": probe_call,
    "enrolment (a seat or a place on the waiting list)": probe_enrolments,
    "certificate": probe_certificates,
    "a certificate's public facts, by its code": probe_verification,
    "chief-expert application": probe_applications,
}


async def test_every_cell_of_the_talent_table(api, world):
    columns, rows = readme_table()
    for row, cells in rows.items():
        probe = PROBES[row]
        for identity in IDENTITIES:
            user, zone = identity.user, identity.zone
            if identity.column == "the person":
                user, zone = PERSON.get(row, ("gz-member", "guizhou"))
            cell = cells[identity.column]
            seen = await probe(api, world, user, zone)
            where = f"{row} / {identity.column} ({user})"
            if isinstance(seen, bool):
                assert cell != OWN, where
                assert seen is (cell == YES), where
            elif cell == OWN:
                assert seen == {owner: owner == user for owner in seen}, (where, seen)
            else:
                assert set(seen.values()) == {cell == YES}, (where, seen)


async def test_the_calling_zones_director_lists_and_decides_what_the_rule_shows(api, world):
    listed = (await api.gql(APPLICATIONS, {"id": world["call"]}, user="hn-director", zone="hainan")
              )["chiefExpertApplications"]
    assert {e["node"]["id"] for e in listed["edges"]} == set(world["applications"].values())
    assert {e["node"]["call"]["id"] for e in listed["edges"]} == {world["call"]}
    await api.add_user("gz-director", "guizhou", "director")  # the applicant's home zone
    foreign = await op(api, "decideChiefExpertApplication", {"id": world["applications"]["gz-expert"],
                                                             "accept": True}, "__typename", "gz-director", "guizhou")
    assert foreign["__typename"] == "NotFound"
    decided = await op(api, "decideChiefExpertApplication", {"id": world["applications"]["gz-expert"],
                                                             "accept": True},
                       "__typename ... on ChiefExpertApplication { state }", "hn-director", "hainan")
    assert decided == {"__typename": "ChiefExpertApplication", "state": "ACCEPTED"}


SEATS = """query($id: ID!) { node(id: $id) { ... on TrainingSession { capacity enrolledCount seatsLeft } } }"""
STATE = "query($id: ID!) { node(id: $id) { ... on Enrolment { state waitPosition } } }"
STATS = """query($year: Int!) { talentStatistics(year: $year) { ... on TalentStatistics {
  zones { zone { slug } enrolments } } } }"""


async def test_waiting_list_and_seats_when_the_others_enrolments_are_invisible(api):
    people = {"gz-member": "guizhou", "jx-member": "jiangxi", "fj-member": "fujian", "hn-member": "hainan"}
    await api.add_user("hn-secretary", "hainan", "secretary")
    for user, zone in people.items():
        await api.add_user(user, zone, "member")
    created = await programme(api)
    session = await add_session(api, created["id"], [], capacity=1)
    enrolments = {user: await enrol(api, session["id"], user, zone) for user, zone in people.items()}
    assert [(e["state"], e["waitPosition"]) for e in enrolments.values()] == [
        ("ENROLLED", None), ("WAITING", 1), ("WAITING", 2), ("WAITING", 3)]
    ids = {user: e["id"] for user, e in enrolments.items()}

    async def state(user: str) -> tuple[str, int | None]:
        node = (await api.gql(STATE, {"id": ids[user]}, user=user, zone=people[user]))["node"]
        return node["state"], node["waitPosition"]

    async def seats() -> tuple[int, int]:
        node = (await api.gql(SEATS, {"id": session["id"]}))["node"]  # anonymous: public counts
        return node["enrolledCount"], node["seatsLeft"]

    async def enrolled_by_zone() -> dict[str, int]:
        year = dt.datetime.now(dt.UTC).year
        zones = (await api.gql(STATS, {"year": year}))["talentStatistics"]["zones"]
        return {z["zone"]["slug"]: z["enrolments"] for z in zones}

    # Each sees their own enrolment only: the queue is invisible to the people in it.
    for user, zone in people.items():
        mine = (await api.gql(MINE, user=user, zone=zone))["myEnrolments"]["edges"]
        assert [e["node"]["id"] for e in mine] == [ids[user]]
        for other in people:
            if other != user:
                assert (await api.gql(NODE, {"id": ids[other]}, user=user, zone=zone))["node"] is None
    assert (await enrol(api, session["id"], "jx-member", "jiangxi"))["__typename"] == "Conflict"  # already in
    assert await seats() == (1, 0)
    assert (await enrolled_by_zone())["guizhou"] == 1  # anonymous statistics count every seat

    # Guizhou withdraws without seeing the queue: Jiangxi (first) takes the seat and is told.
    await op(api, "withdrawEnrolment", {"id": ids["gz-member"]}, "__typename", "gz-member", "guizhou")
    assert await state("jx-member") == ("ENROLLED", None)
    assert await state("fj-member") == ("WAITING", 2) and await state("hn-member") == ("WAITING", 3)
    assert await seats() == (1, 0)
    inbox = await api.gql("{ inbox { ... on NotificationConnection { edges { node { kind } } } } }",
                          user="jx-member", zone="jiangxi")
    assert [n["node"]["kind"] for n in inbox["inbox"]["edges"]] == ["training.promoted"]
    # Hainan leaves the queue (no seat freed), then Jiangxi withdraws: Fujian is next, not Hainan.
    await op(api, "withdrawEnrolment", {"id": ids["hn-member"]}, "__typename", "hn-member", "hainan")
    assert await seats() == (1, 0)
    await op(api, "withdrawEnrolment", {"id": ids["jx-member"]}, "__typename", "jx-member", "jiangxi")
    assert await state("fj-member") == ("ENROLLED", None)
    assert await state("hn-member") == ("WITHDRAWN", None)
    assert await seats() == (1, 0)
    assert {k: v for k, v in (await enrolled_by_zone()).items() if v} == {"fujian": 1}
    # The last seated person leaves with nobody waiting: the seat is free again.
    await op(api, "withdrawEnrolment", {"id": ids["fj-member"]}, "__typename", "fj-member", "fujian")
    assert await seats() == (0, 1)
    roster = (await api.gql(ROSTER.replace("id personName", "id personName state"), {"id": session["id"]},
                            user="hn-secretary", zone="hainan"))["trainingSessionEnrolments"]["edges"]
    assert [e["node"]["state"] for e in roster] == ["WITHDRAWN"] * 4
