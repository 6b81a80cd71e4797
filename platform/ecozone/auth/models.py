"""Users: people who sign in. Shared across zones; each has a home zone."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped


class User(Timestamped, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    home_zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), index=True)
    # ``sub`` claim of an external identity provider (JWKS sign-in), when the user has one.
    external_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)
