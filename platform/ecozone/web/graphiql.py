"""Self-hosted GraphiQL IDE (no CDN: partner intranets are offline).

The page (``graphiql.html``) loads GraphiQL 3, React 18 and a small
``init.js`` from ``/static/graphiql/``; those files are vendored in
``static/graphiql/`` by ``scripts/vendor-graphiql.sh`` (versions in
``static/graphiql/VERSIONS``).
"""

from __future__ import annotations

import functools
from pathlib import Path

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

_WEB_DIR = Path(__file__).resolve().parent

GRAPHIQL_HTML_PATH: Path = _WEB_DIR / "graphiql.html"
STATIC_DIR: Path = _WEB_DIR / "static"


@functools.cache
def graphiql_page() -> str:
    """Return the GraphiQL HTML page (read from disk once, then cached)."""
    return GRAPHIQL_HTML_PATH.read_text(encoding="utf-8")


def static_mount() -> Mount:
    """Mount ``STATIC_DIR`` at ``/static`` (route name ``"static"``)."""
    return Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static")
