"""What the council's unit and officer pages share: reading a form's values before asking the API
(dates, years, choices: a made-up one is named beside its field, never sent), running the form's
mutation (``framework.act``, its refusals placed on the form that was posted), the passed motions
a decision may cite, and rendering with this area's links and pager."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from ecozone.workspace import framework
from ecozone.workspace.council_common import pager_link
from ecozone.workspace.page import WorkspacePage, render

PAGE_SIZE = 20
MEETINGS = 20  # the passed motions of this many latest meetings are offered to cite
MAX_ID, MAX_NAME, MAX_TEXT = 200, 300, 2000
MAX_LONG = 10000

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
    outcome = await framework.act(page, action.document, {"input": variables}, action.result, action.fields)
    if outcome.ok:
        return Posted(target=do, data=outcome.data)
    if outcome.code == "not_found":  # a made-up or foreign unit, officer or motion: a 404, nothing else to show
        return Posted(response=framework.refused_action(page, outcome))
    return Posted(status=outcome.status, target=do, values=form, errors=outcome.errors)


def passed_motions(meetings: dict[str, Any] | None, language: str) -> list[tuple[str, str]]:
    """(motion ID, label) of the passed motions of the latest meetings, newest meeting first."""
    if not meetings or framework.failure(meetings):
        return []
    title = "titleZh" if language == "zh" else "titleEn"
    nodes = sorted((edge["node"] for edge in meetings["edges"]), key=lambda m: m["meetsOn"], reverse=True)
    return [(motion["id"], f"{meeting['meetsOn']} {meeting[title]} — {motion[title]}")
            for meeting in nodes for motion in meeting["motions"] if motion["state"] == "PASSED"]


def roles(page: WorkspacePage) -> set[str]:
    return {role.upper() for role in (page.me.get("viewer") or {}).get("roles") or []}


def show(page: WorkspacePage, template: str, *, status: int = 200, posted: Posted | None = None,
         **context: Any) -> Response:
    posted = posted or Posted()
    done = page.request.query_params.get("done") or ""
    return render(page, template, status=status if posted.errors is None else posted.status,
                  target=posted.target if posted.errors else "", errors=posted.errors or {},
                  values=posted.values or {}, done=f"cu.done.{done}" if done.isidentifier() and
                  f"cu.done.{done}" in page.t.texts else None,
                  pager_link=pager_link, link=lambda path: framework.link(page, path), **context)
