"""Who is calling /graphql and the routes beside it: the bearer token, the acting actor, and a
request stripped of its credentials (the portal's pages run their documents anonymously)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from ecozone.auth.service import ZoneRefused, resolve_actor
from ecozone.auth.tokens import Claims, InvalidToken
from ecozone.authz.actor import Actor
from ecozone.errors import DomainError
from ecozone.web.graphql_request import RequestError, _error


async def acting(session: AsyncSession, claims: Claims | None, request: Request) -> Actor:
    """The request's actor (``resolve_actor``), an unknown zone answered as a request error."""
    try:
        return await resolve_actor(session, claims, request.headers.get("x-zone") or None)
    except (ZoneRefused, InvalidToken):
        raise
    except DomainError as exc:
        raise RequestError(400, [_error(exc.message_en, "UNKNOWN_ZONE", exc.message_zh)]) from None


# Headers that would make a page's request act as someone: a page's documents run anonymously.
_CREDENTIAL_HEADERS = {b"authorization", b"x-zone", b"cookie", b"idempotency-key"}


def anonymous_request(request: Request, headers: list[tuple[bytes, bytes]] = ()) -> Request:
    """``request`` without its credentials (and with ``headers``): the same client address
    (fair use) and URL."""
    scope = dict(request.scope)
    scope["headers"] = [(k, v) for k, v in request.scope["headers"]
                        if k.lower() not in _CREDENTIAL_HEADERS] + list(headers)
    scope["state"] = {}
    return Request(scope)


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("use the header Authorization: Bearer <token>",
                           "请使用 Authorization: Bearer <令牌> 请求头", error="invalid_request")
    return token.strip()
