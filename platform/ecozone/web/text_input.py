"""No NUL character in any text the API accepts.

PostgreSQL text cannot hold U+0000 (SQLite can), so a string with one would pass validation
and then fail in the database as an unexpected error. No field of the platform has a use for
it: such a request is refused up front, whether the text is written in the document or sent
as a variable, on both engines alike.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, StringValueNode
from graphql.validation import ASTValidationRule

NUL = "\x00"
CODE = "BAD_USER_INPUT"
MESSAGE_EN = "text may not contain the NUL character (U+0000)"
MESSAGE_ZH = "文本中不能包含空字符（U+0000）"


class NoNulInStrings(ASTValidationRule):
    """A string literal in the document with a NUL in it is a validation error."""

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if NUL in node.value:
            self.report_error(GraphQLError(MESSAGE_EN, node,
                                           extensions={"code": CODE, "messageZh": MESSAGE_ZH}))


def nul_paths(value: Any, path: str = "variables") -> list[str]:
    """Where in a JSON value (the variables) a string — or an object key — holds a NUL."""
    if isinstance(value, str):
        return [path] if NUL in value else []
    if isinstance(value, dict):
        found = [f"{path} (key)" for key in value if isinstance(key, str) and NUL in key]
        for key, item in value.items():
            found += nul_paths(item, f"{path}.{key}")
        return found
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in nul_paths(item, f"{path}[{i}]")]
    return []
