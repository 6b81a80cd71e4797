"""The viewer's own work: ``Viewer.reviewPanels`` (the standards whose technical review panel
holds the viewer's expert profile) and ``Viewer.comments`` (the comments the viewer wrote).

Fields of the ``Viewer`` type (graphql/roles.py), defined here and named there. Like the
viewer's other fields, an anonymous viewer (or one without an expert profile, for the panels)
gets an empty list rather than a refusal; a bad page size or a forged cursor is ValidationFailed.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from ecozone.consultation.my_comments import my_comments
from ecozone.graphql.common import connection, requested_node_fields
from ecozone.graphql.consultation.types import (
    CommentConnectionResult,
    ConsultationComment,
)
from ecozone.graphql.context import Info
from ecozone.graphql.loaders import prefetch
from ecozone.graphql.results import read
from ecozone.graphql.standards.schema import StandardConnectionResult
from ecozone.graphql.standards.loaders import prefetch_plan
from ecozone.graphql.standards.types import Standard, StandardState
from ecozone.standards.panels_service import my_review_panels

FIRST = strawberry.argument(description="Page size, 1–100. 每页条数，1–100。")
AFTER = strawberry.argument(description=(
    "Cursor to continue after: the previous page's `pageInfo.endCursor`; omit for the first "
    "page. 从该游标之后继续：上一页的 `pageInfo.endCursor`；取第一页时省略。"))


@strawberry.field(description=(
    "The standards whose technical review panel (技术审查专家组) holds the signed-in viewer's "
    "expert profile, newest first, in every zone (a panel's expert sees its standard wherever "
    "they act), each with its latest ballot (`ballot { myVote }` is the viewer's own vote). "
    "Empty when anonymous or without an expert profile. 登录用户的专家档案所在技术审查专家组的标准，"
    "按创建时间从新到旧，不限试验区（专家组成员在任何试验区均可见其标准），每项含最近一次表决"
    "（`ballot { myVote }` 为本人的投票）。匿名或没有专家档案时为空。"))
async def review_panels(
        self, info: Info,
        state: Annotated[StandardState | None, strawberry.argument(description=(
            "Only standards at this stage, e.g. REVIEW for the ballots that may be open. 仅处于该"
            "阶段的标准，如 REVIEW（可能正在表决的）。"))] = None,
        first: Annotated[int, FIRST] = 20, after: Annotated[str | None, AFTER] = None,
) -> StandardConnectionResult:
    ctx = info.context

    async def page():
        found = await my_review_panels(ctx.session, ctx.actor, state=state.value if state else None,
                                       first=first, after=after,
                                       max_page_size=ctx.settings.limits.max_page_size)
        await prefetch(requested_node_fields(info), found.items, prefetch_plan(info))
        return found
    return await read(info, page, lambda found: connection(found, Standard.from_model))


@strawberry.field(description=(
    "The comments the signed-in viewer wrote, on every consultation they commented on, newest "
    "first, withdrawn ones included (`withdrawnAt`); each names its consultation. Empty when "
    "anonymous. 登录用户本人提出的意见，涵盖其参与的全部征求意见，按时间从新到旧，含已撤回的"
    "（`withdrawnAt`）；每条可取其所属征求意见。匿名时为空。"))
async def comments(self, info: Info, first: Annotated[int, FIRST] = 20,
                   after: Annotated[str | None, AFTER] = None) -> CommentConnectionResult:
    ctx = info.context
    return await read(info, lambda: my_comments(
        ctx.session, ctx.actor, first=first, after=after,
        max_page_size=ctx.settings.limits.max_page_size),
        lambda found: connection(found, lambda c: ConsultationComment.from_model(c, info)))
