"""What a consultation is about: one adapter per subject type, registered by its domain.

The consultation component knows nothing of standards or council documents. Each domain
registers an adapter for its subject type (``register_subject("standard", StandardSubject())``
in its own package, so it is registered whenever its models are imported), and the services
ask it, right after the role check, whether this actor may open, comment or decide.

An adapter is any object with these members:

``node_type: str``
    GraphQL type name of the subject (its global IDs), e.g. ``"ConsultedDocument"``.
``visible_to(scope, subject_id) -> ColumnElement[bool]``
    SQL criterion over ``Consultation.subject_id``: which consultations of this subject type
    the viewer (:class:`ecozone.db.scoping.Scope`) may read. The data layer applies it to
    every query of consultations and their comments, so lists, nodes and downloads never leak.
    Return ``true()`` for subjects that are always public.
``async is_public(session, subject_id) -> bool``
``async can_open(session, actor, subject_id) -> bool`` (also: may close it)
``async can_comment(session, actor, subject_id) -> bool``
``async can_decide(session, actor, subject_id) -> bool``
``async people_to_notify(session, subject_id) -> set[int]`` (user ids)
``async title(session, subject_id) -> tuple[str, str]`` (zh, en)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from ecozone.db.statement_analysis import scope_criteria_changed
from ecozone.errors import FieldError, ValidationFailed

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from ecozone.authz.actor import Actor
    from ecozone.db.scoping import Scope


class SubjectAdapter(Protocol):
    node_type: str

    def visible_to(self, scope: Scope, subject_id: Any) -> Any: ...
    async def is_public(self, session: AsyncSession, subject_id: int) -> bool: ...
    async def can_open(self, session: AsyncSession, actor: Actor, subject_id: int) -> bool: ...
    async def can_comment(self, session: AsyncSession, actor: Actor, subject_id: int) -> bool: ...
    async def can_decide(self, session: AsyncSession, actor: Actor, subject_id: int) -> bool: ...
    async def people_to_notify(self, session: AsyncSession, subject_id: int) -> set[int]: ...
    async def title(self, session: AsyncSession, subject_id: int) -> tuple[str, str]: ...


class _Registry(dict):
    """Subject adapters by type. Consultation.visible_to and Comment.visible_to ask every
    adapter, so any change (a registration, a test's monkeypatch and its undoing) makes the
    data layer rebuild its cached criteria."""

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        scope_criteria_changed()

    def __delitem__(self, key) -> None:
        super().__delitem__(key)
        scope_criteria_changed()

    # dict's other mutators do not go through __setitem__/__delitem__: each must say so too.
    def pop(self, *args):
        try:
            return super().pop(*args)
        finally:
            scope_criteria_changed()

    def popitem(self):
        try:
            return super().popitem()
        finally:
            scope_criteria_changed()

    def setdefault(self, key, default=None):
        try:
            return super().setdefault(key, default)
        finally:
            scope_criteria_changed()

    def update(self, *args, **kwargs) -> None:
        try:
            super().update(*args, **kwargs)
        finally:
            scope_criteria_changed()

    def clear(self) -> None:
        super().clear()
        scope_criteria_changed()

    def __ior__(self, other):
        self.update(other)
        return self


_REGISTRY: dict[str, SubjectAdapter] = _Registry()


def register_subject(subject_type: str, adapter: SubjectAdapter) -> None:
    """Register (or, on a module reload, replace) the adapter of ``subject_type``."""
    if not subject_type or len(subject_type) > 32:
        raise ValueError(f"subject type must be 1–32 characters: {subject_type!r}")
    _REGISTRY[subject_type] = adapter


def registered() -> list[tuple[str, SubjectAdapter]]:
    return sorted(_REGISTRY.items())


def subject_adapter(subject_type: str) -> SubjectAdapter:
    """The adapter of ``subject_type``, or ValidationFailed naming the known types."""
    adapter = _REGISTRY.get(subject_type)
    if adapter is None:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise ValidationFailed(errors=[FieldError(
            "subjectType", "choice", f"unknown subject type {subject_type!r}; known: {known}",
            f"未知的征求意见对象类型“{subject_type}”；可选：{known}")])
    return adapter
