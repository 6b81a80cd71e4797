"""The one mechanism that scopes every ORM query by zone and viewer.

A session carries a :class:`Scope` in ``session.info["scope"]``. Every ORM SELECT, UPDATE and
DELETE gets ``with_loader_criteria`` for each zone-private and viewer-scoped model it touches
(anywhere: subqueries, joins, EXISTS, aliases; and every such model when the statement carries
anything the analysis cannot read, db/statement_analysis.py), so no resolver or service ever
writes a zone ``WHERE`` by hand. The scoped entities an UPDATE or DELETE reads beside its own
table (``UPDATE … FROM``, ``DELETE … USING``), which loader criteria miss, get the same
criteria in its WHERE (db/dml_tables.py). New zone-private rows are checked
at flush. On PostgreSQL, the zone is also set per transaction for row-level security.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import event, false, text
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql.expression import Delete, Update

from ecozone.db.base import ZonePrivate
from ecozone.db.dml_tables import entities_beside_target
from ecozone.db.statement_analysis import (
    ScopedCatalogue,
    criteria_version,
    scoped_catalogue,
    touched_models,
)


@dataclass(frozen=True)
class Scope:
    """Who is looking, and from which zone."""

    zone_id: int | None = None
    user_id: int | None = None
    # Director or secretary of ``zone_id``: may see the zone's staff-only rows.
    zone_staff: bool = False
    # Operator tools (CLI, migrations, audit verify) see everything; never set for a request.
    bypass: bool = False

    @classmethod
    def system(cls) -> Scope:
        return cls(bypass=True)


ANONYMOUS = Scope()


class ScopedSession(Session):
    """The sync session class behind every AsyncSession of the app."""


def get_scope(session: Session) -> Scope:
    scope = session.info.get("scope")
    if scope is None:
        # Fail closed: a session without a scope sees nothing private.
        return ANONYMOUS
    return scope


def _criterion(scope: Scope, model: type, kind: type):
    if kind is ZonePrivate:
        return model.zone_id == scope.zone_id if scope.zone_id is not None else false()
    return model.visible_to(scope)


@lru_cache(maxsize=4096)
def _model_option(scope: Scope, model: type, kind: type, catalogue: ScopedCatalogue, version: int):
    """One model's criteria for ``scope``, built once per scope, model, set of mappers and
    criteria version (``scope_criteria_changed``), not per query."""
    return with_loader_criteria(model, _criterion(scope, model, kind), include_aliases=True)


def _criteria_beside_target(scope: Scope, statement: Update | Delete) -> tuple:
    """The criteria of the scoped entities ``statement`` reads beside its own table, each made by
    that model's loader criteria option exactly as SQLAlchemy makes its target's
    (BulkUDCompileState._adjust_for_extra_criteria): resolved for the entity, adapted to it when
    it is an alias. One definition of each model's criterion (``_criterion``) stays."""
    entities = entities_beside_target(statement)
    if not entities:
        return ()
    catalogue, version = scoped_catalogue(), criteria_version()
    criteria = []
    for entity in entities:
        for model, kind in catalogue.entries:
            if model is entity.mapper.class_:
                option = _model_option(scope, model, kind, catalogue, version)
                criterion = option._resolve_where_criteria(entity)
                criteria.append(entity._adapter.traverse(criterion) if entity.is_aliased_class
                                else criterion)
    return tuple(criteria)


@lru_cache(maxsize=16384)
def _criterion_reach(scope: Scope, model: type, catalogue: ScopedCatalogue,
                     version: int) -> frozenset:
    """The scoped models ``model``'s own criteria read (e.g. a viewer rule's subquery over
    another scoped table): their options must come along with it."""
    reach: frozenset = frozenset()
    for entry_model, kind in catalogue.entries:
        if entry_model is model:
            touched = touched_models(_criterion(scope, model, kind), catalogue)
            reach |= catalogue.all_models if touched is None else touched
    return reach


@lru_cache(maxsize=8192)
def _options(scope: Scope, models: frozenset, catalogue: ScopedCatalogue, version: int) -> tuple:
    """The options for the scoped ``models`` a statement touches, closed over what their
    criteria read, in the registry's order (one order per set: one SQL cache entry per set)."""
    needed, pending = set(), list(models)
    while pending:
        model = pending.pop()
        if model not in needed:
            needed.add(model)
            pending.extend(_criterion_reach(scope, model, catalogue, version))
    return tuple(_model_option(scope, model, kind, catalogue, version)
                 for model, kind in catalogue.entries if model in needed)


