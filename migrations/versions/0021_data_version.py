"""data version: one row counting the committed writes, for the response cache (issue 20)

Every transaction that writes data bumps ``data_versions.version`` before it commits
(``ecozone.db.data_version``): a rolled-back write does not count. The response cache keys
anonymous answers by it, and on PostgreSQL the bump also ``NOTIFY``s every worker. Not a
zone's row: no row-level security; the app role reads and bumps it, nothing else.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op
from ecozone.db import rls

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "data_versions",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_data_versions_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_versions")),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])
    if rls.is_postgresql():
        rls.grant("data_versions", "SELECT, UPDATE")


def downgrade() -> None:
    op.drop_table("data_versions")
