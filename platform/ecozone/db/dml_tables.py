"""The mapped entities an UPDATE or DELETE reads beside its target table (``UPDATE … FROM``,
``DELETE … USING``): the one place SQLAlchemy's loader criteria do not reach.

SQLAlchemy (2.1) gives a bulk UPDATE or DELETE the ``with_loader_criteria`` of its own table
only; another entity it names in WHERE or SET renders as a FROM (USING) entry with no criteria,
where a SELECT naming it the same way gets them (sqlalchemy#13070). scoping.py adds the
criterion of each scoped entity found here to the statement's WHERE. Subqueries are not found
here and need nothing: a nested ORM SELECT gets its own criteria. A bare ``Table`` is not an
entity, exactly as in a SELECT (the deliberate way past the rule, e.g. ``Enrolment.__table__``).

This reads SQLAlchemy's statement internals (``_where_criteria``, ``_values``, ``_extra_froms``,
annotations) the way its own DML compiler does; tests/db/test_scope_analysis.py compares the
result with a SELECT's loader criteria for every scoped model, so an upgrade that changes them
fails there, not silently.
"""

from __future__ import annotations

from sqlalchemy.sql import util as sql_util
from sqlalchemy.sql.base import _from_objects
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.expression import Delete, Update


def entities_beside_target(statement: Update | Delete) -> list:
    """The mappers or aliased-class inspections of the FROM entries ``statement`` renders beside
    its target, found as SQLAlchemy finds those entries (``DMLState._make_extra_froms``): the
    surface FROM objects of its WHERE, of its SET values and of a DELETE's ``using()``. An
    entry's entity is on the entry itself (an entity given to ``using()``) or, as the SELECT's
    loader criteria find it, on the ORM columns naming it (``X.col``: the column is annotated,
    the table it reads is not)."""
    tables = list(sql_util.tables_from_leftmost(statement.table))
    seen = set(tables[0]._cloned_set)
    reads = [*statement._where_criteria]
    if isinstance(statement, Update) and statement._values:
        reads += [value for value in statement._values.values() if isinstance(value, ClauseElement)]
    read_through: dict = {}  # FROM object -> the entity whose column reads it
    for read in reads:
        # Surface only: a nested SELECT (IN, EXISTS, a scalar subquery) gets its own criteria.
        for element in sql_util.surface_expressions(read):
            entity = element._annotations.get("parententity")
            if entity is not None:
                for from_ in element._from_objects:
                    read_through.setdefault(from_, entity)
    candidates = [*getattr(statement, "_extra_froms", ()), *_from_objects(*reads), *tables[1:]]
    entities: list = []
    for candidate in candidates:
        for from_ in sql_util.surface_selectables_only(candidate):
            if seen.intersection(from_._cloned_set):
                continue
            seen.update(from_._cloned_set)
            entity = from_._annotations.get("parententity") or read_through.get(from_)
            if entity is not None and entity not in entities:
                entities.append(entity)
    return entities
