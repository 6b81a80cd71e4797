"""The Starlette application: /graphql, /healthz, /readyz, /metrics and the IDE's static files."""

from __future__ import annotations

import gc
import logging
from contextlib import asynccontextmanager
from dataclasses import dataclass

import strawberry
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute

from ecozone.catalogs import http as catalog_downloads
from ecozone.db.engine import create_engine
from ecozone.graphql.schema import build_schema
from ecozone.notifications.broker import make_broker
from ecozone.portal import Portal
from ecozone.settings import Settings, get_settings
from ecozone.workspace.routes import Workspace
from ecozone.web import dev_tokens, exports, landing, metrics
from ecozone.web import funds_export
from ecozone.web import feeds
from ecozone.web import trace_routes
from ecozone.web.cors import cors_middleware
from ecozone.web.graphiql import static_mount
from ecozone.web.graphql_http import GraphQLHTTP
from ecozone.web.metrics import metrics_endpoint
from ecozone.web.readiness import Readiness
from ecozone.web.subscriptions import SubscriptionsApp
from ecozone.web.unavailable import DatabaseUnavailableMiddleware

log = logging.getLogger("ecozone")


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    schema: strawberry.Schema


def tune_garbage_collector() -> None:
    """Keep the collector off the startup heap and off each request's short-lived objects.

    The schema, the ORM mappers and the pinyin dictionaries are hundreds of thousands of
    objects that live as long as the worker; with the default thresholds the collector walks
    them again every few requests (it was a third of Q2's time in bench/RESULTS.md). Frozen,
    they are never walked; a larger first generation lets a request's objects die young.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None) -> Starlette:
    settings = settings or get_settings()
    owns_engine = engine is None
    if owns_engine:
        engine = create_engine(settings.database_url,
                               random_page_cost=settings.postgresql_random_page_cost)
    state = AppState(settings=settings, engine=engine, schema=build_schema())
    metrics.count_statements(state.engine)
    graphql = GraphQLHTTP(state)
    # WS /graphql (subscriptions) and the broker that brings it events from every worker.
    subscriptions = SubscriptionsApp(state, make_broker(state.engine))

    async def healthz(_request: Request) -> JSONResponse:
        """Liveness: the process answers. The database is /readyz's business (a database
        restart must take workers out of rotation, not get them killed)."""
        return JSONResponse({"status": "ok"})

    readiness = Readiness(state.engine)

    async def readyz(_request: Request) -> JSONResponse:
        """Readiness: the database answers and its migrations are at head; 503 otherwise."""
        report = await readiness.report()
        return JSONResponse(report.body, status_code=report.status_code,
                            headers={"Cache-Control": "no-store"})

    @asynccontextmanager
    async def lifespan(_app: Starlette):
        if settings.env != "test":  # a test process builds many apps; freezing would keep them
            tune_garbage_collector()
        await subscriptions.broker.start()
        await graphql.public_reads.start()  # the data version's listener (web/response_cache.py)
        yield
        await graphql.public_reads.stop()
        await subscriptions.broker.stop()
        if owns_engine:
            await state.engine.dispose()

    # The partner portals' origins; pages on localhost too outside production (web/cors.py).
    middleware = cors_middleware(settings)
    # A database outage on any route is a typed 503 with Retry-After (issue 21), inside CORS.
    middleware.append(Middleware(DatabaseUnavailableMiddleware))
    # The base's public portal (issue 15): pages built on run_document, an anonymous client.
    portal = Portal(graphql)
    app = Starlette(routes=[
        *landing.routes(state, html_home=portal.home),  # GET / (browsers: the portal), /api, /schema.graphql
        Route("/graphql", graphql.handle, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", subscriptions),  # Route matches only http scopes
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        *exports.routes(state),
        *funds_export.routes(state),  # GET /exports/funds/{year}.xlsx: web/funds_export.py
        *catalog_downloads.routes(state),
        *dev_tokens.routes(state),  # GET /dev/tokens: development and test only
        *feeds.routes(state),  # news (Atom) and joint-meeting calendars (iCalendar): web/feeds.py
        *trace_routes.routes(state),  # POST /trace/records (NDJSON), GET /01/{gtin}/10/{lot}, /trace/{code}
        static_mount(),
        *Workspace(graphql).routes(),  # /workspace/…: sign-in and the signed-in pages (issue 16)
        *portal.routes(),  # last: /{zone}/… must not shadow any route above
    ], middleware=middleware, lifespan=lifespan)
    app.state.ecozone = state
    app.state.graphql_view = graphql
    app.state.readiness = readiness
    app.state.notifications_broker = subscriptions.broker
    return app
