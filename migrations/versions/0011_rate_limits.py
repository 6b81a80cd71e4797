"""fair use: query-cost counters per client and window, and the budgets an operator raised

Shared tables (a client is not a zone's): no row-level security. The app role reads and
writes the counters (one upsert per request, and deletes windows older than a day) and only
reads the raises, which the operator writes from the CLI (``ecozone rate-limit raise``).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

from ecozone.db import rls

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_windows",
        sa.Column("client_key", sa.String(200), nullable=False),
        sa.Column("window_start", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("budget", sa.BigInteger(), nullable=False),
        sa.Column("spent", sa.BigInteger(), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("client_key", "window_start", name=op.f("pk_rate_limit_windows")),
    )
    op.create_table(
        "rate_limit_raises",
        sa.Column("client_key", sa.String(200), nullable=False),
        sa.Column("budget", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("client_key", name=op.f("pk_rate_limit_raises")),
    )
    if rls.is_postgresql():
        rls.grant("rate_limit_windows", "SELECT, INSERT, UPDATE, DELETE")
        rls.grant("rate_limit_raises", "SELECT")


def downgrade() -> None:
    op.drop_table("rate_limit_raises")
    op.drop_table("rate_limit_windows")
