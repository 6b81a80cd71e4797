"""``GET /`` answers with a page (HTML for browsers, JSON otherwise) and ``/schema.graphql``
serves the SDL (issue 14)."""

from __future__ import annotations

import dataclasses
import html
import re

import httpx
import pytest
from ecozone.graphql.schema import sdl
from ecozone.web.app import create_app
from ecozone.web.first_queries import FIRST_QUERIES

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
async def client_in(settings, app_engine):
    clients = []

    async def make(env: str, **changes) -> httpx.AsyncClient:
        app = create_app(dataclasses.replace(settings, env=env, **changes), engine=app_engine)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                   base_url="http://127.0.0.1:8000")
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


def links(page: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', page)


async def test_a_browser_gets_a_bilingual_accessible_page(client_in):
    client = await client_in("development")
    response = await client.get("/api", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in page and 'lang="en"' in page
    assert len(re.findall(r"<h1[ >]", page)) == 1 and "<h2" in page and "<h3" in page
    assert "国家技术标准创新基地" in page and "National Technical Standard Innovation Base" in page
    assert links(page) == ["/graphql", "/graphql", "/schema.graphql", "/healthz"]
    assert "GraphiQL" in page
    for example in FIRST_QUERIES:  # the README's first queries, ready to copy
        assert html.escape(example.curl("http://127.0.0.1:8000")) in page
        assert html.escape(example.title_zh) in page and html.escape(example.title_en) in page
    assert "TOKEN=$(.venv/bin/ecozone token jx-secretary)" in page
    assert "localhost" in page  # the CORS rule


async def test_json_for_clients_that_ask_for_it(client_in):
    client = await client_in("development")
    for accept in ("application/json", "*/*", None):
        response = await client.get("/", headers={"Accept": accept} if accept else {})
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert body["links"] == {"ide": "/graphql", "graphql": "/graphql",
                                 "schema": "/schema.graphql", "health": "/healthz"}
        assert [q["key"] for q in body["firstQueries"]] == [q.key for q in FIRST_QUERIES]
        secretary = next(q for q in body["firstQueries"] if q["user"])
        assert secretary["shell"][0].startswith("TOKEN=$(")
        assert secretary["shell"][1].startswith("curl -s http://127.0.0.1:8000/graphql")
    # The links answer.
    for path in ("/schema.graphql", "/healthz"):
        assert (await client.get(path)).status_code == 200, path
    assert (await client.get("/graphql", headers={"Accept": BROWSER})).status_code == 200


async def test_production_has_no_ide_link(client_in):
    client = await client_in("production", introspection=False)
    page = (await client.get("/api", headers={"Accept": BROWSER})).text
    assert "GraphiQL" not in page
    assert links(page) == ["/graphql", "/healthz"]  # the SDL follows introspection: off
    body = (await client.get("/", headers={"Accept": "application/json"})).json()
    assert body["links"] == {"graphql": "/graphql", "health": "/healthz"}
    assert "IDE" not in page
    assert (await client.get("/schema.graphql")).status_code == 404


async def test_production_with_introspection_publishes_the_sdl(client_in):
    client = await client_in("production", introspection=True)
    body = (await client.get("/", headers={"Accept": "application/json"})).json()
    assert body["links"] == {"graphql": "/graphql", "schema": "/schema.graphql", "health": "/healthz"}
    assert (await client.get("/schema.graphql")).status_code == 200


async def test_schema_graphql_is_the_sdl_as_utf8_text(api):
    response = await api.client.get("/schema.graphql")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == sdl()
    assert "type Query {" in response.text
    assert re.search(r"[\u4e00-\u9fff]", response.text)  # the Chinese descriptions, intact
    assert (await api.client.head("/schema.graphql")).status_code == 200
