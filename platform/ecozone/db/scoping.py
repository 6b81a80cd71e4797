"""The one mechanism that scopes every ORM query by zone and viewer.

A session carries a :class:`Scope` in ``session.info["scope"]``. Every ORM SELECT, UPDATE and
DELETE gets ``with_loader_criteria`` for each zone-private and viewer-scoped model, so no
resolver or service ever writes a zone ``WHERE`` by hand. New zone-private rows are checked
at flush. On PostgreSQL, the zone is also set per transaction for row-level security.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import event, false, text
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from ecozone.db.base import Base, ViewerScoped, ZonePrivate


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


_SCOPED: dict[tuple[type, int], tuple[type, ...]] = {}


def _scoped_models(kind: type) -> tuple[type, ...]:
    """Models of ``kind``; computed once per set of mappers, since this runs on every query."""
    mappers = Base.registry.mappers
    key = (kind, len(mappers))
    if key not in _SCOPED:
        _SCOPED[key] = tuple(m.class_ for m in mappers if issubclass(m.class_, kind))
    return _SCOPED[key]


@lru_cache(maxsize=1024)
def _scope_options(scope: Scope, mapper_count: int, subjects: tuple) -> tuple:
    """The criteria of ``scope``, built once per scope, set of mappers and set of registered
    consultation subjects (whose adapters shape who sees a consultation), not per query:
    building them walks every scoped model and was a tenth of a list request's time."""
    options = []
    for model in _scoped_models(ZonePrivate):
        criterion = model.zone_id == scope.zone_id if scope.zone_id is not None else false()
        options.append(with_loader_criteria(model, criterion, include_aliases=True))
    for model in _scoped_models(ViewerScoped):
        options.append(with_loader_criteria(model, model.visible_to(scope), include_aliases=True))
    return tuple(options)


@event.listens_for(ScopedSession, "do_orm_execute")
def _apply_scope(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    scope = get_scope(state.session)
    if scope.bypass:
        return
    from ecozone.consultation.subjects import (
        registered,  # a leaf module: no import cycle
    )
    options = _scope_options(scope, len(Base.registry.mappers), tuple(registered()))
    if options:
        state.statement = state.statement.options(*options)


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
