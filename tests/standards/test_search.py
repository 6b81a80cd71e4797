"""Standards search through HTTP, on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm): designations
as people type them, filters, sort orders, Chinese full text with the short-query fallback,
visibility, pagination and typed refusals; Standard.project and Project.standards."""

from __future__ import annotations

import re

import pytest

from tests.standards.search_support import catalogue, many_published
from tests.standards.workflow_support import standard_op

SEARCH = """query($filter: StandardFilterInput, $orderBy: StandardOrderInput, $first: Int!, $after: String) {
  standards(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    __typename
    ... on StandardConnection { totalCount pageInfo { hasNextPage endCursor }
                                edges { node { id titleZh designations } } }
    ... on ValidationFailed { code message messageZh fieldErrors { field code message messageZh } } } }"""


async def _search(api, filter_=None, order=None, *, first=20, after=None, user=None, zone=None):
    data = await api.gql(SEARCH, {"filter": filter_, "orderBy": order, "first": first, "after": after},
                         user=user, zone=zone)
    return data["standards"]


async def _titles(api, filter_=None, order=None, **kwargs) -> list[str]:
    result = await _search(api, filter_, order, **kwargs)
    assert result["__typename"] == "StandardConnection", result
    return [e["node"]["titleZh"] for e in result["edges"]]


TEA, HERBS, KIWI, SECRET = "富硒茶叶生产技术规程", "中药材道地性评价通则", "猕猴桃冷链物流操作规范", "茶叶秘密工作草案"


@pytest.fixture
async def ids(api):
    return await catalogue(api)


@pytest.mark.parametrize("typed, found", [
    ("DB52/T 1—2026", [TEA]), ("DB52/T 1-2026", [TEA]), ("DB52/T 1–2026", [TEA]),
    ("DB52T1", [TEA]), ("db52/t 1", [TEA]), ("ＤＢ５２／Ｔ　１－２０２６", [TEA]),
    ("DB36/T 1", [TEA]), ("DB35/T 2—2024", [KIWI]), ("DB36/T 2", [KIWI]),
    ("T/NTSIBJGE 001", [HERBS]), ("T/NTSIBJGE 001—2025", [HERBS]), ("t/ntsibjge 1", [HERBS]),
    # the wrong year, a zone that does not take part, an unknown code, another code family
    ("DB52/T 1—2025", []), ("DB35/T 1", []), ("T/NTSIBJGE 001—2026", []), ("DB99/T 1", []),
    ("GB/T 1-2026", []),
])
async def test_designations_as_people_type_them(api, ids, typed, found):
    assert await _titles(api, {"designation": typed}) == found
    # typed into the search box, the same
    assert await _titles(api, {"text": typed}) == found


async def test_full_text_in_chinese_ranked_with_the_short_query_fallback(api, ids):
    # 2 characters (no trigram): the fallback finds title, scope and published-text hits,
    # ranked title+scope (6) before published text (1); drafts are not public
    assert await _titles(api, {"text": "茶叶"}) == [TEA, HERBS]
    assert await _titles(api, {"text": "茶"}) == [TEA, HERBS]
    assert await _titles(api, {"text": "富硒茶叶"}) == [TEA]  # a trigram query
    assert await _titles(api, {"text": "杀青工艺"}) == [TEA]  # in the published text only
    assert await _titles(api, {"text": "SELENIUM"}) == [TEA]  # English, any case
    assert await _titles(api, {"text": "冷链 猕猴桃"}) == [KIWI]  # every word must occur
    assert await _titles(api, {"text": "冷链 茶叶"}) == []
    assert await _titles(api, {"text": "100%"}) == [HERBS]  # LIKE wildcards are literal
    assert await _titles(api, {"text": "1_0"}) == []
    assert await _titles(api, {"text": "评价"}, {"field": "RELEVANCE"}) == [HERBS]


async def test_search_respects_visibility(api, ids):
    assert await _titles(api, {"text": "秘密"}) == []
    assert await _titles(api, {"text": "秘密"}, user="gz-member", zone="guizhou") == []
    # the staff of a participating zone see its work in progress, and find it
    assert await _titles(api, {"text": "秘密"}, user="gz-director", zone="guizhou") == [SECRET]
    # equal rank (title and scope): the released one first
    assert await _titles(api, {"text": "茶叶"}, user="jx-secretary", zone="jiangxi") == [TEA, SECRET, HERBS]


