"""CORS (issue 14): pages on localhost may call the API in development only; the configured
partner portals' origins everywhere."""

from __future__ import annotations

import dataclasses

import httpx
import pytest
from ecozone.web.app import create_app

VITE = "http://localhost:5173"
PORTAL = "https://portal.guizhou.example.cn"
QUERY = {"query": "{ zones { totalCount } }"}


@pytest.fixture
async def client_in(settings, app_engine):
    clients = []

    async def make(env: str, **changes) -> httpx.AsyncClient:
        app = create_app(dataclasses.replace(settings, env=env, **changes), engine=app_engine)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ecozone.test")
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


async def preflight(client: httpx.AsyncClient, origin: str) -> httpx.Response:
    return await client.options("/graphql", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, x-zone"})


async def simple(client: httpx.AsyncClient, origin: str) -> httpx.Response:
    return await client.post("/graphql", json=QUERY, headers={"Origin": origin})


def allowed(response: httpx.Response, origin: str) -> bool:
    return response.headers.get("access-control-allow-origin") == origin


@pytest.mark.parametrize("env", ["development", "test"])
async def test_localhost_pages_are_allowed_in_development(client_in, env):
    client = await client_in(env)
    response = await preflight(client, VITE)
    assert response.status_code == 200, response.text
    assert allowed(response, VITE)
    assert {"authorization", "content-type", "x-zone"} <= {
        h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}
    assert "POST" in response.headers["access-control-allow-methods"]
    response = await simple(client, VITE)
    assert response.status_code == 200
    assert response.json() == {"data": {"zones": {"totalCount": 4}}}
    assert allowed(response, VITE)
    for origin in ("http://127.0.0.1:3000", "http://localhost", "http://[::1]:8080"):
        assert allowed(await preflight(client, origin), origin), origin
        assert allowed(await simple(client, origin), origin), origin


async def test_look_alikes_of_localhost_are_refused_in_development(client_in):
    client = await client_in("development")
    for origin in ("http://localhost.evil.example", "http://evil.example/?http://localhost",
                   "https://localhost:5173", "http://localhost:5173.evil.example", "null"):
        response = await preflight(client, origin)
        assert response.status_code == 400, origin
        assert "access-control-allow-origin" not in response.headers, origin
        assert "access-control-allow-origin" not in (await simple(client, origin)).headers, origin


async def test_localhost_is_refused_in_production(client_in):
    client = await client_in("production", cors_origins=[PORTAL])
    response = await preflight(client, VITE)
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
    response = await simple(client, VITE)
    assert "access-control-allow-origin" not in response.headers
    # Without configured origins there is no CORS at all in production.
    bare = await client_in("production")
    assert "access-control-allow-origin" not in (await preflight(bare, VITE)).headers
    assert "access-control-allow-origin" not in (await simple(bare, VITE)).headers


async def test_configured_origins_are_allowed_in_production(client_in):
    client = await client_in("production", cors_origins=[PORTAL])
    response = await preflight(client, PORTAL)
    assert response.status_code == 200
    assert allowed(response, PORTAL)
    response = await simple(client, PORTAL)
    assert response.status_code == 200
    assert allowed(response, PORTAL)


async def test_configured_origins_are_allowed_in_development_too(client_in):
    client = await client_in("development", cors_origins=[PORTAL])
    assert allowed(await preflight(client, PORTAL), PORTAL)
    assert allowed(await preflight(client, VITE), VITE)


# A partner's script reads its budget, when to come back and the tag to revalidate with
# (issues 15 and 22): exposed to the allowed origins only; it may send If-None-Match and its key.
EXPOSED = {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-used", "x-ratelimit-reset",
           "x-ratelimit-cost", "retry-after", "etag"}


def exposed(response: httpx.Response) -> set[str]:
    return {h.strip().lower() for h in response.headers.get("access-control-expose-headers", "").split(",")
            if h.strip()}


@pytest.mark.parametrize("env", ["production", "development"])
async def test_partner_origins_may_read_the_budget_and_cache_headers(client_in, env):
    client = await client_in(env, cors_origins=[PORTAL])
    response = await client.get("/graphql", params=QUERY, headers={"Origin": PORTAL})
    assert allowed(response, PORTAL) and exposed(response) == EXPOSED
    assert {"etag", "x-ratelimit-remaining"} <= set(response.headers)
    assert "Origin" in response.headers["vary"] and "Accept" in response.headers["vary"]
    response = await simple(client, PORTAL)
    assert exposed(response) == EXPOSED
    response = await client.options("/graphql", headers={
        "Origin": PORTAL, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match, x-ecozone-client-key"})
    assert response.status_code == 200
    assert {"if-none-match", "x-ecozone-client-key"} <= {
        h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}


async def test_refused_origins_are_exposed_nothing(client_in):
    client = await client_in("production", cors_origins=[PORTAL])
    for origin in (VITE, "https://portal.guizhou.example.cn.evil.example", "null"):
        response = await client.get("/graphql", params=QUERY, headers={"Origin": origin})
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers
        assert "access-control-expose-headers" not in response.headers, origin
    # a request without Origin (a server, curl) gets no CORS headers at all
    response = await client.get("/graphql", params=QUERY)
    assert "access-control-expose-headers" not in response.headers


async def test_a_429_shows_retry_after_to_the_partner(client_in):
    from ecozone.settings import RateLimits
    client = await client_in("production", cors_origins=[PORTAL], rate_limits=RateLimits(anonymous=1))
    response = await client.get("/graphql", params=QUERY, headers={"Origin": PORTAL})
    assert response.status_code == 429 and "retry-after" in response.headers
    assert allowed(response, PORTAL) and "retry-after" in exposed(response)
