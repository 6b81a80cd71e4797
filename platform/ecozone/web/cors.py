"""Cross-origin requests: the partner portals' origins, and local front ends in development.

``ECOZONE_CORS_ORIGINS`` lists the partner portals' origins; they are allowed in every
environment. Outside production a page served from this machine — ``http://localhost:<any
port>``, ``http://127.0.0.1:<port>`` or ``http://[::1]:<port>`` (a Vite server on
``localhost:5173``, say) — is allowed as well. Production allows the configured origins only.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import Message, Send

from ecozone.settings import Settings

# http only, any port or none, nothing after the host: `http://localhost.evil.example` and
# `https://localhost` do not match (Starlette matches the whole origin: re.fullmatch).
LOCAL_ORIGINS = r"http://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?"

ALLOW_HEADERS = ["Authorization", "Content-Type", "X-Zone", "If-None-Match", "Idempotency-Key",
                 "X-Ecozone-Client-Key"]
# What a partner's script may read of an answer (browsers hide every other header): its budget
# (web/fair_use.py, GitHub's X-RateLimit-*), when to come back, and the tag to revalidate with.
EXPOSE_HEADERS = ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Used", "X-RateLimit-Reset",
                  "X-RateLimit-Cost", "Retry-After", "ETag"]


class PartnerCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, exposing ``EXPOSE_HEADERS`` to the origins it allows only (Starlette's
    own ``expose_headers`` would be sent to every origin, refused ones too)."""

    async def send(self, message: Message, send: Send, request_headers: Headers) -> None:
        if message["type"] == "http.response.start":
            origin = request_headers.get("Origin")
            if origin is not None and self.is_allowed_origin(origin=origin):
                message.setdefault("headers", [])
                MutableHeaders(scope=message)["Access-Control-Expose-Headers"] = ", ".join(EXPOSE_HEADERS)
        await super().send(message, send, request_headers)


def local_origins_allowed(settings: Settings) -> bool:
    return not settings.production


def cors_middleware(settings: Settings) -> list[Middleware]:
    """The CORS middleware for ``settings`` (none when no origin may call the API)."""
    regex = LOCAL_ORIGINS if local_origins_allowed(settings) else None
    if not settings.cors_origins and regex is None:
        return []
    return [Middleware(PartnerCORSMiddleware, allow_origins=list(settings.cors_origins),
                       allow_origin_regex=regex, allow_methods=["GET", "POST"],
                       allow_headers=ALLOW_HEADERS, max_age=600)]
