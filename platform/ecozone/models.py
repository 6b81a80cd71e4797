"""Imports every model so that metadata is complete (Alembic, tests, scoping)."""

from ecozone.audit.models import AuditChainHead, AuditEntry
from ecozone.auth.models import User
from ecozone.authz.models import RoleAssignment
from ecozone.db.base import Base
from ecozone.experts.models import ConflictDeclaration, ExpertCategory, ExpertField, ExpertProfile
from ecozone.tenancy.models import Zone

__all__ = ["AuditChainHead", "AuditEntry", "Base", "ConflictDeclaration", "ExpertCategory",
           "ExpertField", "ExpertProfile", "RoleAssignment", "User", "Zone"]
