"""Substring search with LIKE: one escaping rule and one length limit for every list."""

from __future__ import annotations

from ecozone.errors import FieldError

MAX_SEARCH_TEXT = 100
ESCAPE = "\\"


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, lower-cased, with % and _ taken literally."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_text_errors(text: str | None, field: str = "text") -> list[FieldError]:
    if text is not None and len(text) > MAX_SEARCH_TEXT:
        return [FieldError(field, "length", f"search text is at most {MAX_SEARCH_TEXT} characters",
                           f"搜索文字最多 {MAX_SEARCH_TEXT} 个字符")]
    return []
