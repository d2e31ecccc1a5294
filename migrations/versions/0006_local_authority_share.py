"""local-authority role and the record of schools sharing with it

The role itself needs no schema change (roles are stored as text up to 20 characters and
"local_authority" fits); this adds the record of who shared, when, and when it stopped.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 17:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('local_authority_share',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('local_authority', sa.String(length=120), nullable=False),
    sa.Column('shared_by_id', sa.Integer(), nullable=True),
    sa.Column('shared_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ended_by_id'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['officer_id'], ['user.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shared_by_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('local_authority_share', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_local_authority_share_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_local_authority_share_school_id'), ['school_id'], unique=False)


def downgrade():
    with op.batch_alter_table('local_authority_share', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_local_authority_share_school_id'))
        batch_op.drop_index(batch_op.f('ix_local_authority_share_officer_id'))
    op.drop_table('local_authority_share')
