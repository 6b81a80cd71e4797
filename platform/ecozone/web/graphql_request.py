"""Reading a GraphQL-over-HTTP request: media types (Accept, Content-Type), the body, the
parameters (``query`` or a trusted document's ``documentId``, ``variables``, ``operationName``,
``extensions``), and the request errors answered without a ``data`` key.

Split from graphql_http.py (the view: executing, answering; preparing is graphql_prepare.py's)
along the seam it had.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request

from ecozone.trusted.rules import RuleBroken, document_id, parse_apollo_hash, parse_document_id
from ecozone.web.messages_zh import zh_message
from ecozone.web.responses import JSONResponse as _JSONResponse

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
# The response media types we can send, preferred first when a client accepts both equally.
SUPPORTED = (GRAPHQL_RESPONSE, JSON)
UTF8 = ("utf-8", "utf8")


class JSONResponse(_JSONResponse):
    """Every answer of /graphql names its encoding: ``…+json; charset=utf-8`` (the spec's SHOULD)."""

    def init_headers(self, headers: Any = None) -> None:
        if self.media_type and "charset=" not in self.media_type.lower():
            self.media_type = f"{self.media_type}; charset={self.charset}"
        super().init_headers(headers)


class RequestError(Exception):
    """The request cannot be executed: answered without a ``data`` key."""

    def __init__(self, status: int, errors: list[dict[str, Any]], headers: dict | None = None,
                 *, well_formed: bool = False):
        super().__init__(errors[0]["message"] if errors else "bad request")
        self.status, self.errors, self.headers = status, errors, headers or {}
        # A well-formed request that fails parsing, validation or coercion: legacy
        # application/json clients get it with 200 (GraphQL over HTTP, "application/json").
        self.well_formed = well_formed


def _error(message: str, code: str, message_zh: str) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code, "messageZh": message_zh}}


@dataclass
class GraphQLParams:
    query: str  # a trusted document's text once its id is looked up (GraphQLHTTP._resolve)
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None = None  # read for Apollo's persistedQuery only
    # A trusted document named by its id instead of its text (``documentId``, or Apollo's
    # ``extensions.persistedQuery.sha256Hash`` without a query: ``apollo``).
    document_id: str | None = None
    apollo: bool = False


def _media_ranges(header: str) -> list[tuple[str, float, dict[str, str]]]:
    """The media ranges of an Accept (or Content-Type) header: (type, quality, parameters)."""
    ranges = []
    for part in header.split(","):
        media_type, *pairs = (p.strip() for p in part.split(";"))
        params = {}
        for pair in pairs:
            key, _, value = pair.partition("=")
            params[key.strip().lower()] = value.strip().strip('"')
        try:
            quality = float(params.pop("q", "1"))
        except ValueError:
            continue  # a malformed weight: the range says nothing we can trust
        if media_type and 0 <= quality <= 1:
            ranges.append((media_type.lower(), quality, params))
    return ranges


def _accepted(header: str) -> list[str]:
    """Media types of an Accept header, leaving out those refused with ``q=0``."""
    return [media_type for media_type, quality, _ in _media_ranges(header) if quality > 0]


def _quality(media_type: str, ranges: list[tuple[str, float, dict[str, str]]]) -> float:
    """How much the client wants ``media_type`` in UTF-8: the most specific matching range's weight."""
    best, specificity = 0.0, -1
    for accepted, quality, params in ranges:
        if params.get("charset", "utf-8").lower() not in UTF8:
            continue  # we answer in UTF-8 only
        rank = {media_type: 2, media_type.split("/")[0] + "/*": 1, "*/*": 0}.get(accepted)
        if rank is None or rank < specificity:
            continue
        best = quality if rank > specificity else max(best, quality)
        specificity = rank
    return best


def _media_type(request: Request) -> str:
    """The response media type: the client's most wanted one; equally wanted, ours first.

    Without an Accept header the client takes anything (RFC 9110) and, since the 2025
    watershed of GraphQL over HTTP, is treated as accepting application/graphql-response+json.
    """
    accept = request.headers.get("accept", "")
    if not accept.strip():
        return GRAPHQL_RESPONSE
    ranges = _media_ranges(accept)
    wanted = [(quality, media_type) for media_type in SUPPORTED
              if (quality := _quality(media_type, ranges)) > 0]
    if wanted:
        return max(wanted, key=lambda pair: pair[0])[1]  # max keeps the first of equals
    raise RequestError(406, [_error(f"cannot answer in {accept}; accept {GRAPHQL_RESPONSE} or {JSON}",
                                    "NOT_ACCEPTABLE", "不支持所请求的响应格式")])


def _wants_ide(request: Request) -> bool:
    """A browser opening /graphql: a GET without a query that prefers HTML."""
    return (request.method == "GET" and "query" not in request.query_params
            and "documentId" not in request.query_params and "text/html" in _accepted(request.headers.get("accept", "")))


