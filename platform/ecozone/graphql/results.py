"""Typed failure results and the one helper that turns service errors into them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry

from ecozone import errors
from ecozone.audit.service import record

T = TypeVar("T")


@strawberry.interface(description="An expected failure, in English and Chinese.")
class Failure:
    code: str
    message: str = strawberry.field(description="English message")
    message_zh: str = strawberry.field(description="中文说明")


@strawberry.type(description="The actor's roles do not allow this action in the acting zone.")
class PermissionDenied(Failure):
    action: str


@strawberry.type
class NotFound(Failure):
    pass


@strawberry.type(description="The request is valid but the current state forbids it.")
class Conflict(Failure):
    pass


@strawberry.type
class FieldError:
    field: str
    code: str
    message: str
    message_zh: str


@strawberry.type(description="Every invalid input field, all at once.")
class ValidationFailed(Failure):
    field_errors: list[FieldError]


def to_result(exc: errors.DomainError) -> Failure:
    common = dict(code=exc.code, message=exc.message_en, message_zh=exc.message_zh)
    if isinstance(exc, errors.PermissionDenied):
        return PermissionDenied(action=exc.action, **common)
    if isinstance(exc, errors.ValidationFailed):
        return ValidationFailed(field_errors=[FieldError(field=e.field, code=e.code, message=e.message_en,
                                                   message_zh=e.message_zh) for e in exc.errors],
                                **common)
    if isinstance(exc, errors.NotFound):
        return NotFound(**common)
    return Conflict(**common)


async def _record_denial(ctx: Any, exc: errors.DomainError) -> None:
    if isinstance(exc, errors.PermissionDenied):
        await record(ctx.session, ctx.actor, action=exc.action or "unknown",
                     object_type=exc.object_type or "unknown", object_id=exc.object_id,
                     outcome="denied")


async def run(info: Any, call: Callable[[], Awaitable[T]], mapper: Callable[[T], Any] | None = None
              ) -> Any:
    """Run one service write in a SAVEPOINT; an expected failure undoes its writes.

    A permission denial is then recorded in the audit log, in the request's transaction.
    """
    ctx = info.context
    try:
        async with ctx.session.begin_nested():
            value = await call()
    except errors.DomainError as exc:
        await _record_denial(ctx, exc)
        return to_result(exc)
    return mapper(value) if mapper else value


async def read(info: Any, call: Callable[[], Awaitable[T]], mapper: Callable[[T], Any] | None = None
               ) -> Any:
    """A read: expected failures become results (denials are audited), nothing to undo."""
    try:
        value = await call()
    except errors.DomainError as exc:
        await _record_denial(info.context, exc)
        return to_result(exc)
    return mapper(value) if mapper else value
