"""The README's first queries: one source for the IDE's start tabs, ``GET /`` and the README.

Each example is an operation as a client sends it, the demo user whose token it uses (or
none: anonymous) and the zone it acts in. The IDE opens with one tab per example, commented in
Chinese and English, with the example's headers; the landing page shows each as a copyable curl
line; ``tests/web/test_first_queries.py`` checks that the README's "First queries" section sends
exactly these operations and that each one is valid against the schema.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from typing import Any

from graphql import parse, print_ast

# The demo user whose token the signed-in examples use, and the zone they act in.
SECRETARY = "jx-secretary"
SECRETARY_ZONE = "jiangxi"
# Where `make run` serves: the README's curl lines use it.
README_BASE_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class FirstQuery:
    key: str
    title_zh: str
    title_en: str
    # What it shows, one line per language (the IDE writes them as comments above the query).
    about_zh: tuple[str, ...]
    about_en: tuple[str, ...]
    query: str  # one line, as the README's curl sends it
    variables: dict[str, Any] | None = None
    user: str | None = None  # the demo user whose development token the example uses
    zone: str | None = None  # X-Zone

    def payload(self) -> str:
        """The JSON body the README's curl line sends."""
        body: dict[str, Any] = {"query": self.query}
        if self.variables is not None:
            body["variables"] = self.variables
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))

    def curl(self, base_url: str = README_BASE_URL) -> str:
        """The example as a shell command (``$TOKEN`` from ``ecozone token USER``)."""
        parts = [f"curl -s {base_url}/graphql -H 'Content-Type: application/json'"]
        if self.user:
            parts.append('-H "Authorization: Bearer $TOKEN"')
        if self.zone:
            parts.append(f"-H 'X-Zone: {self.zone}'")
        parts.append(f"-d {shlex.quote(self.payload())}")
        return " ".join(parts)

    def token_line(self) -> str | None:
        return f"TOKEN=$(.venv/bin/ecozone token {self.user})" if self.user else None

    def document(self) -> str:
        """The operation laid out for reading, under bilingual comments (an IDE tab)."""
        who = (f"# 身份 / as: {self.user}" + (f"（X-Zone: {self.zone}）" if self.zone else "")
               if self.user else "# 匿名 / anonymous（无 Authorization 请求头 / no Authorization header）")
        lines = [f"# {self.title_zh} / {self.title_en}", "#"]
        lines += [f"# {line}" for line in self.about_zh]
        lines += [f"# {line}" for line in self.about_en]
        lines += ["#", who, ""]
        return "\n".join(lines) + print_ast(parse(self.query)) + "\n"

    def headers(self, token: str | None = None) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.user and token:
            headers["Authorization"] = f"Bearer {token}"
        if self.zone:
            headers["X-Zone"] = self.zone
        return headers


