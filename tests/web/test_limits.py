"""Abusive queries are refused before they run: depth, aliases, tokens, page size and cost."""

from __future__ import annotations

import dataclasses
import time

import httpx
import pytest
from graphql import OperationDefinitionNode, parse

from ecozone.graphql.schema import build_schema
from ecozone.settings import QueryLimits
from ecozone.web.app import create_app
from ecozone.web.limits import DEFAULT_PAGE, check_cost, count_aliases, operation_depth

GQL = "application/graphql-response+json"


def nested(*names: str, leaf: str = "name") -> str:
    """``a { b { c { leaf } } }`` from ``("a", "b", "c")``."""
    text = leaf
    for name in reversed(names):
        text = f"{name} {{ {text} }}"
    return text


def query_of_depth(depth: int) -> str:
    """A data query whose longest path has exactly ``depth`` fields (depth >= 4):
    standards → edges → node → revisionOf → revisionOf → … → id."""
    return ("{ standards(first: 1) { ... on StandardConnection { "
            + nested("edges", "node", *["revisionOf"] * (depth - 4), leaf="id") + " } } }")


def refused(response: httpx.Response, code: str) -> list[dict]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert "data" not in body, body
    codes = [e.get("extensions", {}).get("code") for e in body["errors"]]
    assert code in codes, body["errors"]
    return body["errors"]


def client_with(settings, app_engine, **limits) -> httpx.AsyncClient:
    settings = dataclasses.replace(settings, limits=dataclasses.replace(settings.limits, **limits))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(settings, engine=app_engine)),
                             base_url="http://ecozone.test", headers={"Accept": GQL})


# --- depth ----------------------------------------------------------------------------------

async def test_depth_twelve_accepted_thirteen_refused(api):
    assert operation_depth(parse(query_of_depth(12)).definitions[0].selection_set, {}) == 12
    response = await api.post(query_of_depth(12))
    assert response.status_code == 200, response.text
    assert response.json()["data"]["standards"]["edges"] == []
    errors = refused(await api.post(query_of_depth(13)), "QUERY_TOO_DEEP")
    assert "13 levels deep" in errors[0]["message"] and "12" in errors[0]["message"]
    assert errors[0]["extensions"]["messageZh"]


async def test_twenty_levels_refused_however_written(api):
    plain = query_of_depth(20)
    # each fragment adds two levels: revisionOf { revisionOf { …next } }
    chain = "\n".join(f"fragment F{i} on Standard {{ revisionOf {{ revisionOf {{ ...F{i + 1} }} }} }}"
                      for i in range(8))
    via_fragments = ("{ standards { ... on StandardConnection { edges { node { ...F0 } } } } }\n"
                     + chain + "\nfragment F8 on Standard { id }")
    inline = "id"
    for _ in range(8):
        inline = f"... on Standard {{ revisionOf {{ revisionOf {{ {inline} }} }} }}"
    via_inline = "{ standards { ... on StandardConnection { edges { node { " + inline + " } } } } }"
    for query in (plain, via_fragments, via_inline):
        document = parse(query)
        operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
        fragments = {d.name.value: d for d in document.definitions if d is not operation}
        assert operation_depth(operation.selection_set, fragments) == 20
        refused(await api.post(query), "QUERY_TOO_DEEP")


async def test_deep_introspection_is_refused(api):
    # graphql-core's own rule bounds introspection walks such as fields { type { fields … } }
    walk = "name"
    for name in ["type", "fields"] * 5:
        walk = f"{name} {{ {walk} }}"
    response = await api.post('{ __type(name: "Query") { ' + walk + " } }")
    assert response.status_code == 400 and "data" not in response.json()


async def test_the_ides_own_introspection_query_is_accepted(api):
    from graphql import get_introspection_query
    query = get_introspection_query(descriptions=True, specified_by_url=True,
                                    directive_is_repeatable=True, schema_description=True,
                                    input_value_deprecation=True)
    response = await api.post(query)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"


