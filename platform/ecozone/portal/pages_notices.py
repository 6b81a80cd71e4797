"""``/notices``: projects on public notice (公示, 办法 第十条(四)) with the days left and how to
ask to join; ``/projects/{id}``: a project's public page (units, working group, standards, state)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.responses import Response

from ecozone.portal.forms import Choice, FilterForm
from ecozone.portal.pages_home import CHINA
from ecozone.portal.pages_standards import GLOBAL_ID
from ecozone.portal.rendering import Page, not_found


def today_in_china() -> dt.date:
    """Notices end on a calendar day in China, whatever the server's clock zone."""
    return dt.datetime.now(CHINA).date()


def notice_period(page: Page, ends_on: str | None, today: dt.date | None = None) -> str:
    """The notice period in words: the last day is included (projects/rules.py: notice_end)."""
    if not ends_on:
        return ""
    last_day = dt.date.fromisoformat(ends_on)
    days = (last_day - (today or today_in_china())).days + 1
    if days > 1:
        return page.t("notice_days_left", date=ends_on, days=days)
    if days == 1:
        return page.t("notice_last_day", date=ends_on)
    return page.t("notice_over", date=ends_on)


async def notices(page: Page) -> Response:
    form = FilterForm(page, {"zone": Choice.one_of([z["slug"] for z in page.zones]),
                             "after": Choice.text(max_length=200)})
    if page.zone:
        form.values["zone"] = page.zone
    if form.errors:
        return page.render("notices.html", status=400, form=form, data=None, period=notice_period)
    data = await page.query("notices", {"zone": form.values.get("zone"), "after": form.values.get("after")})
    return page.render("notices.html", form=form, data=data, period=notice_period)


async def project(page: Page) -> Response:
    project_id = page.request.path_params["project_id"]
    if not GLOBAL_ID.fullmatch(project_id):
        return not_found(page)
    data = await page.query("project", {"id": project_id})
    found: dict[str, Any] | None = data["project"]
    if not found or "titleZh" not in found:  # NotFound for drafts, forged and foreign IDs
        return not_found(page)
    return page.render("project.html", project=found, period=notice_period(page, found["noticeEndsOn"])
                       if found["state"] == "PUBLIC_NOTICE" else "")


PAGES = [
    ("/notices", notices),
    ("/projects/{project_id}", project),
]
