"""Download of a public catalog version's JSON Schema: GET /catalogs/{category}/v{n}/schema.json.

Anonymous on purpose: only published and superseded versions are served (drafts are a
staff matter and are read through GraphQL); the content never changes, so it may be cached.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ecozone.catalogs import service
from ecozone.db.engine import new_session
from ecozone.db.scoping import ANONYMOUS
from ecozone.errors import DomainError
from ecozone.ids import not_found, parse_id


def routes(state: Any) -> list[Route]:
    async def schema_json(request: Request) -> Response:
        category, number = request.path_params["category"], parse_id(request.path_params["number"])
        async with new_session(state.engine, ANONYMOUS) as session:
            await session.begin()
            try:
                if number is None:  # not a canonical number in range: names no version
                    raise not_found("CatalogVersion", "number")
                version = await service.get_version(session, category, number)
            except DomainError as exc:
                return JSONResponse({"errors": [{"message": exc.message_en, "extensions": {
                    "code": "NOT_FOUND", "messageZh": exc.message_zh}}]}, status_code=404)
            body = json.dumps(service.schema_of(version), ensure_ascii=False, indent=2)
        return Response(body, media_type="application/schema+json", headers={
            "Content-Disposition": f'attachment; filename="{category}-v{number}.schema.json"',
            "Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"})

    return [Route("/catalogs/{category}/v{number}/schema.json", schema_json, methods=["GET"])]
