"""talent: training programmes, sessions, teachers, enrolments, certificates

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op
from ecozone.db import rls

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("training_programmes", "training_sessions", "training_session_teachers",
          "training_enrolments", "training_certificates", "talent_bases", "talent_base_people",
          "chief_expert_calls", "chief_expert_applications")


def _timestamps() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "training_programmes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("host_zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("title_zh", sa.String(200), nullable=False),
        sa.Column("title_en", sa.String(300), nullable=False),
        sa.Column("topic", sa.String(100), nullable=False),
        sa.Column("audience", sa.String(300)),
        sa.Column("description", sa.Text()),
        sa.Column("completion_rule", sa.String(16), nullable=False),
        sa.Column("min_sessions", sa.Integer()),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        *_timestamps())
    op.create_index("ix_training_programmes_host_zone_id_created_at", "training_programmes",
                    ["host_zone_id", "created_at"])
    op.create_table(
        "training_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("programme_id", sa.Integer(),
                  sa.ForeignKey("training_programmes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title_zh", sa.String(200), nullable=False),
        sa.Column("title_en", sa.String(300), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("venue", sa.String(300)),
        sa.Column("online_link", sa.String(500)),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("enrolment_deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enrolled_count", sa.Integer(), nullable=False),
        sa.Column("last_wait_seq", sa.Integer(), nullable=False),
        *_timestamps())
    op.create_index("ix_training_sessions_programme_id", "training_sessions", ["programme_id"])
    op.create_table(
        "training_session_teachers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_id", sa.Integer(),
                  sa.ForeignKey("training_sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("expert_id", sa.Integer(), sa.ForeignKey("expert_profiles.id"), nullable=False),
        sa.UniqueConstraint("session_id", "expert_id"))
    op.create_index("ix_training_session_teachers_session_id", "training_session_teachers", ["session_id"])
    op.create_index("ix_training_session_teachers_expert_id", "training_session_teachers", ["expert_id"])
    op.create_table(
        "training_enrolments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_id", sa.Integer(),
                  sa.ForeignKey("training_sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("wait_position", sa.Integer()),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("session_id", "user_id"))
    op.create_index("ix_training_enrolments_session_id_state_wait_position", "training_enrolments",
                    ["session_id", "state", "wait_position"])
    op.create_index("ix_training_enrolments_user_id", "training_enrolments", ["user_id"])
    op.create_table(
        "training_certificates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("programme_id", sa.Integer(),
                  sa.ForeignKey("training_programmes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("code", sa.String(20), nullable=False, unique=True),
        sa.Column("holder_name", sa.String(100), nullable=False),
        sa.Column("name_display", sa.String(8), nullable=False),
        sa.Column("sessions_attended", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.UniqueConstraint("programme_id", "user_id"))
    op.create_index("ix_training_certificates_user_id", "training_certificates", ["user_id"])
    op.create_table(
        "talent_bases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(300), nullable=False),
        sa.Column("host_unit", sa.String(200), nullable=False),
        sa.Column("partner_university", sa.String(200)),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date()),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        *_timestamps())
    op.create_index("ix_talent_bases_zone_id_kind", "talent_bases", ["zone_id", "kind"])
    op.create_table(
        "talent_base_people",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("base_id", sa.Integer(), sa.ForeignKey("talent_bases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(50), nullable=False),
        sa.Column("expert_id", sa.Integer(), sa.ForeignKey("expert_profiles.id")),
        sa.Column("joined_on", sa.Date()))
    op.create_index("ix_talent_base_people_base_id", "talent_base_people", ["base_id"])
    op.create_table(
        "chief_expert_calls",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.Column("title_zh", sa.String(200), nullable=False),
        sa.Column("title_en", sa.String(300), nullable=False),
        sa.Column("field", sa.String(100), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        *_timestamps())
    op.create_index("ix_chief_expert_calls_zone_id_deadline", "chief_expert_calls", ["zone_id", "deadline"])
    op.create_table(
        "chief_expert_applications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("call_id", sa.Integer(), sa.ForeignKey("chief_expert_calls.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("expert_id", sa.Integer(), sa.ForeignKey("expert_profiles.id"), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(500)),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decided_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.UniqueConstraint("call_id", "expert_id"))
    op.create_index("ix_chief_expert_applications_call_id", "chief_expert_applications", ["call_id"])
    op.create_index("ix_chief_expert_applications_expert_id", "chief_expert_applications", ["expert_id"])
    if rls.is_postgresql():
        # Shared tables (trainings are open to every zone): access is decided by the services.
        for table in TABLES:
            rls.grant(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
