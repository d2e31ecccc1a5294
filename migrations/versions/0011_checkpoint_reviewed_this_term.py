"""self-evaluation: each carried-forward checkpoint answer is confirmed "reviewed this term"

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    # Answers already saved count as reviewed: only answers carried forward from now on wait.
    with op.batch_alter_table('checkpoint_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewed_this_term', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))


def downgrade():
    with op.batch_alter_table('checkpoint_answer', schema=None) as batch_op:
        batch_op.drop_column('reviewed_this_term')
