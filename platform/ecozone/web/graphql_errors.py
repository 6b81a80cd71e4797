"""How an execution error is sent: the domain's typed refusals with their zh and en messages, a
malformed ID as NOT_FOUND, the database going away as a 503 (raised), anything else masked."""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError
from strawberry.relay import GlobalIDValueError

from ecozone.db.unavailable import DatabaseUnavailable, database_unavailable
from ecozone.errors import DomainError

log = logging.getLogger("ecozone.graphql")


def format_error(error: GraphQLError) -> tuple[dict[str, Any], bool]:
    """The error as sent, and whether it was unexpected (a bug: masked, rolled back)."""
    original = error.original_error
    formatted = error.formatted
    if original is None or isinstance(original, GraphQLError):
        return formatted, False
    if isinstance(original, DomainError):
        formatted["message"] = original.message_en
        formatted["extensions"] = {"code": original.code.upper(), "messageZh": original.message_zh}
        return formatted, False
    if isinstance(original, GlobalIDValueError):  # a client's malformed or foreign ID names nothing
        formatted["message"] = "no object with this ID"
        formatted["extensions"] = {"code": "NOT_FOUND", "messageZh": "没有此 ID 的对象"}
        return formatted, False
    if database_unavailable(original):  # not a bug: the database went away (issue 21)
        raise DatabaseUnavailable(str(original)) from original
    # a bug: logged with its exception, never shown (in development either: see the log)
    log.error("unexpected error in %s", formatted.get("path"), exc_info=original)
    formatted["message"] = "Internal server error"
    formatted["extensions"] = {"code": "INTERNAL_SERVER_ERROR", "messageZh": "服务器内部错误"}
    return formatted, True
