"""Keyset (cursor) pagination of any SELECT, used by every list of the API."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

import orjson
from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from ecozone.errors import FieldError, ValidationFailed

T = TypeVar("T")
CURSOR_VERSION = "k1"


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
    total_count: int


def encode_cursor(values: list[Any]) -> str:
    # orjson writes the same compact UTF-8 JSON as json.dumps(..., ensure_ascii=False,
    # separators=(",", ":")) for the strings and integers of a cursor, several times faster
    # (a page encodes one cursor per item).
    raw = orjson.dumps([CURSOR_VERSION, values])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, width: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        version, values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if (version != CURSOR_VERSION or not isinstance(values, list) or len(values) != width
                or not all(v is None or isinstance(v, (int, str, float)) for v in values)):
            raise ValueError(cursor)
        return values
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise ValidationFailed(errors=[FieldError(
            "after", "cursor", "the cursor is not one this list returned",
            "游标无效：请使用本列表返回的游标")]) from exc


def _typed(values: list[Any], order: tuple[InstrumentedAttribute, ...]) -> list[Any]:
    """The cursor's values as the order columns' types: a cursor of another list (or a forged
    one) is refused here instead of reaching the database as a comparison of unlike types."""
    typed = []
    for value, column in zip(values, order, strict=True):
        try:
            python_type = column.type.python_type
        except (AttributeError, NotImplementedError):
            python_type = None
        typed.append(_as_type(value, python_type))
    return typed


def _as_type(value: Any, python_type: type | None) -> Any:
    if value is None or python_type is None:
        return value
    try:
        if python_type is bool:
            ok = isinstance(value, bool)
        elif python_type is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif python_type is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        elif python_type is str:
            ok = isinstance(value, str)
        elif python_type in (dt.datetime, dt.date):
            return python_type.fromisoformat(value) if isinstance(value, str) else _refuse()
        else:
            ok = True
    except ValueError:
        ok = False
    return value if ok else _refuse()


def _refuse() -> Any:
    raise ValidationFailed(errors=[FieldError(
        "after", "cursor", "the cursor is not one this list returned",
        "游标无效：请使用本列表返回的游标")])


def check_first(first: int, max_page_size: int) -> None:
    if not 1 <= first <= max_page_size:
        raise ValidationFailed(errors=[FieldError(
            "first", "range", f"first must be between 1 and {max_page_size}",
            f"first 必须在 1 到 {max_page_size} 之间")])


async def paginate(session: AsyncSession, stmt: Select, *, order: tuple[InstrumentedAttribute, ...],
                   first: int, after: str | None, max_page_size: int = 100) -> Page:
    """One page of ``stmt`` ordered by ``order`` (its last column must be unique).

    The list's total count rides on the page's own statement as an uncorrelated scalar
    subquery (evaluated once by PostgreSQL and SQLite alike): one statement per page, not two.
    Only a page past the end, which has no row to carry it, counts on its own.
    """
    check_first(first, max_page_size)
    count = select(func.count()).select_from(stmt.order_by(None).subquery())
    page_stmt = stmt.order_by(*order)
    if after:
        values = _typed(decode_cursor(after, len(order)), order)
        page_stmt = page_stmt.where(tuple_(*order) > tuple_(*values))
    result = (await session.execute(
        page_stmt.add_columns(count.scalar_subquery().label("total_count")).limit(first + 1))).all()
    rows = [row[0] for row in result]
    if result:
        total = result[0][-1]
    else:
        total = await session.scalar(count) if after else 0
    has_next = len(rows) > first
    rows = rows[:first]
    cursors = [encode_cursor([_plain(getattr(row, col.key)) for col in order]) for row in rows]
    return Page(items=rows, cursors=cursors, has_next_page=has_next,
                has_previous_page=after is not None, total_count=total or 0)


def _plain(value: Any) -> Any:
    return value if isinstance(value, (int, str, float, bool)) or value is None else str(value)


def page_of(items: Sequence[Any], key, *, first: int, after: str | None, max_page_size: int = 100) -> Page:
    """A page of a list computed in memory, by the unique integer ``key(item)`` in the list's order."""
    check_first(first, max_page_size)
    start = 0
    if after:
        (last,) = decode_cursor(after, 1)
        if not isinstance(last, int) or isinstance(last, bool):
            _refuse()
        keys = [key(item) for item in items]
        # Resume after the last item seen; should it have left the list since, after the first
        # greater key (exact for lists ordered by key).
        start = keys.index(last) + 1 if last in keys else next(
            (i for i, k in enumerate(keys) if k > last), len(items))
    chunk = list(items[start:start + first])
    return Page(items=chunk, cursors=[encode_cursor([key(item)]) for item in chunk],
                has_next_page=start + first < len(items), has_previous_page=after is not None,
                total_count=len(items))
