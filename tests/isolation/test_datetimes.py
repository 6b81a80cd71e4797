"""Every DateTime of the API is ISO 8601 in UTC with its offset (``+00:00``), on both databases.

The walk is schema-driven: every object type's fields of type ``DateTime`` are found by
introspection; every Node type's rows of the demo data are read through ``nodes(ids:)`` by the
director of each zone (and anonymously), with the DateTime fields of the objects under them
(edges of connections, lists, union results) down to a few levels, and the list fields of the
root are read the same way. A value without an offset, or in another offset, fails the test,
and so does a naive datetime that reached the scalar (it logs a warning and is taken as UTC).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections import defaultdict

import graphql
import httpx
import pytest
from sqlalchemy import select

from ecozone.db.engine import create_engine
from ecozone.graphql.schema import build_schema
from ecozone.settings import QueryLimits, Settings
from ecozone.tenancy.models import Zone
from tests.isolation.conftest import ZONE_PREFIXES
from tests.isolation.leaks import node_models
from tests.support.api import Api, gid

UTC_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$")
DEPTH = 3  # object levels under a node or a root field
PAGE = 100
# DateTime fields the demo data leaves empty everywhere (optional moments that never happened).
SCHEMA = build_schema()._schema


def _named(type_):
    return graphql.get_named_type(type_)


def _datetime_fields() -> dict[str, list[str]]:
    found = {}
    for name, type_ in SCHEMA.type_map.items():
        if isinstance(type_, graphql.GraphQLObjectType) and not name.startswith("__"):
            fields = [f for f, d in type_.fields.items() if _named(d.type).name == "DateTime"]
            if fields:
                found[name] = fields
    return found


DATETIME_FIELDS = _datetime_fields()


def _required_args(field: graphql.GraphQLField) -> bool:
    return any(graphql.is_non_null_type(a.type) and a.default_value is graphql.Undefined
               for a in field.args.values())


def _selection(type_, depth: int, path: frozenset[str] = frozenset()) -> str | None:
    """A selection set reading every DateTime under ``type_``; None when there is none."""
    type_ = _named(type_)
    if isinstance(type_, (graphql.GraphQLUnionType, graphql.GraphQLInterfaceType)):
        parts = []
        for member in SCHEMA.get_possible_types(type_):
            inner = _selection(member, depth, path)
            if inner:
                parts.append(f"... on {member.name} {inner}")
        return "{ __typename " + " ".join(parts) + " }" if parts else None
    if not isinstance(type_, graphql.GraphQLObjectType) or type_.name in path:
        return None
    parts = list(DATETIME_FIELDS.get(type_.name, ()))
    if depth > 0:
        for name, field in type_.fields.items():
            if _required_args(field) or name.startswith("__"):
                continue
            inner = _selection(field.type, depth - 1, path | {type_.name})
            if inner:
                args = "(first: 5)" if "first" in field.args else ""
                parts.append(f"{name}{args} {inner}")
    if not parts:
        return None
    return "{ __typename " + " ".join(parts) + " }"


def _values(data, typename=None, found=None):
    """(type, field, value) of every DateTime in ``data``."""
    found = [] if found is None else found
    if isinstance(data, list):
        for item in data:
            _values(item, typename, found)
    elif isinstance(data, dict):
        typename = data.get("__typename", typename)
        fields = DATETIME_FIELDS.get(typename, ())
        for key, value in data.items():
            if key in fields:
                if value is not None:
                    found.append((typename, key, value))
            elif isinstance(value, (dict, list)):
                _values(value, None, found)
    return found


@pytest.fixture(scope="module")
async def wide_api(demo_database):
    """The demo's app with limits wide enough for the walk's large documents."""
    from ecozone.web.app import create_app
    settings = Settings(database_url=demo_database.app_url, migration_database_url=demo_database.operator_url,
                        secret=f"test-{uuid.uuid4().hex}", env="test",
                        limits=QueryLimits(max_depth=40, max_aliases=500, max_tokens=200_000,
                                           max_cost=10_000_000))
    engine = create_engine(settings.database_url)
    app = create_app(settings, engine=engine)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://ecozone.test") as client:
            api = Api(client=client, settings=settings, operator_url=demo_database.operator_url)
            yield api
            await api.close()
    finally:
        await engine.dispose()


async def _row_ids(api) -> dict[str, list[int]]:
    models = node_models()

    async def work(session):
        return {name: list((await session.scalars(select(model.id).order_by(model.id))).all())
                for name, model in models.items()}
    return await api.operator(work)


async def test_every_datetime_of_the_demo_is_utc_with_its_offset(wide_api, caplog):
    caplog.set_level(logging.WARNING, logger="ecozone.time")
    ids = await _row_ids(wide_api)
    zones = await wide_api.operator(lambda s: _zone_slugs(s))
    readers = [(f"{ZONE_PREFIXES[z]}-director", z) for z in zones if z in ZONE_PREFIXES] + [(None, None)]
    values, errors = [], []

    async def run(query, variables, user, zone):
        response = await wide_api.post(query, variables, user=user, zone=zone)
        body = response.json()
        assert response.status_code == 200 and "data" in body, (query[:300], body)
        errors.extend(e for e in body.get("errors", ()) if e["extensions"]["code"] == "INTERNAL_SERVER_ERROR")
        values.extend(_values(body["data"]))

    roots = []
    for name, field in SCHEMA.query_type.fields.items():
        inner = None if _required_args(field) else _selection(field.type, DEPTH)
        if inner:
            roots.append(f"{name}{'(first: 100)' if 'first' in field.args else ''} {inner}")
    for user, zone in readers:
        await run("{ " + " ".join(roots) + " }", None, user, zone)
        for type_name, rows in sorted(ids.items()):
            inner = _selection(SCHEMA.type_map[type_name], DEPTH)
            if not inner or not rows:
                continue
            for start in range(0, len(rows), PAGE):
                page = [gid(type_name, i) for i in rows[start:start + PAGE]]
                await run(f"query($ids: [ID!]!) {{ nodes(ids: $ids) {{ ... on {type_name} {inner} }} }}", {"ids": page}, user, zone)

    assert not errors, errors[:5]
    bad = [(t, f, v) for t, f, v in values if not UTC_ISO.match(v)]
    assert not bad, f"{len(bad)} DateTime values not in UTC with +00:00, e.g. {bad[:10]}"
    naive = [r.getMessage() for r in caplog.records if "naive datetime" in r.getMessage()]
    assert not naive, naive[:5]
    for _, _, value in values[:50]:
        assert dt.datetime.fromisoformat(value).utcoffset() == dt.timedelta(0)
    seen = defaultdict(set)
    for type_name, field, _ in values:
        seen[type_name].add(field)
    # The walk must reach the data: most types with a DateTime, and thousands of values.
    reached = {t for t in DATETIME_FIELDS if seen.get(t)}
    missed = sorted(set(DATETIME_FIELDS) - reached)
    assert len(reached) >= 0.8 * len(DATETIME_FIELDS), f"walk reached only {sorted(reached)}; missed {missed}"
    assert len(values) > 500, len(values)


async def _zone_slugs(session) -> list[str]:
    return list((await session.scalars(select(Zone.slug).order_by(Zone.id))).all())
