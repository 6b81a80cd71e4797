"""trusted documents (persisted operations) and the partner clients that register them

Shared tables (a partner's client and its documents are not a zone's): no row-level security.
The app role only reads them (a document looked up by its id, a client's key checked); the
operator writes them from the CLI (``ecozone documents register/revoke``), audited.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

from ecozone.db import rls

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trusted_clients",
        sa.Column("name", sa.String(64), nullable=False),
        # SHA-256 (hex) of the client's random secret; the secret itself is never stored
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_trusted_clients")),
    )
    op.create_table(
        "trusted_documents",
        sa.Column("document_id", sa.String(71), nullable=False),  # sha256:<64 hex>
        sa.Column("client_name", sa.String(64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("operation_names", sa.Text(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["client_name"], ["trusted_clients.name"],
                                name=op.f("fk_trusted_documents_client_name_trusted_clients")),
        sa.PrimaryKeyConstraint("document_id", "client_name", name=op.f("pk_trusted_documents")),
    )
    if rls.is_postgresql():
        rls.grant("trusted_clients", "SELECT")
        rls.grant("trusted_documents", "SELECT")


def downgrade() -> None:
    op.drop_table("trusted_documents")
    op.drop_table("trusted_clients")
