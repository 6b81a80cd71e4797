"""WS /graphql: subscriptions over graphql-transport-ws, served by Strawberry's ASGI view.

Only the WebSocket route uses Strawberry's view (our own view answers GET/POST /graphql).
A connection signs in once, with ``connection_init``'s payload
``{"Authorization": "Bearer <token>", "X-Zone": "<slug>"}`` (browsers cannot set headers on a
WebSocket) or else with the upgrade request's own headers; anonymous connections are refused
with close code 4403 and a reason saying how to sign in. Documents get the same limits as over
HTTP (tokens, depth, aliases, cost), checked before Strawberry runs them; unexpected errors
are masked (in development too); and only subscriptions run here: queries and mutations go to
POST /graphql, which owns the one-transaction-per-request rule.

A connection stays signed in only while its sign-in holds: it is closed at its token's
expiry (4401, a timer per connection), and before each event the actor is resolved again
(``SubscriptionContext.recheck``), so a deactivated user or one left with no role in the zone
they act in is cut off (4403) from the next event on, and changed roles apply to it.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from graphql import (
    ASTValidationRule,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.websockets import WebSocket, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types.unset import UNSET, UnsetType

from ecozone.auth.service import ZoneRefused, record_zone_refusal, resolve_actor
from ecozone.auth.tokens import Claims, InvalidToken, decode_token
from ecozone.authz.actor import ANONYMOUS_ACTOR, Actor
from ecozone.db.engine import new_session
from ecozone.db.scoping import ANONYMOUS
from ecozone.errors import DomainError
from ecozone.notifications.broker import Broker
from ecozone.settings import Settings
from ecozone.web.graphql_http import with_code
from ecozone.web.limits import check_cost, limit_rules
from ecozone.web.text_input import MESSAGE_EN, MESSAGE_ZH, NoNulInStrings, nul_paths

FORBIDDEN = 4403   # graphql-transport-ws: the server rejects the connection
# graphql-transport-ws's 4401 Unauthorized: the connection is not (or, here, no longer)
# authenticated. A token that expires while the connection is open closes it with 4401, not
# 4403: the user is not refused, their proof of identity ran out, and the answer is to sign in
# again (HTTP's 401 with invalid_token). graphql-ws clients treat 4401 as final instead of
# reconnecting with the same stale token; 4403 stays for "signed in, but not allowed".
UNAUTHORIZED = 4401
BAD_REQUEST = 4400
MAX_CLOSE_REASON_BYTES = 123  # RFC 6455: a close frame's reason
EXPIRY_TIMER = "ecozone-ws-token-expiry"  # name of each connection's timer task
EXPIRY_TIMER_ENABLED = True  # tests turn it off to see the per-event check alone

TOKEN_EXPIRED = ("the token has expired: sign in again", "令牌已过期，请重新登录")
USER_INACTIVE = ("your account was deactivated or removed", "您的账户已停用或已删除")


def no_role_in_zone(zone_slug: str | None) -> tuple[str, str]:
    return f"you no longer hold a role in zone {zone_slug}", "您在该试验区已无角色"


@dataclass
class SubscriptionContext:
    """A connection's context: who signed in, and how to reach the data and the events.

    There is no request-wide session: each event is loaded through its own scoped session.
    """

    engine: AsyncEngine
    broker: Broker
    settings: Settings
    request: WebSocket
    actor: Actor = ANONYMOUS_ACTOR
    connection_params: dict[str, Any] = field(default_factory=dict)
    # How the connection signed in, to resolve its actor again before each event.
    claims: Claims | None = None
    zone_slug: str | None = None

    @property
    def expires_at(self) -> float | None:
        return self.claims.expires_at if self.claims is not None else None

    @property
    def closed(self) -> bool:
        return self.request.application_state == WebSocketState.DISCONNECTED

    async def end(self, code: int, message_en: str, message_zh: str) -> None:
        """Close the connection (once) with ``code`` and a reason in both languages."""
        if not self.closed:  # Starlette marks it closed before sending: no double close
            await self.request.close(code=code, reason=close_reason(message_en, message_zh))

    async def recheck(self, session: AsyncSession) -> Actor | None:
        """Before each event: the connection's actor as of now, resolved in the event's
        session (and scoping it), or None after closing the connection because the token
        expired (4401) or the user may no longer be served here (4403).

        Same resolve_actor as at sign-in: one short read transaction per event, shared with
        loading the event (a few indexed single-row reads: user, zone, roles in the zone).
        """
        if self.closed:
            return None
        if self.expires_at is not None and time.time() >= self.expires_at:
            await self.end(UNAUTHORIZED, *TOKEN_EXPIRED)
            return None
        try:
            actor = await resolve_actor(session, self.claims, self.zone_slug)
        except InvalidToken:  # the user is inactive now, or gone
            await self.end(FORBIDDEN, *USER_INACTIVE)
            return None
        except DomainError:  # no role left in a zone that is not home (ZoneRefused), or no zone
            await self.end(FORBIDDEN, *no_role_in_zone(self.zone_slug))
            return None
        if actor.user_id != self.actor.user_id:  # the token's subject names another user now
            await self.end(FORBIDDEN, *USER_INACTIVE)
            return None
        self.actor = actor
        return actor


class Refusal(Exception):
    def __init__(self, code: int, message_en: str, message_zh: str):
        super().__init__(message_en)
        self.code = code
        self.reason = close_reason(message_en, message_zh)


def close_reason(message_en: str, message_zh: str) -> str:
    """Both languages, cut to what a close frame can carry (on a character boundary)."""
    reason = f"{message_en} / {message_zh}"
    encoded = reason.encode()
    if len(encoded) <= MAX_CLOSE_REASON_BYTES:
        return reason
    return encoded[:MAX_CLOSE_REASON_BYTES].decode(errors="ignore")


def _param(params: dict[str, Any], name: str) -> str | None:
    """A connection_init parameter by case-insensitive name, if it is a string."""
    for key, value in params.items():
        if isinstance(key, str) and key.lower() == name and isinstance(value, str):
            return value
    return None


async def authenticate(context: SubscriptionContext, params: dict[str, Any]) -> Actor:
    headers = context.request.headers
    authorization = _param(params, "authorization") or headers.get("authorization")
    zone = _param(params, "x-zone") or headers.get("x-zone") or None
    if not authorization:
        raise Refusal(FORBIDDEN, 'sign in: send {"Authorization": "Bearer <token>"} in connection_init',
                      "请先登录")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Refusal(FORBIDDEN, "use Authorization: Bearer <token>", "请使用 Bearer 令牌")
    try:
        claims = await decode_token(context.settings, token.strip())
        async with new_session(context.engine, ANONYMOUS) as session, session.begin():
            actor = await resolve_actor(session, claims, zone)
        context.claims, context.zone_slug = claims, zone
        return actor
    except InvalidToken as exc:
        raise Refusal(FORBIDDEN, exc.message_en, exc.message_zh) from None
    except ZoneRefused as exc:
        await record_zone_refusal(context.engine, exc)
        raise Refusal(FORBIDDEN, "you may not act in this zone (X-Zone)",
                      "您无权在该试验区操作（X-Zone）") from None
    except DomainError as exc:  # an unknown zone
        raise Refusal(BAD_REQUEST, exc.message_en, exc.message_zh) from None


class OnlySubscriptions(ASTValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
        if node.operation != OperationType.SUBSCRIPTION:
            self.report_error(GraphQLError(
                "only subscriptions run over WebSocket; send queries and mutations to POST /graphql",
                node, extensions={"code": "BAD_REQUEST",
                                  "messageZh": "WebSocket 仅用于订阅；查询与变更请 POST /graphql"}))


def _check_document(payload: dict[str, Any], settings: Settings, schema: GraphQLSchema
                    ) -> list[dict[str, Any]]:
    """The HTTP view's limits, for a subscribe message: errors to send back, or none."""
    limits = settings.limits
    try:
        document = parse(payload["query"], max_tokens=limits.max_tokens)
    except GraphQLError as exc:
        return [with_code(exc, "GRAPHQL_PARSE_FAILED", "GraphQL 语法错误")]
    rules = [*specified_rules, *limit_rules(limits), NoNulInStrings, OnlySubscriptions]
    if not settings.allow_introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    errors = validate(schema, document, rules, max_errors=20, hide_suggestions=settings.production)
    if errors:
        return [with_code(e, "GRAPHQL_VALIDATION_FAILED", "查询未通过校验") for e in errors]
    operation = get_operation_ast(document, payload.get("operationName"))
    if operation is None:
        return [{"message": "name the operation to run with operationName",
                 "extensions": {"code": "BAD_REQUEST", "messageZh": "请用 operationName 指定要执行的操作"}}]
    variables = payload.get("variables")
    bad_text = nul_paths(variables or {})
    if bad_text:
        return [{"message": f"{MESSAGE_EN}: {where}",
                 "extensions": {"code": "BAD_USER_INPUT", "messageZh": f"{MESSAGE_ZH}：{where}"}}
                for where in bad_text[:10]]
    cost = check_cost(document, operation, variables if isinstance(variables, dict) else {},
                      limits, schema)
    return [e.formatted for e in cost]




