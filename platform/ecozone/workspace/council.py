"""``/workspace/council``: the acting zone's council — member units, officers and meetings, each
list a page at a time — and, for the secretariat, the form calling a meeting
(callCouncilMeeting). Units and officers are listed here, each linking to its own page where
their changes (applications, heads, exits, elections) are recorded (``council_units``). Each
meeting is run from its own page (``council_meeting``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ecozone.workspace import framework
from ecozone.workspace.council_common import PAGE_SIZE, show, with_language
from ecozone.workspace.council_common import TEXTS as COMMON_TEXTS
from ecozone.workspace.council_texts import TEXTS as COUNCIL_TEXTS
from ecozone.workspace.framework import Section, cursor, failure, refused
from ecozone.workspace.page import WorkspacePage

PATH = "/workspace/council"
KINDS = ("GENERAL", "AD_HOC")
VOTING_MODES = ("IN_PERSON", "WRITTEN", "ONLINE")
MAX_TEXT = 300
CALL_FIELDS = frozenset({"kind", "titleZh", "titleEn", "meetsOn", "venue", "votingMode", "proposingUnitIds"})
SECTIONS = (Section(PATH, "council.council", frozenset({"director", "secretary", "member", "supervisor"})),)
TEXTS: dict[str, tuple[str, str]] = {**COMMON_TEXTS, **COUNCIL_TEXTS}


def routes(workspace: Any) -> list[BaseRoute]:
    return [framework.page_route(PATH, council_page, workspace, ("GET", "POST"))]


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def call_input(form: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The ``CallCouncilMeetingInput`` of the form, and what is wrong before asking (a made-up
    kind or voting mode, a date that is not one: named here, never sent)."""
    problems: dict[str, str] = {}
    kind, mode = form.get("kind", ""), form.get("votingMode", "")
    if kind not in KINDS:
        problems["kind"] = "council.not_a_choice"
    if mode not in VOTING_MODES:
        problems["votingMode"] = "council.not_a_choice"
    meets_on = parse_date(form.get("meetsOn", ""))
    if meets_on is None:
        problems["meetsOn"] = "council.not_a_date"
    values = {"kind": kind, "titleZh": form.get("titleZh", "")[:MAX_TEXT], "titleEn": form.get("titleEn", "")[:MAX_TEXT],
              "meetsOn": meets_on.isoformat() if meets_on else "", "venue": form.get("venue", "")[:MAX_TEXT] or None,
              "votingMode": mode, "proposedByCouncil": form.get("proposedByCouncil") == "on", "proposingUnitIds": []}
    return values, problems


async def council_page(workspace: Any, request: Request) -> Response:
    opened = await framework.open_page_and_form(workspace, request)
    if isinstance(opened, Response):
        return opened
    page, form = opened
    if form is None:
        return await _render(page, done=request.query_params.get("done"))
    values, problems = call_input(form)
    kept = {**form, "proposedByCouncil": "on" if values["proposedByCouncil"] else ""}
    if problems:
        return await _render(page, status=400, errors={k: page.t(v) for k, v in problems.items()}, values=kept)
    outcome = await framework.act(page, "council_call_meeting", {"input": values}, "callCouncilMeeting", CALL_FIELDS)
    if outcome.ok:
        return framework.done(page, f"{PATH}/meetings/{outcome.data['id']}", done="called")
    return await _render(page, status=outcome.status, errors=outcome.errors, values=kept)


async def _render(page: WorkspacePage, *, status: int = 200, done: str | None = None,
                  errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> Response:
    request = page.request
    data = await page.query("council_overview", {"first": PAGE_SIZE, "unitsAfter": cursor(request, "units"),
                                                 "officersAfter": cursor(request, "officers"),
                                                 "meetingsAfter": cursor(request, "meetings")})
    meetings = data["councilMeetings"]
    if failure(meetings):  # the council is the zone's: others get the API's refusal
        return refused(page, meetings)
    units, officers = data["councilMemberUnits"], data["councilOfficers"]
    secretariat = "SECRETARY" in ((page.me.get("viewer") or {}).get("roles") or [])
    return show(page, "ws_council.html", status=status, units=None if failure(units) else units,
                officers=None if failure(officers) else officers, meetings=meetings,
                errors=errors or {}, values=values or {"kind": "GENERAL", "votingMode": "IN_PERSON"},
                secretariat=secretariat or bool(errors), kinds=KINDS, voting_modes=VOTING_MODES,
                done="council.called" if done == "called" else None, action=with_language(page, PATH))
