"""Trace routes: NDJSON ingest (POST /trace/records) and GS1 Digital Link style lookups.

- ``POST /trace/records`` (``application/x-ndjson``): the body is read as a stream, a line at a
  time (trace/ndjson.py); authenticated like /graphql; one transaction; answers the ingest
  report (valid records kept, the rest reported per line) as JSON.
- ``GET /01/{gtin}/10/{lot}`` and ``GET /trace/{code}`` (27 digits): a product's chain, public
  indicators only. Content negotiation: ``text/html`` (a browser, a phone that scanned the QR
  code) gets the page, ``application/json`` the chain as JSON, ``application/ld+json`` the
  EPCIS 2.0 document. Anonymous on purpose: these URLs are printed on packages.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ecozone.audit.service import record, write_deferred
from ecozone.auth.service import ZoneRefused, record_zone_refusal, resolve_actor
from ecozone.auth.tokens import InvalidToken, decode_token
from ecozone.authz.actor import ANONYMOUS_ACTOR
from ecozone.db.engine import new_session, write_turn
from ecozone.db.scoping import ANONYMOUS
from ecozone.errors import DomainError, PermissionDenied, ValidationFailed
from ecozone.trace import chain, epcis, ndjson, pages, service
from ecozone.web.caller import bearer

NDJSON_TYPES = ("application/x-ndjson", "application/ndjson", "application/jsonl")


def _error(status: int, code: str, message_en: str, message_zh: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message_en, "extensions": {"code": code, "messageZh": message_zh,
                                                                           **extra}}]}, status_code=status)


def _domain_error(exc: DomainError) -> JSONResponse:
    if isinstance(exc, ValidationFailed):
        return _error(400, "VALIDATION_FAILED", exc.message_en, exc.message_zh, fieldErrors=[
            {"field": e.field, "code": e.code, "message": e.message_en, "messageZh": e.message_zh}
            for e in exc.errors])
    if isinstance(exc, PermissionDenied):
        return _error(403, "PERMISSION_DENIED", exc.message_en, exc.message_zh)
    return _error(404, "NOT_FOUND", exc.message_en, exc.message_zh)


def preferred(request: Request) -> str:
    """``html``, ``json`` or ``epcis`` from the Accept header (q-values honoured; JSON by default)."""
    ranked: list[tuple[float, int, str]] = []
    for n, part in enumerate(request.headers.get("accept", "").split(",")):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        kind = {"text/html": "html", "application/xhtml+xml": "html", "application/json": "json",
                "application/ld+json": "epcis"}.get(media.strip().lower())
        if kind and q > 0:
            ranked.append((-q, n, kind))
    return min(ranked)[2] if ranked else "json"


def chain_json(found: chain.Chain) -> dict[str, Any]:
    return {"code": found.code, "batch": found.batch, "batches": found.batches,
            "links": [{"parent": p, "child": c} for p, c in found.links],
            "events": [{"recordId": e.record.record_key, "code": e.record.code, "batch": e.record.batch,
                        "eventType": e.record.event_type, "occurredAt": e.record.occurred_at.isoformat(),
                        "place": e.record.place, "placeCode": e.record.place_code, "reason": e.record.reason,
                        "category": e.record.category, "gtin": e.record.gtin, "lot": e.record.lot,
                        "indicators": e.data,
                        "enterprise": {"nameZh": e.enterprise.name_zh, "nameEn": e.enterprise.name_en,
                                       "uscc": e.enterprise.uscc}} for e in found.events]}


def routes(state: Any) -> list[Route]:
    async def submit(request: Request) -> Response:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in NDJSON_TYPES:
            return _error(415, "UNSUPPORTED_MEDIA_TYPE", "send NDJSON: Content-Type application/x-ndjson",
                          "请以 NDJSON 提交：Content-Type 为 application/x-ndjson")
        try:
            token = bearer(request)
            claims = await decode_token(state.settings, token) if token else None
            async with write_turn(state.engine, True), \
                    new_session(state.engine, ANONYMOUS, write=True) as session, session.begin():
                return await ingest_in(session, request, claims)
        except ZoneRefused as exc:
            await record_zone_refusal(state.engine, exc)
            return _error(403, "ZONE_FORBIDDEN", exc.message_en, exc.message_zh)
        except InvalidToken as exc:
            return _error(401, "UNAUTHENTICATED", exc.message_en, exc.message_zh)

    async def ingest_in(session, request: Request, claims) -> Response:
        """The request's one transaction: who and where, then the stream; a denial audited in it."""
        try:
            actor = await resolve_actor(session, claims, request.headers.get("x-zone") or None)
        except (InvalidToken, ZoneRefused):
            raise
        except DomainError as exc:
            return _error(400, "UNKNOWN_ZONE", exc.message_en, exc.message_zh)
        try:
            report = await service.submit_stream(session, actor, ndjson.lines(request.stream()), via="ndjson")
        except PermissionDenied as exc:
            await record(session, actor, action=exc.action, object_type=exc.object_type, outcome="denied")
            await write_deferred(state.engine, session)
            return _domain_error(exc)
        await write_deferred(state.engine, session)
        return JSONResponse(report.as_json(), headers={"Cache-Control": "no-store"})

    async def answer(request: Request, find) -> Response:
        kind = preferred(request)
        async with new_session(state.engine, ANONYMOUS) as session:
            await session.begin()
            try:
                code = await find(session)
                found = await chain.trace(session, ANONYMOUS_ACTOR, code)
            except DomainError as exc:
                if kind == "html":
                    return pages.not_found(request, exc)
                return _domain_error(exc)
        headers = {"Vary": "Accept", "Cache-Control": "public, max-age=60"}
        if kind == "html":
            return pages.product(request, found)
        if kind == "epcis":
            return JSONResponse(epcis.document(found, found.events[-1].record.received_at),
                                media_type="application/ld+json", headers=headers)
        return JSONResponse(chain_json(found), headers=headers)

    async def by_gtin_lot(request: Request) -> Response:
        gtin, lot = request.path_params["gtin"], request.path_params["lot"]
        return await answer(request, lambda session: chain.batch_by_gtin_lot(session, gtin, lot))

    async def by_code(request: Request) -> Response:
        code = request.path_params["code"]

        async def find(_session):
            chain.check_code(code)
            return code
        return await answer(request, find)

    return [Route("/trace/records", submit, methods=["POST"]),
            Route("/01/{gtin}/10/{lot}", by_gtin_lot, methods=["GET"]),
            Route("/trace/{code}", by_code, methods=["GET"])]
