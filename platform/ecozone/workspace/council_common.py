"""What the council and director pages share: the HTTP status of an API refusal, times in
Beijing time with their offset, a page of a connection, and the 404 of an ID the API does not
know (or will not show) — never a 500."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response

from ecozone.workspace.page import WorkspacePage, render

BEIJING = ZoneInfo("Asia/Shanghai")
PAGE_SIZE = 20
MAX_CURSOR = 200  # a cursor longer than this is not one of the API's

# The API's failure codes and the status a page answers them with.
STATUSES = {"permission_denied": 403, "not_found": 404, "conflict": 409, "validation_failed": 400,
            "agenda_late": 409, "quorum_not_met": 409, "missing_signatures": 409}  # Conflicts of their own

TEXTS: dict[str, tuple[str, str]] = {
    "cd.not_found": ("没有找到该对象，或您无权查看。", "There is no such item, or you may not see it."),
    "cd.done": ("已完成。", "Done."),
    "cd.more": ("下一页", "Next page"),
    "cd.first_page": ("第一页", "First page"),
    "cd.total": ("共 {count} 条", "{count} in all"),
    "cd.none": ("暂无。", "None yet."),
    "cd.required": ("必填", "required"),
}


def status_of(code: str | None) -> int:
    """The status a refusal's code answers with (400 for any code not listed)."""
    return STATUSES.get(code or "", 400)


def beijing(value: str | None) -> str:
    """An API DateTime shown in Beijing time with its offset: ``2026-12-02 07:32 +08:00``."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value)  # Python 3.11 reads the "Z" of UTC
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M %z").replace("+0800", "+08:00")


def cursor(request: Request, name: str = "after") -> str | None:
    """A ``?after=`` cursor from the URL, or None (a made-up one is the API's to refuse)."""
    value = request.query_params.get(name) or None
    return value[:MAX_CURSOR] if value else None


def failure(answer: dict[str, Any] | None) -> dict[str, Any] | None:
    """The Failure in a read's answer (a union), or None when it answered its object."""
    if answer and "code" in answer and "message" in answer:
        return answer
    return None


def not_found(page: WorkspacePage) -> Response:
    return render(page, "ws_message.html", status=404, message=page.t("cd.not_found"))


def refused(page: WorkspacePage, answer: dict[str, Any]) -> Response:
    """A read the API refused, shown with its bilingual message and matching status."""
    message = answer["messageZh"] if page.language == "zh" else answer["message"]
    return render(page, "ws_message.html", status=status_of(answer.get("code")), message=message)


def with_language(page: WorkspacePage, path: str) -> str:
    """``path`` in the page's language (forms post to it, so a refusal re-renders in that language)."""
    if page.language == "zh":
        return path
    return path + ("&" if "?" in path else "?") + "lang=" + page.language


def pager_link(page: WorkspacePage, param: str, value: str | None) -> str:
    """This page's URL with the cursor ``param`` set to ``value`` (removed for None), the rest kept."""
    from urllib.parse import urlencode
    params = {k: v for k, v in page.request.query_params.items() if k not in (param, "done")}
    if value is not None:
        params[param] = value
    return page.request.url.path + ("?" + urlencode(params) if params else "")


def show(page: WorkspacePage, template: str, status: int = 200, **context: Any) -> Response:
    """``render`` with what the council and director templates use: times and pagers."""
    return render(page, template, status=status, beijing=beijing, pager_link=pager_link, **context)


def fold(errors: dict[str, str], shown: frozenset[str] | set[str]) -> dict[str, str]:
    """The refusals to draw: those of a field the form has stay beside it; any other field's (an ID
    the API names, say) joins the message above the form, so no refusal is lost."""
    from ecozone.workspace.framework import FORM
    kept = {key: text for key, text in errors.items() if key in shown}
    above = [errors[FORM]] if FORM in errors else []
    above += [text for key, text in errors.items() if key != FORM and key not in shown and text not in above]
    if above:
        kept[FORM] = "；".join(above) if all(ord(c) > 127 for c in above[0][:1]) else "; ".join(above)
    return kept
