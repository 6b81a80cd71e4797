"""Role assignments: zone-private rows that feed Casbin's ``g`` (user, role, zone) rules."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, Timestamped, ZonePrivate

# "enterprise": a traceability enterprise's person (issue 19), given by ecozone.trace.enterprises.
# "supervisor": the supervisory body of 章程 第二十四条 (issue 17), reads the council, funds and audit log only.
ROLES = ("director", "secretary", "expert", "member", "enterprise", "supervisor")
STAFF_ROLES = frozenset({"director", "secretary"})


class RoleAssignment(ZonePrivate, Timestamped, Base):
    __tablename__ = "role_assignments"
    __table_args__ = (
        UniqueConstraint("zone_id", "user_id", "role"),
        Index("ix_role_assignments_zone_id_role", "zone_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
