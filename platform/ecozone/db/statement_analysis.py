"""Which zone-scoped models an ORM statement touches, so that scoping.py adds only their criteria.

Every scoped model's ``with_loader_criteria`` on every statement (≈ 70 options) made SQLAlchemy
build and hash the cache key of all of them per statement, a few milliseconds of a list
request. A statement needs only the criteria of the scoped models whose tables it reads
somewhere (its FROM, joins, subqueries, EXISTS, aliases, a column's table), plus those its
mappers could bring in when loaded (inheritance, relationships, column expressions), plus those
the added criteria read themselves (scoping.py closes over that).

This is the only zone-scoping SQLite has, so the analysis fails closed: ``touched_models``
answers ``None`` ("cannot tell: apply every model's criteria") for anything it does not
understand — loader options (joinedload, selectinload, contains_eager, with_expression …),
lambda statements, ``from_statement``, mappers over something other than a plain table, any
statement type it was not written for. Reading a table the analysis names wrongly only adds
criteria that would not have applied; the tests (tests/db/test_scope_analysis.py) compare the
SQL with every option against the SQL with the chosen ones.

The criteria some models build depend on registrations made at import time (consultation
subjects); whoever changes such a registration calls ``scope_criteria_changed`` so that the
cached options are rebuilt. The data layer names no domain.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table, event
from sqlalchemy.orm import Mapper, configure_mappers
from sqlalchemy.orm.context import FromStatement
from sqlalchemy.sql import visitors
from sqlalchemy.sql.annotation import Annotated
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ColumnClause, ColumnElement
from sqlalchemy.sql.expression import (
    CompoundSelect,
    Delete,
    Select,
    TableClause,
    Update,
)
from sqlalchemy.sql.lambdas import LambdaElement

from ecozone.db.base import Base, ViewerScoped, ZonePrivate

_criteria_version = 0


def scope_criteria_changed() -> None:
    """The criteria a model's ``visible_to`` builds changed (e.g. a consultation subject type
    was registered): options built before are dropped from use."""
    global _criteria_version
    _criteria_version += 1


def criteria_version() -> int:
    return _criteria_version


@dataclass(frozen=True, eq=False)  # hashed by identity: one per set of mappers
class ScopedCatalogue:
    """The scoped models and, per table name, the scoped models touching it may involve."""

    # (model, ZonePrivate or ViewerScoped): one option each, in the registry's order.
    entries: tuple[tuple[type, type], ...]
    models: tuple[type, ...]
    all_models: frozenset
    # table full name -> scoped models a statement reading it may need the criteria of
    reach: dict[str, frozenset]
    # a mapper the analysis cannot see through (mapped over a join or a select): never narrow
    opaque: bool


_CATALOGUE: list[ScopedCatalogue] = []


def scoped_catalogue() -> ScopedCatalogue:
    """Built once per set of mappers, since this runs on every query (listing the registry's
    mappers alone cost 0.17 ms)."""
    if not _CATALOGUE:
        configure_mappers()  # relationships resolved, and their events fired, before reading
        _CATALOGUE.append(_build_catalogue(Base.registry.mappers))
    return _CATALOGUE[0]


@event.listens_for(Mapper, "after_mapper_constructed")
def _mappers_changed(*_args) -> None:
    _CATALOGUE.clear()


def _build_catalogue(mappers) -> ScopedCatalogue:
    entries = tuple([(m.class_, ZonePrivate) for m in mappers if issubclass(m.class_, ZonePrivate)]
                    + [(m.class_, ViewerScoped) for m in mappers if issubclass(m.class_, ViewerScoped)])
    models = tuple(dict.fromkeys(model for model, _kind in entries))
    scoped = frozenset(models)
    opaque = any(not isinstance(m.local_table, Table) for m in mappers)
    loads = {mapper: _tables_of_mapper_loading(mapper) for mapper in mappers}
    opaque = opaque or any(names is None for names in loads.values())
    # What loading a table's mappers can bring in, one step: the tables of the whole
    # inheritance hierarchy, relationship targets (and their association tables), tables
    # read by column expressions (column_property).
    implies: dict[str, set[str]] = {}
    models_of: dict[str, set[type]] = {}
    for mapper in mappers:
        family = list(mapper.base_mapper.self_and_descendants)
        names = {table.fullname for member in family for table in member.tables}
        for member in family:
            names |= loads.get(member) or set()
        for table in mapper.tables:
            implies.setdefault(table.fullname, set()).update(names)
            models_of.setdefault(table.fullname, set()).update(
                member.class_ for member in family if member.class_ in scoped)
    reach = {}
    for name in implies:
        seen, pending = set(), [name]
        while pending:
            current = pending.pop()
            if current not in seen:
                seen.add(current)
                pending.extend(implies.get(current, ()))
        reach[name] = frozenset(model for table in seen for model in models_of.get(table, ()))
    return ScopedCatalogue(entries, models, scoped, reach, opaque)


def _tables_of_mapper_loading(mapper: Mapper) -> set[str] | None:
    """Tables loading ``mapper``'s rows may read beyond its own, None if not readable."""
    names: set[str] = set()
    for relationship in mapper.relationships:
        names.update(t.fullname for t in relationship.mapper.base_mapper.tables)
        for member in relationship.mapper.base_mapper.self_and_descendants:
            names.update(t.fullname for t in member.tables)
        if relationship.secondary is not None:
            found = _table_names(relationship.secondary)
            if found is None:
                return None
            names |= found
    for prop in mapper.column_attrs:
        for column in prop.columns:
            if not (isinstance(column, ColumnClause) and isinstance(column.table, Table)):
                found = _table_names(column)
                if found is None:
                    return None
                names |= found
    return names


