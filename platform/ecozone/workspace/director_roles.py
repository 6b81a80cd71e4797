"""``/workspace/roles``: the role grants of the acting zone (roleAssignments) with revoke beside
each and a grant form (grantRole / revokeRole) — the API decides who may grant which role (a
director any, a secretary experts and members); ``/workspace/audit``: the zone's audit log
(auditLog), oldest first, a page at a time, narrowed by action or kind of object."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ecozone.workspace import framework
from ecozone.workspace.council_common import PAGE_SIZE, show, with_language
from ecozone.workspace.framework import Section, cursor, failure, refused
from ecozone.workspace.page import WorkspacePage

ROLES_PATH, AUDIT_PATH = "/workspace/roles", "/workspace/audit"
GRANTABLE = ("DIRECTOR", "SECRETARY", "EXPERT", "MEMBER", "SUPERVISOR")
MAX_FILTER = 100
GRANT_FIELDS = frozenset({"userId", "role"})  # the grant form's fields
SECTIONS = (Section(ROLES_PATH, "director.roles", frozenset({"director", "secretary"})),
            Section(AUDIT_PATH, "director.audit", frozenset({"director", "supervisor"})))
TEXTS: dict[str, tuple[str, str]] = {
    "director.roles": ("角色分配", "Role grants"),
    "director.roles_intro": ("本试验区的角色分配。主任可授予或撤销主任、秘书、专家、成员和监督角色；秘书可授予或撤销专家和成员角色。",
                             "The roles held in this zone. A director grants or revokes any role here; a secretary, experts' and members'."),
    "director.person": ("人员", "Person"),
    "director.role": ("角色", "Role"),
    "director.granted_at": ("授予时间", "Granted"),
    "director.revoke": ("撤销", "Revoke"),
    "director.grant": ("授予角色", "Grant a role"),
    "director.grant_button": ("授予", "Grant"),
    "director.granted": ("已授予。", "Granted."),
    "director.revoked": ("已撤销。", "Revoked."),
    "director.role.DIRECTOR": ("主任", "director"),
    "director.role.SECRETARY": ("秘书", "secretary"),
    "director.role.EXPERT": ("专家", "expert"),
    "director.role.MEMBER": ("成员", "member"),
    "director.role.SUPERVISOR": ("监督", "supervisor"),
    "director.role.ENTERPRISE": ("企业", "enterprise"),
    "director.choose": ("请选择", "Choose"),
    "director.not_a_choice": ("不是可选的值", "is not one of the choices"),
    "director.audit": ("审计日志", "Audit log"),
    "director.audit_intro": ("本试验区的全部操作记录，按时间先后排列；记录前后相连，不可更改。",
                             "Everything done in this zone, oldest first; each entry is chained to the one before and cannot be changed."),
    "director.audit_action": ("操作", "Action"),
    "director.audit_object": ("对象", "Object"),
    "director.audit_outcome": ("结果", "Outcome"),
    "director.audit_time": ("时间（北京时间）", "Time (Beijing)"),
    "director.audit_actor": ("操作人", "By"),
    "director.audit_filter": ("筛选", "Narrow"),
    "director.audit_action_hint": ("如 standard.sign", "e.g. standard.sign"),
    "director.audit_object_hint": ("如 standard", "e.g. standard"),
}


def routes(workspace: Any) -> list[BaseRoute]:
    return [framework.page_route(ROLES_PATH, roles_page, workspace, ("GET", "POST")),
            framework.page_route(AUDIT_PATH, audit_page, workspace)]


async def roles_page(workspace: Any, request: Request) -> Response:
    opened = await framework.open_page_and_form(workspace, request)
    if isinstance(opened, Response):
        return opened
    page, form = opened
    if form is None:
        return await _roles(page, done=request.query_params.get("done"))
    revoking = form.get("do") == "revoke"
    values = {"user": form.get("user", "").strip()[:200], "role": form.get("role", "")}
    if values["role"] not in GRANTABLE + ("ENTERPRISE",):  # a made-up role is named, not sent
        return await _roles(page, status=400, errors={"role": page.t("director.not_a_choice")},
                            values={} if revoking else values)
    document, result = ("director_revoke_role", "revokeRole") if revoking else ("director_grant_role", "grantRole")
    outcome = await framework.act(page, document, {"input": {"userId": values["user"], "role": values["role"]}},
                                  result, GRANT_FIELDS)
    if outcome.ok:
        return framework.done(page, ROLES_PATH, done="revoked" if revoking else "granted")
    if outcome.code == "not_found":
        return framework.refused_action(page, outcome)  # a made-up person, or a role they do not hold here
    if revoking:  # a revoke refused (its own director role): above the list
        return await _roles(page, status=outcome.status, errors={framework.FORM: outcome.errors[framework.FORM]})
    return await _roles(page, status=outcome.status, errors=outcome.errors, values=values)


async def _roles(page: WorkspacePage, *, status: int = 200, done: str | None = None,
                 errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> Response:
    answer = (await page.query("director_roles", {"first": PAGE_SIZE, "after": cursor(page.request)}))["roleAssignments"]
    if failure(answer):
        return refused(page, answer)
    people: dict[str, dict[str, Any]] = {}
    for edge in answer["edges"]:
        user = edge["node"]["user"]
        if user is not None:
            people.setdefault(user["id"], user)
    return show(page, "ws_director_roles.html", status=status, connection=answer, people=list(people.values()),
                roles=GRANTABLE, errors=errors or {}, values=values or {},
                done={"granted": "director.granted", "revoked": "director.revoked"}.get(done or ""),
                action=with_language(page, ROLES_PATH))


async def audit_page(workspace: Any, request: Request) -> Response:
    page = await framework.open_page(workspace, request)
    if isinstance(page, Response):
        return page
    action = request.query_params.get("action", "").strip()[:MAX_FILTER] or None
    object_type = request.query_params.get("objectType", "").strip()[:MAX_FILTER] or None
    answer = (await page.query("director_audit", {"action": action, "objectType": object_type,
                                                  "first": PAGE_SIZE, "after": cursor(request)}))["auditLog"]
    if failure(answer):
        if answer.get("code") == "validation_failed":  # a bad cursor or filter: the form says so
            return show(page, "ws_director_audit.html", status=400, connection=None, action=action or "",
                        object_type=object_type or "", error=framework.refusals(answer, page.language)[framework.FORM])
        return refused(page, answer)
    return show(page, "ws_director_audit.html", connection=answer, action=action or "",
                object_type=object_type or "", error=None)