def with_code(error: GraphQLError, code: str, message_zh: str) -> dict[str, Any]:
    """``error`` as sent, with a machine-readable code unless it has its own (the limits), and
    its Chinese: graphql-core's English translated (web/messages_zh.py), else ``message_zh``
    followed by the English."""
    formatted = error.formatted
    extensions = dict(formatted.get("extensions") or {})
    extensions.setdefault("code", code)
    extensions.setdefault("messageZh", zh_message(error, message_zh))
    formatted["extensions"] = extensions
    return formatted


def _map(raw: dict[str, Any], key: str, from_url: bool) -> dict[str, Any] | None:
    """The optional map parameter ``key``; a GET passes it as a JSON string in the URL."""
    value = raw.get(key)
    if from_url and isinstance(value, str):
        try:
            value = json.loads(value) if value else None
        except (json.JSONDecodeError, RecursionError):
            raise RequestError(400, [_error(f"{key} is not valid JSON", "BAD_REQUEST",
                                            f"{key} 不是有效的 JSON")]) from None
    if value is not None and not isinstance(value, dict):
        raise RequestError(400, [_error(f"{key} must be a JSON object", "BAD_REQUEST",
                                        f"{key} 必须是 JSON 对象")])
    return value


def _params(raw: Any, *, from_url: bool = False) -> GraphQLParams:
    """A well-formed GraphQL-over-HTTP request's parameters, or a 400 (for every media type).

    The document is given by its text (``query``) or by a trusted document's id: ``documentId``
    (GraphQL over HTTP, persisted documents), or Apollo's ``extensions.persistedQuery`` alone;
    never both ways at once."""
    if not isinstance(raw, dict):
        raise RequestError(400, [_error("the request must be a JSON object with a query",
                                        "BAD_REQUEST", "请求必须是包含 query 的 JSON 对象")])
    query, name = raw.get("query"), raw.get("operationName")
    by_id = "documentId" in raw or "persistedQuery" in str(raw.get("extensions") or "")
    # Any string is a well-formed query: an empty one fails parsing, a request error like others.
    if not isinstance(query, str) and (query is not None or not by_id):
        raise RequestError(400, [_error("query must be a string", "BAD_REQUEST",
                                        "query 必须是字符串")])
    variables = _map(raw, "variables", from_url)
    extensions = _map(raw, "extensions", from_url)
    if name is not None and not isinstance(name, str):
        raise RequestError(400, [_error("operationName must be a string", "BAD_REQUEST",
                                        "operationName 必须是字符串")])
    try:
        named = parse_document_id(raw["documentId"]) if "documentId" in raw else None
        apollo = parse_apollo_hash(extensions)
    except RuleBroken as exc:
        raise RequestError(400, [_error(exc.message_en, exc.code, exc.message_zh)]) from None
    if named is not None and (query is not None or apollo is not None):
        raise RequestError(400, [_error("send the document either as query or as documentId, not both",
                                        "BAD_REQUEST", "文档请以 query 或 documentId 之一发送，不可同时发送")])
    if named is not None or (apollo is not None and query is None):
        return GraphQLParams("", variables, name or None, extensions, named or apollo, named is None)
    if not isinstance(query, str):  # neither a query nor an id
        raise RequestError(400, [_error("query must be a string", "BAD_REQUEST",
                                        "query 必须是字符串")])
    if apollo is not None and document_id(query) != apollo:
        raise RequestError(400, [_error("provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH",
                                        "extensions.persistedQuery 的哈希与 query 不符")])
    return GraphQLParams(query, variables, name or None, extensions)


def _not_registered(params: GraphQLParams) -> dict[str, Any]:
    """The typed error of an id that names no registered document; Apollo's clients, asked by
    hash, recognise their code and send the text instead (then run, or refused if trusted only)."""
    if params.apollo:
        return _error(f"PersistedQueryNotFound: {params.document_id} is not a registered document",
                      "PERSISTED_QUERY_NOT_FOUND", f"未找到已登记的文档 {params.document_id}")
    return _error(f"no registered document has the id {params.document_id} (never registered, or revoked)",
                  "PERSISTED_DOCUMENT_NOT_FOUND", f"没有标识为 {params.document_id} 的已登记文档（未登记或已撤销）")


async def _body(request: Request, limit: int) -> Any:
    content_type = _media_ranges(request.headers.get("content-type", ""))[:1]
    if not content_type or content_type[0][0] != JSON \
            or content_type[0][2].get("charset", "utf-8").lower() not in UTF8:
        raise RequestError(415, [_error("send the request body as application/json in UTF-8",
                                        "UNSUPPORTED_MEDIA_TYPE", "请以 UTF-8 编码的 application/json 发送请求体")])
    too_large = RequestError(413, [_error(f"the request body is larger than {limit} bytes",
                                          "PAYLOAD_TOO_LARGE", f"请求体超过 {limit} 字节")])
    declared = request.headers.get("content-length", "").strip()
    if declared.isascii() and declared.isdigit() and int(declared) > limit:  # not "²"
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():  # chunked bodies have no Content-Length: count
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    try:  # UTF-8 only: json.loads would also guess UTF-16 and UTF-32 from bytes
        return json.loads(b"".join(chunks).decode("utf-8") or "null")
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise RequestError(400, [_error("the body is not valid JSON", "BAD_REQUEST",
                                        "请求体不是有效的 JSON")]) from None
