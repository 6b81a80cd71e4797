"""The council's member units and officers, run by the secretariat (章程 第十条–第十五条; 办法 第七条):

- ``/workspace/council/units``: every unit and officer, a page at a time, each linking to its page;
- ``/workspace/council/units/new``: anyone signed in applies for a legal entity (applyForCouncilMembership,
  第十条); the secretariat records a founding unit (registerFoundingCouncilUnit);
- ``/workspace/council/units/{id}``: a unit, its decisions (an exit's reason in the page's language) and
  its officers, current and past, a page at a time; the secretariat records the general
  meeting's decision on its application, a new head, the head's delegation, its exit, its year's
  rating and an election of one of its people as an officer;
- ``/workspace/council/officers/{id}``: an officer (``council_units_officer``).

Every action is one of the API's mutations run as the signed-in person: a role without the right
does not see the form, and a forged POST gets the API's refusal (403)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ecozone.workspace import framework
from ecozone.workspace.council_units_common import (
    MAX_ID,
    MEETINGS,
    PAGE_SIZE,
    Action,
    Posted,
    choice,
    date,
    optional,
    optional_id,
    passed_motions,
    post,
    roles,
    show,
    text,
    year,
)
from ecozone.workspace.council_units_officer import officer_page
from ecozone.workspace.council_units_texts import TEXTS as UNIT_TEXTS
from ecozone.workspace.framework import Section

INDEX = "/workspace/council/units"
NEW = INDEX + "/new"
UNIT = INDEX + "/{unit_id}"
OFFICER = "/workspace/council/officers/{officer_id}"
UNIT_TYPES = ("ENTERPRISE", "INSTITUTION", "STANDARDS_BODY", "INDUSTRY_ORGANISATION")
EXIT_REASONS = ("INACTIVE", "MISCONDUCT", "UNSUITABLE", "VOLUNTARY")
RATINGS = ("GOOD", "FAIR", "POOR")
OFFICES = ("CHAIR", "VICE_CHAIR", "SECRETARY_GENERAL", "BASE_DIRECTOR", "STANDING_DIRECTOR")
DECISIONS = {"admit": True, "reject": False}
SECTIONS = (Section(INDEX, "cu.nav", frozenset({"director", "secretary", "member", "supervisor"})),
            Section(NEW, "cu.apply_nav", frozenset({"expert", "member", "secretary", "director"})))
TEXTS: dict[str, tuple[str, str]] = UNIT_TEXTS


def routes(workspace: Any) -> list[BaseRoute]:
    return [framework.page_route(INDEX, index_page, workspace),
            framework.page_route(NEW, new_unit_page, workspace, ("GET", "POST")),  # before {unit_id}
            framework.page_route(UNIT, unit_page, workspace, ("GET", "POST")),
            framework.page_route(OFFICER, officer_page, workspace, ("GET", "POST"))]


# ---------------------------------------------------------------------------- the index


async def index_page(workspace: Any, request: Request) -> Response:
    page = await framework.open_page(workspace, request)
    if isinstance(page, Response):
        return page
    data = await page.query("council_unit_index", {"first": PAGE_SIZE,
                                                   "unitsAfter": framework.cursor(request, "units"),
                                                   "officersAfter": framework.cursor(request, "officers")})
    units, officers = data["councilMemberUnits"], data["councilOfficers"]
    if framework.failure(units):  # the council is the zone's: others get the API's refusal
        return framework.refused(page, units)
    return show(page, "ws_council_units.html", units=units, officers=None if framework.failure(officers) else officers,
                secretariat="SECRETARY" in roles(page))


# ---------------------------------------------------------------------------- a new unit


def _unit_input(form: dict[str, str], problems: dict[str, str]) -> dict[str, Any]:
    return {"nameZh": text(form, "nameZh"), "nameEn": text(form, "nameEn"), "uscc": text(form, "uscc", 40),
            "unitType": choice(form, "unitType", UNIT_TYPES, problems), "headName": text(form, "headName")}


def _apply(form: dict[str, str], _id: str):
    problems: dict[str, str] = {}
    return _unit_input(form, problems), problems


def _found(form: dict[str, str], _id: str):
    problems: dict[str, str] = {}
    values = _unit_input(form, problems)
    values["joinedOn"] = date(form, "joinedOn", problems)
    return values, problems


UNIT_FIELDS = frozenset({"nameZh", "nameEn", "uscc", "unitType", "headName"})
NEW_ACTIONS = {
    "apply": Action(_apply, "council_unit_apply", "applyForCouncilMembership", UNIT_FIELDS),
    "found": Action(_found, "council_unit_register_founding", "registerFoundingCouncilUnit",
                    UNIT_FIELDS | {"joinedOn"}),
}


async def new_unit_page(workspace: Any, request: Request) -> Response:
    opened = await framework.open_page_and_form(workspace, request)
    if isinstance(opened, Response):
        return opened
    page, form = opened
    posted = Posted()
    if form is not None:
        posted = await post(page, form, NEW_ACTIONS, "")
        if posted.response is not None:
            return posted.response
        if posted.errors is None and posted.target == "found":
            return framework.done(page, UNIT.format(unit_id=posted.data["id"]), done="found")
        if posted.errors is None:
            return framework.done(page, NEW, done="apply")
    return show(page, "ws_council_unit_new.html", posted=posted, unit_types=UNIT_TYPES,
                secretariat="SECRETARY" in roles(page), action=NEW)


# ---------------------------------------------------------------------------- a unit


def _decide(form: dict[str, str], unit_id: str):
    admit = DECISIONS.get(form.get("decision", ""))
    problems = {} if admit is not None else {"decision": "cu.not_a_choice"}
    return {"unitId": unit_id, "admit": bool(admit), "motionId": form.get("motionId", "")[:MAX_ID],
            "reason": optional(form, "reason")}, problems


def _head(form: dict[str, str], unit_id: str):
    return {"unitId": unit_id, "headName": text(form, "headName")}, {}


def _delegate(form: dict[str, str], unit_id: str):
    return {"unitId": unit_id, "delegateName": text(form, "delegateName")}, {}


def _undelegate(form: dict[str, str], unit_id: str):
    return {"unitId": unit_id, "delegateName": None}, {}


def _exit(form: dict[str, str], unit_id: str):
    problems: dict[str, str] = {}
    return {"unitId": unit_id, "reason": choice(form, "reason", EXIT_REASONS, problems),
            "note": optional(form, "note"), "motionId": optional_id(form, "motionId")}, problems


def _rate(form: dict[str, str], unit_id: str):
    problems: dict[str, str] = {}
    return {"unitId": unit_id, "year": year(form, "year", problems),
            "rating": choice(form, "rating", RATINGS, problems), "note": optional(form, "note")}, problems


def _elect(form: dict[str, str], unit_id: str):
    problems: dict[str, str] = {}
    return {"memberUnitId": unit_id, "personName": text(form, "personName"),
            "birthDate": date(form, "birthDate", problems), "office": choice(form, "office", OFFICES, problems),
            "termStart": date(form, "termStart", problems), "motionId": optional_id(form, "motionId")}, problems


UNIT_ACTIONS = {
    "decide": Action(_decide, "council_unit_decide", "decideCouncilApplication",
                     frozenset({"decision", "motionId", "reason"})),
    "head": Action(_head, "council_unit_change_head", "changeCouncilUnitHead", frozenset({"headName"})),
    "delegate": Action(_delegate, "council_unit_delegate", "delegateCouncilRepresentative",
                       frozenset({"delegateName"})),
    "undelegate": Action(_undelegate, "council_unit_delegate", "delegateCouncilRepresentative", frozenset()),
    "exit": Action(_exit, "council_unit_exit", "exitCouncilUnit", frozenset({"reason", "note", "motionId"})),
    "rate": Action(_rate, "council_unit_rate", "rateCouncilUnit", frozenset({"year", "rating", "note"})),
    "elect": Action(_elect, "council_unit_elect_officer", "electCouncilOfficer",
                    frozenset({"personName", "birthDate", "office", "termStart", "motionId"})),
}


def unit_forms(unit: dict[str, Any], secretariat: bool) -> set[str]:
    """The forms the unit's page draws for this person: the secretariat's, as the unit's state allows."""
    if not secretariat:
        return set()
    if unit["state"] == "APPLICANT":
        return {"decide", "head", "delegate"} | ({"undelegate"} if unit["delegateName"] else set())
    if unit["state"] == "ACTIVE":
        return {"head", "delegate", "exit", "rate", "elect"} | ({"undelegate"} if unit["delegateName"] else set())
    return set()


