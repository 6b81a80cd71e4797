"""What every workspace page does the same way, so that a page module holds only its own work:

- ``open_page``: the signed-in person's page, or the redirect to sign-in;
- ``read_form``: the posted form once its CSRF token is checked, or the bilingual 403;
- ``act``: one of the API's mutations run as that person, its answer split into the object it
  returned or the refusals to show — each beside the field it concerns (``ValidationFailed``'s
  field errors) or above the form (any other ``Failure``), in the page's language;
- ``done``: the 303 back to a page after a change (POST/redirect/GET), keeping the language;
- ``Section``: a page's link in the navigation, shown to the roles it is for.

Every mutation document selects ``__typename``, ``... on Failure { code message messageZh }`` and,
where the mutation validates fields, ``... on ValidationFailed { fieldErrors { field message messageZh } }``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ecozone.workspace.page import WorkspacePage

FORM = "form"  # the key of a refusal that concerns the whole form, not one field


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


@dataclass
class Outcome:
    """A mutation's answer: the object it returned, or the refusals to show (field → message)."""
    data: dict[str, Any] | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


async def open_page(workspace: Any, request: Request) -> WorkspacePage | Response:
    """The page of the person this request's session belongs to, or the way to sign in."""
    web_session = await workspace._session_of(request)
    if web_session is None or web_session.user_id is None:
        return workspace._to_sign_in(request)
    return await WorkspacePage.signed_in(request, workspace, web_session)


async def read_form(workspace: Any, request: Request, page: WorkspacePage) -> dict[str, str] | Response:
    """The posted form with its CSRF token checked against the session's; the 403 page otherwise."""
    from ecozone.workspace.sessions import csrf_valid
    form = await workspace._form(request)
    if form is None or not csrf_valid(page.web_session, form.get("csrf")):
        return workspace._refused(request, 403, "csrf_failed")
    return {key: value for key, value in form.items() if key != "csrf"}


def refusals(answer: dict[str, Any], language: str) -> dict[str, str]:
    """The refusals in a mutation's answer, field → message in ``language``; empty for a success."""
    if "code" not in answer or "message" not in answer:
        return {}
    zh = language == "zh"
    found = {error["field"]: error["messageZh"] if zh else error["message"]
             for error in answer.get("fieldErrors") or []}
    found.setdefault(FORM, answer["messageZh"] if zh else answer["message"])
    return found


async def act(page: WorkspacePage, document: str, variables: dict[str, Any], result: str) -> Outcome:
    """Run the mutation ``document`` (a file of the workspace's documents) as the page's person;
    ``result`` names the mutation's field in the answer."""
    answer = (await page.query(document, variables))[result]
    errors = refusals(answer, page.language)
    return Outcome(errors=errors) if errors else Outcome(data=answer)


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
