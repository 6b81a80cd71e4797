"""Arguments shared by the cooperation domains' queries, described once."""

from __future__ import annotations

from typing import Annotated

import strawberry

First = Annotated[int, strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")]
After = Annotated[str | None, strawberry.argument(description=(
    "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for the first page. "
    "从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))]
ZoneSlug = Annotated[str | None, strawberry.argument(description="Only this zone's (slug). 仅该试验区（slug）的。")]
Input = "The input; see its type. 输入参数，见其类型说明。"


def gid(type_name: str) -> str:
    return f"Global ID of the {type_name} (`{type_name}.id`). {type_name} 的全局 ID（`{type_name}.id`）。"
