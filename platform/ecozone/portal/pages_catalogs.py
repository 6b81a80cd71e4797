"""``/catalogs``: the eleven traceability catalogs; ``/catalogs/{category}``: one category's
indicators, encoding rules, interface and JSON Schema download. The download itself is the API's
(``/catalogs/{category}/v{number}/schema.json``, catalogs/http.py): one segment deeper, no clash."""

from __future__ import annotations

from starlette.responses import Response

from ecozone.portal.pages_standards import CATEGORIES
from ecozone.portal.rendering import Page, not_found


def slug_of(code: str) -> str:
    """A category's code as the URLs write it (``OIL_CROPS`` → ``oil_crops``, as the download's)."""
    return code.lower()


async def catalogs(page: Page) -> Response:
    data = await page.query("catalogs")
    versions = {}
    connection = data["catalogVersions"]
    for edge in connection.get("edges", []):
        versions[edge["node"]["category"]["code"]] = edge["node"]
    ordered = [versions[code] for code in CATEGORIES if code in versions]  # the Measures' order
    return page.render("catalogs.html", catalogs=ordered, failure=None if "edges" in connection else connection,
                       slug_of=slug_of)


async def catalog(page: Page) -> Response:
    slug = page.request.path_params["category"]
    code = slug.upper()
    if slug != slug_of(code) or code not in CATEGORIES:  # one spelling per page: tea, not TEA
        return not_found(page)
    data = await page.query("catalog", {"category": code})
    found = data["catalog"]
    if not found or "indicators" not in found:
        return not_found(page)
    versions = [edge["node"] for edge in (data["catalogVersions"] or {}).get("edges", [])
                if edge["node"]["state"] in ("PUBLISHED", "SUPERSEDED")]
    return page.render("catalog.html", catalog=found, versions=sorted(versions, key=lambda v: -v["number"]),
                       slug=slug)


PAGES = [
    ("/catalogs", catalogs),
    ("/catalogs/{category}", catalog),
]
