"""A compiled execution plan per selection set: graphql-core's semantics without its generic walk.

graphql-core executes every field of every list item the same way: it looks the field up in
the schema, lists its nodes, builds a resolve info, works out its arguments, calls the resolver,
tests the result for awaitability and then walks ``complete_value``'s chain of type tests
(non-null? list? leaf? abstract? object?). A page of 100 experts repeats that ~1,500 times for
the same ten selections; that walk was the largest share of Q2's and Q3's CPU (bench/RESULTS.md).

Here each selection set of the validated document (as graphql-core collected it for this
request, so ``@skip``/``@include``, fragments and aliases are already applied) is compiled once
per request into steps, and each field's return type into a completer:

* ``__typename``: the parent type's name;
* a plain leaf (an attribute Strawberry itself would read, a scalar or enum, web/execution.py):
  read and coerced in place;
* any other field: its resolver called with a resolve info built from precomputed parts and
  the arguments coerced once per request; the value completed by the field's completer, which
  knows the wrapping (non-null, list, leaf, object, abstract) in advance.

Anything unusual goes to graphql-core's own code for that one field or value, which does what
it always does, errors and all: an awaitable result (``complete_awaitable_value``), a leaf that
is missing, null or refused by its type, a list that is not a Python list, an abstract type
(``complete_abstract_value``), a field whose arguments fail to coerce or that uses fragment
arguments. Errors are handled by graphql-core's ``handle_field_error`` at the same positions
(null bubbling to the nearest nullable field). Root fields run as before (serially).

The answers are compared with graphql-core's on many documents in
tests/graphql/test_compiled_execution.py.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLLeafType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    Undefined,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.execution import Executor
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, gather_with_cancel
from graphql.type import GraphQLStreamDirective, TypeNameMetaFieldDef
from graphql.type import scalars as graphql_scalars

from ecozone.web.execution import PlainLeaf, plain_leaves

_MISSING = object()
# Step kinds (a tuple per field, the kind first: cheaper to dispatch than objects or closures).
TYPENAME, LEAF, RESOLVE, GENERIC = range(4)

Completer = Callable[[Executor, Any, GraphQLResolveInfo, Path, Any, Any], Any]


# graphql-core's String, Int and Boolean return a value of exactly their Python type unchanged
# (an int only within 32 bits): such a value is taken as it is, anything else is coerced.
_UNCHANGED = {graphql_scalars.serialize_string: str, graphql_scalars.serialize_boolean: bool,
              graphql_scalars.serialize_int: int}
_INT_RANGE = (graphql_scalars.GRAPHQL_MIN_INT, graphql_scalars.GRAPHQL_MAX_INT)


def _unchanged_type(leaf_type: GraphQLLeafType) -> type | None:
    return _UNCHANGED.get(leaf_type.coerce_output_value)


def _coercer(leaf_type: GraphQLLeafType) -> Callable[[Any], Any]:
    """The type's ``coerce_output_value``; for a Strawberry enum, remembered per member.

    Strawberry finds a member's name by scanning the enum's values on every call (~200 calls
    per page of experts); the answer depends on the member alone. Only members of the enum's
    own plain ``Enum`` class (equal only to themselves) are remembered; any other value, and
    every failure, goes through the type each time."""
    coerce = leaf_type.coerce_output_value
    members = getattr(leaf_type, "wrapped_cls", None)
    if not (isinstance(leaf_type, GraphQLEnumType) and isinstance(members, type) and issubclass(members, Enum)
            and not issubclass(members, (str, int))):
        return coerce
    names: dict[Any, Any] = {}

    def coerce_member(value: Any) -> Any:
        if type(value) is members:
            name = names.get(value)
            if name is None:
                name = names[value] = coerce(value)
            return name
        return coerce(value)
    return coerce_member


def _completer(type_: GraphQLOutputType) -> Completer:
    """``complete_value`` specialised for one return type (graphql-core's checks, same order)."""
    if is_non_null_type(type_):
        inner = _completer(type_.of_type)

        def complete_non_null(ex, fdl, info, path, result, ctx):
            if isinstance(result, Exception):
                raise result
            completed = inner(ex, fdl, info, path, result, ctx)
            if completed is None:
                msg = f"Cannot return null for non-nullable field {info.parent_type}.{info.field_name}."
                raise TypeError(msg)
            return completed
        complete_non_null.synchronous = getattr(inner, "synchronous", False)  # type: ignore[attr-defined]
        return complete_non_null

    if is_list_type(type_):
        return _list_completer(type_)

    if is_leaf_type(type_):
        coerce = _coercer(type_)
        unchanged = _unchanged_type(type_)
        low, high = _INT_RANGE

        def complete_leaf(ex, fdl, info, path, result, ctx):
            if type(result) is unchanged and (unchanged is not int or low <= result <= high):
                return result
            if isinstance(result, Exception):
                raise result
            if result is None or result is Undefined:
                return None
            coerced = coerce(result)
            if coerced is None or coerced is Undefined:
                return ex.complete_leaf_value(type_, result)  # raises graphql-core's error
            return coerced
        complete_leaf.synchronous = True  # type: ignore[attr-defined]  # never awaitable
        return complete_leaf

    if is_abstract_type(type_):
        def complete_abstract(ex, fdl, info, path, result, ctx):
            if isinstance(result, Exception):
                raise result
            if result is None or result is Undefined:
                return None
            return ex.complete_abstract_value(type_, fdl, info, path, result, ctx)
        return complete_abstract

    assert is_object_type(type_), type_
    is_type_of = type_.is_type_of

    def complete_object(ex, fdl, info, path, result, ctx):
        if isinstance(result, Exception):
            raise result
        if result is None or result is Undefined:
            return None
        if is_type_of is not None and is_type_of(result, info) is not True:
            # graphql-core's own path checks it again (awaits it, raises its error when it fails)
            return ex.complete_object_value(type_, fdl, info, path, result, ctx)
        steps = ex.compiled_objects.get((type_, id(fdl)))
        if steps is None:
            steps = ex.compiled_objects[(type_, id(fdl))] = ex.compiled_steps(
                type_, ex.collect_subfields(type_, fdl)[0])  # graphql-core's memo keeps fdl alive
        return ex.run_steps(type_, result, path, steps)
    return complete_object


def _list_completer(list_type: GraphQLList) -> Completer:
    item_type = list_type.of_type
    complete_item = _completer(item_type)

    def complete_list(ex, fdl, info, path, result, ctx):
        if isinstance(result, Exception):
            raise result
        if result is None or result is Undefined:
            return None
        if type(result) is not list:  # a generator, an async iterable, not a list at all…
            return ex.complete_list_value(list_type, fdl, info, path, result, ctx)
        is_awaitable = ex.is_awaitable
        handle_error = ex.handle_field_error
        completed: list[Any] = []
        append = completed.append
        pending: list[int] = []
        try:
            for index, item in enumerate(result):
                item_path = Path(path, index, None)
                if is_awaitable(item):
                    append(ex.complete_awaitable_list_item_value(item, item_type, fdl, info, item_path, ctx))
                    pending.append(index)
                    continue
                try:
                    value = complete_item(ex, fdl, info, item_path, item, ctx)
                except Exception as raw_error:  # noqa: BLE001 - graphql-core's handling, located
                    handle_error(raw_error, item_type, fdl, item_path)  # raises for a non-null item
                    value = None
                else:
                    if is_awaitable(value):
                        value = _settle(ex, value, item_type, fdl, item_path)
                        pending.append(index)
                append(value)
        except Exception:
            if pending:  # as graphql-core does: started work is settled, never orphaned
                ex.settle_in_background([completed[i] for i in pending])
            raise
        if not pending:
            return completed
        return _gathered_list(completed, pending)
    return complete_list


async def _settle(ex: Executor, awaitable: Any, return_type: GraphQLOutputType, fdl: Any, path: Path) -> Any:
    """Await a completion; a failure is handled as graphql-core handles it at this position."""
    try:
        return await awaitable
    except Exception as raw_error:  # noqa: BLE001
        ex.handle_field_error(raw_error, return_type, fdl, path)
        return None


async def _gathered_list(completed: list[Any], pending: list[int]) -> list[Any]:
    if len(pending) == 1:
        completed[pending[0]] = await completed[pending[0]]
    else:
        values = await gather_with_cancel(*(completed[i] for i in pending))
        for index, value in zip(pending, values, strict=True):
            completed[index] = value
    return completed


async def _gathered_fields(results: dict[str, Any], pending: list[str]) -> dict[str, Any]:
    if len(pending) == 1:
        results[pending[0]] = await results[pending[0]]
    else:
        values = await gather_with_cancel(*(results[name] for name in pending))
        results.update(zip(pending, values, strict=True))
    return results


def compiled_executor_for(base: type[Executor], schema: Any) -> type[Executor]:
    """``base`` (the view's executor class) executing selection sets from compiled steps."""
    leaves_by_type: dict[str, dict[str, PlainLeaf]] = plain_leaves(schema)
    completers: dict[GraphQLOutputType, Completer] = {}
    if any(d is GraphQLStreamDirective or d.name == "stream" for d in schema.directives):
        return base  # @stream would need graphql-core's list completion: not compiled

    coercers: dict[GraphQLLeafType, Callable[[Any], Any]] = {}

    def coercer_of(leaf_type: GraphQLLeafType) -> Callable[[Any], Any]:
        coerce = coercers.get(leaf_type)
        if coerce is None:
            coerce = coercers[leaf_type] = _coercer(leaf_type)
        return coerce

    def completer_of(type_: GraphQLOutputType) -> Completer:
        completer = completers.get(type_)
        if completer is None:
            completer = completers[type_] = _completer(type_)
        return completer

    class CompiledExecutor(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # This request's compiled selection sets: by the collected set's identity (kept
            # alive with it), and by (object type, identity of graphql-core's field list).
            self.compiled_sets: dict[int, tuple[Any, list[tuple]]] = {}
            self.compiled_objects: dict[tuple[GraphQLObjectType, int], list[tuple]] = {}
            self.compiled = (self.middleware_manager is None and self.abort_signal is None)

        def compiled_steps(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> list[tuple]:
            """The steps of one collected selection set, once per request."""
            plans = self.compiled_sets
            found = plans.get(id(grouped_field_set))
            if found is not None:
                return found[1]
            leaves = leaves_by_type.get(parent_type.name, {})
            steps: list[tuple] = []
            for response_name, fdl in grouped_field_set.items():
                node = fdl[0].node
                name = node.name.value
                field_def = self.schema.get_field(parent_type, name)
                if field_def is None:
                    continue  # graphql-core leaves it out too
                if any(details.fragment_variable_values is not None for details in fdl):
                    steps.append((GENERIC, response_name, fdl))
                elif field_def is TypeNameMetaFieldDef and field_def.resolve is not None \
                        and not node.arguments:
                    steps.append((TYPENAME, response_name, parent_type.name))
                elif name in leaves and not node.arguments:
                    leaf = leaves[name]
                    steps.append((LEAF, response_name, fdl, leaf.attribute, coercer_of(leaf.leaf_type),
                                  leaf.non_null, _unchanged_type(leaf.leaf_type)))
                else:
                    try:
                        args = (get_argument_values(field_def, node, self.variable_values, None,
                                                    self.hide_suggestions)
                                if field_def.args or node.arguments else {})
                    except Exception:  # noqa: BLE001 - graphql-core reports it, per item, located
                        steps.append((GENERIC, response_name, fdl))
                        continue
                    complete = completer_of(field_def.type)
                    steps.append((RESOLVE, response_name, fdl, name, field_def.type,
                                  field_def.resolve or self.field_resolver, args,
                                  [details.node for details in fdl], complete,
                                  getattr(complete, "synchronous", False)))
            plans[id(grouped_field_set)] = (grouped_field_set, steps)  # keeps the id's object alive
            return steps

        def execute_fields(self, parent_type, source_value, path, grouped_field_set, position_context):
            if path is None or not self.compiled or position_context is not None:
                return super().execute_fields(parent_type, source_value, path, grouped_field_set,
                                              position_context)
            return self.run_steps(parent_type, source_value, path,
                                  self.compiled_steps(parent_type, grouped_field_set))

        def run_steps(self, parent_type: GraphQLObjectType, source_value: Any, path: Path,
                      steps: list[tuple]) -> Any:
            """graphql-core's ``execute_fields`` over compiled steps."""
            results: dict[str, Any] = {}
            pending: list[str] = []
            is_awaitable = self.is_awaitable
            parent_name = parent_type.name
            low, high = _INT_RANGE
            try:
                for step in steps:
                    kind, response_name = step[0], step[1]
                    if kind == LEAF:
                        value = getattr(source_value, step[3], _MISSING)
                        unchanged = step[6]
                        if type(value) is unchanged and (unchanged is not int or low <= value <= high):
                            results[response_name] = value
                            continue
                        if value is None:
                            if not step[5]:
                                results[response_name] = None
                                continue
                        elif value is not _MISSING:
                            try:
                                coerced = step[4](value)
                            except Exception:  # noqa: BLE001 - graphql-core's path below reports it
                                coerced = None
                            if coerced is not None and coerced is not Undefined:
                                results[response_name] = coerced
                                continue
                        value = self.execute_field(parent_type, source_value, step[2],
                                                   Path(path, response_name, parent_name), None)
                    elif kind == TYPENAME:
                        results[response_name] = step[2]
                        continue
                    elif kind == RESOLVE:
                        value = self._resolve(step, parent_type, source_value, Path(path, response_name, parent_name))
                    else:
                        value = self.execute_field(parent_type, source_value, step[2],
                                                   Path(path, response_name, parent_name), None)
                    if value is Undefined:
                        continue
                    results[response_name] = value
                    if is_awaitable(value):
                        pending.append(response_name)
            except Exception:
                if pending:  # as graphql-core does: started work is settled, never orphaned
                    self.settle_in_background([results[name] for name in pending])
                raise
            if not pending:
                return results
            return _gathered_fields(results, pending)

        def _resolve(self, step: tuple, parent_type: GraphQLObjectType, source: Any, path: Path) -> Any:
            """graphql-core's ``execute_field`` for a compiled field (same info, same errors)."""
            _, _, fdl, name, return_type, resolve, args, nodes, complete, synchronous = step
            info = GraphQLResolveInfo(name, nodes, return_type, parent_type, path, self.schema,
                                      self.fragment_definitions, self.root_value, self.operation,
                                      self.variable_values, self.context_value, self.is_awaitable,
                                      self.abort_signal, self.async_helpers)
            try:
                result = resolve(source, info, **args)
                if self.is_awaitable(result):
                    return self.complete_awaitable_value(return_type, fdl, info, path, result, None)
                completed = complete(self, fdl, info, path, result, None)
                if not synchronous and self.is_awaitable(completed):
                    return _settle(self, completed, return_type, fdl, path)
                return completed
            except Exception as raw_error:  # noqa: BLE001 - graphql-core's handling, located
                self.handle_field_error(raw_error, return_type, fdl, path)
                return None

        def complete_value(self, return_type, field_details_list, info, path, result, position_context):
            """graphql-core's entry (awaited values, abstract types) uses the compiled completers too."""
            if position_context is not None or not self.compiled:
                return super().complete_value(return_type, field_details_list, info, path, result,
                                              position_context)
            return completer_of(return_type)(self, field_details_list, info, path, result, None)

    CompiledExecutor.__name__ = CompiledExecutor.__qualname__ = f"Compiled{base.__name__}"
    return CompiledExecutor


