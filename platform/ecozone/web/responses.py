"""JSON responses serialised with orjson: several times faster than the standard library."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse as StarletteJSONResponse


class JSONResponse(StarletteJSONResponse):
    """Starlette's JSONResponse (same compact UTF-8 output), rendered by orjson."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)
