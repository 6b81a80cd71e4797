"""``/workspace/projects/{projectId}``: one project — its working group (add / remove), the
requests to join (accept / decline, for the proposer), a request to join, an adjustment
request, the closure report, and the project's standards with their drafts; for the drafting
group (or the lead zone's office) while a standard is in drafting, "add a draft version".

Each form posts back here with its ``action``; the API decides every one. Which forms are shown
follows what the API says of who may act (``offered``), for convenience only: a form posted
where it is not shown gets the API's own refusal, above the page."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ecozone.workspace import framework
from ecozone.workspace.framework import failure, link, refused
from ecozone.workspace.member_common import MAX_LARGE_FORM_BYTES, ask, posted_id, show
from ecozone.workspace.page import WorkspacePage

PATH = "/workspace/projects/{id}"
STAFF = frozenset({"DIRECTOR", "SECRETARY"})
JOIN_OPEN = frozenset({"PUBLIC_NOTICE", "IN_PROGRESS"})
WORKING_GROUP_ROLES = ("LEAD_UNIT", "PARTICIPATING_UNIT", "LEADER", "DRAFTER", "MEMBER")
MAX_VALUE = 20_000  # a short field past every API bound: the API names its limit, nothing is cut
MAX_TEXT = 600_000  # a draft's text: past the API's 500 000 characters, likewise


def offered(project: dict[str, Any], viewer: dict[str, Any]) -> dict[str, bool]:
    """The forms the page shows ``viewer``, keyed as the forms are (``add_draft:<standard ID>``),
    from the API's rules: the proposer and the project zone's office manage the working group;
    the proposer decides requests to join; anyone else may ask to join while the project is on
    notice or in progress; the proposer or a leader asks for an adjustment and submits the
    closure report; the proposer, the working group's people and the lead zone's office add
    drafts to a standard in drafting (standards.service.add_version)."""
    me = (viewer.get("user") or {}).get("id")
    roles = {role.upper() for role in viewer.get("roles") or []}
    acting = (viewer.get("zone") or {}).get("slug")
    proposer = me is not None and (project.get("proposer") or {}).get("id") == me
    people = [row for row in project["workingGroup"] if (row.get("user") or {}).get("id") == me] if me else []
    leader = any(row["role"] == "LEADER" for row in people)
    staff_here = bool(roles & STAFF) and acting == project["zone"]["slug"]
    actions = set(project.get("nextActions") or [])
    shown = {
        "add_member": proposer or staff_here,
        "remove_member": proposer or staff_here,
        "decide_join": proposer,
        "request_join": project["state"] in JOIN_OPEN and not proposer and not people and me is not None,
        "request_adjustment": "REQUEST_ADJUSTMENT" in actions and (proposer or leader),
        "submit_closure": "SUBMIT_CLOSURE" in actions and (proposer or leader),
    }
    for standard in project.get("standards") or []:
        lead_staff = bool(roles & STAFF) and acting == standard["leadZone"]["slug"]
        shown[f"add_draft:{standard['id']}"] = standard["stage"]["state"] == "DRAFTING" and (
            proposer or bool(people) or lead_staff)
    return shown


def candidates(project: dict[str, Any], viewer: dict[str, Any]) -> list[dict[str, str]]:
    """The people the working-group form offers (the API has no directory of people): the
    signed-in person and those who asked to join, each once, not already in the group."""
    in_group = {(row.get("user") or {}).get("id") for row in project["workingGroup"]}
    found: dict[str, str] = {}
    for user in [viewer.get("user")] + [request.get("user") for request in project.get("joinRequests") or []]:
        if user and user.get("id") and user["id"] not in in_group:
            found.setdefault(user["id"], user["displayName"])
    return [{"id": key, "displayName": name} for key, name in found.items()]


# action → (document, the mutation's field, the input from the form and the project ID, the form's key)
def _input(action: str, form: dict[str, str], project_id: str) -> tuple[str, str, dict[str, Any], str] | None:
    text = {key: value[:MAX_TEXT if key == "text" else MAX_VALUE] for key, value in form.items()}
    if action == "add_member":
        user = posted_id(form, "userId")
        return "member_add_member", "addWorkingGroupMember", {
            "projectId": project_id, "role": text.get("role", ""), "unitName": text.get("unitName", ""),
            "userId": user or None}, "add_member"
    if action == "remove_member":
        member = posted_id(form, "member")
        return "member_remove_member", "removeWorkingGroupMember", {"id": member}, f"remove_member:{member}"
    if action in ("accept_join", "decline_join"):
        request = posted_id(form, "request")
        document = "member_accept_join" if action == "accept_join" else "member_decline_join"
        field = "acceptJoinRequest" if action == "accept_join" else "declineJoinRequest"
        return document, field, {"id": request, "reason": text.get("reason", "").strip() or None}, f"join:{request}"
    if action == "request_join":
        return "member_request_join", "requestToJoinProject", {
            "projectId": project_id, "unitName": text.get("unitName", ""),
            "note": text.get("note", "").strip() or None}, "request_join"
    if action == "request_adjustment":
        return "member_request_adjustment", "requestProjectAdjustment", {
            "id": project_id, "reason": text.get("reason", "")}, "request_adjustment"
    if action == "submit_closure":
        return "member_submit_closure", "submitProjectClosure", {
            "id": project_id, "closureReport": text.get("closureReport", ""),
            "reason": text.get("reason", "").strip() or None}, "submit_closure"
    if action == "add_draft":
        standard = posted_id(form, "standard")
        return "member_add_draft", "addDraftVersion", {
            "standardId": standard, "text": text.get("text", ""), "changeNote": text.get("changeNote", "")
        }, f"add_draft:{standard}"
    return None


async def project_page(workspace: Any, request: Request) -> Response:
    opened = await framework.open_page_and_form(workspace, request, MAX_LARGE_FORM_BYTES)
    if isinstance(opened, Response):
        return opened
    page, form = opened
    project_id = request.path_params["project_id"][:200]
    if form is None:
        return await _render(page, project_id, done=request.query_params.get("done"))
    action = form.get("action", "")
    if action == "add_member" and form.get("role") not in WORKING_GROUP_ROLES:
        # an enum the API's schema would not even parse: named beside the field, not sent
        return await _render(page, project_id, status=400, key="add_member", values=form,
                             errors={"role": page.t("not_a_choice"), framework.FORM: page.t("not_a_choice")})
    planned = _input(action, form, project_id)
    if planned is None:
        return await _render(page, project_id, status=400, key="unknown",
                             errors={framework.FORM: page.t("member.unknown_action")})
    document, result, input_, key = planned
    answer = await ask(page, document, input_, result)
    if answer.ok:
        return framework.done(page, PATH.format(id=project_id), done=action)
    return await _render(page, project_id, status=answer.status, key=key, values=form, errors=answer.errors)


async def _render(page: WorkspacePage, project_id: str, *, status: int = 200, done: str | None = None,
                  key: str = "", values: dict[str, str] | None = None,
                  errors: dict[str, str] | None = None) -> Response:
    answer = await page.query("member_project", {"id": project_id})
    project = answer["project"]
    if failure(project):
        return refused(page, project)  # a made-up ID, or a project this person may not see: 404
    viewer = answer["viewer"]
    shown = offered(project, viewer)
    errors = errors or {}
    # a refusal of a form the page does not show (posted anyway, or gone since) is said above all
    above = errors.get(framework.FORM) if errors and not _form_shown(key, shown, project) else None
    return show(page, "ws_member_project.html", status=status, project=project, viewer=viewer,
                shown=shown, people=candidates(project, viewer), roles=WORKING_GROUP_ROLES,
                key=key, values=values or {}, errors=errors, above=above,
                done=done if done in DONE else None, done_text=DONE.get(done or ""),
                action=link(page, PATH.format(id=project["id"])))


def _form_shown(key: str, shown: dict[str, bool], project: dict[str, Any]) -> bool:
    kind, _, target = key.partition(":")
    if kind == "remove_member":
        return shown["remove_member"] and any(row["id"] == target and row["role"] != "LEAD_UNIT"
                                              for row in project["workingGroup"])
    if kind == "join":
        return shown["decide_join"] and any(row["id"] == target and row["status"] == "PENDING"
                                            for row in project.get("joinRequests") or [])
    return shown.get(key, False)


DONE = {"proposed": "member.done.proposed", "add_member": "member.done.add_member",
        "remove_member": "member.done.remove_member", "accept_join": "member.done.accept_join",
        "decline_join": "member.done.decline_join", "request_join": "member.done.request_join",
        "request_adjustment": "member.done.request_adjustment", "submit_closure": "member.done.submit_closure",
        "add_draft": "member.done.add_draft"}
