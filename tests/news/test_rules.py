"""Pure news rules, table-driven: the article's lifecycle, its texts at their bounds, the feed's
limit and the merge of articles with the platform's events (order, ties, pages)."""

from __future__ import annotations

import datetime as dt

import pytest
from ecozone.news import rules
from ecozone.news.rules import FeedEntry
from ecozone.workflow import IllegalTransition

TEXTS = {"titleZh": "标题", "titleEn": "Title", "bodyZh": "正文", "bodyEn": "Text"}


@pytest.mark.parametrize(("field", "value", "code"), [
    ("titleZh", "", "required"), ("titleZh", "   ", "required"), ("titleZh", None, "required"),
    ("titleZh", "字" * 200, None), ("titleZh", "字" * 201, "length"),
    ("titleEn", "x" * 300, None), ("titleEn", "x" * 301, "length"),
    ("bodyZh", "字" * 20000, None), ("bodyZh", "字" * 20001, "length"),
    ("bodyEn", "", "required"), ("bodyEn", "x" * 40000, None), ("bodyEn", "x" * 40001, "length"),
])
def test_texts(field, value, code):
    errors = rules.text_errors({**TEXTS, field: value})
    assert [(e[0], e[1]) for e in errors] == ([(field, code)] if code else [])
    assert all(e[3] for e in errors)  # a Chinese message for each


def test_every_missing_text_is_reported_at_once():
    assert [e[0] for e in rules.text_errors({})] == ["titleZh", "titleEn", "bodyZh", "bodyEn"]


@pytest.mark.parametrize(("limit", "ok"), [(0, False), (1, True), (100, True), (101, False), (-1, False)])
def test_feed_limit(limit, ok):
    assert (rules.limit_errors(limit) == []) is ok


@pytest.mark.parametrize(("state", "action", "after"), [
    ("draft", "edit", "draft"), ("draft", "publish", "published"), ("published", "withdraw", "withdrawn"),
    ("withdrawn", "edit", "draft"),
    ("draft", "withdraw", None), ("published", "publish", None), ("published", "edit", None),
    ("withdrawn", "publish", None), ("withdrawn", "withdraw", None),
])
def test_article_lifecycle(state, action, after):
    if after is None:
        with pytest.raises(IllegalTransition):
            rules.ARTICLE.advance(state, action)
    else:
        assert rules.ARTICLE.advance(state, action) == after


T0 = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)


def entry(key: str, minutes: int) -> FeedEntry:
    return FeedEntry(key=key, kind="news", zone_id=1, at=T0 + dt.timedelta(minutes=minutes), title_zh="t",
                     title_en="t", summary_zh="s", summary_en="s", path=key)


def test_merge_newest_first_across_sources():
    articles = [entry("article/2", 30), entry("article/1", 10)]
    events = [entry("standard-published/1", 20), entry("council-minutes/1", 40)]
    merged = rules.merge([articles, events], limit=10)
    assert [e.key for e in merged] == ["council-minutes/1", "article/2", "standard-published/1", "article/1"]


def test_merge_limit_and_pages_never_repeat_or_skip_ties():
    same_time = [entry(f"article/{i:010d}", 0) for i in range(5)]
    others = [entry("project-notice/0000000001", 0), entry("council-minutes/0000000001", 5)]
    seen, before = [], None
    while True:
        page = rules.merge([same_time, others], limit=2, before=before)
        if not page:
            break
        seen += [e.key for e in page]
        before = (page[-1].at, page[-1].key)
    assert len(seen) == len(set(seen)) == 7
    assert seen[0] == "council-minutes/0000000001"


def test_merge_drops_duplicates_by_key():
    one = entry("article/1", 0)
    assert rules.merge([[one], [one]], limit=5) == [one]
