"""File downloads: GET /exports/consultations/{id}/comments.xlsx and .csv.

Authenticated exactly like /graphql (optional ``Authorization: Bearer``, optional
``X-Zone``), in one read-only transaction whose scope is the actor's: a consultation the
viewer may not see is answered 404, the same as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ecozone.audit.service import write_deferred
from ecozone.auth.service import ZoneRefused, record_zone_refusal, resolve_actor
from ecozone.auth.tokens import InvalidToken, decode_token
from ecozone.consultation import export, service
from ecozone.db.engine import new_session
from ecozone.db.scoping import ANONYMOUS
from ecozone.errors import DomainError, NotFound
from ecozone.ids import not_found, parse_id
from ecozone.web.caller import bearer

FORMATS: dict[str, tuple[str, Callable[..., bytes]]] = {
    "xlsx": (export.XLSX_MEDIA_TYPE,
             lambda rows, c: export.build_xlsx(rows, title=c.title_zh, deadline=c.deadline)),
    "csv": (export.CSV_MEDIA_TYPE, lambda rows, c: export.build_csv(rows)),
}


def _error(status: int, code: str, message_en: str, message_zh: str,
           headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message_en,
                                     "extensions": {"code": code, "messageZh": message_zh}}]},
                        status_code=status, headers=headers)


def routes(state: Any) -> list[Route]:
    """The download routes of the app (``state``: the app's AppState: settings and engine)."""

    async def comment_summary(request: Request) -> Response:
        extension = request.url.path.rsplit(".", 1)[-1]
        media_type, build = FORMATS[extension]
        consultation_id = parse_id(request.path_params["consultation_id"])
        try:
            token = bearer(request)
            claims = await decode_token(state.settings, token) if token else None
            async with new_session(state.engine, ANONYMOUS) as session:
                await session.begin()
                try:
                    await resolve_actor(session, claims, request.headers.get("x-zone") or None)
                except (InvalidToken, ZoneRefused):
                    raise
                except DomainError as exc:
                    return _error(400, "UNKNOWN_ZONE", exc.message_en, exc.message_zh)
                try:
                    if consultation_id is None:  # not a canonical id in range: names nothing
                        raise not_found("Consultation", "consultation_id")
                    consultation = await service.get_consultation(session, consultation_id)
                    rows = await service.summary_rows(session, consultation_id)
                except NotFound as exc:
                    return _error(404, "NOT_FOUND", exc.message_en, exc.message_zh)
            await write_deferred(state.engine, session)
        except ZoneRefused as exc:
            await record_zone_refusal(state.engine, exc)
            return _error(403, "ZONE_FORBIDDEN", exc.message_en, exc.message_zh)
        except InvalidToken as exc:
            return _error(401, "UNAUTHENTICATED", exc.message_en, exc.message_zh,
                          {"WWW-Authenticate": f'Bearer error="{exc.error}"'})
        filename = export.download_filename(consultation.title_zh, extension)
        fallback = f"comment-summary-{consultation.id}.{extension}"
        return Response(build(rows, consultation), media_type=media_type, headers={
            "Content-Disposition": export.content_disposition(filename, fallback),
            # the table changes as comments arrive, and may be visible to this viewer only
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        })

    return [Route(f"/exports/consultations/{{consultation_id}}/comments.{extension}",
                  comment_summary, methods=["GET"]) for extension in FORMATS]
