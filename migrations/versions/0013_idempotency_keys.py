"""idempotency keys: a mutation's first answer under its client's key, per user, for 24 hours

Shared table (a key is a user's, not a zone's): no row-level security; the app role reads,
writes and deletes (expired keys), ``ecozone idempotency purge`` too.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

from ecozone.db import rls

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("stored_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_idempotency_keys_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "idempotency_key", name=op.f("pk_idempotency_keys")),
    )
    op.create_index(op.f("ix_idempotency_keys_stored_at"), "idempotency_keys", ["stored_at"])
    if rls.is_postgresql():
        rls.grant("idempotency_keys", "SELECT, INSERT, UPDATE, DELETE")


def downgrade() -> None:
    op.drop_index(op.f("ix_idempotency_keys_stored_at"), table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
