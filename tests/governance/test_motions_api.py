"""Motions and votes through the HTTP API, on both databases (章程 第二十二条, 第二十三条):
an ordinary resolution needs 2/3 or more of those present, a major matter 2/3 or more of all member
units; each is tested at the bound and one vote short. Written voting only with the chair's approval.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.governance.council_client import (
    APPROVE,
    CLOSE,
    attend,
    call,
    last_activity,
    opened_meeting,
    seed_council,
    today,  # noqa: F401 - the frozen-clock fixture
)

MOTION_FIELDS = """
  __typename
  ... on CouncilMotion { id kind state tally { passed } votes { memberUnitId choice } }
  ... on ValidationFailed { fieldErrors { field code message messageZh } }
  ... on Failure { code message messageZh }
"""
PROPOSE = """mutation($input: ProposeCouncilMotionInput!) { proposeCouncilMotion(input: $input) {""" + MOTION_FIELDS + """} }"""
START = """mutation($id: ID!) { startCouncilVote(input: {motionId: $id}) {""" + MOTION_FIELDS + """} }"""
RECORD = """mutation($input: RecordCouncilVotesInput!) { recordCouncilVotes(input: $input) {""" + MOTION_FIELDS + """} }"""
CAST = """mutation($id: ID!, $choice: CouncilVoteChoice!) {
  castCouncilVote(input: {motionId: $id, choice: $choice}) {""" + MOTION_FIELDS + """} }"""
COUNT = """mutation($id: ID!) { countCouncilVotes(input: {motionId: $id}) { __typename
  ... on CouncilTally { kind passed yes no abstain present members base needed shortBy ruleZh ruleEn
                        motion { state tally { yes needed } } }
  ... on ValidationFailed { fieldErrors { field code } }
  ... on Failure { code message messageZh } } }"""


@pytest.fixture
async def council(api, today):  # noqa: F811 - uses the imported fixture
    return await seed_council(api)


async def propose(api, council, meeting_id: str, kind: str = "ORDINARY", user: str | None = None) -> dict:
    data = await api.gql(PROPOSE, {"input": {"meetingId": meeting_id, "titleZh": "关于年度工作计划的决议",
                                             "titleEn": "Resolution on the annual work plan", "kind": kind,
                                             "text": "审议通过2026年度工作计划。"}},
                         user=user or council.secretary, zone=council.zone)
    return data["proposeCouncilMotion"]


async def voting_motion(api, council, meeting_id: str, kind: str = "ORDINARY") -> str:
    motion = await propose(api, council, meeting_id, kind)
    started = await api.gql(START, {"id": motion["id"]}, user=council.secretary, zone=council.zone)
    assert started["startCouncilVote"]["state"] == "VOTING", started
    return motion["id"]


async def record(api, council, motion_id: str, choices: dict[int, str], user: str | None = None) -> dict:
    votes = [{"memberUnitId": council.unit(i), "choice": c} for i, c in choices.items()]
    data = await api.gql(RECORD, {"input": {"motionId": motion_id, "votes": votes}},
                         user=user or council.secretary, zone=council.zone)
    return data["recordCouncilVotes"]


async def count(api, council, motion_id: str, user: str | None = None) -> dict:
    return (await api.gql(COUNT, {"id": motion_id}, user=user or council.secretary, zone=council.zone))[
        "countCouncilVotes"]


def votes(yes: int, no: int = 0, abstain: int = 0) -> dict[int, str]:
    choices = ["YES"] * yes + ["NO"] * no + ["ABSTAIN"] * abstain
    return dict(enumerate(choices))


# 9 member units; units 0–5 present (6, with five vice-chairs) unless a case says otherwise.
@pytest.mark.parametrize(("case", "present", "kind", "cast", "passed", "needed", "short_by"), [
    ("ordinary at exactly 2/3 of those present", 6, "ORDINARY", votes(4, 2), True, 4, 0),
    ("ordinary one yes short", 6, "ORDINARY", votes(3, 2, 1), False, 4, 1),
    ("ordinary counts abstentions in the base", 6, "ORDINARY", votes(4, 0, 2), True, 4, 0),
    ("major at exactly 2/3 of all members", 7, "MAJOR", votes(6, 1), True, 6, 0),
    ("major one short though 2/3 of those present said yes", 7, "MAJOR", votes(5, 2), False, 6, 1),
])
async def test_resolution_thresholds(api, council, case, present, kind, cast, passed, needed, short_by):
    meeting_id = await opened_meeting(api, council, list(range(present)))
    motion_id = await voting_motion(api, council, meeting_id, kind)
    assert (await record(api, council, motion_id, cast))["__typename"] == "CouncilMotion"
    tally = await count(api, council, motion_id)
    assert tally["__typename"] == "CouncilTally", tally
    yes = sum(1 for c in cast.values() if c == "YES")
    assert (tally["passed"], tally["needed"], tally["shortBy"], tally["yes"]) == (passed, needed, short_by, yes), case
    assert (tally["present"], tally["members"]) == (present, 9)
    assert tally["base"] == (present if kind == "ORDINARY" else 9)
    assert tally["motion"]["state"] == ("PASSED" if passed else "FAILED")
    article = "第二十二条" if kind == "ORDINARY" else "第二十三条"
    assert article in tally["ruleZh"] and f"≥ {needed} yes" in tally["ruleEn"]


async def test_votes_of_absent_units_are_refused(api, council):
    meeting_id = await opened_meeting(api, council, list(range(6)))
    motion_id = await voting_motion(api, council, meeting_id)
    refused = await record(api, council, motion_id, {0: "YES", 8: "NO"})
    assert refused["__typename"] == "ValidationFailed"
    assert [e["code"] for e in refused["fieldErrors"]] == ["not_present"]
    unchanged = await record(api, council, motion_id, {0: "YES"})
    assert unchanged["votes"] == [{"memberUnitId": council.unit(0), "choice": "YES"}]  # nothing of the refusal kept


async def test_a_vote_can_be_changed_until_counted_and_counting_records_activity(api, council, today):  # noqa: F811
    meeting_id = await opened_meeting(api, council, list(range(6)))
    motion_id = await voting_motion(api, council, meeting_id)
    await record(api, council, motion_id, {0: "NO", 1: "YES"})
    changed = await record(api, council, motion_id, {0: "YES"})
    assert sorted(v["choice"] for v in changed["votes"]) == ["YES", "YES"]
    today.day = dt.date(2026, 3, 20)
    await count(api, council, motion_id)
    activity = await last_activity(api, council.units[:2])
    assert set(activity.values()) == {dt.date(2026, 3, 20)}
    after = await record(api, council, motion_id, {2: "YES"})
    assert after["__typename"] == "Conflict"
    recount = await count(api, council, motion_id)
    assert recount["__typename"] == "Conflict"


async def test_motion_refusals(api, council):
    meeting = await call(api, council)
    motion = await propose(api, council, meeting["id"])
    assert motion["state"] == "PROPOSED"
    not_open = (await api.gql(START, {"id": motion["id"]}, user=council.secretary, zone="jiangxi"))["startCouncilVote"]
    assert not_open["__typename"] == "Conflict"
    by_member = await propose(api, council, meeting["id"], user=council.reps[1])
    assert by_member["__typename"] == "PermissionDenied"
    bad = (await api.gql(PROPOSE, {"input": {"meetingId": meeting["id"], "titleZh": "", "titleEn": "x",
                                             "kind": "MAJOR", "agendaItemId": "Q291bmNpbEFnZW5kYUl0ZW06OTk5"}},
                         user=council.secretary, zone="jiangxi"))["proposeCouncilMotion"]
    assert bad["__typename"] == "ValidationFailed"
    assert {e["field"] for e in bad["fieldErrors"]} == {"titleZh", "agendaItemId"}
    wrong_type = (await api.gql(START, {"id": meeting["id"]}, user=council.secretary, zone="jiangxi"))["startCouncilVote"]
    assert wrong_type["__typename"] == "NotFound"


async def test_only_the_secretariat_records_and_counts(api, council):
    meeting_id = await opened_meeting(api, council, list(range(6)))
    motion_id = await voting_motion(api, council, meeting_id)
    assert (await record(api, council, motion_id, {0: "YES"}, user=council.reps[0]))["__typename"] == "PermissionDenied"
    assert (await count(api, council, motion_id, user=council.director))["__typename"] == "PermissionDenied"
    cast = (await api.gql(CAST, {"id": motion_id, "choice": "YES"}, user=council.reps[0], zone="jiangxi"))
    assert cast["castCouncilVote"]["__typename"] == "Conflict"  # in person: the secretariat records
    other = await seed_council(api, zone="guizhou", prefix="gz", units=1, vice_chairs=0)
    await api.zone_refused(COUNT, {"id": motion_id}, user=other.secretary, zone="jiangxi")
    from_guizhou = (await api.gql(COUNT, {"id": motion_id}, user=other.secretary, zone="guizhou"))["countCouncilVotes"]
    assert from_guizhou["__typename"] == "NotFound"


async def test_a_meeting_with_a_vote_open_cannot_close(api, council):
    meeting_id = await opened_meeting(api, council, list(range(6)))
    motion_id = await voting_motion(api, council, meeting_id)
    refused = (await api.gql(CLOSE, {"id": meeting_id}, user=council.secretary, zone="jiangxi"))["closeCouncilMeeting"]
    assert refused["__typename"] == "Conflict"
    await record(api, council, motion_id, votes(6))
    await count(api, council, motion_id)
    closed = (await api.gql(CLOSE, {"id": meeting_id}, user=council.secretary, zone="jiangxi"))["closeCouncilMeeting"]
    assert closed["state"] == "CLOSED"


async def test_written_voting_is_refused_without_the_chairs_approval_and_accepted_after_it(api, council):
    meeting_id = await opened_meeting(api, council, list(range(6)), votingMode="WRITTEN")
    motion = await propose(api, council, meeting_id)
    refused = (await api.gql(START, {"id": motion["id"]}, user=council.secretary, zone="jiangxi"))["startCouncilVote"]
    assert refused["__typename"] == "Conflict" and "第二十二条" in refused["messageZh"]
    assert "chair" in refused["message"]

    approved = (await api.gql(APPROVE, {"id": meeting_id}, user=council.chair, zone="jiangxi"))
    assert approved["approveCouncilVotingMode"]["votingModeApproved"] is True
    started = (await api.gql(START, {"id": motion["id"]}, user=council.secretary, zone="jiangxi"))["startCouncilVote"]
    assert started["state"] == "VOTING"

    # each representative casts its own unit's vote; unit 8 was not at the meeting but votes in writing
    for i, choice in [(0, "YES"), (1, "YES"), (2, "YES"), (3, "YES"), (4, "YES"), (8, "NO")]:
        cast = (await api.gql(CAST, {"id": motion["id"], "choice": choice}, user=council.reps[i], zone="jiangxi"))
        assert cast["castCouncilVote"]["__typename"] == "CouncilMotion", cast
    not_a_rep = (await api.gql(CAST, {"id": motion["id"], "choice": "YES"}, user=council.secretary, zone="jiangxi"))
    assert not_a_rep["castCouncilVote"]["__typename"] == "PermissionDenied"
    anonymous = (await api.gql(CAST, {"id": motion["id"], "choice": "YES"}, zone="jiangxi"))
    assert anonymous["castCouncilVote"]["__typename"] == "PermissionDenied"
    tally = await count(api, council, motion["id"])
    # present: the 6 at the meeting and unit 8 that voted in writing
    assert (tally["yes"], tally["no"], tally["present"], tally["needed"], tally["passed"]) == (5, 1, 7, 5, True)


async def test_online_votes_cannot_be_cast_before_the_chair_approves(api, today):  # noqa: F811
    council = await seed_council(api)
    meeting = await call(api, council, votingMode="ONLINE")
    await attend(api, council, meeting["id"], list(range(6)))
    await api.gql("""mutation($id: ID!) { openCouncilMeeting(input: {meetingId: $id}) { __typename } }""",
                  {"id": meeting["id"]}, user=council.secretary, zone="jiangxi")
    motion = await propose(api, council, meeting["id"])
    cast = (await api.gql(CAST, {"id": motion["id"], "choice": "YES"}, user=council.reps[0], zone="jiangxi"))
    assert cast["castCouncilVote"]["__typename"] == "Conflict"  # not even being voted on yet
    refused = (await api.gql(START, {"id": motion["id"]}, user=council.secretary, zone="jiangxi"))["startCouncilVote"]
    assert refused["code"] == "charter"