def all_scope_options(scope: Scope) -> tuple:
    """Every scoped model's criteria: what a statement the analysis cannot read gets."""
    catalogue = scoped_catalogue()
    return _options(scope, catalogue.all_models, catalogue, criteria_version())


def options_for_statement(scope: Scope, statement, state: ORMExecuteState | None) -> tuple:
    """The criteria of the scoped models ``statement`` touches, or of all of them when it
    carries anything the analysis cannot see (statement_analysis.touched_models)."""
    if state is not None and (state.is_relationship_load or state.is_column_load):
        return all_scope_options(scope)  # the loader's own statement, shaped by the mapper
    catalogue = scoped_catalogue()
    models = touched_models(statement, catalogue)
    if models is None:
        models = catalogue.all_models
    if not models:
        return ()
    return _options(scope, models, catalogue, criteria_version())


def scoped_statement(scope: Scope, statement, state: ORMExecuteState | None = None):
    """``statement`` as it runs for ``scope``: an UPDATE's or DELETE's other scoped tables
    limited in its WHERE, and the loader criteria of every scoped model it touches."""
    if isinstance(statement, (Update, Delete)):
        criteria = _criteria_beside_target(scope, statement)
        if criteria:
            statement = statement.where(*criteria)
    # Looked up at call time: bench/scope_cost.py compares the choices in one process.
    options = options_for_statement(scope, statement, state)
    return statement.options(*options) if options else statement


@event.listens_for(ScopedSession, "do_orm_execute")
def _apply_scope(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    scope = get_scope(state.session)
    if scope.bypass:
        return
    state.statement = scoped_statement(scope, state.statement, state)


@event.listens_for(ScopedSession, "before_flush")
def _check_new_rows(session: Session, flush_context, instances) -> None:
    scope = get_scope(session)
    if scope.bypass:
        return
    for obj in session.new:
        if isinstance(obj, ZonePrivate):
            if obj.zone_id is None:
                obj.zone_id = scope.zone_id
            if obj.zone_id != scope.zone_id:
                raise PermissionError(
                    f"refusing to write a {type(obj).__name__} of zone {obj.zone_id} "
                    f"while acting in zone {scope.zone_id}")


SET_SCOPE = text("SELECT set_config('ecozone.zone', :zone, true), "
                 "set_config('ecozone.user', :user, true)")


_UNSET = {"zone": "", "user": ""}


def _scope_settings(scope: Scope) -> dict[str, str]:
    return {"zone": "" if scope.zone_id is None else str(scope.zone_id),
            "user": "" if scope.user_id is None else str(scope.user_id)}


@event.listens_for(ScopedSession, "after_begin")
def _set_database_zone(session: Session, transaction, connection) -> None:
    """Row-level security reads the zone from a transaction-local setting.

    ``set_config(..., true)`` ends with the transaction, so a pooled connection never carries
    one user's zone into the next request.
    """
    if connection.dialect.name != "postgresql":
        return
    settings = _scope_settings(get_scope(session))
    if settings == _UNSET:
        # Anonymous: nothing to send. Both settings are transaction-local, so when a
        # transaction begins a pooled connection's are unset or '' (reverted at its last
        # transaction's end), which row-level security reads as no zone and no user
        # (``nullif(current_setting(...), '')``, db/rls.py): a round trip saved per request.
        return
    connection.execute(SET_SCOPE, settings)


def scope_was_set(session, scope: Scope) -> None:
    """The session's scope is now ``scope``, whose settings the statement just executed in its
    transaction set itself (the actor's, auth/service.py): nothing more to send."""
    session.info["scope"] = scope


async def apply_scope(session, scope: Scope) -> None:
    """Change the scope of an AsyncSession, inside its current transaction as well."""
    previous = get_scope(session.sync_session)
    session.info["scope"] = scope
    if _scope_settings(previous) == _scope_settings(scope) and not session.in_nested_transaction():
        # The transaction already carries this zone and user (set when it began, or by the
        # previous call): one round trip saved per request, e.g. for a role-only change.
        return
    if session.in_transaction():
        connection = await session.connection()
        if connection.dialect.name == "postgresql":
            await connection.execute(SET_SCOPE, _scope_settings(scope))
