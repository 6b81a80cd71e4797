"""What the secretary's pages share: one queue page read through a document, one row action
posted to the API's mutation (``framework.act``), the refusal shown beside the row's field (or
the 404 of an ID the API does not know), and the form's values read and bounded.

A queue page is ``show(page, failed=…)``: it reads its list and renders it; a refused action
re-renders the same list with the refusal beside the row it was for (``failed.item``), keeping
what the person typed (``failed.values``), with the status of the refusal's code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ecozone.workspace import framework
from ecozone.workspace.page import WorkspacePage, render

PAGE_SIZE = 20
MAX_ID = 200          # longer is not one of the API's global IDs
MAX_TEXT = 20_000     # the form's bound (16 KB) keeps it far below; the API says the real limit
REVIEW_YEARS = 5  # 复审: a standard is reviewed at least every five years (标准化法 第二十九条)
SECRETARY = frozenset({"secretary"})
STAFF = frozenset({"secretary", "director"})


@dataclass
class Failed:
    """A refused row action: the row it was for, the refusals (field → message), what was typed."""
    item: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    status: int = 400


NOTHING_FAILED = Failed()
Show = Callable[[WorkspacePage, Failed], Awaitable[Response]]


def today_in_china() -> dt.date:
    return dt.datetime.now(framework.BEIJING).date()


def review_due_before(today: dt.date) -> dt.date:
    """The last release date whose standard is due for 复审 on ``today`` (five years before)."""
    try:
        return today.replace(year=today.year - REVIEW_YEARS)
    except ValueError:  # 29 February of a leap year: the 28th five years before
        return today.replace(year=today.year - REVIEW_YEARS, day=28)


def choice(request: Request, name: str, choices: tuple[str, ...]) -> str:
    """A tab chosen in the URL (``?state=…``), the first choice when absent or made up."""
    value = request.query_params.get(name, "")
    return value if value in choices else choices[0]


def acting_zone(page: WorkspacePage) -> str:
    """The slug of the zone the person acts in ("" before they choose one)."""
    return ((page.me.get("viewer") or {}).get("zone") or {}).get("slug") or ""


async def show_by_state(page: WorkspacePage, failed: Failed, *, document: str, field: str,
                        states: tuple[str, ...], template: str) -> Response:
    """A queue with a tab a state (``?state=``): the acting zone's items in that state, a page at a
    time, read by ``document`` (its connection ``field`` is the template's variable of that name)."""
    state = choice(page.request, "state", states)
    answer = (await page.query(document, {"zone": acting_zone(page), "state": state,
                                          "after": framework.cursor(page.request)}))[field]
    if framework.failure(answer):
        return framework.refused(page, answer)
    return render_queue(page, template, failed, state=state, states=states, zone=acting_zone(page),
                        **{field: answer})


def not_found(page: WorkspacePage) -> Response:
    return framework.message_page(page, 404, page.t("secretary.not_found"))


def here(page: WorkspacePage) -> str:
    """The page's own query string (tab, cursor, language): forms post with it, so a refusal
    re-renders the page the person was on."""
    query = page.request.url.query
    return "?" + query if query else ""


def render_queue(page: WorkspacePage, template: str, failed: Failed, **context: Any) -> Response:
    done = "secretary.done." + page.request.query_params.get("done", "")[:40]
    return render(page, template, status=failed.status if failed.errors else 200, failed=failed,
                  when=framework.beijing, here=here(page), link=lambda path, **p: framework.link(page, path, **p),
                  done=page.t(done) if done in page.t.texts and not failed.errors else "", **context)


async def open_staff_page(workspace: Any, request: Request) -> WorkspacePage | Response:
    """The signed-in person's page if they are the acting zone's secretary or director; the
    bilingual 403 otherwise. Only a courtesy: what they may do is the API's to decide, and an
    action it refuses is shown with its refusal."""
    page = await framework.open_page(workspace, request)
    if isinstance(page, Response):
        return page
    roles = {role.lower() for role in (page.me.get("viewer") or {}).get("roles") or []}
    if not roles & STAFF:
        return framework.message_page(page, 403, page.t("secretary.staff_only"))
    return page


async def open_list(workspace: Any, request: Request, show: Show) -> Response:
    """GET of a queue page: the signed-in person's list."""
    page = await open_staff_page(workspace, request)
    if isinstance(page, Response):
        return page
    return await show(page, NOTHING_FAILED)


def clean_id(value: str | None) -> str:
    return (value or "").replace("\x00", "").strip()[:MAX_ID]


async def post_action(workspace: Any, request: Request, *, show: Show,
                      document: str | Callable[[dict[str, str]], tuple[str, str]], result: str,
                      variables: Callable[[dict[str, str], WorkspacePage], tuple[dict[str, Any], dict[str, str]]],
                      back: Callable[[dict[str, str]], tuple[str, dict[str, str]]], done: str) -> Response:
    """POST of one row's action: CSRF checked, the input built from the form (problems found
    before asking are refused beside their field, nothing sent), the API's mutation run as the
    person; success → 303 to ``back``; NotFound → 404; any other refusal → the list again with
    the refusal beside the row. ``back(form)`` is the (path, query) to return to; ``done`` the
    key of the words saying what was done; ``document`` may be chosen by the form
    (``document(form) -> (document, result)``)."""
    page = await open_staff_page(workspace, request)
    if isinstance(page, Response):
        return page
    form = await framework.read_form(workspace, request, page)
    if isinstance(form, Response):
        return form
    item = clean_id(form.get("id"))
    if form.get("action"):  # two forms in one row (approve, reject): the refusal goes to the right one
        item += ":" + text(form, "action")[:40]
    if callable(document):  # the form says which of two mutations it asks for
        document, result = document(form)
    built, problems = variables(form, page)
    if problems:
        return await show(page, Failed(item, {key: page.t(text) for key, text in problems.items()},
                                       form, 400))
    outcome = await framework.act(page, document, built, result)
    if outcome.ok:
        path, params = back(form)
        return RedirectResponse(framework.link(page, path, **params, done=done), status_code=303)
    if outcome.status == 404:
        return not_found(page)
    return await show(page, Failed(item, outcome.errors, form, outcome.status))


def text(form: dict[str, str], name: str) -> str:
    """A field as typed, trimmed; NUL (no database stores it in text) dropped."""
    return (form.get(name) or "").replace("\x00", "").strip()[:MAX_TEXT]


def optional_text(form: dict[str, str], name: str) -> str | None:
    return text(form, name) or None


def whole_number(form: dict[str, str], name: str, problems: dict[str, str]) -> int | None:
    """An optional whole number typed in a form; anything else is named, not sent."""
    value = text(form, name)
    if not value:
        return None
    if not value.isdigit() or len(value) > 6:
        problems[name] = "secretary.not_a_number"
        return None
    return int(value)


def a_date(form: dict[str, str], name: str, problems: dict[str, str]) -> str | None:
    """A date typed in a form (YYYY-MM-DD); a missing one is the API's to refuse."""
    value = text(form, name)
    if not value:
        problems[name] = "secretary.required"
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        problems[name] = "secretary.not_a_date"
        return None


def one_of(form: dict[str, str], name: str, choices: tuple[str, ...], problems: dict[str, str]) -> str:
    value = text(form, name)
    if value not in choices:
        problems[name] = "secretary.not_a_choice"
    return value


TEXTS: dict[str, tuple[str, str]] = {
    "secretary.not_found": ("没有找到该对象，或您无权查看。", "There is no such item, or you may not see it."),
    "secretary.required": ("必填", "required"),
    "secretary.staff_only": ("此页面供所操作试验区的秘书和主任使用；您在该区没有这些角色。",
                             "These pages are for the acting zone's secretary and director; you hold neither role there."),
    "secretary.not_a_number": ("应填写整数", "must be a whole number"),
    "secretary.not_a_date": ("应填写日期（年-月-日）", "must be a date (year-month-day)"),
    "secretary.not_a_choice": ("不是可选的值", "is not one of the choices"),
    "secretary.more": ("下一页", "Next page"),
    "secretary.first_page": ("回到第一页", "First page"),
    "secretary.total": ("共 {count} 项", "{count} in all"),
    "secretary.none": ("暂无待办事项。", "Nothing waits here."),
    "secretary.done": ("已完成：{what}", "Done: {what}"),
    "secretary.reason": ("理由", "Reason"),
    "secretary.reason_optional": ("理由（可选）", "Reason (optional)"),
    "secretary.title": ("名称", "Title"),
    "secretary.zone": ("试验区", "Zone"),
    "secretary.state": ("状态", "State"),
    "secretary.action": ("操作", "Action"),
    "secretary.details": ("详情", "Details"),
    "secretary.created": ("提交时间", "Submitted"),
    "secretary.deadline": ("截止日期", "Deadline"),
}
