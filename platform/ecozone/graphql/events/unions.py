"""One way to declare the result unions of the cooperation domains (events, consulting, uptake),
with their description written once, English then Chinese."""

from __future__ import annotations

from typing import Annotated

import strawberry

from ecozone.graphql.results import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)

_NAMES = {"PermissionDenied": "PermissionDenied 无权限", "ValidationFailed": "ValidationFailed 输入无效",
          "NotFound": "NotFound 不存在或不可见", "Conflict": "Conflict 当前状态不允许"}


def describe(success: str, failures: tuple[str, ...]) -> str:
    return (f"{success} on success, else why not: {', '.join(failures)}. Select `... on {success}` and "
            f"`... on Failure {{ code message messageZh }}`. 成功时为 {success}，否则为失败原因（"
            f"{'、'.join(_NAMES[f] for f in failures)}）。用 `... on {success}` 与 "
            f"`... on Failure {{ code message messageZh }}` 取值。")


def result(name: str, type_, success: str | None = None):
    """``type_`` or any of the four expected failures."""
    return Annotated[type_ | PermissionDenied | ValidationFailed | NotFound | Conflict, strawberry.union(
        name, description=describe(success or type_.__name__,
                                   ("PermissionDenied", "ValidationFailed", "NotFound", "Conflict")))]


def page_result(name: str, connection_type, success: str):
    """A page of a list, or why not."""
    return Annotated[connection_type | PermissionDenied | ValidationFailed | NotFound, strawberry.union(
        name, description=describe(success, ("PermissionDenied", "ValidationFailed", "NotFound")))]
