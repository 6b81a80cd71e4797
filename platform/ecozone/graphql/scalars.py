"""The ``DateTime`` scalar: ISO 8601 in UTC with the offset ``+00:00``, one convention for all.

Values come from the data layer aware and in UTC (``ecozone.db.base.UTCDateTime``); the scalar
writes them as ``2026-12-02T04:19:09.535550+00:00`` (microseconds only when not zero). An input
must carry its offset (``+08:00``, ``Z`` …) and is converted to UTC; one without an offset is
refused, since nobody can tell which clock it was read from.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import strawberry
from graphql import GraphQLError

log = logging.getLogger("ecozone.time")

DESCRIPTION = (
    "Date and time, ISO 8601 with its offset, always given in UTC with `+00:00` "
    "(e.g. `2026-12-02T04:19:09.535550+00:00`; microseconds only when not zero). "
    "An input must carry an offset (`+08:00`, `Z`, …) and is converted to UTC; "
    "one without an offset is refused (BAD_USER_INPUT, reason DATETIME_WITHOUT_OFFSET). / "
    "日期时间：ISO 8601 格式并带时区偏移，输出一律为 UTC（`+00:00`，如 "
    "`2026-12-02T04:19:09.535550+00:00`，北京时间为 12:19:09）；输入必须带偏移（如 `+08:00` 或 `Z`），"
    "服务端换算为 UTC 存储；不带偏移的输入会被拒绝。"
)


class DateTimeInputError(GraphQLError):
    """A DateTime input that cannot be taken: English message, with its Chinese twin."""

    def __init__(self, reason: str, message_en: str, message_zh: str):
        super().__init__(message_en, extensions={"reason": reason})
        self.reason, self.message_zh = reason, message_zh


def serialize(value: Any) -> str:
    if isinstance(value, str):  # already text (e.g. read from a JSON column): parse it first
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        raise TypeError(f"DateTime cannot represent {value!r}")
    if value.tzinfo is None:
        # The data layer gives aware values; a naive one is a bug somewhere else. It is UTC by
        # the storage convention: say so in the log (tests fail on it) and keep answering.
        log.warning("naive datetime %s serialised as UTC", value.isoformat())
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def parse_value(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise DateTimeInputError(
            "DATETIME_NOT_A_STRING",
            f"DateTime cannot represent {value!r}: give a string such as 2026-12-02T12:00:00+08:00",
            f"DateTime 无法表示 {value!r}：请给出字符串，如 2026-12-02T12:00:00+08:00")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise DateTimeInputError(
            "DATETIME_INVALID",
            f'"{value}" is not an ISO 8601 date and time, e.g. 2026-12-02T12:00:00+08:00',
            f"“{value}”不是 ISO 8601 日期时间，示例：2026-12-02T12:00:00+08:00") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise DateTimeInputError(
            "DATETIME_WITHOUT_OFFSET",
            f'"{value}" has no UTC offset: add one, e.g. {value}+08:00 (Beijing time) or {value}Z (UTC)',
            f"“{value}”缺少时区偏移：请加上偏移，如 {value}+08:00（北京时间）或 {value}Z（UTC）")
    return parsed.astimezone(dt.UTC)


DateTime = strawberry.scalar(name="DateTime", description=DESCRIPTION, serialize=serialize,
                             parse_value=parse_value)

SCALAR_MAP = {dt.datetime: DateTime}  # StrawberryConfig.scalar_map: every dt.datetime field
