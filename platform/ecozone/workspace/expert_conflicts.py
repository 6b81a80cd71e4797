"""``/workspace/conflicts``: an expert declares the units they work for or with (the API keeps
them off those units' review panels) and withdraws a declaration, through ``declareConflict``
and ``withdrawConflict``. One form posts both: ``intent`` says which."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ecozone.workspace import framework
from ecozone.workspace.expert_common import not_found, render, text

PATH = "/workspace/conflicts"
RELATIONS = ("EMPLOYER", "COLLABORATOR", "OTHER")


def routes(workspace: Any) -> list:
    return [framework.page_route(PATH, conflicts_page, workspace, methods=("GET", "POST"))]


async def conflicts_page(workspace: Any, request: Request) -> Response:
    opened = await framework.open_page_and_form(workspace, request)
    if isinstance(opened, Response):
        return opened
    page, form = opened
    profile = (await page.query("expert_my_conflicts"))["myExpertProfile"]
    if form is None:
        return _show(page, profile, done=request.query_params.get("done", ""))
    if form.get("intent") == "withdraw":
        answer = await framework.act(page, "expert_withdraw_conflict", {"input": {"id": form.get("id", "")[:200]}},
                              "withdrawConflict")
        if answer.status == 404:
            return not_found(page)
        if not answer.ok:
            return _show(page, profile, status=answer.status, withdraw_errors=answer.errors)
        return framework.done(page, PATH, done="withdrawn")
    values = {"unitName": text(form, "unitName"), "relation": form.get("relation", ""), "note": text(form, "note")}
    if values["relation"] not in RELATIONS:  # a made-up choice is named here, never sent
        return _show(page, profile, status=400, values=values, errors={"relation": page.t("expert.not_a_choice")})
    answer = await framework.act(page, "expert_declare_conflict",
                          {"input": {**values, "note": values["note"] or None}}, "declareConflict", tuple(values))
    if not answer.ok:  # everything typed is kept, each refusal beside its field
        return _show(page, profile, status=answer.status, values=values, errors=answer.errors)
    return framework.done(page, PATH, done="declared")


def _show(page: Any, profile: dict | None, *, status: int = 200, values: dict | None = None,
          errors: dict | None = None, withdraw_errors: dict | None = None, done: str = "") -> Response:
    conflicts = (profile or {}).get("conflicts") or []
    return render(page, "ws_expert_conflicts.html", status=status, profile=profile,
                  in_force=[c for c in conflicts if not c["withdrawnAt"]], relations=RELATIONS,
                  values=values or {"unitName": "", "relation": "EMPLOYER", "note": ""},
                  errors=errors or {}, withdraw_errors=withdraw_errors or {},
                  done=done if done in ("declared", "withdrawn") else "")
