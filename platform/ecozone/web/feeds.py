"""Public feeds: news (Atom, RFC 4287) and joint meetings (iCalendar, RFC 5545).

- ``GET /feeds/news.atom`` and ``GET /feeds/{zone}/news.atom`` — the base's and one zone's news
  (章程 第三十一条): articles and the platform's public events; ``?lang=zh|en``, ``?limit=1–100``,
  ``?before=<cursor>`` (the ``rel="next"`` link of the previous page, RFC 5005).
- ``GET /calendar/{zone}.ics`` — the zone's joint meetings that are public (minutes published).
- ``GET /calendar/me/{token}.ics`` — a person's joint meetings, for calendar applications
  (which cannot send ``Authorization``): the token made by ``makeCalendarFeedToken``.

Every feed is read in one read-only transaction under the scope of its viewer (anonymous, or
the token's person): what a feed shows is what that viewer may see through the API.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from feedgen.feed import FeedGenerator
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ecozone.auth.models import User
from ecozone.authz.service import roles_in_zone
from ecozone.db.engine import new_session
from ecozone.db.scoping import ANONYMOUS, Scope, apply_scope
from ecozone.errors import DomainError, NotFound, ValidationFailed
from ecozone.meetings import calendar
from ecozone.news import feed as news_feed
from ecozone.tenancy.models import Zone

ATOM = "application/atom+xml; charset=utf-8"
ICS = "text/calendar; charset=utf-8"
LANGUAGES = {"zh": "zh-CN", "en": "en"}


def _error(status: int, code: str, message_en: str, message_zh: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message_en, "extensions": {"code": code, "messageZh": message_zh}}]},
                        status_code=status, headers={"Cache-Control": "no-store"})


def _not_found() -> JSONResponse:
    # The same answer for an unknown zone, a malformed, guessed or revoked token.
    return _error(404, "NOT_FOUND", "no such feed", "没有该订阅源")


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _atom(request: Request, page: news_feed.FeedPage, zone: Zone | None, lang: str, limit: int) -> bytes:
    zh = lang == "zh"
    base = _base_url(request)
    path = f"/feeds/{zone.slug}/news.atom" if zone else "/feeds/news.atom"
    generator = FeedGenerator()
    # Atom ids are permanent (RFC 4287 §4.2.6): tag URIs (RFC 4151), not the host a request named.
    generator.id(f"tag:ecozone,2024:feeds/{zone.slug if zone else 'base'}/news")
    if zone:
        generator.title(f"{zone.name_zh}试验区 · 国家技术标准创新基地（江西绿色生态）动态" if zh
                        else f"{zone.name_en} · National Technical Standard Innovation Base (Jiangxi Green Ecology) news")
    else:
        generator.title("国家技术标准创新基地（江西绿色生态）动态" if zh
                        else "National Technical Standard Innovation Base (Jiangxi Green Ecology) news")
    generator.subtitle("新闻、通知公告，以及标准发布、项目公示和理事会会议纪要公开（章程 第三十一条）" if zh else
                       "News, announcements, standards published, projects on notice and council minutes disclosed")
    generator.author({"name": "国家技术标准创新基地（江西绿色生态）" if zh
                      else "National Technical Standard Innovation Base (Jiangxi Green Ecology)"})
    generator.language(LANGUAGES[lang])
    query = {"lang": lang, "limit": limit}
    generator.link(href=f"{base}{path}?{urlencode(query)}", rel="self", type="application/atom+xml")
    if page.next_cursor:
        generator.link(href=f"{base}{path}?{urlencode({**query, 'before': page.next_cursor})}", rel="next",
                       type="application/atom+xml")
    generator.updated(page.entries[0].at if page.entries else dt.datetime(2024, 12, 30, tzinfo=dt.UTC))
    for entry in page.entries:
        item = generator.add_entry(order="append")
        item.id(f"tag:ecozone,2024:{entry.key}")
        item.title(entry.title_zh if zh else entry.title_en)
        item.updated(entry.at)
        item.published(entry.at)
        item.content(entry.summary_zh if zh else entry.summary_en, type="text")
        item.category(term=entry.kind)
    return generator.atom_str(pretty=True)


def routes(state: Any) -> list[Route]:
    """The feed routes (``state``: the app's AppState: settings and engine)."""

    async def news(request: Request) -> Response:
        slug = request.path_params.get("zone")
        lang = request.query_params.get("lang", "zh")
        if lang not in LANGUAGES:
            return _error(400, "VALIDATION_FAILED", "lang must be zh or en", "lang 须为 zh 或 en")
        raw_limit = request.query_params.get("limit", str(news_feed.rules.DEFAULT_FEED_LIMIT))
        if not raw_limit.isdigit() or len(raw_limit) > 4:
            return _error(400, "VALIDATION_FAILED", "limit must be a number 1–100", "limit 须为 1–100 的数字")
        limit = int(raw_limit)
        async with new_session(state.engine, ANONYMOUS) as session:
            await session.begin()
            zone = None
            if slug is not None:
                zone = await session.scalar(select(Zone).where(Zone.slug == slug))
                if zone is None:
                    return _not_found()
            try:
                page = await news_feed.feed_page(session, zone_id=zone.id if zone else None, limit=limit,
                                                 before=request.query_params.get("before"))
            except ValidationFailed as exc:
                return _error(400, "VALIDATION_FAILED", exc.message_en, exc.message_zh)
            body = _atom(request, page, zone, lang, limit)
        return Response(body, media_type=ATOM, headers={"Cache-Control": "public, max-age=300",
                                                        "X-Content-Type-Options": "nosniff"})

    async def zone_calendar(request: Request) -> Response:
        async with new_session(state.engine, ANONYMOUS) as session:
            await session.begin()
            zone = await session.scalar(select(Zone).where(Zone.slug == request.path_params["zone"]))
            if zone is None:
                return _not_found()
            meetings = await calendar.meetings_of_zone(session, zone.id)
            body = await calendar.build_ics(session, meetings, name=f"{zone.name_zh} 联席会议 · {zone.name_en} joint meetings")
        return Response(body, media_type=ICS, headers={"Cache-Control": "public, max-age=300",
                                                       "X-Content-Type-Options": "nosniff"})

    async def my_calendar(request: Request) -> Response:
        async with new_session(state.engine, ANONYMOUS) as session:
            await session.begin()
            user_id = await calendar.feed_owner(session, request.path_params["token"])
            if user_id is None:
                return _not_found()
            # As the person, in their home zone with their roles there (as a request of theirs would).
            await apply_scope(session, Scope(user_id=user_id))
            user = await session.get(User, user_id)
            if user is None:
                return _not_found()
            roles = await roles_in_zone(session, user.id, user.home_zone_id)
            staff = calendar.staff_zone(roles)
            await apply_scope(session, Scope(zone_id=user.home_zone_id, user_id=user.id, zone_staff=staff))
            try:
                meetings = await calendar.meetings_of_person(session, user.id,
                                                             user.home_zone_id if staff else None)
                body = await calendar.build_ics(session, meetings, name=f"{user.display_name} · 联席会议 joint meetings")
            except (NotFound, DomainError):
                return _not_found()
        # A personal feed: never stored by a shared cache, never sent as a referrer.
        return Response(body, media_type=ICS, headers={"Cache-Control": "private, no-store",
                                                       "Referrer-Policy": "no-referrer",
                                                       "X-Content-Type-Options": "nosniff"})

    return [Route("/feeds/news.atom", news, methods=["GET"]),
            Route("/feeds/{zone}/news.atom", news, methods=["GET"]),
            Route("/calendar/me/{token}.ics", my_calendar, methods=["GET"]),
            Route("/calendar/{zone}.ics", zone_calendar, methods=["GET"])]
