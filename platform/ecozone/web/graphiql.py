"""Self-hosted GraphiQL IDE (no CDN: partner intranets are offline).

The page (``graphiql.html``) loads GraphiQL 3, React 18 and a small
``init.js`` from ``/static/graphiql/``; those files are vendored in
``static/graphiql/`` by ``scripts/vendor-graphiql.sh`` (versions in
``static/graphiql/VERSIONS``).

The page carries its configuration as JSON (``#ecozone-ide-config``): the start tabs — the
README's first queries with bilingual comments (``first_queries.py``) — the text of a new tab,
and where the development tokens are (``GET /dev/tokens``, development and test only). The IDE
itself is off in production (``graphql_http.GraphQLHTTP._ide``).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ecozone.web import dev_tokens
from ecozone.web.first_queries import ide_tabs, start_comment

_WEB_DIR = Path(__file__).resolve().parent

GRAPHIQL_HTML_PATH: Path = _WEB_DIR / "graphiql.html"
STATIC_DIR: Path = _WEB_DIR / "static"
CONFIG_MARK = "{{ECOZONE_IDE_CONFIG}}"


def ide_config(*, dev_tokens_enabled: bool, schema_published: bool) -> dict:
    return {
        "tabs": ide_tabs(),
        "defaultQuery": start_comment() + "\n{\n  viewer {\n    user { username }\n    zone { slug }\n    roles\n  }\n}\n",
        "devTokensUrl": dev_tokens.PATH if dev_tokens_enabled else None,
        "links": {"home": "/", "schema": "/schema.graphql" if schema_published else None},
    }


def _script_json(value: dict) -> str:
    """JSON safe inside <script>: no "</script>", no "<!--" (every "<" escaped)."""
    return (json.dumps(value, ensure_ascii=False)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@functools.cache
def graphiql_page(dev_tokens_enabled: bool = True, schema_published: bool = True) -> str:
    """Return the GraphiQL HTML page (built once per configuration, then cached)."""
    config = ide_config(dev_tokens_enabled=dev_tokens_enabled, schema_published=schema_published)
    return GRAPHIQL_HTML_PATH.read_text(encoding="utf-8").replace(CONFIG_MARK, _script_json(config))


def static_mount() -> Mount:
    """Mount ``STATIC_DIR`` at ``/static`` (route name ``"static"``)."""
    return Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static")
