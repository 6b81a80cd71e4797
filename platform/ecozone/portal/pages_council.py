"""``/council``: the council's disclosed minutes and resolutions (章程 第三十、三十一条) with
their vote counts and the rule that applied; ``/council/{id}``: one disclosed meeting."""

from __future__ import annotations

import datetime as dt

from starlette.responses import Response

from ecozone.portal.forms import Choice, FilterForm
from ecozone.portal.pages_home import CHINA
from ecozone.portal.pages_standards import GLOBAL_ID
from ecozone.portal.rendering import Page, not_found


def china_today() -> dt.date:
    return dt.datetime.now(CHINA).date()


async def council(page: Page) -> Response:
    form = FilterForm(page, {"zone": Choice.one_of([z["slug"] for z in page.zones]),
                             "after": Choice.text(max_length=200)})
    if page.zone:
        form.values["zone"] = page.zone
    if form.errors:
        return page.render("council.html", status=400, form=form, data=None)
    data = await page.query("council", {"zone": form.values.get("zone"), "after": form.values.get("after")})
    return page.render("council.html", form=form, data=data, rules=rules_in_force(data, china_today()))


def rules_in_force(data: dict, today: dt.date) -> list[dict]:
    """Each rule document with the version in force ``today``: the latest whose effective date
    has come (a version adopted for a later date is shown as coming)."""
    connection = data.get("councilRuleDocuments") or {}
    documents = []
    for edge in connection.get("edges", []):
        document = edge["node"]
        versions = sorted(document["versions"], key=lambda v: (v["effectiveFrom"], v["number"]))
        current = [v for v in versions if dt.date.fromisoformat(v["effectiveFrom"]) <= today]
        coming = [v for v in versions if dt.date.fromisoformat(v["effectiveFrom"]) > today]
        documents.append({**document, "current": current[-1] if current else None, "coming": coming})
    return documents


async def publication(page: Page) -> Response:
    publication_id = page.request.path_params["publication_id"]
    if not GLOBAL_ID.fullmatch(publication_id):
        return not_found(page)
    data = await page.query("council_publication", {"id": publication_id})
    found = data["node"]
    if not found or found.get("__typename") != "CouncilPublication":  # another type's ID, or none
        return not_found(page)
    return page.render("council_publication.html", publication=found)


PAGES = [
    ("/council", council),
    ("/council/{publication_id}", publication),
]
