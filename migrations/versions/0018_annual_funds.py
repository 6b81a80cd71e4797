"""annual work plan, work and financial reports, funds (issue 17, first half)

Revision ID: 0018
Revises: 0017

Plans, plan items and reports are viewer-scoped: public once adopted by the general meeting,
otherwise the zone's office's. Row-level security keeps the zone half of that rule (a row of
another zone is seen only when adopted, and written only in its own zone); whether the viewer
is the office is the data layer's ``visible_to``. Budget lines and ledger entries are
zone-private (``isolate_by_zone``).
"""

import sqlalchemy as sa
from alembic import op
from ecozone.db import rls

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

PUBLIC_WHEN_ADOPTED = ("annual_plans", "annual_reports")
ZONE_PRIVATE = ("fund_budget_lines", "fund_entries")
TABLES = ("annual_plans", "annual_plan_items", "annual_reports", "fund_budget_lines", "fund_entries")


def _timestamps() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)]


def _document_columns() -> list[sa.Column]:
    return [sa.Column("state", sa.String(16), nullable=False),
            sa.Column("motion_id", sa.Integer(), sa.ForeignKey("council_motions.id")),
            sa.Column("submitted_at", sa.DateTime(timezone=True)),
            sa.Column("adopted_at", sa.DateTime(timezone=True)),
            sa.Column("drafted_by_id", sa.Integer(), sa.ForeignKey("users.id"))]


def upgrade() -> None:
    op.create_table(
        "annual_plans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title_zh", sa.String(200), nullable=False),
        sa.Column("title_en", sa.String(300), nullable=False),
        sa.Column("summary", sa.Text()),
        *_document_columns(),
        *_timestamps(),
        sa.UniqueConstraint("zone_id", "year"), sa.UniqueConstraint("motion_id"))
    op.create_table(
        "annual_plan_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("annual_plans.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id")),
        sa.Column("title_zh", sa.String(200), nullable=False),
        sa.Column("title_en", sa.String(300), nullable=False),
        sa.Column("business_area", sa.String(32)),
        sa.Column("budget_fen", sa.BigInteger()),
        sa.Column("progress", sa.String(16), nullable=False),
        sa.Column("progress_note", sa.Text()),
        sa.Column("progress_updated_at", sa.DateTime(timezone=True)),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        *_timestamps(),
        sa.UniqueConstraint("plan_id", "seq"), sa.UniqueConstraint("project_id"))
    op.create_index("ix_annual_plan_items_zone_id_plan_id", "annual_plan_items", ["zone_id", "plan_id"])
    op.create_table(
        "annual_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text_zh", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("figures", sa.JSON()),
        *_document_columns(),
        *_timestamps(),
        sa.UniqueConstraint("zone_id", "year", "kind"), sa.UniqueConstraint("motion_id"))
    op.create_table(
        "fund_budget_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("set_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        *_timestamps(),
        sa.UniqueConstraint("zone_id", "year", "direction", "category"))
    op.create_index("ix_fund_budget_lines_zone_id", "fund_budget_lines", ["zone_id"])
    op.create_table(
        "fund_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(32)),
        sa.Column("payer_name", sa.String(200)),
        sa.Column("payer_member_unit_id", sa.Integer(), sa.ForeignKey("council_member_units.id")),
        sa.Column("business_area", sa.String(32)),
        sa.Column("nature", sa.String(32)),
        sa.Column("plan_item_id", sa.Integer(), sa.ForeignKey("annual_plan_items.id")),
        sa.Column("payee_name", sa.String(200)),
        sa.Column("payee_member_unit_id", sa.Integer(), sa.ForeignKey("council_member_units.id")),
        sa.Column("reverses_id", sa.Integer(), sa.ForeignKey("fund_entries.id")),
        sa.Column("voucher", sa.String(64)),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_fen > 0", name="positive_amount"),
        sa.UniqueConstraint("reverses_id"))
    op.create_index("ix_fund_entries_zone_id", "fund_entries", ["zone_id"])
    op.create_index("ix_fund_entries_zone_id_year_direction", "fund_entries", ["zone_id", "year", "direction"])
    op.create_index("ix_fund_entries_zone_id_plan_item_id", "fund_entries", ["zone_id", "plan_item_id"])
    if rls.is_postgresql():
        for table in TABLES:
            rls.grant(table)
        for table in ZONE_PRIVATE:
            rls.isolate_by_zone(table)
        role, zone = rls.app_role(), rls.CURRENT_ZONE
        for table in (*PUBLIC_WHEN_ADOPTED, "annual_plan_items"):
            if table == "annual_plan_items":
                adopted = ("EXISTS (SELECT 1 FROM annual_plans p WHERE p.id = plan_id "
                           "AND p.state = 'adopted')")
            else:
                adopted = "state = 'adopted'"
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY read_adopted_or_own_zone ON {table} FOR SELECT TO {role} "
                       f"USING ({adopted} OR zone_id = {zone})")
            op.execute(f"CREATE POLICY write_own_zone ON {table} FOR INSERT TO {role} "
                       f"WITH CHECK (zone_id = {zone})")
            op.execute(f"CREATE POLICY change_own_zone ON {table} FOR UPDATE TO {role} "
                       f"USING (zone_id = {zone}) WITH CHECK (zone_id = {zone})")
            op.execute(f"CREATE POLICY delete_own_zone ON {table} FOR DELETE TO {role} "
                       f"USING (zone_id = {zone})")
            op.execute(f"CREATE POLICY operator_access ON {table} TO CURRENT_USER USING (true) WITH CHECK (true)")


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
