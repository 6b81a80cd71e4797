"""Pure rules of the base's rule documents (章程 第三十二条): which version is in force, and when a new
one may be adopted. No database."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ecozone.errors import FieldError

KEY = re.compile(r"[a-z][a-z0-9_]{1,39}")
MAX_TEXT = 200_000
ARTICLE_ZH, ARTICLE_EN = "章程第三十二条", "Council Charter, Article 32"


@dataclass(frozen=True)
class Dated:
    number: int
    effective_from: dt.date


def in_force(versions: Iterable[Dated], on: dt.date) -> Dated | None:
    """The version in force on ``on``: the latest effective on or before that day (None before the first)."""
    best = None
    for v in versions:
        if v.effective_from <= on and (best is None or (v.effective_from, v.number) > (best.effective_from, best.number)):
            best = v
    return best


def version_errors(*, text: str | None, effective_from: dt.date, adopted_on: dt.date,
                   earlier: Sequence[Dated]) -> list[FieldError]:
    """A new version takes effect no earlier than the meeting that adopted it, and after every earlier
    version's start (versions follow one another; none is back-dated under another)."""
    errors = []
    if not text or len(text) > MAX_TEXT:
        errors.append(FieldError("text", "length", f"the text: 1–{MAX_TEXT} characters", f"全文须为 1–{MAX_TEXT} 个字符"))
    if effective_from < adopted_on:
        errors.append(FieldError("effectiveFrom", "range", f"a version takes effect on or after its adoption ({adopted_on})",
                                 f"生效日期不得早于表决通过之日（{adopted_on}）"))
    latest = max((v.effective_from for v in earlier), default=None)
    if latest is not None and effective_from <= latest:
        errors.append(FieldError("effectiveFrom", "order", f"the version in force from {latest} is later or the same day",
                                 f"已有自 {latest} 起施行的版本，新版本须在其后生效"))
    return errors


def key_errors(key: str) -> list[FieldError]:
    if not isinstance(key, str) or not KEY.fullmatch(key):
        return [FieldError("key", "format", "a key of 2–40 lower-case letters, digits or _, starting with a letter "
                           "(e.g. charter, measures)", "标识须为 2–40 位小写字母、数字或下划线，以字母开头（如 charter、measures）")]
    return []
