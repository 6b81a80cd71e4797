"""Standard uptake through HTTP, on SQLite and PostgreSQL: a pilot site shown on its standard,
statistics by standard, category and zone, and the refusals (issue 18)."""

from __future__ import annotations

import pytest

from tests.events.support import op
from tests.standards.search_support import catalogue
from tests.support.api import gid

FAILURE = "... on Failure { code message messageZh } ... on ValidationFailed { fieldErrors { field code } }"
RECORD = (f"__typename ... on UptakeRecord {{ id kind subjectKind subjectName startsOn endsOn results outcome "
          f"zone {{ slug }} }} {FAILURE}")
ON_STANDARD = """query($id: ID!) { node(id: $id) { ... on Standard { titleZh uptake(kind: PILOT) {
    ... on UptakeRecordConnection { totalCount edges { node { subjectName startsOn endsOn results zone { slug } } } } } } } }"""
STATISTICS = """query($year: Int) { uptakeStatistics(year: $year) { __typename ... on UptakeStatistics {
    byStandard { standard { titleZh } counts { applications pilots verifications evaluations } }
    byCategory { category { code } counts { applications pilots verifications evaluations } }
    byZone { zone { slug } counts { applications pilots verifications evaluations } } } } }"""


@pytest.fixture
async def standards(api):
    return await catalogue(api)


def pilot(standard_id: str, **overrides) -> dict:
    return {"standardId": standard_id, "kind": "PILOT", "subjectKind": "PLACE", "subjectName": "婺源县某茶园示范基地",
            "place": "江西省上饶市", "startsOn": "2026-04-01", "endsOn": "2027-03-31",
            "summary": "按富硒茶叶生产技术规程组织生产。", **overrides}


async def test_pilot_site_shown_on_its_standard_and_counted(api, standards):
    tea = standards["tea"]
    created = await op(api, "recordStandardUptake", pilot(tea), RECORD, "jx-secretary", "jiangxi")
    assert created["__typename"] == "UptakeRecord", created
    assert (created["kind"], created["zone"]["slug"], created["endsOn"]) == ("PILOT", "jiangxi", "2027-03-31")
    results = await op(api, "recordUptakeResults", {"id": created["id"], "results": "示范面积 500 亩，优质茶比例提高。"},
                       RECORD, "jx-secretary", "jiangxi")
    assert results["results"].startswith("示范面积")
    applied = await op(api, "recordStandardUptake", {
        "standardId": tea, "kind": "APPLICATION", "subjectKind": "ENTERPRISE", "subjectName": "黔东南某茶业公司",
        "startsOn": "2026-05-10"}, RECORD, "gz-secretary", "guizhou")
    assert applied["__typename"] == "UptakeRecord"
    evaluated = await op(api, "recordStandardUptake", {
        "standardId": standards["kiwi"], "kind": "EVALUATION", "subjectKind": "INSTITUTION",
        "subjectName": "某标准化研究机构", "startsOn": "2025-09-01", "outcome": "MEETS"}, RECORD, "fj-director", "fujian")
    assert evaluated["outcome"] == "MEETS"

    shown = (await api.gql(ON_STANDARD, {"id": tea}))["node"]  # anonymous: public
    assert shown["uptake"]["totalCount"] == 1
    assert shown["uptake"]["edges"][0]["node"] == {
        "subjectName": "婺源县某茶园示范基地", "startsOn": "2026-04-01", "endsOn": "2027-03-31",
        "results": "示范面积 500 亩，优质茶比例提高。", "zone": {"slug": "jiangxi"}}
    by_root = await api.gql("""query($id: ID!) { standardUptake(standardId: $id) {
        ... on UptakeRecordConnection { totalCount } } }""", {"id": tea})
    assert by_root["standardUptake"]["totalCount"] == 2

    figures = (await api.gql(STATISTICS, {"year": None}))["uptakeStatistics"]
    count = {"applications": 1, "pilots": 1, "verifications": 0, "evaluations": 0}
    assert {s["standard"]["titleZh"]: s["counts"] for s in figures["byStandard"]} == {
        "富硒茶叶生产技术规程": count, "猕猴桃冷链物流操作规范": {**dict.fromkeys(count, 0), "evaluations": 1}}
    assert {c["category"]["code"]: c["counts"]["pilots"] + c["counts"]["applications"] + c["counts"]["evaluations"]
            for c in figures["byCategory"]} == {"TEA": 2, "KIWIFRUIT": 1}
    assert {z["zone"]["slug"]: z["counts"] for z in figures["byZone"]} == {
        "jiangxi": {**dict.fromkeys(count, 0), "pilots": 1}, "guizhou": {**dict.fromkeys(count, 0), "applications": 1},
        "fujian": {**dict.fromkeys(count, 0), "evaluations": 1}}
    of_2025 = (await api.gql(STATISTICS, {"year": 2025}))["uptakeStatistics"]
    assert [z["zone"]["slug"] for z in of_2025["byZone"]] == ["fujian"]
    assert (await api.gql(STATISTICS, {"year": 1999}))["uptakeStatistics"]["__typename"] == "ValidationFailed"


async def test_uptake_refusals(api, standards):
    tea = standards["tea"]
    assert (await op(api, "recordStandardUptake", pilot(tea), RECORD, "jx-member", "jiangxi")
            )["__typename"] == "PermissionDenied"
    assert (await op(api, "recordStandardUptake", pilot(tea), RECORD, None, None))["__typename"] == "PermissionDenied"
    # Work in progress is not there to record against (nor to list); a forged ID is NotFound.
    assert (await op(api, "recordStandardUptake", pilot(standards["secret"]), RECORD, "hn-director", "hainan")
            )["__typename"] == "NotFound"
    assert (await op(api, "recordStandardUptake", pilot(gid("Venue", 1)), RECORD, "jx-secretary", "jiangxi")
            )["__typename"] == "NotFound"
    hidden = await api.gql("""query($id: ID!) { standardUptake(standardId: $id) { __typename } }""",
                           {"id": standards["secret"]})
    assert hidden["standardUptake"]["__typename"] == "NotFound"
    # A pilot needs its period, in order; an outcome only for verifications and evaluations.
    no_end = await op(api, "recordStandardUptake", pilot(tea, endsOn=None), RECORD, "jx-secretary", "jiangxi")
    assert no_end["fieldErrors"] == [{"field": "endsOn", "code": "required"}]
    backwards = await op(api, "recordStandardUptake", pilot(tea, endsOn="2026-03-31"), RECORD, "jx-secretary", "jiangxi")
    assert backwards["fieldErrors"] == [{"field": "endsOn", "code": "order"}]
    same_day = await op(api, "recordStandardUptake", pilot(tea, endsOn="2026-04-01"), RECORD, "jx-secretary", "jiangxi")
    assert same_day["__typename"] == "UptakeRecord"
    wrong = await op(api, "recordStandardUptake", pilot(tea, subjectKind="ENTERPRISE", outcome="MEETS"), RECORD,
                     "jx-secretary", "jiangxi")
    assert {(e["field"], e["code"]) for e in wrong["fieldErrors"]} == {("subjectKind", "choice"), ("outcome", "choice")}
    # Another zone does not write this zone's results.
    foreign = await op(api, "recordUptakeResults", {"id": same_day["id"], "results": "……"}, RECORD,
                       "gz-secretary", "guizhou")
    assert foreign["__typename"] == "PermissionDenied"
