"""``/`` and ``/{zone}/``: the latest of everything, and the year's figures."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from starlette.responses import Response

from ecozone.portal.rendering import Page

CHINA = ZoneInfo("Asia/Shanghai")


def this_year() -> int:
    """The year in China, where the base counts its years (not the server's clock zone)."""
    return dt.datetime.now(CHINA).year


async def home(page: Page) -> Response:
    year = this_year()
    data = await page.query("home", {"zone": page.zone, "year": year})
    return page.render("home.html", year=year, data=data)
