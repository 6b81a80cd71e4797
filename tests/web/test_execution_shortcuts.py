"""The execution shortcuts answer exactly what Strawberry and graphql-core answer without them.

Three shortcuts serve a page faster (bench/RESULTS.md): plain scalar fields read by the
executor (web/execution.py), resolver methods called directly (graphql/direct_resolvers.py) and
a page's loaders prefetched for the fields asked for (graphql/loaders.py). Each query below
runs with all of them and again with the first two switched off; the JSON must be identical,
for the anonymous viewer and a signed-in one, including errors and nulls.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from ecozone.db.engine import create_engine
from ecozone.demo.scale import load_scale
from ecozone.web.execution import executor_for, plain_leaves
from graphql import GraphQLObjectType

QUERIES = [
    """{ standards(first: 25) { ... on StandardConnection { totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id kind number year titleZh titleEn designations releaseDate
          stage { code state nameZh nameEn } leadZone { id slug standardCode isHost settings { consultationDays } }
          zones { isLead decision reason decidedAt zone { id slug nameZh nameEn } }
          latestVersion { id number changeNote } versions { number }
          ballot { round state panelSize cast yes no abstain passesNow needsEn needsZh myVote turnout approval }
          commentCount consultation { id acceptingComments } } } } } }""",
    """query($after: String) { experts(first: 40, after: $after) { ... on ExpertConnection { totalCount
        edges { cursor node { id nameZh nameEn namePinyin state isChief title organisation email phone
          availability fields categories { code nameZh nameEn } homeZone { slug } visibility { field } } } } } }""",
    """{ zones(first: 10) { ... on ZoneConnection { edges { node { id slug nameZh settings { reviewTurnout } } } } } }""",
    """{ standards(first: 3) { ... on StandardConnection { edges { node { ... on Standard { id
        ...more } } } } } } fragment more on Standard { titleEn zones { zone { nameEn } } commentCount }""",
]


# Nodes fetched by id: nothing is prefetched, so the same fields load on their own (batched).
BY_ID = """query($expert: ID!, $standard: ID!) {
  expert(id: $expert) { ... on Expert { id nameZh fields categories { code } homeZone { slug } } }
  node(id: $standard) { ... on Standard { id zones { zone { slug } } latestVersion { number }
    ballot { cast passesNow myVote } commentCount leadZone { slug } } } }"""


@contextmanager
def strawberry_and_graphql_core_only(app):
    """Switch the direct resolvers and the plain-leaf reads off for the block."""
    view = app.state.graphql_view
    schema = view.schema
    changed = [field for type_ in schema.type_map.values() if isinstance(type_, GraphQLObjectType)
               for field in type_.fields.values() if getattr(field.resolve, "ecozone_direct", False)]
    direct = [field.resolve for field in changed]
    fast_executor = view.executor_class
    for field in changed:
        field.resolve = field.resolve.strawberry_resolve
    view.executor_class = executor_for(schema, read_plain_leaves=False)
    try:
        yield
    finally:
        for field, resolve in zip(changed, direct):
            field.resolve = resolve
        view.executor_class = fast_executor


@pytest.fixture
async def loaded_api(api, database):
    engine = create_engine(database.operator_url, pool_size=2)
    try:
        await load_scale(engine, 0.005, progress=lambda _line: None)  # 100 experts, 25 standards
    finally:
        await engine.dispose()
    await api.add_user("short-member", "jiangxi", "member")
    return api


@pytest.mark.parametrize("user", [None, "short-member"])
async def test_every_query_answers_the_same_with_and_without_the_shortcuts(loaded_api, user):
    api = loaded_api
    app = api.client._transport.app
    for query in QUERIES:
        fast = await api.post(query, user=user)
        with strawberry_and_graphql_core_only(app):
            plain = await api.post(query, user=user)
        assert fast.status_code == plain.status_code == 200
        assert fast.json() == plain.json(), query
        assert "errors" not in fast.json(), fast.json()
    page = (await api.post(QUERIES[0], user=user)).json()["data"]["standards"]["edges"]
    experts = (await api.post(QUERIES[1], user=user)).json()["data"]["experts"]["edges"]
    ids = {"expert": experts[0]["node"]["id"],
           "standard": next(e["node"]["id"] for e in page if e["node"]["ballot"])}
    fast = await api.post(BY_ID, ids, user=user)
    with strawberry_and_graphql_core_only(app):
        plain = await api.post(BY_ID, ids, user=user)
    assert fast.json() == plain.json() and "errors" not in fast.json(), fast.json()
    assert fast.json()["data"]["node"]["zones"] and fast.json()["data"]["expert"]["fields"] is not None


def test_the_shortcuts_cover_the_hot_fields_and_leave_the_rest_to_strawberry(api):
    schema = api.client._transport.app.state.graphql_view.schema
    leaves = plain_leaves(schema)
    assert {"nameZh", "titleEn", "cursor", "isLead"} <= set(leaves["Expert"]) | set(leaves["Standard"]) \
        | set(leaves["StandardEdge"]) | set(leaves["ZoneApproval"])
    # a field with a resolver method is never read as a plain attribute
    assert "commentCount" not in leaves["Standard"] and "designations" not in leaves["Standard"]

    def direct(type_name: str, field_name: str) -> bool:
        return getattr(schema.type_map[type_name].fields[field_name].resolve, "ecozone_direct", False)
    assert direct("Standard", "zones") and direct("Standard", "id") and direct("ZoneApproval", "zone")
    assert not direct("Standard", "diff")  # takes arguments: Strawberry converts them
    assert not direct("Query", "standards")  # root fields keep Strawberry's resolver
