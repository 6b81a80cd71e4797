"""``node(id:)``, ``nodes(ids:)`` and the rule that a forged ID is a NotFound result.

Strawberry's own ``relay.node()`` parses the ID as it likes (``int()`` of whatever follows the
colon, an error for a malformed base64 or an unknown type name); here every ID goes through
the one decoder (ecozone/ids.py): anything but a global ID of a node type with a canonical
id in range names nothing, and nothing is ``null`` — the same as an ID nobody may see.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.relay import GlobalIDValueError
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.cast import cast as strawberry_cast

from ecozone import errors
from ecozone.errors import FieldError
from ecozone.graphql.results import NotFound
from ecozone.ids import parse_id, split_global_id


def node_type(info: Any, type_name: str) -> type[relay.Node] | None:
    """The object type implementing Node named ``type_name`` in the schema, or None."""
    definition = info.schema.get_type_by_name(type_name)
    if not isinstance(definition, StrawberryObjectDefinition) or definition.is_interface:
        return None
    origin = definition.origin
    return origin if isinstance(origin, type) and issubclass(origin, relay.Node) else None


def _decode(info: Any, global_id: Any) -> tuple[type[relay.Node], str] | None:
    parts = split_global_id(global_id)
    if parts is None:
        return None
    type_, value = node_type(info, parts[0]), parse_id(parts[1])
    return None if type_ is None or value is None else (type_, str(value))


async def _resolve(info: Any, type_: type[relay.Node], node_ids: list[str]) -> list[Any]:
    nodes = type_.resolve_nodes(info=info, node_ids=node_ids, required=False)
    if hasattr(nodes, "__await__"):
        nodes = await nodes
    return [None if n is None else strawberry_cast(type_, n) for n in nodes]


@strawberry.type
class NodeQuery:
    @strawberry.field(description=("Any object the viewer may see, by its global ID; null when there is none or it "
             "is not visible. 按全局 ID 获取查看者可见的任意对象；不存在或不可见时为 null。"))
    async def node(self, info: strawberry.Info,
                   id: Annotated[strawberry.ID, strawberry.argument(description="The object's global ID (its `id` field). 对象的全局 ID（其 `id` 字段）。")]
                   ) -> relay.Node | None:
        decoded = _decode(info, id)
        if decoded is None:
            return None
        [found] = await _resolve(info, decoded[0], [decoded[1]])
        return found

    @strawberry.field(description=("Objects by their global IDs, in the order asked: null for an ID that names "
             "nothing you may see (at most a page of IDs, 100). 按全局 ID 批量获取对象，顺序与请求一致：不存在或不可见的"
             " ID 对应 null（最多 100 个 ID）。"))
    async def nodes(self, info: strawberry.Info,
                    ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global IDs, at most 100. 全局 ID 列表，最多 100 个。")]
                    ) -> list[relay.Node | None]:
        limit = info.context.settings.limits.max_page_size
        if len(ids) > limit:
            raise errors.ValidationFailed(errors=[FieldError(
                "ids", "too_many", f"at most {limit} IDs at once", f"一次最多 {limit} 个 ID")])
        decoded = [_decode(info, i) for i in ids]
        by_type: dict[type[relay.Node], list[str]] = {}
        for item in decoded:
            if item is not None:
                by_type.setdefault(item[0], []).append(item[1])
        found: dict[tuple[type[relay.Node], str], Any] = {}
        for type_, node_ids in by_type.items():  # one after another: one session per request
            unique = list(dict.fromkeys(node_ids))
            found.update(zip(((type_, i) for i in unique), await _resolve(info, type_, unique)))
        return [None if item is None else found.get(item) for item in decoded]


class ForgedIdIsNotFound(strawberry.ExceptionHandler[GlobalIDValueError, NotFound]):
    """A global ID Strawberry cannot parse (a malformed base64, no colon), in an argument of a
    field whose result can be NotFound, answers that result (schema.py installs it)."""

    def handle(self, exception: GlobalIDValueError, *, field: Any, info: Any) -> NotFound:
        return NotFound(code=errors.NotFound.code, message="no object with this ID",
                        message_zh="没有此 ID 的对象")
