"""Declarative base, naming conventions and the two kinds of zone-owned rows."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(value: dt.datetime) -> dt.datetime:
    """``value`` as an aware UTC datetime; a naive one is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


class UTCDateTime(TypeDecorator):
    """Every datetime column: stored in UTC, always read back aware (``tzinfo=UTC``).

    PostgreSQL stores ``timestamp with time zone`` and returns aware values already; SQLite
    has no time zone type and returns naive values, and would store an aware value's wall
    clock without its offset. So values are converted to UTC before they are written (a naive
    one is taken as UTC) and marked UTC when read: the API serialises them with ``+00:00``.
    The DDL is unchanged (``DateTime(timezone=True)``), so no migration is needed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else as_utc(value)

    def process_result_value(self, value, dialect):
        return None if value is None else as_utc(value)

    @property
    def python_type(self) -> type:
        return dt.datetime


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow,
                                                    server_default=func.now())


class ZonePrivate:
    """A row that belongs to one zone and is seen only inside it.

    The data layer (``ecozone.db.scoping``) adds ``zone_id = <acting zone>`` to every ORM
    query of such a model, and PostgreSQL row-level security enforces the same rule again.
    ``zone_id`` comes first in the model's indexes so the table can be distributed by zone.
    """

    @declared_attr
    def zone_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy declared_attr signature
        return mapped_column(Integer, ForeignKey("zones.id"), nullable=False, index=True)


class ViewerScoped:
    """A shared row whose visibility depends on the viewer (e.g. unverified expert profiles).

    The model implements ``visible_to(scope)`` returning a SQL criterion; the data layer
    applies it to every ORM query of the model, exactly like the zone rule.
    """

    @classmethod
    def visible_to(cls, scope):  # pragma: no cover - each model overrides
        raise NotImplementedError
