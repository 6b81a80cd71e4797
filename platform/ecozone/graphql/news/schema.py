"""News articles of the zones' offices and the merged news feed (章程 第三十一条)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from ecozone.db.pagination import Page
from ecozone.graphql.common import Connection, connection, decode_id, load_nodes
from ecozone.graphql.context import Info
from ecozone.graphql.results import (
    EVERY_FAILURE,
    read,
    result_union,
    run,
)
from ecozone.graphql.zones import Zone, load_zone
from ecozone.news import feed, rules, service
from ecozone.news.models import NewsArticle as ArticleModel
from ecozone.tenancy.service import zone_by_slug

NewsKind = strawberry.enum(Enum("NewsKind", {k.upper(): k for k in rules.KINDS}),
                           description="NEWS 新闻 or ANNOUNCEMENT 通知公告. 稿件类型。")
NewsArticleState = strawberry.enum(Enum("NewsArticleState", {s.upper(): s for s in ("draft", "published", "withdrawn")}),
                                   description="DRAFT 草稿 → PUBLISHED 已发布 → WITHDRAWN 已撤回. 稿件状态。")
NewsFeedEntryKind = strawberry.enum(Enum("NewsFeedEntryKind", {k.upper(): k for k in (
    *rules.KINDS, "standard_published", "project_notice", "council_minutes")}), description=(
    "An article (NEWS, ANNOUNCEMENT) or a public event of the platform: STANDARD_PUBLISHED, PROJECT_NOTICE (a "
    "project's public notice opened), COUNCIL_MINUTES (council minutes disclosed). 稿件或平台公开事件：标准发布、项目"
    "公示、理事会会议纪要公开。"))


@strawberry.type(description=("A bilingual article or announcement of a zone's office: public once published; drafts "
                              "and withdrawn ones are seen by that zone's office only (章程 第三十一条). 试验区办公室的双语"
                              "新闻或通知公告：发布后公开；草稿和已撤回稿件仅该区办公室可见（章程 第三十一条）。"))
class NewsArticle(relay.Node):
    id: relay.NodeID[int]
    kind: NewsKind = strawberry.field(description="News or announcement. 新闻或通知公告。")
    state: NewsArticleState = strawberry.field(description="Draft, published or withdrawn. 草稿、已发布或已撤回。")
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    body_zh: str = strawberry.field(description="Text in Chinese (plain text). 中文正文（纯文本）。")
    body_en: str = strawberry.field(description="Text in English (plain text). 英文正文（纯文本）。")
    published_at: dt.datetime | None = strawberry.field(description="When it was published; null for a draft. 发布时间；草稿为 null。")
    zone_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, a: ArticleModel) -> NewsArticle:
        return cls(id=a.id, kind=NewsKind(a.kind), state=NewsArticleState(a.state), title_zh=a.title_zh,
                   title_en=a.title_en, body_zh=a.body_zh, body_en=a.body_en, published_at=a.published_at,
                   zone_id=a.zone_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return [cls.from_model(r) if r else None for r in await load_nodes(info, ArticleModel, list(node_ids))]

    @strawberry.field(description="The zone whose office wrote it. 撰写稿件的试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)


@strawberry.type(description=("An entry of the news feed: an article or a public event of the platform, derived at "
                              "read time. 新闻订阅中的一项：稿件或平台公开事件（读取时生成）。"))
class NewsFeedEntry:
    key: str = strawberry.field(description=("Stable identifier of the entry, e.g. article/0000000012. 条目的稳定标识，"
                                             "如 article/0000000012。"))
    kind: NewsFeedEntryKind = strawberry.field(description="What the entry is. 条目类型。")
    at: dt.datetime = strawberry.field(description="When it happened (ISO 8601 with offset). 发生时间（ISO 8601，含时区偏移）。")
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    summary_zh: str = strawberry.field(description="Text in Chinese. 中文内容。")
    summary_en: str = strawberry.field(description="Text in English. 英文内容。")
    subject: str = strawberry.field(description=("What it is about, as type/number, e.g. standard/3, project/7, "
                                                 "article/12. 所涉对象（类型/编号），如 standard/3。"))
    zone_id: strawberry.Private[int]

    @strawberry.field(description="The zone it comes from. 来源试验区。")
    async def zone(self, info: Info) -> Zone:
        return await load_zone(info, self.zone_id)


NewsArticleResult = result_union("NewsArticleResult", NewsArticle, *EVERY_FAILURE)
NewsArticleConnectionResult = result_union("NewsArticleConnectionResult", Connection[NewsArticle], *EVERY_FAILURE)
NewsFeedResult = result_union("NewsFeedResult", Connection[NewsFeedEntry], *EVERY_FAILURE)

FIRST = Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")]
AFTER = Annotated[str | None, strawberry.argument(description=(
    "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for the first page. 从该游标之后继续："
    "上一页的 `pageInfo.endCursor`；取第一页时省略。"))]
INPUT = "The input; see its type. 输入参数，见其类型说明。"
ARTICLE_ID = "Global ID (`NewsArticle.id`). 稿件的全局 ID（`NewsArticle.id`）。"


@strawberry.input(description="A draft by the acting zone's office. 所操作试验区办公室撰写的草稿。")
class DraftNewsArticleInput:
    kind: NewsKind = strawberry.field(description="News or announcement. 新闻或通知公告。")
    title_zh: str = strawberry.field(description="Title in Chinese, up to 200 characters. 中文标题，最多 200 字。")
    title_en: str = strawberry.field(description="Title in English, up to 300 characters. 英文标题，最多 300 字符。")
    body_zh: str = strawberry.field(description="Text in Chinese, plain text. 中文正文，纯文本。")
    body_en: str = strawberry.field(description="Text in English, plain text. 英文正文，纯文本。")


@strawberry.input(description="New texts of a draft (or of a withdrawn article, which becomes a draft). 修改草稿（已撤回稿件修改后成为草稿）。")
class EditNewsArticleInput:
    id: relay.GlobalID = strawberry.field(description=ARTICLE_ID)
    kind: NewsKind = strawberry.field(description="News or announcement. 新闻或通知公告。")
    title_zh: str = strawberry.field(description="Title in Chinese. 中文标题。")
    title_en: str = strawberry.field(description="Title in English. 英文标题。")
    body_zh: str = strawberry.field(description="Text in Chinese. 中文正文。")
    body_en: str = strawberry.field(description="Text in English. 英文正文。")


@strawberry.input(description="An article to publish. 要发布的稿件。")
class PublishNewsArticleInput:
    id: relay.GlobalID = strawberry.field(description=ARTICLE_ID)


@strawberry.input(description="A published article to withdraw. 要撤回的已发布稿件。")
class WithdrawNewsArticleInput:
    id: relay.GlobalID = strawberry.field(description=ARTICLE_ID)


def _entries_page(page: feed.FeedPage, after: str | None) -> Page:
    cursors = [feed.encode_position(e) for e in page.entries]
    return Page(items=page.entries, cursors=cursors, has_next_page=page.next_cursor is not None,
                has_previous_page=after is not None, total_count=len(page.entries))


def _entry(e: feed.FeedEntry) -> NewsFeedEntry:
    return NewsFeedEntry(key=e.key, kind=NewsFeedEntryKind(e.kind), at=e.at, title_zh=e.title_zh, title_en=e.title_en,
                         summary_zh=e.summary_zh, summary_en=e.summary_en, subject=e.path, zone_id=e.zone_id)


@strawberry.type
class NewsQuery:
    @strawberry.field(description=("Articles the viewer may see (published; a zone's office also its drafts), optionally "
                                   "of one zone or state. 查看者可见的稿件（已发布；试验区办公室另可见本区草稿），可按试验区"
                                   "或状态筛选。"))
    async def news_articles(self, info: Info, zone: Annotated[str | None, strawberry.argument(
            description="Only this zone's (slug). 仅该试验区（slug）。")] = None,
            state: Annotated[NewsArticleState | None, strawberry.argument(description="Only this state. 仅此状态。")] = None,
            first: FIRST = 20, after: AFTER = None) -> NewsArticleConnectionResult:
        ctx = info.context
        return await read(info, lambda: service.list_articles(
            ctx.session, zone_slug=zone, state=state.value if state else None, first=first, after=after,
            max_page_size=ctx.settings.limits.max_page_size), lambda page: connection(page, NewsArticle.from_model))

    @strawberry.field(description="One article by ID; NotFound if none or not visible. 按 ID 获取稿件；不存在或不可见时返回 NotFound。")
    async def news_article(self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(
            description=ARTICLE_ID)]) -> NewsArticleResult:
        return await read(info, lambda: service.get_article(info.context.session, decode_id(id, "NewsArticle")),
                          NewsArticle.from_model)

    @strawberry.field(description=("The news feed, newest first: published articles and the platform's public events "
                                   "(standards published, projects on notice, council minutes disclosed), of one zone "
                                   "or of the whole base; the same as the Atom feeds (章程 第三十一条). 新闻订阅，最新在前："
                                   "已发布稿件和平台公开事件，可限定试验区；与 Atom 订阅源相同。"))
    async def news_feed(self, info: Info, zone: Annotated[str | None, strawberry.argument(
            description="Only this zone's (slug); omit for the whole base. 仅该试验区（slug）；省略为全基地。")] = None,
            first: FIRST = 20, after: AFTER = None) -> NewsFeedResult:
        ctx = info.context

        async def call():
            zone_id = (await zone_by_slug(ctx.session, zone)).id if zone else None
            return await feed.feed_page(ctx.session, zone_id=zone_id, limit=first, before=after)
        return await read(info, call, lambda page: connection(_entries_page(page, after), _entry))


@strawberry.type
class NewsMutation:
    @strawberry.mutation(description="The acting zone's office: draft an article. 所操作试验区办公室：撰写稿件草稿。")
    async def draft_news_article(self, info: Info, input: Annotated[DraftNewsArticleInput,
                                 strawberry.argument(description=INPUT)]) -> NewsArticleResult:
        ctx = info.context
        return await run(info, lambda: service.draft_article(
            ctx.session, ctx.actor, kind=input.kind.value, title_zh=input.title_zh, title_en=input.title_en,
            body_zh=input.body_zh, body_en=input.body_en), NewsArticle.from_model)

    @strawberry.mutation(description="The article's zone's office: change a draft. 稿件所属试验区办公室：修改草稿。")
    async def edit_news_article(self, info: Info, input: Annotated[EditNewsArticleInput,
                                strawberry.argument(description=INPUT)]) -> NewsArticleResult:
        ctx = info.context
        return await run(info, lambda: service.edit_article(
            ctx.session, ctx.actor, article_id=decode_id(input.id, "NewsArticle"), kind=input.kind.value,
            title_zh=input.title_zh, title_en=input.title_en, body_zh=input.body_zh, body_en=input.body_en),
            NewsArticle.from_model)

    @strawberry.mutation(description=("The article's zone's office: publish it (public, in the feeds). 稿件所属试验区"
                                      "办公室：发布（公开并进入订阅源）。"))
    async def publish_news_article(self, info: Info, input: Annotated[PublishNewsArticleInput,
                                   strawberry.argument(description=INPUT)]) -> NewsArticleResult:
        ctx = info.context
        return await run(info, lambda: service.publish_article(
            ctx.session, ctx.actor, article_id=decode_id(input.id, "NewsArticle")), NewsArticle.from_model)

    @strawberry.mutation(description=("The article's zone's office: withdraw a published article. 稿件所属试验区办公室："
                                      "撤回已发布稿件。"))
    async def withdraw_news_article(self, info: Info, input: Annotated[WithdrawNewsArticleInput,
                                    strawberry.argument(description=INPUT)]) -> NewsArticleResult:
        ctx = info.context
        return await run(info, lambda: service.withdraw_article(
            ctx.session, ctx.actor, article_id=decode_id(input.id, "NewsArticle")), NewsArticle.from_model)
