"""``/workspace/approvals``: the director's joint-approval queue — the standards at stage 50 in
which the acting zone takes part, each zone's decision beside, and for this zone's pending ones
a plain "sign" button and a "refuse" form with its reason (signStandard / refuseStandard).

Everything goes through the API as the signed-in person in their acting zone: a director of
another zone posting a standard's ID gets the API's own refusal (NotFound as a 404 page), never
a signature."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ecozone.workspace import framework
from ecozone.workspace.council_common import PAGE_SIZE, show, with_language
from ecozone.workspace.council_common import TEXTS as COMMON_TEXTS
from ecozone.workspace.framework import Section, cursor, failure, refused
from ecozone.workspace.page import WorkspacePage

PATH = "/workspace/approvals"
MAX_REASON = 2000
REFUSE_FIELDS = frozenset({"reason"})  # the one field a row's forms draw
SECTIONS = (Section(PATH, "director.approvals", frozenset({"director"})),)
TEXTS: dict[str, tuple[str, str]] = {
    **COMMON_TEXTS,
    "director.approvals": ("联合批准", "Joint approvals"),
    "director.approvals_intro": ("以下标准处于联合批准阶段（阶段 50），本试验区参与其中。签署即代表本区批准；拒绝须说明理由，标准将退回起草阶段，各区签署重新开始。",
                                 "These standards await joint approval (stage 50) and this zone takes part. Signing approves for this zone; a refusal needs its reason and sends the standard back to drafting, every signature starting again."),
    "director.no_zone": ("请先选择所操作的试验区。", "Choose the zone you act in first."),
    "director.standard": ("标准", "Standard"),
    "director.lead_zone": ("牵头试验区", "Lead zone"),
    "director.decisions": ("各试验区决定", "Each zone's decision"),
    "director.this_zone": ("本区", "This zone"),
    "director.sign": ("签署", "Sign"),
    "director.refuse": ("拒绝", "Refuse"),
    "director.reason": ("拒绝理由", "Reason for refusing"),
    "director.signed": ("已签署。", "Signed."),
    "director.refused": ("已拒绝，标准退回起草阶段。", "Refused; the standard is back in drafting."),
    "director.decision.PENDING": ("待签署", "pending"),
    "director.decision.SIGNED": ("已签署", "signed"),
    "director.decision.REFUSED": ("已拒绝", "refused"),
    "director.kind.JOINT_LOCAL": ("联合地方标准", "joint local standard"),
    "director.kind.GROUP": ("团体标准", "group standard"),
    "director.empty": ("没有等待本区批准的标准。", "No standard awaits this zone's approval."),
}


def routes(workspace: Any) -> list[BaseRoute]:
    return [framework.page_route(PATH, approvals_page, workspace, ("GET", "POST"))]


async def approvals_page(workspace: Any, request: Request) -> Response:
    opened = await framework.open_page_and_form(workspace, request)
    if isinstance(opened, Response):
        return opened
    page, form = opened
    if form is None:
        return await _render(page, done=request.query_params.get("done"))
    standard_id = form.get("standard", "").strip()[:200]
    if form.get("do") == "refuse":
        reason = form.get("reason", "")[:MAX_REASON]
        outcome = await framework.act(page, "director_refuse", {"input": {"id": standard_id, "reason": reason}},
                                      "refuseStandard", REFUSE_FIELDS)
        done = "refused"
    else:
        reason = ""
        outcome = await framework.act(page, "director_sign", {"input": {"id": standard_id}}, "signStandard",
                                      REFUSE_FIELDS)
        done = "signed"
    if outcome.ok:
        return framework.done(page, PATH, done=done)
    if outcome.code == "not_found":
        return framework.refused_action(page, outcome)  # a made-up ID, or a standard this zone may not see
    return await _render(page, status=outcome.status, errors=outcome.errors, errors_for=standard_id, reason=reason)


async def _render(page: WorkspacePage, *, status: int = 200, done: str | None = None,
                  errors: dict[str, str] | None = None, errors_for: str = "", reason: str = "") -> Response:
    zone = (page.me.get("viewer") or {}).get("zone")
    connection = None
    if zone is not None:
        answer = (await page.query("director_approvals", {"zone": zone["slug"], "first": PAGE_SIZE,
                                                          "after": cursor(page.request)}))["standards"]
        if failure(answer):
            return refused(page, answer)
        connection = answer
    rows = []
    for edge in (connection or {}).get("edges", []):
        standard = edge["node"]
        mine = next((z for z in standard["zones"] if zone and z["zone"]["slug"] == zone["slug"]), None)
        rows.append({"standard": standard, "mine": mine})
    if errors and errors_for and not any(r["standard"]["id"] == errors_for for r in rows):
        errors = {framework.FORM: errors.get(framework.FORM) or next(iter(errors.values()))}
        errors_for = ""  # the row is no longer in the queue: say so above it
    return show(page, "ws_director_approvals.html", status=status, zone=zone, connection=connection,
                  rows=rows, done={"signed": "director.signed", "refused": "director.refused"}.get(done or ""),
                  errors=errors or {}, errors_for=errors_for, reason=reason,
                  action=with_language(page, PATH))
