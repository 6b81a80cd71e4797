"""One workspace page being answered: its language, the signed-in person (who, where they act,
where they may act — from the API, run as them), the session's CSRF token, and the answer
(never cached: a signed-in page is that person's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ecozone.auth.service import ZoneRefused
from ecozone.portal.i18n import LANGUAGES, Translator, language_of
from ecozone.portal.rendering import ASSETS, TEMPLATES_DIR as PORTAL_TEMPLATES

TEMPLATES_DIR = Path(__file__).parent / "templates"
DOCUMENTS_DIR = Path(__file__).parent / "documents"
environment = Environment(loader=ChoiceLoader([FileSystemLoader(TEMPLATES_DIR), FileSystemLoader(PORTAL_TEMPLATES)]),
                          autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
DOCUMENTS = {path.stem: path.read_text(encoding="utf-8") for path in DOCUMENTS_DIR.glob("*.graphql")}


class WorkspacePage:
    def __init__(self, request: Request, workspace: Any):
        self.request, self.workspace = request, workspace
        self.language = language_of(request)
        self.html_lang = LANGUAGES[self.language]
        from ecozone.workspace.registry import texts
        self.t = Translator(self.language, texts())
        self.assets = ASSETS
        self.web_session = None
        self.me: dict[str, Any] = {}

    @classmethod
    async def signed_in(cls, request: Request, workspace: Any, web_session: Any) -> "WorkspacePage":
        page = cls(request, workspace)
        page.web_session = web_session
        page.username = await _username(workspace, web_session.user_id)
        try:
            page.me = await page.query("me")
        except ZoneRefused:  # the role that let them act there was revoked since: back home
            await _forget_zone(workspace, web_session)
            page.me = await page.query("me")
        return page

    @property
    def csrf(self) -> str:
        return self.web_session.csrf_token if self.web_session is not None else ""

    async def query(self, name: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The document ``name`` run as the signed-in person in the zone they chose."""
        answer = await self.workspace.view.run_as(self.request, self.username, self.web_session.zone_slug,
                                                  DOCUMENTS[name], variables)
        if answer.get("errors"):
            raise RuntimeError(f"workspace document {name}: {answer['errors'][:2]}")
        return answer["data"]

    def sections(self) -> list:
        """The navigation's links for the roles held in the acting zone."""
        from ecozone.workspace.registry import sections
        roles = (self.me.get("viewer") or {}).get("roles") or []
        return [section for section in sections() if section.shown_to(roles)]

    def other_language_url(self) -> str:
        from urllib.parse import urlencode
        params = dict(self.request.query_params)
        if self.language == "zh":
            params["lang"] = "en"
        else:
            params.pop("lang", None)
        return self.request.url.path + ("?" + urlencode(params) if params else "")


async def _username(workspace: Any, user_id: int) -> str:
    from sqlalchemy import select

    from ecozone.auth.models import User
    from ecozone.db.engine import new_session
    from ecozone.db.scoping import ANONYMOUS
    users = User.__table__
    async with new_session(workspace.engine, ANONYMOUS) as db:
        async with db.begin():
            return (await db.execute(select(users.c.username).where(users.c.id == user_id))).scalar_one()


async def _forget_zone(workspace: Any, web_session: Any) -> None:
    from ecozone.db.engine import new_session, write_turn
    from ecozone.db.scoping import ANONYMOUS
    from ecozone.workspace.models import WebSession
    async with write_turn(workspace.engine, True), new_session(workspace.engine, ANONYMOUS, write=True) as db:
        async with db.begin():
            stored = await db.get(WebSession, web_session.token_hash)
            if stored is not None:
                stored.zone_slug = None
    web_session.zone_slug = None


def render(page: WorkspacePage, template: str, status: int = 200, **context: Any) -> Response:
    body = environment.get_template(template).render(page=page, t=page.t, **context)
    return HTMLResponse(body, status_code=status, headers={
        "Cache-Control": "no-store", "Vary": "Cookie", "Content-Language": page.html_lang,
        "X-Frame-Options": "DENY",  # a signed-in page is never framed (clickjacking)
        "Referrer-Policy": "same-origin"})
