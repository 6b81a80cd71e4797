"""Registry search: Chinese text, pinyin and initials, filters, cursor pagination."""

from __future__ import annotations

import pytest

from tests.experts.test_experts_api import create, verify

SEARCH = """query($filter: ExpertFilterInput, $first: Int!, $after: String) {
  experts(filter: $filter, first: $first, after: $after) {
    __typename
    ... on ExpertConnection { totalCount pageInfo { hasNextPage endCursor }
                              edges { node { nameZh namePinyin homeZone { slug } } } }
    ... on ValidationFailed { fieldErrors { field code } }
  }
}"""

PEOPLE = [
    ("jx-a", "jiangxi", "曾晓明", ["茶叶质量安全"], ["TEA"]),
    ("jx-b", "jiangxi", "欧阳丽华", ["柑橘病虫害绿色防控"], ["CITRUS"]),
    ("gz-a", "guizhou", "单志强", ["茶叶质量安全", "标准化管理"], ["TEA", "HOGS"]),
    ("fj-a", "fujian", "林海燕", ["淡水鱼类追溯编码"], ["FRESHWATER_FISH"]),
]


@pytest.fixture
async def registry(api):
    for zone in ("jiangxi", "guizhou", "fujian"):
        await api.add_user(f"{zone}-sec", zone, "secretary")
    for username, zone, name, fields, categories in PEOPLE:
        await api.add_user(username, zone)
        expert = await create(api, username, zone, nameZh=name, fields=fields, categories=categories,
                              orcid=None)
        await verify(api, expert["id"], f"{zone}-sec", zone)
    await api.add_user("pending", "jiangxi")
    await create(api, "pending", "jiangxi", nameZh="曾未审", orcid=None)
    return api


async def names(api, **filter_) -> list[str]:
    data = await api.gql(SEARCH, {"filter": filter_, "first": 20})
    return [e["node"]["nameZh"] for e in data["experts"]["edges"]]


@pytest.mark.parametrize(("filter_", "expected"), [
    ({"text": "曾"}, ["曾晓明"]),
    ({"text": "晓明"}, ["曾晓明"]),
    ({"text": "zeng"}, ["曾晓明"]),
    ({"text": "Zeng Xiaoming"}, ["曾晓明"]),
    ({"text": "zxm"}, ["曾晓明"]),
    ({"text": "ouyang"}, ["欧阳丽华"]),
    ({"text": "shan zhi"}, ["单志强"]),
    ({"text": "茶叶"}, ["单志强", "曾晓明"]),
    ({"text": "100%_"}, []),
    ({"field": "茶叶质量安全"}, ["单志强", "曾晓明"]),
    ({"category": "HOGS"}, ["单志强"]),
    ({"category": "TEA", "zone": "jiangxi"}, ["曾晓明"]),
    ({"zone": "fujian"}, ["林海燕"]),
    ({"zone": "hainan"}, []),
    ({}, ["林海燕", "欧阳丽华", "单志强", "曾晓明"]),  # ordered by pinyin
], ids=lambda v: str(v))
async def test_search(registry, filter_, expected):
    assert await names(registry, **filter_) == expected


async def test_anonymous_never_sees_pending_even_when_asking(registry):
    assert await names(registry, state="PENDING") == []
    staff = await registry.gql(SEARCH, {"filter": {"state": "PENDING"}, "first": 5},
                               user="jiangxi-sec", zone="jiangxi")
    assert [e["node"]["nameZh"] for e in staff["experts"]["edges"]] == ["曾未审"]


async def test_cursor_pagination_walks_every_item_once(registry):
    seen, after = [], None
    while True:
        data = (await registry.gql(SEARCH, {"filter": {}, "first": 1, "after": after}))["experts"]
        assert data["totalCount"] == 4
        seen += [e["node"]["nameZh"] for e in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert seen == ["林海燕", "欧阳丽华", "单志强", "曾晓明"]


@pytest.mark.parametrize(("variables", "field"), [
    ({"first": 0}, "first"),
    ({"first": 5, "after": "not-a-cursor"}, "after"),
    ({"first": 5, "filter": {"text": "x" * 101}}, "text"),
])
async def test_bad_paging_input_is_a_validation_failure(registry, variables, field):
    data = await registry.gql(SEARCH, {"filter": None, **variables})
    assert data["experts"]["__typename"] == "ValidationFailed"
    assert data["experts"]["fieldErrors"][0]["field"] == field
