"""What the expert's pages share: a mutation's answer with the HTTP status its refusal deserves,
times in Beijing time with their offset, the language suffix of links, the 404 page and a
form's value bounded before it is sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from starlette.responses import Response

from ecozone.workspace import framework
from ecozone.workspace.page import WorkspacePage
from ecozone.workspace.page import render as render_page

BEIJING = ZoneInfo("Asia/Shanghai")
# A refusal's code → the page's status (anything else the API calls a refusal: 400).
STATUS_OF_CODE = {"not_found": 404, "permission_denied": 403, "conflict": 409, "validation_failed": 400}
MAX_TEXT = 4000  # longer than any field the API accepts: the API names the limit, not the page


@dataclass
class Answer:
    """A mutation's answer: the object, or the refusals (field → message) and their status."""
    data: dict[str, Any] | None = None
    errors: dict[str, str] = field(default_factory=dict)
    status: int = 200

    @property
    def ok(self) -> bool:
        return not self.errors


async def mutate(page: WorkspacePage, document: str, variables: dict[str, Any], result: str,
                 fields: tuple[str, ...] = ()) -> Answer:
    """``framework.act``'s work, keeping the refusal's code for the status of the page shown.
    A refusal of one of ``fields`` (the form's) is shown beside it only; any other above the form."""
    answer = (await page.query(document, variables))[result]
    errors = framework.refusals(answer, page.language)
    if not errors:
        return Answer(data=answer)
    placed = {key: message for key, message in errors.items() if key in fields}
    if placed:
        others = [message for key, message in errors.items() if key not in fields and key != framework.FORM]
        errors = {**placed, **({framework.FORM: "；".join(others)} if others else {})}
    return Answer(errors=errors, status=STATUS_OF_CODE.get(answer.get("code", ""), 400))


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
