"""standardStatistics (anonymous, the same numbers for everyone) and the outputs counted by
projectStatistics, through HTTP on both databases."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.standards.search_support import catalogue
from tests.standards.workflow_support import standard_op

STATISTICS = """query($year: Int, $zone: String) { standardStatistics(year: $year, zone: $zone) {
  __typename
  ... on StandardStatistics { year zone published withdrawn superseded inProgress
    byStage { stage { code state } count } byKind { kind nameZh nameEn count }
    byZone { zone { slug } count } byYear { year count } byCategory { category { code nameZh } count } }
  ... on ValidationFailed { fieldErrors { field code message messageZh } } } }"""


async def _statistics(api, year=None, zone=None, *, viewer=(None, None)):
    user, acting = viewer
    return (await api.gql(STATISTICS, {"year": year, "zone": zone}, user=user, zone=acting)
            )["standardStatistics"]


@pytest.fixture
async def ids(api):
    return await catalogue(api)


def _stages(result) -> dict[str, int]:
    return {s["stage"]["state"]: s["count"] for s in result["byStage"]}


async def test_counts_for_everyone(api, ids):
    result = await _statistics(api)
    assert (result["published"], result["withdrawn"], result["superseded"], result["inProgress"]) == (3, 0, 0, 1)
    assert _stages(result) == {"PROPOSAL": 0, "DRAFTING": 1, "CONSULTATION": 0, "REVIEW": 0, "APPROVAL": 0}
    assert [s["stage"]["code"] for s in result["byStage"]] == [10, 20, 30, 40, 50]
    assert {k["kind"]: k["count"] for k in result["byKind"]} == {"JOINT_LOCAL": 2, "GROUP": 1}
    assert (result["byKind"][0]["nameZh"], result["byKind"][0]["nameEn"]) == ("联合地方标准", "Joint local standard")
    assert {z["zone"]["slug"]: z["count"] for z in result["byZone"]} == {"jiangxi": 3, "guizhou": 1,
                                                                        "fujian": 1}
    assert result["byYear"] == [{"year": 2024, "count": 1}, {"year": 2025, "count": 1},
                                {"year": 2026, "count": 1}]
    assert {c["category"]["code"]: c["count"] for c in result["byCategory"]} == {
        "TEA": 1, "KIWIFRUIT": 1, "MEDICINAL_HERBS": 1}
    # the same numbers, signed in as the staff who see the work in progress
    assert await _statistics(api, viewer=("jx-director", "jiangxi")) == result
    assert await _statistics(api, viewer=("gz-member", "guizhou")) == result


async def test_by_year_and_zone(api, ids):
    released_2025 = await _statistics(api, year=2025)
    assert (released_2025["published"], released_2025["byKind"][1]["count"]) == (1, 1)
    assert released_2025["year"] == 2025
    # work in progress counts in the year it began
    this_year = dt.date.today().year
    began = await _statistics(api, year=this_year)
    assert began["inProgress"] == 1
    assert (await _statistics(api, year=2024))["inProgress"] == (1 if this_year == 2024 else 0)
    guizhou = await _statistics(api, zone="guizhou")
    assert (guizhou["published"], guizhou["inProgress"], guizhou["zone"]) == (1, 1, "guizhou")
    assert guizhou["byZone"] == [{"zone": {"slug": "guizhou"}, "count": 1}]
    hainan = await _statistics(api, zone="hainan", year=2026)
    assert (hainan["published"], hainan["inProgress"], hainan["byZone"]) == (0, 0, [])
    assert (await _statistics(api, year=2000))["published"] == 0
    assert (await _statistics(api, year=2100))["published"] == 0


async def test_withdrawn_and_superseded_are_counted_apart(api, ids):
    withdrawn = await standard_op(api, "reviewPublishedStandard",
                                  {"id": ids["kiwi"], "outcome": "WITHDRAW", "reason": "被国家标准代替"},
                                  "jx-secretary", "jiangxi")
    assert withdrawn["stage"]["state"] == "WITHDRAWN"
    revised = await standard_op(api, "reviewPublishedStandard",
                                {"id": ids["tea"], "outcome": "REVISE", "reason": "技术更新"},
                                "jx-secretary", "jiangxi")
    assert revised["stage"]["state"] == "DRAFTING"
    result = await _statistics(api)
    assert (result["published"], result["withdrawn"], result["inProgress"]) == (2, 1, 2)
    assert _stages(result)["DRAFTING"] == 2


@pytest.mark.parametrize("year, zone, field, code", [
    (1999, None, "year", "range"), (2101, None, "year", "range"), (None, "atlantis", "zone", "unknown")])
async def test_bad_arguments_are_typed_bilingual_refusals(api, year, zone, field, code):
    result = await _statistics(api, year=year, zone=zone)
    assert result["__typename"] == "ValidationFailed"
    [error] = result["fieldErrors"]
    assert (error["field"], error["code"]) == (field, code)
    assert re.search(r"[\u4e00-\u9fff]", error["messageZh"]) and error["message"]


PROJECT_STATISTICS = """query($year: Int) { projectStatistics(year: $year) {
  ... on ProjectStatistics { total standardsPublished groups { kind year count standardsPublished } } } }"""


async def test_project_statistics_count_their_outputs(api, ids):
    data = (await api.gql(PROJECT_STATISTICS, {"year": 2024}))["projectStatistics"]
    assert data["total"] == 4
    assert data["standardsPublished"] == 3
    assert data["groups"] == [{"kind": "STANDARD_DEVELOPMENT", "year": 2024, "count": 4,
                               "standardsPublished": 3}]
    # a revision is the same standard again; a withdrawn one was published
    await standard_op(api, "reviewPublishedStandard",
                      {"id": ids["tea"], "outcome": "REVISE", "reason": "技术更新"}, "jx-secretary", "jiangxi")
    await standard_op(api, "reviewPublishedStandard",
                      {"id": ids["kiwi"], "outcome": "WITHDRAW", "reason": "被替代"}, "jx-secretary", "jiangxi")
    again = (await api.gql(PROJECT_STATISTICS, {"year": 2024}))["projectStatistics"]
    assert again["standardsPublished"] == 3
