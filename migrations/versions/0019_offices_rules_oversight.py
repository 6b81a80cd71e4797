"""offices by vote (the base director, removals by motion), the working-day calendar loaded as data,
resolutions carried out (tasks, unit ratings), the base's rules as versioned documents

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op
from ecozone.db import rls

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

ZONE_PRIVATE_TABLES = ("council_tasks", "council_unit_ratings", "council_committee_members",
                       "council_committee_opinions", "council_officer_evaluations",
                       "council_third_party_evaluations")


def _zone_id() -> sa.Column:
    return sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False)


def _timestamps() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)]


def upgrade() -> None:
    # Offices by vote (章程 第七条, 第十八条(三); 办法 第七条, 第八条).
    with op.batch_alter_table("council_officers") as batch_op:
        batch_op.add_column(sa.Column("ended_by_motion_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("appointed_by_officer_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_council_officers_ended_by_motion_id_council_motions",
                                    "council_motions", ["ended_by_motion_id"], ["id"])
        batch_op.create_foreign_key("fk_council_officers_appointed_by_officer_id_council_officers",
                                    "council_officers", ["appointed_by_officer_id"], ["id"])

    # Official holiday arrangements loaded by an operator for years the installed calendar lacks
    # (章程 第二十一条's working days). Shared by every zone: the State Council's calendar is national.
    op.create_table(
        "calendar_years",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False, unique=True),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("workdays", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        *_timestamps())

    # Resolutions carried out (章程 第九条(二), 第十三条(三), 第十六条(三)).
    op.create_table(
        "council_tasks",
        sa.Column("id", sa.Integer(), primary_key=True),
        _zone_id(),
        sa.Column("motion_id", sa.Integer(), sa.ForeignKey("council_motions.id"), nullable=False),
        sa.Column("title_zh", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("member_unit_id", sa.Integer(), sa.ForeignKey("council_member_units.id"), nullable=True),
        sa.Column("officer_id", sa.Integer(), sa.ForeignKey("council_officers.id"), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("report", sa.Text(), nullable=True),
        sa.Column("assigned_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        *_timestamps())
    op.create_index("ix_council_tasks_zone_id", "council_tasks", ["zone_id"])
    op.create_index("ix_council_tasks_zone_id_state_due_on", "council_tasks", ["zone_id", "state", "due_on"])

    op.create_table(
        "council_unit_ratings",
        sa.Column("id", sa.Integer(), primary_key=True),
        _zone_id(),
        sa.Column("member_unit_id", sa.Integer(), sa.ForeignKey("council_member_units.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("rated_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        *_timestamps(),
        sa.UniqueConstraint("member_unit_id", "year", name="uq_council_unit_ratings_member_unit_id_year"))
    op.create_index("ix_council_unit_ratings_zone_id", "council_unit_ratings", ["zone_id"])

    # The base's own rules (章程 第三十二条): owned by a zone, public to read; a version never changes.
    op.create_table(
        "rule_documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("title_zh", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        *_timestamps(),
        sa.UniqueConstraint("zone_id", "key", name="uq_rule_documents_zone_id_key"))
    op.create_table(
        "rule_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("rule_documents.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("change_note_zh", sa.Text(), nullable=True),
        sa.Column("change_note_en", sa.Text(), nullable=True),
        sa.Column("adopted_on", sa.Date(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("motion_id", sa.Integer(), sa.ForeignKey("council_motions.id"), nullable=True),
        sa.Column("consultation_id", sa.Integer(), sa.ForeignKey("consultations.id"), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("document_id", "number", name="uq_rule_versions_document_id_number"),
        sa.UniqueConstraint("motion_id", name="uq_rule_versions_motion_id"))
    op.create_index("ix_rule_versions_document_id_effective_from", "rule_versions", ["document_id", "effective_from"])

    # The expert committee (办法 第九条; 章程 第九条(五)).
    op.create_table(
        "council_committee_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        _zone_id(),
        sa.Column("expert_id", sa.Integer(), sa.ForeignKey("expert_profiles.id"), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.Column("appointed_by_motion_id", sa.Integer(), sa.ForeignKey("council_motions.id"), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("dismissed_on", sa.Date(), nullable=True),
        sa.Column("dismissed_by_motion_id", sa.Integer(), sa.ForeignKey("council_motions.id"), nullable=True),
        sa.Column("dismissal_reason", sa.Text(), nullable=True),
        *_timestamps())
    op.create_index("ix_council_committee_members_zone_id", "council_committee_members", ["zone_id"])
    op.create_index("ix_council_committee_members_zone_id_expert_id", "council_committee_members",
                    ["zone_id", "expert_id"])
    op.create_table(
        "council_committee_opinions",
        sa.Column("id", sa.Integer(), primary_key=True),
        _zone_id(),
        sa.Column("subject_type", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("member_ids", sa.JSON(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        *_timestamps())
    op.create_index("ix_council_committee_opinions_zone_id", "council_committee_opinions", ["zone_id"])
    op.create_index("ix_council_committee_opinions_zone_id_subject", "council_committee_opinions",
                    ["zone_id", "subject_type", "subject_id"])

    # Oversight (章程 第二十五条, 第二十六条).
    op.create_table(
        "council_officer_evaluations",
        sa.Column("id", sa.Integer(), primary_key=True),
        _zone_id(),
        sa.Column("officer_id", sa.Integer(), sa.ForeignKey("council_officers.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        *_timestamps(),
        sa.UniqueConstraint("officer_id", "year", name="uq_council_officer_evaluations_officer_id_year"))
    op.create_index("ix_council_officer_evaluations_zone_id", "council_officer_evaluations", ["zone_id"])
    op.create_table(
        "council_third_party_evaluations",
        sa.Column("id", sa.Integer(), primary_key=True),
        _zone_id(),
        sa.Column("evaluator", sa.String(length=200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("reported_at_meeting_id", sa.Integer(), sa.ForeignKey("council_meetings.id"), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        *_timestamps())
    op.create_index("ix_council_third_party_evaluations_zone_id", "council_third_party_evaluations", ["zone_id"])

    if rls.is_postgresql():
        # Public to read, written only in the acting zone, never changed (row-level security says so too).
        role = rls.app_role()
        for table in ("rule_documents", "rule_versions"):
            rls.grant(table, "SELECT, INSERT")
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY public_read ON {table} FOR SELECT TO {role} USING (true)")
            op.execute(f"CREATE POLICY zone_insert ON {table} FOR INSERT TO {role} "
                       f"WITH CHECK (zone_id = {rls.CURRENT_ZONE})")
            op.execute(f"CREATE POLICY operator_access ON {table} TO CURRENT_USER USING (true) WITH CHECK (true)")
        for table in ZONE_PRIVATE_TABLES:
            rls.grant(table)
            rls.isolate_by_zone(table)
        # The calendar is read by every zone's requests and written only by the operator's CLI.
        rls.grant("calendar_years", "SELECT")


def downgrade() -> None:
    op.drop_table("council_third_party_evaluations")
    op.drop_table("council_officer_evaluations")
    op.drop_table("council_committee_opinions")
    op.drop_table("council_committee_members")
    op.drop_table("rule_versions")
    op.drop_table("rule_documents")
    op.drop_table("council_unit_ratings")
    op.drop_table("council_tasks")
    op.drop_table("calendar_years")
    with op.batch_alter_table("council_officers") as batch_op:
        batch_op.drop_constraint("fk_council_officers_appointed_by_officer_id_council_officers", type_="foreignkey")
        batch_op.drop_constraint("fk_council_officers_ended_by_motion_id_council_motions", type_="foreignkey")
        batch_op.drop_column("appointed_by_officer_id")
        batch_op.drop_column("ended_by_motion_id")
