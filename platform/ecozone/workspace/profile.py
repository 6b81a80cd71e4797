"""``/workspace/profile``: an expert keeps their registry profile — each field beside the choice
of who sees it (public / partners / private) — through the API's ``updateExpertProfile``; the
API's refusals are shown beside the fields they concern, in the page's language."""

from __future__ import annotations

from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from ecozone.workspace.framework import Section
from ecozone.workspace.page import WorkspacePage, render as render_page

SECTIONS = (Section("/workspace/profile", "my_profile", frozenset({"expert"})),)
TEXTS: dict[str, tuple[str, str]] = {}


def routes(workspace: Any) -> list[BaseRoute]:
    return [Route("/workspace/profile", partial(profile_page, workspace), methods=["GET", "POST"])]

# (input key, VisibleField or None, long text): the fields the form edits, in the page's order.
FIELDS: list[tuple[str, str | None, bool]] = [
    ("nameZh", None, False), ("nameEn", None, False), ("title", "TITLE", False),
    ("organisation", "ORGANISATION", False), ("email", "EMAIL", False), ("phone", "PHONE", False),
    ("orcid", "ORCID", False), ("biography", "BIOGRAPHY", True),
]
AVAILABILITY = ("AVAILABLE", "LIMITED", "UNAVAILABLE")
VISIBILITIES = ("PUBLIC", "PARTNERS", "PRIVATE")
MAX_VALUE_LENGTH = 4000


def changes(profile: dict[str, Any], form: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The ``UpdateExpertProfileInput`` of what the form changed, and problems found before
    asking (a made-up availability or visibility is named, not sent)."""
    update: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for key, _, _ in FIELDS:
        if key not in form:
            continue
        value = form[key].strip()[:MAX_VALUE_LENGTH]
        if value != (profile.get(key) or ""):
            update[key] = value
    if "availability" in form and form["availability"] != (profile.get("availability") or ""):
        if form["availability"] in AVAILABILITY:
            update["availability"] = form["availability"]
        else:
            problems["availability"] = "choice"
    current = {v["field"]: v["visibility"] for v in profile.get("visibility") or []}
    wanted = []
    for _, field, _ in FIELDS + [("availability", "AVAILABILITY", False)]:
        if field is None or f"visibility.{field}" not in form:
            continue
        choice = form[f"visibility.{field}"]
        if choice not in VISIBILITIES:
            problems[f"visibility.{field}"] = "choice"
        elif choice != current.get(field):
            wanted.append({"field": field, "visibility": choice})
    if wanted:
        update["visibility"] = wanted
    return update, problems


async def profile_page(workspace: Any, request: Request) -> Response:
    web_session = await workspace._session_of(request)
    if web_session is None or web_session.user_id is None:
        return workspace._to_sign_in(request)
    page = await WorkspacePage.signed_in(request, workspace, web_session)
    profile = (await page.query("my_profile"))["myExpertProfile"]
    if profile is None:
        return render(page, "ws_profile.html", profile=None, errors={}, values={}, saved=False)
    if request.method == "GET":
        return render(page, "ws_profile.html", profile=profile, errors={}, values=_values(profile),
                      saved=request.query_params.get("saved") == "1")
    form = await workspace._form(request)
    if form is None or not _csrf_ok(web_session, form):
        return workspace._refused(request, 403, "csrf_failed")
    update, problems = changes(profile, form)
    errors = {key: page.t("not_a_choice") for key in problems}
    if not errors and update:
        answer = (await page.query("update_profile", {"input": {"id": profile["id"], **update}}))["updateExpertProfile"]
        if answer["__typename"] == "ValidationFailed":
            for error in answer["fieldErrors"]:
                errors[error["field"]] = error["messageZh"] if page.language == "zh" else error["message"]
        elif answer["__typename"] != "Expert":
            errors["form"] = answer["messageZh"] if page.language == "zh" else answer["message"]
    if errors:  # nothing lost: the form shows what the person typed, beside each refusal
        values = {**_values(profile), **{k: v for k, v in form.items() if k != "csrf"}}
        return render(page, "ws_profile.html", status=400, profile=profile, errors=errors, values=values,
                      saved=False)
    suffix = "&lang=en" if page.language == "en" else ""
    return RedirectResponse(f"/workspace/profile?saved=1{suffix}", status_code=303)


def render(page: WorkspacePage, template: str, status: int = 200, **context: Any) -> Response:
    return render_page(page, template, status=status, fields=FIELDS, visibilities=VISIBILITIES,
                       availabilities=AVAILABILITY, **context)


def _values(profile: dict[str, Any]) -> dict[str, str]:
    values = {key: profile.get(key) or "" for key, _, _ in FIELDS}
    values["availability"] = profile.get("availability") or ""
    for item in profile.get("visibility") or []:
        values[f"visibility.{item['field']}"] = item["visibility"]
    return values


def _csrf_ok(web_session: Any, form: dict[str, str]) -> bool:
    from ecozone.workspace.sessions import csrf_valid
    return csrf_valid(web_session, form.get("csrf"))
