"""``/experts``: the expert directory: public fields only (the API returns null for what an
expert keeps to partners or to themselves), search by Chinese name, pinyin or initials (the
API's ``experts(filter: {text})`` matches each, e.g. 张三丰, zhang, zsf), field, category, zone."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ecozone.portal.forms import Choice, FilterForm
from ecozone.portal.pages_standards import CATEGORIES, FRAGMENT_HEADER
from ecozone.portal.rendering import Page

MAX_TEXT = 100  # the API's own limit on search text (db/text_search.py)


def experts_form(page: Page) -> FilterForm:
    return FilterForm(page, {
        "q": Choice.text(max_length=MAX_TEXT),
        "field": Choice.text(max_length=MAX_TEXT),
        "category": Choice.one_of(CATEGORIES),
        "zone": Choice.one_of([z["slug"] for z in page.zones]),
        "after": Choice.text(max_length=200),
    })


async def experts(page: Page) -> Response:
    form = experts_form(page)
    if page.zone:
        form.values["zone"] = page.zone
    if form.errors:
        return page.render("experts.html", status=400, form=form, data=None, categories=[])
    values = form.values
    data = await page.query("experts", {
        "filter": {"text": values.get("q"), "field": values.get("field"), "category": values.get("category"),
                   "zone": values.get("zone")},
        "after": values.get("after")})
    template = "experts_results.html" if page.request.headers.get(FRAGMENT_HEADER) else "experts.html"
    return page.render(template, form=form, data=data, categories=_categories(data))


def _categories(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The categories' names as the API gives them, in the Measures' order."""
    named = {edge["node"]["category"]["code"]: edge["node"]["category"]
             for edge in (data.get("catalogVersions") or {}).get("edges", [])}
    return [named[code] for code in CATEGORIES if code in named]


PAGES = [
    ("/experts", experts),
]
