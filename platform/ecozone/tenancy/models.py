"""Zones (tenants): one per pilot zone, loaded from ``tenants/*.toml``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped


class Zone(Timestamped, Base):
    __tablename__ = "zones"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    standard_code: Mapped[str] = mapped_column(String(16))  # DB36/T
    admin_code: Mapped[str] = mapped_column(String(6))  # 36
    is_host: Mapped[bool] = mapped_column(default=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
