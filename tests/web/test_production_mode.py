"""ECOZONE_ENV=production: no introspection, no suggestions, masked errors, no IDE."""

from __future__ import annotations

import dataclasses
import json

import httpx
import pytest
from graphql import GraphQLError
from strawberry.relay import to_base64

from ecozone.errors import NotFound
from ecozone.web.app import create_app
from ecozone.web.graphql_errors import format_error

GQL = "application/graphql-response+json"


@pytest.fixture
async def production(settings, app_engine):
    """A client of the app in production mode, introspection off (the production default)."""
    app = create_app(dataclasses.replace(settings, env="production", introspection=False),
                     engine=app_engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ecozone.test",
                                 headers={"Accept": GQL}) as client:
        yield client


async def post(client: httpx.AsyncClient, query: str, variables: dict | None = None) -> httpx.Response:
    return await client.post("/graphql", json={"query": query, "variables": variables})


INTROSPECTION = [
    "{ __schema { queryType { name } } }",
    '{ __type(name: "Zone") { fields { name } } }',
    "{ zones { totalCount } __schema { types { name } } }",
]


@pytest.mark.parametrize("query", INTROSPECTION)
async def test_introspection_is_refused(production, query):
    response = await post(production, query)
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert "introspection" in body["errors"][0]["message"].lower()


async def test_typename_is_not_introspection(production):
    response = await post(production, "{ __typename zones { totalCount } }")
    assert response.json() == {"data": {"__typename": "Query", "zones": {"totalCount": 4}}}


async def test_introspection_can_be_turned_on(settings, app_engine):
    app = create_app(dataclasses.replace(settings, env="production", introspection=True),
                     engine=app_engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        for query in INTROSPECTION:
            response = await post(client, query)
            assert response.status_code == 200, response.text
            assert "errors" not in response.json()


# Each request provokes a suggestion in development: a misspelt field, type, argument, enum
# value or input field, written in the document or sent as a variable.
SUGGESTIONS = [
    ("{ zonez { totalCount } }", None),
    ("query($x: Strin) { zones { totalCount } }", None),
    ("{ zones(firs: 3) { totalCount } }", None),
    ('{ zone(slg: "jiangxi") { slug } }', None),
    ("{ experts(first: 5, filter: {stat: VERIFIED}) { __typename } }", None),
    ("{ experts(first: 5, filter: {state: VERIFIE}) { __typename } }", None),
    ("{ zones { edges { node { slugg } } } }", None),
    ("{ viewer { ... on Viewr { roles } } }", None),
    ("query($f: ExpertFilterInput) { experts(filter: $f) { __typename } }", {"f": {"stat": "VERIFIED"}}),
    ("query($f: ExpertFilterInput) { experts(filter: $f) { __typename } }", {"f": {"state": "VERIFIE"}}),
    ('mutation($r: Role!) { revokeRole(input: {userId: "VXNlcjox", role: $r}) { __typename } }',
     {"r": "DIRECTR"}),
]


@pytest.mark.parametrize("query, variables", SUGGESTIONS, ids=[
    "field", "type", "argument", "argument-2", "input-field", "enum-value", "nested-field",
    "fragment-type", "variable-input-field", "variable-enum", "variable-enum-2"])
async def test_no_suggestions_in_production(api, production, query, variables):
    development = await api.post(query, variables)
    assert development.status_code == 400
    assert "Did you mean" in development.text  # the request does provoke a suggestion
    response = await post(production, query, variables)
    assert response.status_code == 400
    assert "data" not in response.json()
    assert "Did you mean" not in response.text
    assert "did you mean" not in response.text.lower()


def _resolver_error(original: Exception) -> GraphQLError:
    return GraphQLError(str(original), path=["zones"], original_error=original)


def test_unexpected_errors_are_masked_in_every_environment(caplog):
    # format_error reads no setting: the same masking in production, development and test.
    formatted, unexpected = format_error(_resolver_error(RuntimeError("secret detail")))
    assert unexpected is True
    assert formatted["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert formatted["extensions"]["messageZh"] == "服务器内部错误"
    assert formatted["path"] == ["zones"]
    assert formatted["message"] == "Internal server error"
    assert "secret detail" not in json.dumps(formatted)
    assert "secret detail" in caplog.text  # the log has it


def test_expected_errors_are_not_masked():
    formatted, unexpected = format_error(_resolver_error(NotFound("no such zone", "没有该试验区")))
    assert unexpected is False
    assert formatted["message"] == "no such zone"
    assert formatted["extensions"] == {"code": "NOT_FOUND", "messageZh": "没有该试验区"}
    plain = GraphQLError("Cannot return null for non-nullable field Query.zones.")
    formatted, unexpected = format_error(plain)
    assert unexpected is False and "non-nullable" in formatted["message"]


async def test_a_foreign_global_id_is_not_found_not_a_server_error(production):
    response = await post(production, "query($id: ID!) { node(id: $id) { id } }",
                          {"id": to_base64("NoSuchType", 1)})
    assert response.status_code == 200
    assert response.json() == {"data": {"node": None}}  # names nothing (tests/graphql/test_identifiers.py)


async def test_graphiql_is_off_in_production(production):
    response = await production.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "<html" not in response.text.lower()
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_get_mutation_is_refused_in_production(production):
    response = await production.get("/graphql", params={
        "query": 'mutation { revokeRole(input: {userId: "VXNlcjox", role: DIRECTOR}) { __typename } }'})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert "data" not in response.json()


async def test_queries_still_work_in_production(production):
    response = await production.get("/graphql", params={"query": "{ zones { totalCount } }"})
    assert response.json() == {"data": {"zones": {"totalCount": 4}}}
    health = await production.get("/healthz")
    assert health.json()["status"] == "ok"
