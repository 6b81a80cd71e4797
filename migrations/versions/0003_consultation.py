"""consultation: consultations, their comments, documents under consultation

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 16:02:11.000000
"""

from alembic import op
import sqlalchemy as sa

from ecozone.db import rls


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# Shared between zones (visibility comes from the subject), so granted but not fenced by zone.
TABLES = ("consulted_documents", "consultations", "consultation_comments")


def upgrade() -> None:
    op.create_table('consulted_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('title_zh', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('articles', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_consulted_documents_created_by_id_users')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_consulted_documents_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consulted_documents'))
    )
    with op.batch_alter_table('consulted_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consulted_documents_zone_id'), ['zone_id'], unique=False)

    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('title_zh', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_consultations_closed_by_id_users')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_consultations_opened_by_id_users')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_consultations_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index('ix_consultations_subject_type_subject_id', ['subject_type', 'subject_id'], unique=False)
        batch_op.create_index('ix_consultations_zone_id_state', ['zone_id', 'state'], unique=False)

    op.create_table('consultation_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('clause', sa.String(length=50), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('proposed_change', sa.Text(), nullable=True),
    sa.Column('proposer_unit', sa.String(length=200), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_consultation_comments_author_id_users')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_comments_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_consultation_comments_decided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_comments')),
    sa.UniqueConstraint('consultation_id', 'seq', name=op.f('uq_consultation_comments_consultation_id_seq'))
    )
    with op.batch_alter_table('consultation_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_comments_author_id'), ['author_id'], unique=False)

    if rls.is_postgresql():
        for table in TABLES:
            rls.grant(table)


def downgrade() -> None:
    with op.batch_alter_table('consultation_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_comments_author_id'))

    op.drop_table('consultation_comments')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index('ix_consultations_zone_id_state')
        batch_op.drop_index('ix_consultations_subject_type_subject_id')

    op.drop_table('consultations')
    with op.batch_alter_table('consulted_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consulted_documents_zone_id'))

    op.drop_table('consulted_documents')