FIRST_QUERIES: tuple[FirstQuery, ...] = (
    FirstQuery(
        key="zones-and-experts",
        title_zh="试验区与专家（匿名）",
        title_en="Zones and experts (anonymous)",
        about_zh=("四个试验区，以及专家库中已审核的茶叶专家：匿名请求可看到所有试验区的公开数据。",),
        about_en=("The four zones and the registry's verified tea experts: an anonymous request",
                  "sees the public data of every zone."),
        query="{ zones { edges { node { slug nameZh standardCode } } } experts(first: 3, filter: "
              "{category: TEA}) { ... on ExpertConnection { totalCount edges { node { nameZh "
              "namePinyin title homeZone { slug } } } } } }",
    ),
    FirstQuery(
        key="viewer",
        title_zh="我是谁",
        title_en="Who am I",
        about_zh=("令牌对应的用户、请求所在的试验区（X-Zone；不填则为用户的本区）及其在该区的角色。",
                  "在上方“身份”中换一个演示用户，再运行一次。"),
        about_en=("The token's user, the zone the request acts in (X-Zone; without it, the user's",
                  "home zone) and the user's roles there. Pick another demo user above and run again."),
        query="{ viewer { user { username displayName } zone { slug nameZh } roles } }",
        user=SECRETARY, zone=SECRETARY_ZONE,
    ),
    FirstQuery(
        key="pending-experts",
        title_zh="待审核专家（秘书）",
        title_en="Pending experts (secretary)",
        about_zh=("江西秘书可以审核的待审核专家档案，含私密字段（电话）；匿名或其他试验区看不到。",),
        about_en=("The pending profiles Jiangxi's secretary can verify, with private fields (phone);",
                  "anonymous callers and other zones do not see them."),
        query="{ experts(filter: {state: PENDING}) { ... on ExpertConnection { totalCount edges "
              "{ node { id nameZh phone } } } } }",
        user=SECRETARY, zone=SECRETARY_ZONE,
    ),
    FirstQuery(
        key="standards",
        title_zh="已发布的标准",
        title_en="Published standards",
        about_zh=("已发布的标准及其标准号，匿名可查。",),
        about_en=("Published standards and their designations, for anyone.",),
        query="{ standards(first: 5, filter: {state: PUBLISHED}) { ... on StandardConnection { "
              "totalCount edges { node { designations titleZh titleEn releaseDate leadZone "
              "{ slug } } } } } }",
    ),
    FirstQuery(
        key="verify-expert",
        title_zh="审核专家（变更，失败有类型）",
        title_en="Verify an expert (a mutation with typed failures)",
        about_zh=("把变量 id 换成“待审核专家”标签页中的一个 id：第一次得到 Expert（VERIFIED）。",
                  "预期的失败以类型化结果返回，均含 code、message 与 messageZh：",
                  "原样运行得到 NotFound，再审核一次得到 Conflict，无权审核者得到 PermissionDenied。"),
        about_en=("Put an id from the pending-experts tab into the variables: the first run answers",
                  "the Expert (VERIFIED). Expected failures come back as typed results with code,",
                  "message and messageZh: as it is, NotFound; verified again, Conflict; by someone",
                  "who may not verify, PermissionDenied."),
        query="mutation($id: ID!) { verifyExpert(input: {id: $id}) { __typename ... on Expert "
              "{ state } ... on Failure { code message messageZh } } }",
        variables={"id": "<id of a pending expert>"},
        user=SECRETARY, zone=SECRETARY_ZONE,
    ),
)


def start_comment() -> str:
    """The comment that opens the IDE's first tab (and every new tab)."""
    return "\n".join([
        "# ecozone GraphQL API — 国家技术标准创新基地（江西绿色生态）共享平台",
        "#",
        "# 欢迎！在左侧编写查询，按 Ctrl-Enter（或 ▶）运行，右侧显示结果。",
        "# Welcome! Write a query on the left, run it with Ctrl-Enter (or ▶), read the answer on the right.",
        "#",
        "# 页面上方：“身份”选择一个演示用户（开发环境签发的令牌写入 Authorization 请求头），",
        "# “试验区”设置 X-Zone 请求头；匿名请求可看到所有试验区的公开数据。",
        "# Above: \"Sign in as\" picks a demo user (a development token goes into the",
        "# Authorization header), \"Zone\" sets X-Zone; anonymous requests see public data of all zones.",
        "#",
        "# 其他标签页是 README 中的示例查询 / The other tabs are the README's first queries:",
        *[f"#   {q.title_zh} / {q.title_en}" for q in FIRST_QUERIES[1:]],
        "# “示例查询 / Sample queries” 按钮可恢复这些标签页 / the button brings these tabs back.",
        "# 文档（左侧书本图标）列出每个类型和字段 / Docs (the book icon) lists every type and field.",
        "",
    ])


def ide_tabs(tokens: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """GraphiQL ``defaultTabs``: the start tab, then one per example (headers as JSON text)."""
    tokens = tokens or {}
    tabs = []
    for index, example in enumerate(FIRST_QUERIES):
        text = example.document()
        if index == 0:
            text = start_comment() + "\n" + text
        headers = example.headers(tokens.get(example.user or ""))
        tabs.append({
            "query": text,
            "variables": json.dumps(example.variables, ensure_ascii=False, indent=2)
            if example.variables is not None else None,
            "headers": json.dumps(headers, indent=2) if headers else None,
            # Not a GraphiQL field: init.js fills in the user's token from /dev/tokens.
            "user": example.user,
        })
    return tabs
