"""Every public type, field, argument and input field of the schema explains itself, in
Chinese and English (README, "Schema conventions"): the IDE and the SDL are what a partner's
front-end developer reads.

The schema is walked through introspection of the built, executable schema — what GraphiQL
shows — so types that strawberry or a library contributes (``PageInfo``, ``Node``, the
connection and edge types of each generic) are held to the same rule. Skipped: the
introspection types (``__*``) and GraphQL's five built-in scalars. Enum values are not required
to have a description (their enum's description names them all), but one that has a
description must have Chinese in it too.
"""

from __future__ import annotations

import re

from ecozone.graphql.schema import build_schema
from graphql import get_introspection_query, graphql_sync

BUILT_IN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _introspection() -> dict:
    result = graphql_sync(build_schema()._schema, get_introspection_query(descriptions=True))
    assert result.errors is None, result.errors
    return result.data["__schema"]


def _public_types(schema: dict) -> list[dict]:
    return [t for t in schema["types"]
            if not t["name"].startswith("__") and t["name"] not in BUILT_IN_SCALARS]


def problems(schema: dict) -> tuple[list[str], list[str]]:
    """(what has no description, what has one without Chinese), as ``Type``, ``Type.field``,
    ``Type.field(argument)`` and ``Enum.VALUE``."""
    missing: list[str] = []
    no_chinese: list[str] = []

    def check(where: str, description: str | None, required: bool = True) -> None:
        if not (description or "").strip():
            if required:
                missing.append(where)
        elif not CJK.search(description):
            no_chinese.append(where)

    for t in _public_types(schema):
        name = t["name"]
        check(f"{t['kind']} {name}", t["description"])
        for field in t["fields"] or []:
            check(f"{name}.{field['name']}", field["description"])
            for arg in field["args"]:
                check(f"{name}.{field['name']}({arg['name']})", arg["description"])
        for field in t["inputFields"] or []:
            check(f"{name}.{field['name']}", field["description"])
        for value in t["enumValues"] or []:
            check(f"{name}.{value['name']}", value["description"], required=False)
    return missing, no_chinese


def test_the_walk_sees_every_kind_of_public_type():
    schema = _introspection()
    kinds = {t["kind"] for t in _public_types(schema)}
    assert kinds >= {"OBJECT", "INTERFACE", "UNION", "ENUM", "INPUT_OBJECT", "SCALAR"}
    names = {t["name"] for t in _public_types(schema)}
    assert {"Query", "Mutation", "PageInfo", "Node", "DateTime"} <= names
    assert not names & BUILT_IN_SCALARS and not any(n.startswith("__") for n in names)


def test_the_check_catches_a_missing_description_and_one_without_chinese():
    schema = {"types": [
        {"kind": "OBJECT", "name": "Thing", "description": "A thing. 一件东西。", "inputFields": None,
         "enumValues": None, "fields": [
             {"name": "plain", "description": "English only", "args": []},
             {"name": "bare", "description": None, "args": [{"name": "first", "description": " "}]}]},
        {"kind": "ENUM", "name": "Colour", "description": None, "fields": None, "inputFields": None,
         "enumValues": [{"name": "RED", "description": None}, {"name": "BLUE", "description": "blue"}]},
        {"kind": "SCALAR", "name": "String", "description": None, "fields": None,
         "inputFields": None, "enumValues": None}]}
    assert problems(schema) == (["Thing.bare", "Thing.bare(first)", "ENUM Colour"],
                                ["Thing.plain", "Colour.BLUE"])


def test_every_public_type_field_and_argument_is_described_in_chinese_and_english():
    missing, no_chinese = problems(_introspection())
    report = []
    if missing:
        report.append(f"{len(missing)} without a description:\n  " + "\n  ".join(missing))
    if no_chinese:
        report.append(f"{len(no_chinese)} whose description has no Chinese:\n  " + "\n  ".join(no_chinese))
    assert not report, "\n".join(report)
