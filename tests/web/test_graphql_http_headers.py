"""The request headers of /graphql through the ASGI app: X-Zone, Authorization (bearer tokens)
and CORS."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from ecozone.web.app import create_app
from tests.web.graphql_http_support import GQL, ZONES, assert_request_error

# --- zone and token headers ---------------------------------------------------------------

async def test_x_zone_sets_the_acting_zone(api):
    data = await api.gql("{ viewer { zone { slug } } }", zone="fujian")
    assert data == {"viewer": {"zone": {"slug": "fujian"}}}


async def test_unknown_zone_is_400_in_both_languages(api):
    response = await api.post(ZONES, zone="atlantis")
    errors = assert_request_error(response)
    error = errors[0]
    assert error["extensions"]["code"] == "UNKNOWN_ZONE"
    assert "atlantis" in error["message"] and "jiangxi" in error["message"]
    assert "未知的试验区" in error["extensions"]["messageZh"]


@pytest.mark.parametrize("authorization", ["Bearer not-a-jwt", "Bearer a.b.c", "Bearer "])
async def test_bad_token_is_401_with_www_authenticate(api, authorization):
    response = await api.client.post("/graphql", json={"query": ZONES},
                                     headers={"Accept": GQL, "Authorization": authorization})
    errors = assert_request_error(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert errors[0]["extensions"]["messageZh"]


async def test_expired_token_is_401(api):
    await api.add_user("old", "jiangxi")
    response = await api.client.post("/graphql", json={"query": ZONES}, headers={
        "Accept": GQL, "Authorization": f"Bearer {api.token('old', ttl_seconds=-60)}"})
    errors = assert_request_error(response, 401)
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert "expired" in errors[0]["message"]


# --- CORS ---------------------------------------------------------------------------------

PORTAL = "https://portal.example.org"


def _preflight(origin: str) -> dict[str, str]:
    return {"Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, x-zone"}


async def test_cors_allows_configured_portals_only(settings, app_engine):
    app = create_app(dataclasses.replace(settings, cors_origins=[PORTAL]), engine=app_engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://ecozone.test") as client:
        allowed = await client.options("/graphql", headers=_preflight(PORTAL))
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == PORTAL
        assert "POST" in allowed.headers["access-control-allow-methods"]
        assert "x-zone" in allowed.headers["access-control-allow-headers"].lower()

        refused = await client.options("/graphql", headers=_preflight("https://evil.example.com"))
        assert refused.status_code == 400
        assert "access-control-allow-origin" not in refused.headers

        simple = await client.post("/graphql", json={"query": ZONES},
                                   headers={"Origin": PORTAL, "Accept": GQL})
        assert simple.headers["access-control-allow-origin"] == PORTAL
        other = await client.post("/graphql", json={"query": ZONES},
                                  headers={"Origin": "https://evil.example.com", "Accept": GQL})
        assert "access-control-allow-origin" not in other.headers


async def test_no_cors_headers_without_configured_origins(api):
    assert api.settings.cors_origins == []
    preflight = await api.client.options("/graphql", headers=_preflight(PORTAL))
    assert "access-control-allow-origin" not in preflight.headers
    response = await api.client.post("/graphql", json={"query": ZONES},
                                     headers={"Origin": PORTAL, "Accept": GQL})
    assert response.status_code == 200
    assert not any(h.startswith("access-control-") for h in response.headers)
