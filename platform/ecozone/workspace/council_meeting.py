"""``/workspace/council/meetings/{id}``: a council meeting run by the secretariat end to end —
the agenda with its deadline (章程 第二十一条) and items submitted to it, attendance, opening on
the quorum (第二十二条), motions proposed, voted, recorded and counted, closing, the minutes
written and published — each step one of the API's mutations (callCouncilMeeting is on
``/workspace/council``). The quorum and each motion's tally are shown live: the page includes
``…/live``, a fragment ``ws_council.js`` fetches again every few seconds (without JavaScript the
page shows the same fragment as of its loading)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ecozone.workspace import framework
from ecozone.workspace.council_common import show, with_language
from ecozone.workspace.framework import cursor, failure, refused
from ecozone.workspace.page import WorkspacePage

PATH = "/workspace/council/meetings/{meeting_id}"
UNITS_PAGE = 20  # attendance and vote forms: two fields a unit, under the form reader's 50 fields
MAX_ID, MAX_TITLE, MAX_LONG = 200, 300, 10000
CHOICES = ("YES", "NO", "ABSTAIN")
MOTION_KINDS = ("ORDINARY", "MAJOR")
ATTENDANCE = {"present": True, "absent": False}
SECTIONS: tuple = ()
TEXTS: dict[str, tuple[str, str]] = {}


def routes(workspace: Any) -> list[BaseRoute]:
    return [framework.page_route(PATH, meeting_page, workspace, ("GET", "POST")),
            framework.page_route(PATH + "/live", live_fragment, workspace)]


def _text(form: dict[str, str], name: str, limit: int = MAX_TITLE) -> str:
    return form.get(name, "")[:limit]


def _optional(form: dict[str, str], name: str, limit: int = MAX_LONG) -> str | None:
    return form.get(name, "").strip()[:limit] or None


def _agenda(form, meeting_id):
    return {"meetingId": meeting_id, "titleZh": _text(form, "titleZh"), "titleEn": _text(form, "titleEn"),
            "summary": _optional(form, "summary")}, {}


def _attendance(form, meeting_id):
    entries, problems = [], {}
    for key, value in form.items():
        if not key.startswith("att.") or value == "":
            continue
        if value not in ATTENDANCE:
            problems["entries"] = "council.not_a_choice"
            continue
        unit = key[4:][:MAX_ID]
        entries.append({"memberUnitId": unit, "present": ATTENDANCE[value],
                        "attendeeName": _optional(form, f"name.{unit}", 100)})
    return {"meetingId": meeting_id, "entries": entries}, problems


def _meeting(form, meeting_id):
    return {"meetingId": meeting_id}, {}


def _motion(form, meeting_id):
    problems = {} if form.get("kind") in MOTION_KINDS else {"kind": "council.not_a_choice"}
    return {"meetingId": meeting_id, "titleZh": _text(form, "titleZh"), "titleEn": _text(form, "titleEn"),
            "kind": form.get("kind"), "text": _optional(form, "text"),
            "agendaItemId": _optional(form, "agendaItemId", MAX_ID)}, problems


def _motion_only(form, meeting_id):
    return {"motionId": form.get("motion", "")[:MAX_ID]}, {}


def _votes(form, meeting_id):
    votes, problems = [], {}
    for key, value in form.items():
        if not key.startswith("vote.") or value == "":
            continue
        if value not in CHOICES:
            problems["votes"] = "council.not_a_choice"
            continue
        votes.append({"memberUnitId": key[5:][:MAX_ID], "choice": value})
    return {"motionId": form.get("motion", "")[:MAX_ID], "votes": votes}, problems


def _cast(form, meeting_id):
    choice = form.get("choice", "")
    return {"motionId": form.get("motion", "")[:MAX_ID], "choice": choice}, \
        {} if choice in CHOICES else {"choice": "council.not_a_choice"}


def _decide(form, meeting_id):
    admit = {"admit": True, "reject": False}.get(form.get("decision", ""))
    return {"unitId": form.get("unit", "")[:MAX_ID], "admit": bool(admit), "motionId": form.get("motion", "")[:MAX_ID],
            "reason": _optional(form, "reason", 2000)}, {} if admit is not None else {"decision": "council.not_a_choice"}


def _minutes(form, meeting_id):
    return {"meetingId": meeting_id, "discussion": form.get("discussion", "")[:MAX_LONG]}, {}


# do → the fields its form draws (a refusal of any other field goes above the form)
FIELDS: dict[str, frozenset[str]] = {
    "agenda": frozenset({"titleZh", "titleEn", "summary"}), "attendance": frozenset({"entries", "attendeeName"}),
    "motion": frozenset({"titleZh", "titleEn", "kind", "agendaItemId", "text"}), "votes": frozenset({"votes"}),
    "cast": frozenset({"choice"}), "minutes": frozenset({"discussion"}), "decide": frozenset({"decision", "reason"}),
}

# do → (input builder, document, the mutation's field)
ACTIONS: dict[str, tuple[Callable, str, str]] = {
    "agenda": (_agenda, "council_submit_agenda_item", "submitCouncilAgendaItem"),
    "attendance": (_attendance, "council_record_attendance", "recordCouncilAttendance"),
    "open": (_meeting, "council_open_meeting", "openCouncilMeeting"),
    "close": (_meeting, "council_close_meeting", "closeCouncilMeeting"),
    "cancel": (_meeting, "council_cancel_meeting", "cancelCouncilMeeting"),
    "motion": (_motion, "council_propose_motion", "proposeCouncilMotion"),
    "start_vote": (_motion_only, "council_start_vote", "startCouncilVote"),
    "votes": (_votes, "council_record_votes", "recordCouncilVotes"),
    "count": (_motion_only, "council_count_votes", "countCouncilVotes"),
    "minutes": (_minutes, "council_write_minutes", "writeCouncilMinutes"),
    "publish": (_meeting, "council_publish_minutes", "publishCouncilMinutes"),
    "approve_mode": (_meeting, "council_approve_voting_mode", "approveCouncilVotingMode"),
    "cast": (_cast, "council_cast_vote", "castCouncilVote"),
    "decide": (_decide, "council_decide_application", "decideCouncilApplication"),
}


async def meeting_page(workspace: Any, request: Request) -> Response:
    opened = await framework.open_page_and_form(workspace, request)
    if isinstance(opened, Response):
        return opened
    page, form = opened
    meeting_id = request.path_params["meeting_id"][:MAX_ID]
    if form is None:
        return await _render(page, meeting_id, done=request.query_params.get("done"))
    do = form.get("do", "")
    if do not in ACTIONS:
        return await _render(page, meeting_id, status=400, errors={framework.FORM: page.t("council.not_a_choice")})
    build, document, result = ACTIONS[do]
    variables, problems = build(form, meeting_id)
    target = {"do": do, "motion": form.get("motion", "")}
    if problems:
        return await _render(page, meeting_id, status=400, target=target, values=form,
                             errors={key: page.t(text) for key, text in problems.items()})
    outcome = await framework.act(page, document, {"input": variables}, result, FIELDS.get(do, frozenset()))
    if outcome.ok:
        path = PATH.format(meeting_id=meeting_id)
        units = request.query_params.get("units")
        return framework.done(page, path, done=do, **({"units": units} if units else {}))
    if outcome.code == "not_found":
        return framework.refused_action(page, outcome)  # a made-up or foreign meeting, motion, unit or agenda item
    return await _render(page, meeting_id, status=outcome.status, errors=outcome.errors, target=target, values=form)


async def _render(page: WorkspacePage, meeting_id: str, *, status: int = 200, done: str | None = None,
                  errors: dict[str, str] | None = None, target: dict[str, str] | None = None,
                  values: dict[str, str] | None = None) -> Response:
    data = await page.query("council_meeting", {"id": meeting_id, "first": UNITS_PAGE,
                                                "unitsAfter": cursor(page.request, "units")})
    meeting = data["councilMeeting"]
    if failure(meeting):
        return refused(page, meeting)
    units = data["councilMemberUnits"]
    units = None if failure(units) else units
    roles = (page.me.get("viewer") or {}).get("roles") or []
    present = {a["memberUnitId"] for a in meeting["attendance"] if a["present"]}
    attendance = {a["memberUnitId"]: a for a in meeting["attendance"]}
    secretariat, director = "SECRETARY" in roles, "DIRECTOR" in roles
    applicants = data["applicants"]
    applicants = [] if failure(applicants) else [edge["node"] for edge in applicants["edges"]]
    if target and errors and not _form_shown(target, meeting, secretariat, director, units is not None,
                                             bool(applicants)):
        # the form refused is not on the page as it stands (another role, a later state): above it all
        errors, target = {framework.FORM: errors.get(framework.FORM) or next(iter(errors.values()))}, {}
    path = PATH.format(meeting_id=meeting_id)
    units_after = page.request.query_params.get("units")
    action = with_language(page, path + ("?" + urlencode({"units": units_after}) if units_after else ""))
    return show(page, "ws_council_meeting.html", status=status, meeting=meeting, quorum=_quorum(data),
                units=units, applicants=applicants, present=present, attendance=attendance, errors=errors or {},
                target=target or {}, values=values or {}, choices=CHOICES, motion_kinds=MOTION_KINDS,
                secretariat=secretariat, director=director, action=action,
                live=with_language(page, path + "/live"), connection=units, pager_param="units",
                done=f"council.done.{done}" if done in ACTIONS else ("council.called" if done == "called" else None))


def _form_shown(target: dict[str, str], meeting: dict[str, Any], secretariat: bool, director: bool,
                units: bool, applicants: bool) -> bool:
    """Whether the page, as ``ws_council_meeting.html`` draws it, has the form ``target`` names."""
    do, state = target.get("do"), meeting["state"]
    motion = next((m for m in meeting["motions"] if m["id"] == target.get("motion")), None)
    minutes, remote = meeting["minutes"], meeting["votingMode"] != "IN_PERSON"
    shown = {
        "agenda": state == "CALLED",
        "attendance": secretariat and units and state in ("CALLED", "IN_SESSION"),
        "open": secretariat and state == "CALLED", "cancel": secretariat and state == "CALLED",
        "close": secretariat and state == "IN_SESSION", "motion": secretariat and state == "IN_SESSION",
        "start_vote": secretariat and state == "IN_SESSION" and motion is not None and motion["state"] == "PROPOSED",
        "votes": secretariat and state == "IN_SESSION" and motion is not None and motion["state"] == "VOTING"
        and meeting["votingMode"] == "IN_PERSON" and units,
        "count": secretariat and state == "IN_SESSION" and motion is not None and motion["state"] == "VOTING",
        "minutes": secretariat and state == "CLOSED" and not (minutes and minutes["state"] == "PUBLISHED"),
        "publish": (secretariat or director) and minutes is not None and minutes["state"] == "DRAFT",
        "approve_mode": remote and not meeting["votingModeApproved"] and state in ("CALLED", "IN_SESSION"),
        "cast": remote and state == "IN_SESSION" and motion is not None and motion["state"] == "VOTING",
        "decide": secretariat and applicants and motion is not None and motion["state"] == "PASSED",
    }
    return bool(shown.get(do or ""))


def _quorum(data: dict[str, Any]) -> dict[str, Any] | None:
    quorum = data.get("councilQuorum")
    return None if failure(quorum) else quorum


async def live_fragment(workspace: Any, request: Request) -> Response:
    """The quorum and the motions' tallies as they stand: what ``ws_council.js`` swaps in."""
    page = await framework.open_page(workspace, request)
    if isinstance(page, Response):
        return page
    data = await page.query("council_live", {"id": request.path_params["meeting_id"][:MAX_ID]})
    meeting = data["councilMeeting"]
    if failure(meeting):
        return refused(page, meeting)
    return show(page, "ws_council_live.html", meeting=meeting, quorum=_quorum(data))
