"""``/workspace/council/officers/{id}``: a council officer — office, unit, term and where it stands
today; the secretariat records the early end of the office by the passed motion that decided it
(endCouncilOffice, 章程 第七条, 第十八条(三)); the office (secretary or director) records the yearly
evaluation (evaluateCouncilOfficer, 第二十五条). A made-up or foreign officer is a 404."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ecozone.workspace import framework
from ecozone.workspace.council_units_common import (
    MAX_ID,
    MAX_LONG,
    MEETINGS,
    Action,
    Posted,
    choice,
    date,
    optional,
    passed_motions,
    post,
    roles,
    show,
    year,
)

PATH = "/workspace/council/officers/{officer_id}"
OUTCOMES = ("COMMENDED", "COMPETENT", "BASICALLY_COMPETENT", "NOT_COMPETENT", "REMOVAL_RECOMMENDED")


def _end(form: dict[str, str], officer_id: str):
    problems: dict[str, str] = {}
    return {"officerId": officer_id, "endedOn": date(form, "endedOn", problems),
            "reason": form.get("reason", "")[:MAX_LONG], "motionId": form.get("motionId", "")[:MAX_ID]}, problems


def _evaluate(form: dict[str, str], officer_id: str):
    problems: dict[str, str] = {}
    return {"officerId": officer_id, "year": year(form, "year", problems),
            "outcome": choice(form, "outcome", OUTCOMES, problems),
            "summary": optional(form, "summary", MAX_LONG) or "",
            "evaluatedOn": date(form, "evaluatedOn", problems)}, problems


ACTIONS = {
    "end": Action(_end, "council_officer_end", "endCouncilOffice", frozenset({"endedOn", "reason", "motionId"})),
    "evaluate": Action(_evaluate, "council_officer_evaluate", "evaluateCouncilOfficer",
                       frozenset({"year", "outcome", "summary", "evaluatedOn"})),
}


def officer_forms(officer: dict[str, Any], held: set[str]) -> set[str]:
    """The forms drawn for this person: ending an office still held (the secretariat), the yearly
    evaluation (the office: secretary or director)."""
    forms = set()
    if "SECRETARY" in held and officer["termStatus"]["state"] != "ENDED":
        forms.add("end")
    if held & {"SECRETARY", "DIRECTOR"}:
        forms.add("evaluate")
    return forms


async def officer_page(workspace: Any, request: Request) -> Response:
    opened = await framework.open_page_and_form(workspace, request)
    if isinstance(opened, Response):
        return opened
    page, form = opened
    officer_id = request.path_params["officer_id"][:MAX_ID]
    posted = Posted()
    if form is not None:
        posted = await post(page, form, ACTIONS, officer_id)
        if posted.response is not None:
            return posted.response
        if posted.errors is None:
            return framework.done(page, PATH.format(officer_id=officer_id), done=posted.target)
    data = await page.query("council_officer", {"id": officer_id, "meetings": MEETINGS})
    officer = data["node"]
    if not officer or officer.get("__typename") != "CouncilOfficer":
        # made up, another zone's, another type's, or the council is not this person's to read
        return framework.message_page(page, 404, page.t("cu.no_officer"))
    return show(page, "ws_council_officer.html", posted=posted, officer=officer,
                forms=officer_forms(officer, roles(page)),
                motions=passed_motions(data["councilMeetings"], page.language), outcomes=OUTCOMES,
                action=PATH.format(officer_id=officer_id))
