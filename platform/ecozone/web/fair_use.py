"""Fair use over HTTP (issue 22): who is asking, what the request costs, 429, the headers.

Two hooks in the GraphQL-over-HTTP view (graphql_http.py), nothing else there:

- ``FairUse.spending(request, prepared)`` is entered after the operations are prepared (parsed,
  validated, variables coerced, cost estimated) and before anything executes: it spends their
  cost from the client's budget (``fairuse/budget.py``: one statement) or raises a 429 request
  error, so that nothing runs and nothing is written; on PostgreSQL it yields the connection
  that spent, for the request to run on (no second checkout).
- ``FairUse.answering(handle)`` wraps the view: every answer carries the client's budget in
  GitHub's ``X-RateLimit-*`` headers. A request refused before its cost was known (it cannot be
  parsed or validated, a bad token …) is charged 1, so that its answer has the headers too.

Who the client is: a signed-in user by the token's subject, a partner's registered client by
its key (``_registered_client``: the ``X-Ecozone-Client-Key`` header, checked against the
trusted-documents registry; a wrong key is a 401), anyone else by network address (behind a reverse proxy, uvicorn's ``--proxy-headers`` gives the client's address).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import MethodType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from starlette.requests import Request
from starlette.responses import Response

from ecozone.auth.tokens import InvalidToken, decode_token
from ecozone.db.unavailable import database_unavailable
from ecozone.web.caller import bearer
from ecozone.fairuse.budget import Budgets, Client, Spend, address_client, registered_client, user_client

CODE = "RATE_LIMITED"
BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")  # the zones' time: messages say it
# The header convention: GitHub's (see README, "Fair use"); X-RateLimit-Cost is ours.
# A partner's registered client proves itself with this header (README, "Fair use").
CLIENT_KEY_HEADER = "X-Ecozone-Client-Key"
HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Used", "X-RateLimit-Reset",
           "X-RateLimit-Cost")


def rate_limit_headers(spend: Spend) -> dict[str, str]:
    return {"X-RateLimit-Limit": str(spend.limit), "X-RateLimit-Remaining": str(spend.remaining),
            "X-RateLimit-Used": str(spend.used), "X-RateLimit-Reset": str(spend.reset),
            "X-RateLimit-Cost": str(spend.cost)}


def reset_time(spend: Spend) -> dt.datetime:
    return dt.datetime.fromtimestamp(spend.reset, BEIJING)


def _per(seconds: int) -> tuple[str, str]:
    if seconds == 3600:
        return "per hour", "每小时"
    return f"per {seconds} s", f"每 {seconds} 秒"


def exhausted_error(spend: Spend, window_seconds: int) -> dict[str, Any]:
    """The typed, bilingual error of a 429: what the budget is and when it resets."""
    at = reset_time(spend).isoformat()
    per_en, per_zh = _per(window_seconds)
    return {
        "message": f"This client's query budget is spent ({spend.limit} {per_en}, {spend.used} used); "
                   f"this request would cost {spend.cost}. It resets at {at}, in {spend.retry_after} s.",
        "extensions": {
            "code": CODE,
            "messageZh": f"本客户端的查询额度已用完（{per_zh} {spend.limit} 点，已用 {spend.used} 点），"
                         f"本次请求需 {spend.cost} 点；额度将于北京时间 {at} 重置（{spend.retry_after} 秒后）。",
            "resetAt": at, "retryAfter": spend.retry_after, "limit": spend.limit,
            "remaining": spend.remaining, "cost": spend.cost,
        },
    }


class InvalidClientKey(Exception):
    """A request presented a client key that proves nothing: answered 401, typed."""


async def _registered_client(request: Request, trusted: Any) -> str | None:
    """A partner's registered client key, proven by ``X-Ecozone-Client-Key: <client>.<secret>``
    (``ecozone documents register`` creates the client and prints its key once); None when the
    request sends none. A key that is not a registered, unrevoked client's: ``InvalidClientKey``."""
    raw = request.headers.get(CLIENT_KEY_HEADER)
    if raw is None or trusted is None:
        return None
    name = await trusted.client_of_key(raw)
    if name is None:
        raise InvalidClientKey()
    return name


def invalid_client_key_error() -> dict[str, Any]:
    return {"message": f"the {CLIENT_KEY_HEADER} header is not a registered client's key "
                       "(<client>.<secret>, as `ecozone documents register` printed it); "
                       "send none to be counted by network address",
            "extensions": {"code": "INVALID_CLIENT_KEY",
                           "messageZh": f"{CLIENT_KEY_HEADER} 请求头不是已登记客户端的密钥（格式为 <客户端>.<密钥>，"
                                        "由 `ecozone documents register` 打印）；不发送则按网络地址计算额度"}}


