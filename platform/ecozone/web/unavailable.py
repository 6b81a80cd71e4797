"""Every HTTP route answers a database outage with a typed 503 and ``Retry-After``.

The GraphQL view maps its own (graphql_http.py, with the response's media type); this
middleware catches what any other route lets through (downloads, exports, the fair-use
headers' bookkeeping): an exception that says the database is away (db/unavailable.py)
becomes ``503 {"errors": [{"extensions": {"code": "SERVICE_UNAVAILABLE", …}}]}``; anything
else goes on to Starlette's 500, as before.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecozone.db.unavailable import database_unavailable, unavailable_error, unavailable_headers
from ecozone.web.responses import JSONResponse

log = logging.getLogger("ecozone.unavailable")


def unavailable_response(media_type: str = "application/json") -> JSONResponse:
    return JSONResponse({"errors": [unavailable_error()]}, status_code=503, media_type=media_type,
                        headers=unavailable_headers())


class DatabaseUnavailableMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            if started or not database_unavailable(exc):
                raise
            log.warning("database unavailable: %s %s: %s", scope.get("method"), scope.get("path"),
                        exc.__class__.__name__)
            await unavailable_response()(scope, receive, send)
