"""Pure rules of news: the article's lifecycle, its texts, and the feed's merge and limit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ecozone.workflow import StateMachine

KINDS: dict[str, tuple[str, str]] = {"news": ("新闻", "news"), "announcement": ("通知公告", "announcement")}

ARTICLE = StateMachine(
    name_en="news article", name_zh="新闻稿件",
    transitions={("draft", "edit"): "draft", ("draft", "publish"): "published",
                 ("published", "withdraw"): "withdrawn", ("withdrawn", "edit"): "draft"},
    state_names_zh={"draft": "草稿", "published": "已发布", "withdrawn": "已撤回"},
    action_names_zh={"edit": "修改", "publish": "发布", "withdraw": "撤回"})

TEXT_LIMITS = {"titleZh": 200, "titleEn": 300, "bodyZh": 20000, "bodyEn": 40000}
FEED_LIMIT = (1, 100)  # entries per feed page
DEFAULT_FEED_LIMIT = 30


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a news feed: an article, or a public event of the platform derived from
    its own tables (a standard published, a project's notice opened, council minutes)."""

    key: str            # stable and unique: the Atom id's tail, e.g. "article/12"
    kind: str           # article kinds, or "standard_published", "project_notice", "council_minutes"
    zone_id: int
    at: dt.datetime     # aware, UTC
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str
    path: str           # where the portal shows it, e.g. "/graphql?…" or a page of the API


def text_errors(values: dict[str, str | None]) -> list[tuple[str, str, str, str]]:
    """(field, code, en, zh) for each bilingual text missing or too long: both languages are
    required (a zone's news is read in both)."""
    errors = []
    for name, limit in TEXT_LIMITS.items():
        value = (values.get(name) or "").strip()
        if not value:
            errors.append((name, "required", f"{name} is required", f"必须填写 {name}"))
        elif len(value) > limit:
            errors.append((name, "length", f"at most {limit} characters", f"最多 {limit} 个字符"))
    return errors


def limit_errors(limit: int) -> list[tuple[str, str, str, str]]:
    low, high = FEED_LIMIT
    if not low <= limit <= high:
        return [("limit", "range", f"limit must be {low}–{high}", f"limit 须为 {low}–{high}")]
    return []


def merge(sources: Iterable[Iterable[FeedEntry]], *, limit: int,
          before: tuple[dt.datetime, str] | None = None) -> list[FeedEntry]:
    """The newest ``limit`` entries of all sources, newest first (ties by key, descending, so
    the order is total and a page boundary never repeats or skips an entry), strictly before
    the ``before`` position when continuing a previous page."""
    entries = {e.key: e for source in sources for e in source}.values()
    ordered = sorted(entries, key=lambda e: (e.at, e.key), reverse=True)
    if before is not None:
        ordered = [e for e in ordered if (e.at, e.key) < before]
    return ordered[:limit]
