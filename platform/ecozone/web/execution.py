"""How the HTTP view executes a document with graphql-core: root fields one after another, and
the many plain leaf fields of a page without the per-field machinery.

A page of 100 experts is ~1,500 field executions, most of them a scalar read from an attribute
(``nameZh``, ``cursor``, ``code``…). graphql-core builds a resolve-info object, calls
Strawberry's resolver wrapper, checks for awaitables and walks ``complete_value`` for each;
that was most of Q2's CPU (bench/RESULTS.md). For a field Strawberry itself treats as basic
(no resolver, no extension, no arguments) whose type is a scalar or enum, the executor reads
the attribute and coerces it directly; anything unusual (a missing attribute, a null in a
non-null field, a value the type refuses) takes graphql-core's own path, which reports it.
"""

from __future__ import annotations

from types import GeneratorType
from typing import Any, NamedTuple

from graphql import (GraphQLLeafType, GraphQLObjectType, GraphQLSchema, Undefined, is_leaf_type,
                     is_non_null_type)
from graphql.execution import Executor
from graphql.pyutils import is_awaitable as graphql_is_awaitable
from strawberry.schema.schema_converter import GraphQLCoreConverter

# Where Strawberry keeps, on each graphql-core field and type, its own definition of it.
STRAWBERRY_DEFINITION = GraphQLCoreConverter.DEFINITION_BACKREF
_MISSING = object()


class PlainLeaf(NamedTuple):
    attribute: str
    leaf_type: GraphQLLeafType
    non_null: bool


def plain_leaves(schema: GraphQLSchema) -> dict[str, dict[str, PlainLeaf]]:
    """Per object type, its fields that only read an attribute and return a scalar or enum."""
    plans: dict[str, dict[str, PlainLeaf]] = {}
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, field in type_.fields.items():
            definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
            if (definition is None or field.args or definition.base_resolver is not None
                    or definition.extensions or definition.default_resolver is not getattr
                    or getattr(field.resolve, "__name__", "") != "_get_basic_result"):
                continue
            non_null = is_non_null_type(field.type)
            leaf_type = field.type.of_type if non_null else field.type
            if is_leaf_type(leaf_type):
                plans.setdefault(type_.name, {})[name] = PlainLeaf(definition.python_name, leaf_type,
                                                                   non_null)
    return plans


_AWAITABLE_BY_TYPE: dict[type, bool] = {}


def is_awaitable(value: Any) -> bool:
    """graphql-core's test, remembered per type: it runs for every field and list item."""
    kind = type(value)
    known = _AWAITABLE_BY_TYPE.get(kind)
    if known is None:
        known = graphql_is_awaitable(value)
        if kind is GeneratorType:  # awaitable or not per object (generator-based coroutines)
            return known
        _AWAITABLE_BY_TYPE[kind] = known
    return known


def executor_for(schema: GraphQLSchema, *, read_plain_leaves: bool = True,
                 compiled: bool | None = None) -> type[Executor]:
    """The executor class of one schema, with that schema's plain leaves worked out once
    (``read_plain_leaves=False``: graphql-core's path for every field, to compare in tests) and,
    unless ``compiled`` is false (default: as ``read_plain_leaves``), selection sets executed
    from compiled plans (web/compiled_execution.py)."""
    leaves_by_type = plain_leaves(schema) if read_plain_leaves else {}

    class SerialRootExecutor(Executor):
        """Runs a query's root fields one after another, as the spec does for mutations.

        Every root field works in the request's one AsyncSession (one transaction, one audit
        chain position), which must never run two operations at once: concurrent root fields
        raced on connecting, on autoflush and on appending denials to the audit log. The fields
        below a root field still resolve concurrently, so DataLoaders batch as before.
        """

        def execute_operation(self, serially: bool | None = None):
            return super().execute_operation(serially=True)

        def execute_field(self, parent_type, source, field_details_list, path, position_context):
            leaves = leaves_by_type.get(parent_type.name)
            if leaves is not None and self.middleware_manager is None:
                leaf = leaves.get(field_details_list[0].node.name.value)
                if leaf is not None:
                    value = getattr(source, leaf.attribute, _MISSING)
                    if value is None and not leaf.non_null:
                        return None
                    if value is not None and value is not _MISSING:
                        try:
                            coerced = leaf.leaf_type.coerce_output_value(value)
                        except Exception:  # noqa: BLE001 - graphql-core's path below reports it, located
                            coerced = None
                        if coerced is not None and coerced is not Undefined:
                            return coerced
            return super().execute_field(parent_type, source, field_details_list, path,
                                         position_context)

    if not (read_plain_leaves if compiled is None else compiled):
        return SerialRootExecutor
    from ecozone.web.compiled_execution import compiled_executor_for
    return compiled_executor_for(SerialRootExecutor, schema)
