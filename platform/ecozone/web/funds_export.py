"""GET /exports/funds/{year}.xlsx: the acting zone's books of a year, for its accountants.

Authenticated exactly like /graphql and the other downloads (``web/exports.py``): optional
``Authorization: Bearer``, optional ``X-Zone``; the books are the office's (``funds.read``:
director, secretary), so anyone else is answered 403 and the refusal is audited.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ecozone.annual.models import PlanItem
from ecozone.audit.service import record, write_deferred
from ecozone.auth.service import ZoneRefused, record_zone_refusal, resolve_actor
from ecozone.auth.tokens import InvalidToken, decode_token
from ecozone.consultation.export import content_disposition
from ecozone.db.engine import new_session
from ecozone.db.scoping import ANONYMOUS
from ecozone.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from ecozone.funds import export, service
from ecozone.funds.execution import budget_execution
from ecozone.ids import parse_id
from ecozone.web.exports import _error
from ecozone.web.caller import bearer


def routes(state: Any) -> list[Route]:
    async def books(request: Request) -> Response:
        year = parse_id(request.path_params["year"])  # a canonical positive integer, or None
        refused = None
        try:
            token = bearer(request)
            claims = await decode_token(state.settings, token) if token else None
            async with new_session(state.engine, ANONYMOUS) as session:
                await session.begin()
                try:
                    actor = await resolve_actor(session, claims, request.headers.get("x-zone") or None)
                except (InvalidToken, ZoneRefused):
                    raise
                except DomainError as exc:
                    return _error(400, "UNKNOWN_ZONE", exc.message_en, exc.message_zh)
                try:
                    if year is None:
                        raise NotFound("no books for this year", "没有该年度的账目")
                    entries = await service.all_entries(session, actor, year=year)
                    execution = await budget_execution(session, actor, year=year)
                    ids = {e.plan_item_id for e in entries if e.plan_item_id}
                    seqs = dict((await session.execute(select(PlanItem.id, PlanItem.seq).where(
                        PlanItem.id.in_(ids)))).all()) if ids else {}
                except PermissionDenied as exc:  # audited like a refused query, after the read
                    await record(session, actor, action=exc.action, object_type=exc.object_type,
                                 object_id=year, outcome="denied")
                    refused = _error(403, "FORBIDDEN", exc.message_en, exc.message_zh)
                except (NotFound, ValidationFailed) as exc:
                    return _error(404, "NOT_FOUND", exc.message_en, exc.message_zh)
            await write_deferred(state.engine, session)
            if refused is not None:
                return refused
        except ZoneRefused as exc:
            await record_zone_refusal(state.engine, exc)
            return _error(403, "ZONE_FORBIDDEN", exc.message_en, exc.message_zh)
        except InvalidToken as exc:
            return _error(401, "UNAUTHENTICATED", exc.message_en, exc.message_zh,
                          {"WWW-Authenticate": f'Bearer error="{exc.error}"'})
        zone = actor.zone_slug or "zone"
        return Response(export.build_xlsx(entries, execution, item_seq=seqs), media_type=export.XLSX_MEDIA_TYPE,
                        headers={"Content-Disposition": content_disposition(f"经费账目-{zone}-{year}.xlsx",
                                                                            f"funds-{zone}-{year}.xlsx"),
                                 "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})

    return [Route("/exports/funds/{year}.xlsx", books, methods=["GET"])]
