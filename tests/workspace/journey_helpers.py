"""What the workspace's Chromium journeys share: a person signed in through the development
picker in a context of their own (cookies never shared between people), the workspace's words
from its own table (a reworded label does not break a journey, a missing one does), and the
app's API asked anonymously or as someone (``demo_api``, over the same database).

Every context also fails its journey if a request left for another host or a script threw."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from types import SimpleNamespace

from ecozone.workspace.registry import texts
from playwright.async_api import expect

from tests.support.browser import new_page


def zh(key: str) -> str:
    return texts()[key][0]


@contextlib.asynccontextmanager
async def person(browser, server, username: str | None = None) -> AsyncIterator[SimpleNamespace]:
    """A fresh browser context; signed in as ``username`` through the demo-user picker, or
    anonymous when ``username`` is None."""
    context, page, log = await new_page(browser, server)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        if username is not None:
            await page.goto("/workspace/sign-in/development")
            await page.get_by_label(zh("username")).select_option(username)
            await page.get_by_role("button", name=zh("pick")).click()
            await expect(page.get_by_role("navigation")).to_contain_text(zh("sign_out"))
        yield SimpleNamespace(page=page, username=username, errors=errors)
    finally:
        await context.close()
    assert not log.foreign(), f"requests left for other hosts: {log.foreign()}"
    assert not errors, f"script errors: {errors}"


async def ok(demo_api, query: str, variables: dict | None, user: str | None, zone: str | None = None) -> dict:
    """Ask the API (as ``user`` in ``zone``, or anonymously): the facts a page must show."""
    return await demo_api.gql(query, variables or {}, user=user, zone=zone)


async def submit(page, button) -> None:
    """Click a form's button and wait for the page it leads to (POST, then the 303's GET): the
    next check reads that page, never the one the click left."""
    async with page.expect_navigation() as navigation:
        await button.click()
    answer = await navigation.value
    assert answer is not None and answer.status == 200, (answer.status if answer else None, page.url)
