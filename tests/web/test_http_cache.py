"""HTTP caching of anonymous reads (issue 15): ETag, Cache-Control, Vary, 304 — the pure
helpers (web/http_cache.py, RFC 9110 §13.1.2) and through HTTP on both databases, with the
tags a hostile or confused client sends."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import replace

import httpx
import pytest
from ecozone.web.app import create_app
from ecozone.web.http_cache import etag_for, if_none_match_matches

GQL = "application/graphql-response+json"
ZONE = "query Zone($slug: String!) { zone(slug: $slug) { slug nameEn } }"
ZONES = "{ zones { totalCount } }"


def test_the_tag_is_strong_and_the_bytes_hash():
    tag = etag_for(b'{"data":{}}')
    digest = base64.urlsafe_b64encode(hashlib.sha256(b'{"data":{}}').digest()).rstrip(b"=").decode()
    assert tag == f'"{digest}"' and not tag.startswith("W/")
    assert etag_for(b'{"data":{} }') != tag


TAG = '"abc"'


@pytest.mark.parametrize("header, matches", [
    (None, False), ("", False),
    ('"abc"', True), ('W/"abc"', True),            # weak comparison: W/ does not matter
    ("*", True), (" * ", True),
    ('"x", "abc"', True), ('"x","abc"', True), ('W/"x", W/"abc" ', True),
    ('"abd"', False), ('"ab"', False), ('"abc "', False), ('"x", "y"', False),
    ("abc", False),                                 # unquoted: not an entity-tag
    ('"abc', False), ('w/"abc"', False),            # W/ is case-sensitive
    ('"abc", garbage', False), ('garbage, "abc"', False),  # not a valid list: ignored
    ('"abc" "abc"', False), ("*, \"abc\"", False), ('"a"bc"', False),
    ('"\x7f"', False),
])
def test_if_none_match(header, matches):
    assert if_none_match_matches(header, TAG) is matches


def test_a_malformed_current_tag_never_matches():
    assert not if_none_match_matches('"abc"', "abc")


@pytest.fixture
async def make_client(settings, app_engine):
    clients = []

    async def make(**changes) -> httpx.AsyncClient:
        app = create_app(replace(settings, **changes), engine=app_engine)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ecozone.test")
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


async def get(client: httpx.AsyncClient, query: str, variables: dict | None = None, **headers) -> httpx.Response:
    params = {"query": query}
    if variables is not None:
        params["variables"] = json.dumps(variables)
    return await client.get("/graphql", params=params, headers={"Accept": GQL, **headers})


async def test_an_anonymous_get_is_tagged_and_revalidated_with_304(api):
    first = await get(api.client, ZONES)
    assert first.status_code == 200 and first.json() == {"data": {"zones": {"totalCount": 4}}}
    tag = first.headers["etag"]
    assert tag == etag_for(first.content)
    assert first.headers["cache-control"] == "public, max-age=0, must-revalidate"
    assert [v.strip() for v in first.headers["vary"].split(",")][:3] == ["Accept", "Authorization", "X-Zone"]
    again = await get(api.client, ZONES, **{"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag and again.headers["cache-control"] == first.headers["cache-control"]
    assert "vary" in again.headers and "x-ratelimit-remaining" in again.headers  # the budget still shows
    for header in (f"W/{tag}", f'"nope", {tag}', "*"):
        assert (await get(api.client, ZONES, **{"If-None-Match": header})).status_code == 304, header


async def test_max_age_comes_from_the_setting(make_client):
    client = await make_client(http_cache_max_age=60)
    response = await get(client, ZONES)
    assert response.headers["cache-control"] == "public, max-age=60, must-revalidate"


@pytest.mark.parametrize("header", ['garbage', '"', 'W/', '"x" "y"', "\u00e9\u00e9", ",", "*, *",
                                    '"' + "a" * 5000 + '"'])
async def test_garbage_in_if_none_match_gets_the_whole_answer(api, header):
    response = await get(api.client, ZONES, **{"If-None-Match": header.encode("utf-8")})
    assert response.status_code == 200, header
    assert response.json() == {"data": {"zones": {"totalCount": 4}}}


async def test_a_tag_of_another_answer_is_not_a_match(api):
    jiangxi = await get(api.client, ZONE, {"slug": "jiangxi"})
    guizhou = await get(api.client, ZONE, {"slug": "guizhou"})
    assert jiangxi.headers["etag"] != guizhou.headers["etag"]
    response = await get(api.client, ZONE, {"slug": "guizhou"}, **{"If-None-Match": jiangxi.headers["etag"]})
    assert response.status_code == 200 and response.json()["data"]["zone"]["slug"] == "guizhou"
    # another media type is other bytes: the tag of the JSON answer does not revalidate it
    legacy = await get(api.client, ZONES, Accept="application/json")
    modern = await get(api.client, ZONES)
    assert legacy.headers["content-type"] != modern.headers["content-type"]


async def test_an_anonymous_answer_in_another_zone_is_the_same_public_answer(api):
    # anonymous visitors see the same in every zone (issue 13): the same bytes, the same tag
    plain = await get(api.client, ZONES)
    in_hainan = await get(api.client, ZONES, **{"X-Zone": "hainan", "If-None-Match": plain.headers["etag"]})
    assert in_hainan.status_code == 304


async def test_signed_in_answers_are_private_and_never_304(api):
    await api.add_user("gz_secretary", "guizhou", "secretary")
    public = await get(api.client, ZONES)
    tag = public.headers["etag"]
    for header in (tag, "*", f"W/{tag}"):
        response = await get(api.client, ZONES, **{"If-None-Match": header},
                             Authorization=f"Bearer {api.token('gz_secretary')}")
        assert response.status_code == 200, header
        assert response.json() == public.json()
        assert response.headers["cache-control"] == "private, no-store"
        assert "etag" not in response.headers
    posted = await api.post(ZONES, user="gz_secretary")
    assert posted.headers["cache-control"] == "private, no-store"


async def test_posts_and_request_errors_are_not_tagged(api):
    posted = await api.post(ZONES)
    assert posted.status_code == 200 and "etag" not in posted.headers
    # request errors are never tagged nor 304, whatever the client holds
    bad = await get(api.client, "{ nope }", **{"If-None-Match": "*"})
    assert bad.status_code == 400 and "etag" not in bad.headers
