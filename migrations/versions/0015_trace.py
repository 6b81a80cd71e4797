"""trace: enterprises and their people, trace records (by month on PostgreSQL), record keys, batch links

Enterprises, records and links are read by everyone (the public chain) and written by the app
only in the acting zone; an enterprise's people and record keys are zone-private. On PostgreSQL
``trace_records`` is partitioned by month of ``occurred_at`` (ecozone.trace.partitions), its
primary key (id, occurred_at).

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op
from ecozone.db import rls

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

PUBLIC_READ_ZONE_WRITE = ("trace_enterprises", "trace_records", "trace_batch_links")
ZONE_PRIVATE = ("trace_enterprise_members", "trace_record_keys")


def _public_read_zone_write(table: str) -> None:
    role, zone = rls.app_role(), rls.CURRENT_ZONE
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY public_read ON {table} FOR SELECT TO {role} USING (true)")
    op.execute(f"CREATE POLICY zone_insert ON {table} FOR INSERT TO {role} WITH CHECK (zone_id = {zone})")
    op.execute(f"CREATE POLICY zone_update ON {table} FOR UPDATE TO {role} USING (zone_id = {zone}) "
               f"WITH CHECK (zone_id = {zone})")
    op.execute(f"CREATE POLICY zone_delete ON {table} FOR DELETE TO {role} USING (zone_id = {zone})")
    op.execute(f"CREATE POLICY operator_access ON {table} TO CURRENT_USER USING (true) WITH CHECK (true)")


def _records_postgresql() -> None:
    from ecozone.trace.partitions import (
        FIRST_MONTH,
        LAST_MONTH,
        create_statements,
        months,
    )
    op.execute("CREATE SEQUENCE trace_records_id_seq AS bigint")
    op.execute("""
        CREATE TABLE trace_records (
          id bigint NOT NULL DEFAULT nextval('trace_records_id_seq'),
          occurred_at timestamptz NOT NULL,
          zone_id integer NOT NULL,
          enterprise_id integer NOT NULL,
          record_key varchar(100) NOT NULL,
          code varchar(27) NOT NULL,
          batch varchar(22) NOT NULL,
          gtin varchar(14),
          lot varchar(20),
          category varchar(32) NOT NULL,
          catalog_version_id integer NOT NULL,
          event_type varchar(16) NOT NULL,
          place varchar(200) NOT NULL,
          place_code varchar(6),
          reason varchar(500),
          public_data json NOT NULL,
          private_data json NOT NULL,
          received_at timestamptz NOT NULL,
          CONSTRAINT pk_trace_records PRIMARY KEY (id, occurred_at)
        ) PARTITION BY RANGE (occurred_at)""")
    op.execute("ALTER SEQUENCE trace_records_id_seq OWNED BY trace_records.id")
    op.execute("CREATE TABLE trace_records_default PARTITION OF trace_records DEFAULT")
    for month in months(FIRST_MONTH, LAST_MONTH):
        for statement in create_statements(month):
            op.execute(statement)
    # Indexes on the partitioned table: each partition gets its own, present and future.
    op.execute("CREATE INDEX ix_trace_records_batch ON trace_records (batch)")
    op.execute("CREATE INDEX ix_trace_records_code ON trace_records (code)")
    op.execute("CREATE INDEX ix_trace_records_gtin_lot ON trace_records (gtin, lot)")


def upgrade() -> None:
    op.create_table(
        "trace_enterprises",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("producer_code", sa.String(6), nullable=False),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(300), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("registered_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("uscc", name="uq_trace_enterprises_uscc"),
        sa.UniqueConstraint("zone_id", "producer_code", name="uq_trace_enterprises_zone_id_producer_code"))
    op.create_index("ix_trace_enterprises_zone_id", "trace_enterprises", ["zone_id"])
    op.create_table(
        "trace_enterprise_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("trace_enterprises.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("enterprise_id", "user_id",
                            name="uq_trace_enterprise_members_enterprise_id_user_id"))
    op.create_index("ix_trace_enterprise_members_zone_id", "trace_enterprise_members", ["zone_id"])
    op.create_index("ix_trace_enterprise_members_user_id", "trace_enterprise_members", ["user_id"])
    if rls.is_postgresql():
        _records_postgresql()
    else:
        op.create_table(
            "trace_records",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("zone_id", sa.Integer(), nullable=False),
            sa.Column("enterprise_id", sa.Integer(), nullable=False),
            sa.Column("record_key", sa.String(100), nullable=False),
            sa.Column("code", sa.String(27), nullable=False),
            sa.Column("batch", sa.String(22), nullable=False),
            sa.Column("gtin", sa.String(14)),
            sa.Column("lot", sa.String(20)),
            sa.Column("category", sa.String(32), nullable=False),
            sa.Column("catalog_version_id", sa.Integer(), nullable=False),
            sa.Column("event_type", sa.String(16), nullable=False),
            sa.Column("place", sa.String(200), nullable=False),
            sa.Column("place_code", sa.String(6)),
            sa.Column("reason", sa.String(500)),
            sa.Column("public_data", sa.JSON(), nullable=False),
            sa.Column("private_data", sa.JSON(), nullable=False),
            sa.Column("received_at", sa.DateTime(timezone=True), nullable=False))
        op.create_index("ix_trace_records_batch", "trace_records", ["batch"])
        op.create_index("ix_trace_records_code", "trace_records", ["code"])
        op.create_index("ix_trace_records_gtin_lot", "trace_records", ["gtin", "lot"])
    op.create_table(
        "trace_record_keys",
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("record_key", sa.String(100), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", "record_key", name="pk_trace_record_keys"))
    op.create_table(
        "trace_batch_links",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("parent_batch", sa.String(22), nullable=False),
        sa.Column("child_batch", sa.String(22), nullable=False),
        sa.UniqueConstraint("parent_batch", "child_batch", name="uq_trace_batch_links_parent_batch_child_batch"))
    op.create_index("ix_trace_batch_links_child_batch", "trace_batch_links", ["child_batch"])
    if rls.is_postgresql():
        for table in (*PUBLIC_READ_ZONE_WRITE, *ZONE_PRIVATE):
            rls.grant(table)
        op.execute(f"GRANT USAGE, SELECT ON SEQUENCE trace_records_id_seq TO {rls.app_role()}")
        for table in PUBLIC_READ_ZONE_WRITE:
            _public_read_zone_write(table)
        for table in ZONE_PRIVATE:
            rls.isolate_by_zone(table)
        from ecozone.trace.partitions import copy_policies, partition_names_sql
        for (partition,) in op.get_bind().execute(sa.text(partition_names_sql())).all():
            op.execute(copy_policies(partition))


def downgrade() -> None:
    for table in ("trace_batch_links", "trace_record_keys", "trace_records", "trace_enterprise_members",
                  "trace_enterprises"):
        op.drop_table(table)
    if rls.is_postgresql():
        op.execute("DROP SEQUENCE IF EXISTS trace_records_id_seq")
