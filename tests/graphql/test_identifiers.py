"""Forged identifiers (issue 13, hostile clients): every one is a typed NotFound, never a 5xx.

The node types, and the fields taking IDs, are enumerated from the schema: a type or a field
added later is covered without a change here.
"""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from graphql import (GraphQLEnumType, GraphQLField, GraphQLInputObjectType, GraphQLList, GraphQLNonNull,
                     GraphQLObjectType, GraphQLScalarType, GraphQLUnionType, get_named_type)

from ecozone.graphql.schema import build_schema

SCHEMA = build_schema()._schema


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


NODE_TYPES = sorted(name for name, type_ in SCHEMA.type_map.items()
                    if isinstance(type_, GraphQLObjectType) and any(i.name == "Node" for i in type_.interfaces))

# node ids a client may forge; the type name is put in front of each
FORGED_NODE_IDS = ["²", "١", "99999999999999999999", "2147483648", "0", "01", "+1", "-1", " 1", "1 ", "1e3",
                   "", "1" * 300, "é", "1:2"]
# whole global IDs that are not a global ID of any node type
FORGED_GLOBAL_IDS = ["!!!not base64", "RXhwZXJ0OjE", "", "ü", b64("NoSuchType:1"), b64("Expert"),
                     b64(":1"), base64.b64encode(b"\xff\xfe:1").decode(), "A" * 5000]


def _contains_id(type_: Any, seen: frozenset[str] = frozenset()) -> bool:
    named = get_named_type(type_)
    if named.name == "ID":
        return True
    if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
        return any(_contains_id(f.type, seen | {named.name}) for f in named.fields.values())
    return False


SCALARS: dict[str, Any] = {"String": "x", "Int": 1, "Float": 1.0, "Boolean": False, "Date": "2030-01-02",
                           "DateTime": "2030-01-02T03:04:05+00:00", "JSON": {}}


def _value(type_: Any, forged: str) -> Any:
    """A value of ``type_`` with every ID in it ``forged``; other fields are required ones only."""
    if isinstance(type_, GraphQLNonNull):
        return _value(type_.of_type, forged)
    if isinstance(type_, GraphQLList):
        return [_value(type_.of_type, forged)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLScalarType):
        return forged if type_.name == "ID" else SCALARS.get(type_.name, "x")
    assert isinstance(type_, GraphQLInputObjectType)
    return {name: _value(f.type, forged) for name, f in type_.fields.items()
            if isinstance(f.type, GraphQLNonNull) or _contains_id(f.type)}


def _id_fields() -> list[tuple[str, str, GraphQLField]]:
    found = []
    for operation, root in (("query", SCHEMA.query_type), ("mutation", SCHEMA.mutation_type)):
        for name, field in root.fields.items():
            if name != "node" and name != "nodes" and any(_contains_id(a.type) for a in field.args.values()):
                found.append((operation, name, field))
    return found


ID_FIELDS = _id_fields()


def _document(operation: str, name: str, field: GraphQLField) -> str:
    params = ", ".join(f"${a}: {arg.type}" for a, arg in field.args.items())
    args = ", ".join(f"{a}: ${a}" for a in field.args)
    return f"{operation}({params}) {{ {name}({args}) {{ __typename ... on Failure {{ code message messageZh }} }} }}"


def _variables(field: GraphQLField, forged: str) -> dict[str, Any]:
    return {a: _value(arg.type, forged) for a, arg in field.args.items()
            if isinstance(arg.type, GraphQLNonNull) or _contains_id(arg.type)}


def _no_server_error(response) -> dict[str, Any]:
    assert response.status_code < 500, response.text
    body = response.json()
    for error in body.get("errors", []):
        assert error.get("extensions", {}).get("code") != "INTERNAL_SERVER_ERROR", body
        assert "Traceback" not in error["message"] and "Error" not in error["message"], body
    return body


def _typed_not_found(body: dict[str, Any], name: str) -> dict[str, Any]:
    assert "errors" not in body, body
    result = body["data"][name]
    assert result["__typename"] == "NotFound", (name, result)
    assert result["code"] == "not_found" and result["message"] and result["messageZh"], result
    return result


def test_the_schema_has_node_types_and_id_fields():
    assert {"Expert", "Zone", "User", "Standard", "CouncilMotion"} <= set(NODE_TYPES)
    assert len(ID_FIELDS) > 50
    # every field taking an ID can answer NotFound: otherwise it would need another rule here
    for _operation, name, field in ID_FIELDS:
        result = get_named_type(field.type)
        assert isinstance(result, GraphQLUnionType) and "NotFound" in {t.name for t in result.types}, name


@pytest.fixture
async def director(api):
    await api.add_user("forger", "jiangxi", "director", "secretary", "expert", "member")
    return api


NODE = "query($id: ID!) { node(id: $id) { __typename id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"


