"""What the member pages share (beyond ``framework``): a mutation asked with its input, where a
request the API refuses before running it is a refusal too, the page rendered with times and
links, and the bound of the project page's form, which carries a draft standard's whole text (more
than the workspace's usual form bound)."""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from ecozone.workspace import framework
from ecozone.workspace.page import WorkspacePage, render

PAGE_SIZE = 20
MAX_ID = 200  # longer than any global ID of the API's: not one of them
# A draft's text may be 500 000 characters (the API's bound); url-encoded Chinese takes nine
# bytes a character, so the project page reads its forms up to this size.
MAX_LARGE_FORM_BYTES = 5 * 1024 * 1024


async def ask(page: WorkspacePage, document: str, input_: dict[str, Any], result: str) -> framework.Outcome:
    """``framework.act`` with ``{"input": input_}``. A request the API refuses before running it (a
    NUL character in a text, the person's request budget spent) is its refusal too, shown above
    the form — and beside the field it names — never a 500."""
    from ecozone.web.graphql_request import RequestError
    try:
        return await framework.act(page, document, {"input": input_}, result)
    except RequestError as refused:
        return _request_refused(refused, page.language)


def _request_refused(refused: Any, language: str) -> framework.Outcome:
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
    return framework.Outcome(errors=errors, code="request_refused", status=refused.status)


def show(page: WorkspacePage, template: str, status: int = 200, **context: Any) -> Response:
    return render(page, template, status=status, when=framework.beijing,
                  link=lambda path, **p: framework.link(page, path, **p), **context)


def posted_id(form: dict[str, str], name: str) -> str:
    """A global ID from a form, bounded (the API answers NotFound for anything it does not know)."""
    return form.get(name, "").strip()[:MAX_ID]
