"""The GraphQL view's first stage: from a request's parameters to an operation ready to execute.

Split from graphql_http.py (the view: resolving trusted documents, fair use, executing,
answering) along the seam between preparing an operation and running it. Preparing is pure
and runs before anything touches the database: parse (with the token limit), validate (the
spec's rules, web/limits.py's, no NUL in strings, no introspection when it is off), pick the
operation, coerce the variables and estimate the cost that fair use charges. Each failure is a
``RequestError`` (a 400 without a ``data`` key, or 405 for a mutation sent with GET).

Validated documents are kept per process by their text (an LRU of ``DOCUMENT_CACHE_SIZE``);
documents that fail are never kept, so they are refused again every time.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from graphql import (DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode, OperationType,
                     get_operation_ast, parse, specified_rules, validate)
from graphql.execution.values import get_variable_values
from graphql.validation import NoSchemaIntrospectionCustomRule

from ecozone.web.graphql_request import GraphQLParams, RequestError, _error, with_code
from ecozone.web.limits import estimate_cost, limit_rules
from ecozone.web.text_input import MESSAGE_EN, MESSAGE_ZH, NoNulInStrings, nul_paths

# Parsed and validated documents kept per process, by query text: portals send the same few
# documents over and over, and parsing plus validation cost more than many executions.
DOCUMENT_CACHE_SIZE = 256


class Prepared:
    """A parsed, validated operation with coerced variables, ready to execute."""

    def __init__(self, document: DocumentNode, operation: OperationDefinitionNode,
                 params: GraphQLParams, cost: int = 1):
        self.document, self.operation, self.params = document, operation, params
        self.cost = cost  # the limits' estimate (web/limits.py), what fair use charges

    @property
    def is_mutation(self) -> bool:
        return self.operation.operation == OperationType.MUTATION


class Preparation:
    """Prepares operations against one schema with the app's settings, keeping valid documents."""

    def __init__(self, app_state: Any, schema: GraphQLSchema):
        self.state = app_state
        self.schema = schema
        settings = app_state.settings
        rules = [*specified_rules, *limit_rules(settings.limits), NoNulInStrings]
        if not settings.allow_introspection:
            rules.append(NoSchemaIntrospectionCustomRule)
        self.rules = rules
        self.documents: OrderedDict[str, DocumentNode] = OrderedDict()

    def valid_document(self, query: str) -> DocumentNode:
        """The parsed document of ``query`` once it passed validation; errors are not cached."""
        document = self.documents.get(query)
        if document is not None:
            self.documents.move_to_end(query)
            return document
        document = self._parse_and_validate(query)
        self.documents[query] = document
        if len(self.documents) > DOCUMENT_CACHE_SIZE:
            self.documents.popitem(last=False)
        return document

    def _parse_and_validate(self, query: str) -> DocumentNode:
        settings = self.state.settings
        limits, hide = settings.limits, settings.production
        try:
            document = parse(query, max_tokens=limits.max_tokens)
        except GraphQLError as exc:
            if "tokens" in exc.message and "Parsing aborted" in exc.message:
                formatted = _error(f"The document has more than {limits.max_tokens} tokens.",
                                   "TOO_MANY_TOKENS", f"查询超过 {limits.max_tokens} 个词法单元")
            else:
                formatted = with_code(exc, "GRAPHQL_PARSE_FAILED", "GraphQL 语法错误")
            raise RequestError(400, [formatted], well_formed=True) from None
        errors = validate(self.schema, document, self.rules, max_errors=20, hide_suggestions=hide)
        if errors:
            raise RequestError(400, [with_code(e, "GRAPHQL_VALIDATION_FAILED", "查询未通过校验")
                                     for e in errors], well_formed=True)
        return document

    def prepare(self, params: GraphQLParams, method: str) -> Prepared:
        settings = self.state.settings
        limits, hide = settings.limits, settings.production
        document = self.valid_document(params.query)
        operation = get_operation_ast(document, params.operation_name)
        if operation is None:
            name = params.operation_name
            raise RequestError(400, [_error(f"the document has no operation named {name}", "BAD_REQUEST",
                                            f"文档中没有名为 {name} 的操作") if name else
                                     _error("name the operation to run with operationName",
                                            "BAD_REQUEST", "请用 operationName 指定要执行的操作")],
                               well_formed=True)  # GetOperation() failed: a request error
        if method == "GET" and operation.operation != OperationType.QUERY:
            raise RequestError(405, [_error("mutations and subscriptions must be sent with POST",
                                            "METHOD_NOT_ALLOWED", "变更与订阅必须使用 POST")],
                               {"Allow": "POST"})
        if operation.operation == OperationType.SUBSCRIPTION:
            raise RequestError(400, [_error("subscriptions run over WebSocket (graphql-transport-ws)",
                                            "BAD_REQUEST", "订阅请通过 WebSocket 连接")], well_formed=True)
        bad_text = nul_paths(params.variables or {})
        if bad_text:
            raise RequestError(400, [_error(f"{MESSAGE_EN}: {where}", "BAD_USER_INPUT", f"{MESSAGE_ZH}：{where}")
                                     for where in bad_text[:10]], well_formed=True)
        coerced = get_variable_values(self.schema, operation.variable_definitions or (),
                                      params.variables or {}, hide_suggestions=hide)
        if isinstance(coerced, list):
            raise RequestError(400, [with_code(e, "BAD_USER_INPUT", "变量值无效") for e in coerced],
                               well_formed=True)
        estimate = estimate_cost(document, operation, coerced.coerced, limits, self.schema)
        if estimate.errors:
            raise RequestError(400, [e.formatted for e in estimate.errors], well_formed=True)
        return Prepared(document, operation, params, cost=estimate.cost)
