"""Contests: announcement, nominations, jury, scores, results

Revision ID: 0012_contests
Revises: 0011_public_foundation
Create Date: 2026-12-03 19:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_contests'
down_revision = '0011_public_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('aggregation', sa.String(length=4), nullable=False),
    sa.Column('nominations_open_on', sa.Date(), nullable=False),
    sa.Column('nominations_close_on', sa.Date(), nullable=False),
    sa.Column('judging_until', sa.Date(), nullable=False),
    sa.Column('results_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('announced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('judging_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('judging_closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("aggregation IN ('sum', 'mean')", name=op.f('ck_contests_aggregation')),
    sa.CheckConstraint("status IN ('draft', 'announced', 'judging', 'results', 'published')", name=op.f('ck_contests_status')),
    sa.CheckConstraint('nominations_open_on <= nominations_close_on AND nominations_close_on <= judging_until AND judging_until <= results_on', name=op.f('ck_contests_dates')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_contests_confirmed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_contests_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_contests_org_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contests'))
    )

    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contests_is_public'), ['is_public'], unique=False)
        batch_op.create_index(batch_op.f('ix_contests_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contests_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_contests_status'), ['status'], unique=False)

    op.create_table('contest_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('max_score', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.CheckConstraint('max_score BETWEEN 1 AND 100', name=op.f('ck_contest_criteria_max_score')),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_contest_criteria_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_contest_criteria_org_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_criteria'))
    )

    with op.batch_alter_table('contest_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_criteria_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_criteria_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_criteria_org_path'), ['org_path'], unique=False)

    op.create_table('contest_jurors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('appointed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('appointed_by_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['appointed_by_id'], ['users.id'], name=op.f('fk_contest_jurors_appointed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_contest_jurors_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_contest_jurors_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_contest_jurors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_jurors')),
    sa.UniqueConstraint('contest_id', 'user_id', name=op.f('uq_contest_jurors_contest_id_user_id'))
    )

    with op.batch_alter_table('contest_jurors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_jurors_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_jurors_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_jurors_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_jurors_user_id'), ['user_id'], unique=False)

    op.create_table('contest_nominations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_contest_nominations_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_contest_nominations_org_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_nominations'))
    )

    with op.batch_alter_table('contest_nominations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_nominations_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_nominations_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_nominations_org_path'), ['org_path'], unique=False)

    op.create_table('contest_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_contest_rules_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_contest_rules_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_contest_rules_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_rules')),
    sa.UniqueConstraint('contest_id', name=op.f('uq_contest_rules_contest_id'))
    )

    with op.batch_alter_table('contest_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_rules_is_public'), ['is_public'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_rules_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_rules_org_path'), ['org_path'], unique=False)

    op.create_table('contest_nominees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('display_name', sa.String(length=300), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('entry_text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('submitted', 'withdrawn')", name=op.f('ck_contest_nominees_status')),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_contest_nominees_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['nomination_id'], ['contest_nominations.id'], name=op.f('fk_contest_nominees_nomination_id_contest_nominations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_contest_nominees_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_contest_nominees_participant_id_participants'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_contest_nominees_submitted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_nominees')),
    sa.UniqueConstraint('contest_id', 'nomination_id', 'participant_id', name=op.f('uq_contest_nominees_contest_id_nomination_id_participant_id'))
    )

    with op.batch_alter_table('contest_nominees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_nominees_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_nominees_nomination_id'), ['nomination_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_nominees_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_nominees_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_nominees_participant_id'), ['participant_id'], unique=False)

    op.create_table('contest_nominee_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nominee_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['nominee_id'], ['contest_nominees.id'], name=op.f('fk_contest_nominee_files_nominee_id_contest_nominees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_contest_nominee_files_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_contest_nominee_files_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_nominee_files')),
    sa.UniqueConstraint('nominee_id', name=op.f('uq_contest_nominee_files_nominee_id'))
    )

    with op.batch_alter_table('contest_nominee_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_nominee_files_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_nominee_files_org_path'), ['org_path'], unique=False)

    op.create_table('contest_result_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('nominee_id', sa.Integer(), nullable=True),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('display_name', sa.String(length=300), nullable=False),
    sa.Column('school_name', sa.String(length=300), nullable=False),
    sa.Column('nomination', sa.String(length=300), nullable=False),
    sa.Column('nomination_position', sa.Integer(), nullable=False),
    sa.Column('place', sa.Integer(), nullable=False),
    sa.Column('score', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.CheckConstraint('place >= 1', name=op.f('ck_contest_result_entries_place')),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_contest_result_entries_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['nominee_id'], ['contest_nominees.id'], name=op.f('fk_contest_result_entries_nominee_id_contest_nominees'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_contest_result_entries_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_contest_result_entries_participant_id_participants'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['school_id'], ['organizations.id'], name=op.f('fk_contest_result_entries_school_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_result_entries')),
    sa.UniqueConstraint('contest_id', 'nominee_id', name=op.f('uq_contest_result_entries_contest_id_nominee_id'))
    )

    with op.batch_alter_table('contest_result_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_result_entries_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_result_entries_is_public'), ['is_public'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_result_entries_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_result_entries_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_result_entries_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_result_entries_school_id'), ['school_id'], unique=False)

    op.create_table('contest_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('juror_id', sa.Integer(), nullable=False),
    sa.Column('nominee_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('scored_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.CheckConstraint('score BETWEEN 0 AND 100', name=op.f('ck_contest_scores_score')),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_contest_scores_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['criterion_id'], ['contest_criteria.id'], name=op.f('fk_contest_scores_criterion_id_contest_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['juror_id'], ['contest_jurors.id'], name=op.f('fk_contest_scores_juror_id_contest_jurors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['nominee_id'], ['contest_nominees.id'], name=op.f('fk_contest_scores_nominee_id_contest_nominees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_contest_scores_org_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_scores')),
    sa.UniqueConstraint('juror_id', 'nominee_id', 'criterion_id', name=op.f('uq_contest_scores_juror_id_nominee_id_criterion_id'))
    )

    with op.batch_alter_table('contest_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_scores_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_scores_juror_id'), ['juror_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_scores_nominee_id'), ['nominee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_scores_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_scores_org_path'), ['org_path'], unique=False)


def downgrade():
    with op.batch_alter_table('contest_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_scores_org_path'))
        batch_op.drop_index(batch_op.f('ix_contest_scores_org_id'))
        batch_op.drop_index(batch_op.f('ix_contest_scores_nominee_id'))
        batch_op.drop_index(batch_op.f('ix_contest_scores_juror_id'))
        batch_op.drop_index(batch_op.f('ix_contest_scores_contest_id'))

    op.drop_table('contest_scores')

    with op.batch_alter_table('contest_result_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_result_entries_school_id'))
        batch_op.drop_index(batch_op.f('ix_contest_result_entries_participant_id'))
        batch_op.drop_index(batch_op.f('ix_contest_result_entries_org_path'))
        batch_op.drop_index(batch_op.f('ix_contest_result_entries_org_id'))
        batch_op.drop_index(batch_op.f('ix_contest_result_entries_is_public'))
        batch_op.drop_index(batch_op.f('ix_contest_result_entries_contest_id'))

    op.drop_table('contest_result_entries')

    with op.batch_alter_table('contest_nominee_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_nominee_files_org_path'))
        batch_op.drop_index(batch_op.f('ix_contest_nominee_files_org_id'))

    op.drop_table('contest_nominee_files')

    with op.batch_alter_table('contest_nominees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_nominees_participant_id'))
        batch_op.drop_index(batch_op.f('ix_contest_nominees_org_path'))
        batch_op.drop_index(batch_op.f('ix_contest_nominees_org_id'))
        batch_op.drop_index(batch_op.f('ix_contest_nominees_nomination_id'))
        batch_op.drop_index(batch_op.f('ix_contest_nominees_contest_id'))

    op.drop_table('contest_nominees')

    with op.batch_alter_table('contest_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_rules_org_path'))
        batch_op.drop_index(batch_op.f('ix_contest_rules_org_id'))
        batch_op.drop_index(batch_op.f('ix_contest_rules_is_public'))

    op.drop_table('contest_rules')

    with op.batch_alter_table('contest_nominations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_nominations_org_path'))
        batch_op.drop_index(batch_op.f('ix_contest_nominations_org_id'))
        batch_op.drop_index(batch_op.f('ix_contest_nominations_contest_id'))

    op.drop_table('contest_nominations')

    with op.batch_alter_table('contest_jurors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_jurors_user_id'))
        batch_op.drop_index(batch_op.f('ix_contest_jurors_org_path'))
        batch_op.drop_index(batch_op.f('ix_contest_jurors_org_id'))
        batch_op.drop_index(batch_op.f('ix_contest_jurors_contest_id'))

    op.drop_table('contest_jurors')

    with op.batch_alter_table('contest_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_criteria_org_path'))
        batch_op.drop_index(batch_op.f('ix_contest_criteria_org_id'))
        batch_op.drop_index(batch_op.f('ix_contest_criteria_contest_id'))

    op.drop_table('contest_criteria')

    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contests_status'))
        batch_op.drop_index(batch_op.f('ix_contests_org_path'))
        batch_op.drop_index(batch_op.f('ix_contests_org_id'))
        batch_op.drop_index(batch_op.f('ix_contests_is_public'))

    op.drop_table('contests')

