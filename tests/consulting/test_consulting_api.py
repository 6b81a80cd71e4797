"""Expert consulting end to end through HTTP, on SQLite and PostgreSQL (issue 18)."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.api import gid
from tests.talent.support import make_expert, op

FAILURE = "... on Failure { code message messageZh } ... on ValidationFailed { fieldErrors { field code } }"
REQUEST = (f"__typename ... on ConsultingRequest {{ id state rating field category {{ code }} zone {{ slug }} "
           f"experts {{ nameZh }} answers {{ body expert {{ nameZh }} }} }} {FAILURE}")
STATISTICS = """query($year: Int!) { consultingStatistics(year: $year) { __typename
    ... on ConsultingStatistics { zones { zone { slug } asked answered rated averageRatingTenths } }
    ... on Failure { code } } }"""
LIST = "{ consultingRequests { ... on ConsultingRequestConnection { totalCount edges { node { id title } } } } }"


@pytest.fixture
async def people(api):
    await api.add_user("fj-secretary", "fujian", "secretary")
    await api.add_user("jx-secretary", "jiangxi", "secretary")
    await api.add_user("gz-secretary", "guizhou", "secretary")
    conflicted = await make_expert(api, "jx-expert", "jiangxi", "jx-secretary", "曾晓明")
    free = await make_expert(api, "gz-expert", "guizhou", "gz-secretary", "龙文静")
    declared = await op(api, "declareConflict", {"unitName": "闽北某茶业有限公司", "relation": "COLLABORATOR"},
                        "__typename", "jx-expert", "jiangxi")
    assert declared["__typename"] == "ConflictDeclaration", declared
    await api.add_user("fj-enterprise", "fujian")  # an enterprise's account: signed in, no role
    await api.add_user("fj-other", "fujian")
    return {"conflicted": conflicted, "free": free}


async def ask(api, user="fj-enterprise", zone="fujian", **overrides) -> dict:
    return await op(api, "askExpertTeam", {
        "requestingUnit": "闽北某茶业有限公司", "field": "茶叶加工", "category": "TEA",
        "title": "白茶萎凋环节如何对标团体标准", "question": "我司拟按绿色生态团体标准组织白茶生产，萎凋环节的温湿度记录应如何留存？",
        "contact": "生产部 0599-0000000", **overrides}, REQUEST, user, zone)


async def test_conflicted_expert_refused_another_assigned_answers_and_is_rated(api, people):
    request = await ask(api)
    assert request["__typename"] == "ConsultingRequest", request
    assert (request["state"], request["zone"]["slug"], request["category"]["code"]) == ("SUBMITTED", "fujian", "TEA")

    refused = await op(api, "assignConsultingExpert", {"requestId": request["id"], "expertId": people["conflicted"]},
                       REQUEST, "fj-secretary", "fujian")
    assert refused["__typename"] == "Conflict" and refused["code"] == "conflict_of_interest"
    assert "闽北某茶业有限公司" in refused["messageZh"] and "回避" in refused["messageZh"]
    assigned = await op(api, "assignConsultingExpert", {"requestId": request["id"], "expertId": people["free"]},
                        REQUEST, "fj-secretary", "fujian")
    assert assigned["state"] == "ASSIGNED" and assigned["experts"] == [{"nameZh": "龙文静"}]
    again = await op(api, "assignConsultingExpert", {"requestId": request["id"], "expertId": people["free"]},
                     REQUEST, "fj-secretary", "fujian")
    assert again["__typename"] == "Conflict"

    # The assigned expert (Guizhou) sees the request; the conflicted one does not, nor may answer.
    assert (await api.gql(LIST, user="gz-expert", zone="guizhou"))["consultingRequests"]["totalCount"] == 1
    assert (await api.gql(LIST, user="jx-expert", zone="jiangxi"))["consultingRequests"]["totalCount"] == 0
    not_assigned = await op(api, "answerConsultingRequest", {"requestId": request["id"], "body": "……"},
                            f"__typename {FAILURE}", "jx-expert", "jiangxi")
    assert not_assigned["__typename"] == "NotFound"
    early_rating = await op(api, "rateConsultingAnswer", {"requestId": request["id"], "rating": 5}, REQUEST,
                            "fj-enterprise", "fujian")
    assert early_rating["__typename"] == "Conflict"  # nothing answered yet

    answered = await op(api, "answerConsultingRequest", {
        "requestId": request["id"], "body": "萎凋温湿度宜按批次连续记录并保存不少于两年，可对照团体标准附录的记录表。"},
        f"__typename ... on ConsultingAnswer {{ body expert {{ nameZh }} }} {FAILURE}", "gz-expert", "guizhou")
    assert answered["__typename"] == "ConsultingAnswer" and answered["expert"] == {"nameZh": "龙文静"}
    twice = await op(api, "answerConsultingRequest", {"requestId": request["id"], "body": "补充"},
                     f"__typename {FAILURE}", "gz-expert", "guizhou")
    assert twice["__typename"] == "Conflict"
    inbox = await api.gql("{ inbox { ... on NotificationConnection { edges { node { kind } } } } }",
                          user="fj-enterprise", zone="fujian")
    assert [n["node"]["kind"] for n in inbox["inbox"]["edges"]] == ["consulting.answered"]

    # Someone else rates it: the office sees the request but may not rate; an outsider does not see it.
    by_office = await op(api, "rateConsultingAnswer", {"requestId": request["id"], "rating": 1}, REQUEST,
                         "fj-secretary", "fujian")
    assert by_office["__typename"] == "PermissionDenied"
    by_other = await op(api, "rateConsultingAnswer", {"requestId": request["id"], "rating": 1}, REQUEST,
                        "fj-other", "fujian")
    assert by_other["__typename"] == "NotFound"
    for bad in (0, 6, -3):
        invalid = await op(api, "rateConsultingAnswer", {"requestId": request["id"], "rating": bad}, REQUEST,
                           "fj-enterprise", "fujian")
        assert invalid["__typename"] == "ValidationFailed" and invalid["fieldErrors"] == [
            {"field": "rating", "code": "range"}]
    rated = await op(api, "rateConsultingAnswer", {"requestId": request["id"], "rating": 4, "comment": "解答清楚"},
                     REQUEST, "fj-enterprise", "fujian")
    assert (rated["state"], rated["rating"]) == ("RATED", 4)
    second = await op(api, "rateConsultingAnswer", {"requestId": request["id"], "rating": 5}, REQUEST,
                      "fj-enterprise", "fujian")
    assert second["__typename"] == "Conflict"

    asked = await api.gql("""query($id: ID!) { consultingRequest(id: $id) { ... on ConsultingRequest { askedAt } } }""",
                          {"id": request["id"]}, user="fj-enterprise", zone="fujian")
    year = int(asked["consultingRequest"]["askedAt"][:4])
    figures = (await api.gql(STATISTICS, {"year": year}))["consultingStatistics"]["zones"]
    assert {f["zone"]["slug"]: (f["asked"], f["answered"], f["rated"], f["averageRatingTenths"]) for f in figures} == {
        "fujian": (1, 1, 1, 40), "guizhou": (0, 0, 0, None), "hainan": (0, 0, 0, None), "jiangxi": (0, 0, 0, None)}
    assert (await api.gql(STATISTICS, {"year": 1999}))["consultingStatistics"]["__typename"] == "ValidationFailed"


async def test_consulting_refusals(api, people):
    anonymous = await ask(api, user=None, zone=None)
    assert anonymous["__typename"] == "PermissionDenied"
    blank = await ask(api, requestingUnit=" ", field="x" * 51)
    assert {(e["field"], e["code"]) for e in blank["fieldErrors"]} == {("requestingUnit", "required"),
                                                                       ("field", "length")}
    request = await ask(api)
    # Another zone's office neither sees nor assigns it; a forged or foreign-type ID is NotFound.
    foreign = await op(api, "assignConsultingExpert", {"requestId": request["id"], "expertId": people["free"]},
                       f"__typename {FAILURE}", "jx-secretary", "jiangxi")
    assert foreign["__typename"] == "NotFound"
    forged = await op(api, "assignConsultingExpert", {"requestId": gid("Event", 1), "expertId": people["free"]},
                      f"__typename {FAILURE}", "fj-secretary", "fujian")
    assert forged["__typename"] == "NotFound"
    pending = await make_expert(api, "hn-expert", "hainan", None, "符海生")  # never verified
    unverified = await op(api, "assignConsultingExpert", {"requestId": request["id"], "expertId": pending},
                          f"__typename {FAILURE}", "fj-secretary", "fujian")
    assert unverified["__typename"] == "NotFound"  # a pending profile is its home zone's to see, not Fujian's
    by_requester = await op(api, "assignConsultingExpert", {"requestId": request["id"], "expertId": people["free"]},
                            f"__typename {FAILURE}", "fj-enterprise", "fujian")
    assert by_requester["__typename"] == "PermissionDenied"
    one = (await api.gql(LIST, user="fj-other", zone="fujian"))["consultingRequests"]
    assert one["totalCount"] == 0  # a member of the same zone sees nobody's question


async def test_two_ratings_at_once_one_counts(api, people):
    request = await ask(api)
    await op(api, "assignConsultingExpert", {"requestId": request["id"], "expertId": people["free"]},
             "__typename", "fj-secretary", "fujian")
    await op(api, "answerConsultingRequest", {"requestId": request["id"], "body": "答复"}, "__typename",
             "gz-expert", "guizhou")
    results = await asyncio.gather(*(op(api, "rateConsultingAnswer", {"requestId": request["id"], "rating": r},
                                        REQUEST, "fj-enterprise", "fujian") for r in (2, 5)))
    assert sorted(r["__typename"] for r in results) == ["Conflict", "ConsultingRequest"], results
