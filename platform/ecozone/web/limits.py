"""Limits that refuse abusive queries before they run: depth, aliases, cost and page size.

Tokens are limited by the parser (``max_tokens``). Depth counts every field, introspection
included (Strawberry's QueryDepthLimiter skips introspection fields) — except ``ofType``: it
follows a type's wrappers (``[X!]!`` is three), a chain that ends within a few steps whatever
the query asks, so it multiplies no work. Without that exception GraphiQL's own introspection
query (15 levels, most of them ``ofType``) would be refused and the IDE would have no schema. Fragments are measured
once each, so that no document, however its fragments spread, makes the checks slow.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    value_from_ast_untyped,
)

from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef

from ecozone.settings import QueryLimits

_META_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef,
                "__typename": TypeNameMetaFieldDef}
DEFAULT_PAGE = 20  # cost of a list field when `first` is not given
FREE_LINKS = frozenset({"ofType"})  # introspection links that end by themselves (see above)


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def operation_depth(selection_set: SelectionSetNode | None,
                    fragments: dict[str, FragmentDefinitionNode],
                    memo: dict[str, int] | None = None, stack: frozenset[str] = frozenset()) -> int:
    """Fields on the longest path: ``{ a }`` is 1, ``{ a { b } }`` is 2; introspection counts.

    A fragment's depth is computed once (``memo``): a document that spreads each fragment
    twice into the next costs linear time, not exponential.
    """
    if selection_set is None:
        return 0
    memo = {} if memo is None else memo
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            own = 0 if selection.name.value in FREE_LINKS else 1
            deepest = max(deepest, own + operation_depth(selection.selection_set, fragments, memo, stack))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, operation_depth(selection.selection_set, fragments, memo, stack))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in stack or name not in fragments:
                continue  # cycles and unknown fragments are reported by the spec rules
            if name not in memo:
                memo[name] = operation_depth(fragments[name].selection_set, fragments, memo,
                                             stack | {name})
            deepest = max(deepest, memo[name])
    return deepest


def limit_rules(limits: QueryLimits) -> list[type[ASTValidationRule]]:
    class DepthAndAliasLimit(ASTValidationRule):
        def enter_document(self, node: DocumentNode, *_args: Any) -> None:
            fragments, memo = _fragments(node), {}
            for definition in node.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    depth = operation_depth(definition.selection_set, fragments, memo)
                    if depth > limits.max_depth:
                        name = definition.name.value if definition.name else "anonymous"
                        self.report_error(GraphQLError(
                            f"Operation '{name}' is {depth} levels deep; the limit is "
                            f"{limits.max_depth}.", definition,
                            extensions={"code": "QUERY_TOO_DEEP",
                                        "messageZh": f"查询嵌套 {depth} 层，超过上限 {limits.max_depth} 层"}))
            aliases = count_aliases(node)
            if aliases > limits.max_aliases:
                self.report_error(GraphQLError(
                    f"The document uses {aliases} aliases; the limit is {limits.max_aliases}.",
                    extensions={"code": "TOO_MANY_ALIASES",
                                "messageZh": f"别名数量 {aliases} 超过上限 {limits.max_aliases}"}))

    return [DepthAndAliasLimit]


def count_aliases(document: DocumentNode) -> int:
    """Aliases written in the document (each fragment counted once, where it is defined)."""
    count = 0
    stack: list[Any] = list(document.definitions)
    while stack:
        node = stack.pop()
        if isinstance(node, FieldNode) and node.alias is not None:
            count += 1
        selection_set = getattr(node, "selection_set", None)
        if selection_set is not None:
            stack.extend(selection_set.selections)
    return count


def _argument(field: FieldNode, names: tuple[str, ...], variables: dict[str, Any]) -> Any:
    for argument in field.arguments or ():
        if argument.name.value in names:
            if isinstance(argument.value, VariableNode):
                return variables.get(argument.value.name.value)
            return value_from_ast_untyped(argument.value)
    return None


def _field_def(parent: GraphQLNamedType | None, name: str,
               root: GraphQLNamedType | None = None) -> GraphQLField | None:
    if name in _META_FIELDS and parent is not None and (name == "__typename" or parent is root):
        return _META_FIELDS[name]  # __schema and __type (on the query type only), __typename
    if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
        return parent.fields.get(name)
    return None


def _type(schema: GraphQLSchema | None, name: NamedTypeNode | None,
          default: GraphQLNamedType | None) -> GraphQLNamedType | None:
    if schema is None or name is None:
        return default
    return schema.get_type(name.name.value)


@dataclass
class CostEstimate:
    """What an operation is expected to touch, before it runs.

    ``items``: the data items (each field costs the product of the page sizes above it) that
    ``max_cost`` limits; an introspection list counts as one there, as it always did, so that
    GraphiQL can load the schema. ``cost``: the same walk where an introspection list is as long
    as the schema makes it (``introspection_sizes``): what a fair-use budget is charged
    (web/fair_use.py). For a query without introspection the two are equal.
    """

    items: int = 0
    cost: int = 0
    errors: list[GraphQLError] = field(default_factory=list)


_INTROSPECTION_SIZES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def introspection_sizes(schema: GraphQLSchema) -> dict[tuple[str, str], int]:
    """How many entries each introspection list field walks, on average, in ``schema``.

    ``__schema { types }`` walks every type; ``fields`` of a type walks the schema's fields
    divided by its types, so that ``types { fields }`` costs the schema's fields in total,
    and ``fields { args }`` its arguments (averages: one type asked by ``__type(name:)`` may
    have more or fewer). Computed once per schema.
    """
    sizes = _INTROSPECTION_SIZES.get(schema)
    if sizes is not None:
        return sizes
    types = list(schema.type_map.values())
    with_fields = [t for t in types if isinstance(t, (GraphQLObjectType, GraphQLInterfaceType))]
    fields = [f for t in with_fields for f in t.fields.values()]
    input_fields = sum(len(t.fields) for t in types if isinstance(t, GraphQLInputObjectType))
    enum_values = sum(len(t.values) for t in types if isinstance(t, GraphQLEnumType))
    interfaces = sum(len(t.interfaces) for t in with_fields)
    possible = sum(len(schema.get_possible_types(t)) for t in types
                   if isinstance(t, (GraphQLInterfaceType, GraphQLUnionType)))
    directives = schema.directives

    def per(total: int, over: int) -> int:
        return max(1, math.ceil(total / over)) if over else 1

    sizes = {
        ("__Schema", "types"): max(1, len(types)),
        ("__Schema", "directives"): max(1, len(directives)),
        ("__Type", "fields"): per(len(fields), len(types)),
        ("__Type", "inputFields"): per(input_fields, len(types)),
        ("__Type", "enumValues"): per(enum_values, len(types)),
        ("__Type", "interfaces"): per(interfaces, len(types)),
        ("__Type", "possibleTypes"): per(possible, len(types)),
        ("__Field", "args"): per(sum(len(f.args) for f in fields), len(fields)),
        ("__Directive", "args"): per(sum(len(d.args) for d in directives), len(directives)),
    }
    _INTROSPECTION_SIZES[schema] = sizes
    return sizes


def check_cost(document: DocumentNode, operation: OperationDefinitionNode,
               variables: dict[str, Any], limits: QueryLimits,
               schema: GraphQLSchema | None = None) -> list[GraphQLError]:
    """Refuse pages above ``max_page_size`` and operations whose estimated cost is too high."""
    return estimate_cost(document, operation, variables, limits, schema).errors


def estimate_cost(document: DocumentNode, operation: OperationDefinitionNode,
                  variables: dict[str, Any], limits: QueryLimits,
                  schema: GraphQLSchema | None = None) -> CostEstimate:
    """The operation's ``CostEstimate``; its errors refuse pages above ``max_page_size`` and
    operations whose estimated items are above ``max_cost``.

    The cost estimates the items touched: each field costs the product of the page sizes of
    the paginated fields above it. A field is paginated when it takes ``first`` (with the
    schema: its default when not given; without: when ``first`` or ``after`` is given);
    its page is ``first``, else the argument's default, else ``DEFAULT_PAGE``.
    """
    fragments = _fragments(document)
    errors: list[GraphQLError] = []
    # a fragment's (items, cost) per unit of multiplier: the walk is linear in the document
    memo: dict[str, tuple[int, int]] = {}
    sizes = introspection_sizes(schema) if schema is not None else {}

    def page_of(field: FieldNode, definition: GraphQLField | None) -> int | None:
        first = _argument(field, ("first", "last"), variables)
        if isinstance(first, int) and not isinstance(first, bool) and first > limits.max_page_size:
            errors.append(GraphQLError(
                f"first: {first} is above the page size limit {limits.max_page_size}.",
                field, extensions={"code": "PAGE_TOO_LARGE",
                                   "messageZh": f"每页最多 {limits.max_page_size} 条"}))
        if definition is not None:
            if "first" not in definition.args:
                return None
            default = definition.args["first"].default_value
        else:
            if not any(a.name.value in ("first", "last", "after") for a in field.arguments or ()):
                return None
            default = None
        for value in (first, default, DEFAULT_PAGE):
            if isinstance(value, int) and not isinstance(value, bool):
                return max(value, 1)
        return DEFAULT_PAGE

    def walk(selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None,
             stack: frozenset[str]) -> tuple[int, int]:
        """(items, cost) of ``selection_set`` under a multiplier of 1."""
        if selection_set is None:
            return 0, 0
        items = cost = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                definition = _field_def(parent, selection.name.value, query_root)
                page = page_of(selection, definition if schema is not None else None)
                child = get_named_type(definition.type) if definition is not None else None
                below_items, below_cost = walk(selection.selection_set, child, stack)
                walked = sizes.get((parent.name, selection.name.value)) if parent is not None else None
                items += 1 + (page or 1) * below_items
                cost += 1 + (page or walked or 1) * below_cost
            elif isinstance(selection, InlineFragmentNode):
                below_items, below_cost = walk(selection.selection_set,
                                               _type(schema, selection.type_condition, parent), stack)
                items, cost = items + below_items, cost + below_cost
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in stack or name not in fragments:
                    continue
                if name not in memo:
                    fragment = fragments[name]
                    memo[name] = walk(fragment.selection_set,
                                      _type(schema, fragment.type_condition, parent),
                                      stack | {name})
                items, cost = items + memo[name][0], cost + memo[name][1]
        return items, cost

    query_root = schema.query_type if schema is not None else None
    root = schema.get_root_type(operation.operation) if schema is not None else None
    items, charged = walk(operation.selection_set, root, frozenset())
    cost = items
    if cost > limits.max_cost:
        shown = f"{cost}" if cost < 10**12 else "more than 10^12"
        errors.append(GraphQLError(
            f"The query may touch {shown} items; the limit is {limits.max_cost}.", operation,
            extensions={"code": "QUERY_TOO_COSTLY",
                        "messageZh": f"查询预计涉及 {shown} 项，超过上限 {limits.max_cost}"}))
    return CostEstimate(items=items, cost=charged, errors=errors)
