"""What the council and director pages share (beyond ``framework``): their words, links in the
page's language and a page of a connection."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from ecozone.workspace import framework
from ecozone.workspace.page import WorkspacePage, render

PAGE_SIZE = 20

TEXTS: dict[str, tuple[str, str]] = {
    "cd.done": ("已完成。", "Done."),
    "cd.more": ("下一页", "Next page"),
    "cd.first_page": ("第一页", "First page"),
    "cd.total": ("共 {count} 条", "{count} in all"),
    "cd.none": ("暂无。", "None yet."),
    "cd.required": ("必填", "required"),
}


def with_language(page: WorkspacePage, path: str) -> str:
    """``path`` in the page's language (forms post to it, so a refusal re-renders in that language)."""
    if page.language == "zh":
        return path
    return path + ("&" if "?" in path else "?") + "lang=" + page.language


def pager_link(page: WorkspacePage, param: str, value: str | None) -> str:
    """This page's URL with the cursor ``param`` set to ``value`` (removed for None), the rest kept."""
    params = {k: v for k, v in page.request.query_params.items() if k not in (param, "done")}
    if value is not None:
        params[param] = value
    return page.request.url.path + ("?" + urlencode(params) if params else "")


def show(page: WorkspacePage, template: str, status: int = 200, **context: Any) -> Response:
    """``render`` with what the council and director templates use: times and pagers."""
    return render(page, template, status=status, beijing=framework.beijing, pager_link=pager_link, **context)