def test_of_type_chains_cost_no_depth():
    deep_wrappers = "{ " + nested('__type(name: "Query")', "fields", "type", *["ofType"] * 30) + " }"
    assert operation_depth(parse(deep_wrappers).definitions[0].selection_set, {}) == 4


async def test_depth_of_a_real_data_query(api, app_engine):
    query = "{ viewer { user { homeZone { settings { reviewTurnout } } } } }"
    await api.add_user("deep", "fujian")
    data = await api.gql(query, user="deep")
    assert data["viewer"]["user"]["homeZone"]["settings"]["reviewTurnout"] == [3, 4]
    async with client_with(api.settings, app_engine, max_depth=4) as client:
        response = await client.post("/graphql", json={"query": query}, headers=api.headers("deep"))
        refused(response, "QUERY_TOO_DEEP")
        response = await client.post("/graphql", json={"query": "{ viewer { user { username } } }"},
                                     headers=api.headers("deep"))
        assert response.json() == {"data": {"viewer": {"user": {"username": "deep"}}}}


# --- aliases and tokens ---------------------------------------------------------------------

def aliases(n: int) -> str:
    return "{ __typename " + " ".join(f"a{i}: __typename" for i in range(n)) + " }"


@pytest.mark.parametrize("n, ok", [(0, True), (15, True), (16, False), (500, False)])
async def test_alias_limit(api, n, ok):
    response = await api.post(aliases(n))
    if ok:
        assert response.status_code == 200
        assert len(response.json()["data"]) == n + 1
    else:
        errors = refused(response, "TOO_MANY_ALIASES")
        assert f"{n} aliases" in errors[0]["message"]


async def test_aliases_refused_before_a_mutation_runs(api):
    await api.add_user("boss", "jiangxi", "director")
    target = await api.add_user("newbie", "jiangxi")
    from tests.support.api import gid
    grant = (f'grantRole(input: {{userId: "{gid("User", target)}", role: SECRETARY}}) '
             "{ __typename }")
    mutation = "mutation { " + grant + " " + " ".join(f"a{i}: __typename" for i in range(16)) + " }"
    refused(await api.post(mutation, user="boss", zone="jiangxi"), "TOO_MANY_ALIASES")
    data = await api.gql("{ viewer { roles } }", user="newbie", zone="jiangxi")
    assert data == {"viewer": {"roles": []}}


def with_comments(query: str, comments: int) -> str:
    return query + "".join("\n# c" for _ in range(comments))


async def test_token_limit(api):
    query = "{ zones { totalCount } }"  # 6 tokens; comments count too
    response = await api.post(with_comments(query, 1994))
    assert response.status_code == 200, response.text
    errors = refused(await api.post(with_comments(query, 1995)), "TOO_MANY_TOKENS")
    assert "2000" in errors[0]["message"]
    refused(await api.post("{" + " __typename" * 3000 + " }"), "TOO_MANY_TOKENS")


# --- page size and cost ---------------------------------------------------------------------

async def test_first_above_100_refused_before_execution(api):
    errors = refused(await api.post("{ zones(first: 101) { totalCount } }"), "PAGE_TOO_LARGE")
    assert errors[0]["extensions"]["messageZh"] == "每页最多 100 条"
    assert (await api.gql("{ zones(first: 100) { totalCount } }"))["zones"]["totalCount"] == 4
    experts = "{ experts(first: 101) { ... on ExpertConnection { totalCount } } }"
    refused(await api.post(experts), "PAGE_TOO_LARGE")
    data = await api.gql("{ experts(first: 100) { ... on ExpertConnection { totalCount } } }")
    assert data["experts"]["totalCount"] == 0


