"""News articles and announcements by a zone's office (章程 第三十一条): drafted, then published."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.authz.actor import Actor
from ecozone.authz.service import require
from ecozone.db.base import utcnow
from ecozone.db.pagination import Page, paginate
from ecozone.errors import FieldError, NotFound, PermissionDenied, raise_if_invalid
from ecozone.news import rules
from ecozone.news.models import NewsArticle
from ecozone.tenancy.service import zone_by_slug

NEWS = "news"


def _texts(title_zh: str, title_en: str, body_zh: str, body_en: str) -> dict[str, str]:
    values = {"titleZh": title_zh, "titleEn": title_en, "bodyZh": body_zh, "bodyEn": body_en}
    raise_if_invalid([FieldError(*e) for e in rules.text_errors(values)])
    return {"title_zh": title_zh.strip(), "title_en": title_en.strip(), "body_zh": body_zh.strip(),
            "body_en": body_en.strip()}


def _kind(kind: str) -> str:
    raise_if_invalid([] if kind in rules.KINDS else [FieldError(
        "kind", "choice", "kind must be news or announcement", "类型须为 news 或 announcement")])
    return kind


async def get_article(session: AsyncSession, article_id: int) -> NewsArticle:
    article = await session.get(NewsArticle, article_id)
    if article is None:
        raise NotFound(f"news article {article_id} not found", f"新闻稿件 {article_id} 不存在")
    return article


def _require_own_office(actor: Actor, article: NewsArticle, act: str) -> None:
    if article.zone_id != actor.zone_id or not actor.zone_staff:
        raise PermissionDenied("only the office of the article's zone may change it",
                               "只有稿件所属试验区的办公室可以修改该稿件",
                               action=f"{NEWS}.{act}", object_type=NEWS, object_id=str(article.id))


async def draft_article(session: AsyncSession, actor: Actor, *, kind: str, title_zh: str, title_en: str,
                        body_zh: str, body_en: str) -> NewsArticle:
    require(actor, NEWS, "write")
    values = _texts(title_zh, title_en, body_zh, body_en)
    article = NewsArticle(zone_id=actor.zone_id, kind=_kind(kind), state="draft", author_id=actor.user_id,
                          **values)
    session.add(article)
    await session.flush()
    await record(session, actor, action=f"{NEWS}.draft", object_type="news_article", object_id=article.id,
                 after={**values, "kind": kind})
    return article


async def edit_article(session: AsyncSession, actor: Actor, *, article_id: int, kind: str, title_zh: str,
                       title_en: str, body_zh: str, body_en: str) -> NewsArticle:
    """A draft is changed; a withdrawn article goes back to draft with the change."""
    require(actor, NEWS, "write", object_id=article_id)
    article = await get_article(session, article_id)
    _require_own_office(actor, article, "write")
    article.state = rules.ARTICLE.advance(article.state, "edit")
    values = _texts(title_zh, title_en, body_zh, body_en)
    before = {k: getattr(article, k) for k in values}
    for key, value in values.items():
        setattr(article, key, value)
    article.kind = _kind(kind)
    await session.flush()
    await record(session, actor, action=f"{NEWS}.edit", object_type="news_article", object_id=article.id,
                 before=before, after=values)
    return article


async def publish_article(session: AsyncSession, actor: Actor, *, article_id: int) -> NewsArticle:
    require(actor, NEWS, "publish", object_id=article_id)
    article = await get_article(session, article_id)
    _require_own_office(actor, article, "publish")
    article.state = rules.ARTICLE.advance(article.state, "publish")
    article.published_at, article.published_by_id = utcnow(), actor.user_id
    await session.flush()
    await record(session, actor, action=f"{NEWS}.publish", object_type="news_article", object_id=article.id)
    return article


async def withdraw_article(session: AsyncSession, actor: Actor, *, article_id: int) -> NewsArticle:
    """Taken off the feeds and the public lists (a correction goes out as a new version)."""
    require(actor, NEWS, "publish", object_id=article_id)
    article = await get_article(session, article_id)
    _require_own_office(actor, article, "withdraw")
    article.state = rules.ARTICLE.advance(article.state, "withdraw")
    await session.flush()
    await record(session, actor, action=f"{NEWS}.withdraw", object_type="news_article", object_id=article.id)
    return article


async def list_articles(session: AsyncSession, *, zone_slug: str | None = None, state: str | None = None,
                        first: int = 20, after: str | None = None, max_page_size: int = 100) -> Page[NewsArticle]:
    """Articles the viewer may see (published ones; a zone's office also its drafts), in the
    order they were written (the feeds give the newest first)."""
    stmt = select(NewsArticle)
    if zone_slug:
        stmt = stmt.where(NewsArticle.zone_id == (await zone_by_slug(session, zone_slug)).id)
    if state:
        stmt = stmt.where(NewsArticle.state == state)
    return await paginate(session, stmt, order=(NewsArticle.id,), first=first, after=after,
                          max_page_size=max_page_size)
