"""Limits that refuse abusive queries before they run: depth, aliases, cost and page size.

Tokens are limited by the parser (``max_tokens``). Depth counts every field, introspection
included (Strawberry's QueryDepthLimiter skips introspection fields).
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
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    VariableNode,
    value_from_ast_untyped,
)

from ecozone.settings import QueryLimits

DEFAULT_PAGE = 20  # cost of a list field when `first` is not given


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _depth(selection_set: SelectionSetNode | None, fragments: dict, seen: frozenset[str]) -> int:
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            deepest = max(deepest, 1 + _depth(selection.selection_set, fragments, seen))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _depth(selection.selection_set, fragments, seen))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in seen or name not in fragments:
                continue  # cycles and unknown fragments are reported by the spec rules
            deepest = max(deepest, _depth(fragments[name].selection_set, fragments, seen | {name}))
    return deepest


def limit_rules(limits: QueryLimits) -> list[type[ASTValidationRule]]:
    class DepthAndAliasLimit(ASTValidationRule):
        def enter_document(self, node: DocumentNode, *_args: Any) -> None:
            fragments = _fragments(node)
            for definition in node.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    depth = _depth(definition.selection_set, fragments, frozenset())
                    if depth > limits.max_depth:
                        name = definition.name.value if definition.name else "anonymous"
                        self.report_error(GraphQLError(
                            f"Operation '{name}' is {depth} levels deep; the limit is "
                            f"{limits.max_depth}.", definition,
                            extensions={"code": "QUERY_TOO_DEEP",
                                        "messageZh": f"查询嵌套 {depth} 层，超过上限 {limits.max_depth} 层"}))
            aliases = _count_aliases(node)
            if aliases > limits.max_aliases:
                self.report_error(GraphQLError(
                    f"The document uses {aliases} aliases; the limit is {limits.max_aliases}.",
                    extensions={"code": "TOO_MANY_ALIASES",
                                "messageZh": f"别名数量 {aliases} 超过上限 {limits.max_aliases}"}))

    return [DepthAndAliasLimit]


def _count_aliases(document: DocumentNode) -> int:
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


def _first(field: FieldNode, variables: dict[str, Any]) -> int | None:
    for argument in field.arguments or ():
        if argument.name.value in ("first", "last"):
            if isinstance(argument.value, VariableNode):
                value = variables.get(argument.value.name.value)
            else:
                value = value_from_ast_untyped(argument.value)
            return value if isinstance(value, int) else None
    return None


def check_cost(document: DocumentNode, operation: OperationDefinitionNode,
               variables: dict[str, Any], limits: QueryLimits) -> list[GraphQLError]:
    """Estimated rows touched: each field costs the product of the page sizes above it."""
    fragments = _fragments(document)
    errors: list[GraphQLError] = []

    def walk(selection_set: SelectionSetNode | None, multiplier: int, seen: frozenset[str]) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                first = _first(selection, variables)
                if first is not None and first > limits.max_page_size:
                    errors.append(GraphQLError(
                        f"first: {first} is above the page size limit {limits.max_page_size}.",
                        selection, extensions={"code": "PAGE_TOO_LARGE",
                                               "messageZh": f"每页最多 {limits.max_page_size} 条"}))
                is_list = first is not None or any(a.name.value == "after" for a in selection.arguments or ())
                child = multiplier * ((first or DEFAULT_PAGE) if is_list else 1)
                total += multiplier + walk(selection.selection_set, child, seen)
            elif isinstance(selection, InlineFragmentNode):
                total += walk(selection.selection_set, multiplier, seen)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments \
                    and selection.name.value not in seen:
                name = selection.name.value
                total += walk(fragments[name].selection_set, multiplier, seen | {name})
        return total

    cost = walk(operation.selection_set, 1, frozenset())
    if cost > limits.max_cost:
        errors.append(GraphQLError(
            f"The query may touch {cost} items; the limit is {limits.max_cost}.", operation,
            extensions={"code": "QUERY_TOO_COSTLY",
                        "messageZh": f"查询预计涉及 {cost} 项，超过上限 {limits.max_cost}"}))
    return errors
