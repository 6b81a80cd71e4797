"""``/workspace/comments``: the comments the signed-in person wrote on consultations, with the
decision when there is one; ``/workspace/comments/{id}``: one of them, edited (``updateComment``)
or withdrawn (``withdrawComment``) while the consultation is open and the comment undecided.

The list is the API's ``viewer { comments }`` (the person's own, newest first, a page at a time,
each with its consultation), shown grouped by consultation."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from ecozone.workspace import framework
from ecozone.workspace.expert_common import not_found, render, text

PATH = "/workspace/comments"
FIELDS = ("clause", "text", "proposerUnit", "proposedChange")
MAX_ID = 200


def routes(workspace: Any) -> list:
    return [framework.page_route(PATH, comments_page, workspace),
            framework.page_route(PATH + "/{comment_id:path}", comment_page, workspace, methods=("GET", "POST"))]


def comment_path(comment_id: str) -> str:
    return f"{PATH}/{quote(comment_id, safe='')}"


def editable(comment: dict[str, Any], consultation: dict[str, Any]) -> bool:
    """What the API allows, said before asking: the author's, undecided, not withdrawn, still open."""
    return bool(comment["isMine"] and consultation["acceptingComments"] and not comment["decision"]
                and not comment["withdrawnAt"])


def _groups(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A page of the person's comments, grouped by consultation in the order they come."""
    groups: dict[str, dict[str, Any]] = {}
    for edge in edges:
        comment = edge["node"]
        consultation = comment["consultation"]
        group = groups.setdefault(consultation["id"], {"consultation": consultation, "mine": []})
        group["mine"].append(comment)
    return list(groups.values())


async def comments_page(workspace: Any, request: Request) -> Response:
    page = await framework.open_page(workspace, request)
    if isinstance(page, Response):
        return page
    after = request.query_params.get("after", "")[:MAX_ID] or None
    context = {"comment_path": comment_path, "editable": editable, "done": request.query_params.get("done", "")}
    listed = (await page.query("expert_my_comments", {"after": after}))["viewer"]["comments"]
    if "code" in listed:  # a forged cursor: the API's words, not a 500
        return render(page, "ws_expert_comments.html", status=400, groups=[], refused=listed,
                      next_after=None, **context)
    info = listed["pageInfo"]
    return render(page, "ws_expert_comments.html", refused=None, groups=_groups(listed["edges"]),
                  next_after=info["endCursor"] if info["hasNextPage"] else None, **context)


async def comment_page(workspace: Any, request: Request) -> Response:
    page = await framework.open_page(workspace, request)
    if isinstance(page, Response):
        return page
    found = (await page.query("expert_comment", {"id": request.path_params["comment_id"][:MAX_ID]}))["node"]
    if not found or found.get("__typename") != "ConsultationComment" or not found["isMine"]:
        return not_found(page)  # made up, not a comment, or somebody else's
    comment, consultation = found, found["consultation"]
    path = comment_path(comment["id"])

    def show(status: int = 200, values: dict | None = None, errors: dict | None = None) -> Response:
        return render(page, "ws_expert_comment.html", status=status, comment=comment, consultation=consultation,
                      can_edit=editable(comment, consultation), path=path, errors=errors or {},
                      values=values or {key: comment.get(key) or "" for key in FIELDS})
    if request.method == "GET":
        return show()
    form = await framework.read_form(workspace, request, page)
    if isinstance(form, Response):
        return form
    if form.get("intent") == "withdraw":
        answer = await framework.act(page, "expert_withdraw_comment", {"input": {"id": comment["id"]}}, "withdrawComment")
        if not answer.ok:
            return show(answer.status, errors=answer.errors)
        return framework.done(page, PATH, done="withdrawn")
    values = {key: text(form, key) for key in FIELDS}
    answer = await framework.act(page, "expert_update_comment", {"input": {
        "id": comment["id"], **{key: values[key] for key in FIELDS if key != "proposedChange"},
        "proposedChange": values["proposedChange"]}}, "updateComment", FIELDS)
    if not answer.ok:  # each refusal beside its field, everything typed kept
        return show(answer.status, values=values, errors=answer.errors)
    return framework.done(page, PATH, done="saved")