async def test_first_through_a_variable(api):
    query = "query($n: Int!) { zones(first: $n) { totalCount } }"
    refused(await api.post(query, {"n": 101}), "PAGE_TOO_LARGE")
    assert (await api.gql(query, {"n": 2}))["zones"]["totalCount"] == 4
    with_default = "query($n: Int = 500) { zones(first: $n) { totalCount } }"
    refused(await api.post(with_default), "PAGE_TOO_LARGE")
    in_fragment = "query($n: Int!) { ...Z } fragment Z on Query { zones(first: $n) { totalCount } }"
    refused(await api.post(in_fragment, {"n": 1000}), "PAGE_TOO_LARGE")


ZONE_FIELDS = ("slug nameZh nameEn standardCode adminCode isHost "
               "settings { reviewTurnout reviewApproval consultationDays projectNoticeDays "
               "agendaWorkingDays }")


async def test_default_cost_limit(api):
    one = f"zones(first: 100) {{ edges {{ node {{ {ZONE_FIELDS} }} }} }}"
    assert (await api.gql("{ " + one + " }"))["zones"]["edges"]
    fifteen = "{ " + " ".join(f"z{i}: {one}" for i in range(15)) + " }"
    errors = refused(await api.post(fifteen), "QUERY_TOO_COSTLY")
    assert "the limit is 20000" in errors[0]["message"]


async def test_limits_are_configurable(settings, app_engine):
    async with client_with(settings, app_engine, max_cost=50, max_page_size=10, max_depth=4,
                           max_aliases=1, max_tokens=30) as client:
        async def post(query: str) -> httpx.Response:
            return await client.post("/graphql", json={"query": query})

        ok = await post("{ zones(first: 10) { edges { node { slug nameZh } } } }")  # cost 41
        assert ok.status_code == 200, ok.text
        assert len(ok.json()["data"]["zones"]["edges"]) == 4
        refused(await post("{ zones(first: 10) { edges { node { slug nameZh nameEn } } } }"),
                "QUERY_TOO_COSTLY")  # 51
        refused(await post("{ zones { edges { node { slug } } } }"), "QUERY_TOO_COSTLY")  # default 100
        refused(await post("{ zones(first: 11) { totalCount } }"), "PAGE_TOO_LARGE")
        refused(await post("{ zones(first: 1) { edges { node { settings { consultationDays } } } } }"),
                "QUERY_TOO_DEEP")
        assert (await post("{ a: __typename }")).status_code == 200
        refused(await post("{ a: __typename b: __typename }"), "TOO_MANY_ALIASES")
        refused(await post("{" + " __typename" * 29 + " }"), "TOO_MANY_TOKENS")


async def test_fragment_bomb_is_refused_quickly(api):
    n = 120  # each fragment spreads the next twice: 2^120 fields if expanded
    fragments = "\n".join(f"fragment F{i} on Query {{ zones {{ totalCount }} ...F{i + 1} ...F{i + 1} }}"
                          for i in range(n))
    query = "{ ...F0 }\n" + fragments + f"\nfragment F{n} on Query {{ __typename }}"
    started = time.perf_counter()
    response = await api.post(query)
    assert time.perf_counter() - started < 5
    assert response.status_code == 400
    assert "data" not in response.json()


# --- unit tests of limits.py on parsed documents --------------------------------------------

@pytest.mark.parametrize("query, depth", [
    ("{ a }", 1),
    ("{ a b c }", 1),
    ("{ a { b } c }", 2),
    ("{ a { b { c { d } } } }", 4),
    ("{ a { ... on T { b { c } } } }", 3),
    ("{ ...F } fragment F on Q { a { b } }", 2),
    ("{ x { ...F } } fragment F on Q { a { ...G } } fragment G on Q { b }", 3),
    ("{ ...F } fragment F on Q { ...F }", 0),       # a cycle: reported by the spec rules
    ("{ ...Missing }", 0),
    ("{ __schema { types { name } } }", 3),          # introspection counts
    ("{ a { __typename } }", 2),
])
def test_operation_depth(query, depth):
    document = parse(query)
    operation = document.definitions[0]
    fragments = {d.name.value: d for d in document.definitions[1:]}
    assert operation_depth(operation.selection_set, fragments) == depth


