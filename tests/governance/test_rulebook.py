"""The base's own rules as documents in force (章程 第三十二条): the version in force on a day at its
bounds, and through HTTP on both databases: the Charter registered, amended by a full meeting after a
document consultation, read by anyone; every wrong motion or consultation refused."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.consultation.models import Consultation
from ecozone.rulebook import rules
from sqlalchemy import update

from tests.governance.council_client import (
    decide,
    opened_meeting,
    seed_council,
    today,  # noqa: F401 - the frozen-clock fixture
)
from tests.support.api import gid

D = dt.date
V1, V2 = rules.Dated(1, D(2025, 1, 1)), rules.Dated(2, D(2026, 7, 1))


@pytest.mark.parametrize(("on", "number"), [
    (D(2024, 12, 31), None), (D(2025, 1, 1), 1), (D(2026, 6, 30), 1), (D(2026, 7, 1), 2), (D(2030, 1, 1), 2)])
def test_the_version_in_force(on, number):
    found = rules.in_force([V2, V1], on)
    assert (found.number if found else None) == number


@pytest.mark.parametrize(("effective_from", "adopted_on", "codes"), [
    (D(2026, 7, 1), D(2026, 3, 20), []),
    (D(2026, 3, 20), D(2026, 3, 20), []),              # in force from the meeting's day
    (D(2026, 3, 19), D(2026, 3, 20), ["range"]),       # never before its adoption
    (D(2025, 1, 1), D(2024, 12, 1), ["order"]),        # not on the day the current version began
])
def test_version_errors(effective_from, adopted_on, codes):
    assert [e.code for e in rules.version_errors(text="第一条 …", effective_from=effective_from, adopted_on=adopted_on,
                                                 earlier=[V1])] == codes


FAILURE = "... on ValidationFailed { fieldErrors { field code } } ... on Failure { code message messageZh }"
DOCUMENT = ("__typename ... on CouncilRuleDocument { id key titleZh versions { number effectiveFrom motionId "
            "consultationId } } " + FAILURE)
RULE = ("__typename ... on CouncilRuleVersion { id number text adoptedOn effectiveFrom motionId consultationId } "
        + FAILURE)
REGISTER = ("mutation($input: RegisterCouncilRuleDocumentInput!) { registerCouncilRuleDocument(input: $input) { "
            + DOCUMENT + " } }")
ADOPT = "mutation($input: AdoptCouncilRuleVersionInput!) { adoptCouncilRuleVersion(input: $input) { " + RULE + " } }"
IN_FORCE = ("query($zone: String!, $key: String!, $on: Date) { councilRuleInForce(zone: $zone, key: $key, on: $on) { "
            + RULE + " } }")
OPEN = """mutation($input: OpenDocumentConsultationInput!) { openDocumentConsultation(input: $input) {
  __typename ... on Consultation { id } ... on Failure { message } } }"""
CLOSE = """mutation($id: ID!) { closeConsultation(input: {id: $id}) { __typename ... on Failure { message } } }"""
CHARTER_2024 = "第一条 为规范理事会运行，制定本章程。\n第三十二条 本章程经理事会成员大会审议表决通过。"
CHARTER_2026 = CHARTER_2024 + "\n第三十三条 理事会每年向成员单位通报章程执行情况。"


@pytest.fixture
async def council(api, today):  # noqa: F811 - the imported fixture
    return await seed_council(api, units=9)


async def consultation(api, council, *, close_on: D | None) -> str:
    opened = (await api.gql(OPEN, {"input": {"titleZh": "理事会章程修订草案（征求意见稿）", "titleEn": "Charter amendment (draft)",
                                             "articles": CHARTER_2026, "days": 15}},
                            user=council.secretary, zone=council.zone))["openDocumentConsultation"]
    if close_on is not None:
        closed = (await api.gql(CLOSE, {"id": opened["id"]}, user=council.secretary, zone=council.zone))
        assert closed["closeConsultation"]["__typename"] == "Consultation", closed

        async def closed_then(session):  # the consultation ran before the meeting (the clock is frozen)
            await session.execute(update(Consultation).where(Consultation.title_en == "Charter amendment (draft)",
                                                             Consultation.state == "closed")
                                  .values(closed_at=dt.datetime(close_on.year, close_on.month, close_on.day, 2,
                                                                tzinfo=dt.UTC)))
        await api.operator(closed_then)
    return opened["id"]


async def adopt(api, council, document: str, motion: str, consultation_id: str, *, effective: D,
                user: str | None = None) -> dict:
    return (await api.gql(ADOPT, {"input": {"documentId": document, "motionId": motion,
                                            "consultationId": consultation_id, "text": CHARTER_2026,
                                            "effectiveFrom": effective.isoformat(), "changeNoteZh": "增加第三十三条"}},
                          user=user or council.secretary, zone=council.zone))["adoptCouncilRuleVersion"]


async def test_the_charter_is_amended_by_a_full_meeting_after_a_consultation(api, council, today):
    today.day = D(2026, 3, 2)
    charter = (await api.gql(REGISTER, {"input": {"key": "charter", "titleZh": "理事会章程", "titleEn": "Council Charter",
                                                  "text": CHARTER_2024, "adoptedOn": "2024-12-30",
                                                  "effectiveFrom": "2024-12-30"}},
                             user=council.secretary, zone=council.zone))["registerCouncilRuleDocument"]
    assert [v["number"] for v in charter["versions"]] == [1] and charter["versions"][0]["motionId"] is None
    again = (await api.gql(REGISTER, {"input": {"key": "charter", "titleZh": "章程", "titleEn": "Charter", "text": "x",
                                                "adoptedOn": "2024-12-30", "effectiveFrom": "2024-12-30"}},
                           user=council.secretary, zone=council.zone))["registerCouncilRuleDocument"]
    assert again["__typename"] == "Conflict"
    member = (await api.gql(REGISTER, {"input": {"key": "measures", "titleZh": "办法", "titleEn": "Measures",
                                                 "text": "x", "adoptedOn": "2024-12-30", "effectiveFrom": "2024-12-30"}},
                            user=council.reps[0], zone=council.zone))["registerCouncilRuleDocument"]
    assert member["__typename"] == "PermissionDenied"

    still_open = await consultation(api, council, close_on=None)
    held = await consultation(api, council, close_on=D(2026, 3, 10))
    meeting = await opened_meeting(api, council, list(range(9)))  # the general meeting of 2026-03-20
    motion = await decide(api, council, meeting, "审议通过理事会章程修订案", kind="MAJOR")
    failed = await decide(api, council, meeting, "另一修订案", passed=False)
    ad_hoc_meeting = await opened_meeting(api, council, list(range(9)), kind="AD_HOC", proposedByCouncil=True)
    ad_hoc = await decide(api, council, ad_hoc_meeting, "临时会议修订章程")

    refusals = [
        (failed, held, D(2026, 7, 1), "Conflict", "has not passed"),
        (ad_hoc, held, D(2026, 7, 1), "Conflict", "Article 32"),                 # not a full meeting
        (gid("CouncilMotion", 999999), held, D(2026, 7, 1), "NotFound", None),  # forged
        (motion, still_open, D(2026, 7, 1), "Conflict", "consultation"),         # the consultation still open
        (motion, gid("Consultation", 999999), D(2026, 7, 1), "NotFound", None),
        (motion, held, D(2026, 3, 19), "ValidationFailed", None),                # before the meeting
    ]
    for used_motion, used_consultation, effective, typename, words in refusals:
        result = await adopt(api, council, charter["id"], used_motion, used_consultation, effective=effective)
        assert result["__typename"] == typename, (typename, result)
        if words:
            assert words in result["message"], result
    assert (await adopt(api, council, charter["id"], motion, held, effective=D(2026, 7, 1),
                        user=council.reps[0]))["__typename"] == "PermissionDenied"

    amended = await adopt(api, council, charter["id"], motion, held, effective=D(2026, 7, 1))
    assert (amended["number"], amended["adoptedOn"], amended["effectiveFrom"]) == (2, "2026-03-20", "2026-07-01")
    assert (amended["motionId"], amended["consultationId"]) == (motion, held)
    reused = await adopt(api, council, charter["id"], motion, held, effective=D(2026, 8, 1))
    assert reused["__typename"] == "Conflict" and "one motion, one version" in reused["message"]

    # the version in force on any day: one query, anonymous
    for on, number in (("2024-12-29", None), ("2024-12-30", 1), ("2026-06-30", 1), ("2026-07-01", 2)):
        found = (await api.gql(IN_FORCE, {"zone": "jiangxi", "key": "charter", "on": on}))["councilRuleInForce"]
        assert (found.get("number") if number else found["__typename"]) == (number or "NotFound"), (on, found)
    assert (await api.gql(IN_FORCE, {"zone": "jiangxi", "key": "charter"}))["councilRuleInForce"]["number"] == 1

    # another zone's secretary cannot amend Jiangxi's Charter with Guizhou's own motion
    guizhou = await seed_council(api, zone="guizhou", prefix="gz", units=9)
    gz_meeting = await opened_meeting(api, guizhou, list(range(9)), meets_on=D(2026, 3, 27))
    gz_motion = await decide(api, guizhou, gz_meeting, "贵州的决议")
    foreign = (await api.gql(ADOPT, {"input": {"documentId": charter["id"], "motionId": gz_motion,
                                               "consultationId": held, "text": "x", "effectiveFrom": "2026-09-01"}},
                             user=guizhou.secretary, zone="guizhou"))["adoptCouncilRuleVersion"]
    assert foreign["__typename"] == "NotFound"
