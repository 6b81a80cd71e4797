"""The isolation checker: which objects in a GraphQL response may the identity not see?

A response is walked for every object it names: each global ``id`` (decoded as the API encodes
it) and each audit entry (``chain`` + ``seq``). Then, as the operator (who sees everything), each
row is selected again WITH the rule the identity is bound by:

- zone-private models (``ZonePrivate``): ``zone_id`` = the identity's acting zone;
- viewer-scoped models (``ViewerScoped``): ``model.visible_to(identity's scope)``;
- a few child rows without a rule of their own: their parent's rule (``PARENTS``).

A row not found that way is a leak. The checker knows the ORM model of every ``Node`` type of
the schema (by name, with the few renames in ``RENAMED``); an unknown Node type is reported
too, so a new domain cannot slip past it unmapped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import graphql
from sqlalchemy import false, select, true
from strawberry.relay import GlobalID

from ecozone.audit.models import AuditEntry
from ecozone.db.base import Base, ViewerScoped, ZonePrivate
from ecozone.db.scoping import Scope
from ecozone.experts.models import ExpertProfile
from ecozone.graphql.schema import build_schema

# GraphQL type name → ORM class name, where they differ.
RENAMED = {"Expert": "ExpertProfile", "ConsultationComment": "Comment"}
# Child rows with no visibility rule of their own are seen through their parent's. (A standard's
# rows — drafts, zones, panel, ballots, votes, events — have their own: the standard's.)
PARENTS: dict[str, tuple[str, type]] = {
    "ConflictDeclaration": ("expert_id", ExpertProfile),
}


@dataclass(frozen=True)
class Seen:
    """One object of a response: where, which type, and how to find its row."""

    path: str
    type_name: str
    node_id: int | None = None          # a Node's database id
    chain: str | None = None            # an audit entry's chain …
    seq: int | None = None              # … and sequence number
    zone_ref: str | None = None         # a zone-private object's zone { slug } when it has no id


@lru_cache(maxsize=1)
def node_models() -> dict[str, type]:
    """Every Node type of the schema → its ORM model; raises for a type with no model.

    The model is the one the type's ``resolve_nodes`` selects (run against a recording
    session), else the ORM class of the same name (``RENAMED`` for the exceptions).
    """
    orm = {m.class_.__name__: m.class_ for m in Base.registry.mappers}
    schema = build_schema()
    found, missing = {}, []
    for name, gql_type in schema._schema.type_map.items():
        if isinstance(gql_type, graphql.GraphQLObjectType) and any(
                i.name == "Node" for i in gql_type.interfaces):
            model = _model_resolved_by(schema.get_type_by_name(name).origin) \
                or orm.get(RENAMED.get(name, name))
            if model is None:
                missing.append(name)
            else:
                found[name] = model
    if missing:
        raise AssertionError(f"Node types without a known ORM model: {missing}; "
                             "add them to tests/isolation/leaks.py RENAMED")
    return found


class _Nothing:
    def all(self):
        return []

    def scalars(self):
        return self

    def first(self):
        return None

    def __iter__(self):
        return iter(())


class _RecordingSession:
    """Stands in for the request's session: records what is selected, finds nothing."""

    def __init__(self) -> None:
        self.models: list[type] = []

    def _record(self, stmt) -> None:
        for description in getattr(stmt, "column_descriptions", ()):
            entity = description.get("entity")
            if isinstance(entity, type):
                self.models.append(entity)

    async def scalars(self, stmt, *args, **kwargs):
        self._record(stmt)
        return _Nothing()

    async def execute(self, stmt, *args, **kwargs):
        self._record(stmt)
        return _Nothing()

    async def scalar(self, stmt, *args, **kwargs):
        self._record(stmt)
        return None

    async def get(self, model, *args, **kwargs):
        self.models.append(model)
        return None


class _AllowAll:
    zone_id = user_id = None
    zone_slug = None
    roles = frozenset()
    signed_in = zone_staff = False

    def can(self, *_args) -> bool:
        return True


def _model_resolved_by(node_class: type) -> type | None:
    import asyncio
    from types import SimpleNamespace

    from ecozone.graphql.loaders import Loaders
    session = _RecordingSession()
    context = SimpleNamespace(session=session, actor=_AllowAll(), loaders=Loaders(session))
    info = SimpleNamespace(context=context)

    async def resolve():
        result = node_class.resolve_nodes(info=info, node_ids=["1"], required=False)
        if asyncio.iscoroutine(result) or isinstance(result, asyncio.Future):
            await result
    from concurrent.futures import ThreadPoolExecutor
    try:
        # A loop of its own, in a thread: the caller may already be inside one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, resolve()).result()
    except Exception:  # noqa: BLE001 - a resolver that needs more than this: use the name
        return None
    return session.models[0] if session.models else None


def zone_private_type_names() -> set[str]:
    return {name for name, model in node_models().items() if issubclass(model, ZonePrivate)}


def walk(data: Any, path: str = "data") -> list[Seen]:
    """Every identifiable object in ``data`` (the ``data`` of a response)."""
    seen: list[Seen] = []
    models = node_models()
    private = zone_private_type_names()
    if isinstance(data, list):
        for i, item in enumerate(data):
            seen.extend(walk(item, f"{path}[{i}]"))
        return seen
    if not isinstance(data, dict):
        return seen
    typename = data.get("__typename")
    raw_id = data.get("id")
    decoded = _decode(raw_id) if isinstance(raw_id, str) else None
    if decoded is not None and decoded[0] in models:
        seen.append(Seen(path, decoded[0], node_id=decoded[1]))
    elif typename in models and raw_id is not None:
        seen.append(Seen(path, typename, node_id=-1))  # a Node whose id does not decode: a bug
    if typename == "AuditEntry" or (typename is None and {"chain", "seq", "hash"} <= set(data)):
        seen.append(Seen(path, "AuditEntry", chain=data.get("chain"), seq=data.get("seq")))
    if typename in private and decoded is None and isinstance(data.get("zone"), dict):
        zone = data["zone"]
        if isinstance(zone.get("slug"), str):
            seen.append(Seen(path, typename, zone_ref=zone["slug"]))
    for key, value in data.items():
        if isinstance(value, (dict, list)):
            seen.extend(walk(value, f"{path}.{key}"))
    return seen


