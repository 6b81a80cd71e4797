"""The page a person sees at a Digital Link URL: the product's chain, public indicators only.

Drawn with the portal's base template (``portal/templates/trace/product.html`` extends
``base.html``) when the portal is installed, so the page has the portal's header, language
switch and styles; otherwise with the self-contained ``trace/templates/product.html``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ecozone.errors import DomainError
from ecozone.trace import rules
from ecozone.trace.chain import Chain

OWN = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                  autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def _portal():
    try:
        from ecozone.portal import rendering
        rendering.environment.get_template("trace/product.html")
    except Exception:  # noqa: BLE001 - the portal is optional: any failure means the own page
        return None
    return rendering


def _language(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "zh"


def _view(found: Chain) -> dict[str, Any]:
    events = [{"type": e.record.event_type, "name_zh": rules.EVENT_TYPES[e.record.event_type][1],
               "name_en": rules.EVENT_TYPES[e.record.event_type][2], "when": e.record.occurred_at,
               "place": e.record.place, "reason": e.record.reason, "batch": e.record.batch,
               "enterprise_zh": e.enterprise.name_zh, "enterprise_en": e.enterprise.name_en,
               "indicators": sorted(e.data.items())} for e in found.events]
    return {"code": found.code, "batch": found.batch, "events": events,
            "links": [{"parent": p, "child": c} for p, c in found.links]}


def _render(request: Request, template: str, status: int, **context: Any) -> Response:
    rendering = _portal()
    if rendering is not None:
        page = rendering.Page(request, None)
        body = rendering.environment.get_template(f"trace/{template}").render(page=page, t=page.t, **context)
        response = rendering.html_answer(request, body, status, page.language)
    else:
        language = _language(request)
        body = OWN.get_template(template).render(lang=language, **context)
        response = HTMLResponse(body, status_code=status, headers={"Content-Language": "zh-CN" if language == "zh"
                                                                   else "en", "Cache-Control": "public, max-age=60"})
    response.headers["Vary"] = "Accept"
    return response


def product(request: Request, found: Chain) -> Response:
    return _render(request, "product.html", 200, chain=_view(found), lang=_language(request))


def not_found(request: Request, exc: DomainError) -> Response:
    status = 400 if exc.code == "validation_failed" else 404
    return _render(request, "product.html", status, chain=None, lang=_language(request),
                   error_zh=exc.message_zh, error_en=exc.message_en)
