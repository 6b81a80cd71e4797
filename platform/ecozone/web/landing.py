"""``GET /``: where to start (HTML for browsers, JSON otherwise), and ``GET /schema.graphql``.

The page links the IDE (not in production: it is off there), the SDL, health, and shows the
README's first queries as curl lines to copy. ``Accept: application/json`` — or any client
that does not prefer HTML, such as a bare ``curl`` — gets the same links as JSON.

``/schema.graphql`` is the running schema's SDL (what ``ecozone export-schema`` writes to
``schema/schema.graphql``), as ``text/plain; charset=utf-8``. It is served where introspection
is allowed (not in production unless ``ECOZONE_INTROSPECTION`` turns it on): the SDL says
no more than introspection would.
"""

from __future__ import annotations

import functools
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ecozone.web.first_queries import FIRST_QUERIES, FirstQuery
from ecozone.web.graphql_http import _media_ranges, _quality

TITLE_ZH = "国家技术标准创新基地（江西绿色生态）共享平台"
TITLE_EN = "Shared platform of the National Technical Standard Innovation Base (Jiangxi Green Ecology)"
ABOUT_ZH = ("一个 GraphQL API 服务江西、贵州、福建、海南四个试验区：标准、专家、项目与统计。"
            "匿名请求可看到所有试验区的公开数据；登录用户以 Authorization: Bearer 令牌访问，"
            "用 X-Zone 请求头选择所在试验区。")
ABOUT_EN = ("One GraphQL API serves the four pilot zones — Jiangxi, Guizhou, Fujian and Hainan: "
            "standards, experts, projects and statistics. Anonymous requests see the public data "
            "of every zone; signed-in users send Authorization: Bearer <token> and choose the zone "
            "they act in with the X-Zone header.")


def _links(settings) -> list[dict[str, str]]:
    """The page's links, in order: (key, path, Chinese label, English label)."""
    links = []
    if not settings.production:
        links.append({"rel": "ide", "href": "/graphql", "titleZh": "GraphiQL 在线调试界面",
                      "titleEn": "GraphiQL IDE",
                      "aboutZh": "示例查询标签页、开发令牌选择（演示用户）、试验区选择",
                      "aboutEn": "sample query tabs, development tokens (demo users), zone choice"})
    links.append({"rel": "graphql", "href": "/graphql", "titleZh": "GraphQL 端点",
                  "titleEn": "GraphQL endpoint",
                  "aboutZh": "POST（或 GET 查询）；WebSocket 订阅（graphql-transport-ws）",
                  "aboutEn": "POST (or GET for queries); WebSocket subscriptions (graphql-transport-ws)"})
    if settings.allow_introspection:
        links.append({"rel": "schema", "href": "/schema.graphql", "titleZh": "模式定义（SDL）",
                      "titleEn": "Schema (SDL)",
                      "aboutZh": "所有类型与字段及其中英文说明", "aboutEn": "every type and field, described in Chinese and English"})
    links.append({"rel": "health", "href": "/healthz", "titleZh": "健康检查", "titleEn": "Health",
                  "aboutZh": "进程存活时返回 {\"status\":\"ok\"}", "aboutEn": "{\"status\":\"ok\"} while the process answers"})
    return links


def _wants_html(request: Request) -> bool:
    ranges = _media_ranges(request.headers.get("accept", ""))
    return _quality("text/html", ranges) > _quality("application/json", ranges)


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _example_json(example: FirstQuery, base_url: str) -> dict:
    lines = [line for line in (example.token_line(), example.curl(base_url)) if line]
    return {"key": example.key, "titleZh": example.title_zh, "titleEn": example.title_en,
            "aboutZh": " ".join(example.about_zh), "aboutEn": " ".join(example.about_en),
            "query": example.query, "variables": example.variables, "user": example.user,
            "zone": example.zone, "shell": lines}


_STYLE = """
body { font-family: system-ui, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
       max-width: 60rem; margin: 0 auto; padding: 1.5rem; line-height: 1.55; color: #1b1b1b; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; }
h1 .en, h2 .en, h3 .en { display: block; font-size: .8em; font-weight: normal; color: #444; }
a { color: #0b57d0; }
pre { background: #f4f4f4; border: 1px solid #ddd; padding: .75rem; overflow-x: auto;
      white-space: pre-wrap; word-break: break-all; user-select: all; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
.en { color: #333; }
li { margin: .35rem 0; }
"""


