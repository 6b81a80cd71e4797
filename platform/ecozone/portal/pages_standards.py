"""``/standards`` (search, filters, sorting, paging; the results alone for search-as-you-type)
and ``/standards/{id}``."""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from ecozone.portal.forms import Choice, FilterForm
from ecozone.portal.rendering import Page, not_found

KINDS = ("JOINT_LOCAL", "GROUP")
STAGES = ("PROPOSAL", "DRAFTING", "CONSULTATION", "REVIEW", "APPROVAL", "PUBLISHED", "WITHDRAWN", "SUPERSEDED")
SORTS = ("RELEVANCE", "RELEASE_DATE", "NUMBER", "CREATED")
CATEGORIES = ("GRAIN", "OIL_CROPS", "VEGETABLES", "CITRUS", "TEA", "KIWIFRUIT", "HOGS", "WATERFOWL",
              "FRESHWATER_FISH", "SPECIAL_AQUATIC", "MEDICINAL_HERBS")
# The API's global IDs are base64 (standard or URL-safe alphabet), a few dozen characters.
GLOBAL_ID = re.compile(r"[A-Za-z0-9+/_=-]{1,100}")
# Requests from the page's own script (search as you type) get the results region only.
FRAGMENT_HEADER = "x-portal-fragment"


def standards_form(page: Page) -> FilterForm:
    return FilterForm(page, {
        "q": Choice.text(max_length=200),
        "zone": Choice.one_of([z["slug"] for z in page.zones]),
        "kind": Choice.one_of(KINDS),
        "category": Choice.one_of(CATEGORIES),
        "year": Choice.year(),
        "stage": Choice.one_of(STAGES),
        "sort": Choice.one_of(SORTS),
        "after": Choice.text(max_length=200),
    })


async def standards(page: Page) -> Response:
    form = standards_form(page)
    if page.zone:
        form.values.setdefault("zone", page.zone)
    if form.errors:
        return page.render("standards.html", status=400, **_choices(page), form=form, data=None,
                           categories=[])
    values = form.values
    order = None
    if values.get("sort"):
        # newest first for dates and numbers: what people look for on a portal
        direction = "DESC" if values["sort"] in ("RELEASE_DATE", "NUMBER", "CREATED") else "ASC"
        order = {"field": values["sort"], "direction": direction}
    data = await page.query("standards", {
        "filter": {"text": values.get("q"), "zone": values.get("zone"), "kind": values.get("kind"),
                   "category": values.get("category"), "year": values.get("year"),
                   "state": values.get("stage")},
        "orderBy": order, "after": values.get("after")})
    template = "standards_results.html" if page.request.headers.get(FRAGMENT_HEADER) else "standards.html"
    return page.render(template, **_choices(page), form=form, data=data, categories=_categories(data))


def _choices(page: Page) -> dict[str, list[tuple[str, str]]]:
    return {"kinds": [(k, page.t("kind." + k)) for k in KINDS],
            "stages": [(s, page.t("stage." + s)) for s in STAGES],
            "sorts": [(s, page.t("sort." + s)) for s in SORTS]}


def _categories(data: dict[str, Any]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for edge in (data.get("catalogVersions") or {}).get("edges", []):
        category = edge["node"]["category"]
        seen.setdefault(category["code"], category)
    return [seen[code] for code in CATEGORIES if code in seen]


async def standard(page: Page) -> Response:
    standard_id = page.request.path_params["standard_id"]
    if not GLOBAL_ID.fullmatch(standard_id):  # not an ID the API hands out: nothing to ask
        return not_found(page)
    data = await page.query("standard", {"id": standard_id})
    found = data["standard"]
    if not found or "titleZh" not in found:
        return not_found(page)
    return page.render("standard.html", standard=found, designations=designation_rows(found))


def designation_rows(standard: dict[str, Any]) -> list[dict[str, Any]]:
    """Each designation beside the zone whose code it carries (``DB36/T …`` under Jiangxi's
    ``DB36``); a group standard's ``T/…`` designation stands alone."""
    rows = []
    for designation in standard.get("designations") or []:
        compact = designation.replace(" ", "").upper()
        approval = next((a for a in standard["zones"]
                         if compact.startswith(a["zone"]["standardCode"].replace(" ", "").upper())), None)
        rows.append({"designation": designation, "zone": approval["zone"] if approval else None,
                     "lead": bool(approval and approval["isLead"])})
    return rows


PAGES = [
    ("/standards", standards),
    ("/standards/{standard_id}", standard),
]
