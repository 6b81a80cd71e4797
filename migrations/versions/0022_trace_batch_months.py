"""trace: the batch → months directory, so that a lookup by code prunes the monthly partitions

A trace code carries the day its batch was coded, not the month of each event, so a query of
``trace_records`` by batch alone probes the batch index of every monthly partition. The small
unpartitioned ``trace_batch_months`` (one row per batch, UTC month of an event and zone) is
written with the records in the same transaction; the lookup reads it first and names those
months to the records query, so the planner keeps only their partitions. Rows are public like
the records and written by the app only in the acting zone (row-level security as 0015's).

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op
from ecozone.db import rls

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trace_batch_months",
        sa.Column("batch", sa.String(22), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("batch", "month", "zone_id", name="pk_trace_batch_months"))
    if rls.is_postgresql():
        op.execute("INSERT INTO trace_batch_months (batch, month, zone_id) SELECT DISTINCT batch, "
                   "date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date, zone_id FROM trace_records")
        rls.grant("trace_batch_months", "SELECT, INSERT")
        role, zone = rls.app_role(), rls.CURRENT_ZONE
        op.execute("ALTER TABLE trace_batch_months ENABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE trace_batch_months FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY public_read ON trace_batch_months FOR SELECT TO {role} USING (true)")
        op.execute(f"CREATE POLICY zone_insert ON trace_batch_months FOR INSERT TO {role} "
                   f"WITH CHECK (zone_id = {zone})")
        op.execute("CREATE POLICY operator_access ON trace_batch_months TO CURRENT_USER USING (true) "
                   "WITH CHECK (true)")
    else:  # SQLite keeps UTC date-times as text 'YYYY-MM-DD HH:MM:SS…'
        op.execute("INSERT INTO trace_batch_months (batch, month, zone_id) SELECT DISTINCT batch, "
                   "substr(occurred_at, 1, 7) || '-01', zone_id FROM trace_records")


def downgrade() -> None:
    op.drop_table("trace_batch_months")
