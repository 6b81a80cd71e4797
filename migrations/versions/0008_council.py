"""council: member units, officers, meetings, agenda, attendance, motions, votes, minutes, publications,
and invitations of member units to comment on the base's documents

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from ecozone.db import rls


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ZONE_PRIVATE_TABLES = ("council_member_units", "council_unit_decisions", "council_officers",
                       "council_meetings", "council_meeting_proposers", "council_agenda_items",
                       "council_attendance", "council_motions", "council_votes", "council_minutes",
                       "council_document_invitations")


def upgrade() -> None:
    op.create_table('council_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title_zh', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('meets_on', sa.Date(), nullable=False),
    sa.Column('discussion', sa.Text(), nullable=False),
    sa.Column('attendance', sa.JSON(), nullable=False),
    sa.Column('resolutions', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_council_publications_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_publications')),
    sa.UniqueConstraint('zone_id', 'meeting_id', name=op.f('uq_council_publications_zone_id_meeting_id'))
    )
    with op.batch_alter_table('council_publications', schema=None) as batch_op:
        batch_op.create_index('ix_council_publications_zone_id_meets_on', ['zone_id', 'meets_on'], unique=False)

    op.create_table('council_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title_zh', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('meets_on', sa.Date(), nullable=False),
    sa.Column('venue', sa.String(length=300), nullable=True),
    sa.Column('voting_mode', sa.String(length=16), nullable=False),
    sa.Column('chair_approved_by_id', sa.Integer(), nullable=True),
    sa.Column('chair_approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('proposed_by_council', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('present_at_opening', sa.Integer(), nullable=True),
    sa.Column('members_at_opening', sa.Integer(), nullable=True),
    sa.Column('vice_chairs_at_opening', sa.Integer(), nullable=True),
    sa.Column('called_by_id', sa.Integer(), nullable=True),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['called_by_id'], ['users.id'], name=op.f('fk_council_meetings_called_by_id_users')),
    sa.ForeignKeyConstraint(['chair_approved_by_id'], ['users.id'], name=op.f('fk_council_meetings_chair_approved_by_id_users')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_council_meetings_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_meetings'))
    )
    with op.batch_alter_table('council_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_meetings_zone_id'), ['zone_id'], unique=False)
        batch_op.create_index('ix_council_meetings_zone_id_meets_on', ['zone_id', 'meets_on'], unique=False)

    op.create_table('council_member_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('unit_type', sa.String(length=32), nullable=False),
    sa.Column('head_name', sa.String(length=100), nullable=False),
    sa.Column('head_user_id', sa.Integer(), nullable=True),
    sa.Column('delegate_name', sa.String(length=100), nullable=True),
    sa.Column('delegate_user_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('exited_on', sa.Date(), nullable=True),
    sa.Column('last_activity_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_council_member_units_created_by_id_users')),
    sa.ForeignKeyConstraint(['delegate_user_id'], ['users.id'], name=op.f('fk_council_member_units_delegate_user_id_users')),
    sa.ForeignKeyConstraint(['head_user_id'], ['users.id'], name=op.f('fk_council_member_units_head_user_id_users')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_council_member_units_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_member_units')),
    sa.UniqueConstraint('zone_id', 'uscc', name=op.f('uq_council_member_units_zone_id_uscc'))
    )
    with op.batch_alter_table('council_member_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_member_units_zone_id'), ['zone_id'], unique=False)
        batch_op.create_index('ix_council_member_units_zone_id_state_name_zh', ['zone_id', 'state', 'name_zh'], unique=False)

    op.create_table('council_agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('title_zh', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('member_unit_id', sa.Integer(), nullable=True),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['council_meetings.id'], name=op.f('fk_council_agenda_items_meeting_id_council_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_unit_id'], ['council_member_units.id'], name=op.f('fk_council_agenda_items_member_unit_id_council_member_units')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_council_agenda_items_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_council_agenda_items_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_agenda_items'))
    )
    with op.batch_alter_table('council_agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_agenda_items_zone_id'), ['zone_id'], unique=False)
        batch_op.create_index('ix_council_agenda_items_zone_id_meeting_id', ['zone_id', 'meeting_id'], unique=False)

    op.create_table('council_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('member_unit_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('attendee_name', sa.String(length=100), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['council_meetings.id'], name=op.f('fk_council_attendance_meeting_id_council_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_unit_id'], ['council_member_units.id'], name=op.f('fk_council_attendance_member_unit_id_council_member_units')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_council_attendance_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_council_attendance_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_attendance')),
    sa.UniqueConstraint('meeting_id', 'member_unit_id', name=op.f('uq_council_attendance_meeting_id_member_unit_id'))
    )
    with op.batch_alter_table('council_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_attendance_zone_id'), ['zone_id'], unique=False)
        batch_op.create_index('ix_council_attendance_zone_id_meeting_id', ['zone_id', 'meeting_id'], unique=False)

    op.create_table('council_meeting_proposers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('member_unit_id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['council_meetings.id'], name=op.f('fk_council_meeting_proposers_meeting_id_council_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_unit_id'], ['council_member_units.id'], name=op.f('fk_council_meeting_proposers_member_unit_id_council_member_units')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_council_meeting_proposers_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_meeting_proposers')),
    sa.UniqueConstraint('meeting_id', 'member_unit_id', name=op.f('uq_council_meeting_proposers_meeting_id_member_unit_id'))
    )
    with op.batch_alter_table('council_meeting_proposers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_meeting_proposers_zone_id'), ['zone_id'], unique=False)
        batch_op.create_index('ix_council_meeting_proposers_zone_id_meeting_id', ['zone_id', 'meeting_id'], unique=False)

    op.create_table('council_minutes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('discussion', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['council_meetings.id'], name=op.f('fk_council_minutes_meeting_id_council_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_council_minutes_published_by_id_users')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_council_minutes_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_minutes')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_council_minutes_meeting_id'))
    )
    with op.batch_alter_table('council_minutes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_minutes_zone_id'), ['zone_id'], unique=False)
        batch_op.create_index('ix_council_minutes_zone_id_meeting_id', ['zone_id', 'meeting_id'], unique=False)

    op.create_table('council_motions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('title_zh', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('yes_count', sa.Integer(), nullable=True),
    sa.Column('no_count', sa.Integer(), nullable=True),
    sa.Column('abstain_count', sa.Integer(), nullable=True),
    sa.Column('present_count', sa.Integer(), nullable=True),
    sa.Column('members_count', sa.Integer(), nullable=True),
    sa.Column('counted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['council_agenda_items.id'], name=op.f('fk_council_motions_agenda_item_id_council_agenda_items')),
    sa.ForeignKeyConstraint(['meeting_id'], ['council_meetings.id'], name=op.f('fk_council_motions_meeting_id_council_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_council_motions_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_motions'))
    )
    with op.batch_alter_table('council_motions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_motions_zone_id'), ['zone_id'], unique=False)
        batch_op.create_index('ix_council_motions_zone_id_meeting_id', ['zone_id', 'meeting_id'], unique=False)

    op.create_table('council_officers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_unit_id', sa.Integer(), nullable=False),
    sa.Column('person_name', sa.String(length=100), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('office', sa.String(length=32), nullable=False),
    sa.Column('term_start', sa.Date(), nullable=False),
    sa.Column('term_end', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('elected_by_motion_id', sa.Integer(), nullable=True),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['elected_by_motion_id'], ['council_motions.id'], name=op.f('fk_council_officers_elected_by_motion_id_council_motions')),
    sa.ForeignKeyConstraint(['member_unit_id'], ['council_member_units.id'], name=op.f('fk_council_officers_member_unit_id_council_member_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_council_officers_user_id_users')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_council_officers_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_officers'))
    )
    with op.batch_alter_table('council_officers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_officers_zone_id'), ['zone_id'], unique=False)
        batch_op.create_index('ix_council_officers_zone_id_state_office', ['zone_id', 'state', 'office'], unique=False)

    op.create_table('council_unit_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_unit_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('motion_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_unit_id'], ['council_member_units.id'], name=op.f('fk_council_unit_decisions_member_unit_id_council_member_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['motion_id'], ['council_motions.id'], name=op.f('fk_council_unit_decisions_motion_id_council_motions')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_council_unit_decisions_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_council_unit_decisions_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_unit_decisions'))
    )
    with op.batch_alter_table('council_unit_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_unit_decisions_zone_id'), ['zone_id'], unique=False)
        batch_op.create_index('ix_council_unit_decisions_zone_id_member_unit_id', ['zone_id', 'member_unit_id'], unique=False)

    op.create_table('council_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('motion_id', sa.Integer(), nullable=False),
    sa.Column('member_unit_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=8), nullable=False),
    sa.Column('cast_by_id', sa.Integer(), nullable=True),
    sa.Column('cast_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cast_by_id'], ['users.id'], name=op.f('fk_council_votes_cast_by_id_users')),
    sa.ForeignKeyConstraint(['member_unit_id'], ['council_member_units.id'], name=op.f('fk_council_votes_member_unit_id_council_member_units')),
    sa.ForeignKeyConstraint(['motion_id'], ['council_motions.id'], name=op.f('fk_council_votes_motion_id_council_motions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_council_votes_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_votes')),
    sa.UniqueConstraint('motion_id', 'member_unit_id', name=op.f('uq_council_votes_motion_id_member_unit_id'))
    )
    with op.batch_alter_table('council_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_votes_zone_id'), ['zone_id'], unique=False)
        batch_op.create_index('ix_council_votes_zone_id_motion_id', ['zone_id', 'motion_id'], unique=False)

    with op.batch_alter_table("consulted_documents") as batch_op:
        batch_op.add_column(sa.Column("invitation_only", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    op.create_table(
        "council_document_invitations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("consulted_documents.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("member_unit_id", sa.Integer(), sa.ForeignKey("council_member_units.id"), nullable=False),
        sa.Column("zone_id", sa.Integer(), sa.ForeignKey("zones.id"), nullable=False),
        sa.UniqueConstraint("document_id", "member_unit_id"))
    op.create_index("ix_council_document_invitations_zone_id", "council_document_invitations", ["zone_id"])
    op.create_index("ix_council_document_invitations_zone_id_document_id", "council_document_invitations",
                    ["zone_id", "document_id"])

    if rls.is_postgresql():
        for table in ZONE_PRIVATE_TABLES:
            rls.grant(table)
            rls.isolate_by_zone(table)
        # Disclosed minutes are public and final: the app may add them, never change them.
        rls.grant("council_publications", "SELECT, INSERT")


def downgrade() -> None:
    op.drop_table("council_document_invitations")
    with op.batch_alter_table("consulted_documents") as batch_op:
        batch_op.drop_column("invitation_only")
    with op.batch_alter_table('council_votes', schema=None) as batch_op:
        batch_op.drop_index('ix_council_votes_zone_id_motion_id')
        batch_op.drop_index(batch_op.f('ix_council_votes_zone_id'))

    op.drop_table('council_votes')
    with op.batch_alter_table('council_unit_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_council_unit_decisions_zone_id_member_unit_id')
        batch_op.drop_index(batch_op.f('ix_council_unit_decisions_zone_id'))

    op.drop_table('council_unit_decisions')
    with op.batch_alter_table('council_officers', schema=None) as batch_op:
        batch_op.drop_index('ix_council_officers_zone_id_state_office')
        batch_op.drop_index(batch_op.f('ix_council_officers_zone_id'))

    op.drop_table('council_officers')
    with op.batch_alter_table('council_motions', schema=None) as batch_op:
        batch_op.drop_index('ix_council_motions_zone_id_meeting_id')
        batch_op.drop_index(batch_op.f('ix_council_motions_zone_id'))

    op.drop_table('council_motions')
    with op.batch_alter_table('council_minutes', schema=None) as batch_op:
        batch_op.drop_index('ix_council_minutes_zone_id_meeting_id')
        batch_op.drop_index(batch_op.f('ix_council_minutes_zone_id'))

    op.drop_table('council_minutes')
    with op.batch_alter_table('council_meeting_proposers', schema=None) as batch_op:
        batch_op.drop_index('ix_council_meeting_proposers_zone_id_meeting_id')
        batch_op.drop_index(batch_op.f('ix_council_meeting_proposers_zone_id'))

    op.drop_table('council_meeting_proposers')
    with op.batch_alter_table('council_attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_council_attendance_zone_id_meeting_id')
        batch_op.drop_index(batch_op.f('ix_council_attendance_zone_id'))

    op.drop_table('council_attendance')
    with op.batch_alter_table('council_agenda_items', schema=None) as batch_op:
        batch_op.drop_index('ix_council_agenda_items_zone_id_meeting_id')
        batch_op.drop_index(batch_op.f('ix_council_agenda_items_zone_id'))

    op.drop_table('council_agenda_items')
    with op.batch_alter_table('council_member_units', schema=None) as batch_op:
        batch_op.drop_index('ix_council_member_units_zone_id_state_name_zh')
        batch_op.drop_index(batch_op.f('ix_council_member_units_zone_id'))

    op.drop_table('council_member_units')
    with op.batch_alter_table('council_meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_council_meetings_zone_id_meets_on')
        batch_op.drop_index(batch_op.f('ix_council_meetings_zone_id'))

    op.drop_table('council_meetings')
    with op.batch_alter_table('council_publications', schema=None) as batch_op:
        batch_op.drop_index('ix_council_publications_zone_id_meets_on')

    op.drop_table('council_publications')