async def _batch(api, operations: list[tuple[str, dict]], user: str | None = None) -> list[dict[str, Any]]:
    """Bodies of the operations, sent as HTTP batches of ten."""
    bodies = []
    for start in range(0, len(operations), 10):
        response = await api.client.post("/graphql", json=[
            {"query": query, "variables": variables} for query, variables in operations[start:start + 10]],
            headers=api.headers(user, user and "jiangxi"))
        assert response.status_code == 200, response.text
        bodies += response.json()
    for body in bodies:
        for error in body.get("errors", []):
            assert error.get("extensions", {}).get("code") != "INTERNAL_SERVER_ERROR", body
    return bodies


@pytest.mark.parametrize("type_name", NODE_TYPES)
async def test_node_with_a_forged_id_of_every_type_is_null(director, type_name):
    forged = [b64(f"{type_name}:{n}") for n in FORGED_NODE_IDS]
    for user in (None, "forger"):
        bodies = await _batch(director, [(NODE, {"id": g}) for g in forged] + [(NODES, {"ids": forged})], user)
        assert bodies[:-1] == [{"data": {"node": None}}] * len(forged), list(zip(forged, bodies))
        assert bodies[-1] == {"data": {"nodes": [None] * len(forged)}}, bodies[-1]


async def test_node_with_a_forged_global_id_is_null(director):
    for global_id in FORGED_GLOBAL_IDS + [b64(f"{t}:1") for t in ("Node", "Failure", "Query", "NotFound", "Name", "Int")]:
        body = _no_server_error(await director.post(NODE, {"id": global_id}, user="forger", zone="jiangxi"))
        assert body == {"data": {"node": None}}, (global_id, body)
    body = _no_server_error(await director.post(NODES, {"ids": FORGED_GLOBAL_IDS}, user="forger", zone="jiangxi"))
    assert body == {"data": {"nodes": [None] * len(FORGED_GLOBAL_IDS)}}, body
    # in the document itself, not only in variables
    body = _no_server_error(await director.post('{ node(id: "Zm9vOsKy") { id } a: node(id: "%%") { id } }',
                                                user="forger", zone="jiangxi"))
    assert body == {"data": {"node": None, "a": None}}, body


async def test_nodes_keeps_the_order_and_finds_the_real_ones(director):
    zones = (await director.gql("{ zones { edges { node { id } } } }"))["zones"]["edges"]
    real = zones[0]["node"]["id"]
    body = _no_server_error(await director.post(NODES, {"ids": [b64("Zone:²"), real, "%%", real]}))
    assert body == {"data": {"nodes": [None, {"__typename": "Zone", "id": real}, None,
                                       {"__typename": "Zone", "id": real}]}}, body


async def test_nodes_takes_at_most_a_page_of_ids(director):
    body = (await director.post(NODES, {"ids": [b64(f"Zone:{n}") for n in range(1, 102)]})).json()
    assert body["data"] is None or body["data"]["nodes"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION_FAILED" and error["extensions"]["messageZh"]


def _expected_type(result: dict[str, Any]) -> str | None:
    match = re.search(r"no (\w+) with this ID", result["message"])
    return match.group(1) if match else None


@pytest.mark.parametrize(("operation", "name", "field"), ID_FIELDS, ids=[name for _o, name, _f in ID_FIELDS])
async def test_every_field_taking_ids_answers_forged_ids_with_not_found(director, operation, name, field):
    document = _document(operation, name, field)
    # a global ID of a type no field expects tells which type the field expects
    first = _no_server_error(await director.post(document, _variables(field, b64("NoSuchType:1")),
                                                 user="forger", zone="jiangxi"))
    expected = _expected_type(_typed_not_found(first, name))
    assert expected in SCHEMA.type_map, first
    for forged in [b64(f"{expected}:{n}") for n in ("²", "99999999999999999999", "2147483648", "0", "01")] \
            + ["!!!not base64", "", b64(expected)]:
        for user in ("forger", None):
            body = _no_server_error(await director.post(document, _variables(field, forged),
                                                        user=user, zone=user and "jiangxi"))
            if user is None and body["data"][name]["__typename"] == "PermissionDenied":
                continue  # anonymous: refused before anything is looked up
            _typed_not_found(body, name)


PATHS = ["99999999999999999999", "2147483648", "0", "01", "+1", "-1", "%C2%B2", "%D9%A1", "1e3", "abc",
         "%20" + "1", "1" * 500]


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
async def test_export_paths_with_forged_ids_are_404(api, extension):
    for forged in PATHS:
        response = await api.client.get(f"/exports/consultations/{forged}/comments.{extension}")
        assert response.status_code == 404, (forged, response.text)
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "NOT_FOUND" and error["extensions"]["messageZh"], error


async def test_catalog_paths_with_forged_numbers_are_404(api):
    for forged in PATHS:
        response = await api.client.get(f"/catalogs/tea/v{forged}/schema.json")
        assert response.status_code == 404, (forged, response.text)
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "NOT_FOUND" and error["extensions"]["messageZh"], error
