"""The portal's routes: every page at ``/…`` for the base and at ``/{zone}/…`` for a zone's own
view (its standards and notices first), in Chinese or, with ``?lang=en``, English."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ecozone.db.unavailable import database_unavailable
from ecozone.portal import (
    pages_catalogs,
    pages_certificates,
    pages_council,
    pages_experts,
    pages_home,
    pages_notices,
    pages_standards,
    pages_statistics,
)
from ecozone.portal.client import PageDataError, PortalClient
from ecozone.portal.rendering import ASSETS, Page, error_page, not_found

log = logging.getLogger("ecozone.portal")
STATIC_DIR = Path(__file__).parent / "static"
ZONES_TTL_SECONDS = 60.0  # zones change only with `ecozone tenants sync`

Handler = Callable[[Page], Awaitable[Response]]

# (path, handler) for every page; each is served at the path and at /{zone}/path.
PAGES: list[tuple[str, Handler]] = [
    ("/", pages_home.home),
    *pages_standards.PAGES,
    *pages_notices.PAGES,
    *pages_council.PAGES,
    *pages_catalogs.PAGES,
    *pages_statistics.PAGES,
    *pages_certificates.PAGES,
    *pages_experts.PAGES,
]


async def nowhere(page: Page) -> Response:
    if "text/html" not in page.request.headers.get("accept", ""):
        return PlainTextResponse("Not Found", status_code=404)
    return not_found(page)


class Portal:
    def __init__(self, view: Any):
        self.client = PortalClient(view)
        self._zones: tuple[float, list[dict[str, Any]]] = (0.0, [])

    async def zones(self, request: Request) -> list[dict[str, Any]]:
        """Every zone, through the API's own ``zones`` query, remembered for a minute."""
        fetched_at, zones = self._zones
        if not zones or time.monotonic() - fetched_at > ZONES_TTL_SECONDS:
            data = await self.client.run(request, "zones")
            zones = [edge["node"] for edge in data["zones"]["edges"]]
            self._zones = (time.monotonic(), zones)
        return zones

    def routes(self) -> list[BaseRoute]:
        """Every page at its path and in each zone's view; the assets. ``/`` itself is the API's
        landing route, which hands browsers to ``self.home`` (web/landing.py)."""
        # Assets gzipped for browsers that accept it: ECharts is 500 KB whole and 169 KB gzipped,
        # and a page with its CSS and scripts must stay under 300 KB (issue 15).
        assets = GZipMiddleware(StaticFiles(directory=STATIC_DIR), minimum_size=1024, compresslevel=6)
        table: list[BaseRoute] = [Mount(ASSETS, app=assets, name="portal-assets")]
        endpoints = [(path, self.endpoint(handler)) for path, handler in PAGES]
        # the base's pages first: /standards must not be taken for the zone "standards"
        table += [Route(path, endpoint, methods=["GET", "HEAD"]) for path, endpoint in endpoints if path != "/"]
        for path, endpoint in endpoints:
            table.append(Route("/{zone}" + path, endpoint, methods=["GET", "HEAD"]))
            if path == "/":
                table.append(Route("/{zone}", endpoint, methods=["GET", "HEAD"]))
        # anything else a browser asks for: the portal's 404 page (programs: a plain 404)
        table.append(Route("/{anything:path}", self.endpoint(nowhere), methods=["GET", "HEAD"]))
        return table

    @property
    def home(self) -> Callable[[Request], Awaitable[Response]]:
        return self.endpoint(pages_home.home)

    def endpoint(self, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def answer(request: Request) -> Response:
            page = Page(request, self)
            try:
                page.zones = await self.zones(request)
                zone = request.path_params.get("zone")
                if zone is not None:
                    if zone not in {z["slug"] for z in page.zones}:
                        return not_found(page)
                    page.zone = zone
                return await handler(page)
            except PageDataError as exc:
                if any((e.get("extensions") or {}).get("code") == "NOT_FOUND" for e in exc.errors):
                    return not_found(page)
                log.error("portal page %s: %s", request.url.path, exc)
                return error_page(page, 500, "page_error", "page_error_text")
            except Exception as exc:
                from ecozone.web.graphql_http import RequestError  # the view imports the portal
                if isinstance(exc, RequestError):
                    if exc.status == 429:
                        response = error_page(page, 429, "too_many", "too_many_text")
                        response.headers.update(exc.headers)
                        return response
                    return error_page(page, exc.status if 400 <= exc.status < 500 else 400,
                                      "bad_request", None, detail=exc.errors)
                if database_unavailable(exc):
                    response = error_page(page, 503, "unavailable", "unavailable_text")
                    response.headers["Retry-After"] = "5"
                    return response
                raise
        answer.__name__ = handler.__name__
        return answer


def routes(view: Any) -> list[BaseRoute]:
    return Portal(view).routes()
