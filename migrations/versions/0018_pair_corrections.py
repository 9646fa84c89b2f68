"""Correcting what was entered wrongly: a pair entered by mistake is voided (аннулирована),
kept in the history with when, why and by whom, and counted nowhere

Revision ID: 0018_pair_corrections
Revises: 0017_roadmap_periods
Create Date: 2026-12-04 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_pair_corrections'
down_revision = '0017_roadmap_periods'
branch_labels = None
depends_on = None

STATUS_NEW = "status IN ('active', 'completed', 'ended_early', 'voided')"
STATUS_OLD = "status IN ('active', 'completed', 'ended_early')"
VOIDED = "(status = 'voided') = (voided_at IS NOT NULL)"


def upgrade():
    with op.batch_alter_table('mentorships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('void_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('voided_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_mentorships_voided_by_id_users'), 'users', ['voided_by_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.drop_constraint(batch_op.f('ck_mentorships_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_mentorships_status'), STATUS_NEW)
        batch_op.create_check_constraint(batch_op.f('ck_mentorships_voided'), VOIDED)


def downgrade():
    with op.batch_alter_table('mentorships', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_mentorships_voided'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_mentorships_status'), type_='check')
    # A voided pair has no place in the old schema: it goes back to "ended early" on the day
    # it started, its reason kept (the figures of that year would count it again).
    op.execute("UPDATE mentorships SET status = 'ended_early', ended_on = started_on, "
               "end_reason = COALESCE(void_reason, 'voided') WHERE status = 'voided'")
    with op.batch_alter_table('mentorships', schema=None) as batch_op:
        batch_op.create_check_constraint(batch_op.f('ck_mentorships_status'), STATUS_OLD)
        batch_op.drop_constraint(batch_op.f('fk_mentorships_voided_by_id_users'), type_='foreignkey')
        batch_op.drop_column('voided_by_id')
        batch_op.drop_column('void_reason')
        batch_op.drop_column('voided_at')
