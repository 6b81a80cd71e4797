"""Limits that refuse abusive queries before they run: depth, aliases, cost and page size.

Tokens are limited by the parser (``max_tokens``). Depth counts every field, introspection
included (Strawberry's QueryDepthLimiter skips introspection fields) — except ``ofType``: it
follows a type's wrappers (``[X!]!`` is three), a chain that ends within a few steps whatever
the query asks, so it multiplies no work. Without that exception GraphiQL's own introspection
query (15 levels, most of them ``ofType``) would be refused and the IDE would have no schema. Fragments are measured
once each, so that no document, however its fragments spread, makes the checks slow.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    value_from_ast_untyped,
)

from ecozone.settings import QueryLimits

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


def _field_def(parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
        return parent.fields.get(name)
    return None


def _type(schema: GraphQLSchema | None, name: NamedTypeNode | None,
          default: GraphQLNamedType | None) -> GraphQLNamedType | None:
    if schema is None or name is None:
        return default
    return schema.get_type(name.name.value)


def check_cost(document: DocumentNode, operation: OperationDefinitionNode,
               variables: dict[str, Any], limits: QueryLimits,
               schema: GraphQLSchema | None = None) -> list[GraphQLError]:
    """Refuse pages above ``max_page_size`` and operations whose estimated cost is too high.

    The cost estimates the items touched: each field costs the product of the page sizes of
    the paginated fields above it. A field is paginated when it takes ``first`` (with the
    schema: its default when not given; without: when ``first`` or ``after`` is given);
    its page is ``first``, else the argument's default, else ``DEFAULT_PAGE``.
    """
    fragments = _fragments(document)
    errors: list[GraphQLError] = []
    memo: dict[str, int] = {}  # a fragment's cost per unit of multiplier: walk is linear in it

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
             stack: frozenset[str]) -> int:
        """Cost of ``selection_set`` under a multiplier of 1."""
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                definition = _field_def(parent, selection.name.value)
                page = page_of(selection, definition if schema is not None else None)
                child = get_named_type(definition.type) if definition is not None else None
                total += 1 + (page or 1) * walk(selection.selection_set, child, stack)
            elif isinstance(selection, InlineFragmentNode):
                total += walk(selection.selection_set,
                              _type(schema, selection.type_condition, parent), stack)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in stack or name not in fragments:
                    continue
                if name not in memo:
                    fragment = fragments[name]
                    memo[name] = walk(fragment.selection_set,
                                      _type(schema, fragment.type_condition, parent),
                                      stack | {name})
                total += memo[name]
        return total

    root = schema.get_root_type(operation.operation) if schema is not None else None
    cost = walk(operation.selection_set, root, frozenset())
    if cost > limits.max_cost:
        shown = f"{cost}" if cost < 10**12 else "more than 10^12"
        errors.append(GraphQLError(
            f"The query may touch {shown} items; the limit is {limits.max_cost}.", operation,
            extensions={"code": "QUERY_TOO_COSTLY",
                        "messageZh": f"查询预计涉及 {shown} 项，超过上限 {limits.max_cost}"}))
    return errors
