"""catalogs: traceability standard catalog versions of the eleven product categories

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 15:40:00

The starter catalogs are loaded by `ecozone catalogs load` (data files in
ecozone/catalogs/data), not here, so that a fresh database and an upgraded one get the same
rows through the same audited path.
"""

import sqlalchemy as sa
from alembic import op
from ecozone.db import rls

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalog_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('indicators', sa.JSON(), nullable=False),
    sa.Column('change_note', sa.String(length=2000), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_catalog_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_catalog_versions_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_versions')),
    sa.UniqueConstraint('category', 'number', name=op.f('uq_catalog_versions_category_number'))
    )
    with op.batch_alter_table('catalog_versions', schema=None) as batch_op:
        batch_op.create_index('ix_catalog_versions_category_state', ['category', 'state'], unique=False)
    if rls.is_postgresql():
        rls.grant('catalog_versions')


def downgrade() -> None:
    with op.batch_alter_table('catalog_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_catalog_versions_category_state')
    op.drop_table('catalog_versions')
