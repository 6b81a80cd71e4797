"""The workspace through HTTP: an app per test (``env`` and settings of the test's choosing) and
a browser-like client that keeps cookies and reads forms."""

from __future__ import annotations

import contextlib
import dataclasses
import re

import httpx
import pytest

from ecozone.web.app import create_app

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class Browser:
    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    async def get(self, path: str, **kwargs) -> httpx.Response:
        return await self.client.get(path, headers={"Accept": BROWSER}, **kwargs)

    async def post(self, path: str, data: dict, **kwargs) -> httpx.Response:
        return await self.client.post(path, data=data, headers={"Accept": BROWSER}, **kwargs)

    @staticmethod
    def csrf(html: str) -> str:
        return re.search(r'name="csrf" value="([^"]*)"', html).group(1)

    async def sign_in(self, username: str, password: str, **extra) -> httpx.Response:
        page = await self.get("/workspace/sign-in")
        return await self.post("/workspace/sign-in", {"csrf": self.csrf(page.text), "username": username,
                                                     "password": password, **extra})

    async def pick(self, username: str) -> httpx.Response:
        page = await self.get("/workspace/sign-in/development")
        return await self.post("/workspace/sign-in/development", {"csrf": self.csrf(page.text),
                                                                  "username": username})


@pytest.fixture
async def browser_in(settings, app_engine, api):
    """``await browser_in(env="production", **settings_changes)``: a fresh cookie jar on an app."""
    clients = []

    async def make(env: str = "test", base_url: str = "http://ecozone.test", **changes) -> Browser:
        app = create_app(dataclasses.replace(settings, env=env, **changes), engine=app_engine)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("203.0.113.7", 4000)),
                                   base_url=base_url)
        clients.append(client)
        return Browser(client)

    yield make
    for client in clients:
        await client.aclose()


@contextlib.asynccontextmanager
async def signed_in(demo_api, username: str, zone: str | None = None):
    """A browser signed in as ``username`` through the development picker (acting in ``zone``)."""
    app = create_app(demo_api.settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ecozone.test") as client:
        browser = Browser(client)
        assert (await browser.pick(username)).status_code == 303
        if zone:
            home = await browser.get("/workspace/")
            switched = await browser.post("/workspace/zone", {"csrf": Browser.csrf(home.text), "zone": zone})
            assert switched.status_code == 303
        yield browser


@pytest.fixture
async def sign_in(demo_api):
    """``await sign_in(username)``: a browser signed in as that demo user, closed after the test."""
    stack = contextlib.AsyncExitStack()

    async def as_user(username: str, zone: str | None = None) -> Browser:
        return await stack.enter_async_context(signed_in(demo_api, username, zone))

    async with stack:
        yield as_user
