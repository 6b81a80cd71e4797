"""What every workspace page does the same way, so that a page module holds only its own work:

- ``open_page``: the signed-in person's page, or the redirect to sign-in;
- ``read_form``: the posted form once its CSRF token is checked, or the bilingual 403;
- ``open_page_and_form``: both at once for a page that shows itself (GET) and posts to itself;
- ``act``: one of the API's mutations run as that person, its answer split into the object it
  returned or the refusals to show — each beside the field it concerns (``ValidationFailed``'s
  field errors) or above the form (any other ``Failure``), in the page's language — with the
  refusal's code and the HTTP status that code answers with (``status_of``);
- ``failure``/``refused``: a read the API refused, and the page that says so with its status;
- ``done``: the 303 back to a page after a change (POST/redirect/GET), keeping the language;
- ``Section``: a page's link in the navigation, shown to the roles it is for.

Every mutation document selects ``__typename``, ``... on Failure { code message messageZh }`` and,
where the mutation validates fields, ``... on ValidationFailed { fieldErrors { field message messageZh } }``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ecozone.workspace.page import WorkspacePage, render

FORM = "form"  # the key of a refusal that concerns the whole form, not one field
MAX_CURSOR = 200  # a cursor longer than this is not one of the API's
BEIJING = ZoneInfo("Asia/Shanghai")
# A refusal's code → the status of the page showing it: the API's four Failure kinds, and the
# codes of its Conflicts of their own (ecozone.errors.Conflict subclasses: a rule of the charter or
# the workflow refusing what the current state does not allow, 409 like any Conflict). Any other: 400.
STATUS_OF_CODE = {"validation_failed": 400, "permission_denied": 403, "not_found": 404, "conflict": 409,
                  "illegal_transition": 409, "conflict_of_interest": 409, "agenda_late": 409,
                  "quorum_not_met": 409, "missing_signatures": 409, "charter": 409}


@dataclass(frozen=True)
class Section:
    """A workspace page's entry in the navigation. ``roles`` are the acting zone's roles (lower case,
    as ``viewer.roles`` lists them) that see the link; empty: everyone signed in. Hiding a link is
    for convenience only — the API refuses what a role may not do, and the page shows that refusal."""
    path: str
    text_key: str
    roles: frozenset[str] = frozenset()

    def shown_to(self, roles: list[str]) -> bool:
        return not self.roles or bool(self.roles & {role.lower() for role in roles})


def status_of(code: str | None) -> int:
    """The HTTP status of a page showing a refusal with this code (400 for a code not listed)."""
    return STATUS_OF_CODE.get(code or "", 400)


@dataclass
class Outcome:
    """A mutation's answer: the object it returned, or the refusals to show (field → message),
    the refusal's code and the status of the page that shows them."""
    data: dict[str, Any] | None = None
    errors: dict[str, str] = field(default_factory=dict)
    code: str | None = None
    status: int = 200

    @property
    def ok(self) -> bool:
        return not self.errors


async def open_page(workspace: Any, request: Request) -> WorkspacePage | Response:
    """The page of the person this request's session belongs to, or the way to sign in."""
    web_session = await workspace._session_of(request)
    if web_session is None or web_session.user_id is None:
        return workspace._to_sign_in(request)
    return await WorkspacePage.signed_in(request, workspace, web_session)


async def read_form(workspace: Any, request: Request, page: WorkspacePage,
                    max_bytes: int | None = None) -> dict[str, str] | Response:
    """The posted form with its CSRF token checked against the session's; the 403 page otherwise.
    ``max_bytes``: a larger bound than the workspace's usual one, for a form that needs it."""
    from ecozone.workspace.sessions import csrf_valid
    form = await workspace._form(request, **({"max_bytes": max_bytes} if max_bytes else {}))
    if form is None or not csrf_valid(page.web_session, form.get("csrf")):
        return workspace._refused(request, 403, "csrf_failed")
    return {key: value for key, value in form.items() if key != "csrf"}


async def open_page_and_form(workspace: Any, request: Request, max_bytes: int | None = None
                             ) -> tuple[WorkspacePage, dict[str, str] | None] | Response:
    """``open_page`` and, for a POST, ``read_form``: the page and its form (None for a GET), or the
    response that answers instead (the way to sign in, the CSRF 403)."""
    page = await open_page(workspace, request)
    if isinstance(page, Response):
        return page
    if request.method == "GET":
        return page, None
    form = await read_form(workspace, request, page, max_bytes)
    if isinstance(form, Response):
        return form
    return page, form