class _TransportWS(BaseGraphQLTransportWSHandler):
    """graphql-transport-ws with the API's limits and error masking, closed when the
    connection's token expires."""

    expiry: asyncio.Task | None = None

    async def handle_connection_init(self, message: Any) -> None:
        await super().handle_connection_init(message)
        expires_at = self.context.expires_at
        if (self.connection_acknowledged and expires_at is not None and self.expiry is None
                and EXPIRY_TIMER_ENABLED):
            self.expiry = asyncio.create_task(self._close_at(expires_at), name=EXPIRY_TIMER)

    async def _close_at(self, expires_at: float) -> None:
        """At the token's expiry, even with no event to deliver; cancelled when it closes."""
        await asyncio.sleep(max(0.0, expires_at - time.time()))
        await self.context.end(UNAUTHORIZED, *TOKEN_EXPIRED)

    async def shutdown(self) -> None:
        if self.expiry is not None:
            self.expiry.cancel()
            with suppress(asyncio.CancelledError):
                await self.expiry
        await super().shutdown()

    async def handle_subscribe(self, message: Any) -> None:
        payload = message.get("payload")
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            await self.handle_invalid_message("a subscribe message needs a payload with a query")
            return
        if self.connection_acknowledged and message["id"] not in self.operations:
            errors = _check_document(payload, self.view.settings, self.view.graphql_schema)
            if errors:
                await self.send_message({"id": message["id"], "type": "error", "payload": errors})
                return
        await super().handle_subscribe(message)

    async def send_message(self, message: Any) -> None:
        if self.context.closed:
            # Closed by the server (token expired, user cut off): what the closing operation
            # would still send ("complete") has nowhere to go.
            return
        payload = message.get("payload")
        if message.get("type") == "error":
            errors = payload if isinstance(payload, list) else []
        else:
            errors = (payload.get("errors") if isinstance(payload, dict) else None) or []
        for error in errors:
            extensions = error.setdefault("extensions", {})
            if "code" in extensions:
                continue
            if "path" not in error:  # refused before running, e.g. too many subscriptions
                extensions["code"] = "BAD_REQUEST"
                continue
            # Raised while running and not an expected failure: a bug or an outage. Never the
            # exception's text, in development either (it is logged by Strawberry).
            extensions.update(code="INTERNAL_SERVER_ERROR", messageZh="服务器内部错误")
            error["message"] = "Internal server error"
        await super().send_message(message)


