"""Shared GraphQL building blocks: connections, global IDs, bilingual names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import relay

from ecozone.db.pagination import Page
from ecozone.ids import decode_global_id, parse_id

T = TypeVar("T")


@strawberry.type(description="An item of a connection with its cursor. 连接（分页列表）中的一项及其游标。")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description=("Opaque position of this item: pass it as `after` to continue after it. 本项的位置游标（不"
             "透明字符串），作为 `after` 传入可从其后继续。"))
    node: T = strawberry.field(description="The item itself. 本项对象。")


@strawberry.type(description=("A page of a list: pass `pageInfo.endCursor` as `after` for the next page (`first` "
         "at most 100). 分页列表的一页：将 `pageInfo.endCursor` 作为 `after` 传入取下一页（`first` 最多 100）。"))
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description=("The items of this page, in the list's order, each with its cursor. 本页各项及其游标，按列表顺"
             "序。"))
    page_info: relay.PageInfo = strawberry.field(description="Whether there are more pages and the cursors to reach them. 是否还有下一页/上一页，以及翻页所需的游标。")
    total_count: int = strawberry.field(description=("Items in the whole list the viewer may see (all pages), not just this page. 整个列表"
             "（所有页）中查看者可见的条目数，而非本页条数。"))


def connection(page: Page, to_node: Callable[[Any], T]) -> Connection[T]:
    edges = [Edge(cursor=cursor, node=to_node(item)) for item, cursor in zip(page.items, page.cursors)]
    return Connection(edges=edges, total_count=page.total_count, page_info=relay.PageInfo(
        has_next_page=page.has_next_page, has_previous_page=page.has_previous_page,
        start_cursor=page.cursors[0] if page.cursors else None,
        end_cursor=page.cursors[-1] if page.cursors else None))


def requested_node_fields(info: Any) -> frozenset[str]:
    """GraphQL names of the fields asked for on a connection's nodes (``edges { node { … } }``),
    through inline fragments and fragment spreads: what its resolver may load for the page.

    Directives are not evaluated: a field under ``@skip`` counts as asked for (at worst one
    statement loads what nobody reads).
    """
    from strawberry.types.nodes import FragmentSpread, InlineFragment

    def fields(selections: Any) -> Any:
        for selection in selections:
            if isinstance(selection, (InlineFragment, FragmentSpread)):
                yield from fields(selection.selections)
            else:
                yield selection
    names: set[str] = set()
    for root in info.selected_fields:
        for edges in fields(root.selections):
            if edges.name == "edges":
                for node in fields(edges.selections):
                    if node.name == "node":
                        names.update(f.name for f in fields(node.selections))
    return frozenset(names)


def decode_id(global_id: relay.GlobalID | str, type_name: str, field: str = "id") -> int:
    """The database id behind a global ID of ``type_name``: NotFound for anything else (ecozone/ids.py)."""
    return decode_global_id(global_id, type_name, field)


async def load_nodes(info: Any, model: type, node_ids: Any) -> list[Any]:
    """Rows of ``model`` by id, in the order asked, None where missing or not visible.

    The query goes through the session, so the data layer's zone and viewer scoping applies.
    """
    from sqlalchemy import select
    wanted = [parse_id(i) for i in node_ids]  # None for anything but a canonical id in range
    ids = sorted({i for i in wanted if i is not None})
    if not ids:
        return [None for _ in wanted]
    rows = (await info.context.session.scalars(select(model).where(model.id.in_(ids)))).all()
    found = {row.id: row for row in rows}
    return [None if i is None else found.get(i) for i in wanted]
