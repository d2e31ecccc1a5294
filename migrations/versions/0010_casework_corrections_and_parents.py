"""casework: letter dates and withdrawals, cancelled meetings, corrections, signature reasons,
talks with the local authority's attendance officer, records entered later

Revision ID: 0010
Revises: 0004
Create Date: 2026-11-30 17:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letter_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_reason', sa.Text(), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('with_attendance_officer', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('recorded_on', sa.Date(), nullable=True))
    with op.batch_alter_table('attendance_figure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('correction_reason', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('corrected_from', sa.String(length=200), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.add_column(sa.Column('date_reason', sa.String(length=300), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_column('date_reason')
    with op.batch_alter_table('attendance_figure', schema=None) as batch_op:
        batch_op.drop_column('corrected_from')
        batch_op.drop_column('correction_reason')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_column('recorded_on')
        batch_op.drop_column('with_attendance_officer')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_reason')
        batch_op.drop_column('withdrawn_on')
        batch_op.drop_column('letter_date')
