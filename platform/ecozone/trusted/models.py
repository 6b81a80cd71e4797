"""Partner clients and their registered GraphQL documents (migration 0014).

Neither table is zone-private: a partner's client and its documents belong to no zone. The
app role only reads them; the operator writes them from the CLI (``ecozone documents``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ecozone.db.base import Base, utcnow


class TrustedClient(Base):
    """A partner's registered client: its name and the hash of its secret key."""

    __tablename__ = "trusted_clients"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    # SHA-256 (hex) of a 256-bit random secret: unguessable, so a fast hash is enough (README)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class TrustedDocument(Base):
    """One client's registration of a document, by its content address ``sha256:<hex>``."""

    __tablename__ = "trusted_documents"

    document_id: Mapped[str] = mapped_column(String(71), primary_key=True)
    client_name: Mapped[str] = mapped_column(ForeignKey("trusted_clients.name"), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    operation_names: Mapped[str] = mapped_column(Text)  # comma-separated, for `documents list`
    registered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)
