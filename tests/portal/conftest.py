"""Fixtures of the portal's browser tests: the real app serving the demo data, Debian's Chromium.

The demo data is ``demo_database`` (tests/support/demo_fixtures.py: ``ecozone demo``'s loader,
once per engine into a template, a fresh copy per test module); the checks without a browser
use ``demo_api`` over the same data through ASGI.

- ``live_server``: ``ecozone serve`` on a free loopback port over that copy;
- ``browser``: Chromium from the operating system through Playwright; where it is not installed
  every browser test is skipped with one line saying how to install it;
- ``page`` / ``phone_page`` / ``tab`` (both, in turn): a fresh context at desktop (1280×800) or
  phone (375×812) width whose requests are recorded; a test fails if any left for a host other
  than the app or if a script on the page threw.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from types import SimpleNamespace

import pytest

from tests.support.browser import (
    DESKTOP,
    INSTALL_HINT,
    PHONE,
    LiveServer,
    chromium,
    chromium_available,
    new_page,
    start_server,
)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Without Chromium every browser test is skipped here, before its fixtures load the demo, with
    one and the same reason and place: pytest folds them into one line (a skip raised by a fixture
    is reported at each test's own line)."""
    if "browser" in item.fixturenames and not chromium_available():
        pytest.skip(INSTALL_HINT)


@pytest.fixture(scope="module")
def live_server(demo_database, tmp_path_factory) -> Iterator[LiveServer]:
    """``ecozone serve`` over this module's copy of the demo data."""
    if not chromium_available():  # the server is there for the browser only
        pytest.skip(INSTALL_HINT)
    server = start_server(database_url=demo_database.app_url,
                          operator_url=demo_database.operator_url,
                          secret=f"test-{uuid.uuid4().hex}-{uuid.uuid4().hex}",
                          directory=tmp_path_factory.mktemp("portal-server"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
async def browser():
    if not chromium_available():
        pytest.skip(INSTALL_HINT)
    from playwright.async_api import async_playwright
    async with async_playwright() as playwright, chromium(playwright) as launched:
        yield launched


async def _opened(browser, live_server, **options) -> AsyncIterator[SimpleNamespace]:
    context, page, log = await new_page(browser, live_server, **options)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield SimpleNamespace(page=page, requests=log, script_errors=errors, server=live_server)
    await context.close()
    # Every journey also checks that the page stayed on the app and its scripts did not throw.
    assert not log.foreign(), f"requests left for other hosts: {log.foreign()}"
    assert not errors, f"script errors: {errors}"


@pytest.fixture
async def page(browser, live_server) -> AsyncIterator[SimpleNamespace]:
    """A desktop-width tab (1280×800): ``.page`` (Playwright), ``.requests``, ``.server``."""
    async for opened in _opened(browser, live_server, viewport=DESKTOP):
        yield opened


@pytest.fixture
async def phone_page(browser, live_server) -> AsyncIterator[SimpleNamespace]:
    """A phone-width tab (375×812, touch, 2× pixels)."""
    async for opened in _opened(browser, live_server, viewport=PHONE, phone=True):
        yield opened


@pytest.fixture(params=["desktop", "phone"])
async def tab(request, browser, live_server) -> AsyncIterator[SimpleNamespace]:
    """The same journey at a desktop's width (1280×800) and at a phone's (375×812)."""
    phone = request.param == "phone"
    async for opened in _opened(browser, live_server, viewport=PHONE if phone else DESKTOP, phone=phone):
        opened.phone = phone
        yield opened
