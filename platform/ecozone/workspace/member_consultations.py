"""``/workspace/consultations``: the consultations open for comments; ``/workspace/consultations/{id}``:
what is consulted — the latest draft of a standard, or a document's articles, as the API gives
them — its comments, and a comment by clause with the proposed change (``postComment``).

The clause field suggests the clause numbers found at the start of the text's lines (``3.1``,
``第五条``); any other clause may be typed, the API checks it."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ecozone.workspace import framework
from ecozone.workspace.framework import cursor, failure, link, refused
from ecozone.workspace.member_common import PAGE_SIZE, ask, show
from ecozone.workspace.page import WorkspacePage

LIST_PATH = "/workspace/consultations"
PATH = "/workspace/consultations/{id}"
COMMENT_FIELDS = ("clause", "text", "proposedChange", "proposerUnit")
MAX_VALUE = 20_000  # past every bound of the API's: it names the limit, the page keeps the text
MAX_CLAUSES = 300
CLAUSE = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})*|第[一二三四五六七八九十百零〇\d]{1,6}[章条])(?=[\s　]|$)")


def clauses(text: str | None) -> list[str]:
    """Clause numbers at the start of ``text``'s lines, each once, in order of appearance."""
    found: list[str] = []
    for line in (text or "").splitlines():
        match = CLAUSE.match(line)
        if match and match.group(1) not in found:
            found.append(match.group(1))
            if len(found) == MAX_CLAUSES:
                break
    return found


async def consultations_page(workspace: Any, request: Request) -> Response:
    page = await framework.open_page(workspace, request)
    if isinstance(page, Response):
        return page
    answer = (await page.query("member_consultations", {"first": PAGE_SIZE, "after": cursor(request)}))["consultations"]
    if failure(answer):
        return refused(page, answer)
    info = answer["pageInfo"]
    return show(page, "ws_member_consultations.html", connection=answer, paged=bool(cursor(request)),
                more=link(page, LIST_PATH, after=info["endCursor"]) if info["hasNextPage"] else None)


async def consultation_page(workspace: Any, request: Request) -> Response:
    opened = await framework.open_page_and_form(workspace, request)
    if isinstance(opened, Response):
        return opened
    page, form = opened
    consultation_id = request.path_params["consultation_id"][:200]
    if form is None:
        return await _render(page, consultation_id, done=request.query_params.get("done") == "commented")
    values = {key: form.get(key, "")[:MAX_VALUE] for key in COMMENT_FIELDS}
    answer = await ask(page, "member_post_comment", {
        "consultationId": consultation_id, "clause": values["clause"], "text": values["text"],
        "proposerUnit": values["proposerUnit"], "proposedChange": values["proposedChange"].strip() or None,
    }, "postComment")
    if answer.ok:
        return framework.done(page, PATH.format(id=consultation_id), done="commented")
    return await _render(page, consultation_id, status=answer.status, values=values, errors=answer.errors)


async def _render(page: WorkspacePage, consultation_id: str, *, status: int = 200, done: bool = False,
                  values: dict[str, str] | None = None, errors: dict[str, str] | None = None) -> Response:
    after = cursor(page.request)
    consultation = (await page.query("member_consultation", {"id": consultation_id, "first": PAGE_SIZE,
                                                             "after": after}))["consultation"]
    if failure(consultation):
        return refused(page, consultation)  # a made-up ID, or one this person may not see: 404
    standard, text = None, None
    if consultation["document"]:
        text = consultation["document"]["articles"]
    elif consultation["subjectType"] == "standard":
        found = (await page.query("member_consulted_standard", {"id": consultation["subjectId"]}))["standard"]
        if not failure(found):
            standard = found
            text = (found.get("latestVersion") or {}).get("text")
    comments = consultation["comments"]
    if failure(comments):
        return refused(page, comments)
    info = comments["pageInfo"]
    path = PATH.format(id=consultation["id"])
    return show(page, "ws_member_consultation.html", status=status, consultation=consultation,
                standard=standard, text=text, clauses=clauses(text), comments=comments, done=done,
                values=values or {}, errors=errors or {}, fields=COMMENT_FIELDS, action=link(page, path),
                paged=bool(after), first_page=link(page, path),
                more=link(page, path, after=info["endCursor"]) if info["hasNextPage"] else None)
