"""``/workspace/inbox``: the signed-in person's notifications (``inbox``), newest first, marked
read one by one or all at once (``markNotificationsRead``).

Live: ``/workspace/inbox/new?since=<id>`` answers the notifications newer than the one given as
list items rendered like the page's own, read through the API as the person with their session
cookie; ``portal/static/ws_expert.js`` (vendored, no dependency) asks for it every 15 seconds
while the tab is visible and puts them on top. The API's live feed is a WebSocket that signs in
with a bearer token, which the page never hands to the browser; polling a same-origin fragment
needs nothing the session does not already give. Without JavaScript the page is the same, one
reload behind."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ecozone.workspace import framework
from ecozone.workspace.expert_common import not_found, render

PATH = "/workspace/inbox"
PAGE_SIZE = 20
MAX_CURSOR = 200


def routes(workspace: Any) -> list:
    return [framework.page_route(PATH, inbox_page, workspace, methods=("GET", "POST")),
            framework.page_route(PATH + "/new", new_notifications, workspace)]


def newer_than(nodes: list[dict[str, Any]], since: str) -> list[dict[str, Any]]:
    """The notifications (newest first) above ``since``; all of them when ``since`` is not among
    them (the script drops any it already shows)."""
    for index, node in enumerate(nodes):
        if node["id"] == since:
            return nodes[:index]
    return nodes


async def _read(page: Any, request: Request, after: str | None = None) -> tuple[dict[str, Any], int, bool]:
    unread_only = request.query_params.get("unread") == "1"
    data = await page.query("expert_inbox", {"after": after, "unreadOnly": unread_only, "first": PAGE_SIZE})
    return data["inbox"], data["unreadNotificationCount"], unread_only


async def inbox_page(workspace: Any, request: Request) -> Response:
    page = await framework.open_page(workspace, request)
    if isinstance(page, Response):
        return page
    if request.method == "POST":
        return await _mark_read(workspace, request, page)
    return await _show(page, request, done=request.query_params.get("done") == "read")


async def _show(page: Any, request: Request, *, status: int = 200, errors: dict | None = None,
                done: bool = False) -> Response:
    after = request.query_params.get("after", "")[:MAX_CURSOR] or None
    inbox, unread, unread_only = await _read(page, request, after)
    refused = inbox if "code" in inbox else None  # a forged cursor: the API's words, not a 500
    info = inbox.get("pageInfo") or {}
    return render(page, "ws_expert_inbox.html", status=400 if refused else status, refused=refused,
                  notifications=[e["node"] for e in inbox.get("edges") or []], unread=unread,
                  unread_only=unread_only, live=after is None and refused is None, errors=errors or {},
                  done=done, next_after=info.get("endCursor") if info.get("hasNextPage") else None)


async def _mark_read(workspace: Any, request: Request, page: Any) -> Response:
    form = await framework.read_form(workspace, request, page)
    if isinstance(form, Response):
        return form
    ids = None if form.get("intent") == "read_all" else [form.get("id", "")[:MAX_CURSOR]]
    answer = await framework.act(page, "expert_mark_read", {"input": {"ids": ids}}, "markNotificationsRead")
    if answer.status == 404:
        return not_found(page)
    if not answer.ok:
        return await _show(page, request, status=answer.status, errors=answer.errors)
    back = {"unread": "1"} if request.query_params.get("unread") == "1" else {}
    return framework.done(page, PATH, done="read", **back)


async def new_notifications(workspace: Any, request: Request) -> Response:
    """The list items newer than ``since`` (the newest one the page shows), for the live script."""
    page = await framework.open_page(workspace, request)
    if isinstance(page, Response):
        return page
    inbox, unread, unread_only = await _read(page, request)
    if "code" in inbox:
        return Response(status_code=400)
    nodes = newer_than([e["node"] for e in inbox["edges"]], request.query_params.get("since", "")[:MAX_CURSOR])
    response = render(page, "ws_expert_inbox_items.html", notifications=nodes, unread_only=unread_only)
    response.headers["X-Unread-Count"] = str(unread)
    return response