def _decode(raw: str) -> tuple[str, int] | None:
    try:
        gid = GlobalID.from_id(raw)
    except Exception:  # noqa: BLE001 - not a global ID (a plain string field called id)
        return None
    if not gid.node_id.isdigit():
        return None
    return gid.type_name, int(gid.node_id)


def rule(model: type, scope: Scope):
    """The criterion the identity's requests are bound by for ``model``."""
    if issubclass(model, ZonePrivate):
        return model.zone_id == scope.zone_id if scope.zone_id is not None else false()
    if issubclass(model, ViewerScoped):
        return model.visible_to(scope)
    return true()


async def find_leaks(session, scope: Scope, zone_slug: str | None, seen: list[Seen]) -> list[str]:
    """The objects of ``seen`` that ``scope`` may not see; ``session`` is the operator's."""
    models = node_models()
    leaks: list[str] = []
    by_type: dict[str, dict[int, Seen]] = defaultdict(dict)
    for item in seen:
        if item.type_name == "AuditEntry" and item.node_id is None:
            leaks.extend(await _audit_leaks(session, scope, zone_slug, item))
        elif item.zone_ref is not None:
            if item.zone_ref != zone_slug:
                leaks.append(f"{item.path}: {item.type_name} of zone {item.zone_ref} "
                             f"seen acting in {zone_slug}")
        elif item.node_id == -1:
            leaks.append(f"{item.path}: {item.type_name} with an id that is not a global ID")
        else:
            by_type[item.type_name][item.node_id] = item
    for type_name, items in by_type.items():
        model = models[type_name]
        ids = sorted(items)
        stmt = select(model.id).where(model.id.in_(ids), rule(model, scope))
        if type_name in PARENTS:
            column, parent = PARENTS[type_name]
            stmt = stmt.join(parent, parent.id == getattr(model, column)).where(rule(parent, scope))
        visible = set((await session.scalars(stmt)).all())
        for node_id in ids:
            if node_id not in visible:
                leaks.append(f"{items[node_id].path}: {type_name} {node_id} is not visible to "
                             f"{_who(scope, zone_slug)}")
    return leaks


async def _audit_leaks(session, scope: Scope, zone_slug: str | None, item: Seen) -> list[str]:
    if item.chain is not None and item.chain != zone_slug:
        return [f"{item.path}: audit entry of chain {item.chain} seen by {_who(scope, zone_slug)}"]
    if item.chain is None or item.seq is None:
        return [] if zone_slug is not None else [
            f"{item.path}: an audit entry seen by {_who(scope, zone_slug)}"]
    row = await session.scalar(select(AuditEntry.id).where(
        AuditEntry.chain == item.chain, AuditEntry.seq == item.seq, AuditEntry.visible_to(scope)))
    if row is None:
        return [f"{item.path}: audit entry {item.chain}#{item.seq} is not visible to "
                f"{_who(scope, zone_slug)}"]
    return []


def _who(scope: Scope, zone_slug: str | None) -> str:
    if scope.user_id is None:
        return "an anonymous visitor" + (f" in {zone_slug}" if zone_slug else "")
    return f"user {scope.user_id} acting in {zone_slug}" + (" (staff)" if scope.zone_staff else "")


class _Identify(graphql.Visitor):
    """Adds ``__typename`` to every selection set, and ``id`` wherever the object may be a Node."""

    def __init__(self, schema: graphql.GraphQLSchema, type_info: graphql.TypeInfo):
        super().__init__()
        self.schema, self.type_info = schema, type_info
        self.node = schema.get_type("Node")

    def leave_selection_set(self, node: graphql.SelectionSetNode, *_args):
        keys = {(s.alias or s.name).value for s in node.selections if isinstance(s, graphql.FieldNode)}
        added: list[graphql.SelectionNode] = []
        if "__typename" not in keys:
            added.append(_field("__typename"))
        parent = self.type_info.get_parent_type()
        if self.node is not None and "id" not in keys and parent is not None:
            if parent is self.node or (isinstance(parent, graphql.GraphQLObjectType)
                                       and self.node in parent.interfaces):
                added.append(_field("id"))
            elif graphql.is_abstract_type(parent) and any(
                    self.node in t.interfaces for t in self.schema.get_possible_types(parent)):
                added.append(graphql.InlineFragmentNode(
                    type_condition=graphql.NamedTypeNode(name=graphql.NameNode(value="Node")),
                    directives=(), selection_set=graphql.SelectionSetNode(selections=(_field("id"),))))
        if not added:
            return None
        return graphql.SelectionSetNode(selections=(*node.selections, *added))


def _field(name: str) -> graphql.FieldNode:
    return graphql.FieldNode(name=graphql.NameNode(value=name), arguments=(), directives=())


def identified(query: str, schema: graphql.GraphQLSchema) -> str:
    """``query`` asking every object for its type and, where it is a Node, its global ID:
    a generated query that selects neither would hide the objects from the checker."""
    type_info = graphql.TypeInfo(schema)
    visitor = graphql.TypeInfoVisitor(type_info, _Identify(schema, type_info))
    return graphql.print_ast(graphql.visit(graphql.parse(query), visitor))