def _page(settings, base_url: str) -> str:
    e = escape
    links = "\n".join(
        f'      <li><a href="{e(link["href"])}" rel="{e(link["rel"])}">{e(link["titleZh"])} '
        f'<span lang="en">{e(link["titleEn"])}</span></a> <code>{e(link["href"])}</code> — '
        f'{e(link["aboutZh"])}；<span lang="en">{e(link["aboutEn"])}</span></li>'
        for link in _links(settings))
    examples = []
    for example in FIRST_QUERIES:
        shell = "\n".join(line for line in (example.token_line(), example.curl(base_url)) if line)
        examples.append(
            f'    <section aria-labelledby="q-{e(example.key)}">\n'
            f'      <h3 id="q-{e(example.key)}">{e(example.title_zh)}'
            f' <span class="en" lang="en">{e(example.title_en)}</span></h3>\n'
            f'      <p>{e("".join(example.about_zh))}</p>\n'
            f'      <p lang="en">{e(" ".join(example.about_en))}</p>\n'
            f'      <pre><code>{e(shell)}</code></pre>\n'
            f'    </section>')
    ide_hint = ("" if settings.production else
                '    <p>这些查询也是 GraphiQL 的示例标签页，一键运行。'
                '<span lang="en">They are also the GraphiQL IDE\'s sample tabs, one click away.</span></p>\n')
    cors = ("本地前端（http://localhost 或 127.0.0.1，任意端口）在开发环境可跨域访问；生产环境只允许配置的合作门户来源。"
            if not settings.production else "跨域访问只允许配置的合作门户来源（ECOZONE_CORS_ORIGINS）。")
    cors_en = ("Pages on http://localhost or 127.0.0.1 (any port) may call the API cross-origin in "
               "development; production allows only the configured partner portals' origins."
               if not settings.production else
               "Cross-origin calls are allowed from the configured partner portals' origins only "
               "(ECOZONE_CORS_ORIGINS).")
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>ecozone — {e(TITLE_ZH)}</title>
    <style>{_STYLE}</style>
  </head>
  <body>
    <header>
      <h1>ecozone — {e(TITLE_ZH)} <span class="en" lang="en">{e(TITLE_EN)}</span></h1>
      <p>{e(ABOUT_ZH)}</p>
      <p lang="en">{e(ABOUT_EN)}</p>
    </header>
    <main>
  <section aria-labelledby="links">
    <h2 id="links">入口 <span class="en" lang="en">Start here</span></h2>
    <ul>
{links}
    </ul>
    <p>{e(cors)}</p>
    <p lang="en">{e(cors_en)}</p>
  </section>
  <section aria-labelledby="first-queries">
    <h2 id="first-queries">第一批查询 <span class="en" lang="en">First queries</span></h2>
    <p>在项目目录中运行（<code>make run</code> 之后）。<span lang="en">Run them in the checkout, after <code>make run</code>.</span></p>
{ide_hint}{chr(10).join(examples)}
  </section>
    </main>
  </body>
</html>
"""


def routes(state, html_home=None) -> list[Route]:
    """``/api``: this page (HTML or JSON); ``/``: the same JSON for programs, and for browsers
    ``html_home`` — the portal's home page — when there is one."""
    settings = state.settings

    async def landing(request: Request) -> Response:
        base_url = _base_url(request)
        if _wants_html(request):
            return HTMLResponse(_page(settings, base_url), headers={"Vary": "Accept"})
        return JSONResponse({
            "name": "ecozone", "titleZh": TITLE_ZH, "titleEn": TITLE_EN,
            "aboutZh": ABOUT_ZH, "aboutEn": ABOUT_EN,
            "links": {link["rel"]: link["href"] for link in _links(settings)},
            "firstQueries": [_example_json(example, base_url) for example in FIRST_QUERIES],
        }, headers={"Vary": "Accept"})

    @functools.cache
    def sdl() -> str:
        return state.schema.as_str() + "\n"

    async def schema_sdl(_request: Request) -> Response:
        if not settings.allow_introspection:
            return PlainTextResponse("the schema is not published here (introspection is off)\n"
                                     "此处不公开模式定义（已关闭内省）\n", status_code=404)
        return PlainTextResponse(sdl(), media_type="text/plain; charset=utf-8",
                                 headers={"Content-Disposition": 'inline; filename="schema.graphql"'})

    async def root(request: Request) -> Response:
        if html_home is not None and _wants_html(request):
            return await html_home(request)
        return await landing(request)

    return [Route("/", root, methods=["GET", "HEAD"]),
            Route("/api", landing, methods=["GET"]),
            Route("/schema.graphql", schema_sdl, methods=["GET"])]
