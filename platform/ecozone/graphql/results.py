"""Typed failure results and the one helper that turns service errors into them."""

from __future__ import annotations

import functools
import operator
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar, get_args, get_origin

import strawberry

from ecozone import errors
from ecozone.audit.service import record

T = TypeVar("T")


@strawberry.interface(description=("An expected failure, in English and Chinese: a result type of a union, not a "
         "GraphQL error. Select `code` to branch on. 预期内的失败（中英文）：作为联合类型的一个成员返回，而非 GraphQL 错误；按"
         " `code` 分支处理。"))
class Failure:
    code: str = strawberry.field(description=("Stable machine-readable code, e.g. PERMISSION_DENIED, VALIDATION_FAILED, "
             "NOT_FOUND, CONFLICT. 稳定的机器可读代码，如 PERMISSION_DENIED、VALIDATION_FAILED、NOT_FOUND、"
             "CONFLICT。"))
    message: str = strawberry.field(description=("What went wrong, in English, for people. 英文说明，供人阅读。"))
    message_zh: str = strawberry.field(description=("What went wrong, in Chinese, as precise as the English message. 中文说明，与英文说明同样具体。"))


@strawberry.type(description=("The actor's roles do not allow this action in the acting zone (X-Zone), or the "
         "viewer is not signed in. 当前用户在所操作的试验区（X-Zone）中的角色不允许此操作，或尚未登录。"))
class PermissionDenied(Failure):
    action: str = strawberry.field(description=("The refused action's internal name, e.g. `project.approve`; the messages name "
             "it in words. 被拒绝操作的内部名称，如 `project.approve`；说明文字以自然语言描述该操作。"))


@strawberry.type(description=("Nothing with this ID exists that the viewer may see (an invisible object is answered "
     "the same way as a missing one). 不存在查看者可见的该 ID 对象（不可见对象与不存在对象的返回相同）。"))
class NotFound(Failure):
    pass


@strawberry.type(description=("The request is valid but the current state forbids it (e.g. an illegal lifecycle "
         "step); the messages say what is possible now. 请求有效，但当前状态不允许（如不合法的流程步骤）；说明文字会指出当前可执行的"
         "操作。"))
class Conflict(Failure):
    pass


@strawberry.type(description="One invalid input field. 一个无效的输入字段。")
class FieldError:
    field: str = strawberry.field(description=("The input field's GraphQL name, e.g. `titleZh` or `zone`. 输入字段的 GraphQL 名称，如 "
             "`titleZh`、`zone`。"))
    code: str = strawberry.field(description=("Machine-readable reason, e.g. required, range, choice, format. 机器可读的原因，如 "
             "required、range、choice、format。"))
    message: str = strawberry.field(description="The problem in English. 英文说明。")
    message_zh: str = strawberry.field(description="The problem in Chinese. 中文说明。")


@strawberry.type(description=("Every invalid input field, all at once; nothing was written. 列出所有无效的输入字段（一次全部给出）；未写入"
         "任何数据。"))
class ValidationFailed(Failure):
    field_errors: list[FieldError] = strawberry.field(description="One entry per invalid field, in input order. 每个无效字段一项，按输入顺序。")


# Each failure type's gloss in the result unions' Chinese description.
FAILURE_ZH = {"PermissionDenied": "无权限", "ValidationFailed": "输入无效", "NotFound": "不存在或不可见",
              "Conflict": "当前状态不允许", "ArticleRefusal": "条款禁止"}

EVERY_FAILURE = (PermissionDenied, ValidationFailed, NotFound, Conflict)


def graphql_type_name(type_: Any) -> str:
    """The GraphQL name strawberry gives a result type: a `Connection[X]` is `XConnection`."""
    args = get_args(type_)
    if args:
        return f"{graphql_type_name(args[0])}{get_origin(type_).__name__}"
    definition = getattr(type_, "__strawberry_definition__", None)
    return definition.name if definition else type_.__name__


def describe_result(success: str, failures: tuple[str, ...], *, how_to_select: bool = True) -> str:
    """A result union's description, English then Chinese.

    `how_to_select=False` is the shorter wording some unions were published with (no `... on` fragments); it stays
    so that their descriptions in the SDL do not change.
    """
    failures_zh = "、".join(f"{f} {FAILURE_ZH[f]}" for f in failures)
    if not how_to_select:
        return (f"{success} on success, else why not: {', '.join(failures)}. 成功时为 {success}，否则为失败原因（"
                f"{failures_zh}）。")
    return (f"{success} on success, else why not: {', '.join(failures)}. Select `... on {success}` and "
            f"`... on Failure {{ code message messageZh }}`. 成功时为 {success}，否则为失败原因（{failures_zh}）。"
            f"用 `... on {success}` 与 `... on Failure {{ code message messageZh }}` 取值。")


def result_union(name: str, success_type: Any, *failures: Any, success_name: str | None = None,
                 how_to_select: bool = True, description: str | None = None) -> Any:
    """The union `success_type | *failures` named `name`, with the standard description of its members.

    `description` keeps a union's own wording where it says more than the standard one.
    """
    members = functools.reduce(operator.or_, (success_type, *failures))
    if description is None:
        description = describe_result(success_name or graphql_type_name(success_type),
                                      tuple(graphql_type_name(f) for f in failures), how_to_select=how_to_select)
    return Annotated[members, strawberry.union(name, description=description)]


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
