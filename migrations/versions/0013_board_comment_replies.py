"""self-evaluation: the school's dated reply to a governing board comment

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 20:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('self_evaluation_board_comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reply_author_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reply_author_name', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key('fk_self_evaluation_board_comment_reply_author_id_user',
                                    'user', ['reply_author_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('self_evaluation_board_comment', schema=None) as batch_op:
        batch_op.drop_constraint('fk_self_evaluation_board_comment_reply_author_id_user',
                                 type_='foreignkey')
        batch_op.drop_column('replied_at')
        batch_op.drop_column('reply_author_name')
        batch_op.drop_column('reply_author_id')
        batch_op.drop_column('reply')
