"""workspace sign-in: browser sessions, local accounts (argon2 hashes), failed sign-ins

Shared tables (a person's, not a zone's): no row-level security. The app role reads and writes
sessions and failures, and reads and writes local accounts (a person changes their password);
the operator resets one from the CLI (``ecozone accounts set-password``).

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

from ecozone.db import rls

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("zone_slug", sa.String(32), nullable=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("oidc_state", sa.String(128), nullable=True),
        sa.Column("oidc_nonce", sa.String(128), nullable=True),
        sa.Column("oidc_verifier", sa.String(128), nullable=True),
        sa.Column("return_to", sa.String(500), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_web_sessions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_web_sessions")),
    )
    op.create_index(op.f("ix_web_sessions_user_id"), "web_sessions", ["user_id"])
    op.create_index(op.f("ix_web_sessions_expires_at"), "web_sessions", ["expires_at"])
    op.create_table(
        "local_accounts",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_local_accounts_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_local_accounts")),
    )
    op.create_table(
        "sign_in_failures",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("window_start", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "window_start", name=op.f("pk_sign_in_failures")),
    )
    if rls.is_postgresql():
        for table in ("web_sessions", "local_accounts", "sign_in_failures"):
            rls.grant(table, "SELECT, INSERT, UPDATE, DELETE")


def downgrade() -> None:
    op.drop_table("sign_in_failures")
    op.drop_table("local_accounts")
    op.drop_index(op.f("ix_web_sessions_expires_at"), table_name="web_sessions")
    op.drop_index(op.f("ix_web_sessions_user_id"), table_name="web_sessions")
    op.drop_table("web_sessions")