async def unit_page(workspace: Any, request: Request) -> Response:
    opened = await framework.open_page_and_form(workspace, request)
    if isinstance(opened, Response):
        return opened
    page, form = opened
    unit_id = request.path_params["unit_id"][:MAX_ID]
    posted = Posted()
    if form is not None:
        posted = await post(page, form, UNIT_ACTIONS, unit_id)
        if posted.response is not None:
            return posted.response
        if posted.errors is None and posted.target == "elect":
            return framework.done(page, OFFICER.format(officer_id=posted.data["id"]), done="elect")
        if posted.errors is None:
            return framework.done(page, UNIT.format(unit_id=unit_id), done=posted.target)
    data = await page.query("council_unit", {"id": unit_id, "meetings": MEETINGS, "first": PAGE_SIZE,
                                             "officersAfter": framework.cursor(request, "officers")})
    unit, officers = data["councilMemberUnit"], data["councilOfficers"]
    if framework.failure(unit):  # a made-up or foreign unit: 404; a role that may not read the council: 403
        return framework.refused(page, unit)
    forms = unit_forms(unit, "SECRETARY" in roles(page))
    return show(page, "ws_council_unit.html", posted=posted, unit=unit, forms=forms,
                officers=None if framework.failure(officers) else officers,
                motions=passed_motions(data["councilMeetings"], page.language), exit_reasons=EXIT_REASONS,
                ratings=RATINGS, offices=OFFICES, action=UNIT.format(unit_id=unit_id))