async def test_filters(api, ids):
    assert await _titles(api, {"year": 2025}) == [HERBS]
    assert await _titles(api, {"kind": "GROUP"}) == [HERBS]
    assert await _titles(api, {"category": "TEA"}) == [TEA]
    assert await _titles(api, {"zone": "fujian"}) == [KIWI]
    assert await _titles(api, {"zone": "guizhou", "state": "PUBLISHED"}) == [TEA]
    assert await _titles(api, {"releasedFrom": "2025-01-01", "releasedTo": "2025-12-31"}) == [HERBS]
    assert await _titles(api, {"releasedFrom": "2025-06-15", "releasedTo": "2025-06-15"}) == [HERBS]
    assert await _titles(api, {"releasedFrom": "2025-06-16"}) == [TEA]
    assert await _titles(api, {"releasedTo": "2024-11-20"}) == [KIWI]
    assert await _titles(api, {"number": 2}) == [KIWI]
    assert await _titles(api, {"year": 2000}) == [] and await _titles(api, {"year": 2100}) == []


@pytest.mark.parametrize("filter_, order, field, code", [
    ({"year": 1999}, None, "year", "range"),
    ({"year": 2101}, None, "year", "range"),
    ({"releasedFrom": "2026-01-02", "releasedTo": "2026-01-01"}, None, "releasedTo", "before_start"),
    ({"releasedFrom": "1999-12-31"}, None, "releasedFrom", "range"),
    ({"zone": "atlantis"}, None, "zone", "unknown"),
    ({"number": 0}, None, "number", "range"),
    ({"text": "茶" * 101}, None, "text", "length"),
    ({}, {"field": "RELEVANCE"}, "orderBy", "needs_text"),
])
async def test_bad_filters_are_typed_bilingual_refusals(api, ids, filter_, order, field, code):
    result = await _search(api, filter_, order)
    assert result["__typename"] == "ValidationFailed", result
    errors = {(e["field"], e["code"]) for e in result["fieldErrors"]}
    assert (field, code) in errors
    assert all(e["message"] and re.search(r"[\u4e00-\u9fff]", e["messageZh"])
               for e in result["fieldErrors"])


