"""Resolver methods called directly, without Strawberry's per-call wrapper.

For every field, Strawberry wraps the resolver in a chain that builds its ``Info``, converts
arguments, runs field extensions and exception handlers. Object fields of this schema with a
resolver method (``zones``, ``stage``, ``zone``, ``ballot``…) take no arguments and use none of
that, yet a page of 50 standards calls them ~450 times (bench/RESULTS.md). For exactly those
fields — a method taking ``self`` and optionally ``info``, no GraphQL arguments, no extension
or permission class, no exception handler — the GraphQL field calls the method itself with
the same ``self`` and the same kind of ``Info``. Everything else keeps Strawberry's resolver.
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLObjectType
from strawberry import relay
from strawberry.schema.schema_converter import GraphQLCoreConverter

# Where Strawberry keeps, on each graphql-core field and type, its own definition of it.
STRAWBERRY_DEFINITION = GraphQLCoreConverter.DEFINITION_BACKREF


def _direct(definition: Any, info_class: type) -> Any | None:
    resolver = definition.base_resolver
    if (resolver is None or definition.extensions or definition.permission_classes
            or resolver.arguments or resolver.self_parameter is None
            or resolver.root_parameter is not None or resolver.parent_parameter is not None):
        return None
    method = resolver.wrapped_func
    info_parameter = resolver.info_parameter
    if info_parameter is None:
        def resolve(source: Any, _info: Any) -> Any:
            return method(source)
    else:
        name = info_parameter.name

        def resolve(source: Any, info: Any) -> Any:
            return method(source, **{name: info_class(_raw_info=info, _field=definition)})
    resolve.ecozone_direct = True  # type: ignore[attr-defined]  # for tests
    return resolve


def _direct_node_id(definition: Any, graphql_type: GraphQLObjectType) -> Any | None:
    """``id`` of a relay Node that keeps Strawberry's own resolve_id and resolve_typename:
    the global ID of the type's name and its NodeID attribute, as Node._id builds it."""
    resolver = definition.base_resolver
    origin = getattr(graphql_type.extensions.get(STRAWBERRY_DEFINITION), "origin", None)
    if (resolver is None or resolver.name != "_id" or not isinstance(origin, type)
            or not issubclass(origin, relay.Node) or definition.extensions
            or origin.resolve_id.__func__ is not relay.Node.resolve_id.__func__
            or origin.resolve_typename.__func__ is not relay.Node.resolve_typename.__func__):
        return None
    attribute, type_name = origin.resolve_id_attr(), graphql_type.name

    def resolve(source: Any, _info: Any) -> relay.GlobalID:
        return relay.GlobalID(type_name=type_name, node_id=str(getattr(source, attribute)))
    resolve.ecozone_direct = True  # type: ignore[attr-defined]
    return resolve


def use_direct_resolvers(schema: strawberry.Schema) -> int:
    """Point eligible fields of ``schema`` at their methods; returns how many fields changed."""
    converter = schema.schema_converter
    info_class = schema.config.info_class
    root_types = {t.name for t in (schema._schema.query_type, schema._schema.mutation_type,
                                   schema._schema.subscription_type) if t is not None}
    changed = 0
    for type_ in schema._schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__") or type_.name in root_types:
            continue
        for field in type_.fields.values():
            definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
            if definition is None or converter._get_field_exception_handlers(definition):
                continue
            resolve = _direct_node_id(definition, type_) or _direct(definition, info_class)
            if resolve is not None:
                resolve.strawberry_resolve = field.resolve  # type: ignore[attr-defined]  # for tests
                field.resolve = resolve
                changed += 1
    return changed
