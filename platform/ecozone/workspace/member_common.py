"""What the member pages share: a mutation's answer as refusals with the status they answer,
times in Beijing time with their offset, cursors from the URL, links in the page's language,
the 404 of an ID the API does not know (or will not show), and the form of the project page,
which carries a draft standard's whole text (more than the workspace's usual form bound)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response

from ecozone.workspace import framework
from ecozone.workspace.page import WorkspacePage, render

BEIJING = ZoneInfo("Asia/Shanghai")
PAGE_SIZE = 20
MAX_CURSOR = 200  # longer than any cursor of the API's: not one of them
MAX_ID = 200  # likewise for a global ID posted in a form
# A draft's text may be 500 000 characters (the API's bound); url-encoded Chinese takes nine
# bytes a character, so the project page reads its forms up to this size.
MAX_LARGE_FORM_BYTES = 5 * 1024 * 1024
# The API's failure codes and the status a page answers them with.
STATUSES = {"permission_denied": 403, "not_found": 404, "conflict": 409, "validation_failed": 400}


@dataclass
class Answer:
    """A mutation's answer: the object, or the refusals (field → message) and their code."""
    data: dict[str, Any] | None = None
    errors: dict[str, str] = field(default_factory=dict)
    code: str | None = None
    status_override: int | None = None  # a request refused before it ran: the API's own status

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def status(self) -> int:
        return self.status_override or status_of(self.code)


async def ask(page: WorkspacePage, document: str, input_: dict[str, Any], result: str) -> Answer:
    """Run the mutation ``document`` with ``input`` as the page's person. A request the API
    refuses before running it (a NUL character in a text, the person's request budget spent) is
    its refusal too, shown above the form — and beside the field it names — never a 500."""
    from ecozone.web.graphql_request import RequestError
    try:
        answer = (await page.query(document, {"input": input_}))[result]
    except RequestError as refused:
        return _request_refused(refused, page.language)
    errors = framework.refusals(answer, page.language)
    if errors:
        return Answer(errors=errors, code=answer.get("code"))
    return Answer(data=answer)


def _request_refused(refused: Any, language: str) -> Answer:
    errors: dict[str, str] = {}
    for error in refused.errors:
        extensions = error.get("extensions") or {}
        message = extensions.get("messageZh", error["message"]) if language == "zh" else error["message"]
        # "…: variables.input.text" names the field (the API's NUL refusal)
        where = re.search(r"variables\.input\.(\w+)$", error["message"])
        if where:
            from ecozone.web.text_input import MESSAGE_EN, MESSAGE_ZH
            errors.setdefault(where.group(1), MESSAGE_ZH if language == "zh" else MESSAGE_EN)
        errors.setdefault(framework.FORM, message)
    errors.setdefault(framework.FORM, str(refused))
    return Answer(errors=errors, code="request_refused", status_override=refused.status)


def status_of(code: str | None) -> int:
    return STATUSES.get(code or "", 400)


def failure(answer: dict[str, Any] | None) -> dict[str, Any] | None:
    """The Failure in a read's answer (a union), or None when it answered its object."""
    if answer and "code" in answer and "message" in answer:
        return answer
    return None


def beijing(value: str | None) -> str:
    """An API DateTime in Beijing time with its offset: ``2026-12-02 07:32 +08:00``."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value)  # Python 3.11+ reads "Z" too
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(BEIJING)
    return local.strftime("%Y-%m-%d %H:%M ") + local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]


def cursor(request: Request, name: str = "after") -> str | None:
    value = request.query_params.get(name) or None
    return value[:MAX_CURSOR] if value else None


def link(page: WorkspacePage, path: str, **params: str | None) -> str:
    """``path`` with ``params`` (empty ones dropped) in the page's language."""
    query = {key: value for key, value in params.items() if value}
    if page.language != "zh":
        query["lang"] = page.language
    return path + ("?" + urlencode(query) if query else "")


def show(page: WorkspacePage, template: str, status: int = 200, **context: Any) -> Response:
    return render(page, template, status=status, when=beijing, link=lambda path, **p: link(page, path, **p),
                  **context)


def refused(page: WorkspacePage, answer: dict[str, Any]) -> Response:
    """A read the API refused (a made-up or foreign ID: its NotFound, as a 404 page)."""
    message = answer["messageZh"] if page.language == "zh" else answer["message"]
    return render(page, "ws_message.html", status=status_of(answer.get("code")), message=message)


def posted_id(form: dict[str, str], name: str) -> str:
    """A global ID from a form, bounded (the API answers NotFound for anything it does not know)."""
    return form.get(name, "").strip()[:MAX_ID]


async def read_large_form(workspace: Any, request: Request, page: WorkspacePage) -> dict[str, str] | Response:
    """The posted form with its CSRF token checked, like ``framework.read_form``, but bounded at
    ``MAX_LARGE_FORM_BYTES``: a draft's text must fit."""
    from ecozone.workspace.sessions import csrf_valid
    form = await _large_form(request)
    if form is None or not csrf_valid(page.web_session, form.get("csrf")):
        return workspace._refused(request, 403, "csrf_failed")
    return {key: value for key, value in form.items() if key != "csrf"}


async def _large_form(request: Request) -> dict[str, str] | None:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        return None
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_LARGE_FORM_BYTES:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_LARGE_FORM_BYTES:
            return None
    try:
        pairs = parse_qsl(bytes(body).decode("utf-8"), keep_blank_values=True, max_num_fields=50)
    except (UnicodeDecodeError, ValueError):
        return None
    return dict(pairs)
