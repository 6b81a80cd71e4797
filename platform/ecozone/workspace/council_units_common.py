"""What the council's unit and officer pages share: reading a form's values before asking the API
(dates, years, choices: a made-up one is named beside its field, never sent), running one of the
API's mutations and placing its refusals on the form that was posted, the passed motions a
decision may cite, and rendering with this area's links and pager."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from ecozone.workspace import framework
from ecozone.workspace.page import WorkspacePage, render

PAGE_SIZE = 20
MEETINGS = 20  # the passed motions of this many latest meetings are offered to cite
MAX_ID, MAX_NAME, MAX_TEXT = 200, 300, 2000
MAX_LONG = 10000
MAX_CURSOR = 200

Builder = Callable[[dict[str, str], str], tuple[dict[str, Any], dict[str, str]]]


@dataclass(frozen=True)
class Action:
    """A form of a page: its input builder, the mutation's document and field, the fields it draws."""
    build: Builder
    document: str
    result: str
    fields: frozenset[str]


def text(form: dict[str, str], name: str, limit: int = MAX_NAME) -> str:
    return form.get(name, "")[:limit]


def optional(form: dict[str, str], name: str, limit: int = MAX_TEXT) -> str | None:
    return form.get(name, "").strip()[:limit] or None


def optional_id(form: dict[str, str], name: str) -> str | None:
    return form.get(name, "").strip()[:MAX_ID] or None


def date(form: dict[str, str], name: str, problems: dict[str, str]) -> str:
    try:
        return dt.date.fromisoformat(form.get(name, "").strip()).isoformat()
    except ValueError:
        problems[name] = "cu.not_a_date"
        return ""


def year(form: dict[str, str], name: str, problems: dict[str, str]) -> int:
    value = form.get(name, "").strip()
    if len(value) == 4 and value.isdigit():
        return int(value)
    problems[name] = "cu.not_a_year"
    return 0


def choice(form: dict[str, str], name: str, choices: tuple[str, ...], problems: dict[str, str]) -> str:
    value = form.get(name, "")
    if value not in choices:
        problems[name] = "cu.not_a_choice"
    return value


def place(errors: dict[str, str], fields: frozenset[str]) -> dict[str, str]:
    """A field's refusal stays beside it; any other (an ID the API names) joins the one above the form."""
    kept = {key: message for key, message in errors.items() if key in fields}
    above = [errors[framework.FORM]] if framework.FORM in errors else []
    above += [message for key, message in errors.items()
              if key != framework.FORM and key not in fields and message not in above]
    if above:
        kept[framework.FORM] = " ".join(above)
    return kept


@dataclass
class Posted:
    """What a POST came to: the response to send (a redirect, the 404 of a forged ID), or the page
    to draw again with ``status``, the form ``target`` refused, its ``errors`` and the ``values`` kept."""
    response: Response | None = None
    status: int = 200
    target: str = ""
    errors: dict[str, str] | None = None
    values: dict[str, str] | None = None
    data: dict[str, Any] | None = None


async def post(page: WorkspacePage, form: dict[str, str], actions: dict[str, Action], target_id: str) -> Posted:
    """Run the form's action ``do`` through the API, as the page's person; refusals placed on it."""
    do = form.get("do", "")
    if do not in actions:
        return Posted(status=400, errors={framework.FORM: page.t("cu.not_a_choice")})
    action = actions[do]
    variables, problems = action.build(form, target_id)
    if problems:
        return Posted(status=400, target=do, values=form,
                      errors={key: page.t(key_text) for key, key_text in problems.items()})
    outcome = await framework.act(page, action.document, {"input": variables}, action.result)
    if outcome.ok:
        return Posted(target=do, data=outcome.data)
    if outcome.code == "not_found":  # a made-up or foreign unit, officer or motion: a 404, nothing else to show
        return Posted(response=message(page, 404, outcome.errors.get(framework.FORM)
                                       or next(iter(outcome.errors.values()))))
    return Posted(status=outcome.status, target=do, values=form, errors=place(outcome.errors, action.fields))


def passed_motions(meetings: dict[str, Any] | None, language: str) -> list[tuple[str, str]]:
    """(motion ID, label) of the passed motions of the latest meetings, newest meeting first."""
    if not meetings or failure(meetings):
        return []
    title = "titleZh" if language == "zh" else "titleEn"
    nodes = sorted((edge["node"] for edge in meetings["edges"]), key=lambda m: m["meetsOn"], reverse=True)
    return [(motion["id"], f"{meeting['meetsOn']} {meeting[title]} — {motion[title]}")
            for meeting in nodes for motion in meeting["motions"] if motion["state"] == "PASSED"]


def failure(answer: dict[str, Any] | None) -> dict[str, Any] | None:
    """The Failure in a read's answer (a union), or None when it answered its object."""
    if answer and "code" in answer and "message" in answer:
        return answer
    return None


def refused(page: WorkspacePage, answer: dict[str, Any]) -> Response:
    """A read the API refused: its message, a 404 for a made-up or foreign ID, 403 for a role without the right."""
    status = {"not_found": 404, "permission_denied": 403}.get(answer.get("code") or "", 400)
    return message(page, status, answer["messageZh"] if page.language == "zh" else answer["message"])


def message(page: WorkspacePage, status: int, text: str) -> Response:
    """A page saying only ``text`` (a refusal with nothing else to show), with ``status``."""
    return render(page, "ws_message.html", status=status, message=text)


def roles(page: WorkspacePage) -> set[str]:
    return {role.upper() for role in (page.me.get("viewer") or {}).get("roles") or []}


def cursor(page: WorkspacePage, name: str) -> str | None:
    value = page.request.query_params.get(name) or None
    return value[:MAX_CURSOR] if value else None


def with_language(page: WorkspacePage, path: str) -> str:
    """``path`` in the page's language (a form posts to it, so a refusal answers in that language)."""
    if page.language == "zh":
        return path
    return path + ("&" if "?" in path else "?") + "lang=" + page.language


def pager_link(page: WorkspacePage, param: str, value: str | None) -> str:
    """This page's URL with the cursor ``param`` set to ``value`` (removed for None), the rest kept."""
    params = {k: v for k, v in page.request.query_params.items() if k not in (param, "done")}
    if value is not None:
        params[param] = value
    return page.request.url.path + ("?" + urlencode(params) if params else "")


def show(page: WorkspacePage, template: str, *, status: int = 200, posted: Posted | None = None,
         **context: Any) -> Response:
    posted = posted or Posted()
    done = page.request.query_params.get("done") or ""
    return render(page, template, status=status if posted.errors is None else posted.status,
                  target=posted.target if posted.errors else "", errors=posted.errors or {},
                  values=posted.values or {}, done=f"cu.done.{done}" if done.isidentifier() and
                  f"cu.done.{done}" in page.t.texts else None,
                  pager_link=pager_link, link=lambda path: with_language(page, path), **context)
