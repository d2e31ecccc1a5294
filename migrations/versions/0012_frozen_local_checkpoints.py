"""self-evaluation: a finalised self-evaluation keeps the school's local checkpoints as they stood

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # Self-evaluations finalised before this revision have none kept (NULL): they go on showing the
    # school's current local checkpoints, as they did; every one finalised from now on keeps its own.
    with op.batch_alter_table('self_evaluation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('frozen_local_items', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('self_evaluation', schema=None) as batch_op:
        batch_op.drop_column('frozen_local_items')
