"""What the expert's pages share: times in Beijing time with their offset, the language suffix of
links, the 404 page and a form's value bounded before it is sent."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from starlette.responses import Response

from ecozone.workspace.page import WorkspacePage
from ecozone.workspace.page import render as render_page

BEIJING = ZoneInfo("Asia/Shanghai")
MAX_TEXT = 4000  # longer than any field the API accepts: the API names the limit, not the page


def beijing(value: str | None) -> str:
    """An API time (UTC with its offset) as Beijing time with the offset shown, to the minute."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value).astimezone(BEIJING)
    return moment.strftime("%Y-%m-%d %H:%M") + " (UTC+08:00)"


def lang_query(page: WorkspacePage, first: str = "?") -> str:
    """``?lang=en`` (or ``&lang=en``) for English pages; nothing for Chinese, the default."""
    return f"{first}lang=en" if page.language == "en" else ""


def text(form: dict[str, str], key: str) -> str:
    return form.get(key, "").strip()[:MAX_TEXT]


def render(page: WorkspacePage, template: str, status: int = 200, **context: Any) -> Response:
    return render_page(page, template, status=status, beijing=beijing, lang_query=lang_query(page),
                       lang_amp=lang_query(page, "&"), **context)


def not_found(page: WorkspacePage, message: str | None = None) -> Response:
    """The 404 page: a made-up ID, or one of somebody else's, says only that there is no such thing."""
    return render(page, "ws_expert_missing.html", status=404, message=message or page.t("expert.not_found"))