def _connection_lost(connection: AsyncConnection, error: BaseException) -> bool:
    """The spend failed because its connection is dead (asyncpg marks it closed), not for
    anything the statement did."""
    if not database_unavailable(error):
        return False
    try:
        driver = connection.sync_connection.connection.driver_connection
    except Exception:  # already invalidated
        return True
    is_closed = getattr(driver, "is_closed", None)
    return bool(is_closed is not None and is_closed())


def spend_of(request: Request | None) -> Spend | None:
    """The request's spend, once ``FairUse.spend`` ran (``viewer { rateLimit }`` reads it)."""
    state = getattr(request, "state", None)
    return getattr(state, "rate_limit", None) if state is not None else None


class FairUse:
    def __init__(self, state: Any, trusted: Any = None):
        from ecozone.web import graphql_http  # the view imports this module: import it back late
        self._http = graphql_http
        self.settings = state.settings
        self.limits = state.settings.rate_limits
        self.enabled = self.limits.enabled
        self.budgets = Budgets(state.engine, self.limits)
        self.trusted = trusted  # ecozone.trusted.registry.TrustedDocuments: the client keys

    @property
    def clock(self):
        return self.budgets.clock

    @clock.setter
    def clock(self, clock) -> None:  # tests: a replaceable clock (Unix seconds)
        self.budgets.clock = clock

    async def client_of(self, request: Request, *, lenient: bool = False) -> Client:
        """Whose budget ``request`` spends; an invalid token is a 401 (``lenient``: the address)."""
        try:
            token = bearer(request)
            claims = await decode_token(self.settings, token) if token else None
        except InvalidToken:
            if not lenient:
                raise
            claims = None
        if claims is not None:
            return user_client(claims.subject, claims.external)
        try:
            key = await _registered_client(request, self.trusted)
        except InvalidClientKey:
            if not lenient:
                raise self._http.RequestError(401, [invalid_client_key_error()]) from None
            key = None
        if key is not None:
            return registered_client(key)
        return address_client(request.client.host if request.client else None)

    def cost_of(self, prepared: list[Any]) -> int:
        """The limits' estimate of each operation, plus ``mutation_cost`` for a mutation."""
        mutation = self.limits.mutation_cost
        return max(1, sum(getattr(p, "cost", 1) + (mutation if p.is_mutation else 0) for p in prepared))

    @asynccontextmanager
    async def spending(self, request: Request, prepared: list[Any]) -> AsyncIterator[AsyncConnection | None]:
        """Spend the prepared operations' cost before they run, or refuse them all: 429.

        Yields the connection the request is to run on: on PostgreSQL the one that spent,
        checked out once for both (the spend is autocommitted on it before the request's
        transaction begins: one round trip, and the counter's row is locked for that statement
        only, never across the request); None elsewhere (the request checks out its own)."""
        if not self.enabled:
            yield None
            return
        client, cost = await self.client_of(request), self.cost_of(prepared)
        if self.budgets.sqlite:
            self._settle(request, await self.budgets.spend(client, cost))
            yield None
            return
        connection, spend = await self._spend_on_a_connection(client, cost)
        try:
            self._settle(request, spend)
            yield connection
        finally:
            await connection.close()

    async def _spend_on_a_connection(self, client: Client, cost: int) -> tuple[AsyncConnection, Spend]:
        """A pooled connection, and the spend made on it. The spend is the first statement sent
        on the connection, for every request (anonymous or signed in): when it finds the
        connection dead (the server closed it unnoticed), that one is given up and the spend
        sent again, once, on a fresh one, as the session's first statement is (db/engine.py).
        The request has not run; at worst a spend the server committed just before the loss
        is counted twice."""
        for attempt in (1, 2):
            connection = await self.budgets.engine.connect()
            try:
                return connection, await self.budgets.spend(client, cost, connection)
            except BaseException as error:
                lost = attempt == 1 and _connection_lost(connection, error)
                if lost:
                    await connection.invalidate()
                await connection.close()
                if not lost:
                    raise
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _settle(self, request: Request, spend: Spend) -> None:
        request.state.rate_limit = spend
        if not spend.accepted:
            raise self._http.RequestError(
                429, [exhausted_error(spend, self.limits.window_seconds)],
                {**rate_limit_headers(spend), "Retry-After": str(spend.retry_after)})

    def answering(self, handle):
        """``handle`` whose every answer (but the IDE's page) carries the budget's headers; still
        a method of the view (``handle.__self__``), as the route's endpoint was."""
        async def handle_with_budget_headers(_view: Any, request: Request) -> Response:
            response = await handle(request)
            if not self.enabled or response.media_type == "text/html":
                return response
            spend = spend_of(request)
            if spend is None:  # refused before its cost was known: it costs 1
                client = await self.client_of(request, lenient=True)
                spend = await self.budgets.spend(client, 1)
            raw = response.raw_headers
            if not any(name == b"x-ratelimit-limit" for name, _ in raw):  # a 429 carries them already
                raw.extend((name.lower().encode(), value.encode())
                           for name, value in rate_limit_headers(spend).items())
            return response
        return MethodType(handle_with_budget_headers, handle.__self__)
