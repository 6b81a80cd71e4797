"""The page a person sees at a Digital Link URL: the product's chain, public indicators only.

Drawn with the portal's templates (``portal/templates/trace/product.html`` extends ``base.html``),
so the page has the portal's header, language switch, styles, ETag and 304.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ecozone.errors import DomainError
from ecozone.portal import rendering
from ecozone.trace import rules
from ecozone.trace.chain import Chain


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
    page = rendering.Page(request, None)
    body = rendering.environment.get_template(f"trace/{template}").render(page=page, t=page.t, **context)
    response = rendering.html_answer(request, body, status, page.language)
    response.headers["Vary"] = "Accept"
    return response


def product(request: Request, found: Chain) -> Response:
    return _render(request, "product.html", 200, chain=_view(found), lang=_language(request))


def not_found(request: Request, exc: DomainError) -> Response:
    status = 400 if exc.code == "validation_failed" else 404
    return _render(request, "product.html", status, chain=None, lang=_language(request),
                   error_zh=exc.message_zh, error_en=exc.message_en)
