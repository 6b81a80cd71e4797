"""What the browser journeys share: the interface's words (from the portal's own table, so a
reworded label does not break a journey but a missing one does), the demo data as the API tells
it, and checks every page must pass."""

from __future__ import annotations

import re
from typing import Any

import httpx

from ecozone.portal.i18n import TEXTS


def zh(key: str) -> str:
    return TEXTS[key][0]


def en(key: str) -> str:
    return TEXTS[key][1]


def words(key: str) -> re.Pattern[str]:
    """The interface's words for ``key`` in either language (a journey may switch)."""
    return re.compile("|".join(re.escape(w) for w in TEXTS[key]))


async def api(server, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """Ask the live app's GraphQL API anonymously: the figures a page must show."""
    async with httpx.AsyncClient(base_url=server.url, timeout=20) as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]


PUBLISHED = """query($filter: StandardFilterInput) { standards(first: 50, filter: $filter) {
  ... on StandardConnection { totalCount edges { node { id titleZh titleEn designations year
  releaseDate zones { zone { slug } } } } } } }"""


async def published_standards(server, **filter_: Any) -> list[dict[str, Any]]:
    data = await api(server, PUBLISHED, {"filter": {"state": "PUBLISHED", **filter_}})
    return [edge["node"] for edge in data["standards"]["edges"]]


async def standard_ids(server, **filter_: Any) -> set[str]:
    data = await api(server, PUBLISHED, {"filter": filter_})
    return {edge["node"]["id"] for edge in data["standards"]["edges"]}


async def assert_page_basics(tab, language: str = "zh") -> None:
    """The page says its language, has one h1 and the landmarks, and (on a phone) fits the
    screen's width: nothing to scroll sideways."""
    page = tab.page
    assert await page.locator("html").get_attribute("lang") == ("zh-CN" if language == "zh" else "en")
    assert await page.get_by_role("heading", level=1).count() == 1
    for role in ("banner", "navigation", "main", "contentinfo"):
        assert await page.get_by_role(role).count() >= 1, f"no {role} landmark on {page.url}"
    if getattr(tab, "phone", False):
        overflow = await page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{page.url} is {overflow}px wider than a phone's screen"


async def table_rows(table) -> list[list[str]]:
    """The text of every row's cells (header cells included), trimmed."""
    return await table.locator("tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells, c => c.textContent.trim()))")


def number_in(cells: list[str]) -> list[int]:
    found = []
    for cell in cells:
        digits = cell.replace(",", "").replace(" ", "")
        if digits.isdigit():
            found.append(int(digits))
    return found