_STATEMENTS = (Select, CompoundSelect, Update, Delete)


def touched_models(element, catalogue: ScopedCatalogue) -> frozenset | None:
    """The scoped models whose criteria ``element`` (a statement or a criterion) needs, or None
    when the analysis cannot tell (then every model's criteria apply)."""
    if catalogue.opaque or not isinstance(element, (*_STATEMENTS, ColumnElement)):
        return None
    names = _table_names(element)
    if names is None:
        return None
    models: set = set()
    for name in names:
        models |= catalogue.reach.get(name, frozenset())
    return frozenset(models)


def _table_names(element) -> set[str] | None:
    """Full names of every table ``element`` reads anywhere, or None if it holds something
    whose tables this walk cannot see."""
    names: set[str] = set()
    seen_froms: set[int] = set()
    pending = [element]
    kinds = _KINDS
    while pending:
        for node in visitors.iterate(pending.pop()):
            kind = kinds.get(type(node))
            if kind is None:
                kind = _classify(type(node))
            if not kind:
                continue
            if kind & _REFUSE:
                return None
            if kind & _STATEMENT and node._with_options:
                return None  # loader options (joinedload …) bring in entities the tree lacks
            if kind & _TABLE:
                names.add(node.fullname)
            if kind & _COLUMN:
                # A column names its table (or alias, subquery) without the tree holding it.
                table = node.table
                if isinstance(table, TableClause):
                    names.add(table.fullname)
                elif table is not None and id(table) not in seen_froms:
                    seen_froms.add(id(table))
                    pending.append(table)
            if kind & _ANNOTATED:
                mapper = node._annotations.get("parentmapper")
                if mapper is not None:
                    if not isinstance(mapper.local_table, Table):
                        return None
                    names.update(t.fullname for t in mapper.tables)
    return names


_TABLE, _COLUMN, _STATEMENT, _ANNOTATED, _REFUSE = 1, 2, 4, 8, 16
_KINDS: dict[type, int] = {}


def _classify(node_type: type) -> int:
    """What the walk looks at in a node of this class (once per class: the walk is per query)."""
    kind = 0
    if issubclass(node_type, (LambdaElement, FromStatement)):
        kind |= _REFUSE
    if issubclass(node_type, TableClause):
        kind |= _TABLE
    if issubclass(node_type, ColumnClause):
        kind |= _COLUMN
    if issubclass(node_type, Executable):
        kind |= _STATEMENT
    if issubclass(node_type, Annotated):
        kind |= _ANNOTATED
    _KINDS[node_type] = kind
    return kind
