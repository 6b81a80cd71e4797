"""One portal page being answered: its language, its zone (``/{zone}/…``), links that keep
both, the templates, and the HTTP answer (ETag and 304, caching, errors as pages)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ecozone.portal.i18n import LANGUAGES, Translator, language_of
from ecozone.web.http_cache import etag_for, if_none_match_matches

log = logging.getLogger("ecozone.portal")
TEMPLATES_DIR = Path(__file__).parent / "templates"
ASSETS = "/assets"  # the portal's own static files (portal/static), mounted by routes()

environment = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(["html"]),
                          trim_blocks=True, lstrip_blocks=True)


class Page:
    """What every template gets as ``page``."""

    def __init__(self, request: Request, portal: Any, zone: str | None = None):
        self.request, self.portal = request, portal
        self.language = language_of(request)
        self.html_lang = LANGUAGES[self.language]
        self.t = Translator(self.language)
        self.zone = zone  # a zone's own view: its slug; None on the base's pages
        self.zones: list[dict[str, Any]] = []  # every zone (slug, names), from the page's document
        self.assets = ASSETS

    def url(self, path: str, **params: Any) -> str:
        """``path`` under this page's zone prefix, in this page's language, with ``params``
        (empty values dropped, so links stay short and canonical)."""
        prefix = f"/{self.zone}" if self.zone and not path.startswith("/assets") else ""
        query = {k: v for k, v in params.items() if v not in (None, "", [])}
        if self.language != "zh":
            query["lang"] = self.language
        target = prefix + path if path != "/" or not prefix else prefix + "/"
        return target + ("?" + urlencode(query, doseq=True) if query else "")

    def path(self, path: str) -> str:
        """``path`` under this page's zone prefix, without parameters: a GET form's ``action``
        (browsers drop an action's query string; the language travels in a hidden field)."""
        return self.url(path).split("?", 1)[0]

    def base_url(self, path: str, **params: Any) -> str:
        """The same, on the base's pages (no zone prefix)."""
        zone, self.zone = self.zone, None
        try:
            return self.url(path, **params)
        finally:
            self.zone = zone

    def zone_url(self, slug: str | None) -> str:
        """This page's path in another zone's view (or the base's, ``None``)."""
        path = self.request.url.path
        if self.zone:
            path = path[len(self.zone) + 1:] or "/"
        params = {k: v for k, v in self.request.query_params.items() if k not in ("lang", "after", "zone")}
        zone, self.zone = self.zone, slug
        try:
            return self.url(path, **params)
        finally:
            self.zone = zone

    def other_language_url(self) -> str:
        params = dict(self.request.query_params)
        if self.language == "zh":
            params["lang"] = "en"
        else:
            params.pop("lang", None)
        return self.request.url.path + ("?" + urlencode(params) if params else "")

    def zone_name(self, slug: str | None) -> str:
        for zone in self.zones:
            if zone["slug"] == slug:
                return self.t.pick(zone, "name")
        return slug or ""

    async def query(self, name: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run the portal's document ``name``; its ``zones`` (every document asks for them)
        are kept for the header's zone menu."""
        data = await self.portal.client.run(self.request, name, variables)
        zones = data.get("zones")
        if isinstance(zones, dict):
            self.zones = [edge["node"] for edge in zones.get("edges", [])]
        return data

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        body = environment.get_template(template).render(page=self, t=self.t, **context)
        return html_answer(self.request, body, status, self.language)


def html_answer(request: Request, body: str, status: int, language: str) -> Response:
    """The page, with a strong ETag of its bytes: a visitor's browser (or a partner's cache)
    revalidates and gets ``304`` while nothing changed. Public, never stale: ``no-cache``."""
    encoded = body.encode("utf-8")
    headers = {"Content-Language": LANGUAGES[language], "Vary": "Accept, Accept-Encoding"}
    if status == 200:
        etag = etag_for(encoded)
        headers.update({"ETag": etag, "Cache-Control": "public, no-cache"})
        if if_none_match_matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
    else:
        headers["Cache-Control"] = "no-store"
    return HTMLResponse(encoded, status_code=status, headers=headers)


def not_found(page: Page) -> Response:
    return error_page(page, 404, "not_found", "not_found_text")


def error_page(page: Page, status: int, title: str, text: str | None,
               detail: list[dict[str, Any]] | None = None) -> Response:
    messages = []
    for error in detail or []:  # a request error's own bilingual message
        extensions = error.get("extensions") or {}
        messages.append(extensions.get("messageZh", error.get("message")) if page.language == "zh"
                        else error.get("message"))
    return page.render("error.html", status=status, title=page.t(title),
                       text=page.t(text) if text else "", messages=messages)
