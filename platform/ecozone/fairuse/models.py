"""The fair-use counters and the budgets an operator raised.

Neither table is zone-private: a client (an address, a user, a partner's client) is not a
zone's. The app role may read both and write the counters; only the operator writes raises.
Times are Unix seconds (UTC): the window arithmetic is the same on both engines.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, utcnow


class RateLimitWindow(Base):
    """What one client spent in one fixed window (``window_start`` = a multiple of the window)."""

    __tablename__ = "rate_limit_windows"

    client_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    budget: Mapped[int] = mapped_column(BigInteger)     # the budget in force at the last request
    spent: Mapped[int] = mapped_column(BigInteger)      # cost of the requests let through
    accepted: Mapped[bool] = mapped_column(Boolean)     # whether the last request was let through
    refused: Mapped[int] = mapped_column(Integer)       # requests refused (429) in the window


class RateLimitRaise(Base):
    """An operator's budget for one client (``ecozone rate-limit raise``), until it expires."""

    __tablename__ = "rate_limit_raises"

    client_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    budget: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int | None] = mapped_column(BigInteger)  # Unix seconds; none: until lowered
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
