"""Enterprises, their people, trace records, record keys and batch links.

Enterprises are shared rows (their names are part of the public chain); each belongs to one zone
and only that zone's staff register and change it. Trace records are public by design (anyone
looks a product up by its code) except their private indicators, which the service shows only
to the record's zone staff; every record belongs to its enterprise's zone, and PostgreSQL
row-level security lets the app write records, keys and links only in the acting zone
(migration 0015). On PostgreSQL ``trace_records`` is partitioned by month of ``occurred_at``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ViewerScoped, ZonePrivate, utcnow

ENTERPRISE_KINDS: dict[str, tuple[str, str]] = {
    "producer": ("生产主体", "producer"), "processor": ("加工企业", "processor"),
    "logistics": ("物流企业", "logistics"), "seller": ("销售企业", "seller")}


class Enterprise(ViewerScoped, Timestamped, Base):
    __tablename__ = "trace_enterprises"
    __table_args__ = (UniqueConstraint("uscc"), UniqueConstraint("zone_id", "producer_code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), index=True)
    uscc: Mapped[str] = mapped_column(String(18))
    producer_code: Mapped[str] = mapped_column(String(6))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(300))
    kinds: Mapped[list[str]] = mapped_column(JSON)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def visible_to(cls, scope):
        """Public: an enterprise is named on every product it made, moved or sold."""
        return true()


class EnterpriseMember(ZonePrivate, Base):
    """A person who submits records for an enterprise (they hold the ``enterprise`` role)."""

    __tablename__ = "trace_enterprise_members"
    __table_args__ = (UniqueConstraint("enterprise_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("trace_enterprises.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TraceRecord(ViewerScoped, Base):
    __tablename__ = "trace_records"
    __table_args__ = (Index("ix_trace_records_batch", "batch"), Index("ix_trace_records_code", "code"),
                      Index("ix_trace_records_gtin_lot", "gtin", "lot"))

    # PostgreSQL's primary key is (id, occurred_at): a partitioned table's must hold the month.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    occurred_at: Mapped[dt.datetime]
    zone_id: Mapped[int] = mapped_column(Integer)
    enterprise_id: Mapped[int] = mapped_column(Integer)
    record_key: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(27))
    batch: Mapped[str] = mapped_column(String(22))
    gtin: Mapped[str | None] = mapped_column(String(14))
    lot: Mapped[str | None] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(32))
    catalog_version_id: Mapped[int] = mapped_column(Integer)
    event_type: Mapped[str] = mapped_column(String(16))
    place: Mapped[str] = mapped_column(String(200))
    place_code: Mapped[str | None] = mapped_column(String(6))
    reason: Mapped[str | None] = mapped_column(String(500))
    public_data: Mapped[dict[str, Any]] = mapped_column(JSON)
    private_data: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @classmethod
    def visible_to(cls, scope):
        """Every record's public part is public; private indicators are filtered by the service."""
        return true()


class TraceRecordKey(Base):
    """A record's own identifier per enterprise: what makes a resubmission change nothing.

    Kept apart from the partitioned records table, whose unique indexes must contain the
    partition key (the month), while a record's identity does not.
    """

    __tablename__ = "trace_record_keys"

    enterprise_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    zone_id: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))


class BatchLink(Base):
    """Batch ``parent`` went into batch ``child`` (a split has one parent and many children,
    a combination many parents and one child)."""

    __tablename__ = "trace_batch_links"
    __table_args__ = (UniqueConstraint("parent_batch", "child_batch"),
                      Index("ix_trace_batch_links_child_batch", "child_batch"))

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    zone_id: Mapped[int] = mapped_column(Integer)
    parent_batch: Mapped[str] = mapped_column(String(22))
    child_batch: Mapped[str] = mapped_column(String(22))


class TraceBatchMonth(Base):
    """A batch has records of this UTC month in this zone: the directory a lookup reads first.

    A code carries no event month, so without it a query by batch probes every monthly partition
    of ``trace_records``; with it the records query names its months and PostgreSQL keeps only
    those partitions (migration 0022). Written with the records, in the same transaction.
    """

    __tablename__ = "trace_batch_months"

    batch: Mapped[str] = mapped_column(String(22), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    zone_id: Mapped[int] = mapped_column(Integer, primary_key=True)
