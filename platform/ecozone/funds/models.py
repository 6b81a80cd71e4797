"""Budget lines and ledger entries of a zone's funds (办法 第十三至十五条): zone-private.

Amounts are BIGINT fen (分), never floats, always positive. Entries are never changed nor
deleted: a mistake is undone by a reversal (红字冲销), an entry of its own that names the one it
reverses and counts negative in every sum (the ledger is what the audit log says was written).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ZonePrivate, utcnow


class BudgetLine(ZonePrivate, Timestamped, Base):
    """The budget of one source of income (第十三条) or one business area (第四条) for a year."""

    __tablename__ = "fund_budget_lines"
    __table_args__ = (UniqueConstraint("zone_id", "year", "direction", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    direction: Mapped[str] = mapped_column(String(16))  # income | spending
    category: Mapped[str] = mapped_column(String(32))   # a source, or a business area
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class FundEntry(ZonePrivate, Base):
    """One booked receipt or payment."""

    __tablename__ = "fund_entries"
    __table_args__ = (Index("ix_fund_entries_zone_id_year_direction", "zone_id", "year", "direction"),
                      Index("ix_fund_entries_zone_id_plan_item_id", "zone_id", "plan_item_id"),
                      CheckConstraint("amount_fen > 0", name="positive_amount"))

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]  # of booked_on
    booked_on: Mapped[dt.date]
    direction: Mapped[str] = mapped_column(String(16))  # income | spending
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    # income (第十三条)
    source: Mapped[str | None] = mapped_column(String(32))
    payer_name: Mapped[str | None] = mapped_column(String(200))
    payer_member_unit_id: Mapped[int | None] = mapped_column(ForeignKey("council_member_units.id"))
    # spending (第四条, 第十四条)
    business_area: Mapped[str | None] = mapped_column(String(32))
    nature: Mapped[str | None] = mapped_column(String(32))
    plan_item_id: Mapped[int | None] = mapped_column(ForeignKey("annual_plan_items.id"))
    payee_name: Mapped[str | None] = mapped_column(String(200))
    payee_member_unit_id: Mapped[int | None] = mapped_column(ForeignKey("council_member_units.id"))
    # A reversal (红字冲销) undoes the entry it names: same year, same lines, counted negative.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("fund_entries.id"), unique=True)
    voucher: Mapped[str | None] = mapped_column(String(64))  # 凭证号
    description: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