def refusals(answer: dict[str, Any], language: str) -> dict[str, str]:
    """The refusals in a mutation's answer, field → message in ``language``; empty for a success."""
    if "code" not in answer or "message" not in answer:
        return {}
    zh = language == "zh"
    found = {error["field"]: error["messageZh"] if zh else error["message"]
             for error in answer.get("fieldErrors") or []}
    found.setdefault(FORM, answer["messageZh"] if zh else answer["message"])
    return found


def place(errors: dict[str, str], fields: frozenset[str] | set[str] | tuple[str, ...]) -> dict[str, str]:
    """The refusals to draw on a form with ``fields``: a field's stays beside it; any other field's
    (an ID the API names, say) joins the message above the form, so no refusal is lost."""
    kept = {key: text for key, text in errors.items() if key in fields}
    above = [errors[FORM]] if FORM in errors else []
    above += [text for key, text in errors.items() if key != FORM and key not in fields and text not in above]
    if above:
        kept[FORM] = "；".join(above) if all(ord(c) > 127 for c in above[0][:1]) else "; ".join(above)
    return kept


async def act(page: WorkspacePage, document: str, variables: dict[str, Any], result: str,
              fields: frozenset[str] | set[str] | tuple[str, ...] | None = None) -> Outcome:
    """Run the mutation ``document`` (a file of the workspace's documents) as the page's person;
    ``result`` names the mutation's field in the answer. With ``fields`` (those the form draws),
    the refusals are ``place``d on them."""
    answer = (await page.query(document, variables))[result]
    errors = refusals(answer, page.language)
    if not errors:
        return Outcome(data=answer)
    code = answer.get("code")
    return Outcome(errors=errors if fields is None else place(errors, fields), code=code, status=status_of(code))


def failure(answer: dict[str, Any] | None) -> dict[str, Any] | None:
    """The Failure in a read's answer (a union), or None when it answered its object."""
    if answer and "code" in answer and "message" in answer:
        return answer
    return None


def message_page(page: WorkspacePage, status: int, message: str) -> Response:
    """A page saying only ``message`` (a refusal with nothing else to show), with ``status``."""
    return render(page, "ws_message.html", status=status, message=message)


def refused(page: WorkspacePage, answer: dict[str, Any]) -> Response:
    """A read the API refused: its bilingual message, with the status of its code — a made-up or
    foreign ID is the API's NotFound, a 404 page, never a 500."""
    return message_page(page, status_of(answer.get("code")),
                        answer["messageZh"] if page.language == "zh" else answer["message"])


def refused_action(page: WorkspacePage, outcome: Outcome) -> Response:
    """An action the API refused with nothing of the form left to show (the ID it was for is
    made up or foreign: NotFound, a 404 page)."""
    return message_page(page, outcome.status, outcome.errors.get(FORM) or next(iter(outcome.errors.values())))


def cursor(request: Request, name: str = "after") -> str | None:
    """A cursor from the URL (``?after=``), or None; a made-up one is the API's to refuse."""
    value = request.query_params.get(name) or None
    return value[:MAX_CURSOR] if value else None


def beijing(value: str | None) -> str:
    """An API DateTime in Beijing time with its offset: ``2026-12-02 07:32 +08:00``."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value)  # Python 3.11+ reads the "Z" of UTC
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M %z").replace("+0800", "+08:00")


def link(page: WorkspacePage, path: str, **params: str | None) -> str:
    """``path`` with ``params`` (empty ones left out) in the page's language."""
    kept = {key: value for key, value in params.items() if value}
    if page.language != "zh":
        kept["lang"] = page.language
    return path + ("?" + urlencode(kept) if kept else "")


def done(page: WorkspacePage, path: str, **params: str) -> Response:
    """303 to ``path`` after a change, in the page's language (a reload never posts twice)."""
    if page.language != "zh":
        params["lang"] = page.language
    return RedirectResponse(path + ("?" + urlencode(params) if params else ""), status_code=303)


def page_route(path: str, handler: Any, workspace: Any, methods: tuple[str, ...] = ("GET",)) -> Any:
    """A route to ``handler(workspace, request)`` (a partial keeps it recognised as async)."""
    from functools import partial

    from starlette.routing import Route
    return Route(path, partial(handler, workspace), methods=list(methods))
