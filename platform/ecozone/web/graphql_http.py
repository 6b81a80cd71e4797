"""POST/GET /graphql following the GraphQL-over-HTTP specification.

Strawberry's view is not used for HTTP because it does not follow the spec's status codes
and media types, crashes on non-object JSON bodies and has no body-size limit. Reading the
request (media types, body, parameters) is graphql_request.py's; parsing, validation (with the
limits), variable coercion and the cost estimate are graphql_prepare.py's, before anything runs,
so that a request error is a 400 without a ``data`` key. This module resolves trusted documents,
spends fair use, executes on graphql-core with Strawberry's schema and answers; it also runs the
pages' queries in process (``run_document``, ``run_as``) through the same path.

Trusted documents (ecozone/trusted/): a document named by its id is looked up before it is
prepared, and anonymous callers may be refused unregistered ones (``trusted_documents_only``).
Anonymous GETs are answered with ETag and Cache-Control, and 304 (web/http_cache.py).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from graphql import ExecutionResult, execute
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ecozone.audit.service import write_deferred
from ecozone.auth.service import ZoneRefused, record_zone_refusal
from ecozone.auth.tokens import InvalidToken, decode_token
from ecozone.db.engine import new_session, write_turn
from ecozone.db.unavailable import database_unavailable, unavailable_error, \
    unavailable_headers
from ecozone.db.scoping import ANONYMOUS
from ecozone.idempotency import store as idempotency
from ecozone.graphql.context import Context
from ecozone.trusted.registry import TrustedDocuments
from ecozone.trusted.rules import may_run_unregistered
from ecozone.web import http_cache, metrics
from ecozone.web.execution import executor_for, is_awaitable
from ecozone.web.caller import acting, anonymous_request, bearer
from ecozone.web.graphql_errors import format_error
from ecozone.web.graphiql import graphiql_page
from ecozone.web.fair_use import FairUse, spend_of
from ecozone.web.graphql_prepare import Preparation, Prepared
from ecozone.web.graphql_request import (GRAPHQL_RESPONSE, JSON, SUPPORTED, UTF8,  # noqa: F401 - re-exported
                                         GraphQLParams, JSONResponse, RequestError, _accepted, _body, _error,
                                         _media_ranges, _media_type, _not_registered, _params, _quality,
                                         _wants_ide, with_code)
from ecozone.web.response_cache import PublicReads, cached_response

log = logging.getLogger("ecozone.graphql")


class GraphQLHTTP:
    def __init__(self, app_state: Any):
        self.state = app_state
        settings = app_state.settings
        self.schema = app_state.schema._schema
        self.executor_class = executor_for(self.schema)
        # Parsing, validation, variables and cost (web/graphql_prepare.py), with the document cache.
        self.preparation = Preparation(app_state, self.schema)
        # Trusted documents (ecozone/trusted/): the portal's files and the partners' registrations.
        self.trusted = TrustedDocuments(app_state.engine, settings.trusted_documents_recheck_seconds)
        # Fair use (issue 22, web/fair_use.py): handle() spends the budget before executing;
        # every answer gets the X-RateLimit-* headers. A partner's client key is checked here too.
        self.fair_use = FairUse(app_state, self.trusted)
        self.handle = self.fair_use.answering(self.handle)
        # Anonymous queries: the response cache and the read replica (issue 20, web/response_cache.py).
        self.public_reads = PublicReads(app_state, self.trusted)

    async def _execute(self, prepared: list[Prepared], request: Request,
                       keyed: idempotency.KeyedRequest | None = None,
                       connection: AsyncConnection | None = None, *, engine: Any = None,
                       hooks: Any = None) -> list[dict[str, Any]]:
        """``engine``: the read replica's for an anonymous read (else the app's); ``hooks``: the
        public read's (web/response_cache.py), told when connected and when executed."""
        state = self.state
        engine = engine or state.engine
        write = any(p.is_mutation for p in prepared)
        token = bearer(request)
        claims = await decode_token(state.settings, token) if token else None
        async with write_turn(engine, write), \
                new_session(engine, ANONYMOUS, write=write, connection=connection) as session:
            await session.begin()
            await session.connection()  # connect before any field runs: nested fields run concurrently
            if hooks is not None:
                await hooks.connected(session)
            actor = await acting(session, claims, request)
            if keyed is not None and write:  # Idempotency-Key: claim it, or answer as the first time
                await idempotency.claim(session, keyed, actor.user_id)
            responses = []
            for item in prepared:
                context = Context(session=session, actor=actor, settings=state.settings,
                                  request=request)
                # Each mutation of a batch in its own SAVEPOINT: one that fails unexpectedly is
                # undone alone, and says so (data: null), while the others are kept. Queries
                # write nothing to undo; their denials wait in the session (write_deferred).
                savepoint = await session.begin_nested() if item.is_mutation else None
                result = execute(self.schema, item.document, context_value=context,
                                 executor_class=self.executor_class, is_awaitable=is_awaitable,
                                 variable_values=item.params.variables,
                                 operation_name=item.params.operation_name,
                                 hide_suggestions=state.settings.production)
                if not isinstance(result, ExecutionResult):
                    result = await result
                await session.settle()  # statements of cancelled fields end before the transaction
                body: dict[str, Any] = {"data": result.data}
                failed = False
                if result.errors:
                    formatted = [format_error(e) for e in result.errors]
                    body["errors"] = [f for f, _ in formatted]
                    failed = any(bad for _, bad in formatted)
                if savepoint is not None and failed:
                    await savepoint.rollback()
                    body["data"] = None
                elif savepoint is not None:
                    await savepoint.commit()
                responses.append(body)
            if hooks is not None:
                hooks.executed(session)
            if keyed is not None and write:  # the answer, kept in the mutation's own transaction
                await idempotency.store(session, keyed, 200, responses if keyed.batch else responses[0])
            if write and state.settings.test_write_delay_seconds > 0:
                await _test_write_delay(session, state.settings.test_write_delay_seconds)
            if write:
                await write_deferred(state.engine, session)
            await session.commit()
        if not write:  # the read transaction is over: its audit rows take the write turn now
            await write_deferred(state.engine, session)
        return responses

    async def handle(self, request: Request) -> Response:
        started = time.perf_counter()
        media_type = JSON
        status = 200
        signed_in = bool(request.headers.get("authorization"))
        try:
            if _wants_ide(request):
                return self._ide()
            media_type = _media_type(request)
            if request.method == "GET":
                raw: Any = dict(request.query_params)
            else:
                raw = await _body(request, self.state.settings.limits.max_body_bytes)
            batch = isinstance(raw, list)
            items = raw if batch else [raw]
            limit = self.state.settings.limits.max_batch
            if batch and not 1 <= len(items) <= limit:
                raise RequestError(400, [_error(f"a batch holds 1 to {limit} operations",
                                                "BATCH_TOO_LARGE", f"批量请求须包含 1 到 {limit} 个操作")])
            get = request.method == "GET"
            params = [_params(item, from_url=get) for item in items]
            for item in params:
                await self._resolve(item, signed_in)
            prepared = [self.preparation.prepare(item, request.method) for item in params]
            keyed = self._keyed(request, prepared, batch)
            # fair use: 429 before anything runs; on PostgreSQL the request runs on the spend's connection
            async with self.fair_use.spending(request, prepared) as connection:
                responses, read = await self._answer(request, prepared, keyed, connection, batch, signed_in)
            if responses is None:  # the response cache's bytes
                response = self._cacheable(request, cached_response(read.hit.body, media_type), False, False,
                                           read.hit.etag)
                metrics.observe(request.method, response.status_code, time.perf_counter() - started)
                return response
            payload: Any = responses if batch else responses[0]
        except RequestError as exc:
            status = exc.status
            if media_type == JSON and exc.well_formed:
                status = 200
            metrics.observe(request.method, status, time.perf_counter() - started)
            return JSONResponse({"errors": exc.errors}, status_code=status, media_type=media_type,
                                headers=exc.headers)
        except ZoneRefused as exc:
            await record_zone_refusal(self.state.engine, exc)
            metrics.observe(request.method, 403, time.perf_counter() - started)
            return JSONResponse({"errors": [_error(exc.message_en, "ZONE_FORBIDDEN", exc.message_zh)]},
                                status_code=403, media_type=media_type)
        except InvalidToken as exc:
            metrics.observe(request.method, 401, time.perf_counter() - started)
            return JSONResponse({"errors": [_error(exc.message_en, "UNAUTHENTICATED", exc.message_zh)]},
                                status_code=401, media_type=media_type,
                                headers={"WWW-Authenticate": f'Bearer error="{exc.error}"'})
        except idempotency.Replay as replay:  # the key's first answer, nothing ran (issue 21)
            metrics.observe(request.method, replay.status, time.perf_counter() - started)
            return JSONResponse(replay.body, status_code=replay.status, media_type=media_type,
                                headers={idempotency.REPLAYED_HEADER: "true"})
        except idempotency.KeyProblem as exc:
            metrics.observe(request.method, exc.status, time.perf_counter() - started)
            return JSONResponse({"errors": [_error(exc.message_en, exc.code, exc.message_zh)]},
                                status_code=exc.status, media_type=media_type, headers=exc.headers)
        except Exception as exc:  # the database went away: 503, never a masked 500 (issue 21)
            if not database_unavailable(exc):
                raise
            log.warning("database unavailable during %s /graphql: %s", request.method,
                        exc.__class__.__name__)
            metrics.observe(request.method, 503, time.perf_counter() - started)
            return JSONResponse({"errors": [unavailable_error()]}, status_code=503,
                                media_type=media_type, headers=unavailable_headers())
        failed = batch or "errors" in payload
        response = JSONResponse(payload, status_code=status, media_type=media_type)
        stored = read.store(response.body, status, failed) if read is not None else None
        response = self._cacheable(request, response, signed_in, failed, stored.etag if stored else None)
        metrics.observe(request.method, response.status_code, time.perf_counter() - started)
        return response

    async def _answer(self, request: Request, prepared: list[Prepared], keyed: Any,
                      connection: AsyncConnection | None, batch: bool, signed_in: bool) -> tuple[Any, Any]:
        """(the responses, the public read): an anonymous query goes through the response cache
        (responses None: ``read.hit`` has the bytes) and the read replica (web/response_cache.py)."""
        read = await self.public_reads.plan(request, prepared, batch=batch, signed_in=signed_in,
                                            connection=connection)
        if read is None:
            return await self._execute(prepared, request, keyed, connection), None
        if read.hit is not None:
            return None, read
        return await read.run(lambda engine, hooks: self._execute(
            prepared, request, keyed, None if engine else connection, engine=engine, hooks=hooks)), read

    def _cacheable(self, request: Request, response: Response, signed_in: bool, failed: bool,
                   etag: str | None = None) -> Response:
        """HTTP caching (web/http_cache.py): an anonymous GET answered without errors is public,
        tagged, and 304 when the client has it; a signed-in answer is private, never stored."""
        if signed_in:
            return http_cache.uncacheable(response, signed_in=True)
        if request.method != "GET":
            return response  # a POST's answer is not reused by caches (RFC 9110 §9.3.3)
        if failed:
            return http_cache.uncacheable(response, signed_in=False)
        return http_cache.anonymous_get_answer(request, response,
                                               max_age=self.state.settings.http_cache_max_age, etag=etag)

    async def _resolve(self, params: GraphQLParams, signed_in: bool) -> None:
        """A document named by its id gets its registered text (unknown or revoked: a request
        error); a document sent as text by an anonymous caller may have to be registered."""
        if params.document_id is not None:
            text = await self.trusted.text_of(params.document_id)
            if text is None:
                raise RequestError(400, [_not_registered(params)], well_formed=True)
            params.query = text
            return
        trusted_only = self.state.settings.trusted_documents_only
        if not may_run_unregistered(trusted_only=trusted_only, signed_in=signed_in) \
                and not await self.trusted.is_registered(params.query):
            raise RequestError(400, [_error(
                "anonymous requests must send a registered document (documentId=sha256:…); "
                "sign in, or have the operator register it", "PERSISTED_DOCUMENT_REQUIRED",
                "匿名请求只能执行已登记的文档（documentId=sha256:…）；请登录，或请运维人员登记该文档")],
                well_formed=True)

    async def run_document(self, request: Request, query: str, variables: dict[str, Any] | None = None,
                           operation_name: str | None = None) -> dict[str, Any]:
        """One query run for a server-rendered page exactly as an anonymous ``GET /graphql`` of it:
        the same validation, limits, fair use (the visitor's address spends), scope and
        permissions. The page's credentials and zone header are dropped first: the portal is a
        public client of the API, never a second read path. A request error raises ``RequestError``."""
        prepared = [self.preparation.prepare(GraphQLParams(query, variables, operation_name, None), "GET")]
        anonymous = anonymous_request(request)
        async with self.fair_use.spending(anonymous, prepared) as connection:
            responses, read = await self._answer(anonymous, prepared, None, connection, False, False)
        request.state.rate_limit = spend_of(anonymous)
        if responses is None:
            return read.hit.answer()
        if read is not None:
            read.store_answer(responses[0])
        return responses[0]

    async def run_as(self, request: Request, username: str, zone: str | None, query: str,
                     variables: dict[str, Any] | None = None,
                     operation_name: str | None = None) -> dict[str, Any]:
        """A workspace page's query or mutation run as the signed-in ``username`` acting in ``zone``,
        exactly as their own ``POST /graphql`` with a token would run: the same validation,
        limits, fair use (the user's budget), acting-zone check, permissions, audit and one
        transaction. The browser's own headers are dropped; a token of a minute stands for the
        session (the page never hands it to the browser). ``ZoneRefused`` and ``RequestError``
        are raised for the page to answer."""
        from ecozone.auth.tokens import issue_token
        token = issue_token(self.state.settings, username, ttl_seconds=60)
        headers = [(b"authorization", f"Bearer {token}".encode())]
        if zone:
            headers.append((b"x-zone", zone.encode()))
        acting_request = anonymous_request(request, headers)
        prepared = [self.preparation.prepare(GraphQLParams(query, variables, operation_name, None), "POST")]
        async with self.fair_use.spending(acting_request, prepared) as connection:
            responses = await self._execute(prepared, acting_request, None, connection)
        return responses[0]

    def _keyed(self, request: Request, prepared: list[Prepared],
               batch: bool) -> idempotency.KeyedRequest | None:
        """The request's Idempotency-Key (malformed: 400), for mutations; queries ignore it."""
        if not any(p.is_mutation for p in prepared):
            return None
        operations = [(p.params.query, p.params.variables, p.params.operation_name) for p in prepared]
        try:
            return idempotency.keyed_request(request.headers, operations, batch,
                                             self.state.settings.idempotency_ttl_seconds)
        except idempotency.KeyProblem as exc:
            raise RequestError(exc.status, [_error(exc.message_en, exc.code, exc.message_zh)]) from None

    def _ide(self) -> Response:
        if self.state.settings.production:
            return JSONResponse({"errors": [_error("the GraphiQL IDE is off in production", "NOT_FOUND",
                                                   "生产环境不提供 GraphiQL")]}, status_code=404)
        settings = self.state.settings
        return HTMLResponse(graphiql_page(settings.env in {"development", "test"},
                                          settings.allow_introspection))


async def _test_write_delay(session: AsyncSession, seconds: float) -> None:
    """Test env only (ECOZONE_TEST_WRITE_DELAY): hold a write transaction open before it commits,
    for the fault tests to kill a worker, restart the database or stop the server meanwhile."""
    if session.bind.dialect.name == "postgresql":
        from sqlalchemy import text
        await session.execute(text("SELECT pg_sleep(:seconds)"), {"seconds": seconds})
    else:
        import asyncio
        await asyncio.sleep(seconds)
