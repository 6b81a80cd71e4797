"""``/workspace/projects``: the signed-in person's projects (proposed by them, or where they are
in the working group) and the projects on public notice they may ask to join;
``/workspace/projects/new``: propose a project (``proposeProject``), the API's refusals beside
each field, everything typed kept.

The API's ``projects`` has no "mine" filter, so "my projects" reads the API's pages in order and
keeps the person's own, at most ``SCAN_PAGES`` pages of ``SCAN_SIZE`` per request; the "more"
link carries the cursor of the last project read, so paging never skips nor repeats one."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ecozone.workspace import framework
from ecozone.workspace.framework import cursor, failure, link, refused
from ecozone.workspace.member_common import PAGE_SIZE, ask, show
from ecozone.workspace.page import WorkspacePage

LIST_PATH = "/workspace/projects"
NEW_PATH = "/workspace/projects/new"
SCAN_SIZE = 100  # the API's largest page
SCAN_PAGES = 5
KINDS = ("RESEARCH_TOPIC", "STANDARD_DEVELOPMENT", "TECHNICAL_EXCHANGE", "KEY_COMMON")
# The propose form's fields, in the page's order: (input key, long text, required).
PROPOSE_FIELDS: tuple[tuple[str, bool, bool], ...] = (
    ("titleZh", False, True), ("titleEn", False, True), ("summary", True, True),
    ("proposerUnit", False, True), ("leadUnit", False, False),
)
MAX_VALUE = 20_000  # past every limit of the API's: it names the limit, the page keeps the text


def mine(project: dict[str, Any], me: str | None) -> list[dict[str, Any]]:
    """How ``me`` (a User ID) takes part in ``project``: ``[{"proposer": True}]`` and/or the
    working-group rows naming them; empty when they do not."""
    if me is None:
        return []
    parts: list[dict[str, Any]] = [{"proposer": True}] if (project.get("proposer") or {}).get("id") == me else []
    parts += [row for row in project.get("workingGroup") or [] if (row.get("user") or {}).get("id") == me]
    return parts


async def my_projects(page: WorkspacePage, after: str | None) -> tuple[list[dict[str, Any]], str | None, dict | None]:
    """A page of the person's own projects from ``after``: (rows, the next page's cursor or
    None, the API's refusal if any)."""
    rows: list[dict[str, Any]] = []
    for _ in range(SCAN_PAGES):
        answer = await page.query("member_projects", {"filter": None, "first": SCAN_SIZE, "after": after})
        connection = answer["projects"]
        if failure(connection):
            return rows, None, connection
        me = ((answer["viewer"] or {}).get("user") or {}).get("id")
        for edge in connection["edges"]:
            after = edge["cursor"]
            parts = mine(edge["node"], me)
            if parts:
                rows.append({"project": edge["node"], "parts": parts})
                if len(rows) == PAGE_SIZE:
                    more = connection["pageInfo"]["hasNextPage"] or edge is not connection["edges"][-1]
                    return rows, after if more else None, None
        if not connection["pageInfo"]["hasNextPage"]:
            return rows, None, None
    return rows, after, None  # read enough for one request: the rest on the next page


async def projects_page(workspace: Any, request: Request) -> Response:
    page = await framework.open_page(workspace, request)
    if isinstance(page, Response):
        return page
    rows, mine_next, refusal = await my_projects(page, cursor(request, "mine_after"))
    if refusal:
        return refused(page, refusal)
    notice = await page.query("member_projects", {"filter": {"state": "PUBLIC_NOTICE"}, "first": PAGE_SIZE,
                                                  "after": cursor(request, "notice_after")})
    if failure(notice["projects"]):
        return refused(page, notice["projects"])
    me = ((notice["viewer"] or {}).get("user") or {}).get("id")
    on_notice = [{"project": e["node"], "parts": mine(e["node"], me)} for e in notice["projects"]["edges"]]
    notice_info = notice["projects"]["pageInfo"]
    return show(page, "ws_member_projects.html", rows=rows, on_notice=on_notice,
                notice_total=notice["projects"]["totalCount"],
                mine_more=link(page, LIST_PATH, mine_after=mine_next) if mine_next else None,
                notice_more=link(page, LIST_PATH, notice_after=notice_info["endCursor"])
                if notice_info["hasNextPage"] else None,
                paged=bool(cursor(request, "mine_after") or cursor(request, "notice_after")))


async def propose_page(workspace: Any, request: Request) -> Response:
    opened = await framework.open_page_and_form(workspace, request)
    if isinstance(opened, Response):
        return opened
    page, form = opened
    if form is None:
        return _propose_form(page)
    values = {key: form.get(key, "")[:MAX_VALUE] for key, _, _ in PROPOSE_FIELDS}
    values["kind"] = form.get("kind", "")
    if values["kind"] not in KINDS:  # an enum the API's schema would not even parse: named here
        return _propose_form(page, values, {"kind": page.t("not_a_choice")}, status=400)
    answer = await ask(page, "member_propose_project", {
        **{key: values[key] for key, _, _ in PROPOSE_FIELDS if key != "leadUnit"},
        "kind": values["kind"], "leadUnit": values["leadUnit"].strip() or None}, "proposeProject")
    if not answer.ok:
        return _propose_form(page, values, answer.errors, status=answer.status)
    return framework.done(page, f"{LIST_PATH}/{answer.data['id']}", done="proposed")


def _propose_form(page: WorkspacePage, values: dict[str, str] | None = None,
                  errors: dict[str, str] | None = None, status: int = 200) -> Response:
    return show(page, "ws_member_propose.html", status=status, values=values or {}, errors=errors or {},
                fields=PROPOSE_FIELDS, kinds=KINDS, action=link(page, NEW_PATH))