class _WebSocketAdapter(ASGIWebSocketAdapter):
    async def close(self, code: int, reason: str) -> None:
        # A refused connection_init has already closed the socket with its own reason;
        # Strawberry's generic "4403 Forbidden" that follows has nothing left to close.
        if self.ws.application_state != WebSocketState.DISCONNECTED:
            await super().close(code, reason)


class SubscriptionsApp(GraphQL):
    """The ASGI app behind ``WebSocketRoute("/graphql", ...)``."""

    websocket_adapter_class = _WebSocketAdapter  # type: ignore[assignment]
    graphql_transport_ws_handler_class = _TransportWS

    def __init__(self, app_state: Any, broker: Broker):
        settings: Settings = app_state.settings
        super().__init__(app_state.schema, graphql_ide=None, allow_queries_via_get=False,
                         subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
                         connection_init_wait_timeout=timedelta(seconds=30),
                         max_subscriptions_per_connection=20,
                         allowed_origins=settings.cors_origins)
        self.state = app_state
        self.settings = settings
        self.graphql_schema: GraphQLSchema = app_state.schema._schema
        self.broker = broker

    async def get_context(self, request: Any, response: Any) -> SubscriptionContext:
        return SubscriptionContext(engine=self.state.engine, broker=self.broker,
                                   settings=self.state.settings, request=request)

    async def on_ws_connect(self, context: SubscriptionContext) -> UnsetType | dict[str, object] | None:
        try:
            context.actor = await authenticate(context, context.connection_params or {})
        except Refusal as exc:
            await context.request.close(code=exc.code, reason=exc.reason)
            raise ConnectionRejectionError({"reason": exc.reason}) from None
        return UNSET