@pytest.mark.parametrize("query, count", [
    ("{ a }", 0),
    ("{ x: a }", 1),
    ("{ x: a { y: b z: c } }", 3),
    ("{ a { ... on T { x: b } } }", 1),
    ("{ ...F ...F } fragment F on Q { x: a y: a }", 2),  # counted where written
    ("query A { x: a } query B { y: a }", 2),
])
def test_count_aliases(query, count):
    assert count_aliases(parse(query)) == count


def cost(query: str, variables: dict | None = None, *, schema: bool = False,
         limits: QueryLimits | None = None) -> tuple[int | None, list[str]]:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    limits = limits or QueryLimits(max_cost=0)  # every cost is reported, so that we can read it
    errors = check_cost(document, operation, variables or {}, limits,
                        build_schema()._schema if schema else None)
    codes = [e.extensions["code"] for e in errors]
    total = next((int(e.message.split("touch ")[1].split(" ")[0]) for e in errors
                  if e.extensions["code"] == "QUERY_TOO_COSTLY"), None)
    return total, codes


@pytest.mark.parametrize("query, variables, schema, expected", [
    ("{ a b }", None, False, 2),
    ("{ a { b c } }", None, False, 3),
    ("{ list(first: 10) { b c } }", None, False, 21),
    ("{ list(first: $n) { b } }", {"n": 5}, False, 6),
    ("{ list(after: \"x\") { b } }", None, False, 1 + DEFAULT_PAGE),
    ("{ l(first: 10) { m(first: 10) { c } } }", None, False, 1 + 10 * (1 + 10)),
    ("{ ...F ...F } fragment F on Q { l(first: 3) { a } }", None, False, 8),
    ("{ zones { totalCount } }", None, True, 101),            # the schema's default first: 100
    ("{ zones(first: 2) { edges { node { slug } } } }", None, True, 7),
    ("{ experts { __typename } }", None, True, 21),           # experts' default first: 20
    ("{ __schema { types { name } } }", None, True, 3),
    ("{ viewer { roles } }", None, True, 2),
])
def test_check_cost(query, variables, schema, expected):
    total, codes = cost(query, variables, schema=schema)
    assert codes == ["QUERY_TOO_COSTLY"]
    assert total == expected


@pytest.mark.parametrize("query, variables, too_large", [
    ("{ l(first: 100) { a } }", None, False),
    ("{ l(first: 101) { a } }", None, True),
    ("{ l(last: 101) { a } }", None, True),
    ("{ l(first: $n) { a } }", {"n": 101}, True),
    ("{ l(first: $n) { a } }", {}, False),
    ("{ ...F } fragment F on Q { l(first: 500) { a } }", None, True),
    ("{ x { ... on T { l(first: 500) { a } } } }", None, True),
])
def test_page_size(query, variables, too_large):
    _, codes = cost(query, variables, limits=QueryLimits())
    assert ("PAGE_TOO_LARGE" in codes) is too_large
    assert "QUERY_TOO_COSTLY" not in codes


def test_cost_of_a_fragment_bomb_is_computed_in_linear_time():
    n = 200
    fragments = "\n".join(f"fragment F{i} on Q {{ a ...F{i + 1} ...F{i + 1} }}" for i in range(n))
    document = parse("{ ...F0 }\n" + fragments + f"\nfragment F{n} on Q {{ b }}")
    started = time.perf_counter()
    errors = check_cost(document, document.definitions[0], {}, QueryLimits(), None)
    assert [e.extensions["code"] for e in errors] == ["QUERY_TOO_COSTLY"]
    assert "more than 10^12" in errors[0].message
    fragments_by_name = {d.name.value: d for d in document.definitions[1:]}
    assert operation_depth(document.definitions[0].selection_set, fragments_by_name) == 1
    assert time.perf_counter() - started < 1