async def test_sort_orders_and_their_cursors(api, ids):
    published = {"state": "PUBLISHED"}
    by_date = [TEA, HERBS, KIWI]
    assert await _titles(api, published, {"field": "RELEASE_DATE", "direction": "DESC"}) == by_date
    assert await _titles(api, published, {"field": "RELEASE_DATE"}) == by_date[::-1]
    # number, then year: 1—2025 (group), 1—2026, 2—2024
    assert await _titles(api, published, {"field": "NUMBER"}) == [HERBS, TEA, KIWI]
    assert await _titles(api, published, {"field": "NUMBER", "direction": "DESC"}) == [KIWI, TEA, HERBS]
    assert await _titles(api, published, {"field": "CREATED", "direction": "DESC"}) == [KIWI, HERBS, TEA]
    for order in ({"field": "RELEASE_DATE", "direction": "DESC"}, {"field": "NUMBER"},
                  {"field": "RELEVANCE"}):
        filter_ = {"text": "茶"} if order["field"] == "RELEVANCE" else published
        whole = await _titles(api, filter_, order)
        walked, after = [], None
        while True:
            page = await _search(api, filter_, order, first=1, after=after)
            walked += [e["node"]["titleZh"] for e in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert walked == whole, order
    forged = await _search(api, published, {"field": "RELEASE_DATE"}, after="bm90LWEtY3Vyc29y")
    assert forged["__typename"] == "ValidationFailed"


async def test_pages_stop_at_100_and_the_101st_item_is_on_the_next_page(api, ids):
    await many_published(api, 101)
    rice = {"text": "水稻"}
    too_many = await api.post(SEARCH, {"filter": rice, "first": 101})  # refused before it runs
    assert too_many.status_code == 400
    assert too_many.json()["errors"][0]["extensions"]["code"] == "PAGE_TOO_LARGE"
    page = await _search(api, rice, {"field": "NUMBER"}, first=100)
    assert page["totalCount"] == 101 and len(page["edges"]) == 100
    assert page["pageInfo"]["hasNextPage"]
    rest = await _search(api, rice, {"field": "NUMBER"}, first=100, after=page["pageInfo"]["endCursor"])
    assert [e["node"]["designations"] for e in rest["edges"]] == [["T/NTSIBJGE 201—2023"]]
    assert not rest["pageInfo"]["hasNextPage"]


PROJECT_OF = """query($id: ID!) { standard(id: $id) { ... on Standard {
  project { titleZh state standards { titleZh } } } } }"""


async def test_standard_project_and_back(api, ids):
    data = await api.gql(PROJECT_OF, {"id": ids["tea"]})
    project = data["standard"]["project"]
    assert project["titleZh"] == f"{TEA}研制" and project["state"] == "IN_PROGRESS"
    assert project["standards"] == [{"titleZh": TEA}]
    # a project the viewer may not see is null (the operator moves it back to proposed)
    from sqlalchemy import update

    from ecozone.projects.models import Project
    from ecozone.standards.models import Standard

    async def hide(session):
        project_id = (await session.get(Standard, _db_id(ids["tea"]))).project_id
        await session.execute(update(Project).where(Project.id == project_id).values(state="proposed"))
    await api.operator(hide)
    assert (await api.gql(PROJECT_OF, {"id": ids["tea"]}))["standard"]["project"] is None
    # and a standard the viewer may not see is not among its project's standards
    secret = await api.gql("""query($id: ID!) { standard(id: $id) { ... on Standard { project { id } } } }""",
                           {"id": ids["secret"]}, user="jx-secretary", zone="jiangxi")
    project_id = secret["standard"]["project"]["id"]
    query = "query($id: ID!) { node(id: $id) { ... on Project { standards { titleZh } } } }"
    assert (await api.gql(query, {"id": project_id}))["node"]["standards"] == []
    seen = await api.gql(query, {"id": project_id}, user="jx-secretary", zone="jiangxi")
    assert seen["node"]["standards"] == [{"titleZh": SECRET}]


async def test_project_fields_of_a_page_cost_no_query_per_item(api, ids):
    await many_published(api, 30)
    query = """query($first: Int!) { standards(first: $first, filter: {text: "水稻"}) {
      ... on StandardConnection { edges { node { project { titleZh standards { id } } } } } } }"""
    await api.gql(query, {"first": 1})  # a text's first sight also asks whether it is a trusted document
    costs = {}
    for first in (5, 25):
        before = await api.sql_statements()
        data = await api.gql(query, {"first": first})
        costs[first] = await api.sql_statements() - before
        assert len(data["standards"]["edges"]) == first
    assert costs[5] == costs[25], costs


def _db_id(global_id: str) -> int:
    from strawberry.relay import from_base64
    return int(from_base64(global_id)[1])


async def test_the_sqlite_index_keeps_in_step_with_every_write(api, database):
    """The FTS5 table follows inserts, publication (the final text), title changes and deletes
    by whoever writes (triggers); a migration that copies ``standards`` must keep them."""
    if database.kind != "sqlite":
        pytest.skip("PostgreSQL's trigram indexes are the engine's own")
    from sqlalchemy import delete, text, update

    from ecozone.standards.models import Standard
    ids = await catalogue(api)

    async def triggers(session):
        return set((await session.scalars(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'standards_fts%'"))).all())
    assert await api.operator(triggers) == {"standards_fts_insert", "standards_fts_update",
                                            "standards_fts_delete", "standards_fts_text"}

    async def in_step(session):
        rows = (await session.execute(text(
            "SELECT s.id, f.title, f.body FROM standards s LEFT JOIN standards_fts f ON f.rowid = s.id "
            "LEFT JOIN standard_versions v ON v.id = s.final_version_id ORDER BY s.id"))).all()
        return [(title is not None, body) for _, title, body in rows]
    assert [found for found, _ in await api.operator(in_step)] == [True] * 4
    assert "杀青工艺" in (await api.operator(in_step))[0][1]  # the published text

    async def rename_and_delete(session):
        await session.execute(update(Standard).where(Standard.id == _db_id(ids["herbs"]))
                              .values(title_zh="中药材道地性评价导则"))
        await session.execute(delete(Standard).where(Standard.id == _db_id(ids["secret"])))
    await api.operator(rename_and_delete)
    assert await _titles(api, {"text": "评价导则"}) == ["中药材道地性评价导则"]
    assert await _titles(api, {"text": "评价通则"}) == []
    assert [found for found, _ in await api.operator(in_step)] == [True] * 3

    async def indexed(session):
        return await session.scalar(text("SELECT count(*) FROM standards_fts"))
    assert await api.operator(indexed) == 3
